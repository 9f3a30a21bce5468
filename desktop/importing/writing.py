"""Writing a validated plan: one transaction, every valid row or none, audit-logged."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, update

from db import audit
from db.database import Database
from db.models.core.registers import Organisation, organisation_name_key
from desktop.importing.problems import CREATED, PLANNED
from desktop.importing.report import ImportReport, Plan
from desktop.importing.targets import BATCH, EMPLOYER, IDENTITY, MODELS
from desktop.jobs import Cancelled, Progress, no_progress


def write(db: Database, p: Plan, *, progress: Progress = no_progress,
          cancelled: Callable[[], bool] = lambda: False) -> ImportReport:
    """Write a plan in one transaction: every valid row or, on any failure or cancel, none."""
    table = MODELS[p.kind].__table__  # type: ignore[attr-defined]
    total = len(p.inserts) + len(p.updates) + len(p.new_organisations)
    done = 0
    created_organisations = imported = 0
    with db.session() as session:
        conn = session.connection()
        if p.new_organisations:
            created, by_key = _upsert_organisations(conn, list(p.new_organisations.values()), db)
            created_organisations = len(created)
            for values in (*p.inserts, *p.updates):
                key = values.pop("_employer_key", None)
                if key is not None:
                    values[EMPLOYER] = by_key[key]
            done += len(p.new_organisations)
        for start in range(0, len(p.inserts), BATCH):
            if cancelled():
                raise Cancelled
            chunk = [_complete(r, table) for r in p.inserts[start:start + BATCH]]
            if p.kind == "organisations":  # a unit another import created meanwhile is left as it is
                imported += len(_upsert_organisations(conn, chunk, db)[0])
            else:
                _insert(conn, table, chunk, db)
                imported += len(chunk)
            done += len(chunk)
            progress(done, total, "正在写入")
        if p.updates:
            _apply_updates(conn, table, p.updates, db)
            done += len(p.updates)
            progress(done, total, "正在写入")
        if cancelled():
            raise Cancelled
        _test_pause()
    # Only what the committed transaction wrote: units and rows another import wrote first
    # are matched, not counted.
    p.report.imported = imported
    p.report.skipped += len(p.inserts) - imported
    p.report.updated = len(p.updates)
    p.report.created_organisations = created_organisations
    for problem in p.report.warnings:  # the plan said 导入时将新建: now they exist
        if problem.code == "organisation_created":
            problem.reason = problem.reason.replace(PLANNED, CREATED)
    return p.report


def _insert(conn: Any, table: Any, rows: list[dict[str, Any]], db: Database) -> None:
    """Batched INSERT ... RETURNING; ids are matched to rows by their unique key columns
    (asking for RETURNING in parameter order makes SQLAlchemy send one row at a time)."""
    keys = [k for k in IDENTITY[table.name] if k in rows[0]] if rows else []
    returned = conn.execute(insert(table).returning(table.c.id, *(table.c[k] for k in keys)), rows).all()
    ids = {tuple(r[1:]): r[0] for r in returned}
    for row in rows:
        row["id"] = ids[tuple(row[k] for k in keys)]
    audit.log_rows(conn, "insert", table.name, rows, db.actor)


def _upsert_organisations(conn: Any, rows: list[dict[str, Any]],
                          db: Database) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Create units by name once, however many imports run at once.

    INSERT ... ON CONFLICT (name_key) DO NOTHING, in name-key order (imports running at once
    then take the key locks in the same order and cannot deadlock), then the id of every
    key is read back. Returns the rows this transaction created (audit-logged, with ids)
    and name key -> id for all of them.
    """
    table = Organisation.__table__
    for r in rows:
        r["name_key"] = organisation_name_key(r["name"])
    rows = sorted(rows, key=lambda r: r["name_key"])
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    stmt = (dialect_insert(table).on_conflict_do_nothing(index_elements=[table.c.name_key])
            .returning(table.c.id, table.c.name_key))
    ids: dict[str, int] = {}
    for start in range(0, len(rows), BATCH):
        ids.update({key: rid for rid, key in conn.execute(stmt, rows[start:start + BATCH])})
    created = [r for r in rows if r["name_key"] in ids]
    for r in created:
        r["id"] = ids[r["name_key"]]
    if created:
        audit.log_rows(conn, "insert", table.name, created, db.actor)
    missing = [r["name_key"] for r in rows if r["name_key"] not in ids]
    for start in range(0, len(missing), 900):
        part = missing[start:start + 900]
        ids.update({key: rid for rid, key in conn.execute(
            select(table.c.id, table.c.name_key).where(table.c.name_key.in_(part)))})
    return created, ids


def _complete(row: dict[str, Any], table: Any) -> dict[str, Any]:
    """Every column key present (an executemany needs the same keys in every row)."""
    return {c.name: row.get(c.name) for c in table.columns if c.name not in ("id", "created_at", "updated_at")}


def _apply_updates(conn: Any, table: Any, updates: Sequence[dict[str, Any]], db: Database) -> None:
    old_rows: dict[int, dict[str, Any]] = {}
    ids = [u["id"] for u in updates]
    for start in range(0, len(ids), 900):
        for r in conn.execute(select(table).where(table.c.id.in_(ids[start:start + 900]))).mappings():
            old_rows[r["id"]] = {k: audit.plain(v) for k, v in r.items()}
    changed = []
    for u in updates:
        values = {k: v for k, v in u.items() if k != "id" and v is not None}
        if table.name == "organisations" and "name" in values:
            values["name_key"] = organisation_name_key(values["name"])
        conn.execute(update(table).where(table.c.id == u["id"]).values(**values, updated_at=func.current_timestamp()))
        changed.append({"id": u["id"], **values})
    olds = {u["id"]: {k: old_rows.get(u["id"], {}).get(k) for k in u if k != "id"} for u in changed}
    audit.log_rows(conn, "update", table.name, changed, db.actor, old_rows=olds)


def _test_pause() -> None:
    """Test-only pause inside the transaction, just before COMMIT (the kill tests use it)."""
    marker = os.environ.get("UNIONDESK_TEST_PAUSE_BEFORE_COMMIT")
    if marker:
        Path(marker).touch()
        time.sleep(float(os.environ.get("UNIONDESK_TEST_PAUSE_SECONDS", "0.05")))
