"""The audit log's hash chain: every row carries ``seq`` (1, 2, 3...) and ``row_hash``, the SHA-256
hex over the previous row's hash and this row's canonical content, so editing or deleting any row
(the last included, once a signed head covers it) is noticed by ``check``.

Appends are serialised inside the caller's transaction: PostgreSQL takes
``pg_advisory_xact_lock(AUDIT_LOCK_KEY)`` before reading the tail; SQLite makes a harmless write
first, so the tail is read with the database's write lock held and two processes never chain onto
the same row. The log's ``at`` is set here (so the hash covers it): UTC on SQLite (as its
``CURRENT_TIMESTAMP``), the local time on PostgreSQL.

Signed heads (:func:`sign_head`): an Ed25519 signature by the audit key over ``f"{seq}:{row_hash}"``
of the newest row, written when the chain grew since the last head. ``db`` holds no key: the caller
passes a ``signer`` (desktop.keys' ring).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, text
from sqlalchemy.orm import Session

from db.models.accounts import AuditHead
from db.models.system import AuditEntry

_AUDIT = AuditEntry.__table__
_HEADS = AuditHead.__table__
#: The advisory lock serialising appends on PostgreSQL ("AUDT"; db.lock's is "UNIO").
AUDIT_LOCK_KEY = 0x41_55_44_54
#: The "previous hash" of the first row.
GENESIS = "0" * 64
#: The columns the hash covers, in this order (canonical() lists them in the same order).
FIELDS = ("seq", "at", "clerk", "account", "os_user", "action", "table_name", "record_id", "old", "new", "note")

Signer = Callable[[bytes], bytes | None]


_SCALARS = (str, int, float, bool, type(None))
#: one encoder for every row (json.dumps with options builds a new one per call)
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _json_ready(value: Any) -> Any:
    """``value`` as it reads back from a JSON column (tuples become lists, keys strings...)."""
    if isinstance(value, _SCALARS):
        return value
    if type(value) is dict and all(type(k) is str and isinstance(v, _SCALARS) for k, v in value.items()):
        return value  # the usual flat row of plain values: already what the column gives back
    return json.loads(json.dumps(value, ensure_ascii=False))


def _at_text(at: Any) -> str:
    if isinstance(at, datetime):
        return at.replace(tzinfo=None).isoformat(sep=" ")
    return "" if at is None else str(at)


def canonical(row: Mapping[str, Any]) -> bytes:
    """A row's content, stable across SQLite and PostgreSQL and across reads: a JSON array of
    :data:`FIELDS` (``at`` as ISO text, old and new as canonical JSON with sorted keys)."""
    get = row.get
    values = [get("seq"), _at_text(get("at")), get("clerk"), get("account"), get("os_user"), get("action"),
              get("table_name"), get("record_id"), _json_ready(get("old")), _json_ready(get("new")), get("note")]
    return _CANONICAL.encode(values).encode("utf-8")


def row_hash(previous: str | None, row: Mapping[str, Any]) -> str:
    """SHA-256 hex over the previous row's hash (:data:`GENESIS` for the first) and ``row``."""
    h = hashlib.sha256((previous or GENESIS).encode("ascii"))
    h.update(b"\n")
    h.update(canonical(row))
    return h.hexdigest()


def head_message(seq: int, hash_hex: str) -> bytes:
    """What a head's signature covers."""
    return f"{seq}:{hash_hex}".encode("ascii")


def now_for(conn: Connection) -> datetime:
    """The ``at`` of a new row: naive UTC on SQLite (as CURRENT_TIMESTAMP), naive local time elsewhere."""
    if conn.dialect.name == "sqlite":
        return datetime.now(UTC).replace(tzinfo=None)
    return datetime.now()


def lock_tail(conn: Connection) -> tuple[int, str]:
    """Take the append lock for this transaction and return the tail: (last seq or 0, its hash)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_LOCK_KEY})
    elif conn.dialect.name == "sqlite":
        # A write that changes nothing takes the write lock (or fails busy), so the tail read
        # below cannot be overtaken by another process's append.
        conn.exec_driver_sql("UPDATE audit_log SET seq = seq WHERE 0")
    row = conn.execute(
        select(_AUDIT.c.seq, _AUDIT.c.row_hash).where(_AUDIT.c.seq.is_not(None))
        .order_by(_AUDIT.c.seq.desc()).limit(1)
    ).first()
    if row is None:
        return 0, GENESIS
    return int(row[0]), str(row[1] or "")


def append(conn: Connection, rows: Iterable[dict[str, Any]]) -> int:
    """Insert audit ``rows`` (dicts of the log's columns without seq, row_hash, at) at the chain's
    end, in the caller's transaction: one tail read for the whole batch. Returns how many."""
    batch = list(rows)
    if not batch:
        return 0
    seq, previous = lock_tail(conn)
    at = now_for(conn)
    for r in batch:
        seq += 1
        r["seq"] = seq
        r["at"] = at
        r["old"] = _json_ready(r.get("old"))
        r["new"] = _json_ready(r.get("new"))
        previous = r["row_hash"] = row_hash(previous, r)
    conn.execute(insert(_AUDIT), batch)
    return len(batch)


def tail(conn: Connection) -> tuple[int, str]:
    """The newest row's (seq, row_hash) without locking ((0, GENESIS) for an empty log)."""
    row = conn.execute(
        select(_AUDIT.c.seq, _AUDIT.c.row_hash).where(_AUDIT.c.seq.is_not(None))
        .order_by(_AUDIT.c.seq.desc()).limit(1)
    ).first()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1] or ""))


def newest_head(conn: Connection) -> tuple[int, str, bytes] | None:
    """The newest signed head (seq, row_hash, signature), or None."""
    row = conn.execute(
        select(_HEADS.c.seq, _HEADS.c.row_hash, _HEADS.c.signature).order_by(_HEADS.c.seq.desc(),
                                                                               _HEADS.c.id.desc()).limit(1)
    ).first()
    return None if row is None else (int(row[0]), str(row[1]), bytes(row[2]))


def sign_head(session: Session, signer: Signer | None) -> tuple[int, str] | None:
    """Write a signed head for the chain's newest row when the chain grew since the last head, and
    commit. Returns the (seq, row_hash) signed, or None (nothing new, no signer, or locked)."""
    if signer is None:
        return None
    conn = session.connection()
    seq, hash_hex = tail(conn)
    last = newest_head(conn)
    if seq == 0 or (last is not None and last[0] >= seq):
        session.rollback()
        return None
    signature = signer(head_message(seq, hash_hex))
    if signature is None:
        session.rollback()
        return None
    conn.execute(insert(_HEADS), [{"seq": seq, "row_hash": hash_hex, "signature": signature,
                                   "signed_at": datetime.now(UTC).replace(tzinfo=None)}])
    session.commit()
    return seq, hash_hex
