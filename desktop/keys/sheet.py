"""Desktop services on top of the ring: the 恢复密钥 sheet, the recovery key typed on a new PC, and
the key lines of ``check``.

Printing the sheet makes a new recovery key (the old sheet's wraps are deleted) in one transaction
that commits only once the new PDF is in place: the PDF is written to a temporary file, the old
file (if any) set aside, the new one moved in, then the transaction commits; a failed commit puts
the old file back. There is never a state where the old sheet is useless and the new one missing.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from desktop.accounts.roles import MANAGE_ACCOUNTS, PermissionDenied
from desktop.keys import recovery_code
from desktop.keys.opening import hold_keys
from desktop.keys.ring import (
    MSG_LOCKED,
    KeyRing,
    check_keys,
    database_id,
    fingerprint,
    new_recovery_key,
    open_ring,
    public_keys,
    short_fingerprint,
    unlock_with_recovery,
    wrap_for_machine,
)

App = Any  # desktop.context.App (not imported: context imports desktop.keys)
WHAT_SHEET = "打印恢复密钥表"


def print_recovery_sheet(app: App, out: Path, *, today: date | None = None, fonts: Any = None) -> Path:
    """A new recovery key printed to ``out`` (PDF); needs the master key and MANAGE_ACCOUNTS."""
    from reports.recovery_sheet import RecoverySheet, write_recovery_sheet

    app.require(MANAGE_ACCOUNTS, WHAT_SHEET)
    ring = app.keys
    if ring is None or ring.master is None:
        raise PermissionDenied(f"{WHAT_SHEET}需要数据库密钥：{MSG_LOCKED}")
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        out = out.with_name(out.name + ".pdf")
    folder = out.parent
    if not folder.is_dir():
        raise FileNotFoundError(f"文件夹不存在：{folder}")
    tmp = folder / f".{out.stem}-{secrets.token_hex(4)}.new.pdf"
    aside = folder / f".{out.stem}-{secrets.token_hex(4)}.old.pdf"
    moved_aside = placed = False
    try:
        with app.db.system_session() as s:
            key = new_recovery_key(s, ring)
            sheet = RecoverySheet(app.union_name, database_id(s), recovery_code.groups(key),
                                  short_fingerprint(fingerprint(public_keys(s))), today or date.today())
            write_recovery_sheet(sheet, tmp, fonts)
            if out.exists():
                os.replace(out, aside)
                moved_aside = True
            os.replace(tmp, out)
            placed = True
        # committed: the new sheet is the only one that opens the database
    except BaseException:
        if placed:
            with contextlib.suppress(OSError):
                out.unlink()
        if moved_aside:
            with contextlib.suppress(OSError):
                os.replace(aside, out)
        raise
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    if moved_aside:
        with contextlib.suppress(OSError):
            aside.unlink()
    return out


def unlock_app_with_recovery(app: App, recovery_key: str) -> KeyRing:
    """The recovery key typed on a new PC (or when every administrator's password is lost): the
    app holds the unlocked ring. A database without accounts (an office without passwords) gets a
    machine wrap here again, so it opens by itself from now on. PermissionDenied on a wrong key."""
    with app.db.system_session() as s:
        ring = unlock_with_recovery(s, recovery_key)
        if not app.has_accounts:
            wrap_for_machine(s, ring)
    hold_keys(app, ring)
    return ring


def key_check_lines(app_or_session: App | Session) -> tuple[list[str], bool]:
    """``check``'s key lines and whether they found a problem (a swapped key: exit 1). With a
    session (``check`` opens no App) the ring is what this PC unwraps by itself."""
    if isinstance(app_or_session, Session):  # ``check`` without an App: this PC's own ring
        return _lines(app_or_session, open_ring(app_or_session))
    app = app_or_session
    with app.db.session() as s:
        return _lines(s, app.keys)


def _lines(session: Session, ring: KeyRing | None) -> tuple[list[str], bool]:
    keys = public_keys(session)
    if not keys:  # upgraded without being opened yet: open_app makes them
        return ["数据库密钥：尚未创建（下次打开数据库时创建）"], False
    problems = check_keys(session, ring)
    lines = [f"公钥指纹：{short_fingerprint(fingerprint(keys))}" if keys else "公钥指纹：（无）"]
    if ring is None or ring.locked:
        lines.append("数据库密钥：本机未解锁（仅用公钥检查）")
    else:
        lines.append("数据库密钥：已解锁")
    if problems:
        lines += [f"密钥检查：{p}" for p in problems]
    else:
        lines.append("密钥检查：正常")
    return lines, bool(problems)
