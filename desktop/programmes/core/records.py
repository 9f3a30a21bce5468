"""Small reads every programme's services make alike: a record by id or a refusal naming it, the
deletion of one entered by mistake, a settings list in its order, a query narrowed by the values given."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from db.errors import ValidationError

M = TypeVar("M")


def get_or_refuse(session: Session, model: type[M], record_id: int | None, message: str,
                  code: str = "not_found", *, lock: bool = False) -> M:
    """The record ``record_id`` of ``model``; a refusal with ``message`` when there is none (or no id).
    ``lock``: read it ``FOR UPDATE`` (PostgreSQL), so two clerks moving the same record at once
    take turns and the second sees the first's change (SQLite's one writer does this by itself)."""
    found = session.get(model, record_id, with_for_update=lock or None) if record_id is not None else None
    if found is None:
        raise ValidationError(code, message)
    return found


def delete_or_refuse(session: Session, model: type[M], record_id: int, message: str) -> M:
    """Delete a record entered by mistake (a refusal with ``message`` when it is already gone); it comes back."""
    found = get_or_refuse(session, model, record_id, message)
    session.delete(found)
    session.flush()
    return found


def in_order(session: Session, model: type[M], *order: Any, with_retired: bool = True) -> list[M]:
    """A settings list (titles, scoring items) in ``order``; its retired entries only when asked."""
    q = select(model).order_by(*order)
    if not with_retired:
        q = q.where(model.retired.is_(False))  # type: ignore[attr-defined]
    return list(session.scalars(q))


def where_given(q: Select[Any], *pairs: tuple[Any, Any]) -> Select[Any]:
    """``q`` narrowed to ``column == value`` for each (column, value) whose value is given (not None)."""
    for column, value in pairs:
        if value is not None:
            q = q.where(column == value)
    return q
