"""What open_app does about accounts: whether signing in is required, nothing written until someone
signs in, and the front end's sign-in hook (the CLI's ``--user``; the GUI shows its login instead)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from db.database import Database
from db.models.accounts import Account

App = Any  # desktop.context.App (not imported: context imports this module)

MSG_SIGN_IN_FIRST = "请先登录。"
#: Called with every opened App (desktop.cli.signin); None in the GUI.
SIGN_IN: Callable[[App], None] | None = None


def set_sign_in(hook: Callable[[App], None] | None) -> None:
    global SIGN_IN
    SIGN_IN = hook


def accounts_exist(db: Database) -> bool:
    """The database has an enabled account: signing in is required."""
    with db.engine.connect() as conn:
        return bool(conn.scalar(select(func.count(Account.id)).where(Account.disabled_at.is_(None))))


def after_open(app: App) -> None:
    """Last step of open_app: ``app.has_accounts``, the write guard until sign-in, the hook."""
    app.has_accounts = accounts_exist(app.db)
    if app.has_accounts:  # nothing is written until someone signs in (db.write_guard)
        app.db.read_only_reason = MSG_SIGN_IN_FIRST
    if SIGN_IN is not None:
        SIGN_IN(app)
