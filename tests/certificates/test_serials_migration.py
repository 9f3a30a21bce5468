"""Migration 0006: older-form serials (UD-2026-competitions-00001) become UD-2026-JS-00001.

The old serial stays an alias that ``verify`` accepts (with the code computed over it), a
reprint prints the new form, each code's counter continues from its old key's highest, and a
restored backup of the older schema is migrated. SQLite and PostgreSQL.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from db import migrate
from db.database import make_engine, sqlite_url
from db.models.certificates import Certificate
from desktop.certificates import issuing as certs
from desktop.certificates import register
from desktop.context import open_app

KEY = bytes(range(32))
#: (serial, prefix, year, programme, counter, name, award, event)
OLD = [
    ("UD-2026-competitions-00001", "UD", 2026, "competitions", 1, "张三", "一等奖", "2026年跃龙街道职工技能竞赛焊工项目"),
    ("UD-2026-competitions-00003", "UD", 2026, "competitions", 3, "李四", "二等奖", "2026年跃龙街道职工技能竞赛焊工项目"),
    ("UD-2026-general-00001", "UD", 2026, "general", 1, "王五", "一等奖", "焊工"),
    ("UD-2026-red_craftsman-00002", "UD", 2026, "red_craftsman", 2, "赵六", "“红色工匠”培育对象称号",
     "2026年度“红色工匠”培育活动"),
    ("NH-2026-competitions-00009", "NH", 2026, "competitions", 9, "钱七", "三等奖", "2026年跃龙街道职工技能竞赛焊工项目"),
    ("UD-2026-honours-00001", "UD", 2026, "honours", 1, "孙八", "劳动模范", "2026年度评选"),  # a key no one declares
]


def code_0006(serial: str) -> str:
    """The HMAC code issues 12 printed: ``{serial}.{6 characters}``."""
    digest = hmac.new(KEY, serial.encode("utf-8"), hashlib.sha256).digest()
    return f"{serial}.{base64.b32encode(digest).decode('ascii')[:6]}"


def _old_database(url: str) -> None:
    """A database at revision 0005 holding certificates with older-form serials and a key."""
    engine = make_engine(url, check=False)
    try:
        migrate.upgrade(engine, "0005")
        with engine.begin() as conn:
            for serial, prefix, year, programme, counter, name, award, event in OLD:
                conn.execute(text(
                    "INSERT INTO certificates (serial, prefix, year, programme, counter, name, award, event, "
                    "template, issued_on, issued_at, printed_count) VALUES (:s, :p, :y, :g, :c, :n, :a, :e, "
                    "'honour', :d, :t, 1)"),
                    {"s": serial, "p": prefix, "y": year, "g": programme, "c": counter, "n": name, "a": award,
                     "e": event, "d": date(2026, 5, 1), "t": datetime(2026, 5, 1, 9, 0)})
            conn.execute(text("INSERT INTO settings (key, value) VALUES ('certificate_secret', :v)"),
                         {"v": json.dumps(base64.b64encode(KEY).decode("ascii"))})
    finally:
        engine.dispose()


def _check_upgraded(app: Any, tmp_path: Path) -> None:
    with app.db.session() as s:
        rows = {c.alias: c for c in s.scalars(select(Certificate))}
        assert {a: (c.serial, c.code, c.counter) for a, c in rows.items()} == {
            "UD-2026-competitions-00001": ("UD-2026-JS-00001", "JS", 1),
            "UD-2026-competitions-00003": ("UD-2026-JS-00003", "JS", 3),
            "UD-2026-general-00001": ("UD-2026-MD-00001", "MD", 1),
            "UD-2026-red_craftsman-00002": ("UD-2026-HS-00002", "HS", 2),
            "NH-2026-competitions-00009": ("NH-2026-JS-00009", "JS", 9),
            "UD-2026-honours-00001": ("UD-2026-QT-00001", "QT", 1),
        }
        assert {c.programme for c in rows.values()} >= {"competitions", "general", "red_craftsman"}  # kept
        # verify: the old serial, the old serial with the code computed over it, and the new serial with its own
        old = register.verify(s, "UD-2026-competitions-00001")
        assert old.ok and old.certificate is not None and old.certificate["serial"] == "UD-2026-JS-00001"
        # the codes printed then (over the serial as issued, and a reprint's over the new form) stay
        # accepted after 0007 deleted the secret (their hashes in legacy_codes)
        assert register.verify(s, code_0006("UD-2026-competitions-00001")).ok
        assert register.verify(s, code_0006("UD-2026-red_craftsman-00002")).ok
        assert register.verify(s, code_0006("UD-2026-JS-00003")).ok
        assert register.verify(s, "UD-2026-competitions-00001.AAAAAA").message == "校验码不符"
        assert register.verify(s, "ud-2026-general-00001").ok  # case ignored, as for new serials
        assert register.verify(s, "UD-2026-competitions-00002").message == "无此证书"
        assert register.list_certificates(s, register.RegisterFilter(text="competitions-00003"))[0]["name"] == "李四"
        # counters continue from the old key's highest, per code and prefix
        new = [c.serial for _r, c, _n in certs.assign(s, [
            {"name": "周九", "award": "一等奖", "event": "电工", "programme": "competitions", "date": date(2026, 6, 1)},
            {"name": "吴十", "award": "一等奖", "event": "电工", "programme": "general", "date": date(2026, 6, 1)},
            {"name": "郑一", "award": "培育对象", "event": "x", "programme": "red_craftsman", "date": date(2026, 6, 1)},
        ], "honour", {"serial_prefix": "UD"})]
        assert new == ["UD-2026-JS-00004", "UD-2026-MD-00002", "UD-2026-HS-00003"]
        ids = [rows["UD-2026-competitions-00001"].id]
    # a reprint of a certificate issued under the old form prints the new form
    done = register.reprint(app, ids, tmp_path / "again.pdf").value
    assert done.serials == ["UD-2026-JS-00001"] and done.reprinted == 1
    printed = subprocess.run(["pdftotext", str(tmp_path / "again.pdf"), "-"], capture_output=True, text=True,
                             check=True).stdout
    assert "UD-2026-JS-00001" in printed and "competitions" not in printed


def test_sqlite_upgrade_keeps_old_serials_as_aliases(uniondesk_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _old_database(sqlite_url(path))
    app = open_app(str(path), daily_backup=False)
    try:
        _check_upgraded(app, tmp_path)
    finally:
        app.close()


def test_sqlite_downgrade_gives_the_old_serials_back(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "old.sqlite3")
    _old_database(url)
    engine = make_engine(url, check=False)
    try:
        migrate.upgrade(engine)
        from alembic import command

        with engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), "0005")
        with engine.connect() as conn:
            serials = set(conn.execute(text("SELECT serial FROM certificates")).scalars())
        assert serials == {row[0] for row in OLD}
    finally:
        engine.dispose()


def test_a_restored_old_backup_is_migrated(uniondesk_home: Path, tmp_path: Path) -> None:
    from db.restore import check_restorable

    backup = tmp_path / "backup.sqlite3"
    _old_database(sqlite_url(backup))
    copy = tmp_path / "copy.sqlite3"
    shutil.copy(backup, copy)
    assert check_restorable(copy, backup.name) == "older"
    app = open_app(str(copy), daily_backup=False)
    try:
        assert app.found == "current"
        _check_upgraded(app, tmp_path)
    finally:
        app.close()


@pytest.mark.postgres
def test_postgres_upgrade_keeps_old_serials_as_aliases(pg_url: str, uniondesk_home: Path, tmp_path: Path) -> None:
    _old_database(pg_url)
    app = open_app(pg_url, daily_backup=False)
    try:
        _check_upgraded(app, tmp_path)
    finally:
        app.close()
    engine = make_engine(pg_url, check=False)
    try:
        from alembic import command

        with engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), "0005")
            assert "UD-2026-competitions-00001" in set(conn.execute(text("SELECT serial FROM certificates")).scalars())
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.HEAD
    finally:
        engine.dispose()
