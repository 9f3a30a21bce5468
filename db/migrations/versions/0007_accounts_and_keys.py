"""accounts and keys: accounts, wrapped keys, sealed key pairs, a hash-chained audit log with signed
heads, signed certificates

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-09 00:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("display_name", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.Column("disabled_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "key_wraps",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("holder", sa.String(length=16), nullable=False),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=True),
        sa.Column("machine", sa.String(length=64), nullable=True),
        sa.Column("key_name", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("salt", sa.LargeBinary(), nullable=True),
        sa.Column("params", sa.JSON(), nullable=True),
        sa.Column("public", sa.LargeBinary(), nullable=True),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    )
    op.create_index("ix_key_wraps_account_id", "key_wraps", ["account_id"])
    op.create_table(
        "key_material",
        sa.Column("name", sa.String(length=32), primary_key=True),
        sa.Column("public", sa.LargeBinary(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    )
    op.create_table(
        "audit_heads",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_audit_heads_seq", "audit_heads", ["seq"])
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("account", sa.String(length=40), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("row_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint("uq_audit_log_seq", ["seq"])
    # CHAIN: the audit-chain step fills seq and row_hash for the rows already in the log (here).
    _chain_existing_rows()
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signature", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("legacy_codes", sa.JSON(), nullable=True))
    # SIGNING: the certificate-signing step stores legacy code hashes and deletes the secret (here).
    _legacy_certificate_codes()


def _chain_existing_rows() -> None:
    """Give the rows already in the log their seq (id order) and chained row_hash (db.audit_chain)."""
    from db.audit_chain import row_hash

    log = sa.table(
        "audit_log", sa.column("id", sa.Integer), sa.column("at", sa.DateTime), sa.column("clerk", sa.String),
        sa.column("account", sa.String), sa.column("os_user", sa.String), sa.column("action", sa.String),
        sa.column("table_name", sa.String), sa.column("record_id", sa.Integer), sa.column("old", sa.JSON),
        sa.column("new", sa.JSON), sa.column("note", sa.Text), sa.column("seq", sa.Integer),
        sa.column("row_hash", sa.String),
    )
    bind = op.get_bind()
    previous, seq, last_id = None, 0, None
    while True:
        query = sa.select(log).order_by(log.c.id).limit(2000)
        if last_id is not None:
            query = query.where(log.c.id > last_id)
        rows = bind.execute(query).mappings().all()
        if not rows:
            return
        updates = []
        for r in rows:
            seq += 1
            previous = row_hash(previous, {**r, "seq": seq})
            updates.append({"rid": r["id"], "s": seq, "h": previous})
        bind.execute(log.update().where(log.c.id == sa.bindparam("rid"))
                     .values(seq=sa.bindparam("s"), row_hash=sa.bindparam("h")), updates)
        last_id = rows[-1]["id"]


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM settings WHERE key = 'certificate_unsigned'"))  # SIGNING's list
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_column("legacy_codes")
        batch_op.drop_column("signature")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_constraint("uq_audit_log_seq", type_="unique")
        batch_op.drop_column("row_hash")
        batch_op.drop_column("seq")
        batch_op.drop_column("account")
    op.drop_table("audit_heads")
    op.drop_table("key_material")
    op.drop_index("ix_key_wraps_account_id", table_name="key_wraps")
    op.drop_table("key_wraps")
    op.drop_table("accounts")


# -- SIGNING: codes printed before signatures ---------------------------------------------------------

_SECRET_KEY = "certificate_secret"  # the HMAC key issue 12 kept in clear in the settings
_PENDING_KEY = "certificate_unsigned"  # desktop.certificates.signing.PENDING_KEY
_CODE_LENGTH = 6


def _hmac_code(key: bytes, serial: str) -> str:
    """``{serial}.{6 characters}`` as issue 12 printed it (its own copy: a migration never changes)."""
    import base64
    import hashlib
    import hmac

    digest = hmac.new(key, serial.encode("utf-8"), hashlib.sha256).digest()
    return f"{serial}.{base64.b32encode(digest).decode('ascii')[:_CODE_LENGTH]}"


def _legacy_certificate_codes() -> None:
    """Per existing certificate, the SHA-256 hex of each code printable for it (over its serial and
    over its older-form alias) in ``legacy_codes`` (an empty list when there was no secret: still a
    row from before signatures); the rows are listed for the first process holding the signing key
    (``certificate_unsigned``: every id up to the highest), and the secret is deleted."""
    import base64
    import binascii
    import hashlib

    settings = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.JSON))
    certs = sa.table("certificates", sa.column("id", sa.Integer), sa.column("serial", sa.String),
                     sa.column("alias", sa.String), sa.column("legacy_codes", sa.JSON))
    bind = op.get_bind()
    stored = bind.execute(sa.select(settings.c.value).where(settings.c.key == _SECRET_KEY)).scalar()
    key: bytes | None = None
    if stored:
        try:
            key = base64.b64decode(str(stored), validate=True)
        except (binascii.Error, ValueError):
            key = None
    top, last_id = 0, None
    stmt = certs.update().where(certs.c.id == sa.bindparam("rid")).values(legacy_codes=sa.bindparam("codes"))
    while True:
        query = sa.select(certs.c.id, certs.c.serial, certs.c.alias).order_by(certs.c.id).limit(2000)
        if last_id is not None:
            query = query.where(certs.c.id > last_id)
        rows = bind.execute(query).all()
        if not rows:
            break
        updates = []
        for r in rows:
            codes = sorted({hashlib.sha256(_hmac_code(key, s).encode("utf-8")).hexdigest()
                            for s in (r.serial, r.alias) if s}) if key else []
            updates.append({"rid": r.id, "codes": codes})
        bind.execute(stmt, updates)
        last_id = top = rows[-1].id
    if top:
        bind.execute(settings.delete().where(settings.c.key == _PENDING_KEY))
        bind.execute(settings.insert().values(key=_PENDING_KEY, value={"upto": int(top), "ids": []}))
    bind.execute(settings.delete().where(settings.c.key == _SECRET_KEY))
