"""CLI: ``recovery-sheet --out FILE.pdf``: a new recovery key printed as the one-page 恢复密钥 sheet
(the previous sheet stops working). Needs the database key unlocked here and an administrator
(``--user``) where accounts exist.

``recovery-unlock``: an office without passwords on a new PC (or a new data folder) types its
recovery key (``UNIONDESK_RECOVERY_KEY`` or a terminal prompt; without either it fails at once);
the database key is then kept for this PC again (the machine key)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli.common import FAILED, OK, UsageError, err, say


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("recovery-sheet", parents=[common],
                       help="打印新的恢复密钥表（PDF；旧的恢复密钥表随即作废）")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="输出的 PDF 文件")
    p.set_defaults(handler=cmd_recovery_sheet)
    p = sub.add_parser("recovery-unlock", parents=[common],
                       help="不设密码的单位换电脑后：输入恢复密钥，在本机解锁数据库")
    p.set_defaults(handler=cmd_recovery_unlock)


def cmd_recovery_sheet(args: argparse.Namespace) -> int:
    out = Path(args.out).expanduser()
    if out.suffix.lower() != ".pdf":
        raise UsageError(f"--out 应为 .pdf 文件：{args.out}")
    if not out.parent.is_dir():
        raise UsageError(f"--out 的文件夹不存在：{out.parent}")
    from desktop.context import open_app
    from desktop.keys import print_recovery_sheet
    from reports.fonts import FontError

    app = open_app(getattr(args, "db", None), daily_backup=False)
    try:
        try:
            done = print_recovery_sheet(app, out)
        except FontError as exc:
            err(f"未能生成恢复密钥表：{exc}（恢复密钥未更换）")
            return FAILED
        except OSError as exc:
            err(f"未能写入 {out}：{exc}（恢复密钥未更换）")
            return FAILED
    finally:
        app.close()
    say(f"已生成恢复密钥表：{done}")
    say("旧的恢复密钥表已作废，请销毁；新表请锁好保管。")
    return OK


ENV_RECOVERY = "UNIONDESK_RECOVERY_KEY"


def _read_recovery_key() -> str:
    import getpass
    import os
    import sys

    from desktop.accounts.roles import PermissionDenied

    value = os.environ.get(ENV_RECOVERY)
    if value is not None:
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        try:
            return getpass.getpass("恢复密钥（8 组字符，见恢复密钥表）：")
        except EOFError as exc:
            raise PermissionDenied("没有输入恢复密钥，未执行。") from exc
    raise PermissionDenied(f"需要恢复密钥：没有终端可输入，也没有设置环境变量 {ENV_RECOVERY}，未执行。")


def cmd_recovery_unlock(args: argparse.Namespace) -> int:
    from desktop.context import open_app
    from desktop.keys import unlock_app_with_recovery

    app = open_app(getattr(args, "db", None), daily_backup=False)
    try:
        if app.keys is not None and not app.keys.locked:
            say("本机已能打开数据库密钥，无需恢复密钥。")
            return OK
        if app.has_accounts:
            err("数据库已有账户：请加 --user 登录名，用密码登录。")
            return FAILED
        unlock_app_with_recovery(app, _read_recovery_key())
    finally:
        app.close()
    say("已用恢复密钥解锁，本机以后打开此数据库不再需要恢复密钥。")
    return OK
