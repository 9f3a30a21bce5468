"""Registers as plain data, read from the one record description (db.fields).

The table model, the exporter and the printed roster all take rows from here: tuples of
display values with a lower-case search key per row, never ORM objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from db.fields import BIRTH, CONTACT, ID_NUMBER, PHONE, Column, describe
from db.privacy import mask
from reports.spec import ColumnSpec

if TYPE_CHECKING:
    from desktop.context import App


def ref_model(key: str) -> type:
    """The model a ``ref`` field or report parameter names (declared by its programme)."""
    from desktop import registry

    return registry.ref_models()[key]


def ref_choices(app: App, key: str) -> list[tuple[int, str]]:
    """(id, name) of every record a ``ref`` field or report parameter ``key`` may point to, by
    name: the choices of a form's or a report's reference combo."""
    model = ref_model(key)
    with app.db.session() as s:
        rows = s.execute(select(model.id, model.name).order_by(model.name)).all()  # type: ignore[attr-defined]
    return [(int(i), str(n)) for i, n in rows]


def sequence_column() -> ColumnSpec:
    """The 序号 column a printed list starts with (a row number, not a stored field)."""
    return ColumnSpec("seq", "序号", 5, "int")


def table_columns(model: type) -> list[Column]:
    return [c for c in describe(model) if c.field.in_table]


def report_kind(col: Column) -> str:
    return {"id_number": "id", "date": "date", "int": "int"}.get(col.field.kind, "text")


def column_specs(columns: Sequence[Column], *, full: bool = True) -> list[ColumnSpec]:
    """The plain column spec ``reports`` receives (it never sees the models); ``full=False``:
    the headings of masked rows (a birth date there is 出生年月)."""
    return [ColumnSpec(c.name, shown_label(c, full=full), c.field.width, report_kind(c)) for c in columns]


def shown_label(col: Column, *, full: bool) -> str:
    """The column's heading as a masked (``full=False``) or whole output shows it."""
    if not full and col.field.privacy == BIRTH:
        return "出生年月"
    return col.label


@dataclass
class RecordTable:
    """A register's rows as tuples (display values, not masked) plus search keys."""

    columns: list[Column]
    ids: list[int]
    rows: list[tuple[Any, ...]]
    keys: list[str]

    def masked_row(self, index: int, full: bool = False) -> tuple[Any, ...]:
        row = self.rows[index]
        if full:
            return row
        return tuple(display(c, v, full=False) for c, v in zip(self.columns, row, strict=True))


#: Privacy classes every masked output masks (db.privacy): beside a masked ID number only the
#: last 3 of its characters, the sex and the year and month of birth are ever shown.
MASKED_CLASSES = (ID_NUMBER, PHONE, CONTACT, BIRTH)


def display(col: Column, value: Any, *, full: bool) -> Any:
    """``value`` as an output shows it: whole with ``full`` (revealed, audit-logged), else masked.

    Every masked path (the register table, the worker page, ``export`` and the roster) comes
    through here, so a birth date beside a masked ID number is always its year and month only.
    """
    if value is None or value == "":
        return value
    if not full and col.field.privacy in MASKED_CLASSES:
        return mask(value if col.field.privacy == BIRTH else str(value), col.field.privacy)
    return value


def _select(model: type, columns: Sequence[Column]) -> Select[Any]:
    """SELECT id, the described columns (refs as the referenced name), plus search extras."""
    exprs: list[Any] = [model.id]  # type: ignore[attr-defined]
    joins: list[Any] = []
    for c in columns:
        if c.field.kind == "ref" and c.field.ref:
            target = ref_model(c.field.ref)
            alias = target.__table__.alias(f"ref_{c.name}")  # type: ignore[attr-defined]
            joins.append((alias, getattr(model, c.name) == alias.c.id))
            exprs.append(alias.c.name)
        else:
            exprs.append(getattr(model, c.name))
    if hasattr(model, "name_initials"):  # searched, not shown
        exprs.append(model.name_initials)  # type: ignore[attr-defined]
    stmt = select(*exprs)
    for alias, cond in joins:
        stmt = stmt.outerjoin(alias, cond)
    return stmt.order_by(model.id)  # type: ignore[attr-defined]


def load_table(session: Session, model: type, labels: dict[str, dict[str, str]],
               columns: Sequence[Column] | None = None, where: Any = None,
               limit: int | None = None) -> RecordTable:
    cols = list(columns) if columns is not None else table_columns(model)
    stmt = _select(model, cols)
    if where is not None:
        stmt = stmt.where(where)
    if limit is not None:
        stmt = stmt.limit(limit)
    convert = [_converter(c, labels) for c in cols]
    searchable = [i for i, c in enumerate(cols) if c.field.kind in ("name", "id_number", "phone", "ref", "text")]
    n = len(cols)
    ids: list[int] = []
    rows: list[tuple[Any, ...]] = []
    keys: list[str] = []
    # Streamed, so 100,000 raw rows are never held at once beside the table being built.
    for raw in session.connection().execute(stmt.execution_options(yield_per=5000)):
        values = tuple(f(v) if f else v for f, v in zip(convert, raw[1 : n + 1], strict=True))
        ids.append(raw[0])
        rows.append(values)
        parts = [str(values[i]) for i in searchable if values[i]]
        parts.extend(str(x) for x in raw[n + 1 :] if x)
        keys.append("\x1f".join(parts).lower())
    return RecordTable(cols, ids, rows, keys)


def _converter(col: Column, labels: dict[str, dict[str, str]]) -> Any:
    """Turns a stored value into what the table shows. Values that repeat (labels, employers,
    trades, dates) come out as one shared string each: 100,000 rows then hold a few thousand
    strings, not 100,000 copies."""
    kind = col.field.kind
    if kind == "choice" and col.field.choices:
        names = labels.get(col.field.choices, {})
        return lambda v: names.get(v, v) if v is not None else None
    if kind in ("name", "id_number", "phone", "multiline"):
        return None  # unique per row: nothing to share
    shared: dict[Any, Any] = {}

    def share(v: Any) -> Any:
        if v is None:
            return None
        out = shared.get(v)
        if out is None:
            out = shared[v] = (f"{v:%Y-%m-%d %H:%M}" if isinstance(v, datetime) else v.isoformat() if isinstance(v, date)
                               else v)
        return out

    return share


def filter_indices(keys: Sequence[str], text: str) -> list[int]:
    """Rows whose search key holds every word of ``text`` (case-insensitive)."""
    words = text.lower().split()
    if not words:
        return list(range(len(keys)))
    if len(words) == 1:
        w = words[0]
        return [i for i, k in enumerate(keys) if w in k]
    return [i for i, k in enumerate(keys) if all(w in k for w in words)]


def sort_indices(rows: Sequence[tuple[Any, ...]], indices: list[int], column: int, descending: bool) -> list[int]:
    """Sort row indices by one column; empty values last either way."""
    present = [i for i in indices if rows[i][column] not in (None, "")]
    empty = [i for i in indices if rows[i][column] in (None, "")]
    present.sort(key=lambda i: _sort_key(rows[i][column]), reverse=descending)
    return present + empty


def _sort_key(value: Any) -> Any:
    if isinstance(value, int | float):
        return (0, value, "")
    return (1, 0, str(value))
