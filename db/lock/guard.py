"""Noticing a database file replaced, or its ``-wal`` removed, under an open program."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from db.errors import DatabaseProblem
from db.lock.keys import identity

log = logging.getLogger("db.lock")


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
        self._keeper: sqlite3.Connection | None = None

    def arm(self) -> None:
        """Note the ``-wal`` now that a connection is open (it exists while one is). A connection
        of the guard's own stays open until :meth:`close`: the ``-wal`` is removed when a file's
        last connection closes, so the pool closing or replacing all of its connections (an error
        that invalidates one, ``dispose``) must not look like another program removing it."""
        if self._keeper is None:
            keeper = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
            keeper.execute("PRAGMA schema_version").fetchone()  # opens the file and its WAL index
            self._keeper = keeper
        self.wal_ident = identity(self.wal)

    def close(self) -> None:
        """Let the file go (after the engine's connections): the last close tidies the ``-wal``."""
        if self._keeper is not None:
            self._keeper.close()
            self._keeper = None

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
