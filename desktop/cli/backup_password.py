"""The password of an encrypted backup on the command line: ``UNIONDESK_BACKUP_PASSWORD`` or a
terminal prompt (typed twice for a new backup); with neither the command fails at once."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from desktop.cli.common import FAILED, err

ENV_BACKUP_PASSWORD = "UNIONDESK_BACKUP_PASSWORD"
MSG_NO_PASSWORD = (f"需要备份密码：请在终端中运行以便输入，或设置环境变量 {ENV_BACKUP_PASSWORD}。"
                   "未执行任何操作。")


def backup_password(*, new: bool) -> str | None:
    """The password, or None (after printing why) when there is none to be had."""
    value = os.environ.get(ENV_BACKUP_PASSWORD)
    if value:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        err(MSG_NO_PASSWORD)
        return None
    try:
        first = getpass.getpass("备份密码：")
        if not first:
            err("备份密码不能为空。未执行任何操作。")
            return None
        if new and getpass.getpass("再次输入备份密码：") != first:
            err("两次输入的备份密码不一致。未备份。")
            return None
    except (EOFError, KeyboardInterrupt):
        err("未输入备份密码。未执行任何操作。")
        return None
    return first


def decrypted_for_restore(file: Path) -> tuple[Path | None, int]:
    """(a plain temporary copy of encrypted ``file``, exit code): (None, FAILED) after printing why."""
    from db.errors import DatabaseProblem
    from desktop import secure_backup

    password = backup_password(new=False)
    if password is None:
        return None, FAILED
    try:
        return secure_backup.decrypt_to_temp(file, password), 0
    except DatabaseProblem as exc:
        err(exc.message)
        return None, FAILED
