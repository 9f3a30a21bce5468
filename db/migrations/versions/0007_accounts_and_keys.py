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
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signature", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("legacy_codes", sa.JSON(), nullable=True))
    # SIGNING: the certificate-signing step stores legacy code hashes and deletes the secret (here).


def downgrade() -> None:
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
