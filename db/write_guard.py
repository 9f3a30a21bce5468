"""The central refusal of writes for a read-only account (the accounts-and-keys issue).

``Database.read_only_reason`` (a Chinese message, set by desktop.accounts when a 只读 account
signs in, or while nobody is signed in to a database with accounts) makes every INSERT, UPDATE,
DELETE or schema change on the engine fail with that message, whether it comes from an ORM flush
or a Core bulk write. Two kinds of write still pass: the audit log itself (a reveal, a failed
sign-in, a chain head) and bookkeeping done on a connection carrying the execution option
:data:`SYSTEM` (last sign-in time, failed attempts): :meth:`db.database.Database.system_session`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, event

from db.errors import DatabaseProblem

#: execution option of a connection whose writes are the program's own bookkeeping
SYSTEM = "uniondesk_system"
#: tables anyone signed in (or signing in) may append to
ALWAYS_WRITABLE = frozenset({"audit_log", "audit_heads"})
_WRITE_SQL = re.compile(r"^\s*(insert|update|delete|replace|create|drop|alter)\b(?:.*?\b(?:into|update|from)\s+\"?(\w+))?",
                        re.IGNORECASE | re.DOTALL)


def _table(context: Any, statement: str) -> str | None:
    compiled = getattr(context, "compiled", None)
    stmt = getattr(compiled, "statement", None)
    table = getattr(stmt, "table", None)
    name = getattr(table, "name", None)
    if isinstance(name, str):
        return name
    m = _WRITE_SQL.match(statement)
    return m.group(2) if m else None


def _is_write(context: Any, statement: str) -> bool:
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        return True
    return bool(_WRITE_SQL.match(statement))


def install(engine: Engine, reason: Callable[[], str | None]) -> None:
    """Refuse writes on ``engine`` while ``reason()`` returns a message."""

    @event.listens_for(engine, "before_cursor_execute")
    def _guard(conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool) -> None:
        message = reason()
        if not message or not _is_write(context, statement):
            return
        options = dict(conn.get_execution_options())
        if context is not None:
            options.update(getattr(context, "execution_options", {}) or {})
        if options.get(SYSTEM):
            return
        if _table(context, statement) in ALWAYS_WRITABLE:
            return
        raise DatabaseProblem("permission_denied", message)
