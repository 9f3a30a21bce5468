"""Engine and sessions: SQLite (the default file) or PostgreSQL, with the pragmas we rely on.

``Database`` is created by desktop's start-up code, never at import time.

Who is working (``Actor``, db/actor.py) and the clerk's words for a database error
(``translate``, ``describe_error``, db/error_messages.py) are re-exported here.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from db import protected, write_guard
from db.actor import Actor
from db.error_messages import MSG_DISK_FULL, describe_error, note_sqlite_folder, translate
from db.errors import DatabaseProblem

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000

__all__ = ["MSG_DISK_FULL", "Actor", "Database", "check_sqlite_file", "describe_error", "is_network_path",
           "make_engine", "safe_url", "sqlite_path", "sqlite_url", "translate"]


def safe_url(url: str) -> str:
    """The URL with its password hidden, for the status bar, logs and messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1] if "@" in url else url


def sqlite_path(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def sqlite_url(path: str | os.PathLike[str]) -> str:
    return f"sqlite:///{Path(path).resolve().as_posix()}"


def is_network_path(path: Path) -> bool:
    """SQLite over a network share corrupts: UNC paths, mapped network drives, NFS/CIFS mounts."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if os.name == "nt":  # pragma: no cover - Windows only
        import ctypes

        drive = os.path.splitdrive(os.path.abspath(text))[0]
        if drive:
            return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == 4  # DRIVE_REMOTE
        return False
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return False
    best, fstype = "", ""
    resolved = str(path.resolve())
    for line in mounts:
        parts = line.split()
        inside = len(parts) >= 3 and (resolved == parts[1] or resolved.startswith(parts[1].rstrip("/") + "/"))
        if inside and len(parts[1]) > len(best):
            best, fstype = parts[1], parts[2]
    return fstype in {"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "fuse.sshfs", "davfs"}


def check_sqlite_file(path: Path) -> None:
    """Refuse, with a clear message, a file we must not or cannot open."""
    if is_network_path(path):
        raise DatabaseProblem(
            "network_share",
            f"数据库文件位于网络共享文件夹（{path}），多人共用会损坏数据。请把文件放在本机，多人共用请改用 PostgreSQL 服务器。",
        )
    if not path.exists():
        folder = path.parent
        if not folder.exists():
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseProblem("not_writable", f"无法创建数据文件夹 {folder}：{exc.strerror}") from exc
        if not os.access(folder, os.W_OK):
            raise DatabaseProblem("read_only", f"文件夹 {folder} 只读，无法在此创建数据库。")
        return
    if path.is_dir():
        raise DatabaseProblem("not_sqlite", f"{path} 是一个文件夹，不是数据库文件。")
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise DatabaseProblem("unreadable", f"无法读取数据库文件 {path}：{exc.strerror}") from exc
    if head and head != SQLITE_HEADER:
        raise DatabaseProblem("corrupt", f"数据库文件 {path} 已损坏（文件头不是 SQLite 数据库）。")
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise DatabaseProblem(
            "read_only",
            f"数据库文件 {path} 或其所在文件夹是只读的，无法保存数据。请检查文件属性或复制到可写的位置。",
        )


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # Let SQLAlchemy emit BEGIN itself (pysqlite's own transaction handling breaks savepoints).
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    try:
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = FULL")
        mode = cur.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            cur.execute("PRAGMA journal_mode = WAL")
    finally:
        cur.close()


def _sqlite_on_begin(conn: object) -> None:
    conn.exec_driver_sql("BEGIN")  # type: ignore[attr-defined]


def make_engine(url: str, *, check: bool = True) -> Engine:
    path = sqlite_path(url)
    if make_url(url).get_backend_name() == "sqlite":
        if path is not None and check:
            check_sqlite_file(path)
        if path is not None:
            note_sqlite_folder(path.parent)
        # hide_parameters: an error's text never carries the bound values (whole ID numbers).
        engine = create_engine(url, hide_parameters=True,
                               connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)
    except ModuleNotFoundError as exc:
        raise DatabaseProblem(
            "driver_missing", f"缺少数据库驱动 {exc.name}，请安装 PostgreSQL 支持（pip install \"uniondesk[postgres]\"）。"
        ) from exc


class Database:
    """An open database: its engine, a session factory and who is working."""

    def __init__(self, url: str, *, actor: Actor | None = None, check: bool = True,
                 field_key: bytes | None = None, field_lock: str = protected.NO_ACCOUNTS) -> None:
        self.url = url
        self.engine = make_engine(url, check=check)
        self.actor = actor or Actor.current()
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        #: The field data key (desktop.keys, set through App.use_keys only for an account with the
        #: sensitive-information permission); None: protected columns read 「（受保护）」 and refuse writes.
        self.field_key: bytes | None = field_key
        #: Why there is no key, for the refusal's message: db.protected.NO_ACCOUNTS or NO_PERMISSION.
        self.field_lock: str = field_lock
        protected.install(self.engine, lambda: protected.FieldKeyState(self.field_key, self.field_lock))
        #: Why this process may not write (a 只读 account, nobody signed in), or None (db.write_guard).
        self.read_only_reason: str | None = None
        write_guard.install(self.engine, lambda: self.read_only_reason)
        import db.audit  # noqa: F401 - installs the audit listener on every session

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @property
    def display_url(self) -> str:
        return str(self.path) if self.path else safe_url(self.url)

    def new_session(self) -> Session:
        s = self._sessions()
        s.info["actor"] = self.actor
        return s

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back (and translated) on error."""
        s = self.new_session()
        try:
            yield s
            s.commit()
        except BaseException as exc:
            s.rollback()
            problem = translate(exc)
            if problem is not None and problem is not exc:
                raise problem from exc
            raise
        finally:
            s.close()

    @contextmanager
    def system_session(self) -> Iterator[Session]:
        """A unit of work for the program's own bookkeeping (sign-in times, failed attempts),
        allowed while :attr:`read_only_reason` refuses the clerk's writes."""
        with self.session() as s:
            s.connection(execution_options={write_guard.SYSTEM: True})
            yield s

    def dispose(self) -> None:
        self.engine.dispose()
