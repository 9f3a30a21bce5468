"""职工详情: one worker's fields, what every programme knows about them, and their history.

The facts come from ``desktop.registry.worker_facts`` (each programme declares its own), so
this page never imports a programme. ID and phone numbers are masked until the clerk
reveals them (audit-logged); the history lists the audit log entries of this record.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from itertools import groupby
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from db.fields import BIRTH, ID_NUMBER, PHONE, PUBLIC, Column, describe
from db.models.core.registers import Organisation, Worker
from db.models.system import AuditEntry
from db.privacy import mask
from desktop import registry
from desktop.context import App
from desktop.programmes.core import registers
from desktop.records import display
from desktop.registry import WorkerFact

ACTIONS = {
    "insert": "新增", "update": "修改", "delete": "删除", "reveal": "查看完整号码",
    "export_full": "完整导出", "import": "导入", "restore": "恢复",
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.isoformat()[:10]
    return str(value)


class WorkerPage(QDialog):
    """The worker's page, opened from the 职工 tab (职工详情)."""

    def __init__(self, app: App, worker_id: int, parent: QWidget | None = None,
                 on_changed: Callable[[int], None] | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.worker_id = worker_id
        self.on_changed = on_changed
        self.setObjectName("workerPage")
        self.columns = describe(Worker)
        self.by_name = {c.name: c for c in self.columns}
        self.labels = app.labels()
        self.value_labels: dict[str, QLabel] = {}
        self.reveal_buttons: dict[str, QToolButton] = {}
        self._full: dict[str, str] = {}

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
        self.history = QTableWidget(0, 4, self)
        self.history.setHorizontalHeaderLabels([self.tr("时间"), self.tr("经办人"), self.tr("操作"), self.tr("内容")])
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setAlternatingRowColors(True)
        self.history.verticalHeader().hide()
        self.history.setWordWrap(False)
        self.history.setTextElideMode(Qt.TextElideMode.ElideRight)
        hh = self.history.horizontalHeader()
        metrics = self.history.fontMetrics()
        for column, sample in enumerate(("2024-10-20 08:30", "张三丰（clerk01）", "查看完整号码")):
            hh.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.history.setColumnWidth(column, metrics.horizontalAdvance(sample) + 28)
        hh.setStretchLastSection(True)
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
        self.refresh()

    # ----------------------------------------------------------------- content

    def refresh(self) -> None:
        with self.app.db.session() as s:
            worker = s.get(Worker, self.worker_id)
            if worker is None:
                self.heading.setText(self.tr("该职工已被删除"))
                self.edit_button.setEnabled(False)
                return
            values = {c.name: getattr(worker, c.name) for c in self.columns}
            employer = s.get(Organisation, worker.employer_id) if worker.employer_id else None
            employer_name = employer.name if employer else ""
            facts = registry.worker_facts(s, self.worker_id)
            audit = s.execute(
                select(AuditEntry.at, AuditEntry.clerk, AuditEntry.os_user, AuditEntry.action, AuditEntry.old,
                       AuditEntry.new, AuditEntry.note)
                .where(AuditEntry.table_name == Worker.__tablename__, AuditEntry.record_id == self.worker_id)
                .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            ).all()
        self.setWindowTitle(self.tr("职工详情 — %1").replace("%1", str(values.get("name") or "")))
        self.heading.setText(str(values.get("name") or ""))
        status = self._shown(self.by_name["member_status"], values.get("member_status")) \
            if "member_status" in self.by_name else ""
        parts = [p for p in (employer_name, status and self.tr("会籍：") + status) if p]
        self.subheading.setText("　·　".join(parts) or self.tr("未填写工作单位"))
        self._fill_info(values, employer_name)
        self._fill_facts(facts)
        self._fill_history(audit)

    def _shown(self, col: Column, value: Any) -> str:
        if value is None or value == "":
            return ""
        f = col.field
        if f.kind == "choice" and f.choices:
            return self.labels.get(f.choices, {}).get(str(value), str(value))
        return _text(value)

    def _fill_info(self, values: dict[str, Any], employer_name: str) -> None:
        while self.info_grid.count():
            item = self.info_grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.value_labels.clear()
        self.reveal_buttons.clear()
        shown = [c for c in self.columns if c.name != "name"]
        for i, col in enumerate(shown):
            row, pair = divmod(i, 2)
            base = pair * 3
            label = QLabel(col.label + "：", self.info_box)
            label.setObjectName("infoLabel")
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            raw = values.get(col.name)
            if col.field.kind == "ref":
                text = employer_name
            elif col.field.privacy in (ID_NUMBER, PHONE) and col.name not in self._full:
                text = _text(mask(raw, col.field.privacy)) if raw else ""
            elif col.field.privacy == BIRTH:  # the day only once the ID number is revealed
                text = _text(display(col, raw, full=self._id_revealed()))
            elif col.name in self._full:
                text = self._full[col.name]
            else:
                text = self._shown(col, raw)
            value = QLabel(text or "—", self.info_box)
            value.setObjectName(f"info_{col.name}")
            value.setWordWrap(col.field.kind == "multiline")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.value_labels[col.name] = value
            self.info_grid.addWidget(label, row, base)
            if col.field.privacy not in (PUBLIC, BIRTH) and raw and col.name not in self._full:
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
                self.info_grid.addWidget(holder, row, base + 1)
            else:
                self.info_grid.addWidget(value, row, base + 1)
        self.info_grid.setColumnMinimumWidth(2, 24)

    def _id_revealed(self) -> bool:
        return any(c.field.privacy == ID_NUMBER and c.name in self._full for c in self.columns)

    def _fill_facts(self, facts: list[WorkerFact]) -> None:
        while self.facts_layout.count():
            item = self.facts_layout.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.fact_groups: dict[str, QGroupBox] = {}
        if not facts:
            empty = QLabel(self.tr("暂无其他项目记录"), self.facts_page)
            empty.setObjectName("emptyState")
            empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.facts_layout.addWidget(empty, 1)
            return
        order = {e.key: e.order for e in registry.entries()}
        ordered = sorted(facts, key=lambda f: (order.get(f.programme, 999), f.when or date.min))
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

    def _describe_change(self, action: str, old: Any, new: Any, note: str) -> str:
        if action == "reveal":
            col = self.by_name.get(note)
            return self.tr("查看了完整的%1").replace("%1", col.label if col else note)
        if action == "insert":
            return self.tr("新增记录")
        if action == "delete":
            return self.tr("删除记录")
        if action == "update" and isinstance(new, dict):
            parts = []
            before = old if isinstance(old, dict) else {}
            for name, after in new.items():
                col = self.by_name.get(name)
                if col is None:
                    continue
                parts.append(f"{col.label}：{self._history_value(col, before.get(name))} → "
                             f"{self._history_value(col, after)}")
            return "；".join(parts) or note
        return note

    def _history_value(self, col: Column, value: Any) -> str:
        if value is None or value == "":
            return "（空）"
        if col.field.privacy != PUBLIC:
            return str(mask(str(value), col.field.privacy))
        if col.field.kind == "ref":
            return f"#{value}"
        return self._shown(col, value)

    def _local_time(self, at: datetime | None) -> str:
        """SQLite's CURRENT_TIMESTAMP is UTC: show it in the clerk's local time."""
        if at is None:
            return ""
        if self.app.db.is_sqlite and at.tzinfo is None:
            at = at.replace(tzinfo=UTC).astimezone()
        return at.strftime("%Y-%m-%d %H:%M")

    def _fill_history(self, rows: list[Any]) -> None:
        self.history.setRowCount(len(rows))
        for r, (at, clerk, os_user, action, old, new, note) in enumerate(rows):
            who = clerk or os_user or ""
            if clerk and os_user:
                who = f"{clerk}（{os_user}）"
            cells = [
                self._local_time(at),
                who,
                ACTIONS.get(action, action),
                self._describe_change(action, old, new, note or ""),
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text if c == 3 else "")
                self.history.setItem(r, c, item)

    # ----------------------------------------------------------------- actions

    def reveal(self, column: str) -> str:
        """Show one full number; the look is audit-logged."""
        with self.app.db.session() as s:
            full = registers.reveal(s, "workers", self.worker_id, column)
        self._full[column] = full
        self.refresh()
        return full

    def edit(self) -> None:
        from ui.kit.form import edit_record

        edit_record(self, self.app, "workers", self.worker_id, self._edited, self.labels)

    def _edited(self, worker_id: int) -> None:
        self._full.clear()
        self.refresh()
        if self.on_changed is not None:
            self.on_changed(worker_id)


def open_worker_page(parent: QWidget, app: App, worker_id: int,
                     on_changed: Callable[[int], None] | None = None) -> WorkerPage:
    """Open the page window-modally (not blocking); ``on_changed(id)`` after an edit."""
    page = WorkerPage(app, worker_id, parent, on_changed)
    page.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    page.open()
    return page
