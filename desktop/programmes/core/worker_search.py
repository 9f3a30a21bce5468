"""The one worker search every picker uses: plain rows, masked, labelled from the description. No Qt.

A picker shows some of the workers register's described columns (``db.fields.describe(Worker)``):
their headings are the fields' labels, choices show the clerk's labels, a ``ref`` shows the name
it points to, and an ID number or phone is masked as ``db.privacy`` masks it (the ID keeps its
last ``ID_VISIBLE`` characters, enough to tell namesakes apart). The search matches part of the
name, the pinyin initials, the ID number's tail (or any 4+ characters of it), the work unit or
the trade; exact and leading name matches come first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, or_, select
from sqlalchemy.orm import Session

from db.fields import Column, describe
from db.models.core.registers import Organisation, Worker
from db.privacy import ID_VISIBLE, mask
from desktop.settings import choice_labels

if TYPE_CHECKING:
    from desktop.context import App

#: The columns a picker shows unless it asks for others (described columns of Worker).
DEFAULT_COLUMNS: tuple[str, ...] = ("name", "id_number", "employer_id", "trade")
#: What a ``ref`` column of Worker points to (the only one is the work unit).
_REFS: dict[str, type] = {"organisations": Organisation}
DEFAULT_LIMIT = 60


@dataclass(frozen=True)
class PickerColumn:
    """A picker's column: the described field's name, its label and width in characters."""

    name: str
    label: str
    width: int


def _described() -> dict[str, Column]:
    return {c.name: c for c in describe(Worker)}


def columns(names: Sequence[str] = DEFAULT_COLUMNS) -> list[PickerColumn]:
    """The headings of a picker showing ``names`` (labels from the Worker model's fields)."""
    described = _described()
    return [PickerColumn(n, described[n].label, described[n].field.width) for n in names]


def label(name: str) -> str:
    """The label of one described Worker column (姓名, 身份证号, 工作单位 …)."""
    return _described()[name].label


@dataclass(frozen=True)
class WorkerHit:
    """One worker as a picker shows it; ``cells`` holds the display text of every requested column."""

    id: int
    name: str
    employer: str  # the work unit's name, "" when none
    id_masked: str  # as db.privacy masks it
    id_tail: str  # the last ID_VISIBLE characters (all a masked ID shows)
    cells: dict[str, str]

    def cell(self, name: str) -> str:
        return self.cells.get(name, "")

    @property
    def trade(self) -> str:
        return self.cells.get("trade", "")


def _text(col: Column, value: Any, labels: dict[str, dict[str, str]]) -> str:
    if value is None or value == "":
        return ""
    f = col.field
    if f.kind == "choice" and f.choices:
        return labels.get(f.choices, {}).get(value, str(value))
    if f.privacy != "public":
        return str(mask(str(value) if not hasattr(value, "isoformat") else value, f.privacy))
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _statement(names: Sequence[str]) -> tuple[Any, list[Column]]:
    described = _described()
    wanted = list(dict.fromkeys(["name", "id_number", "employer_id", *names]))
    cols = [described[n] for n in wanted]
    exprs: list[Any] = [Worker.id]
    stmt_joins: list[Any] = []
    for c in cols:
        if c.field.kind == "ref" and c.field.ref in _REFS:
            target = _REFS[c.field.ref].__table__.alias(f"ref_{c.name}")  # type: ignore[attr-defined]
            stmt_joins.append((target, getattr(Worker, c.name) == target.c.id))
            exprs.append(target.c.name)
        else:
            exprs.append(getattr(Worker, c.name))
    stmt = select(*exprs)
    for target, cond in stmt_joins:
        stmt = stmt.outerjoin(target, cond)
    return stmt, cols


def _hits(session: Session, stmt: Any, cols: list[Column], labels: dict[str, dict[str, str]]) -> list[WorkerHit]:
    out: list[WorkerHit] = []
    for row in session.execute(stmt):
        raw = dict(zip((c.name for c in cols), row[1:], strict=True))
        cells = {c.name: _text(c, raw[c.name], labels) for c in cols}
        id_number = str(raw.get("id_number") or "")
        out.append(WorkerHit(row[0], str(raw.get("name") or ""), cells.get("employer_id", ""),
                             cells.get("id_number", ""), id_number[-ID_VISIBLE:], cells))
    return out


def _looks_like_id(words: str) -> bool:
    return words.isascii() and all(ch.isdigit() or ch in "xX" for ch in words)


def search_in(session: Session, text: str, labels: dict[str, dict[str, str]] | None = None, *,
              names: Sequence[str] = DEFAULT_COLUMNS, limit: int = DEFAULT_LIMIT) -> list[WorkerHit]:
    """Workers matching ``text`` (all workers, by name, when it is blank), at most ``limit``."""
    stmt, cols = _statement(names)
    words = " ".join(text.split())
    if words:
        like = f"%{words}%"
        employer = stmt.selected_columns[1 + [c.name for c in cols].index("employer_id")]
        conditions = [Worker.name.like(like), Worker.name_initials.like(f"{words.lower()}%"),
                      employer.like(like), Worker.trade.like(like)]
        if _looks_like_id(words) and len(words) >= ID_VISIBLE:
            conditions.append(Worker.id_number.like(f"%{words.upper()}"))  # the tail a masked ID shows
        if len(words) >= 4:
            conditions.append(Worker.id_number.like(f"%{words.upper()}%"))
        first = case((Worker.name == words, 0), (Worker.name.like(f"{words}%"), 1),
                     (Worker.name_initials.like(f"{words.lower()}%"), 2), else_=3)
        stmt = stmt.where(or_(*conditions)).order_by(first)
    stmt = stmt.order_by(Worker.name, Worker.id).limit(limit)
    return _hits(session, stmt, cols, labels or {})


def hits_in(session: Session, ids: Iterable[int], labels: dict[str, dict[str, str]] | None = None, *,
            names: Sequence[str] = DEFAULT_COLUMNS) -> list[WorkerHit]:
    """The given workers (those still in the register), in the order of ``ids``."""
    wanted = list(dict.fromkeys(int(i) for i in ids))
    if not wanted:
        return []
    stmt, cols = _statement(names)
    found = {h.id: h for h in _hits(session, stmt.where(Worker.id.in_(wanted)), cols, labels or {})}
    return [found[i] for i in wanted if i in found]


def search(app: App, text: str, *, names: Sequence[str] = DEFAULT_COLUMNS,
           limit: int = DEFAULT_LIMIT) -> list[WorkerHit]:
    """:func:`search_in` over the open app (the choice lists' labels as the clerk named them)."""
    with app.db.session() as s:
        return search_in(s, text, choice_labels(s), names=names, limit=limit)


def hits(app: App, ids: Iterable[int], *, names: Sequence[str] = DEFAULT_COLUMNS) -> list[WorkerHit]:
    """:func:`hits_in` over the open app."""
    with app.db.session() as s:
        return hits_in(s, ids, choice_labels(s), names=names)


def hit(app: App, worker_id: int, *, names: Sequence[str] = DEFAULT_COLUMNS) -> WorkerHit | None:
    found = hits(app, [worker_id], names=names)
    return found[0] if found else None
