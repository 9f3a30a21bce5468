"""CLI: ``accounts list | add NAME --role R | passwd NAME | disable NAME | unlock NAME``.

The first account (``accounts add`` on a database without accounts) is an administrator with
the sensitive-information permission whatever ``--role`` says; later ones need ``--user`` of an
administrator. New passwords come from ``UNIONDESK_NEW_PASSWORD`` or are typed twice.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from desktop.cli.common import OK, err, say

ROLE_CODES = ("admin", "clerk", "readonly")


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("accounts", parents=[common], help="管理账户（列出、新建、改密码、停用、解锁）")
    acts = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(p))
    a = acts.add_parser("list", parents=[common], help="列出全部账户")
    a.set_defaults(handler=cmd_list)
    a = acts.add_parser("add", parents=[common], help="新建账户（第一个账户总是管理员）")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--role", choices=ROLE_CODES, default="clerk")
    a.add_argument("--display-name", default="", help="经办人姓名（记入操作日志）")
    a.add_argument("--sensitive", action="store_true", help="授予敏感信息权限（需由有此权限的账户授予）")
    a.set_defaults(handler=cmd_add)
    for action, help_text, handler in (("passwd", "修改自己的密码，或由管理员重设他人密码", cmd_passwd),
                                       ("disable", "停用账户（保留记录，删除其密钥副本）", cmd_disable),
                                       ("unlock", "解锁因密码错误被锁定的账户", cmd_unlock)):
        a = acts.add_parser(action, parents=[common], help=help_text)
        a.add_argument("name", metavar="NAME")
        a.set_defaults(handler=handler)


def _open(args: argparse.Namespace) -> Any:
    from desktop.context import open_app

    return open_app(getattr(args, "db", None), daily_backup=False)


def _id(app: Any, name: str) -> int:
    from db.errors import ValidationError
    from desktop.accounts import service

    with app.db.session() as s:
        for row in service.list_accounts(s):
            if row["name"] == name:
                return int(row["id"])
    raise ValidationError("account_missing", f"没有登录名为「{name}」的账户。")


def cmd_list(args: argparse.Namespace) -> int:
    from desktop.accounts import service
    from desktop.accounts.roles import MANAGE_ACCOUNTS

    app = _open(args)
    try:
        app.require(MANAGE_ACCOUNTS, "查看账户")
        with app.db.session() as s:
            rows = service.list_accounts(s)
    finally:
        app.close()
    if not rows:
        err("没有账户（任何人都可以使用，敏感信息不能填写或查看）。")
    for r in rows:
        state = "已停用" if r["disabled_at"] else ("已锁定" if r["locked_until"] else "")
        last = f"{r['last_login_at']:%Y-%m-%d %H:%M}" if r["last_login_at"] else "从未登录"
        say("\t".join((r["name"], r["display_name"], r["role_label"], "敏感信息" if r["sensitive"] else "",
                       last, state)))
    return OK


def _run(args: argparse.Namespace, job: Callable[[Any], Any], done_text: str = "") -> int:
    """Open the database, run ``job(app)`` (a desktop.changes.Changes), close, print its message."""
    app = _open(args)
    try:
        done = job(app)
    finally:
        app.close()
    say(done.message or done_text)
    return OK


def cmd_add(args: argparse.Namespace) -> int:
    from desktop.accounts import service
    from desktop.cli.signin import read_new_password

    return _run(args, lambda app: service.create_account(
        app, args.name, args.display_name, read_new_password(args.name), args.role, sensitive=args.sensitive))


def cmd_passwd(args: argparse.Namespace) -> int:
    from desktop.accounts import service
    from desktop.cli.signin import STATE, read_new_password

    def change(app: Any) -> Any:
        account_id = _id(app, args.name)
        new = read_new_password(args.name)
        if app.user is not None and app.user.account_id == account_id and STATE.password is not None:
            return service.change_password(app, STATE.password, new)
        return service.reset_password(app, account_id, new)

    return _run(args, change)


def cmd_disable(args: argparse.Namespace) -> int:
    from desktop.accounts import service

    return _run(args, lambda app: service.disable_account(app, _id(app, args.name)),
                f"账户「{args.name}」已是停用状态")


def cmd_unlock(args: argparse.Namespace) -> int:
    from desktop.accounts import service

    return _run(args, lambda app: service.unlock_account(app, _id(app, args.name)))
