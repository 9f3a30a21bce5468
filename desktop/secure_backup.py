"""Backups with a password, for copies carried on a USB stick (the file format: db.backup_crypt).

The plain backup is taken into a private temporary folder in the data folder (on this PC, never
on the stick), encrypted into the destination with Argon2id at the key-wrapping cost
(desktop.keys.kdf) and AES-256-GCM, and removed. A restore decrypts into such a folder first
(a wrong password stops it there, nothing changed), then restores the plain copy as any other.
Protected fields (db.protected) are encrypted inside either kind of backup anyway.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Protocol

from db import backup as backups
from db import backup_crypt
from db.backup_crypt import SUFFIX_ENCRYPTED, is_encrypted
from db.database import Database
from db.errors import DatabaseProblem
from desktop import paths
from desktop.keys import kdf


class App(Protocol):
    """What this module uses of desktop.context.App (which imports this module)."""

    db: Database

    def backup(self, reason: str = "manual", dest: Path | None = None, *, password: str | None = None) -> Path: ...

    def restore(self, backup_file: Path, *, password: str | None = None) -> None: ...

__all__ = ["SUFFIX_ENCRYPTED", "backup_encrypted", "decrypt_to_temp", "discard", "is_encrypted", "restore_encrypted",
           "temp_root"]

STALE_S = 24 * 3600
MSG_NEEDS_PASSWORD = "备份文件 {name} 设有密码，请输入备份密码后再恢复。当前数据库未改变。"


def temp_root() -> Path:
    """Where plain copies of encrypted backups live while they are made or restored."""
    root = paths.data_dir() / "tmp"
    root.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for stale in root.iterdir():  # left by a process that was killed (or a start-up restore)
        with contextlib.suppress(OSError):
            if stale.is_dir() and now - stale.stat().st_mtime > STALE_S:
                shutil.rmtree(stale, ignore_errors=True)
    return root


def _inner_name(path: Path) -> str:
    """``x.sqlite3.encrypted`` -> ``x.sqlite3``; a renamed file gets the suffix of its header."""
    name = path.name
    if name.endswith(SUFFIX_ENCRYPTED) and len(name) > len(SUFFIX_ENCRYPTED):
        return name[: -len(SUFFIX_ENCRYPTED)]
    suffix = str(backup_crypt.read_header(path).get("suffix") or backups.SUFFIX_SQLITE)
    suffix = suffix if suffix in (backups.SUFFIX_SQLITE, backups.SUFFIX_PG) else backups.SUFFIX_SQLITE
    return path.stem + suffix


def backup_encrypted(app: App, reason: str, dest: Path | None, password: str) -> Path:
    """A checked backup written encrypted under ``password`` to ``dest`` (a folder: a dated name
    ending in ``.encrypted``; None: the backups folder)."""
    if not password:
        raise DatabaseProblem("backup_password", "备份密码不能为空。")
    suffix = backups.SUFFIX_SQLITE if app.db.is_sqlite else backups.SUFFIX_PG
    folder = dest if dest is None or dest.is_dir() else None
    claimed = dest is None or folder is not None
    if claimed:
        place = folder or paths.backups_dir()
        place.mkdir(parents=True, exist_ok=True)
        target = backups.unique_path(place, backups.backup_name(reason, suffix=suffix + SUFFIX_ENCRYPTED))
    else:
        assert dest is not None
        target = dest
    work = Path(tempfile.mkdtemp(prefix="backup-", dir=temp_root()))
    try:
        plain = app.backup(reason, work / f"plain{suffix}")
        params = kdf.wrap_params()
        backup_crypt.encrypt_file(plain, target, password, memory_kib=params.memory_kib, time_cost=params.time_cost,
                                  parallelism=params.parallelism, inner_suffix=suffix)
    except BaseException:
        if claimed:
            backups.release_claim(target)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def decrypt_to_temp(path: Path, password: str) -> Path:
    """A plain copy of encrypted backup ``path`` in a private temporary folder (remove it with
    :func:`discard`). Raises ``backup_password`` for a wrong password, nothing written."""
    if not password:
        raise DatabaseProblem("backup_password", MSG_NEEDS_PASSWORD.format(name=path.name))
    work = Path(tempfile.mkdtemp(prefix="restore-", dir=temp_root()))
    try:
        plain = backup_crypt.decrypt_file(path, work / _inner_name(path), password)
        taken = path.stat()
        os.utime(plain, (taken.st_atime, taken.st_mtime))  # the restore confirmation shows the backup's date
        return plain
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def discard(plain: Path) -> None:
    """Remove a plain copy made by :func:`decrypt_to_temp` (and its private folder)."""
    with contextlib.suppress(OSError):
        if plain.parent.parent == temp_root():
            shutil.rmtree(plain.parent, ignore_errors=True)
        else:
            plain.unlink(missing_ok=True)


def restore_encrypted(app: App, path: Path, password: str | None) -> None:
    """Decrypt ``path`` (a wrong or missing password: DatabaseProblem, nothing changed), then restore it."""
    if not password:
        raise DatabaseProblem("backup_password", MSG_NEEDS_PASSWORD.format(name=path.name))
    plain = decrypt_to_temp(path, password)
    try:
        app.restore(plain)
    finally:
        discard(plain)
