"""serial codes: certificate serials carry the programme's short code, the older serial kept as an alias

``UD-2026-competitions-00011`` becomes ``UD-2026-JS-00011``: each existing certificate gets the
code of its programme (JS 竞赛, HS 红色工匠, ST 师徒结对, MD a spreadsheet list ...), keeps its
counter (so each code's counter continues from the highest of its old programme key) and keeps
its old serial in ``alias``, which ``verify`` accepts (with the old verification code too: that
HMAC was computed over the old serial).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08 00:10:00
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

#: the programme keys serials used before, and their codes (a migration keeps its own copy of
#: the registry's ``Entry.serial_code``; ``general`` was a list read from a spreadsheet)
CODES = {"general": "MD", "competitions": "JS", "red_craftsman": "HS", "mentoring": "ST",
         "organisations": "DW", "workers": "ZG"}
OTHER = "QT"  # 其他: a key no programme declares any more
_BATCH = 2000


def _code(programme: str) -> str:
    return CODES.get(programme, OTHER)


def _serial(prefix: str, year: int, code: str, counter: int) -> str:
    return f"{prefix}-{year}-{code}-{counter:05d}"


def _recode() -> None:
    """Give every certificate its code, the new serial and its old serial as the alias.

    Counters stay as they were; old programme keys that share a code (only keys no programme
    declares any more, all ``QT``) are renumbered after the highest counter of that code. The
    new serials hold an upper-case code where the old ones held a lower-case key, so no new
    serial can equal an old one.
    """
    certs = sa.table("certificates", sa.column("id", sa.Integer), sa.column("serial", sa.String),
                     sa.column("prefix", sa.String), sa.column("year", sa.Integer),
                     sa.column("programme", sa.String), sa.column("counter", sa.Integer),
                     sa.column("code", sa.String), sa.column("alias", sa.String))
    conn = op.get_bind()
    rows = conn.execute(sa.select(certs.c.id, certs.c.serial, certs.c.prefix, certs.c.year, certs.c.programme,
                                  certs.c.counter).order_by(certs.c.id)).all()
    owner: dict[tuple[str, int, str], str] = {}  # (prefix, year, code) -> the programme key keeping its counters
    top: dict[tuple[str, int, str], int] = {}
    for r in rows:
        key = (r.prefix, r.year, _code(r.programme))
        owner.setdefault(key, r.programme)
        if owner[key] == r.programme:
            top[key] = max(top.get(key, 0), int(r.counter))
    updates: list[dict[str, Any]] = []
    renumbered = 0
    for r in rows:
        code = _code(r.programme)
        key = (r.prefix, r.year, code)
        counter = int(r.counter)
        if owner[key] != r.programme:
            top[key] += 1
            counter = top[key]
            renumbered += 1
        updates.append({"rid": r.id, "s": _serial(r.prefix, r.year, code, counter), "c": code, "n": counter,
                        "a": r.serial})
    stmt = (certs.update().where(certs.c.id == sa.bindparam("rid"))
            .values(serial=sa.bindparam("s"), code=sa.bindparam("c"), counter=sa.bindparam("n"),
                    alias=sa.bindparam("a")))
    for start in range(0, len(updates), _BATCH):
        conn.execute(stmt, updates[start:start + _BATCH])
    if renumbered:
        logging.getLogger("uniondesk.migrate").warning(
            "0006: %d certificates of programmes no longer declared were renumbered under %s", renumbered, OTHER)


def upgrade() -> None:
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("alias", sa.String(length=80), nullable=True))
        batch_op.drop_constraint("uq_certificates_counter", type_="unique")
    _recode()
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.alter_column("code", existing_type=sa.String(length=8), nullable=False)
        batch_op.create_unique_constraint("uq_certificates_code_counter", ["prefix", "year", "code", "counter"])
        batch_op.create_unique_constraint("uq_certificates_alias", ["alias"])


def downgrade() -> None:
    """Back to the older serials (a certificate issued since has no alias: it keeps its new serial)."""
    certs = sa.table("certificates", sa.column("id", sa.Integer), sa.column("serial", sa.String),
                     sa.column("alias", sa.String))
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_constraint("uq_certificates_alias", type_="unique")
        batch_op.drop_constraint("uq_certificates_code_counter", type_="unique")
    conn = op.get_bind()
    conn.execute(certs.update().where(certs.c.alias.is_not(None)).values(serial=certs.c.alias))
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_column("alias")
        batch_op.drop_column("code")
        batch_op.create_unique_constraint("uq_certificates_counter", ["prefix", "year", "programme", "counter"])
