"""Widgets the 红色工匠 and 师徒结对 tabs share: a read-only table, a small form dialog (the kit's
described form, one field to a row), the hint list, the evaluation levels. No session: data comes in as plain
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
    QDialog,
    QHeaderView,
    QLabel,
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
from ui.kit.described_form import DescribedForm, Spec
from ui.kit.parts import dialog_heading, note_label, ok_cancel, problem_label

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


# -- the form dialog -----------------------------------------------------------------------------------------


@dataclass
class FieldSpec:
    """How a dialog names a field: its key, label, kind (a :func:`ui.kit.described_form.make_editor`
    kind, or ``level``: the evaluation levels), its items and its default."""

    key: str
    label: str
    kind: str = "text"  # text | multiline | date | choice | int | hours | worker | level | checklist | info
    choices: Sequence[tuple[str, Any]] = ()  # (label, value)
    default: Any = None
    help: str = ""

    def spec(self, labels: dict[str, dict[str, str]]) -> Spec:
        if self.kind == "level":
            return Spec(self.key, self.label, "choice", level_items(labels), self.default, self.help)
        return Spec(self.key, self.label, self.kind, self.choices, self.default, self.help, maximum=100_000,
                    wide=self.kind == "multiline")  # a row of its own in a two-to-a-row dialog


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


class ServiceDialog(QDialog):
    """A dialog whose 确定 runs a service (through ``perform``): a refusal shows in ``self.error`` and
    keeps the dialog open, a result closes it and stays in ``result_value``."""

    error: QLabel
    result_value: Any

    def finish(self, op: Callable[[], Changes | Done[Any]]) -> None:
        result: Changes | Done[Any] | None = perform(op, self.windowTitle(), self._problem)
        if result is None:
            return
        self.result_value = result
        super().accept()

    def _problem(self, _title: str, text: str) -> None:
        self.error.setText(text)
        self.error.show()


class FormDialog(ServiceDialog):
    """A heading, an intro, the fields (a :class:`~ui.kit.described_form.DescribedForm`, one to a
    row, or two with ``per_row=2``: a long dialog on a 768-pixel screen), live hints, the problem
    line and 确定/取消."""

    def __init__(self, parent: QWidget | None, app: App, title: str, fields: Sequence[FieldSpec],
                 submit: Callable[[dict[str, Any]], Changes | Done[Any]], *, intro: str = "",
                 preview: Callable[[dict[str, Any]], str] | None = None, per_row: int = 1) -> None:
        super().__init__(parent)
        self.app, self.submit, self.preview = app, submit, preview
        self.result_value: Any = None
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        labels = app.labels()
        self.form = DescribedForm([], labels, self, per_row=per_row, suffix="：", app=app, strip=True)
        for f in fields:
            self.form.add_field(f.spec(labels))
        self.widgets: dict[str, QWidget] = self.form.editors
        heading = dialog_heading(title, self)
        self.hints = QLabel(self)
        self.hints.setObjectName("formHint")
        self.hints.setWordWrap(True)
        self.hints.setTextFormat(Qt.TextFormat.RichText)
        self.error = problem_label(self)
        buttons = ok_cancel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        if intro:
            note = note_label(self, intro)
            layout.addWidget(note)
        layout.addWidget(self.form)
        layout.addWidget(self.hints)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.form.changed.connect(self.update_preview)
        self.update_preview()

    def value(self, key: str) -> Any:
        return self.form.value(key)

    def values(self) -> dict[str, Any]:
        return self.form.values()

    def set(self, key: str, value: Any) -> None:
        """Fill a field as the clerk would (tests, and defaults that depend on other fields)."""
        self.form.set_value(key, value)
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
        self.finish(lambda: self.submit(self.values()))


def result_message(result: Any) -> tuple[str, list[Any]]:
    """What a service's result tells the clerk: its message and the hints it came back with."""
    changes = result.changes if isinstance(result, Done) else result
    hints = result.value if isinstance(result, Done) and isinstance(result.value, list) else []
    return (changes.message if isinstance(changes, Changes) else ""), hints
