"""Restore checks before it replaces: foreign, newer, corrupt and non-SQLite backups leave the
live file byte-identical; a good one is written in place (same inode); backup names are unique
per process; PostgreSQL restores through pg_restore (checked first, all or nothing)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text, update

from db import backup as backups
from db import migrate
from db.errors import DatabaseProblem
from db.models.core.registers import Worker
from desktop.context import App, open_app
from tests.support import ROOT, cli, closed_demo_database


def workers(app: App) -> int:
    with app.db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Worker)) or 0)


def renamed(app: App) -> int:
    """Workers renamed by the test (demo rows are referenced elsewhere: rename, never delete)."""
    with app.db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Worker).where(Worker.name == "改过")) or 0)


def rename(app: App, above: int) -> None:
    with app.db.session() as s:
        s.execute(update(Worker).where(Worker.id > above).values(name="改过"))


@pytest.fixture
def live(tmp_path: Path, uniondesk_home: Path) -> Path:
    """A closed database with demo data (40 workers): the file the restores aim at."""
    return closed_demo_database(tmp_path / "office.sqlite3", 40)


def count_file(path: Path, where: str = "1") -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(con.execute(f"SELECT count(*) FROM workers WHERE {where}").fetchone()[0])
    finally:
        con.close()


def a_real_backup(live: Path, tmp_path: Path, name: str = "good.sqlite3") -> Path:
    app = open_app(str(live), daily_backup=False)
    try:
        return app.backup("manual", tmp_path / name)
    finally:
        app.close()


def foreign_with_our_tables(path: Path) -> Path:
    """An SQLite file of another program that happens to have workers and organisations tables."""
    con = sqlite3.connect(path)
    con.executescript("CREATE TABLE workers (id INTEGER PRIMARY KEY, name TEXT);"
                      "CREATE TABLE organisations (id INTEGER PRIMARY KEY, name TEXT);"
                      "INSERT INTO workers (name) VALUES ('外来');")
    con.commit()
    con.close()
    return path


def newer_backup(live: Path, tmp_path: Path) -> Path:
    path = a_real_backup(live, tmp_path, "newer.sqlite3")
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    return path


def corrupt_backup(live: Path, tmp_path: Path) -> Path:
    path = a_real_backup(live, tmp_path, "corrupt.sqlite3")
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 2, len(data), 4096):  # every page after the schema: garbage
        data[offset:offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("kind", ["foreign", "newer", "corrupt", "not_sqlite"])
def test_a_bad_backup_leaves_the_live_file_byte_identical(kind: str, live: Path, tmp_path: Path) -> None:
    if kind == "foreign":
        bad = foreign_with_our_tables(tmp_path / "other-program.db")
        expected = "不是工会工作台"
    elif kind == "newer":
        bad = newer_backup(live, tmp_path)
        expected = "请先升级本程序"
    elif kind == "corrupt":
        bad = corrupt_backup(live, tmp_path)
        expected = "未恢复"
    else:
        bad = tmp_path / "notes.sqlite3"
        bad.write_text("这不是数据库" * 500, encoding="utf-8")
        expected = "未恢复"
    before = live.read_bytes()
    inode = live.stat().st_ino
    r = cli("restore", str(bad), "--yes", home=tmp_path / "home", db=live)
    assert r.returncode == 1, r.stdout + r.stderr
    assert expected in r.stderr and "Traceback" not in r.stderr
    assert live.read_bytes() == before and live.stat().st_ino == inode
    assert count_file(live) == 40
    assert not [p for p in live.parent.iterdir() if p.name.endswith(".restore.tmp")]


def test_app_restore_of_a_foreign_or_newer_file_changes_nothing(live: Path, tmp_path: Path) -> None:
    """In process (the GUI's path): the check runs before the write, the app stays usable."""
    newer = newer_backup(live, tmp_path)
    foreign = foreign_with_our_tables(tmp_path / "other.db")
    app = open_app(str(live), daily_backup=False)
    try:
        with pytest.raises(DatabaseProblem) as info:
            app.restore(newer)
        assert info.value.code == "newer" and "请先升级本程序" in info.value.message
        with pytest.raises(DatabaseProblem) as info:
            app.restore(foreign)
        assert info.value.code == "not_uniondesk"
        assert workers(app) == 40  # reopened on the unchanged file
    finally:
        app.close()
    assert count_file(live) == 40


def test_good_restore_writes_in_place_after_a_safety_backup(live: Path, tmp_path: Path,
                                                            uniondesk_home: Path) -> None:
    good = a_real_backup(live, tmp_path)
    inode = live.stat().st_ino
    app = open_app(str(live), daily_backup=False)
    try:
        rename(app, 5)
        assert renamed(app) == 35
        app.restore(good)
        assert workers(app) == 40 and renamed(app) == 0
        assert migrate.current_revision(app.db.engine) == migrate.HEAD
    finally:
        app.close()
    assert live.stat().st_ino == inode  # the backup API wrote into the same file
    safety = list((uniondesk_home / "backups").glob("*-before-restore.sqlite3"))
    assert len(safety) == 1 and count_file(safety[0], "name = '改过'") == 35
    assert count_file(live, "name = '改过'") == 0  # the .db file alone holds the restore


def test_an_older_backup_is_migrated_on_its_copy(live: Path, tmp_path: Path) -> None:
    from db.database import make_engine, sqlite_url

    old = tmp_path / "old.sqlite3"
    engine = make_engine(sqlite_url(old), check=False)
    migrate.upgrade(engine, "0004")
    with engine.begin() as c:
        c.execute(text("INSERT INTO organisations (id, name, kind) VALUES (1, '旧单位', 'enterprise')"))
    engine.dispose()
    before = old.read_bytes()
    app = open_app(str(live), daily_backup=False)
    try:
        app.restore(old)
        assert migrate.current_revision(app.db.engine) == migrate.HEAD
        assert workers(app) == 0
        with app.db.session() as s:
            assert s.execute(text("SELECT name FROM organisations")).scalars().all() == ["旧单位"]
    finally:
        app.close()
    assert old.read_bytes() == before  # the backup itself is never changed


def test_restore_damaged_keeps_the_file_identity(live: Path, tmp_path: Path) -> None:
    from desktop.context import restore_damaged

    good = a_real_backup(live, tmp_path)
    inode = live.stat().st_ino
    with live.open("r+b") as fh:
        fh.write(b"\0" * 100)
    aside = restore_damaged(str(live), good)
    assert aside.read_bytes()[:100] == b"\0" * 100
    assert live.stat().st_ino == inode and count_file(live) == 40


# -- backup names unique per process ---------------------------------------------------------------


def test_two_backups_in_the_same_second_get_distinct_names(live: Path, uniondesk_home: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backups, "backup_name", lambda reason, when=None, suffix=".sqlite3":
                        f"uniondesk-20250101-120000-{reason}{suffix}")
    app = open_app(str(live), daily_backup=False)
    try:
        first = app.backup("before-import")
        second = app.backup("before-import")
    finally:
        app.close()
    assert first != second and first.name == "uniondesk-20250101-120000-before-import.sqlite3"
    assert count_file(first) == count_file(second) == 40


def test_a_claimed_name_is_never_reused(tmp_path: Path) -> None:
    a = backups.unique_path(tmp_path, "uniondesk-x-manual.sqlite3")
    b = backups.unique_path(tmp_path, "uniondesk-x-manual.sqlite3")  # before a's backup was written
    assert a != b and a.exists() and b.exists()
    backups.release_claim(a)
    assert not a.exists()


def test_leftovers_of_running_processes_are_kept(tmp_path: Path) -> None:
    dest = tmp_path / "uniondesk-x-manual.sqlite3"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True)
        running = tmp_path / f".{dest.name}.{sleeper.pid}.tmp"
        gone = tmp_path / f".{dest.name}.{int(dead.stdout)}.tmp"
        old = tmp_path / f".{dest.name}.{sleeper.pid + 1}x.tmp"
        for p in (running, gone, old):
            p.write_bytes(b"partial")
        os.utime(old, (1_000_000_000, 1_000_000_000))
        backups.clear_leftovers(dest)
        assert running.exists()  # another process is still writing it
        assert not gone.exists() and not old.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


def test_two_simultaneous_backups_of_one_file(live: Path, tmp_path: Path) -> None:
    """Two processes backing up at once into one folder: two good backups, no lost temp file."""
    folder = tmp_path / "usb"
    folder.mkdir()
    code = ("import sys; from pathlib import Path; from db import backup as b; "
            "import desktop.context as c; c.backups.backup_name = "
            "lambda reason, when=None, suffix='.sqlite3': f'uniondesk-20250101-120000-{reason}{suffix}'; "
            "a = c.open_app(sys.argv[1], daily_backup=False); print(a.backup('manual', Path(sys.argv[2]))); a.close()")
    env = dict(os.environ, UNIONDESK_HOME=str(tmp_path / "home"), UNIONDESK_NO_QSETTINGS="1")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(live), str(folder)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    made = sorted(folder.glob("uniondesk-*.sqlite3"))
    assert len(made) == 3 and len({o[0].strip() for o in outs}) == 3
    assert all(backups.integrity_ok(p) and count_file(p) == 40 for p in made)
    assert not list(folder.glob(".*.tmp"))


# -- PostgreSQL --------------------------------------------------------------------------------------

needs_pg_tools = pytest.mark.skipif(not (shutil.which("pg_dump") and shutil.which("pg_restore")),
                                    reason="pg_dump/pg_restore not installed (Debian: postgresql-client)")


@pytest.mark.postgres
@needs_pg_tools
def test_postgres_restore_checks_then_restores_whole(pg_url: str, tmp_path: Path) -> None:
    from desktop import demo

    app = open_app(pg_url, daily_backup=False)
    try:
        demo.create(app.db, size=30)
        dump = app.backup("manual", tmp_path / "pg.pgdump")
        rename(app, 3)
        assert renamed(app) == 27
        app.restore(dump)
        assert workers(app) == 30 and renamed(app) == 0

        # a newer dump is refused before anything is touched
        with app.db.engine.begin() as c:
            c.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        newer = app.backup("manual", tmp_path / "newer.pgdump")
        with app.db.engine.begin() as c:
            c.execute(text(f"UPDATE alembic_version SET version_num = '{migrate.HEAD}'"))
        rename(app, 20)
        with pytest.raises(DatabaseProblem) as info:
            app.restore(newer)
        assert info.value.code == "newer" and "请先升级本程序" in info.value.message
        assert renamed(app) == 10

        garbage = tmp_path / "garbage.pgdump"
        garbage.write_bytes(b"PGDMP" + b"\0" * 200)
        with pytest.raises(DatabaseProblem) as info:
            app.restore(garbage)
        assert "未恢复" in info.value.message and renamed(app) == 10
    finally:
        app.close()
