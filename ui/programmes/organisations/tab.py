"""单位: the organisations register (enterprises, social organisations, villages), with the unit's page."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.kit.register_tab import RegisterTab


class OrganisationsTab(RegisterTab):
    key = "organisations"
    kind = "organisations"
    # Its page counts the unit's workers; the list itself shows no worker column.
    tables = ("organisations",)
    detail = ("单位详情", "查看该单位的全部信息、职工、各项目记录和修改历史（回车或双击亦可）")

    def open_page(self, record_id: int) -> QWidget | None:
        from ui.programmes.organisations.page import open_organisation_page

        return open_organisation_page(self, self.app, record_id)
