"""A register record's page (the worker's, the unit's): its fields, what every programme knows
about it, and its history, from a plain :class:`desktop.programmes.core.register_queries.RecordView`.

ID and phone numbers arrive masked; 显示 beside one shows it whole through
``registers.reveal_values`` (audit-logged before it is shown). The page refreshes itself when a
change it shows is announced (ui.kit.changes); 编辑… opens the record's form.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db.errors import DatabaseProblem, ValidationError
from db.fields import BIRTH
from desktop import registry
from desktop.changes import Changes
from desktop.context import App
from desktop.programmes.core import registers
from desktop.programmes.core.register_queries import RecordView, fact_tables
from desktop.registry import WorkerFact
from ui.kit.changes import listen


def read_only_table(parent: QWidget, headers: list[str]) -> QTableWidget:
    """A plain list on a page: whole rows selected, no editing, no row numbers."""
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class RecordPage(QDialog):
    """The page of one register record; subclasses say how to read it (``read``)."""

    kind = ""  # "workers" / "organisations"

    def __init__(self, app: App, record_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.record_id = record_id
        self.labels = app.labels()
        self.view: RecordView | None = None
        self.value_labels: dict[str, QLabel] = {}
        self.reveal_buttons: dict[str, QToolButton] = {}
        self.fact_groups: dict[str, QGroupBox] = {}
        self._full: dict[str, str] = {}
        self._stale = False

        self.heading = QLabel(self)
        self.heading.setObjectName("pageHeading")
        self.subheading = QLabel(self)
        self.subheading.setObjectName("pageSubheading")

        self.info_box = QGroupBox(self.tr("基本信息"), self)
        self.info_grid = QGridLayout(self.info_box)
        self.info_grid.setHorizontalSpacing(12)
        self.info_grid.setVerticalSpacing(6)
        self.info_grid.setColumnStretch(1, 1)
        self.info_grid.setColumnStretch(4, 1)

        self.tabs = QTabWidget(self)
        self.facts_page = QWidget(self)
        self.facts_layout = QVBoxLayout(self.facts_page)
        self.facts_layout.setContentsMargins(8, 8, 8, 8)
        self.history = read_only_table(self, [self.tr("时间"), self.tr("经办人"), self.tr("操作"), self.tr("内容")])
        metrics = self.history.fontMetrics()
        for column, sample in enumerate(("2024-10-20 08:30", "张三丰（clerk01）", "查看完整号码")):
            self.history.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.history.setColumnWidth(column, metrics.horizontalAdvance(sample) + 28)
        self.add_tabs()
        self.tabs.addTab(self.facts_page, self.tr("各项目记录"))
        self.tabs.addTab(self.history, self.tr("修改历史"))

        buttons = QDialogButtonBox(self)
        self.edit_button = QPushButton(self.tr("编辑…"), self)
        buttons.addButton(self.edit_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        close.clicked.connect(self.reject)
        self.edit_button.clicked.connect(self.edit)
        from desktop.accounts.roles import WRITE
        from ui.accounts.permits import gate

        gate(self.edit_button, WRITE, app)

        layout = QVBoxLayout(self)
        head = QVBoxLayout()
        head.setSpacing(2)
        head.addWidget(self.heading)
        head.addWidget(self.subheading)
        layout.addLayout(head)
        layout.addWidget(self.info_box)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(860, 700)
        listen(self, (self.kind, *sorted(fact_tables() - {self.kind})), self._changed)
        self.refresh()

    # ----------------------------------------------------------------- what subclasses give

    def add_tabs(self) -> None:
        """Subclasses add their own tabs (before 各项目记录 and 修改历史)."""

    def read(self) -> RecordView | None:
        """The record as the page shows it (None when it is gone)."""
        raise NotImplementedError

    def show_extra(self) -> None:
        """Subclasses fill their own parts from what ``read`` fetched."""

    def subtitle(self, view: RecordView) -> str:
        return ""

    def page_title(self) -> str:
        return ""

    # ----------------------------------------------------------------- content

    def _changed(self, changes: Changes) -> None:
        if self.record_id in changes.ids(self.kind):
            self._full.clear()  # an edit: show the saved values, masked again
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True  # read again when shown

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self._stale = False
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self.view = view = self.read()
        if view is None:
            self.heading.setText(self.tr("该记录已被删除"))
            self.edit_button.setEnabled(False)
            return
        self.setWindowTitle(self.page_title().replace("%1", view.name))
        self.heading.setText(view.name)
        self.subheading.setText(self.subtitle(view))
        self._fill_info(view)
        self._fill_facts(view.facts)
        self._fill_history(view)
        self.show_extra()

    def _fill_info(self, view: RecordView) -> None:
        while self.info_grid.count():
            item = self.info_grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.value_labels.clear()
        self.reveal_buttons.clear()
        shown = [c for c in view.columns if c.name != "name"]
        for i, col in enumerate(shown):
            row, pair = divmod(i, 2)
            base = pair * 3
            label = QLabel(col.label + "：", self.info_box)
            label.setObjectName("infoLabel")
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            text = self._full.get(col.name, view.shown.get(col.name, ""))
            value = QLabel(text or "—", self.info_box)
            value.setObjectName(f"info_{col.name}")
            value.setWordWrap(col.field.kind == "multiline")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.value_labels[col.name] = value
            self.info_grid.addWidget(label, row, base)
            if col.name in view.revealable and col.name not in self._full:
                holder = QWidget(self.info_box)
                h = QHBoxLayout(holder)
                h.setContentsMargins(0, 0, 0, 0)
                h.addWidget(value)
                button = QToolButton(holder)
                button.setText(self.tr("显示"))
                button.setToolTip(self.tr("显示完整号码（将记入操作日志）"))
                button.clicked.connect(lambda _c=False, n=col.name: self.reveal(n))
                h.addWidget(button)
                h.addStretch(1)
                self.reveal_buttons[col.name] = button
                from desktop.accounts.roles import REVEAL
                from ui.accounts.permits import gate

                gate(button, REVEAL, self.app)
                self.info_grid.addWidget(holder, row, base + 1)
            else:
                self.info_grid.addWidget(value, row, base + 1)
        self.info_grid.setColumnMinimumWidth(2, 24)

    def _fill_facts(self, facts: list[WorkerFact]) -> None:
        while self.facts_layout.count():
            item = self.facts_layout.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.fact_groups = {}
        if not facts:
            empty = QLabel(self.tr("暂无其他项目记录"), self.facts_page)
            empty.setObjectName("emptyState")
            empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.facts_layout.addWidget(empty, 1)
            return
        order = {e.key: e.order for e in registry.entries()}
        ordered = sorted(facts, key=lambda f: (order.get(f.programme, 999), f.when.isoformat() if f.when else ""))
        for programme, items in groupby(ordered, key=lambda f: f.programme):
            rows = list(items)
            try:
                title = registry.entry(programme).title
            except KeyError:
                title = programme
            box = QGroupBox(f"{title}（{len(rows)}）", self.facts_page)
            grid = QGridLayout(box)
            grid.setColumnStretch(1, 1)
            for r, fact in enumerate(rows):
                when = QLabel(fact.when.isoformat() if fact.when else "", box)
                when.setObjectName("factDate")
                what = QLabel(fact.label + (f"　{fact.detail}" if fact.detail else ""), box)
                what.setWordWrap(True)
                what.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                grid.addWidget(when, r, 0, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(what, r, 1)
            self.fact_groups[programme] = box
            self.facts_layout.addWidget(box)
        self.facts_layout.addStretch(1)

    def _fill_history(self, view: RecordView) -> None:
        self.history.setRowCount(len(view.history))
        for r, entry in enumerate(view.history):
            for c, text in enumerate((entry.at, entry.who, entry.action, entry.text)):
                item = QTableWidgetItem(text)
                item.setToolTip(text if c == 3 else "")
                self.history.setItem(r, c, item)

    # ----------------------------------------------------------------- actions

    def reveal(self, column: str) -> str:
        """Show one full number; the look is audit-logged (and shows in the history)."""
        try:
            full = registers.reveal_values(self.app, self.kind, self.record_id, [column])
        except (ValidationError, DatabaseProblem) as exc:
            QMessageBox.warning(self, self.tr("无法显示"), exc.message)
            return ""
        self._full[column] = full.get(column, "")
        if self.view is not None:  # the birth date's day comes with the ID number
            for col in self.view.columns:
                if col.field.privacy == BIRTH and col.name in full:
                    self._full[col.name] = full[col.name]
        self.refresh()
        return self._full[column]

    def edit(self) -> Any:
        from ui.kit.form import edit_record

        return edit_record(self, self.app, self.kind, self.record_id, lambda _rid: None, self.labels)
