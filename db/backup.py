"""Backups and restores that never leave a half-written file.

SQLite: the backup API into a temporary file beside the destination, an integrity check,
fsync, then an atomic rename. PostgreSQL: ``pg_dump -Fc`` the same way.

Restores check before they replace: the backup is copied beside the database, checked
(integrity, a UnionDesk schema this program knows, migrated when older), and only then
written into the live file with the backup API, which keeps the file's identity (the lock
of ``db.lock`` is keyed by it). On any failure the live file is left byte-identical.
PostgreSQL: ``pg_restore --list`` and, where the role may create databases, a trial restore
into a scratch database; then ``pg_restore --clean --if-exists --single-transaction``.

Names are unique per process: a backup claims its file name with ``O_EXCL`` and its
temporary file carries the process id; only temporary files of dead processes (or older
than a day) are cleared.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import time
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


LEFTOVER_AGE_S = 24 * 3600
_TMP_PID = re.compile(r"\.(\d+)(?:\.restore)?\.tmp$")


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    from db.lock import _alive

    return _alive(pid)


def _clear_leftovers(dest: Path) -> None:
    """Remove temporary files a killed backup left beside ``dest``: those of dead processes,
    or older than a day; never the one another running backup is writing."""
    now = time.time()
    for stale in dest.parent.glob(f".{dest.name}.*.tmp"):
        m = _TMP_PID.search(stale.name)
        with contextlib.suppress(OSError):
            old = now - stale.stat().st_mtime > LEFTOVER_AGE_S
            if old or (m is not None and not _pid_alive(int(m.group(1)))):
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


def _page_size(path: Path) -> int:
    with path.open("rb") as fh:
        head = fh.read(18)
    size = int.from_bytes(head[16:18], "big")
    return 65536 if size == 1 else size


def _not_ours(name: str) -> DatabaseProblem:
    return DatabaseProblem("not_uniondesk", f"备份文件 {name} 不是工会工作台的数据库，未恢复。当前数据库未改变。")


def check_restorable(path: Path, name: str) -> str:
    """Check a copy of a backup (``path``, which may be changed): integrity, a UnionDesk schema
    this program knows, migrated to the head when older. Returns what was found (current/older).
    Raises DatabaseProblem with a Chinese message naming ``name``."""
    from sqlalchemy import inspect

    from db import migrate
    from db.database import make_engine, sqlite_url

    if not integrity_ok(path):
        raise DatabaseProblem("backup_corrupt", f"备份文件 {name} 已损坏或不是 SQLite 数据库，未恢复。当前数据库未改变。")
    engine = make_engine(sqlite_url(path), check=False)
    try:
        try:
            found = migrate.state(engine)
        except Exception as exc:
            raise _not_ours(name) from exc
        if found == "newer":
            raise DatabaseProblem(
                "newer", f"备份文件 {name} 由更新版本的工会工作台创建（结构版本 {migrate.current_revision(engine)}），"
                         "请先升级本程序再恢复。当前数据库未改变。")
        if found in ("foreign", "new"):
            raise _not_ours(name)
        if found == "older":
            try:
                migrate.upgrade(engine)
            except Exception as exc:
                raise DatabaseProblem("restore_failed", f"备份文件 {name} 无法升级到本程序的结构版本，未恢复。"
                                                        "当前数据库未改变。") from exc
        import db.models  # noqa: F401 - every table on Base.metadata
        from db.base import Base

        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
        if not set(Base.metadata.tables) <= tables:
            raise _not_ours(name)
    finally:
        engine.dispose()
    if not integrity_ok(path):
        raise DatabaseProblem("backup_corrupt", f"备份文件 {name} 升级后校验失败，未恢复。当前数据库未改变。")
    return found


def restore_sqlite(backup: Path, target: Path, *, before_write: Callable[[], object] = lambda: None,
                   damaged: bool = False) -> str:
    """Write ``backup`` into ``target`` once a copy of it passed :func:`check_restorable`.

    ``before_write`` runs after the checks and before anything is written (the safety backup).
    The write uses SQLite's backup API into the live file, keeping its identity; ``damaged``
    (a file SQLite cannot open) is emptied in place first. The caller holds the exclusive lock.
    Returns what the check found (current/older).
    """
    tmp = target.with_name(f".{target.name}.{os.getpid()}.restore.tmp")
    _clear_leftovers(target)
    try:
        try:
            shutil.copyfile(backup, tmp)
        except OSError as exc:
            raise DatabaseProblem("restore_failed", f"无法读取备份文件 {backup.name}：{exc.strerror or exc}。"
                                                    "当前数据库未改变。") from exc
        found = check_restorable(tmp, backup.name)
        if not damaged and target.exists() and target.stat().st_size >= 100 \
                and _page_size(target) != _page_size(tmp):
            _set_page_size(tmp, _page_size(target))  # a WAL destination needs the same page size
        before_write()
        if damaged:
            for extra in ("-wal", "-shm"):
                with contextlib.suppress(OSError):
                    Path(str(target) + extra).unlink(missing_ok=True)
            os.truncate(target, 0)  # the same file, emptied: SQLite sees a new database
        _write_into(tmp, target)
        return found
    finally:
        for extra in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                Path(str(tmp) + extra).unlink(missing_ok=True)


def _set_page_size(path: Path, size: int) -> None:
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode = DELETE")
        con.execute(f"PRAGMA page_size = {int(size)}")
        con.execute("VACUUM")
    finally:
        con.close()


def _write_into(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target, timeout=10, isolation_level=None)
        try:
            src.backup(dst)
            if str(dst.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                dst.execute("PRAGMA journal_mode = WAL")
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the .db file alone holds the restore
        finally:
            dst.close()
    except sqlite3.Error as exc:
        text = str(exc).lower()
        if "full" in text:
            raise DatabaseProblem("disk_full", "磁盘空间不足，恢复未完成。请清理磁盘后重试。") from exc
        raise DatabaseProblem("restore_failed", f"恢复失败（{exc}）。") from exc
    finally:
        src.close()


# --------------------------------------------------------------------------- PostgreSQL


def _pg_env_dsn(url: str) -> tuple[dict[str, str], str]:
    u = make_url(url)
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = str(u.password)
    dsn = u.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return env, dsn


def _pg_tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        raise DatabaseProblem(f"{name}_missing", f"未找到 {name}，无法恢复 PostgreSQL 数据库。请安装 PostgreSQL 客户端工具。")
    return exe


def _pg_short(stderr: str) -> str:
    lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
    return "；".join(lines[:3])[:300]


def dump_revision(dump: Path) -> str | None:
    """The ``alembic_version`` in a ``pg_dump -Fc`` file (None when it has none)."""
    exe = _pg_tool("pg_restore")
    proc = subprocess.run([exe, "--data-only", "--table=alembic_version", "-f", "-", str(dump)],
                          capture_output=True, text=True, timeout=600, check=False)
    if proc.returncode != 0:
        return None
    lines = proc.stdout.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and i + 1 < len(lines):
            value = lines[i + 1].strip()
            return None if value == "\\." else value
        m = re.match(r"INSERT INTO \S*alembic_version\b.*VALUES \('([^']+)'\)", line)
        if m:
            return m.group(1)
    return None


def check_pg_dump(dump: Path, url: str) -> str:
    """``pg_restore --list``, the schema version, and a trial restore into a scratch database
    when the role may create one. Returns current/older; raises DatabaseProblem otherwise."""
    from db import migrate

    exe = _pg_tool("pg_restore")
    name = dump.name
    proc = subprocess.run([exe, "--list", str(dump)], capture_output=True, text=True, timeout=600, check=False)
    if proc.returncode != 0:
        raise DatabaseProblem("backup_corrupt", f"备份文件 {name} 已损坏或不是 pg_dump 备份，未恢复。当前数据库未改变。")
    if "alembic_version" not in proc.stdout or " workers" not in proc.stdout:
        raise _not_ours(name)
    revision = dump_revision(dump)
    if revision is None:
        raise _not_ours(name)
    if revision != migrate.HEAD and not migrate._known(revision):
        raise DatabaseProblem("newer", f"备份文件 {name} 由更新版本的工会工作台创建（结构版本 {revision}），"
                                       "请先升级本程序再恢复。当前数据库未改变。")
    _pg_trial_restore(dump, url)
    return "current" if revision == migrate.HEAD else "older"


def _pg_trial_restore(dump: Path, url: str) -> None:
    """Restore into a scratch database and drop it again, where the role may create one."""
    from sqlalchemy import create_engine, text

    scratch = f"uniondesk_check_{os.getpid()}_{int(time.time())}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            allowed = c.execute(text("SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user"))\
                .scalar()
            if not allowed:
                return
            c.execute(text(f'CREATE DATABASE "{scratch}"'))
        try:
            env, dsn = _pg_env_dsn(url)
            scratch_dsn = make_url(dsn).set(database=scratch).render_as_string(hide_password=False)
            proc = subprocess.run([_pg_tool("pg_restore"), "--no-owner", "--single-transaction", "--exit-on-error",
                                   "-d", scratch_dsn, str(dump)], env=env, capture_output=True, text=True,
                                  timeout=3600, check=False)
            if proc.returncode != 0:
                raise DatabaseProblem("backup_corrupt", f"备份文件 {dump.name} 试恢复失败（{_pg_short(proc.stderr)}），"
                                                        "未恢复。当前数据库未改变。")
        finally:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
    finally:
        admin.dispose()


def restore_postgres(dump: Path, url: str) -> None:
    """``pg_restore --clean --if-exists --single-transaction``: all or nothing. The caller
    checked the dump and holds the exclusive advisory lock."""
    env, dsn = _pg_env_dsn(url)
    proc = subprocess.run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction",
                           "--exit-on-error", "--no-owner", "-d", dsn, str(dump)], env=env, capture_output=True,
                          text=True, timeout=3600, check=False)
    if proc.returncode != 0:
        raise DatabaseProblem("restore_failed", f"pg_restore 失败（{_pg_short(proc.stderr)}），已全部撤销，当前数据库未改变。")
