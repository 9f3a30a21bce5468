"""Opening the database the way CLI.md says, and the services every front end shares.

Precedence: ``--db``, then ``UNIONDESK_DATABASE_URL``, then the URL saved in QSettings, then
the default file in the data folder. Opening upgrades an older file after a backup and
takes the first backup of the day.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from db import backup as backups
from db import migrate
from db.database import Actor, Database, safe_url, sqlite_url
from db.errors import DatabaseProblem
from desktop import paths
from desktop import settings as app_settings

log = logging.getLogger(__name__)
ENV_URL = "UNIONDESK_DATABASE_URL"
QSETTINGS_KEY = "database/url"


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

    @property
    def display(self) -> str:
        return self.db.display_url

    def reload_settings(self) -> None:
        with self.db.session() as s:
            self.settings = app_settings.load(s)
            self.db.actor.clerk = str(self.settings.get("clerk_name") or "")

    def labels(self) -> dict[str, dict[str, str]]:
        with self.db.session() as s:
            return app_settings.choice_labels(s)

    @property
    def union_name(self) -> str:
        return str(self.settings.get("union_name") or "")

    def backup(self, reason: str = "manual", dest: Path | None = None) -> Path:
        """A checked backup; into the backups folder (pruned) unless ``dest`` is given."""
        folder = paths.backups_dir()
        suffix = backups.SUFFIX_SQLITE if self.db.is_sqlite else backups.SUFFIX_PG
        target = dest or folder
        if target == folder or target.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            target = backups.unique_path(target, backups.backup_name(reason, suffix=suffix))
        if self.db.is_sqlite:
            done = backups.backup_sqlite(self.db.path, target)  # type: ignore[arg-type]
        else:
            done = backups.backup_postgres(self.db.url, target)
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

    def restore(self, backup_file: Path) -> None:
        """Replace the database by a backup, after a safety backup of the current one."""
        if not self.db.is_sqlite:
            raise DatabaseProblem("restore_pg", "PostgreSQL 数据库请由管理员用 pg_restore 恢复。")
        target = self.db.path
        assert target is not None
        if not backups.integrity_ok(backup_file):
            raise DatabaseProblem("backup_corrupt", f"备份文件 {backup_file.name} 已损坏或不是工会工作台备份，未恢复。")
        try:
            self.backup("before-restore")
        except DatabaseProblem:
            keep_damaged(target)  # a damaged file cannot be backed up: keep a raw copy instead
        self.db.dispose()
        backups.restore_sqlite(backup_file, target)
        self.db = Database(self.db.url, actor=self.db.actor)
        self.found = migrate.prepare(self.db.engine, backup=None)
        self.reload_settings()

    def close(self) -> None:
        self.db.dispose()


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
    from db.database import sqlite_path

    url, _ = resolve_url(cli_db)
    target = sqlite_path(url)
    if target is None:
        raise DatabaseProblem("restore_pg", "PostgreSQL 数据库请由管理员用 pg_restore 恢复。")
    aside = keep_damaged(target)
    backups.restore_sqlite(backup_file, target)
    return aside


def open_app(cli_db: str | None = None, *, daily_backup: bool = True) -> App:
    """Open (create, upgrade) the database; raises DatabaseProblem with a Chinese message."""
    url, source = resolve_url(cli_db)
    log.info("opening database %s (from %s)", safe_url(url), source)
    db = Database(url, actor=Actor.current())
    app = App(db, source)
    try:
        app.found = migrate.prepare(db.engine, backup=lambda: _upgrade_backup(app))
        app.reload_settings()
        if daily_backup and app.found != "new":
            app.daily_backup()
    except DatabaseProblem:
        db.dispose()
        raise
    except Exception as exc:
        db.dispose()
        from db.database import translate

        problem = translate(exc)
        if problem is not None:
            raise problem from exc
        raise
    return app


def _upgrade_backup(app: App) -> None:
    try:
        app.backup("before-upgrade")
    except DatabaseProblem:
        raise
    except Exception as exc:  # a backup that failed must stop the upgrade
        raise DatabaseProblem("backup_failed", f"升级前备份失败，未升级数据库：{exc}") from exc
