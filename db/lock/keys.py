"""Where the lock files live, what they are keyed by (the file's identity), and who holds a lock, in words."""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
from pathlib import Path
from typing import Any

from db.errors import DatabaseProblem

log = logging.getLogger("db.lock")

ENV_DIR = "UNIONDESK_LOCK_DIR"
POSIX_DIR = Path("/run/lock/uniondesk")
WAIT_SHARED_S = 10.0  # how long opening waits for a restore in progress to finish
PG_KEY = 0x55_4E_49_4F  # "UNIO": the advisory lock every UnionDesk process takes on a database
WINDOW = "工会工作台窗口"


def lock_dir(fallback: Path | None = None) -> Path:
    """The machine-wide lock folder (created when missing), or ``fallback`` if it cannot be."""
    override = os.environ.get(ENV_DIR)
    if override:
        folder = Path(override)
    elif os.name == "nt":  # pragma: no cover - Windows only
        folder = Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "UnionDesk" / "locks"
    else:
        folder = POSIX_DIR
    try:
        _make_shared_dir(folder)
        return folder
    except OSError as exc:
        if fallback is None:
            raise DatabaseProblem("lock_dir", f"无法创建锁文件夹 {folder}：{exc.strerror or exc}") from exc
        log.warning("lock folder %s cannot be used (%s); using %s instead (locks are then per user)",
                    folder, exc, fallback)
        fallback.mkdir(parents=True, exist_ok=True)
        return fallback


def _make_shared_dir(folder: Path) -> None:
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        if os.name != "nt":
            os.chmod(folder, 0o1777)  # every user may lock; the sticky bit keeps their files theirs
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(13, "没有写入权限", str(folder))


def identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of a file; None when it does not exist (or the system gives no inode)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if st.st_ino == 0:
        return None
    return (st.st_dev, st.st_ino)


def file_key(path: Path) -> str:
    """``<dev>-<ino>`` of the file; when the system knows no inode, a hash of the resolved path."""
    ident = identity(path)
    if ident is not None:
        return f"{ident[0]}-{ident[1]}"
    try:
        resolved = str(path.resolve())
    except OSError:
        resolved = os.path.abspath(path)
    if os.name == "nt":  # pragma: no cover - Windows paths are case-insensitive
        resolved = resolved.lower()
    return "p-" + hashlib.sha1(resolved.encode("utf-8")).hexdigest()[:20]


def current_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return os.environ.get("USERNAME", "") or "?"


def alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows only
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ok = ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return bool(ok) and code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    except OSError:
        return False
    return True


def describe_holders(holders: list[dict[str, Any]]) -> str:
    """工会工作台窗口，用户 li，进程 1234；命令行 import，用户 wang，进程 99"""
    if not holders:
        return "另一个程序"
    parts = []
    for h in holders[:3]:
        text = f"{h.get('program') or '另一个程序'}，用户 {h.get('user') or '?'}，进程 {h.get('pid') or '?'}"
        parts.append(text)
    if len(holders) > 3:
        parts.append(f"等 {len(holders)} 个程序")
    return "；".join(parts)


def in_use(holders: list[dict[str, Any]], action: str) -> DatabaseProblem:
    """The refusal of ``restore`` / ``demo --force`` while others have the database open."""
    return DatabaseProblem("in_use", f"数据库正在被使用（{describe_holders(holders)}），请先关闭后再{action}。未做任何改动。")


def uid() -> int:
    return os.getuid() if hasattr(os, "getuid") else -1
