"""safety: audit rows hold masked numbers only; organisations carry a unique normalised name

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 00:10:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


#: audit JSON keys that hold an ID number or a phone number
_AUDIT_ID_KEYS = ("id_number",)
_AUDIT_PHONE_KEYS = ("phone", "contact_phone")
#: keys whose values are codes, left as they are (an all-digit credit code is not an ID)
_AUDIT_CODE_KEYS = ("credit_code",)
_AUDIT_BATCH = 2000


def _masked_json(value: Any) -> Any:
    """An audit row's old/new value with whole numbers masked (recursively)."""
    from db.fields import ID_NUMBER, PHONE
    from db.privacy import mask, mask_numbers

    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if k in _AUDIT_ID_KEYS and isinstance(v, str | int):
                out[k] = mask(str(v), ID_NUMBER)
            elif k in _AUDIT_PHONE_KEYS and isinstance(v, str | int):
                out[k] = mask(str(v), PHONE)
            elif k in _AUDIT_CODE_KEYS:
                out[k] = v
            else:
                out[k] = _masked_json(v)
        return out
    if isinstance(value, list):
        return [_masked_json(v) for v in value]
    if isinstance(value, str):
        return mask_numbers(value)
    return value


def _mask_audit_rows() -> None:
    """Existing audit rows: whole ID and phone numbers in old/new/note are replaced by masked ones.

    Read and rewritten in batches by id (a long audit log never sits in memory whole); only
    rows that change are written. Plain SQL through the migration's connection, so it runs
    the same on SQLite and PostgreSQL.
    """
    from db.privacy import mask_numbers

    audit = sa.table(
        "audit_log", sa.column("id", sa.Integer), sa.column("old", sa.JSON(none_as_null=True)),
        sa.column("new", sa.JSON(none_as_null=True)), sa.column("note", sa.Text),
    )
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(
            sa.select(audit.c.id, audit.c.old, audit.c.new, audit.c.note)
            .where(audit.c.id > last).order_by(audit.c.id).limit(_AUDIT_BATCH)
        ).all()
        if not rows:
            break
        last = rows[-1].id
        changed = []
        for r in rows:
            old, new, note = _masked_json(r.old), _masked_json(r.new), mask_numbers(r.note or "")
            if (old, new, note) != (r.old, r.new, r.note or ""):
                changed.append({"rid": r.id, "o": old, "n": new, "t": note})
        if changed:
            conn.execute(
                audit.update().where(audit.c.id == sa.bindparam("rid"))
                .values(old=sa.bindparam("o", type_=audit.c.old.type), new=sa.bindparam("n", type_=audit.c.new.type),
                        note=sa.bindparam("t")),
                changed,
            )


def _name_key(name: str | None) -> str | None:
    """As ``db.models.core.registers.organisation_name_key`` today (a migration keeps its own copy)."""
    import unicodedata

    if name is None:
        return None
    key = "".join(unicodedata.normalize("NFKC", name).split()).casefold()
    return key or None


def _organisation_name_key() -> None:
    """organisations.name_key: the normalised name, unique, so concurrent imports create a unit once.

    Units that already share a key (two imports that overlapped, or names differing only in
    spaces or full-width characters) are never merged here: the lowest id gets the key, the
    later ones keep NULL (a unique index allows any number of NULLs) and are logged, so the
    clerk can merge them by hand.
    """
    import logging

    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_key", sa.Text(), nullable=True))
    orgs = sa.table("organisations", sa.column("id", sa.Integer), sa.column("name", sa.String),
                    sa.column("name_key", sa.Text))
    conn = op.get_bind()
    first: dict[str, int] = {}
    keyed: list[dict[str, Any]] = []
    duplicates: list[tuple[int, int]] = []
    for rid, name in conn.execute(sa.select(orgs.c.id, orgs.c.name).order_by(orgs.c.id)):
        key = _name_key(name)
        if key is None:
            continue
        if key in first:
            duplicates.append((rid, first[key]))
            continue
        first[key] = rid
        keyed.append({"rid": rid, "k": key})
    for start in range(0, len(keyed), _AUDIT_BATCH):
        conn.execute(orgs.update().where(orgs.c.id == sa.bindparam("rid")).values(name_key=sa.bindparam("k")),
                     keyed[start:start + _AUDIT_BATCH])
    if duplicates:
        logging.getLogger("uniondesk.migrate").warning(
            "0005: %d organisations share a normalised name with an earlier one and were left without a "
            "name_key (not merged): %s", len(duplicates),
            ", ".join(f"id {rid} (same as id {earlier})" for rid, earlier in duplicates[:50]))
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index("ix_organisations_name_key", ["name_key"], unique=True)


def upgrade() -> None:
    _organisation_name_key()
    _mask_audit_rows()


def _drop_organisation_name_key() -> None:
    """Undo ``_organisation_name_key``.

    Not in batch mode: on SQLite that copies the table, and dropping the old ``organisations``
    fails while workers point at it (foreign keys are on). SQLite 3.35+ drops a column itself.
    """
    op.drop_index("ix_organisations_name_key", table_name="organisations")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE organisations DROP COLUMN name_key")
    else:
        op.drop_column("organisations", "name_key")


def downgrade() -> None:
    # Masked audit values cannot be unmasked (that is the point); the column goes away.
    _drop_organisation_name_key()
