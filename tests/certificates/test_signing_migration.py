"""Migration 0007, step SIGNING: per existing certificate the SHA-256 of each HMAC code once
printable for it (over its serial and over its older-form alias) is kept in ``legacy_codes``; the
secret is deleted; old codes then verify for those rows only, once the rows are signed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select, text

from db import migrate
from db.database import make_engine, sqlite_url
from db.models.certificates import Certificate
from db.models.system import Setting
from desktop.certificates import register, signing
from desktop.context import open_app

KEY = bytes(range(32))
#: (serial, alias, counter, name)
ROWS = [("UD-2026-JS-00001", "UD-2026-competitions-00001", 1, "张三"),
        ("UD-2026-JS-00002", None, 2, "李四")]


def code_0006(serial: str, key: bytes = KEY) -> str:
    """The code issue 12 printed: ``{serial}.{6 characters of the HMAC-SHA256, base32}``."""
    digest = hmac.new(key, serial.encode("utf-8"), hashlib.sha256).digest()
    return f"{serial}.{base64.b32encode(digest).decode('ascii')[:6]}"


def _database_at_0006(path: Path) -> None:
    engine = make_engine(sqlite_url(path), check=False)
    try:
        migrate.upgrade(engine, "0006")
        with engine.begin() as conn:
            for serial, alias, counter, name in ROWS:
                conn.execute(text(
                    "INSERT INTO certificates (serial, alias, prefix, year, programme, code, counter, name, award, "
                    "event, template, issued_on, issued_at, printed_count) VALUES (:s, :a, 'UD', 2026, "
                    "'competitions', 'JS', :c, :n, '一等奖', '焊工', 'honour', :d, :t, 1)"),
                    {"s": serial, "a": alias, "c": counter, "n": name, "d": date(2026, 5, 1),
                     "t": datetime(2026, 5, 1, 9, 0)})
            conn.execute(text("INSERT INTO settings (key, value) VALUES ('certificate_secret', :v)"),
                         {"v": json.dumps(base64.b64encode(KEY).decode("ascii"))})
    finally:
        engine.dispose()


def test_upgrade_keeps_old_codes_for_old_rows_and_deletes_the_secret(uniondesk_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _database_at_0006(path)
    engine = make_engine(sqlite_url(path), check=False)
    try:
        migrate.upgrade(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM settings WHERE key = 'certificate_secret'")).scalar() == 0
            stored = dict(conn.execute(text("SELECT serial, legacy_codes FROM certificates")).all())
            pending = conn.execute(text("SELECT value FROM settings WHERE key = :k"),
                                   {"k": signing.PENDING_KEY}).scalar()
    finally:
        engine.dispose()
    first = json.loads(stored["UD-2026-JS-00001"])
    assert sorted(first) == sorted(hashlib.sha256(code_0006(s).encode()).hexdigest()
                                   for s in ("UD-2026-JS-00001", "UD-2026-competitions-00001"))
    assert json.loads(stored["UD-2026-JS-00002"]) == [hashlib.sha256(code_0006("UD-2026-JS-00002").encode())
                                                      .hexdigest()]
    assert KEY.hex() not in path.read_bytes().hex() and base64.b64encode(KEY) not in path.read_bytes()
    assert json.loads(pending)["upto"] == 2

    app = open_app(str(path), daily_backup=False)  # makes its keys, and App.use_keys signs the old rows
    try:
        assert app.keys is not None and not app.keys.locked
        with app.db.session() as s:
            assert s.get(Setting, signing.PENDING_KEY) is None
            assert all(s.execute(select(Certificate.signature)).scalars())
            def answer(code: str) -> str:
                return register.verify(s, code, app.keys).message

            assert answer(code_0006("UD-2026-JS-00001")) == "有效"
            assert answer(code_0006("UD-2026-competitions-00001")) == "有效"  # printed under the older serial
            assert answer(code_0006("UD-2026-JS-00002")) == "有效"
            assert answer(code_0006("UD-2026-JS-00001").lower()) == "有效"
            assert answer("UD-2026-JS-00001.AAAAAA") == "校验码不符"
            assert answer(code_0006("UD-2026-JS-00001", bytes(32))) == "校验码不符"  # another secret
            # an old code is that row's only: the code of row 2 does not verify row 1
            assert answer("UD-2026-JS-00001." + code_0006("UD-2026-JS-00002").rpartition(".")[2]) == "校验码不符"
            assert answer("UD-2026-JS-00001") == "有效"
    finally:
        app.close()


def test_an_empty_database_upgrades_without_listing_anything(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "empty.sqlite3"), check=False)
    try:
        migrate.upgrade(engine, "0006")
        migrate.upgrade(engine)
        with engine.connect() as conn:
            keys = set(conn.execute(text("SELECT key FROM settings")).scalars())
        assert signing.PENDING_KEY not in keys and "certificate_secret" not in keys
    finally:
        engine.dispose()
