"""One lock per database, honoured by every process that opens it.

SQLite: a lock file named after the database file's identity (device and inode; on Windows
the volume serial number and file index, which ``os.stat`` gives), not its path, so every
path and every hard link to one file meets the same lock. The lock files live in one
machine-wide folder: ``/run/lock/uniondesk`` (mode 1777, ``fcntl.flock``) or
``%ProgramData%\\UnionDesk\\locks`` (``LockFileEx``: shared and exclusive). ``UNIONDESK_LOCK_DIR``
overrides it; when it cannot be created the caller's fallback folder is used.

- Every process that opens the database holds it SHARED (:class:`DatabaseLock`).
- ``restore`` and ``demo --force`` need it EXCLUSIVE (:meth:`DatabaseLock.exclusive`), tried
  without waiting; they refuse, naming who holds it, while anyone else has the file open.
- A window also holds ``<key>.window.lock`` exclusively (:class:`WindowLock`): a second
  window on the same file is refused, through any path or link.

Beside the lock, each process keeps one holder file ``<key>.<pid>.holder`` (JSON: program,
user, pid, started) that names it in those messages. A process writes and deletes only its
own holder file; those of dead processes are ignored.

PostgreSQL: :class:`PgLock`, a shared advisory lock on one dedicated connection outside the
pool (a pooled connection loses it when recycled); the exclusive one is ``pg_try_advisory_lock``.

:class:`FileGuard` notices a database file replaced, or its ``-wal`` removed, under an open
program: it compares their identities with those seen at opening (one ``os.stat`` each).

This module imports nothing of ours except ``db.errors``.
"""

from __future__ import annotations

import atexit
import contextlib
import getpass
import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from db.errors import DatabaseProblem

log = logging.getLogger(__name__)

ENV_DIR = "UNIONDESK_LOCK_DIR"
POSIX_DIR = Path("/run/lock/uniondesk")
WAIT_SHARED_S = 10.0  # how long opening waits for a restore in progress to finish
PG_KEY = 0x55_4E_49_4F  # "UNIO": the advisory lock every UnionDesk process takes on a database
WINDOW = "工会工作台窗口"


# --------------------------------------------------------------------------- where and what


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


def _alive(pid: int) -> bool:
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


# --------------------------------------------------------------------------- one OS-level lock


class _OsLock:
    """A shared or exclusive lock on one lock file (flock; LockFileEx on Windows).

    flock locks belong to the open file description, so two of these in one process conflict
    just as two processes do.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None
        self.mode: str | None = None  # "shared", "exclusive" or None

    def _open(self) -> int:
        if self.fd is None:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            except PermissionError:
                fd = os.open(self.path, os.O_RDONLY)  # another user's lock file: reading is enough
            else:
                with contextlib.suppress(OSError):
                    if os.name != "nt" and os.fstat(fd).st_uid == _uid():
                        os.fchmod(fd, 0o666)  # whatever the umask: every user must be able to open it
            self.fd = fd
        return self.fd

    def try_lock(self, exclusive: bool) -> bool:
        fd = self._open()
        if os.name == "nt":  # pragma: no cover - Windows only
            ok = _win_lock(fd, exclusive)
        else:
            import fcntl

            try:
                fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
                ok = True
            except BlockingIOError:
                ok = False
        # A failed conversion drops the lock held before (flock does so; on Windows we unlock first).
        self.mode = ("exclusive" if exclusive else "shared") if ok else None
        return ok

    def unlock(self) -> None:
        if self.fd is None or self.mode is None:
            return
        if os.name == "nt":  # pragma: no cover - Windows only
            _win_unlock(self.fd)
        else:
            import fcntl

            fcntl.flock(self.fd, fcntl.LOCK_UN)
        self.mode = None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.unlock()
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None
        self.mode = None


def _uid() -> int:
    return os.getuid() if hasattr(os, "getuid") else -1


if os.name == "nt":  # pragma: no cover - Windows only
    import ctypes
    from ctypes import wintypes

    class _Overlapped(ctypes.Structure):
        _fields_ = [("Internal", ctypes.c_void_p), ("InternalHigh", ctypes.c_void_p),
                    ("Offset", wintypes.DWORD), ("OffsetHigh", wintypes.DWORD), ("hEvent", wintypes.HANDLE)]

    _LOCKFILE_FAIL_IMMEDIATELY = 0x1
    _LOCKFILE_EXCLUSIVE_LOCK = 0x2

    def _handle(fd: int) -> int:
        import msvcrt

        return msvcrt.get_osfhandle(fd)

    def _win_lock(fd: int, exclusive: bool) -> bool:
        kernel32 = ctypes.windll.kernel32
        flags = _LOCKFILE_FAIL_IMMEDIATELY | (_LOCKFILE_EXCLUSIVE_LOCK if exclusive else 0)
        _win_unlock(fd)  # LockFileEx does not convert: drop the shared lock first (as flock does)
        ov = _Overlapped()
        return bool(kernel32.LockFileEx(wintypes.HANDLE(_handle(fd)), flags, 0, 1, 0, ctypes.byref(ov)))

    def _win_unlock(fd: int) -> None:
        ov = _Overlapped()
        ctypes.windll.kernel32.UnlockFileEx(wintypes.HANDLE(_handle(fd)), 0, 1, 0, ctypes.byref(ov))


# --------------------------------------------------------------------------- holder files

_holders_lock = threading.Lock()
_own: dict[tuple[Path, str], dict[int, dict[str, Any]]] = {}  # (folder, key) -> {token: entry}


def _holder_path(folder: Path, key: str, pid: int) -> Path:
    return folder / f"{key}.{pid}.holder"


def _write_own(folder: Path, key: str) -> None:
    """Rewrite this process's holder file from its entries (removed when none is left)."""
    path = _holder_path(folder, key, os.getpid())
    entries = list(_own.get((folder, key), {}).values())
    try:
        if not entries:
            path.unlink(missing_ok=True)
            return
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
        with contextlib.suppress(OSError):
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:  # the holder file only names us in messages: never fatal
        log.warning("cannot write the lock holder file %s: %s", path, exc)


_swept: set[Path] = set()


def _sweep(folder: Path) -> None:
    """Once per process and folder: remove our own holder files that dead processes left."""
    if folder in _swept:
        return
    _swept.add(folder)
    for path in folder.glob("*.holder"):
        try:
            pid = int(path.name.rsplit(".", 2)[-2])
        except (ValueError, IndexError):
            continue
        if pid != os.getpid() and not _alive(pid):
            _remove_stale(path)


@atexit.register
def _remove_own_holder_files() -> None:
    """A process that ends without releasing (a script, a crash handled by Python) leaves none."""
    with _holders_lock:
        for folder, key in list(_own):
            with contextlib.suppress(OSError):
                _holder_path(folder, key, os.getpid()).unlink(missing_ok=True)
        _own.clear()


def _register(folder: Path, key: str, token: int, entry: dict[str, Any]) -> None:
    with _holders_lock:
        _sweep(folder)
        _own.setdefault((folder, key), {})[token] = entry
        _write_own(folder, key)


def _unregister(folder: Path, key: str, token: int) -> None:
    with _holders_lock:
        entries = _own.get((folder, key), {})
        entries.pop(token, None)
        if not entries:
            _own.pop((folder, key), None)
        _write_own(folder, key)


def holders(folder: Path, key: str, *, exclude: int | None = None,
            program: str | None = None) -> list[dict[str, Any]]:
    """Who has the database open, from the holder files (ours except ``exclude``; dead ones skipped)."""
    found: list[dict[str, Any]] = []
    me = os.getpid()
    for path in sorted(folder.glob(f"{key}.*.holder")):
        try:
            pid = int(path.name[len(key) + 1:-len(".holder")])
        except ValueError:
            continue
        if pid == me:
            with _holders_lock:
                mine = dict(_own.get((folder, key), {}))
            entries = [e for t, e in mine.items() if t != exclude]
        else:
            if not _alive(pid):
                _remove_stale(path)
                continue
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = [{"pid": pid}]
            entries = [e for e in (data if isinstance(data, list) else [data]) if isinstance(e, dict)]
        found.extend(e for e in entries if program is None or e.get("program") == program)
    return found


def _remove_stale(path: Path) -> None:
    """A dead process's holder file: removed when it is ours (same user), else ignored."""
    with contextlib.suppress(OSError):
        if os.name == "nt" or path.stat().st_uid == _uid():
            path.unlink()


# --------------------------------------------------------------------------- SQLite


class _Exclusive:
    """``with lock.exclusive("恢复"):`` nobody else has the database open inside."""

    def try_exclusive(self, action: str) -> None:
        raise NotImplementedError

    def to_shared(self) -> None:
        raise NotImplementedError

    @contextlib.contextmanager
    def exclusive(self, action: str) -> Iterator[None]:
        self.try_exclusive(action)
        try:
            yield
        finally:
            self.to_shared()


class DatabaseLock(_Exclusive):
    """The lock this process holds on one SQLite database file: shared while it is open.

    ``path`` must exist (an empty file is a new database). ``program`` names us in other
    processes' messages (工会工作台窗口, 命令行 import...).
    """

    def __init__(self, path: Path, program: str, *, fallback: Path | None = None) -> None:
        self.db_path = path
        self.program = program
        self.folder = lock_dir(fallback)
        self.key = file_key(path)
        self.lock_path = self.folder / f"{self.key}.lock"
        self._os = _OsLock(self.lock_path)
        self._token = id(self)
        self.entry = {"program": program, "user": current_user(), "pid": os.getpid(),
                      "started": datetime.now().isoformat(timespec="seconds"), "database": str(path)}

    @property
    def mode(self) -> str | None:
        return self._os.mode

    def acquire_shared(self, wait: float = WAIT_SHARED_S) -> None:
        """Take the shared lock, waiting up to ``wait`` seconds for a restore in progress."""
        deadline = time.monotonic() + wait
        while not self._os.try_lock(exclusive=False):
            if time.monotonic() >= deadline:
                self._os.close()
                raise DatabaseProblem(
                    "in_use", f"数据库正在恢复或生成演示数据（{describe_holders(self.others())}），请稍后再打开。")
            time.sleep(0.05)
        _register(self.folder, self.key, self._token, self.entry)

    def others(self, program: str | None = None) -> list[dict[str, Any]]:
        return holders(self.folder, self.key, exclude=self._token, program=program)

    def try_exclusive(self, action: str) -> None:
        """Exclusive without waiting; refuses (naming the holders) and keeps the shared lock."""
        was_shared = self._os.mode == "shared"
        if self._os.try_lock(exclusive=True):
            return
        problem = in_use(self.others(), action)
        if was_shared:
            self.to_shared()
        raise problem

    def to_shared(self) -> None:
        """Back from exclusive (or after a failed try) to the shared lock."""
        if self._os.mode == "shared":
            return
        deadline = time.monotonic() + WAIT_SHARED_S
        while not self._os.try_lock(exclusive=False):
            if time.monotonic() >= deadline:
                log.warning("could not retake the shared lock on %s", self.db_path)
                return
            time.sleep(0.05)

    def release(self) -> None:
        self._os.close()
        _unregister(self.folder, self.key, self._token)


class WindowLock:
    """One window per database file: ``<key>.window.lock`` held exclusively by the window."""

    def __init__(self, path: Path, *, fallback: Path | None = None) -> None:
        self.folder = lock_dir(fallback)
        self.key = file_key(path)
        self._os = _OsLock(self.folder / f"{self.key}.window.lock")

    def try_acquire(self) -> bool:
        if self._os.try_lock(exclusive=True):
            return True
        self._os.close()
        return False

    def holder(self) -> str:
        """The window that has the file (工会工作台窗口，用户 li，进程 1234)."""
        return describe_holders(holders(self.folder, self.key, program=WINDOW))

    def release(self) -> None:
        self._os.close()


# --------------------------------------------------------------------------- PostgreSQL


def _ascii(text: str) -> str:
    return text.encode("ascii", "backslashreplace").decode("ascii").replace("|", "/")


def _ascii_program(program: str) -> str:
    if program == WINDOW:
        return "window"
    if program.startswith("命令行"):
        return "cli" + _ascii(program[len("命令行"):])
    return _ascii(program)


def _program_name(code: str) -> str:
    if code == "window":
        return WINDOW
    if code.startswith("cli"):
        return "命令行" + code[3:]
    return code


class PgLock(_Exclusive):
    """A shared advisory lock on one dedicated connection outside the pool."""

    def __init__(self, url: str, program: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.pool import NullPool

        self.program = program
        self.engine = create_engine(url, poolclass=NullPool)
        self.conn: Any = None
        self.mode: str | None = None
        # application_name is ASCII only: 工会工作台窗口 -> window, 命令行 restore -> cli restore
        self.name = f"UnionDesk|{_ascii_program(program)}|{_ascii(current_user())}"[:63]

    def _scalar(self, sql: str, **params: Any) -> Any:
        from sqlalchemy import text

        value = self.conn.execute(text(sql), params).scalar()
        self.conn.commit()  # advisory session locks outlive transactions; end the one we began
        return value

    def acquire_shared(self, wait: float = WAIT_SHARED_S) -> None:
        self.conn = self.engine.connect()
        self._scalar("SELECT set_config('application_name', :n, false)", n=self.name)
        deadline = time.monotonic() + wait
        while not self._scalar("SELECT pg_try_advisory_lock_shared(:k)", k=PG_KEY):
            if time.monotonic() >= deadline:
                others = self.others()
                self.release()
                raise DatabaseProblem(
                    "in_use", f"数据库正在恢复或生成演示数据（{describe_holders(others)}），请稍后再打开。")
            time.sleep(0.1)
        self.mode = "shared"

    def others(self, program: str | None = None) -> list[dict[str, Any]]:
        from sqlalchemy import text

        rows = self.conn.execute(text(
            "SELECT a.pid, a.application_name, a.usename, a.client_addr FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.objid = :k "
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND l.pid <> pg_backend_pid() AND l.granted ORDER BY a.pid"), {"k": PG_KEY}).all()
        self.conn.commit()
        out = []
        for pid, app_name, user, addr in rows:
            parts = str(app_name or "").split("|")
            prog, who = (_program_name(parts[1]), parts[2]) if len(parts) == 3 and parts[0] == "UnionDesk" \
                else ("", "")
            where = f"{who or user}@{addr}" if addr else str(who or user)
            out.append({"program": prog or "另一个程序", "user": where, "pid": pid})
        return [o for o in out if program is None or o["program"] == program]

    def try_exclusive(self, action: str) -> None:
        if self._scalar("SELECT pg_try_advisory_lock(:k)", k=PG_KEY):
            self.mode = "exclusive"
            return
        raise in_use(self.others(), action)

    def to_shared(self) -> None:
        if self.mode == "exclusive":
            self._scalar("SELECT pg_advisory_unlock(:k)", k=PG_KEY)
            self.mode = "shared"

    def release(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.close()  # closing the session releases its advisory locks
            self.conn = None
        self.mode = None
        self.engine.dispose()


# --------------------------------------------------------------------------- replaced files


class FileGuard:
    """Notices the database file replaced or its ``-wal`` removed since it was opened.

    ``check()`` costs two ``os.stat``; once tripped it keeps raising (nothing more is written).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.wal = Path(str(path) + "-wal")
        self.ident = identity(path)
        self.wal_ident: tuple[int, int] | None = None
        self.tripped: DatabaseProblem | None = None

    def arm(self) -> None:
        """Note the ``-wal`` now that a connection is open (it exists while one is)."""
        self.wal_ident = identity(self.wal)

    def check(self) -> None:
        if self.tripped is not None:
            raise self.tripped
        now = identity(self.path)
        if now != self.ident:
            self._trip(f"数据库文件 {self.path} 已被移走或替换（可能是其他程序恢复了备份或复制了文件）。"
                       "为避免数据丢失，本窗口已停止保存。请关闭工会工作台后重新打开，再核对最近录入的内容。")
        if self.wal_ident is not None and identity(self.wal) != self.wal_ident:
            self._trip(f"数据库的日志文件 {self.wal.name} 已被删除或替换，最近保存的内容可能已丢失。"
                       "为避免更多数据丢失，本窗口已停止保存。请关闭工会工作台后重新打开，再核对最近录入的内容。")

    def _trip(self, message: str) -> None:
        self.tripped = DatabaseProblem("db_replaced", message)
        log.error("database file changed under us: %s", message)
        raise self.tripped
