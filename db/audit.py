"""The audit log: every insert, update and delete of a described record, and every reveal.

Session changes are captured in ``after_flush`` and written with Core on the same
transaction, so the log commits or rolls back with the change it describes. Bulk Core
writes (imports) call :func:`log_rows` themselves.

The log never holds a whole ID or phone number: a column whose field privacy is ID_NUMBER
or PHONE is stored masked (:func:`db.privacy.mask`), and ID- and phone-shaped numbers in
free text and in the note are masked too (:func:`db.privacy.mask_numbers`). A sensitive
(protected, db.protected) column is stored as 「（受保护）」, never its value.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, event, inspect
from sqlalchemy.orm import Session

from db import audit_chain
from db.actor import Actor
from db.base import Base
from db.error_messages import describe_error, translate
from db.errors import DatabaseProblem
from db.fields import CONTACT, ID_NUMBER, PHONE, SENSITIVE, Field, describe
from db.models.system import AuditEntry, Setting
from db.privacy import mask_numbers
from db.protected import PROTECTED_COLUMNS, PROTECTED_TEXT

_AUDIT = AuditEntry.__table__
#: Kinds of free text where a clerk may have typed a number (masked like the note).
_FREE_TEXT = ("text", "multiline", "name")


def plain(value: Any) -> Any:
    """A JSON-safe copy of a column value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@functools.lru_cache(maxsize=1024)
def _field(table: str, column: str) -> Field | None:
    t = Base.metadata.tables.get(table)
    col = t.c.get(column) if t is not None else None
    f = col.info.get("field") if col is not None else None
    return f if isinstance(f, Field) else None


def masked_value(table: str, column: str, value: Any) -> Any:
    """``value`` as the audit log stores it: ID and phone columns masked, numbers in text masked,
    a sensitive (protected) column never in clear: 「（受保护）」."""
    if value is None:
        return None
    f = _field(table, column)
    if (f is not None and f.privacy == SENSITIVE) or (table, column) in PROTECTED_COLUMNS:
        return value if value == "" else PROTECTED_TEXT
    if f is not None and f.privacy in (ID_NUMBER, PHONE, CONTACT):
        from db.privacy import mask

        return mask(value, f.privacy)
    if isinstance(value, str) and (f is None or f.kind in _FREE_TEXT):
        return mask_numbers(value)
    return value


def masked_values(table: str, values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A row's values for the audit log (see :func:`masked_value`)."""
    if values is None:
        return None
    return {k: masked_value(table, k, v) for k, v in values.items()}


def _stored(table: str, values: Any) -> Any:
    return masked_values(table, values) if isinstance(values, Mapping) else values


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
        table = type(obj).__tablename__  # type: ignore[attr-defined]
        if not isinstance(obj, Setting):
            old, new = _stored(table, old), _stored(table, new)
        rows.append({
            "clerk": actor.clerk, "os_user": actor.os_user, "account": actor.account, "action": action,
            "table_name": table, "record_id": _record_id(obj), "old": old, "new": new,
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
        audit_chain.append(session.connection(), rows)


def log(session: Session | Connection, action: str, table: str, record_id: int | None = None,
        *, old: Any = None, new: Any = None, note: str = "", actor: Actor | None = None) -> None:
    """Log one action that is not a row change (reveal, full export, restore...)."""
    if isinstance(session, Session):
        actor = actor or _actor(session)
        conn = session.connection()
    else:
        conn = session
        actor = actor or Actor.current()
    audit_chain.append(conn, [{
        "clerk": actor.clerk, "os_user": actor.os_user, "account": actor.account, "action": action, "table_name": table,
        "record_id": record_id, "old": _stored(table, old), "new": _stored(table, new),
        "note": mask_numbers(note or ""),
    }])


def log_rows(conn: Connection, action: str, table: str, rows: Iterable[Mapping[str, Any]],
             actor: Actor, *, old_rows: Mapping[int, Mapping[str, Any]] | None = None) -> int:
    """Log a bulk Core insert/update: one entry per row (``rows`` carry their ``id``).

    ID and phone columns are stored masked, as :func:`masked_value` does for every entry.
    """
    batch = []
    for r in rows:
        rid = r.get("id")
        old = masked_values(table, old_rows[rid]) if old_rows and rid in old_rows else None
        new = {k: masked_value(table, k, plain(v)) for k, v in r.items() if v is not None and k != "id"}
        batch.append({
            "clerk": actor.clerk, "os_user": actor.os_user, "account": actor.account, "action": action, "table_name": table,
            "record_id": rid, "old": old, "new": new, "note": "",
        })
    return audit_chain.append(conn, batch)


_SHORT_REASONS = {
    "locked": "数据库正被另一个程序或窗口占用",
    "disk_full": "磁盘空间已满",
    "read_only": "数据库文件是只读的",
}


def log_before_output(session: Session, action: str, table: str, *, note: str, target: str = "") -> None:
    """Log a full export or print and COMMIT it now, before the file is written.

    A file with whole ID and phone numbers never exists without its audit row: when the row
    cannot be committed (a write lock held elsewhere, a full disk...) this raises
    :class:`DatabaseProblem` saying that nothing was written, and the caller writes nothing.
    """
    try:
        log(session, action, table, None, note=note)
        session.commit()
    except Exception as exc:
        session.rollback()
        problem = translate(exc)
        if problem is None and not isinstance(exc, DatabaseProblem):
            raise
        code = problem.code if problem is not None else ""
        reason = _SHORT_REASONS.get(code) or describe_error(exc).rstrip("。")
        what = f"文件 {target}" if target else "任何文件"
        raise DatabaseProblem(
            "audit_failed",
            f"含完整证件号码的导出须先记入操作日志，但操作日志未能保存（{reason}），未写出{what}。请稍后重试。",
        ) from exc
