"""劳模工匠助企行 / 帮帮团: three pages. 派工单 (the demand register and each 派工单 from 待派 to
已回访, a clerk's day), 服务队 (the teams and their craftsmen) and 统计 (the month against the year's
targets). Every write is announced; the tab reads its pages again when one touches its tables."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from desktop.changes import Changes
from desktop.context import App
from desktop.programmes.help_desk import service
from ui.kit.cultivation import tr
from ui.kit.tab import ProgrammeTab
from ui.programmes.help_desk.demands_page import DemandsPage
from ui.programmes.help_desk.described import label
from ui.programmes.help_desk.statistics_page import StatisticsPage
from ui.programmes.help_desk.teams_page import TeamsPage


class HelpDeskTab(ProgrammeTab):
    key = "help_desk"
    tables = service.TABLES

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(app, parent)
        self.dialog: Any = None  # the last dialog opened (tests)
        self.pages = QTabWidget(self)
        self.pages.setDocumentMode(True)
        self.demands = DemandsPage(self, self.pages)
        self.teams = TeamsPage(self, self.pages)
        self.statistics = StatisticsPage(self, self.pages)
        self.pages.addTab(self.demands, tr("派工单"))
        self.pages.addTab(self.teams, label("Demand.team_id"))
        self.pages.addTab(self.statistics, tr("统计"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def load(self) -> None:
        """Read the demand register (the count the window shows) now; the other pages now if in
        view, else when they are shown."""
        self.demands.load()
        self.teams.refresh()
        self.statistics.refresh()
        self._mark_loaded()

    def changes_arrived(self, changes: Changes) -> None:
        self.load()

    def record_count(self) -> int:
        return len(self.demands.rows)

    def said(self, message: str) -> None:
        page = self.pages.currentWidget()
        if hasattr(page, "said"):
            page.said(message)

    def open_form(self, dlg: Any) -> Any:
        self.dialog = dlg
        dlg.open()
        return dlg

    def open_report(self, key: str, params: dict[str, Any]) -> Any:
        from ui.dialogs.reports import open_report_with

        self.dialog = open_report_with(self.window(), self.app, key, params)
        return self.dialog
