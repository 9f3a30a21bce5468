"""Widgets the 红色工匠 and 师徒结对 tabs share: a read-only table, a small form dialog with a
worker picker, the hint list, the evaluation levels.

:class:`FormDialog` runs ``submit(values)`` when the clerk clicks 确定: a
:class:`~db.errors.ValidationError` keeps the dialog open with the message under the fields (nothing
is written); a result closes it. ``preview(values)`` (optional) shows hints live as fields change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.errors import DatabaseProblem, ValidationError
from desktop.context import App
from desktop.programmes.core import cultivation as core

IdRole = int(Qt.ItemDataRole.UserRole) + 11
COLOURS = {"warning": "#b45309", "error": "#b71c1c", "priority": "#b71c1c", "note": "#4b5563", "ok": "#047857"}
FILLS = {"weak": QColor("#fdecec"), "strong": QColor("#eaf6ee"), "left": QColor("#f3f4f6"),
         "carried": QColor("#fff8e6")}


def tr(text: str) -> str:
    return QCoreApplication.translate("Mentoring", text)


def hint_html(hints: Sequence[Any], empty: str = "") -> str:
    """Hints as coloured lines: ▲ warning, ★ priority, · note (each has ``level`` and ``text``)."""
    if not hints:
        return empty
    marks = {"warning": "▲", "error": "✖", "priority": "★", "note": "·"}
    return "<br>".join(f"<span style='color:{COLOURS.get(h.level, '#374151')}'>{marks.get(h.level, '·')} "
                       f"{h.text}</span>" for h in hints)


def level_items(labels: dict[str, dict[str, str]]) -> list[tuple[str, int]]:
    return [(f"{core.level_label(score, labels)}（{score}）", score) for score, _c, _l in core.LEVELS]


# -- a read-only table -----------------------------------------------------------------------------------


@dataclass
class Cell:
    text: str
    colour: str | None = None
    bold: bool = False
    tip: str = ""
    align: str = "left"


@dataclass
class Row:
    id: int
    cells: list[Cell | str | int | None]
    fill: str | None = None  # weak / strong / left / carried
    data: Any = field(default=None)


class DataTable(QTableWidget):
    """Whole rows selected, alternating colours, sortable by clicking a header; rows carry an id."""

    def __init__(self, headers: Sequence[str], widths: Sequence[int] = (), parent: QWidget | None = None, *,
                 numbered: bool = True) -> None:
        super().__init__(0, len(headers), parent)
        self.verticalHeader().setVisible(numbered)
        self.setHorizontalHeaderLabels(list(headers))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.verticalHeader().setMinimumWidth(36)
        hh = self.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        hh.setStretchLastSection(True)
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, w in enumerate(widths):
            self.setColumnWidth(i, w)
        hh.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the rows' own order until a header is clicked
        self.rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        selected = self.selected_id()
        self.setSortingEnabled(False)
        self.rows = list(rows)
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            fill = FILLS.get(row.fill or "")
            for c, value in enumerate(row.cells):
                cell = value if isinstance(value, Cell) else Cell("" if value is None else str(value))
                item = QTableWidgetItem(cell.text)
                item.setData(IdRole, row.id)
                if isinstance(value, int) and not isinstance(value, bool):
                    item.setData(Qt.ItemDataRole.DisplayRole, value)
                    cell.align = "right"
                if cell.colour:
                    item.setForeground(QBrush(QColor(COLOURS.get(cell.colour, cell.colour))))
                if cell.bold:
                    font = QFont(self.font())
                    font.setBold(True)
                    item.setFont(font)
                if cell.tip or len(cell.text) > 12:
                    item.setToolTip(cell.tip or cell.text)
                align = {"left": Qt.AlignmentFlag.AlignLeft, "right": Qt.AlignmentFlag.AlignRight,
                         "centre": Qt.AlignmentFlag.AlignHCenter}[cell.align]
                item.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
                if fill is not None:
                    item.setBackground(QBrush(fill))
                self.setItem(r, c, item)
        self.setSortingEnabled(True)
        if selected is not None:
            self.select_id(selected)

    def selected_id(self) -> int | None:
        items = self.selectedItems()
        if not items:
            return None
        value = items[0].data(IdRole)
        return int(value) if value is not None else None

    def selected_ids(self) -> list[int]:
        ids: list[int] = []
        for index in self.selectionModel().selectedRows():
            value = self.item(index.row(), 0).data(IdRole)
            if value is not None and int(value) not in ids:
                ids.append(int(value))
        return ids

    def selected_row(self) -> Row | None:
        rid = self.selected_id()
        return next((r for r in self.rows if r.id == rid), None)

    def select_id(self, record_id: int) -> bool:
        for r in range(self.rowCount()):
            item = self.item(r, 0)
            if item is not None and item.data(IdRole) == record_id:
                self.selectRow(r)
                return True
        return False

    def filter(self, text: str) -> int:
        """Hide rows not containing every word of ``text``; returns the rows shown."""
        words = text.lower().split()
        shown = 0
        for r in range(self.rowCount()):
            line = " ".join((self.item(r, c).text() if self.item(r, c) else "") for c in range(self.columnCount()))
            hide = bool(words) and not all(w in line.lower() for w in words)
            self.setRowHidden(r, hide)
            shown += not hide
        return shown


# -- the worker picker -----------------------------------------------------------------------------------


class WorkerField(QWidget):
    """Type part of a name, pinyin initials, an ID number, a unit or a trade; choose from the list."""

    def __init__(self, app: App, labels: dict[str, dict[str, str]], parent: QWidget | None = None,
                 on_change: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.app, self.labels, self.on_change = app, labels, on_change
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(tr("输入姓名、拼音首字母、身份证号、单位或工种查找"))
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setMinimumHeight(150)
        self.list.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.list.currentItemChanged.connect(lambda *_a: self.on_change() if self.on_change else None)
        self.refresh()

    def _line(self, h: core.WorkerHit) -> str:
        grade = self.labels.get("skill_grade", {}).get(h.skill_grade or "", "")
        status = self.labels.get("political_status", {}).get(h.political_status or "", "")
        parts = [p for p in (h.unit, h.trade, grade, status) if p and p != "无"]
        return f"{h.name}　（{'，'.join(parts)}；证件尾号 {h.id_tail}）"

    def refresh(self) -> None:
        with self.app.db.session() as s:
            hits = core.search_workers(s, self.search.text())
        self.list.clear()
        for h in hits:
            item = QListWidgetItem(self._line(h))
            item.setData(IdRole, h.id)
            self.list.addItem(item)

    def value(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(IdRole)) if item is not None else None

    def set_worker(self, worker_id: int) -> None:
        with self.app.db.session() as s:
            hit = core.worker_hit(s, worker_id)
        if hit is None:
            return
        self.list.clear()
        item = QListWidgetItem(self._line(hit))
        item.setData(IdRole, hit.id)
        self.list.addItem(item)
        self.list.setCurrentItem(item)


# -- the form dialog -----------------------------------------------------------------------------------------


@dataclass
class FieldSpec:
    key: str
    label: str
    kind: str = "text"  # text | multiline | date | choice | int | hours | worker | level | checklist | info
    choices: Sequence[tuple[str, Any]] = ()  # (label, value)
    default: Any = None
    help: str = ""


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


class FormDialog(QDialog):
    def __init__(self, parent: QWidget | None, app: App, title: str, fields: Sequence[FieldSpec],
                 submit: Callable[[dict[str, Any]], Any], *, intro: str = "",
                 preview: Callable[[dict[str, Any]], str] | None = None) -> None:
        super().__init__(parent)
        self.app, self.submit, self.preview = app, submit, preview
        self.result_value: Any = None
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        labels = app.labels()
        self.widgets: dict[str, QWidget] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for f in fields:
            w = self._widget(f, labels)
            w.setObjectName(f"field_{f.key}")
            if f.help:
                w.setToolTip(f.help)
            self.widgets[f.key] = w
            form.addRow(f"{f.label}：" if f.label else "", w)
        heading = QLabel(title, self)
        font = QFont(heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        self.hints = QLabel(self)
        self.hints.setObjectName("formHint")
        self.hints.setWordWrap(True)
        self.hints.setTextFormat(Qt.TextFormat.RichText)
        self.error = QLabel(self)
        self.error.setObjectName("formProblem")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("确定"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        if intro:
            note = QLabel(intro, self)
            note.setObjectName("infoLabel")
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.hints)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.update_preview()

    def _widget(self, f: FieldSpec, labels: dict[str, dict[str, str]]) -> QWidget:
        changed = self.update_preview
        if f.kind == "date":
            w = QDateEdit(self)
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
            w.setDate(qdate(f.default or date.today()))
            w.dateChanged.connect(lambda _d: changed())
            return w
        if f.kind in ("choice", "level"):
            c = QComboBox(self)
            for label, value in (f.choices or level_items(labels)):
                c.addItem(label, value)
            if f.default is not None:
                c.setCurrentIndex(max(c.findData(f.default), 0))
            c.currentIndexChanged.connect(lambda _i: changed())
            return c
        if f.kind == "int":
            sp = QSpinBox(self)
            sp.setRange(0, 100_000)
            sp.setValue(int(f.default or 0))
            sp.valueChanged.connect(lambda _v: changed())
            return sp
        if f.kind == "hours":
            d = QDoubleSpinBox(self)
            d.setRange(0, 1000)
            d.setDecimals(1)
            d.setSingleStep(0.5)
            d.setValue(float(f.default or 0))
            return d
        if f.kind == "worker":
            wf = WorkerField(self.app, labels, self, on_change=changed)
            if f.default:
                wf.set_worker(int(f.default))
            return wf
        if f.kind == "checklist":
            lw = QListWidget(self)
            lw.setMinimumHeight(180)
            checked = set(f.default or ())
            for label, value in f.choices:
                item = QListWidgetItem(label)
                item.setData(IdRole, value)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if value in checked else Qt.CheckState.Unchecked)
                lw.addItem(item)
            return lw
        if f.kind == "multiline":
            t = QPlainTextEdit(self)
            t.setFixedHeight(64)
            t.setTabChangesFocus(True)
            t.setPlainText(str(f.default or ""))
            return t
        if f.kind == "info":
            lbl = QLabel(str(f.default or ""), self)
            lbl.setWordWrap(True)
            return lbl
        e = QLineEdit(self)
        e.setText(str(f.default or ""))
        e.textChanged.connect(lambda _t: changed())
        return e

    def value(self, key: str) -> Any:
        w = self.widgets[key]
        if isinstance(w, QDateEdit):
            d = w.date()
            return date(d.year(), d.month(), d.day())
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QDoubleSpinBox | QSpinBox):
            return w.value()
        if isinstance(w, WorkerField):
            return w.value()
        if isinstance(w, QListWidget):
            return [w.item(i).data(IdRole) for i in range(w.count())
                    if w.item(i).checkState() == Qt.CheckState.Checked]
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText().strip()
        if isinstance(w, QLabel):
            return w.text()
        assert isinstance(w, QLineEdit)
        return w.text().strip()

    def values(self) -> dict[str, Any]:
        return {k: self.value(k) for k in self.widgets}

    def set(self, key: str, value: Any) -> None:
        """Fill a field as the clerk would (tests, and defaults that depend on other fields)."""
        w = self.widgets[key]
        if isinstance(w, QDateEdit):
            w.setDate(qdate(value))
        elif isinstance(w, QComboBox):
            w.setCurrentIndex(w.findData(value))
        elif isinstance(w, QDoubleSpinBox | QSpinBox):
            w.setValue(value)
        elif isinstance(w, WorkerField):
            w.set_worker(int(value))
        elif isinstance(w, QListWidget):
            for i in range(w.count()):
                item = w.item(i)
                item.setCheckState(Qt.CheckState.Checked if item.data(IdRole) in value else Qt.CheckState.Unchecked)
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(str(value))
        elif isinstance(w, QLineEdit):
            w.setText(str(value))
        self.update_preview()

    def update_preview(self) -> None:
        if self.preview is None or not hasattr(self, "hints") or len(self.widgets) == 0:
            return
        try:
            html = self.preview(self.values())
        except (ValidationError, KeyError):
            html = ""
        self.hints.setText(html)
        self.hints.setVisible(bool(html))

    def accept(self) -> None:
        try:
            self.result_value = self.submit(self.values())
        except (ValidationError, DatabaseProblem) as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        super().accept()
