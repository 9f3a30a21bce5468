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

This package imports nothing of ours except ``db.errors``.
"""
from __future__ import annotations

from db.lock.guard import FileGuard
from db.lock.holders import holders
from db.lock.keys import (
    ENV_DIR,
    PG_KEY,
    POSIX_DIR,
    WAIT_SHARED_S,
    WINDOW,
    alive,
    current_user,
    describe_holders,
    file_key,
    identity,
    in_use,
    lock_dir,
)
from db.lock.postgres import PgLock
from db.lock.sqlite import DatabaseLock, WindowLock

__all__ = [
    "ENV_DIR",
    "PG_KEY",
    "POSIX_DIR",
    "WAIT_SHARED_S",
    "WINDOW",
    "DatabaseLock",
    "FileGuard",
    "PgLock",
    "WindowLock",
    "alive",
    "current_user",
    "describe_holders",
    "file_key",
    "holders",
    "identity",
    "in_use",
    "lock_dir",
]
