"""The competitions tab's score grid: one row per entry, a column per judge and part (or per
team round), then the part averages, total, place and prize, recomputed as marks are typed.

Keyboard: typing a digit starts editing the cell; Tab moves right (to the next row at the
end), Enter moves down (to the top of the next score column at the bottom), Shift+Tab back,
Delete clears a mark, Esc cancels. A bad mark is refused inline: the cell turns red with the
typed text, the reason shows under the grid, nothing is stored and the cursor stays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desktop.programmes.competitions import rules
from desktop.programmes.competitions.queries import EventGrid, GridRow, headings

Index = QModelIndex | QPersistentModelIndex
#: (entry id, part, judge, typed text) -> (None, outcomes) when stored, or (message, None) when refused.
Writer = Callable[[int, str, int, str], tuple[str | None, dict[int, rules.Outcome] | None]]

RED_FILL, RED_TEXT = QColor("#fde2e1"), QColor("#b71c1c")
COMPUTED_FILL = QColor("#f6f7f9")
PRIZE_COLOURS = {"first": "#b71c1c", "second": "#c2410c", "third": "#1d4ed8", "merit": "#047857"}


def tr(text: str) -> str:
    return QCoreApplication.translate("ScoreGrid", text)


def fmt(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class GridColumn:
    key: str  # number | name | employer | members | mark | theory | practical | ... | total | rank | prize | medal
    title: str
    part: str = ""
    judge: int = 0
    width: int = 60

    @property
    def editable(self) -> bool:
        return self.key == "mark"


def grid_columns(grid: EventGrid) -> list[GridColumn]:
    h = headings()  # the entries' own labels (参赛号, 姓名, 单位, 总成绩 …) from their field descriptions
    cols = [GridColumn("number", h["number"], width=52)]
    if grid.kind == rules.TEAM:
        cols += [GridColumn("name", h["team"], width=190), GridColumn("members", h["members"], width=170)]
        cols += [GridColumn("mark", tr(rules.PART_LABELS[p]), p, 1, 60) for p in rules.TEAM_PARTS]
    else:
        cols += [GridColumn("name", h["name"], width=70), GridColumn("employer", h["unit"], width=112)]
        parts = [p for p, w in ((rules.THEORY, grid.rules.theory_weight), (rules.PRACTICAL, grid.rules.practical_weight))
                 if w]
        for p in parts:
            label = rules.PART_LABELS[p]
            cols += [GridColumn("mark", f"{label}{j}", p, j, 46) for j in range(1, grid.judges + 1)]
        cols += [GridColumn(p, tr(rules.PART_LABELS[p]), width=52) for p in parts]
    cols += [GridColumn("total", h["total"], width=58), GridColumn("rank", h["rank"], width=40),
             GridColumn("prize", h["prize"], width=56)]
    return cols


class ScoreModel(QAbstractTableModel):
    """The marks of one event; writes go through ``writer`` (the tab's call to the service)."""

    refused = Signal(str)  # the reason a typed mark was not stored
    stored = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.grid: EventGrid | None = None
        self.columns: list[GridColumn] = []
        self.rows: list[GridRow] = []
        self.outcomes: dict[int, rules.Outcome] = {}
        self.invalid: dict[tuple[int, int], tuple[str, str]] = {}  # (row, col) -> (typed text, reason)
        self.prize_labels: dict[str, str] = dict(rules.PRIZE_LABELS)
        self.writer: Writer | None = None
        self._rejected = False
        self.filter_text = ""
        self._shown: list[int] = []

    def set_grid(self, grid: EventGrid | None) -> None:
        self.beginResetModel()
        self.grid = grid
        self.columns = grid_columns(grid) if grid is not None else []
        self.rows = list(grid.rows) if grid is not None else []
        self.outcomes = dict(grid.outcomes) if grid is not None else {}
        self.invalid.clear()
        self._refilter()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        self.beginResetModel()
        self.filter_text = text.strip().lower()
        self.invalid.clear()
        self._refilter()
        self.endResetModel()

    def _refilter(self) -> None:
        words = self.filter_text.split()
        self._shown = [i for i, r in enumerate(self.rows)
                       if all(w in f"{r.number} {r.name} {r.employer} {r.members}".lower() for w in words)]

    def row_data(self, row: int) -> GridRow:
        return self.rows[self._shown[row]]

    def row_of(self, entry_id: int) -> int | None:
        for i, k in enumerate(self._shown):
            if self.rows[k].entry_id == entry_id:
                return i
        return None

    # -- Qt model ---------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            col = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return col.title
            if role == Qt.ItemDataRole.ToolTipRole and col.key == "mark":
                if self.grid is not None and self.grid.kind == rules.TEAM:
                    return tr("%1得分（不小于 0）").replace("%1", rules.PART_LABELS[col.part])
                return tr("第 %1 位评委的%2成绩（0–100）").replace("%1", str(col.judge)) \
                    .replace("%2", rules.PART_LABELS[col.part])
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and self.columns[index.column()].editable:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        row, col = self.row_data(r), self.columns[c]
        bad = self.invalid.get((r, c))
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if bad is not None:
                return bad[0]
            return self._text(row, col)
        if role == Qt.ItemDataRole.BackgroundRole:
            if bad is not None:
                return QBrush(RED_FILL)
            if not col.editable and col.key not in ("number", "name", "employer", "members"):
                return QBrush(COMPUTED_FILL)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if bad is not None:
                return QBrush(RED_TEXT)
            if col.key == "prize":
                code = self.outcomes.get(row.entry_id, rules.Outcome(row.entry_id)).prize
                return QBrush(QColor(PRIZE_COLOURS.get(code or "", "#1f2937")))
            return None
        if role == Qt.ItemDataRole.FontRole and col.key in ("total", "prize", "rank"):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if bad is not None:
                return bad[1]
            if col.key == "members":
                return row.members
            if col.key == "name" and row.recommended:
                return tr("已推荐申报五一劳动奖章")
            if col.key == "total" and self.grid is not None and self.grid.kind != rules.TEAM:
                o = self.outcomes.get(row.entry_id)
                r = self.grid.rules
                if o is not None and o.total is not None:
                    return tr("理论 %1 × %2% + 实操 %3 × %4% = %5").replace("%1", fmt(o.theory)) \
                        .replace("%2", str(r.theory_weight)).replace("%3", fmt(o.practical)) \
                        .replace("%4", str(r.practical_weight)).replace("%5", f"{o.total:.2f}")
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col.key in ("name", "employer", "members"):
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _text(self, row: GridRow, col: GridColumn) -> str:
        o = self.outcomes.get(row.entry_id) or rules.Outcome(row.entry_id)
        key = col.key
        if key == "mark":
            return fmt(row.marks.get((col.part, col.judge)))
        if key == "name" and row.recommended:
            return f"{row.name} ★"
        if key in ("number", "name", "employer", "members"):
            return str(getattr(row, key) or "")
        if key == "rank":
            return str(o.rank) if o.rank else ""
        if key == "prize":
            return self.prize_labels.get(o.prize, o.prize) if o.prize else ""
        value = {rules.THEORY: o.theory, rules.PRACTICAL: o.practical, "total": o.total}.get(key)
        return fmt(value) if key != "total" or value is None else f"{value:.2f}"

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        r, c = index.row(), index.column()
        col = self.columns[c]
        if not col.editable or self.writer is None:
            return False
        row = self.row_data(r)
        text = "" if value is None else str(value).strip()
        try:
            parsed = rules.parse_score(text, col.part)
        except ValueError as exc:
            return self._refuse(r, c, text, getattr(exc, "message", str(exc)))
        if parsed == row.marks.get((col.part, col.judge)) and (r, c) not in self.invalid:
            return True  # unchanged
        problem, outcomes = self.writer(row.entry_id, col.part, col.judge, text)
        if problem is not None or outcomes is None:
            return self._refuse(r, c, text, problem or tr("未能保存"))
        self.invalid.pop((r, c), None)
        if parsed is None:
            row.marks.pop((col.part, col.judge), None)
        else:
            row.marks[(col.part, col.judge)] = parsed
        self.outcomes = outcomes
        self.dataChanged.emit(self.index(r, c), self.index(r, c))
        first = next((i for i, k in enumerate(self.columns) if not k.editable and i > c), c)
        self.dataChanged.emit(self.index(0, first), self.index(self.rowCount() - 1, self.columnCount() - 1))
        self.stored.emit()
        return True

    def _refuse(self, r: int, c: int, text: str, message: str) -> bool:
        self.invalid[(r, c)] = (text, message)
        self._rejected = True
        self.dataChanged.emit(self.index(r, c), self.index(r, c))
        self.refused.emit(message)
        return False

    def take_rejected(self) -> bool:
        rejected, self._rejected = self._rejected, False
        return rejected

    def set_recommended(self, entry_id: int, flag: bool) -> None:
        r = self.row_of(entry_id)
        for row in self.rows:
            if row.entry_id == entry_id:
                row.recommended = flag
        if r is not None:
            self.dataChanged.emit(self.index(r, 0), self.index(r, self.columnCount() - 1))

    def editable_columns(self) -> list[int]:
        return [i for i, c in enumerate(self.columns) if c.editable]


class ScoreDelegate(QStyledItemDelegate):
    """A line editor that starts with its text selected (typing replaces the mark)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        editor.setObjectName("scoreEditor")
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QLineEdit)
        editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        editor.selectAll()

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QLineEdit)
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class ScoreView(QTableView):
    """The grid; Tab/Enter move on to the next mark, a refused mark keeps the cursor."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scoreGrid")
        self.setItemDelegate(ScoreDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setTabKeyNavigation(True)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setStretchLastSection(True)
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 12)
        vertical.hide()  # 参赛号 numbers the rows

    def score_model(self) -> ScoreModel:
        model = self.model()
        assert isinstance(model, ScoreModel)
        return model

    def size_columns(self) -> None:
        """Widths from the columns' design; marks and units narrower when they would not fit."""
        unit = max(self.fontMetrics().horizontalAdvance("中"), 12) / 13
        columns = self.score_model().columns
        widths = [col.width * unit for col in columns]
        room = self.viewport().width() or self.width()
        excess = sum(widths) - room
        floors = {"employer": 80, "members": 110, "name": 64, "mark": 44}
        for keys in (("employer", "members", "name"), ("mark",)):
            cols = [i for i, col in enumerate(columns) if col.key in keys]
            while excess > 0.5 and cols:
                share = excess / len(cols)
                for i in list(cols):
                    cut = min(share, widths[i] - floors[columns[i].key] * unit)
                    if cut <= 0.5:
                        cols.remove(i)
                        continue
                    widths[i] -= cut
                    excess -= cut
        for i, w in enumerate(widths):
            self.setColumnWidth(i, int(w))

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width() and self.score_model().columns:
            self.size_columns()

    # -- moving on ------------------------------------------------------------------------------------

    def next_cell(self, index: QModelIndex, how: str) -> QModelIndex:
        """The next editable cell: ``right`` (then the next row), ``left``, or ``down`` (then the
        top of the next score column)."""
        model = self.score_model()
        cols = model.editable_columns()
        rows = model.rowCount()
        if not cols or rows == 0:
            return QModelIndex()
        if not index.isValid():
            return model.index(0, cols[0])
        r, c = index.row(), index.column()
        if how == "down":
            if r + 1 < rows:
                return model.index(r + 1, c)
            later = [x for x in cols if x > c]
            return model.index(0, later[0]) if later else index
        cells = [(rr, cc) for rr in range(rows) for cc in cols]
        if how == "right":
            after = next((cell for cell in cells if cell > (r, c)), None)
        else:
            after = next((cell for cell in reversed(cells) if cell < (r, c)), None)
        return model.index(*after) if after is not None else index

    def go(self, index: QModelIndex, *, edit: bool = True) -> None:
        if not index.isValid():
            return
        self.setCurrentIndex(index)
        self.scrollTo(index)
        if edit and index.flags() & Qt.ItemFlag.ItemIsEditable:
            self.edit(index)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        here = QModelIndex(self.currentIndex())
        rejected = self.score_model().take_rejected()
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        if rejected:
            self.setCurrentIndex(here)
            return
        if hint == QAbstractItemDelegate.EndEditHint.EditNextItem:
            self.go(self.next_cell(here, "right"))
        elif hint == QAbstractItemDelegate.EndEditHint.EditPreviousItem:
            self.go(self.next_cell(here, "left"))
        elif hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            self.go(self.next_cell(here, "down"))

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        if action == QAbstractItemView.CursorAction.MoveNext:
            return self.next_cell(self.currentIndex(), "right")
        if action == QAbstractItemView.CursorAction.MovePrevious:
            return self.next_cell(self.currentIndex(), "left")
        return super().moveCursor(action, modifiers)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.go(self.next_cell(self.currentIndex(), "down"), edit=False)
            return
        if not editing and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            index = self.currentIndex()
            if index.isValid() and index.flags() & Qt.ItemFlag.ItemIsEditable:
                self.score_model().setData(index, "", Qt.ItemDataRole.EditRole)
                self.score_model().take_rejected()
            return
        super().keyPressEvent(event)
