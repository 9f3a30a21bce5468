"""Protected columns (db.protected): encrypted at rest under the field data key, 「（受保护）」 without it."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

import db.models  # noqa: F401 - every table on Base.metadata
from db import migrate
from db.audit import masked_value
from db.base import Base
from db.database import Database, sqlite_url
from db.errors import DatabaseProblem
from db.fields import SENSITIVE, describe
from db.privacy import mask
from db.protected import NO_PERMISSION, PROTECTED_TEXT, Protected, decrypt, encrypt
from tests.protected.model import Case, create

KEY = bytes(range(32))
SECRET = "低保户，丈夫2023年工伤致残，女儿就读高一"
HEALTH = "慢性肾病，每周透析两次"


def open_db(path: Path, key: bytes | None = None) -> Database:
    database = Database(sqlite_url(path), field_key=key)
    migrate.prepare(database.engine, backup=None)
    create(database)
    return database


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "protected.sqlite3"


@pytest.fixture
def keyed(path: Path) -> Iterator[Database]:
    database = open_db(path, KEY)
    yield database
    database.dispose()


def add_case(database: Database, details: str | None = SECRET, health: str | None = HEALTH) -> int:
    with database.session() as s:
        case = Case(title="困难帮扶一号", details=details, health=health)
        s.add(case)
        s.flush()
        return case.id


def raw_column(path: Path, column: str, case_id: int) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute(f"SELECT {column} FROM test_protected_cases WHERE id = ?", (case_id,)).fetchone()[0]
    finally:
        con.close()


def test_round_trip_with_the_key(keyed: Database, path: Path) -> None:
    cid = add_case(keyed)
    with keyed.session() as s:
        case = s.get(Case, cid)
        assert case is not None and case.details == SECRET and case.health == HEALTH
        assert s.scalar(select(Case.details).where(Case.id == cid)) == SECRET  # Core-style select too
    stored = raw_column(path, "details", cid)
    assert stored.startswith("v1:") and SECRET not in stored
    # Every write takes a fresh nonce: the same text twice gives two different ciphertexts.
    other = add_case(keyed)
    assert raw_column(path, "details", other) != stored


def test_no_clear_text_anywhere_in_the_sqlite_file(keyed: Database, path: Path) -> None:
    add_case(keyed)
    keyed.dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = path.read_bytes() + (Path(str(path) + "-wal").read_bytes() if Path(str(path) + "-wal").exists() else b"")
    for clear in (SECRET, HEALTH, "慢性肾病", "工伤致残"):
        assert clear.encode("utf-8") not in data
    assert "困难帮扶一号".encode() in data  # the public column is there: the search was real


def test_without_the_key_reads_the_placeholder_and_cannot_write(keyed: Database, path: Path) -> None:
    cid = add_case(keyed)
    locked = Database(sqlite_url(path))
    try:
        with locked.session() as s:
            case = s.get(Case, cid)
            assert case is not None
            assert (case.details, case.health) == (PROTECTED_TEXT, PROTECTED_TEXT)
            assert case.title == "困难帮扶一号"
        with pytest.raises(DatabaseProblem) as caught, locked.session() as s:
            s.add(Case(title="二号", details="新写的敏感内容"))
        assert caught.value.code == "sensitive_locked"
        assert "困难情况（测试）" in caught.value.message and "管理员" in caught.value.message
        locked.field_lock = NO_PERMISSION
        with pytest.raises(DatabaseProblem) as caught, locked.session() as s:
            s.add(Case(title="二号", details="新写的敏感内容"))
        assert "没有敏感信息权限" in caught.value.message
        with locked.session() as s:  # nothing half-written
            assert s.scalar(select(Case.id).where(Case.title == "二号")) is None
            # Empty values need no key.
            s.add(Case(title="三号", details=None, health=""))
        with locked.session() as s:
            row = s.scalars(select(Case).where(Case.title == "三号")).one()
            assert (row.details, row.health) == (None, "")
    finally:
        locked.dispose()


def test_saving_an_object_loaded_without_the_key_keeps_the_protected_value(keyed: Database, path: Path) -> None:
    cid = add_case(keyed)
    before = raw_column(path, "details", cid)
    locked = Database(sqlite_url(path))
    try:
        with locked.session() as s:
            case = s.get(Case, cid)
            assert case is not None and case.details == PROTECTED_TEXT
            case.title = "困难帮扶一号（已回访）"
            case.details = PROTECTED_TEXT  # a form writes back what it showed: unchanged, not written
        # Writing the placeholder into the column by other means is refused, with or without the key.
        for database in (locked, keyed):
            with pytest.raises(DatabaseProblem) as caught, database.session() as s:
                s.execute(update(Case).where(Case.id == cid).values(details=PROTECTED_TEXT))
            assert caught.value.code == "sensitive_placeholder"
    finally:
        locked.dispose()
    assert raw_column(path, "details", cid) == before
    with keyed.session() as s:
        case = s.get(Case, cid)
        assert case is not None
        assert (case.title, case.details, case.health) == ("困难帮扶一号（已回访）", SECRET, HEALTH)


def test_a_ciphertext_moved_to_another_column_or_row_does_not_decrypt(keyed: Database, path: Path) -> None:
    cid = add_case(keyed)
    con = sqlite3.connect(path)
    con.execute("UPDATE test_protected_cases SET health = details WHERE id = ?", (cid,))
    con.commit()
    con.close()
    with pytest.raises(DatabaseProblem) as caught, keyed.session() as s:
        s.get(Case, cid)
    assert caught.value.code == "sensitive_damaged" and "健康状况（测试）" in caught.value.message
    stored = encrypt(KEY, "test_protected_cases", "details", SECRET)
    assert decrypt(KEY, "test_protected_cases", "details", stored) == SECRET
    with pytest.raises(DatabaseProblem):
        decrypt(KEY, "disputes", "details", stored)  # another table, same column name
    with pytest.raises(DatabaseProblem):
        decrypt(bytes(32), "test_protected_cases", "details", stored)  # another database's key
    with pytest.raises(DatabaseProblem):
        decrypt(KEY, "test_protected_cases", "details", SECRET)  # clear text typed in with sqlite3


def test_sessions_in_background_threads_and_new_session_see_the_key(keyed: Database) -> None:
    cid = add_case(keyed)
    seen: list[object] = []

    def work() -> None:
        s = keyed.new_session()
        try:
            case = s.get(Case, cid)
            seen.append(case.details if case else None)
            s.add(Case(title="线程里写的", details="线程里的敏感内容"))
            s.commit()
        except Exception as exc:  # the assertion below shows it
            seen.append(exc)
        finally:
            s.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [SECRET]
    with keyed.session() as s:
        assert s.scalar(select(Case.details).where(Case.title == "线程里写的")) == "线程里的敏感内容"


def test_a_key_set_later_and_cleared_takes_effect_at_the_next_transaction(keyed: Database, path: Path) -> None:
    cid = add_case(keyed)
    other = Database(sqlite_url(path))
    try:
        with other.session() as s:
            assert s.scalar(select(Case.details).where(Case.id == cid)) == PROTECTED_TEXT
        other.field_key = KEY  # App.use_keys after a sign-in with the permission
        with other.session() as s:
            assert s.scalar(select(Case.details).where(Case.id == cid)) == SECRET
        other.field_key = None  # signed out / locked
        with other.engine.connect() as conn:  # a Core connection too
            assert conn.execute(text("SELECT 1")).scalar() == 1
            assert conn.execute(select(Case.details).where(Case.id == cid)).scalar() == PROTECTED_TEXT
    finally:
        other.dispose()


def test_the_audit_log_never_holds_a_sensitive_value(keyed: Database, path: Path) -> None:
    cid = add_case(keyed)
    with keyed.session() as s:
        case = s.get(Case, cid)
        assert case is not None
        case.details = "情况有变：已就业"
    with keyed.session() as s:
        s.delete(s.get(Case, cid))
    con = sqlite3.connect(path)
    rows = con.execute("SELECT action, old, new FROM audit_log WHERE table_name = 'test_protected_cases'").fetchall()
    con.close()
    assert [r[0] for r in rows] == ["insert", "update", "delete"]
    dumped = json.dumps(rows, ensure_ascii=False)
    for clear in (SECRET, HEALTH, "已就业"):
        assert clear not in dumped
    assert json.loads(rows[1][2]) == {"details": PROTECTED_TEXT}
    assert masked_value("test_protected_cases", "health", HEALTH) == PROTECTED_TEXT
    assert masked_value("test_protected_cases", "health", "") == ""


def test_mask_shows_the_placeholder_for_the_sensitive_class() -> None:
    assert mask(SECRET, SENSITIVE) == PROTECTED_TEXT
    assert mask(None, SENSITIVE) is None


def test_the_test_model_stays_off_the_application_schema() -> None:
    assert "test_protected_cases" not in Base.metadata.tables
    assert {c.name for c in describe(Case)} == {"title", "details", "health"}


def test_every_sensitive_column_of_the_models_is_protected() -> None:
    """Disputes, hardship and care will mark fields SENSITIVE: each must be stored encrypted."""
    wrong = []
    for table in Base.metadata.tables.values():
        for col in table.columns:
            f = col.info.get("field")
            privacy = getattr(f, "privacy", None)
            if (privacy == SENSITIVE) != isinstance(col.type, Protected):
                wrong.append(f"{table.name}.{col.name}")
    assert not wrong, f"a SENSITIVE field must use db.protected.Protected (and only those): {wrong}"
    # The rule test itself catches a mismatch: the test model's columns pass, a bare Text would not.
    for col in Case.__table__.columns:
        f = col.info.get("field")
        assert (getattr(f, "privacy", None) == SENSITIVE) == isinstance(col.type, Protected)


def test_the_key_must_be_32_bytes() -> None:
    with pytest.raises(ValueError):
        encrypt(os.urandom(16), "t", "c", "x")


def test_one_protected_type_shared_by_two_columns_names_each() -> None:
    from sqlalchemy import Column, MetaData, Table

    shared = Protected()
    md = MetaData()
    first = Table("first_cases", md, Column("note", shared))
    second = Table("second_cases", md, Column("note", shared))
    assert isinstance(first.c.note.type, Protected) and isinstance(second.c.note.type, Protected)
    assert (first.c.note.type.table, second.c.note.type.table) == ("first_cases", "second_cases")
    assert first.c.note.type.column == "note" and not shared.table  # the shared instance is left alone
