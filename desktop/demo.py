"""Writing demo data: the registers from desktop.demo_data, then each programme's own builder."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from db import audit
from db.base import Base
from db.database import Database
from db.models.core.cases import CaseAttachment, CaseMove
from db.models.core.registers import Organisation, Worker
from db.models.core.selection import StageMove
from desktop import registry
from desktop import settings as app_settings
from desktop.demo_data import build_registers
from desktop.jobs import Progress, no_progress

if TYPE_CHECKING:
    from desktop.context import App

# Accounts, keys and the audit chain are not records: the demo data never replaces them.
KEEP = {"settings", "audit_log", "alembic_version", "accounts", "key_wraps", "key_material", "audit_heads",
        "calendar_days"}
# The demo office, unless the clerk already set these (Ningbo 宁海, seed 002).
DEMO_SETTINGS = {"union_name": "宁海县跃龙街道总工会", "township": "跃龙街道", "issuer": "宁海县跃龙街道总工会",
                 "clerk_name": "王晓燕"}
BATCH = 5000


def record_count(session: Session) -> int:
    """Records the clerk entered: not the program's own tables, not the standard data (titles,
    the rating standard) a new database starts with."""
    skip = KEEP | registry.standard_tables()
    return sum(session.scalar(select(func.count()).select_from(t)) or 0
               for t in Base.metadata.sorted_tables if t.name not in skip)


def replace(app: App, size: int, progress: Progress = no_progress,
            on_backup: Callable[[Path], None] = lambda _path: None) -> dict[str, int]:
    """The demo data in place of the records (``demo``, the first-run wizard): when the database
    holds any, a checked backup is taken first and handed to ``on_backup``.

    Holds the database's exclusive lock (tried without waiting): refused, naming the holder and
    changing nothing, while another window or command has the database open."""
    from desktop.accounts.roles import RESTORE

    app.require(RESTORE, "生成演示数据（替换全部记录）")
    with app.exclusive("生成演示数据"):
        with app.db.session() as s:
            existing = record_count(s)
        if existing:
            on_backup(app.backup("before-demo"))
        counts = create(app.db, size=size, progress=progress)
        app.checkpoint()
    return counts


def create(db: Database, size: int = 2000, *, seed: int = 2024, today: date | None = None,
           progress: Progress = no_progress) -> dict[str, int]:
    """Replace every record by demo data, in one transaction."""
    today = today or date.today()
    orgs, workers = build_registers(size, seed=seed, today=today)
    with db.session() as s:
        conn = s.connection()
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in KEEP:
                conn.execute(delete(table))
        conn.execute(insert(Organisation.__table__), orgs)
        for start in range(0, len(workers), BATCH):
            conn.execute(insert(Worker.__table__), workers[start:start + BATCH])
            progress(min(start + BATCH, len(workers)), len(workers), "正在生成演示数据")
        registry.seed_defaults(s)  # the standard data (titles, rating standard) the demo builds on
        rng = random.Random(seed)
        for prog in registry.programmes():
            if prog.demo is not None:
                prog.demo(s, rng, today)
        current = app_settings.load(s)
        if not current.get("union_name"):  # an office that named itself keeps its own identity
            app_settings.save(s, {k: v for k, v in DEMO_SETTINGS.items() if not current.get(k)})
        # The demo's stage and case moves were made by the demo office's clerk, not by nobody.
        clerk = str(app_settings.load(s).get("clerk_name") or DEMO_SETTINGS["clerk_name"])
        for moved in (StageMove, CaseMove, CaseAttachment):
            s.execute(update(moved).where(moved.by == "").values(by=clerk))
        audit.log(s, "demo", "", None, note=f"演示数据：{len(orgs)} 个单位，{len(workers)} 名职工")
        if not db.is_sqlite:
            _reset_sequences(s)
    return {"organisations": len(orgs), "workers": len(workers)}


def _reset_sequences(session: Session) -> None:
    """PostgreSQL: explicit ids leave the sequences behind; move them past the largest id."""
    for table in (Organisation.__table__, Worker.__table__):
        session.execute(
            select(func.setval(func.pg_get_serial_sequence(table.name, "id"),
                               func.coalesce(func.max(table.c.id), 0) + 1, False)).select_from(table)
        )
