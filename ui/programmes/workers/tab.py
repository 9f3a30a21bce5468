"""职工: the workers register (members), with the worker's page."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.programmes.core import registers
from ui.kit.register_tab import RegisterTab


class WorkersTab(RegisterTab):
    key = "workers"
    kind = "workers"
    # A unit renamed or deleted changes the 工作单位 column: the list refreshes itself.
    tables = ("workers", "organisations")
    import_tables = ("workers", "organisations")  # an import creates the units it names
    detail = ("职工详情", "查看该职工的全部信息、各项目记录和修改历史（回车或双击亦可）")

    def open_page(self, record_id: int) -> QWidget | None:
        from ui.programmes.workers.page import open_worker_page

        return open_worker_page(self, self.app, record_id)

    def delete_refused(self, record_id: int, message: str) -> None:
        """A worker with programme records is not deleted; offer to mark them 退会 instead."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("不能删除"), message, parent=self)
        withdraw = box.addButton(self.tr("设为“退会”"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("关闭"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is withdraw:
            self.withdraw(record_id)

    def withdraw(self, record_id: int) -> bool:
        app = self.app
        return self.run_op(lambda: registers.withdraw(app, record_id), self.tr("未能保存"))
