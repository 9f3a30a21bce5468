"""``check`` on a real database whose heads the key ring signed (at each session's end)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from db.models.accounts import AuditHead
from desktop.cli.main import run
from desktop.context import open_app
from desktop.programmes.core import registers
from tests.conftest import insert_handful


def _database(url: str) -> str:
    app = open_app(url, daily_backup=False)
    insert_handful(app)
    app.close()  # the session's end signs the head
    app = open_app(url, daily_backup=False)
    with app.db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditHead)) == 1, "no head signed at close"
    app.close()
    return url


def _rows(url: str) -> int:
    from sqlalchemy import create_engine

    engine = create_engine(url if "://" in url else f"sqlite:///{url}")
    with engine.connect() as conn:
        n = int(conn.execute(text("SELECT count(*) FROM audit_log")).scalar() or 0)
    engine.dispose()
    return n


def _check(url: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = run(["check", "--db", url])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _sql(url: str, *statements: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url if "://" in url else f"sqlite:///{url}")
    with engine.begin() as conn:
        for s in statements:
            conn.execute(text(s))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return _database(str(tmp_path / "c.sqlite3") if request.param == "sqlite" else request.getfixturevalue("pg_url"))


def test_an_untouched_database_passes(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    n = _rows(url)
    code, out = _check(url, capsys)
    assert code == 0, out
    assert n > 6 and f"操作日志：正常（共 {n} 条，已签名到第 {n} 条）" in out and "没有多余的触发器" in out


@pytest.mark.parametrize(("statement", "expected"), [
    ("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)", "操作日志末尾被删除"),
    ("UPDATE audit_log SET os_user = 'x' WHERE seq = 5", "操作日志第 5 条被修改"),
    ("DELETE FROM audit_log WHERE seq = 4", "操作日志第 4 条被删除"),
    ("CREATE VIEW everyone AS SELECT * FROM workers", "发现不是本程序创建的视图 everyone"),
])
def test_tampering_makes_check_fail(url: str, capsys: pytest.CaptureFixture[str], statement: str,
                                    expected: str) -> None:
    _sql(url, statement)
    code, out = _check(url, capsys)
    assert code == 1 and expected in out, out


def test_deleting_the_last_row_and_every_head_is_noticed_through_the_profile(
        url: str, capsys: pytest.CaptureFixture[str]) -> None:
    n = _rows(url)
    _sql(url, "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)", "DELETE FROM audit_heads")
    code, out = _check(url, capsys)
    assert code == 1 and f"操作日志末尾被删除（本机记下的链头为第 {n} 条，现只有 {n - 1} 条）" in out, out


def test_a_trigger_deleting_each_new_audit_row_survives_backup_and_restore_but_check_catches_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.sqlite3"
    _database(str(path))
    con = sqlite3.connect(path)
    con.execute("CREATE TRIGGER hush AFTER INSERT ON audit_log BEGIN DELETE FROM audit_log WHERE id = new.id; END")
    con.commit()
    con.close()
    app = open_app(str(path), daily_backup=False)
    copy = app.backup("manual", tmp_path / "copy.sqlite3")
    app.restore(copy)
    with app.db.session() as s:
        registers.save(s, "organisations", None, {"name": "恢复后新建的单位"})
    with app.db.session() as s:
        assert s.scalar(select(func.count()).select_from(text("sqlite_master")).where(
            text("type = 'trigger' AND name = 'hush'"))) == 1
    app.close()
    code, out = _check(str(path), capsys)
    assert code == 1 and "发现不是本程序创建的触发器 hush" in out, out
