"""Widgets the 红色工匠 and 师徒结对 tabs share: a read-only table, a small form dialog (with the
kit's worker picker), the hint list, the evaluation levels. No session: data comes in as plain
rows, writes go out through a service.

:class:`FormDialog` runs ``submit(values)`` when the clerk clicks 确定: ``submit`` calls a service
(which returns :class:`desktop.changes.Changes` or ``Done``), through ``ui.kit.changes.perform``, so
what changed is announced once and every view of those tables refreshes itself. A
:class:`~db.errors.ValidationError` keeps the dialog open with the message under the fields (nothing
is written); a result closes it and stays in ``result_value`` for the opener to read.
``preview(values)`` (optional) shows hints live as fields change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QShowEvent
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

from db.errors import ValidationError
from desktop.changes import Changes, Done
from desktop.context import App
from desktop.programmes.core import cultivation as core
from ui.kit.changes import perform
from ui.kit.worker_picker import WorkerPicker

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
        # Widths are pixels at 96 dpi: scaled to the screen (125 % is 120 dpi), then widened to the
        # header's text, so no heading is clipped at any scaling.
        scale = max(self.logicalDpiX(), 96) / 96
        for i, w in enumerate(widths):
            self.setColumnWidth(i, round(w * scale))
        self.fit_headers()
        hh.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the rows' own order until a header is clicked
        self.rows: list[Row] = []

    def fit_headers(self) -> None:
        """Widen every column that is narrower than its heading (with the sort arrow's room)."""
        hh = self.horizontalHeader()
        hh.ensurePolished()
        metrics = hh.fontMetrics()
        pad = hh.style().pixelMetric(hh.style().PixelMetric.PM_HeaderMargin, None, hh) * 2 + 18
        for i in range(self.columnCount()):
            item = self.horizontalHeaderItem(i)
            need = metrics.horizontalAdvance(item.text() if item is not None else "") + pad
            if self.columnWidth(i) < need and not (i == self.columnCount() - 1 and hh.stretchLastSection()):
                self.setColumnWidth(i, need)

    def showEvent(self, event: QShowEvent) -> None:
        self.fit_headers()  # the style sheet's header font is known once shown
        super().showEvent(event)

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


#: The columns a cultivation form's worker picker shows (described Worker fields): enough to
#: choose a mentor (grade, political status) and to tell namesakes apart (the ID's tail).
PICKER_COLUMNS = ("name", "employer_id", "trade", "skill_grade", "political_status", "id_number")


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
                 submit: Callable[[dict[str, Any]], Changes | Done[Any]], *, intro: str = "",
                 preview: Callable[[dict[str, Any]], str] | None = None) -> None:
        super().__init__(parent)
        self.app, self.submit, self.preview = app, submit, preview
        self.result_value: Any = None
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        labels = app.labels()
        self.widgets: dict[str, QWidget] = {}
        self.form = form = QFormLayout()
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
            wf = WorkerPicker(self.app, self, columns=PICKER_COLUMNS)
            wf.setMinimumSize(760, 160)
            if f.default:
                wf.set_worker(int(f.default))
            else:
                wf.table.clearSelection()  # nobody is chosen until the clerk chooses
            wf.current_changed.connect(changed)
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
        if isinstance(w, WorkerPicker):
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
        elif isinstance(w, WorkerPicker):
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
        """Submit through the service; a refusal stays in the dialog, a result closes it."""
        result: Changes | Done[Any] | None = perform(lambda: self.submit(self.values()), self.windowTitle(),
                                                     self._problem)
        if result is None:
            return
        self.result_value = result
        super().accept()

    def _problem(self, _title: str, text: str) -> None:
        self.error.setText(text)
        self.error.show()


def result_message(result: Any) -> tuple[str, list[Any]]:
    """What a service's result tells the clerk: its message and the hints it came back with."""
    changes = result.changes if isinstance(result, Done) else result
    hints = result.value if isinstance(result, Done) and isinstance(result.value, list) else []
    return (changes.message if isinstance(changes, Changes) else ""), hints
