"""The locks on a SQLite database file: shared while open, exclusive for restore; one window per file."""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from db.errors import DatabaseProblem
from db.lock.holders import holders, register, unregister
from db.lock.keys import WAIT_SHARED_S, WINDOW, current_user, describe_holders, file_key, in_use, lock_dir
from db.lock.os_lock import OsLock

log = logging.getLogger("db.lock")


class Exclusive:
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


class DatabaseLock(Exclusive):
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
        self._os = OsLock(self.lock_path)
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
        register(self.folder, self.key, self._token, self.entry)

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
        unregister(self.folder, self.key, self._token)


class WindowLock:
    """One window per database file: ``<key>.window.lock`` held exclusively by the window."""

    def __init__(self, path: Path, *, fallback: Path | None = None) -> None:
        self.folder = lock_dir(fallback)
        self.key = file_key(path)
        self._os = OsLock(self.folder / f"{self.key}.window.lock")

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
