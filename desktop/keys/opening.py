"""Keys at open (desktop.context.open_app, App.use_keys): every database has keys, made when it has
none (fresh, demo, tests, a database upgraded to 0007; never replaced); then the ring this PC opens
by itself (locked without a machine wrap here: someone signs in, or the recovery key is typed).

``App`` is not imported (context imports this module): any object with ``db``, ``keys``,
``has_accounts`` and ``can``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from db.models.accounts import KeyMaterial
from desktop import protected_fields
from desktop.keys.ring import KeyRing, create_keys, open_ring

App = Any  # desktop.context.App


def open_keys(app: App) -> KeyRing | None:
    """The ring of ``app.db`` as this PC opens it by itself (keys made first when it has none)."""
    with app.db.system_session() as s:
        has_keys = bool(s.scalar(select(func.count()).select_from(KeyMaterial)))
        return open_ring(s) if has_keys else create_keys(s)


def hold_keys(app: App, ring: KeyRing | None) -> None:
    """``app`` holds ``ring``; the field key reaches the database only while the account working
    now may open sensitive fields (desktop.protected_fields)."""
    app.keys = ring
    protected_fields.apply(app)
