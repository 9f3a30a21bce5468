"""Which protected fields (db.protected) this process may open: the field data key reaches the
database only while the account working now holds the sensitive-information permission.

Every output (the register tables of the kit, edit forms, record pages, exports, printed reports)
reads protected columns through the database, so with the key on ``app.db`` they show the value and
without it 「（受保护）」; nothing else has to decide. Call :func:`apply` whenever the key ring or the
account changes (App.use_keys, sign-in, sign-out, the idle lock).
"""

from __future__ import annotations

from typing import Any

from db.protected import NO_ACCOUNTS, NO_PERMISSION, PROTECTED_TEXT
from desktop.accounts import roles

App = Any  # desktop.context.App (not imported: context reaches this module through desktop.keys)

__all__ = ["PROTECTED_TEXT", "apply", "can_open", "field_key"]


def field_key(app: App) -> tuple[bytes | None, str]:
    """(the key the database may use, why there is none: db.protected NO_ACCOUNTS/NO_PERMISSION)."""
    reason = NO_PERMISSION if app.has_accounts else NO_ACCOUNTS
    ring = app.keys
    if ring is None or ring.field is None or not app.can(roles.SENSITIVE):
        return None, reason
    return ring.field, reason


def apply(app: App) -> None:
    """Give ``app.db`` the field key exactly while the working account may open sensitive fields."""
    app.db.field_key, app.db.field_lock = field_key(app)


def can_open(app: App) -> bool:
    """Whether protected fields show their values now (else 「（受保护）」 and writes are refused)."""
    return app.db.field_key is not None and app.can(roles.SENSITIVE)
