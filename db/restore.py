"""Restores that check before they replace (see :mod:`db.backup`): a copy of the backup is checked
(integrity, a UnionDesk schema this program knows, migrated when older) and only then written into
the live file with SQLite's backup API, keeping the file's identity. PostgreSQL: ``pg_restore
--list`` and a trial restore where the role may create databases, then one all-or-nothing
``pg_restore``. On any failure the live database is left as it was."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import make_url

from db.backup_files import clear_leftovers, integrity_ok
from db.errors import DatabaseProblem


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
    clear_leftovers(target)
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
