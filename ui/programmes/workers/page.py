"""职工详情: one worker's fields, what every programme knows about them, and their history.

The page is the kit's record page (ui.kit.record_page) over
``desktop.programmes.workers.queries.worker_page``: the facts come from each programme's
``worker_facts`` through the registry, so this page never imports a programme; ID and phone
numbers are masked until the clerk reveals them (audit-logged).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from desktop.context import App
from desktop.programmes.core.register_queries import RecordView
from desktop.programmes.workers.queries import worker_page
from ui.kit.record_page import RecordPage


class WorkerPage(RecordPage):
    """The worker's page, opened from the 职工 tab (Enter, double-click, 职工详情)."""

    kind = "workers"

    def __init__(self, app: App, worker_id: int, parent: QWidget | None = None) -> None:
        super().__init__(app, worker_id, parent)
        self.worker_id = worker_id
        self.setObjectName("workerPage")

    def read(self) -> RecordView | None:
        return worker_page(self.app, self.record_id)

    def page_title(self) -> str:
        return self.tr("职工详情 — %1")

    def subtitle(self, view: RecordView) -> str:
        status = view.shown.get("member_status", "")
        parts = [p for p in (view.shown.get("employer_id", ""), status and self.tr("会籍：") + status) if p]
        return "　·　".join(parts) or self.tr("未填写工作单位")

    def refresh(self) -> None:
        super().refresh()
        if self.view is None:
            self.heading.setText(self.tr("该职工已被删除"))


def open_worker_page(parent: QWidget, app: App, worker_id: int) -> WorkerPage:
    """Open the page window-modally (not blocking); it refreshes itself on changes."""
    page = WorkerPage(app, worker_id, parent)
    page.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    page.open()
    return page
