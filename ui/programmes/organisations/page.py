"""单位详情: one unit's fields, its workers, what every programme knows about it, its history.

The kit's record page (ui.kit.record_page) over
``desktop.programmes.organisations.queries.organisation_page``; the facts are each programme's
``organisation_facts`` (through the registry). Its workers are listed by name (the first ``LISTED``; the count is whole).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTableWidgetItem, QVBoxLayout, QWidget

from desktop.context import App
from desktop.programmes.core.register_queries import RecordView
from desktop.programmes.organisations.queries import LISTED, OrganisationPage, organisation_page
from ui.kit.record_page import RecordPage, read_only_table


class OrganisationPageDialog(RecordPage):
    """The unit's page, opened from the 单位 tab (Enter, double-click, 单位详情)."""

    kind = "organisations"
    data: OrganisationPage | None = None  # what ``read`` fetched last

    def __init__(self, app: App, organisation_id: int, parent: QWidget | None = None) -> None:
        super().__init__(app, organisation_id, parent)
        self.setObjectName("organisationPage")

    def add_tabs(self) -> None:
        self.workers_page = QWidget(self)
        box = QVBoxLayout(self.workers_page)
        box.setContentsMargins(8, 8, 8, 8)
        self.workers_count = QLabel(self.workers_page)
        self.workers_count.setObjectName("pageSubheading")
        self.workers = read_only_table(self.workers_page, [])
        box.addWidget(self.workers_count)
        box.addWidget(self.workers, 1)
        self.tabs.addTab(self.workers_page, self.tr("本单位职工"))

    def read(self) -> RecordView | None:
        self.data = organisation_page(self.app, self.record_id)
        return self.data.view if self.data is not None else None

    def page_title(self) -> str:
        return self.tr("单位详情 — %1")

    def subtitle(self, view: RecordView) -> str:
        parts = [view.shown.get(n, "") for n in ("kind", "union_form")]
        count = self.data.worker_count if self.data is not None else 0
        parts.append(self.tr("职工 %1 人").replace("%1", f"{count:,}"))
        return "　·　".join(p for p in parts if p)

    def show_extra(self) -> None:
        data = self.data
        if data is None:
            return
        self.workers.setColumnCount(len(data.worker_columns))
        self.workers.setHorizontalHeaderLabels([c.label for c in data.worker_columns])
        self.workers.setRowCount(len(data.workers))
        for r, (worker_id, texts) in enumerate(data.workers):
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, worker_id)
                self.workers.setItem(r, c, item)
        if data.worker_count > len(data.workers):
            text = self.tr("共 %1 名职工（列出前 %2 名）").replace("%1", f"{data.worker_count:,}") \
                .replace("%2", f"{LISTED:,}")
        else:
            text = self.tr("共 %1 名职工").replace("%1", f"{data.worker_count:,}")
        self.workers_count.setText(text)
        self.tabs.setTabText(0, self.tr("本单位职工（%1）").replace("%1", f"{data.worker_count:,}"))


def open_organisation_page(parent: QWidget, app: App, organisation_id: int) -> OrganisationPageDialog:
    """Open the page window-modally (not blocking); it refreshes itself on changes."""
    page = OrganisationPageDialog(app, organisation_id, parent)
    page.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    page.open()
    return page
