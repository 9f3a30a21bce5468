"""The register table model: generated from the record description, over plain tuples.

It holds a :class:`desktop.records.RecordTable` (tuples of display values plus a lower-case
search key per row) and a list of the visible row indices. Filtering and sorting rebuild
that list in Python (``filter_indices``, ``sort_indices``); there is no proxy model, which
would cost seconds per keystroke on 100,000 rows. ID and phone numbers are masked unless
the clerk revealed them for a row (audit-logged through ``desktop.programmes.core.registers.reveal_values``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from db.fields import CONTACT, ID_NUMBER, PHONE, PUBLIC, SENSITIVE, Column
from desktop.records import RecordTable, display, filter_indices, shown_label, sort_indices

if TYPE_CHECKING:
    from desktop.context import App

#: The record id of a row (``int``).
RecordIdRole = int(Qt.ItemDataRole.UserRole) + 1
#: The unmasked value of a cell (for copying after a reveal, and for tests).
RawValueRole = int(Qt.ItemDataRole.UserRole) + 2

_Index = QModelIndex | QPersistentModelIndex
_CENTRED = {"id_number", "phone", "date", "datetime", "credit_code"}
_MASKED = (ID_NUMBER, PHONE, CONTACT, SENSITIVE)
_MASK_COLOUR = QColor("#6b7280")


def _narrows(old: str, new: str) -> bool:
    """True when every row matching ``new`` also matches ``old`` (each old word is in a new word)."""
    old_words = old.lower().split()
    new_words = new.lower().split()
    return bool(old_words) and all(any(o in n for n in new_words) for o in old_words)


def _empty_table(columns: Sequence[Column] = ()) -> RecordTable:
    return RecordTable(list(columns), [], [], [])


class RecordTableModel(QAbstractTableModel):
    """Rows of one register, filtered and sorted in the model itself."""

    def __init__(self, kind: str, columns: Sequence[Column] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self.kind = kind  # "workers" / "organisations": the key desktop.programmes.core.registers knows
        self._table = _empty_table(columns)
        self._filter = ""
        self._sort_column = -1
        self._descending = False
        self._order: list[int] | None = None  # all indices in sort order, when sorted
        self._order_keys: list[str] | None = None  # keys in that order, for filtering
        self._sorted: dict[tuple[int, bool], list[int]] = {}  # orders computed since the rows changed
        self._visible: list[int] = []
        self._revealed: set[int] = set()  # record ids shown unmasked
        self._setup_columns()

    # ----------------------------------------------------------------- data in

    def _setup_columns(self) -> None:
        cols = self._table.columns
        self._privacy = [c.field.privacy for c in cols]
        self._masked_cols = [i for i, p in enumerate(self._privacy) if p in _MASKED]
        align = []
        for c in cols:
            if c.field.kind == "int":
                align.append(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            elif c.field.kind in _CENTRED or (c.field.kind == "choice" and c.field.width <= 6):
                align.append(Qt.AlignmentFlag.AlignCenter)
            else:
                align.append(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._align = align

    def set_table(self, table: RecordTable) -> None:
        """Replace every row, keeping the filter, the sort and reveals of ids still present."""
        self.beginResetModel()
        columns_changed = [c.name for c in table.columns] != [c.name for c in self._table.columns]
        self._table = table
        if columns_changed:
            self._setup_columns()
            self._sort_column = -1
        present = set(table.ids) if self._revealed else set()
        self._revealed &= present
        self._resort()
        self._refilter()
        self.endResetModel()

    @property
    def table(self) -> RecordTable:
        return self._table

    @property
    def columns(self) -> list[Column]:
        return self._table.columns

    def upsert(self, part: RecordTable) -> None:
        """Insert or replace the rows of ``part`` (one saved record, loaded with load_table)."""
        t = self._table
        position = {rid: i for i, rid in enumerate(t.ids)} if len(part.ids) > 1 else None
        for rid, row, key in zip(part.ids, part.rows, part.keys, strict=True):
            i = position.get(rid) if position is not None else self._find(rid)
            if i is None:
                t.ids.append(rid)
                t.rows.append(row)
                t.keys.append(key)
            else:
                t.rows[i] = row
                t.keys[i] = key
        self.beginResetModel()
        self._resort()
        self._refilter()
        self.endResetModel()

    def remove(self, record_id: int) -> None:
        i = self._find(record_id)
        if i is None:
            return
        t = self._table
        self.beginResetModel()
        del t.ids[i], t.rows[i], t.keys[i]
        self._revealed.discard(record_id)
        self._resort()
        self._refilter()
        self.endResetModel()

    def _find(self, record_id: int) -> int | None:
        try:
            return self._table.ids.index(record_id)
        except ValueError:
            return None

    # ----------------------------------------------------------------- filter and sort

    def set_filter(self, text: str) -> None:
        """Show the rows whose search key holds every word of ``text``."""
        text = text.strip()
        if text == self._filter:
            return
        # Typing on narrows the rows shown: search only those (when they are few enough to pay).
        narrowing = _narrows(self._filter, text) and len(self._visible) * 2 < len(self._table.keys)
        self.beginResetModel()
        self._filter = text
        if narrowing:  # typing on: the new matches are among the rows shown, in their order
            keys = self._table.keys
            shown = self._visible
            self._visible = [shown[p] for p in filter_indices([keys[i] for i in shown], text)]
        else:
            self._refilter()
        self.endResetModel()

    def filter_text(self) -> str:
        return self._filter

    def _refilter(self) -> None:
        if self._order is None:
            self._visible = filter_indices(self._table.keys, self._filter)
        elif not self._filter:
            self._visible = list(self._order)
        else:
            order = self._order
            assert self._order_keys is not None
            self._visible = [order[p] for p in filter_indices(self._order_keys, self._filter)]

    def _resort(self, *, changed: bool = True) -> None:
        """Recompute the sorted order; ``changed`` when the rows changed (drop cached orders)."""
        if changed:
            self._sorted.clear()
        if self._sort_column < 0 or self._sort_column >= len(self._table.columns):
            self._order = self._order_keys = None
            return
        key = (self._sort_column, self._descending)
        if key not in self._sorted:
            everything = list(range(len(self._table.rows)))
            self._sorted[key] = sort_indices(self._table.rows, everything, self._sort_column, self._descending)
        self._order = self._sorted[key]
        keys = self._table.keys
        self._order_keys = [keys[i] for i in self._order]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort every row by one column (empty values last); column -1 restores the natural order."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_ids = [self._visible[i.row()] if 0 <= i.row() < len(self._visible) else None for i in old]
        self._sort_column = column
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._resort(changed=False)
        self._refilter()
        where = {idx: r for r, idx in enumerate(self._visible)}
        new = []
        for p, rid in zip(old, old_ids, strict=True):
            r = where.get(rid) if rid is not None else None
            new.append(self.index(r, p.column()) if r is not None else QModelIndex())
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def sort_state(self) -> tuple[int, bool]:
        return self._sort_column, self._descending

    # ----------------------------------------------------------------- reveal

    def reveal(self, row: int, app: App) -> dict[str, str]:
        """Show the full ID/phone numbers of one visible row; each look is audit-logged first."""
        from desktop.programmes.core.registers import reveal_values

        index = self._visible[row]
        rid = self._table.ids[index]
        names = [self._table.columns[c].name for c in self._masked_cols]
        full = reveal_values(app, self.kind, rid, names)
        values = list(self._table.rows[index])
        for c, name in zip(self._masked_cols, names, strict=True):
            values[c] = full.get(name) or None
        self._table.rows[index] = tuple(values)
        self._revealed.add(rid)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        return {name: full.get(name, "") for name in names}

    def is_revealed(self, row: int) -> bool:
        return self._table.ids[self._visible[row]] in self._revealed

    def has_private_columns(self) -> bool:
        return bool(self._masked_cols)

    def hide_revealed(self) -> None:
        if self._revealed:
            self._revealed.clear()
            if self._visible:
                self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    # ----------------------------------------------------------------- lookups

    def record_id(self, row: int) -> int:
        return self._table.ids[self._visible[row]]

    def row_of(self, record_id: int) -> int | None:
        i = self._find(record_id)
        if i is None:
            return None
        try:
            return self._visible.index(i)
        except ValueError:
            return None

    def visible_ids(self) -> list[int]:
        ids = self._table.ids
        return [ids[i] for i in self._visible]

    def total(self) -> int:
        return len(self._table.rows)

    def value(self, row: int, column: int, *, full: bool = False) -> Any:
        """The value as shown (masked unless revealed or ``full``)."""
        index = self._visible[row]
        value = self._table.rows[index][column]
        if full or self._privacy[column] == PUBLIC or self._table.ids[index] in self._revealed:
            return value
        return display(self._table.columns[column], value, full=False)

    # ----------------------------------------------------------------- Qt interface

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._table.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.ToolTipRole:
            value = self.value(row, col)
            if value is None:
                return "" if role == Qt.ItemDataRole.DisplayRole else None
            if role == Qt.ItemDataRole.ToolTipRole:
                return str(value) if len(str(value)) > self._table.columns[col].field.width else None
            return value if isinstance(value, str) else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._align[col]
        if role == RecordIdRole:
            return self._table.ids[self._visible[row]]
        if role == RawValueRole:
            return self._table.rows[self._visible[row]][col]
        if role == Qt.ItemDataRole.ForegroundRole and col in self._masked_cols and not self.is_revealed(row):
            return QBrush(_MASK_COLOUR)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self._table.columns):
                return None
            column = self._table.columns[section]
            f = column.field
            if role == Qt.ItemDataRole.DisplayRole:
                return shown_label(column, full=False)  # rows are masked until revealed: 出生年月
            if role == Qt.ItemDataRole.ToolTipRole:
                return f.help or f.label
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return Qt.AlignmentFlag.AlignCenter
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
