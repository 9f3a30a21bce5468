"""Opening the database the way CLI.md says, and the services every front end shares.

Precedence: ``--db``, then ``UNIONDESK_DATABASE_URL``, then the URL saved in QSettings, then
the default file in the data folder. Opening upgrades an older file after a backup and
takes the first backup of the day.

Every open App holds the database's shared lock (``db.lock``: keyed by the file's identity,
or an advisory lock on PostgreSQL); ``restore`` and the demo data take it exclusively and
refuse, naming who has the database open. A guard notices the file replaced or its ``-wal``
removed under us and stops every further transaction with a Chinese message.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event

from db import backup as backups
from db import migrate
from db.database import Actor, Database, safe_url, sqlite_path, sqlite_url
from db.errors import DatabaseProblem
from db.lock import DatabaseLock, FileGuard, PgLock
from desktop import audit_heads, paths, registry, secure_backup
from desktop import settings as app_settings
from desktop.accounts import roles
from desktop.accounts.roles import SignedIn
from desktop.changes import Changes
from desktop.keys import KeyRing
from desktop.keys.opening import hold_keys, open_keys

log = logging.getLogger(__name__)
ENV_URL = "UNIONDESK_DATABASE_URL"
QSETTINGS_KEY = "database/url"
#: Who this process is in other processes' "database in use" messages (cli.run sets 命令行 <command>).
PROGRAM = "命令行"
IDLE_CHECKPOINT_S = 60.0


def set_program(name: str) -> None:
    global PROGRAM
    PROGRAM = name


def lock_fallback() -> Path:
    """Where lock files go when the machine-wide folder cannot be created."""
    return paths.data_dir() / "locks"


def to_url(value: str) -> str:
    """A URL as given, or a file path turned into an SQLite URL."""
    return value if "://" in value else sqlite_url(Path(value).expanduser())


def saved_url() -> str | None:
    """The database URL chosen in the GUI (QSettings), if any."""
    if os.environ.get("UNIONDESK_NO_QSETTINGS"):
        return None
    from PySide6.QtCore import QSettings

    value = QSettings("UnionDesk", "UnionDesk").value(QSETTINGS_KEY)
    return str(value) if value else None


def save_url(url: str | None) -> None:
    from PySide6.QtCore import QSettings

    qs = QSettings("UnionDesk", "UnionDesk")
    if url:
        qs.setValue(QSETTINGS_KEY, url)
    else:
        qs.remove(QSETTINGS_KEY)


def resolve_url(cli_db: str | None = None) -> tuple[str, str]:
    """(url, where it came from): --db, environment, settings or default."""
    if cli_db:
        return to_url(cli_db), "--db"
    env = os.environ.get(ENV_URL)
    if env:
        return to_url(env), ENV_URL
    saved = saved_url()
    if saved:
        return to_url(saved), "QSettings"
    return sqlite_url(paths.default_database()), "default"


@dataclass
class App:
    """An open database with its settings: what the GUI and the CLI work on."""

    db: Database
    source: str
    found: str = "current"  # what migrate.prepare found: new, current, older
    settings: dict[str, Any] = field(default_factory=dict)
    lock: DatabaseLock | PgLock | None = None
    guard: FileGuard | None = None
    closed: bool = False  # close() ran: views of this database ignore further changes
    keys: KeyRing | None = None  # what this process could unwrap (desktop.keys)
    user: SignedIn | None = None  # the signed-in account; None without accounts or before sign-in
    has_accounts: bool = False  # the database has at least one account (sign-in required)

    def can(self, permission: str) -> bool:
        """Whether the account working now (or a database without accounts) may do ``permission``."""
        return roles.allowed(self.user, permission, has_accounts=self.has_accounts)

    def use_keys(self, ring: KeyRing | None) -> None:
        """Hold ``ring``; the field key reaches ``db`` only while sensitive fields may be opened."""
        hold_keys(self, ring)
        from desktop.certificates import signing

        signing.sign_waiting(self)  # certificates from before signatures or issued while locked

    def require(self, permission: str, what: str) -> None:
        """Raise :class:`PermissionDenied` naming ``what`` (「导出完整证件号码」) unless allowed."""
        if self.can(permission):
            return
        if permission == roles.SENSITIVE and not self.has_accounts:
            raise roles.PermissionDenied(f"{what}需要先创建管理员账户并授予敏感信息权限。")
        if self.has_accounts and self.user is None:
            raise roles.PermissionDenied(f"{what}需要先登录。")
        raise roles.PermissionDenied(f"当前账户没有权限{what}。")

    @property
    def display(self) -> str:
        return self.db.display_url

    def reload_settings(self) -> None:
        with self.db.session() as s:
            self.settings = app_settings.load(s)
            user = self.user  # signed in: the audit log names the account, not the Settings name
            self.db.actor.clerk = (user.display_name or user.name) if user else str(self.settings.get("clerk_name") or "")

    def labels(self) -> dict[str, dict[str, str]]:
        with self.db.session() as s:
            return app_settings.choice_labels(s)

    def save_settings(self, values: dict[str, Any], choice_lists: dict[str, dict[str, str]] | None = None) -> Changes:
        """Store settings and renamed choice lists in one transaction (audit-logged by the session),
        then read them back. Raises ValidationError / DatabaseProblem with nothing stored."""
        self.require(roles.SETTINGS, "修改设置")
        with self.db.session() as s:
            app_settings.save(s, values)
            for key, labels in (choice_lists or {}).items():
                app_settings.save_choice_labels(s, key, labels)
        self.reload_settings()
        # Labels and names show in every view: everything refreshes.
        return Changes.everything("已保存设置") if values or choice_lists else Changes()

    @property
    def union_name(self) -> str:
        return str(self.settings.get("union_name") or "")

    def backup(self, reason: str = "manual", dest: Path | None = None, *, password: str | None = None) -> Path:
        """A checked backup; into the backups folder (pruned) unless ``dest`` is given; encrypted under
        ``password`` if given (desktop.secure_backup, for a USB stick). A backup the clerk asks for (``manual``) needs the WRITE permission: it holds whole numbers."""
        if reason == "manual":
            self.require(roles.WRITE, "备份数据库")
        if password is not None:
            return secure_backup.backup_encrypted(self, reason, dest, password)
        folder = paths.backups_dir()
        suffix = backups.SUFFIX_SQLITE if self.db.is_sqlite else backups.SUFFIX_PG
        target = dest or folder
        claimed = target == folder or target.is_dir()
        if claimed:
            target.mkdir(parents=True, exist_ok=True)
            target = backups.unique_path(target, backups.backup_name(reason, suffix=suffix))
        try:
            if self.db.is_sqlite:
                done = backups.backup_sqlite(self.db.path, target)  # type: ignore[arg-type]
            else:
                done = backups.backup_postgres(self.db.url, target)
        except BaseException:
            if claimed:
                backups.release_claim(target)
            raise
        if dest is None:
            backups.prune(folder, int(self.settings.get("backup_keep") or 30))
        log.info("backup (%s) written to %s", reason, done)
        return done

    def daily_backup(self, today: date | None = None) -> Path | None:
        """The first start of each day takes a backup (SQLite only; a server has its own)."""
        if not self.db.is_sqlite:
            return None
        today = today or date.today()
        for p in backups.list_backups(paths.backups_dir()):
            if datetime.fromtimestamp(p.stat().st_mtime).date() == today:
                return None
        return self.backup("daily")

    def restore(self, backup_file: Path, *, password: str | None = None) -> None:
        """Replace the database by a backup once a copy of it passed every check.

        Holds the exclusive lock (refused, naming the holder, while anyone else has the
        database open); the safety backup of the current database comes before any write.
        On any failure the current database is unchanged. An encrypted backup is decrypted
        with ``password`` first (desktop.secure_backup). Needs the RESTORE permission.
        """
        self.require(roles.RESTORE, "恢复数据库")
        if secure_backup.is_encrypted(backup_file):
            secure_backup.restore_encrypted(self, backup_file, password)
            return
        with self.exclusive("恢复"):
            if self.db.is_sqlite:
                self._restore_sqlite(backup_file)
            else:
                self._restore_postgres(backup_file)
            self.checkpoint()
        audit_heads.forget_after_restore(self)  # the restored copy's log ends where it ends

    def _restore_sqlite(self, backup_file: Path) -> None:
        target = self.db.path
        assert target is not None

        def safety_backup() -> None:
            try:
                self.backup("before-restore")
            except DatabaseProblem:
                keep_damaged(target)  # a damaged file cannot be backed up: keep a raw copy instead

        self.db.dispose()
        try:
            backups.restore_sqlite(backup_file, target, before_write=safety_backup)
        finally:
            self._reopen()

    def _restore_postgres(self, backup_file: Path) -> None:
        backups.check_pg_dump(backup_file, self.db.url)
        self.backup("before-restore")
        self.db.dispose()
        try:
            backups.restore_postgres(backup_file, self.db.url)
        finally:
            self._reopen()

    def _reopen(self) -> None:
        old = self.db  # the same database again: its field key and lock reason stay (db.protected)
        self.db = Database(old.url, actor=old.actor, field_key=old.field_key, field_lock=old.field_lock)
        self.db.read_only_reason = old.read_only_reason
        self.found = migrate.prepare(self.db.engine, backup=None)
        self.seed_defaults()
        self._watch()
        self.reload_settings()

    def seed_defaults(self) -> None:
        """The standard data (titles, a rating standard, the holiday calendar) into a database just
        made or upgraded; a current one is left alone."""
        if self.found in ("new", "older"):
            with self.db.system_session() as s:
                registry.seed_defaults(s)

    @contextlib.contextmanager
    def exclusive(self, action: str) -> Iterator[None]:
        """Nobody else has the database open inside (``action``: 恢复, 生成演示数据)."""
        if self.lock is None:
            yield
            return
        with self.lock.exclusive(action):
            yield

    # ----------------------------------------------------------------- the file under us

    def _watch(self) -> None:
        """The guard against a replaced file, checked at the start of every transaction."""
        path = self.db.path
        if path is None:
            self.guard = None
            return
        guard = FileGuard(path)
        guard.arm()
        self.guard = guard
        event.listen(self.db.engine, "begin", lambda _conn: guard.check(), insert=True)

    def check_file(self) -> None:
        """Raise DatabaseProblem ``db_replaced`` if the file was replaced or its -wal removed."""
        if self.guard is not None:
            self.guard.check()

    def _wal(self) -> Path | None:
        path = self.db.path
        return Path(str(path) + "-wal") if path is not None else None

    def wal_pending(self) -> bool:
        """The -wal holds pages the .db file has not got yet."""
        wal = self._wal()
        try:
            return wal is not None and wal.stat().st_size > 0
        except OSError:
            return False

    def idle_for(self) -> float:
        """Seconds since the last write to the database (the -wal's modification time)."""
        wal = self._wal()
        try:
            return time.time() - wal.stat().st_mtime if wal is not None else 0.0
        except OSError:
            return 0.0

    def checkpoint(self, mode: str = "PASSIVE", busy_ms: int | None = None) -> bool:
        """``PRAGMA wal_checkpoint(mode)`` on a connection of its own (never the UI thread).

        TRUNCATE runs with ``busy_ms`` (0: skip when busy). Returns True when it completed.
        """
        path = self.db.path
        if path is None or not self.wal_pending():
            return False
        if self.guard is not None and self.guard.tripped is not None:
            return False
        try:
            self.check_file()
            con = sqlite3.connect(path, timeout=(busy_ms if busy_ms is not None else 5000) / 1000,
                                  isolation_level=None)
            try:
                busy, _log, _done = con.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
            finally:
                con.close()
        except (sqlite3.Error, DatabaseProblem) as exc:
            log.info("checkpoint %s skipped: %s", mode, exc)
            return False
        if busy:
            log.debug("checkpoint %s skipped: the database is busy", mode)
        return not busy

    def idle_checkpoint(self) -> bool:
        """After ``IDLE_CHECKPOINT_S`` without writes: TRUNCATE, skipped when busy (busy_timeout 0)."""
        if not self.wal_pending() or self.idle_for() < IDLE_CHECKPOINT_S:
            return False
        return self.checkpoint("TRUNCATE", busy_ms=0)

    def close(self) -> None:
        if not self.closed:  # the session's end: a signed head over the audit log (never raises)
            audit_heads.sign_now(self)
        self.closed = True
        if self.db.is_sqlite:
            self.checkpoint()  # other programs may keep the file open: leave the .db file whole
        self.db.dispose()
        if self.guard is not None:
            self.guard.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def database_file(url: str) -> Path | None:
    """The SQLite file a database URL names (None for a server URL)."""
    return sqlite_path(url)


def keep_damaged(path: Path) -> Path:
    """Copy a damaged database aside (never delete what might still be rescued)."""
    import shutil

    aside = path.with_name(f"{path.name}.damaged-{datetime.now():%Y%m%d-%H%M%S}")
    shutil.copy2(path, aside)
    log.warning("damaged database copied to %s", aside)
    return aside


def restore_damaged(cli_db: str | None, backup_file: Path) -> Path:
    """At start-up, replace a database that cannot be opened by a good backup.

    The damaged file is kept beside it (``.damaged-<time>``); returns that copy's path.
    """
    url, _ = resolve_url(cli_db)
    target = sqlite_path(url)
    if target is None:
        raise DatabaseProblem("restore_pg", "PostgreSQL 数据库请由管理员用 pg_restore 恢复。")
    lock = DatabaseLock(target, PROGRAM, fallback=lock_fallback())
    lock.acquire_shared()
    try:
        with lock.exclusive("恢复"):
            kept: list[Path] = []
            backups.restore_sqlite(backup_file, target, before_write=lambda: kept.append(keep_damaged(target)),
                                   damaged=True)
    finally:
        lock.release()
    return kept[0]


def open_app(cli_db: str | None = None, *, daily_backup: bool = True, program: str | None = None) -> App:
    """Open (create, upgrade) the database holding its shared lock; raises DatabaseProblem
    with a Chinese message. ``program`` names us to others (default :data:`PROGRAM`)."""
    url, source = resolve_url(cli_db)
    log.info("opening database %s (from %s)", safe_url(url), source)
    db = Database(url, actor=Actor.current())
    app = App(db, source)
    try:
        app.lock = _take_lock(db, program or PROGRAM)
        app.found = migrate.prepare(db.engine, backup=lambda: _upgrade_backup(app))
        app._watch()
        app.reload_settings()
        app.use_keys(open_keys(app))  # every database has keys (made when it has none); this PC's ring
        app.seed_defaults()
        if daily_backup and app.found != "new":
            app.daily_backup()
        from desktop.accounts.opening import after_open

        after_open(app)  # keep last: has_accounts, no writes until sign-in, the CLI's --user signs in
    except Exception as exc:
        db.dispose()
        if app.lock is not None:
            app.lock.release()
            app.lock = None
        if isinstance(exc, DatabaseProblem):
            raise
        from db.database import translate

        problem = translate(exc)
        if problem is not None:
            raise problem from exc
        raise
    return app


def _take_lock(db: Database, program: str) -> DatabaseLock | PgLock | None:
    """The shared lock of a newly opened database (its file created, empty, when missing)."""
    path = db.path
    if db.is_sqlite:
        if path is None:
            return None
        if not path.exists():
            with contextlib.suppress(FileExistsError):
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        lock: DatabaseLock | PgLock = DatabaseLock(path, program, fallback=lock_fallback())
    else:
        lock = PgLock(db.url, program)
    lock.acquire_shared()
    return lock


def _upgrade_backup(app: App) -> None:
    try:
        app.backup("before-upgrade")
    except DatabaseProblem:
        raise
    except Exception as exc:  # a backup that failed must stop the upgrade
        raise DatabaseProblem("backup_failed", f"升级前备份失败，未升级数据库：{exc}") from exc
