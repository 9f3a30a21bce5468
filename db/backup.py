"""Backups and restores that never leave a half-written file.

SQLite: the backup API into a temporary file beside the destination, an integrity check,
fsync, then an atomic rename. PostgreSQL: ``pg_dump -Fc`` the same way.

Restores check before they replace: the backup is copied beside the database, checked
(integrity, a UnionDesk schema this program knows, migrated when older), and only then
written into the live file with the backup API, which keeps the file's identity (the lock
of ``db.lock`` is keyed by it). On any failure the live file is left byte-identical
(:mod:`db.restore`; re-exported here).
PostgreSQL: ``pg_restore --list`` and, where the role may create databases, a trial restore
into a scratch database; then ``pg_restore --clean --if-exists --single-transaction``.

Names are unique per process: a backup claims its file name with ``O_EXCL`` and its
temporary file carries the process id; only temporary files of dead processes (or older
than a day) are cleared.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from db.backup_files import clear_leftovers, fsync, integrity_ok
from db.errors import DatabaseProblem
from db.restore import check_pg_dump, check_restorable, dump_revision, restore_postgres, restore_sqlite

__all__ = [
    "SUFFIX_PG",
    "SUFFIX_SQLITE",
    "BackupInfo",
    "backup_name",
    "backup_postgres",
    "backup_sqlite",
    "check_pg_dump",
    "check_restorable",
    "clear_leftovers",
    "dump_revision",
    "info",
    "integrity_ok",
    "list_backups",
    "newest_good",
    "prune",
    "release_claim",
    "restore_postgres",
    "restore_sqlite",
    "unique_path",
]

SUFFIX_SQLITE = ".sqlite3"
SUFFIX_PG = ".pgdump"
# Test-only hook: called between pages of a backup (the fault tests kill the process there).
_step_hook: Callable[[int, int], None] | None = None


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken: datetime
    workers: int
    organisations: int
    ok: bool


def backup_sqlite(source: Path, dest: Path) -> Path:
    """Copy the live database ``source`` to ``dest`` safely (a killed backup leaves the old one)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    clear_leftovers(dest)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        src = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True, timeout=10)
        try:
            out = sqlite3.connect(tmp)
            try:
                def progress(_status: int, remaining: int, total: int) -> None:
                    if _step_hook is not None:
                        _step_hook(total - remaining, total)

                src.backup(out, pages=64, progress=progress)
                out.execute("PRAGMA journal_mode = DELETE")
            finally:
                out.close()
        finally:
            src.close()
        if not integrity_ok(tmp):
            raise DatabaseProblem("backup_failed", f"备份文件校验失败，未替换原有备份：{dest}")
        fsync(tmp)
        os.replace(tmp, dest)
    except sqlite3.Error as exc:
        raise _as_problem(exc, dest) from exc
    except OSError as exc:
        raise DatabaseProblem("backup_failed", f"无法写入备份 {dest}：{exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return dest


def _as_problem(exc: sqlite3.Error, dest: Path) -> DatabaseProblem:
    text = str(exc).lower()
    if "full" in text:
        return DatabaseProblem("disk_full", f"磁盘空间不足，备份未完成，原有备份未受影响：{dest}")
    return DatabaseProblem("backup_failed", f"备份失败（{exc}），原有备份未受影响。")


def backup_postgres(url: str, dest: Path) -> Path:
    exe = shutil.which("pg_dump")
    if exe is None:
        raise DatabaseProblem("pg_dump_missing", "未找到 pg_dump，无法备份 PostgreSQL 数据库。请安装 PostgreSQL 客户端工具。")
    u = make_url(url)
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = u.password
    dsn = u.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        proc = subprocess.run([exe, "-Fc", "-f", str(tmp), dsn], env=env, capture_output=True, text=True,
                              timeout=3600, check=False)
        if proc.returncode != 0:
            raise DatabaseProblem("backup_failed", f"pg_dump 失败：{proc.stderr.strip()[:300]}")
        fsync(tmp)
        os.replace(tmp, dest)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return dest


def backup_name(reason: str, when: datetime | None = None, suffix: str = SUFFIX_SQLITE) -> str:
    when = when or datetime.now()
    return f"uniondesk-{when:%Y%m%d-%H%M%S}-{reason}{suffix}"


def unique_path(folder: Path, name: str) -> Path:
    """``folder/name``, or with -2, -3... before the suffix when that file already exists.

    The name is claimed (an empty file created with ``O_EXCL``), so two processes backing up
    at the same second never pick the same one; the backup then replaces the empty file.
    """
    path = folder / name
    stem, suffix = path.stem, path.suffix
    n = 2
    while True:
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
            return path
        except FileExistsError:
            path = folder / f"{stem}-{n}{suffix}"
            n += 1


def release_claim(path: Path) -> None:
    """Remove a name claimed by :func:`unique_path` whose backup failed (still empty)."""
    with contextlib.suppress(OSError):
        if path.stat().st_size == 0:
            path.unlink()


def list_backups(folder: Path) -> list[Path]:
    """Backups in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    items = [p for p in folder.iterdir() if p.is_file() and p.name.startswith("uniondesk-")
             and p.suffix in (SUFFIX_SQLITE, SUFFIX_PG)]
    return sorted(items, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete the oldest backups beyond ``keep``; returns what was removed."""
    removed = []
    for p in list_backups(folder)[max(keep, 1):]:
        with contextlib.suppress(OSError):
            p.unlink()
            removed.append(p)
    return removed


def info(path: Path) -> BackupInfo:
    """Date and counts of a backup, for the restore confirmation."""
    taken = datetime.fromtimestamp(path.stat().st_mtime)
    ok = integrity_ok(path)
    workers = organisations = 0
    if ok:
        con = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
        try:
            workers = con.execute("SELECT count(*) FROM workers").fetchone()[0]
            organisations = con.execute("SELECT count(*) FROM organisations").fetchone()[0]
        except sqlite3.Error:
            ok = False
        finally:
            con.close()
    return BackupInfo(path, taken, workers, organisations, ok)


def newest_good(folder: Path) -> Path | None:
    for p in list_backups(folder):
        if p.suffix == SUFFIX_SQLITE and integrity_ok(p):
            return p
    return None
