"""The data layer: migrations, pragmas, audit log, settings, problems a clerk can meet."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import func, inspect, select, text

import db.models  # noqa: F401 - every table on Base.metadata
from db import migrate
from db.base import Base
from db.database import Database, safe_url, sqlite_url
from db.errors import DatabaseProblem, ValidationError
from db.models.core.registers import Organisation, Worker
from db.models.system import AuditEntry
from desktop import settings as app_settings
from desktop.context import open_app
from desktop.programmes.core import registers
from tests.support import valid_id


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("UNIONDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("UNIONDESK_NO_QSETTINGS", "1")
    monkeypatch.delenv("UNIONDESK_DATABASE_URL", raising=False)
    return tmp_path / "home"


def test_migrations_linear_and_create_every_table(tmp_path: Path) -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert len(script.get_heads()) == 1
    assert migrate.script_head() == migrate.HEAD, "update db.migrate.HEAD with the new revision"
    assert [r.revision for r in script.walk_revisions()][-1] == "0001"
    database = Database(sqlite_url(tmp_path / "m.sqlite3"))
    assert migrate.state(database.engine) == "new"
    migrate.upgrade(database.engine)  # every migration (a new file is made by create_all: see below)
    with database.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
    assert migrate.state(database.engine) == "current"
    # Down to nothing and back up again: every revision runs both ways.
    with database.engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "base")
    assert migrate.state(database.engine) == "new"
    migrate.upgrade(database.engine)
    assert migrate.state(database.engine) == "current"
    database.dispose()


def _schema(engine: Any) -> dict[str, dict[str, object]]:
    """Every table's columns (type, nullable, server default), primary key, indexes, unique and
    check constraints and foreign keys, as the database reports them."""
    out: dict[str, dict[str, object]] = {}
    with engine.connect() as conn:
        found = inspect(conn)
        for table in sorted(found.get_table_names()):
            out[table] = {
                "columns": sorted((c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
                                  for c in found.get_columns(table)),  # a column added later comes last
                "pk": found.get_pk_constraint(table)["constrained_columns"],
                "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                                  for i in found.get_indexes(table)),
                "unique": sorted((u["name"], tuple(u["column_names"])) for u in found.get_unique_constraints(table)),
                "checks": sorted((c["name"] or "", c["sqltext"]) for c in found.get_check_constraints(table)),
                "foreign_keys": sorted((tuple(f["constrained_columns"]), f["referred_table"],
                                        tuple(f["referred_columns"]), str(sorted(f.get("options", {}).items())))
                                       for f in found.get_foreign_keys(table)),
            }
    return out


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_new_database_made_from_models_equals_the_migrated_one(backend: str, tmp_path: Path,
                                                                request: pytest.FixtureRequest) -> None:
    """A brand-new database is made by create_all and stamped (fast); every table, column, index
    and constraint is what running every migration makes. A model changed without its migration
    (or the reverse) fails here."""
    url = sqlite_url(tmp_path / "s.sqlite3") if backend == "sqlite" else request.getfixturevalue("pg_url")
    database = Database(url)
    migrate.upgrade(database.engine)
    migrated = _schema(database.engine)
    with database.engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "base")
    assert migrate.state(database.engine) == "new"
    assert migrate.prepare(database.engine) == "new"  # made from the models, no migration run
    assert migrate.state(database.engine) == "current"
    made = _schema(database.engine)
    database.dispose()
    assert {t.name for t in Base.metadata.sorted_tables} <= set(made)
    assert sorted(made) == sorted(migrated)
    for table in migrated:
        assert made[table] == migrated[table], table


def test_sqlite_pragmas(home: Path) -> None:
    app = open_app(None)
    with app.db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    assert app.db.path == home / "uniondesk.sqlite3"
    app.close()


def test_database_precedence(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.context import resolve_url

    assert resolve_url(None)[1] == "default"
    monkeypatch.setenv("UNIONDESK_DATABASE_URL", sqlite_url(tmp_path / "env.sqlite3"))
    assert resolve_url(None) == (sqlite_url(tmp_path / "env.sqlite3"), "UNIONDESK_DATABASE_URL")
    assert resolve_url(str(tmp_path / "cli.sqlite3"))[1] == "--db"
    assert safe_url("postgresql+psycopg://clerk:s3cret@db.local/ud") == "postgresql+psycopg://clerk:***@db.local/ud"


def test_older_file_is_backed_up_then_upgraded_and_newer_refused(home: Path) -> None:
    app = open_app(None)
    path = app.db.path
    app.close()
    assert path is not None
    # Pretend the file came from an older app: an unknown-to-nobody earlier state is "new"
    # history, so fake "newer" and "older" through the version table itself.
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    con.commit()
    con.close()
    with pytest.raises(DatabaseProblem) as info:
        open_app(None)
    assert info.value.code == "newer"
    assert "更新版本" in info.value.message


def test_upgrade_from_first_revision_takes_a_backup(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = open_app(None)
    app.close()
    calls: list[str] = []
    monkeypatch.setattr(migrate, "state", lambda engine: "older")
    monkeypatch.setattr(migrate, "upgrade", lambda engine, revision="head": calls.append("upgrade"))
    from desktop import context

    orig = context.App.backup

    def spy(self: context.App, reason: str = "manual", dest: Path | None = None) -> Path:
        calls.append(reason)
        return orig(self, reason, dest)

    monkeypatch.setattr(context.App, "backup", spy)
    app = open_app(None, daily_backup=False)
    app.close()
    assert calls == ["before-upgrade", "upgrade"]


def test_audit_log_records_insert_update_delete_and_reveal(home: Path) -> None:
    app = open_app(None)
    with app.db.session() as s:
        app_settings.save(s, {"clerk_name": "李会计"})
    app.reload_settings()
    with app.db.session() as s:
        org = registers.save(s, "organisations", None, {"name": "宁波拓锋精密机械有限公司"})
        wid = registers.save(s, "workers", None, {"name": "周国全", "id_number": valid_id(), "employer_id": org})
    with app.db.session() as s:
        registers.save(s, "workers", wid, {"name": "周国全", "id_number": valid_id(), "phone": "13805741234"})
        assert registers.reveal(s, "workers", wid, "id_number") == valid_id()
    with app.db.session() as s:
        registers.delete(s, "workers", wid)
    with app.db.session() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.table_name == "workers").order_by(AuditEntry.id)).all()
    actions = [e.action for e in entries]
    assert actions == ["insert", "update", "reveal", "delete"]
    assert all(e.clerk == "李会计" and e.os_user for e in entries)
    update = entries[1]
    # The audit log stores masked numbers only (issue 10): never the whole phone or ID.
    assert update.old == {"phone": None} and update.new == {"phone": "138****1234"}
    assert entries[3].old["name"] == "周国全"
    assert entries[0].new["id_number"].endswith(valid_id()[-3:]) and valid_id() not in str(entries[0].new)
    app.close()


def test_delete_refused_while_in_use_and_unique_ids(home: Path) -> None:
    app = open_app(None)
    with app.db.session() as s:
        org = registers.save(s, "organisations", None, {"name": "浙江信安智能科技有限公司"})
        registers.save(s, "workers", None, {"name": "王芳", "id_number": valid_id(male=False), "employer_id": org})
    with app.db.session() as s, pytest.raises(ValidationError) as info:
        registers.delete(s, "organisations", org)
    assert "1 名职工" in info.value.message
    with app.db.session() as s, pytest.raises(ValidationError) as dup:
        registers.save(s, "workers", None, {"name": "王芳芳", "id_number": valid_id(male=False)})
    assert "王芳" in dup.value.message
    with app.db.session() as s, pytest.raises(ValidationError) as sex:
        registers.save(s, "workers", None, {"name": "李强", "id_number": valid_id(seq=7), "gender": "female"})
    assert sex.value.message
    app.close()


def test_settings_and_choice_labels(home: Path) -> None:
    app = open_app(None)
    with app.db.session() as s:
        app_settings.save(s, {"union_name": "宁海县跃龙街道总工会", "backup_keep": "12"})
        app_settings.save_choice_labels(s, "member_status", {"active": "在册会员", "suspended": "暂停"})
        with pytest.raises(ValidationError):
            app_settings.save(s, {"serial_prefix": "UD-2026"})
    with app.db.session() as s:
        values = app_settings.load(s)
        labels = app_settings.choice_labels(s)
    assert values["union_name"] == "宁海县跃龙街道总工会" and values["backup_keep"] == 12
    assert labels["member_status"]["active"] == "在册会员" and labels["member_status"]["suspended"] == "暂停"
    assert labels["member_status"]["withdrawn"] == "退会"
    app.close()


def test_damaged_header_is_refused_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "bad.sqlite3"
    path.write_bytes(b"This is not a database at all" + b"\0" * 4000)
    before = path.read_bytes()
    with pytest.raises(DatabaseProblem) as info:
        Database(sqlite_url(path))
    assert info.value.code == "corrupt"
    assert path.read_bytes() == before


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_file_is_refused(tmp_path: Path) -> None:  # pragma: no cover - root in CI
    path = tmp_path / "ro.sqlite3"
    Database(sqlite_url(path)).dispose()
    path.chmod(stat.S_IREAD)
    with pytest.raises(DatabaseProblem) as info:
        Database(sqlite_url(path))
    assert info.value.code == "read_only"


def test_read_only_folder_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ro.sqlite3"
    Database(sqlite_url(path)).dispose()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode))
    with pytest.raises(DatabaseProblem) as info:
        Database(sqlite_url(path))
    assert info.value.code == "read_only" and "只读" in info.value.message


def test_lock_held_by_another_connection(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import db.database as dbmod

    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 200)
    app = open_app(None)
    other = sqlite3.connect(app.db.path, timeout=0.1, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseProblem) as info, app.db.session() as s:
            registers.save(s, "organisations", None, {"name": "被锁住的单位"})
        assert info.value.code == "locked"
    finally:
        other.execute("ROLLBACK")
        other.close()
    with app.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Organisation)) == 0
        registers.save(s, "organisations", None, {"name": "锁释放后的单位"})
    app.close()


def test_disk_full_leaves_row_count_unchanged(home: Path) -> None:
    app = open_app(None)
    with app.db.session() as s:
        registers.save(s, "organisations", None, {"name": "已有单位"})
    eng = app.db.engine

    from sqlalchemy import event

    @event.listens_for(eng, "connect")
    def _cap(dbapi_conn: sqlite3.Connection, _rec: object) -> None:
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 1}")

    eng.dispose()
    with pytest.raises(DatabaseProblem) as info, app.db.session() as s:
        for n in range(3000):
            s.add(Organisation(name=f"新单位{n:05d}" + "很长的名字" * 10))
        s.flush()
    assert info.value.code == "disk_full" and "磁盘空间已满" in info.value.message
    event.remove(eng, "connect", _cap)
    eng.dispose()
    with app.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Organisation)) == 1
    app.close()


def test_network_share_refused() -> None:
    from db.database import check_sqlite_file

    with pytest.raises(DatabaseProblem) as info:
        check_sqlite_file(Path("//fileserver/union/uniondesk.sqlite3"))
    assert info.value.code == "network_share"


@pytest.mark.postgres
def test_postgres_migrations_registers_and_audit(pg_url: str, home: Path) -> None:
    app = open_app(pg_url)
    assert app.found == "new" and not app.db.is_sqlite
    with app.db.session() as s:
        org = registers.save(s, "organisations", None, {"name": "宁海县力洋镇某某模具有限公司"})
        registers.save(s, "workers", None, {"name": "𠮷祥", "id_number": valid_id(), "employer_id": org})
    with app.db.session() as s:
        assert s.scalar(select(Worker.name)) == "𠮷祥"
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 2
        assert s.execute(text("select version_num from alembic_version")).scalar() == migrate.HEAD
    app.close()
    app = open_app(pg_url)
    assert app.found == "current"
    app.close()
