"""职工: the workers register (members), with the worker's page."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMessageBox

from db.errors import DatabaseProblem, ValidationError
from desktop.programmes.core import registers
from ui.kit.register_tab import RegisterTab


class WorkersTab(RegisterTab):
    key = "workers"
    kind = "workers"

    def add_extra_buttons(self) -> None:
        self.bar.add_separator()
        self.detail_button = self.bar.add_button(
            self.tr("职工详情"), "detail.svg", self.tr("查看该职工的全部信息、各项目记录和修改历史"))
        self.detail_button.clicked.connect(self.open_worker_page)

    def row_buttons(self) -> list[Any]:
        return [*super().row_buttons(), self.detail_button]

    def open_worker_page(self) -> Any:
        rid = self.selected_id()
        if rid is None:
            return None
        from ui.programmes.workers.page import open_worker_page

        return open_worker_page(self, self.app, rid, on_changed=self.refresh_record)

    def delete_refused(self, record_id: int, message: str) -> None:
        """A worker with programme records is not deleted; offer to mark them 退会 instead."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("不能删除"), message, parent=self)
        withdraw = box.addButton(self.tr("设为“退会”"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("关闭"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is withdraw:
            self.withdraw(record_id)

    def withdraw(self, record_id: int) -> None:
        try:
            with self.app.db.session() as s:
                registers.save(s, "workers", record_id, {"member_status": "withdrawn"})
        except (ValidationError, DatabaseProblem) as exc:
            self.warn(self.tr("未能保存"), exc.message)
            return
        self.refresh_record(record_id)
