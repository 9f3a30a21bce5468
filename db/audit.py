"""The audit log: every insert, update and delete of a described record, and every reveal.

Session changes are captured in ``after_flush`` and written with Core on the same
transaction, so the log commits or rolls back with the change it describes. Bulk Core
writes (imports) call :func:`log_rows` themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, event, insert, inspect
from sqlalchemy.orm import Session

from db.database import Actor
from db.fields import describe
from db.models.system import AuditEntry, Setting

_AUDIT = AuditEntry.__table__


def plain(value: Any) -> Any:
    """A JSON-safe copy of a column value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _actor(session: Session) -> Actor:
    actor = session.info.get("actor")
    return actor if isinstance(actor, Actor) else Actor.current()


def _values(obj: object) -> dict[str, Any]:
    cols = [c.name for c in describe(type(obj))] if not isinstance(obj, Setting) else ["key", "value"]
    return {name: plain(getattr(obj, name)) for name in cols}


def _changes(obj: object) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    names = {c.name for c in describe(type(obj))} if not isinstance(obj, Setting) else {"value"}
    for attr in state.attrs:
        if attr.key not in names:
            continue
        hist = attr.history
        if hist.has_changes():
            before = hist.deleted[0] if hist.deleted else None
            after = hist.added[0] if hist.added else None
            if plain(before) != plain(after):
                old[attr.key] = plain(before)
                new[attr.key] = plain(after)
    return old, new


def _record_id(obj: object) -> int | None:
    value = getattr(obj, "id", None)
    return value if isinstance(value, int) else None


def _audited(obj: object) -> bool:
    return isinstance(obj, Setting) or bool(getattr(type(obj), "__table__", None) is not None and describe(type(obj)))


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _ctx: object) -> None:
    actor = _actor(session)
    rows: list[dict[str, Any]] = []

    def add(action: str, obj: object, old: Any, new: Any) -> None:
        rows.append({
            "clerk": actor.clerk, "os_user": actor.os_user, "action": action,
            "table_name": type(obj).__tablename__,  # type: ignore[attr-defined]
            "record_id": _record_id(obj), "old": old, "new": new,
            "note": getattr(obj, "key", "") if isinstance(obj, Setting) else "",
        })

    for obj in session.new:
        if _audited(obj):
            add("insert", obj, None, _values(obj))
    for obj in session.dirty:
        if _audited(obj) and session.is_modified(obj, include_collections=False):
            old, new = _changes(obj)
            if new:
                add("update", obj, old, new)
    for obj in session.deleted:
        if _audited(obj):
            add("delete", obj, _values(obj), None)
    if rows:
        session.connection().execute(insert(_AUDIT), rows)


def log(session: Session | Connection, action: str, table: str, record_id: int | None = None,
        *, old: Any = None, new: Any = None, note: str = "", actor: Actor | None = None) -> None:
    """Log one action that is not a row change (reveal, full export, restore...)."""
    if isinstance(session, Session):
        actor = actor or _actor(session)
        conn = session.connection()
    else:
        conn = session
        actor = actor or Actor.current()
    conn.execute(insert(_AUDIT), [{
        "clerk": actor.clerk, "os_user": actor.os_user, "action": action, "table_name": table,
        "record_id": record_id, "old": old, "new": new, "note": note,
    }])


def log_rows(conn: Connection, action: str, table: str, rows: Iterable[Mapping[str, Any]],
             actor: Actor, *, old_rows: Mapping[int, Mapping[str, Any]] | None = None) -> int:
    """Log a bulk Core insert/update: one entry per row (``rows`` carry their ``id``)."""
    batch = []
    for r in rows:
        rid = r.get("id")
        batch.append({
            "clerk": actor.clerk, "os_user": actor.os_user, "action": action, "table_name": table,
            "record_id": rid, "old": dict(old_rows[rid]) if old_rows and rid in old_rows else None,
            "new": {k: plain(v) for k, v in r.items() if v is not None and k != "id"}, "note": "",
        })
    if batch:
        conn.execute(insert(_AUDIT), batch)
    return len(batch)
