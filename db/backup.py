"""Backups and restores that never leave a half-written file.

SQLite: the backup API into a temporary file beside the destination, an integrity check,
fsync, then an atomic rename. PostgreSQL: ``pg_dump -Fc`` the same way.
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

from db.errors import DatabaseProblem

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


def _fsync(path: Path) -> None:
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


def integrity_ok(path: Path) -> bool:
    """True when ``path`` is an SQLite file that passes ``PRAGMA integrity_check``."""
    try:
        with path.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return False
        con = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
        try:
            return con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            con.close()
    except (OSError, sqlite3.Error):
        return False


def backup_sqlite(source: Path, dest: Path) -> Path:
    """Copy the live database ``source`` to ``dest`` safely (a killed backup leaves the old one)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    _clear_leftovers(dest)
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
        _fsync(tmp)
        os.replace(tmp, dest)
    except sqlite3.Error as exc:
        raise _as_problem(exc, dest) from exc
    except OSError as exc:
        raise DatabaseProblem("backup_failed", f"无法写入备份 {dest}：{exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return dest


def _clear_leftovers(dest: Path) -> None:
    """Remove temporary files a killed backup left beside ``dest``."""
    for stale in dest.parent.glob(f".{dest.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


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
        _fsync(tmp)
        os.replace(tmp, dest)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return dest


def backup_name(reason: str, when: datetime | None = None, suffix: str = SUFFIX_SQLITE) -> str:
    when = when or datetime.now()
    return f"uniondesk-{when:%Y%m%d-%H%M%S}-{reason}{suffix}"


def unique_path(folder: Path, name: str) -> Path:
    """``folder/name``, or with -2, -3... before the suffix when that file already exists."""
    path = folder / name
    stem, suffix = path.stem, path.suffix
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}{suffix}"
        n += 1
    return path


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


def restore_sqlite(backup: Path, target: Path) -> None:
    """Replace ``target`` by ``backup``. The caller disposes its engine first and backs up target."""
    if not integrity_ok(backup):
        raise DatabaseProblem("backup_corrupt", f"备份文件 {backup.name} 已损坏或不是工会工作台备份，未恢复。")
    tmp = target.with_name(f".{target.name}.restore.tmp")
    try:
        shutil.copyfile(backup, tmp)
        _fsync(tmp)
        for extra in ("-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(str(target) + extra).unlink(missing_ok=True)
        os.replace(tmp, target)
    except OSError as exc:
        raise DatabaseProblem("restore_failed", f"恢复失败：{exc.strerror or exc}。当前数据库未改变。") from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
