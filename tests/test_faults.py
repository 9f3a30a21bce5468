"""Fault injection: killed imports and backups, corrupt files. Nothing half-written, nothing lost."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import Workbook

from db import backup as backups
from db.database import Database, sqlite_url
from db.errors import DatabaseProblem
from desktop.context import open_app
from tests.support import ROOT

ROWS = 10_000


@pytest.fixture(scope="module")
def big_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kill") / "workers10k.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("职工")
    ws.append(["姓名", "身份证号码", "工作单位", "手机号码"])
    for n in range(ROWS):
        name = SURNAMES[n % 20] + GIVEN[(n // 20) % 40] + GIVEN[(n // 800) % 40]
        ws.append([name, _id(n), f"宁海{GIVEN[n % 40]}机械有限公司", f"138{n:08d}"])
    wb.save(path)
    return path


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国红梅志新海波宁晓东雪飞鹏辉"


def _id(n: int) -> str:
    from db.validators import id_check_digit

    body = f"330226{1970 + n % 30}{1 + n % 12:02d}{1 + n % 28:02d}{n // 336:03d}"
    return body + id_check_digit(body)


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"UNIONDESK_HOME": str(home), "UNIONDESK_NO_QSETTINGS": "1", **extra})
    env.pop("UNIONDESK_DATABASE_URL", None)
    return env


def _count(db_path: Path) -> tuple[str, int]:
    con = sqlite3.connect(db_path)
    try:
        ok = con.execute("PRAGMA integrity_check").fetchone()[0]
        return ok, con.execute("SELECT count(*) FROM workers").fetchone()[0]
    finally:
        con.close()


@pytest.mark.slow
def test_sigkill_during_import_leaves_none_or_all(big_workbook: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    base = tmp_path / "base.sqlite3"
    app = open_app(str(base), daily_backup=False)
    app.close()
    cmd = [sys.executable, "-m", "desktop", "import", "workers", str(big_workbook)]

    # One uninterrupted run tells how long the whole job takes.
    full = tmp_path / "full.sqlite3"
    shutil.copy(base, full)
    start = time.monotonic()
    r = subprocess.run([*cmd, "--db", str(full)], env=_env(home), cwd=ROOT, capture_output=True, text=True, timeout=300)
    duration = time.monotonic() - start
    assert r.returncode == 0, r.stderr
    assert _count(full) == ("ok", ROWS)

    outcomes = []
    # 14 kills spread over the whole job (start-up, reading, validating, writing)...
    delays = [duration * (0.1 + 0.85 * i / 13) for i in range(14)]
    plans = [(d, None) for d in delays]
    # ...and 6 inside the transaction and around COMMIT, found through the test-only pause.
    plans += [(None, gap) for gap in (0.0, 0.01, 0.02, 0.03, 0.045, 0.06)]
    for i, (delay, gap) in enumerate(plans):
        db_path = tmp_path / f"run{i}.sqlite3"
        shutil.copy(base, db_path)
        marker = tmp_path / f"marker{i}"
        extra = {"UNIONDESK_TEST_PAUSE_BEFORE_COMMIT": str(marker), "UNIONDESK_TEST_PAUSE_SECONDS": "0.03"} \
            if gap is not None else {}
        proc = subprocess.Popen([*cmd, "--db", str(db_path)], env=_env(home, **extra), cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if gap is None:
            assert delay is not None
            time.sleep(delay)
        else:
            deadline = time.monotonic() + 120
            while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.002)
            time.sleep(gap)
        proc.kill()  # SIGKILL; TerminateProcess on Windows
        proc.wait(timeout=30)
        ok, count = _count(db_path)
        outcomes.append(count)
        assert ok == "ok", f"run {i}: integrity {ok}"
        assert count in (0, ROWS), f"run {i}: {count} rows"
    # The kills really landed on both sides of the commit at least once each.
    assert 0 in outcomes


@pytest.mark.slow
def test_killed_backup_never_replaces_the_good_one(tmp_path: Path) -> None:
    src = tmp_path / "live.sqlite3"
    database = Database(sqlite_url(src))
    from db import migrate

    migrate.prepare(database.engine)
    with database.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE filler (x BLOB)")
        for _ in range(200):
            conn.exec_driver_sql("INSERT INTO filler VALUES (randomblob(16000))")
    database.dispose()
    dest = tmp_path / "backups" / "nightly.sqlite3"
    backups.backup_sqlite(src, dest)
    good = dest.read_bytes()
    with sqlite3.connect(src) as con:
        con.execute("INSERT INTO organisations (name, created_at, updated_at) VALUES ('新单位', 0, 0)")
    code = (
        "import sys, time; from pathlib import Path; import db.backup as b\n"
        "b._step_hook = lambda done, total: (Path(sys.argv[3]).touch(), time.sleep(0.2))\n"
        "b.backup_sqlite(Path(sys.argv[1]), Path(sys.argv[2]))\n"
    )
    marker = tmp_path / "started"
    proc = subprocess.Popen([sys.executable, "-c", code, str(src), str(dest), str(marker)], cwd=ROOT)
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.1)
    proc.kill()  # SIGKILL; TerminateProcess on Windows
    proc.wait(timeout=30)
    assert dest.read_bytes() == good
    assert backups.integrity_ok(dest)
    # The next backup succeeds and clears what the killed one left behind.
    backups.backup_sqlite(src, dest)
    assert backups.info(dest).organisations == 1
    assert not [p for p in dest.parent.iterdir() if p.name.endswith(".tmp")]


def test_corrupt_database_offers_newest_good_backup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("UNIONDESK_HOME", str(home))
    monkeypatch.setenv("UNIONDESK_NO_QSETTINGS", "1")
    app = open_app(None)
    first = app.backup("manual")
    time.sleep(0.02)
    second = app.backup("manual")
    path = app.db.path
    app.close()
    assert path is not None
    os.utime(second, (time.time() + 5, time.time() + 5))
    second.write_bytes(b"garbage" * 100)  # the newest backup is damaged too
    with path.open("r+b") as fh:
        fh.write(b"\0" * 100)
    with pytest.raises(DatabaseProblem) as info:
        open_app(None)
    assert info.value.code == "corrupt"
    good = backups.newest_good(home / "backups")
    assert good == first
    from desktop.context import restore_damaged

    aside = restore_damaged(None, good)
    assert aside.exists() and aside.read_bytes()[:100] == b"\0" * 100  # the damaged file is kept
    app = open_app(None)
    assert app.found == "current"
    app.close()
