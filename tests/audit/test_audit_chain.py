"""The audit log's hash chain and signed heads, and what ``check`` finds (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from db import audit, audit_chain, migrate
from db.models.system import AuditEntry
from desktop.context import App
from tests.audit.support import check, drop_heads, filled, sign
from tests.support import ROOT


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def chained(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[App]:
    url = str(tmp_path / "chain.sqlite3") if request.param == "sqlite" else request.getfixturevalue("pg_url")
    app = filled(url)
    try:
        yield app
    finally:
        app.close()


def _sql(app: App, *statements: str) -> None:
    with app.db.engine.begin() as conn:
        for s in statements:
            conn.execute(text(s))


def _last_seq(app: App) -> int:
    with app.db.session() as s:
        return int(s.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1)) or 0)


def test_rows_are_chained_in_order_and_an_untouched_log_passes(chained: App) -> None:
    with chained.db.session() as s:
        audit.log(s, "reveal", "workers", 1, note="id_number")
        rows = s.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars().all()
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1)) and len(rows) > 6
    previous = None
    for r in rows:
        assert r.row_hash == audit_chain.row_hash(previous, {k: getattr(r, k) for k in audit_chain.FIELDS})
        previous = r.row_hash
    report = check(chained.db.engine)
    assert report.ok, report.problems
    assert report.lines[0].startswith(f"操作日志：正常（共 {len(rows)} 条，已签名到第 {len(rows) - 1} 条")


def test_a_head_is_signed_only_when_the_chain_grew(chained: App) -> None:
    assert sign(chained) is None
    with chained.db.session() as s:
        audit.log(s, "reveal", "workers", 1, note="id_number")
    assert sign(chained) == (_last_seq(chained), chained_hash(chained))
    assert audit_chain.sign_head(chained.db.new_session(), None) is None


def chained_hash(app: App) -> str:
    with app.db.session() as s:
        return str(s.scalar(select(AuditEntry.row_hash).order_by(AuditEntry.seq.desc()).limit(1)))


TAMPERING: dict[str, tuple[Callable[[App], list[str]], str]] = {
    "delete_last": (lambda app: [f"DELETE FROM audit_log WHERE seq = {_last_seq(app)}"], "操作日志末尾被删除"),
    "edit_first": (lambda app: ["UPDATE audit_log SET clerk = '别人' WHERE seq = 1"], "操作日志第 1 条被修改"),
    "edit_json": (lambda app: ["UPDATE audit_log SET new = NULL WHERE seq = 3"], "操作日志第 3 条被修改"),
    "edit_time": (lambda app: ["UPDATE audit_log SET at = '2020-01-01 00:00:00' WHERE seq = 4"],
                  "操作日志第 4 条被修改"),
    "delete_middle": (lambda app: ["DELETE FROM audit_log WHERE seq = 2"], "操作日志第 2 条被删除"),
    "forged_insert": (lambda app: ["INSERT INTO audit_log (at, clerk, account, os_user, action, table_name, note) "
                                   "VALUES (CURRENT_TIMESTAMP, 'x', '', '', 'insert', 'workers', '')"],
                      "操作日志中有不在链上的记录"),
    "trigger": (lambda app: [
        "CREATE TRIGGER zap AFTER INSERT ON audit_log BEGIN DELETE FROM audit_log WHERE id = new.id; END"
        if app.db.is_sqlite else
        "CREATE FUNCTION zap_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DELETE FROM audit_log "
        "WHERE id = NEW.id; RETURN NULL; END $$",
        "SELECT 1" if app.db.is_sqlite else
        "CREATE TRIGGER zap AFTER INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION zap_fn()"],
        "发现不是本程序创建的触发器 zap"),
    "view": (lambda app: ["CREATE VIEW peek AS SELECT name FROM workers"], "发现不是本程序创建的视图 peek"),
    "table": (lambda app: ["CREATE TABLE stash (x INTEGER)"], "发现不是本程序创建的表 stash"),
    "index": (lambda app: ["CREATE INDEX ix_sneaky ON workers (phone)"], "发现不是本程序创建的索引 ix_sneaky"),
}


@pytest.mark.parametrize("how", list(TAMPERING))
def test_tampering_is_found(chained: App, how: str) -> None:
    statements, expected = TAMPERING[how]
    _sql(chained, *statements(chained))
    report = check(chained.db.engine)
    assert not report.ok
    assert report.problems[0].startswith(expected), report.problems


def test_rewriting_the_hashes_after_an_edit_is_caught_by_the_signed_head(chained: App) -> None:
    _sql(chained, "UPDATE audit_log SET clerk = '别人' WHERE seq = 2")
    with chained.db.session() as s:
        previous = s.scalar(select(AuditEntry.row_hash).where(AuditEntry.seq == 1))
        for row in s.execute(select(AuditEntry).where(AuditEntry.seq >= 2).order_by(AuditEntry.seq)).scalars():
            row.row_hash = previous = audit_chain.row_hash(previous, {k: getattr(row, k) for k in audit_chain.FIELDS})
        s.flush()
    report = check(chained.db.engine)
    assert not report.ok and "与签名的链头不符" in report.problems[0], report.problems


def test_a_forged_head_signature_is_refused(chained: App) -> None:
    with chained.db.session() as s:
        audit.log(s, "reveal", "workers", 1, note="id_number")
    _sql(chained, f"DELETE FROM audit_log WHERE seq = {_last_seq(chained)}")
    drop_heads(chained)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    with chained.db.session() as s:  # a head over the shortened log, signed by another key
        audit_chain.sign_head(s, Ed25519PrivateKey.generate().sign)
    report = check(chained.db.engine)
    assert not report.ok and "签名无效" in report.problems[0], report.problems


def test_the_profile_notices_the_end_cut_off_with_its_head(chained: App, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop import audit_check, audit_heads

    with chained.db.session() as s:
        s.merge(audit.Setting(key="database_id", value="ab" * 16))
        audit.log(s, "reveal", "workers", 1, note="id_number")
    head = sign(chained)
    assert head is not None
    audit_heads.remember("ab" * 16, head)
    _sql(chained, f"DELETE FROM audit_log WHERE seq >= {head[0]}", f"DELETE FROM audit_heads WHERE seq = {head[0]}")
    report = check(chained.db.engine)
    assert not report.ok and report.problems[0].startswith("操作日志末尾被删除（本机记下的链头"), report.problems
    monkeypatch.setattr(audit_check, "profile_head", lambda conn: None)
    assert check(chained.db.engine).ok  # without the profile the shortened log and heads agree


def test_a_bulk_import_reads_the_tail_once_and_chains_every_row(chained: App) -> None:
    before = _last_seq(chained)
    statements: list[str] = []
    from sqlalchemy import event

    event.listen(chained.db.engine, "before_cursor_execute",
                 lambda *a: statements.append(a[2]) if "row_hash" in a[2] and "SELECT" in a[2] else None)
    with chained.db.engine.begin() as conn:
        n = audit.log_rows(conn, "insert", "workers", [{"id": 1000 + i, "name": f"批量{i}"} for i in range(500)],
                           chained.db.actor)
    assert n == 500 and len(statements) == 1
    assert _last_seq(chained) == before + 500 and check(chained.db.engine).ok


# ------------------------------------------------------------------ two processes appending at once

_WRITER = """
import sys
from db.database import Database
from db import audit
db = Database(sys.argv[1])
for i in range(int(sys.argv[2])):
    with db.session() as s:
        audit.log(s, "reveal", "workers", i, note=sys.argv[3])
db.dispose()
"""


def test_two_processes_appending_at_once_never_fork_the_chain(chained: App) -> None:
    before = _last_seq(chained)
    url = chained.db.url
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, url, "150", tag], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for tag in ("甲", "乙")]
    for p in procs:
        _out, errors = p.communicate(timeout=180)
        assert p.returncode == 0, errors
    with chained.db.session() as s:
        notes = s.execute(select(AuditEntry.note).where(AuditEntry.seq > before)).scalars().all()
    assert sorted(set(notes)) == ["乙", "甲"] and len(notes) == 300
    assert _last_seq(chained) == before + 300
    report = check(chained.db.engine)
    assert report.ok, report.problems


# ------------------------------------------------------------------ migration 0007 chains the old rows


def _rows_before_0007(url: str) -> None:
    engine = create_engine(url)
    try:
        migrate.upgrade(engine, "0006")
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO audit_log (clerk, os_user, action, table_name, record_id, old, new, note) "
                "VALUES (:c, 'clerk', :a, 'workers', :r, :o, :n, '')"), [
                {"c": "李会计", "a": "insert", "r": i, "o": None,
                 "n": json.dumps({"name": f"张{i}", "kind": "x", "n": i * 1.5})}
                for i in range(2500)] + [{"c": "李会计", "a": "update", "r": 1, "o": json.dumps({"b": 1, "a": [1, 2]}),
                                          "n": json.dumps({"a": None})}])
        migrate.upgrade(engine)
        with engine.connect() as conn:
            seqs = conn.execute(select(AuditEntry.id, AuditEntry.seq).order_by(AuditEntry.id)).all()
            assert [s for _i, s in seqs] == list(range(1, 2502))
            report = __import__("desktop.audit_check", fromlist=["check"]).check(conn)
            assert report.ok, report.problems
            assert report.lines[0] == "操作日志：正常（共 2501 条，尚无签名的链头）"
    finally:
        engine.dispose()


def test_migration_0007_chains_the_rows_already_in_the_log(tmp_path: Path) -> None:
    _rows_before_0007(f"sqlite:///{tmp_path / 'old.sqlite3'}")


@pytest.mark.postgres
def test_migration_0007_chains_the_rows_already_in_the_log_postgres(pg_url: str) -> None:
    _rows_before_0007(pg_url)
