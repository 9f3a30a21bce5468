"""CLI sign-in: ``--user NAME`` with the password from ``UNIONDESK_PASSWORD`` or a terminal prompt.

Installed as desktop.context's sign-in hook, so every command that opens the database signs in
there. A database without accounts ignores ``--user`` and runs as before. Where accounts exist: no
``--user`` is a usage error (exit 2); no password source (no variable, no terminal) fails at once
(exit 1, never prompts); a wrong password or a locked or disabled account is exit 1.
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from desktop.cli.common import UsageError

ENV_PASSWORD = "UNIONDESK_PASSWORD"
ENV_NEW_PASSWORD = "UNIONDESK_NEW_PASSWORD"


class _State:
    user: str | None = None
    password: str | None = None  # the one used to sign in (``accounts passwd`` of oneself)


STATE = _State()


def _terminal() -> bool:
    return bool(sys.stdin) and sys.stdin.isatty()


def read_password(name: str) -> str:
    """``UNIONDESK_PASSWORD``, else a prompt on a terminal, else PermissionDenied (exit 1)."""
    from desktop.accounts.roles import PermissionDenied

    value = os.environ.get(ENV_PASSWORD)
    if value is not None:
        return value
    if _terminal():
        try:
            return getpass.getpass(f"账户 {name} 的密码：")
        except EOFError as exc:
            raise PermissionDenied("没有输入密码，未执行。") from exc
    raise PermissionDenied(f"需要账户 {name} 的密码：没有终端可输入，也没有设置环境变量 {ENV_PASSWORD}，未执行。")


def read_new_password(name: str) -> str:
    """A new account's (or a new) password: ``UNIONDESK_NEW_PASSWORD``, else typed twice."""
    from desktop.accounts.roles import PermissionDenied

    value = os.environ.get(ENV_NEW_PASSWORD)
    if value is not None:
        return value
    if not _terminal():
        raise PermissionDenied(f"需要 {name} 的新密码：没有终端可输入，也没有设置环境变量 {ENV_NEW_PASSWORD}，未执行。")
    try:
        first = getpass.getpass(f"{name} 的新密码（至少 8 个字符）：")
        again = getpass.getpass("再输入一次：")
    except EOFError as exc:
        raise PermissionDenied("没有输入密码，未执行。") from exc
    if first != again:
        raise PermissionDenied("两次输入的密码不一致，未执行。")
    return first


def sign_in_hook(app: Any) -> None:
    """desktop.context's sign-in hook: sign ``--user`` in where the database has accounts."""
    if not app.has_accounts:
        return
    if not STATE.user:
        raise UsageError("该数据库已设置账户，请用 --user 登录名 指定账户"
                         f"（密码从终端输入，或取自环境变量 {ENV_PASSWORD}）。")
    from desktop.accounts import service

    password = read_password(STATE.user)
    service.sign_in(app, STATE.user, password)
    STATE.password = password


def install(user: str | None, *, hook: bool = True) -> None:
    """Sign ``user`` in at every open_app of this command (``hook=False``: stop, after the command)."""
    from desktop.accounts import opening

    STATE.user = user
    STATE.password = None
    opening.set_sign_in(sign_in_hook if hook else None)
