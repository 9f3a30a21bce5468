"""Backups carry protected values encrypted; an optional password encrypts the whole copy (USB stick)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from db import backup_crypt
from db.backup_crypt import MAGIC, decrypt_file, encrypt_file, is_encrypted
from db.errors import DatabaseProblem
from desktop.context import App, open_app
from tests.conftest import insert_handful
from tests.protected.model import Case, create
from tests.support import ROOT

KEY = bytes(range(32))
SECRET = "家暴求助，住址需保密：跃龙街道某小区"
PASSWORD = "U盘备份-2026!"
FAST = {"memory_kib": 1024, "time_cost": 1}


@pytest.fixture
def filled(app_ctx: App) -> App:
    insert_handful(app_ctx)
    app_ctx.db.field_key = KEY
    create(app_ctx.db)
    with app_ctx.db.session() as s:
        s.add(Case(title="保密案件", details=SECRET))
    return app_ctx


def case_details(app: App) -> list[str | None]:
    with app.db.session() as s:
        return list(s.scalars(select(Case.details).order_by(Case.id)))


# -- the file format ------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [0, 1, 999, 1000, 1001, 5000, 5432])
def test_encrypted_file_round_trip_in_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    monkeypatch.setattr(backup_crypt, "CHUNK", 1000)  # many chunks, ends on and off a chunk boundary
    source = tmp_path / "plain.bin"
    data = os.urandom(size)
    source.write_bytes(data)
    enc = encrypt_file(source, tmp_path / "copy.encrypted", PASSWORD, **FAST)
    raw = enc.read_bytes()
    assert raw.startswith(MAGIC) and is_encrypted(enc) and not is_encrypted(source)
    if size >= 16:
        assert data[:16] not in raw
    out = decrypt_file(enc, tmp_path / "back.bin", PASSWORD)
    assert out.read_bytes() == data


def test_wrong_password_and_damage_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup_crypt, "CHUNK", 1000)
    source = tmp_path / "plain.bin"
    source.write_bytes(os.urandom(4500))
    enc = encrypt_file(source, tmp_path / "copy.encrypted", PASSWORD, **FAST)
    out = tmp_path / "out.bin"
    with pytest.raises(DatabaseProblem) as caught:
        decrypt_file(enc, out, "wrong password")
    assert caught.value.code == "backup_password" and "密码不正确" in caught.value.message
    assert not out.exists()
    raw = enc.read_bytes()
    start = len(raw) - (4 * 1016 + 516)  # four whole chunks and a last one of 500 bytes, each with its tag
    damaged = {
        "cut_off": raw[:-(500 + 16)],  # the last chunk dropped: the one before is not marked last
        "flipped": raw[:-100] + bytes([raw[-100] ^ 1]) + raw[-99:],
        "swapped": raw[:start] + raw[start + 1016:start + 2032] + raw[start:start + 1016] + raw[start + 2032:],
    }
    for name, content in damaged.items():
        bad = tmp_path / f"{name}.encrypted"
        bad.write_bytes(content)
        with pytest.raises(DatabaseProblem) as caught:
            decrypt_file(bad, out, PASSWORD)
        assert caught.value.code == "backup_corrupt", name
        assert not out.exists()
    # A header edited to a cheaper Argon2 cost no longer matches the password (or the chunks).
    cheap = tmp_path / "cheap.encrypted"
    cheap.write_bytes(raw.replace(b'"t": 1', b'"t": 2', 1))
    with pytest.raises(DatabaseProblem):
        decrypt_file(cheap, out, PASSWORD)


# -- backups of a database with protected values -----------------------------------------------------

def test_a_plain_backup_holds_protected_values_encrypted(filled: App, tmp_path: Path) -> None:
    dest = filled.backup("manual", tmp_path / "plain-copy.sqlite3")
    data = dest.read_bytes()
    assert data.startswith(b"SQLite format 3\x00")
    assert SECRET.encode() not in data and "住址需保密".encode() not in data
    assert "保密案件".encode() in data  # the public column is there in clear: the search was real


def test_encrypted_backup_round_trip(filled: App, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    copy = filled.backup("manual", usb, password=PASSWORD)
    assert copy.parent == usb and copy.name.endswith(".sqlite3.encrypted") and is_encrypted(copy)
    raw = copy.read_bytes()
    for clear in (b"SQLite format 3", "张三".encode(), "宁海县跃龙模具有限公司".encode(), "保密案件".encode(),
                  SECRET.encode()):
        assert clear not in raw
    assert list(usb.iterdir()) == [copy]  # no plain copy left on the stick
    assert not any((Path(os.environ["UNIONDESK_HOME"]) / "tmp").iterdir())  # nor in the data folder
    with filled.db.session() as s:
        s.add(Case(title="备份之后", details="备份后写的"))
    filled.restore(copy, password=PASSWORD)
    assert case_details(filled) == [SECRET]
    assert not any((Path(os.environ["UNIONDESK_HOME"]) / "tmp").iterdir())


def test_wrong_or_missing_backup_password_changes_nothing(filled: App, tmp_path: Path) -> None:
    copy = filled.backup("manual", tmp_path / "copy.sqlite3.encrypted", password=PASSWORD)
    with filled.db.session() as s:
        s.add(Case(title="备份之后", details="备份后写的"))
    assert filled.db.path is not None
    before = case_details(filled)
    for password in ("not the password", None):
        with pytest.raises(DatabaseProblem) as caught:
            filled.restore(copy, password=password)
        assert caught.value.code == "backup_password" and "当前数据库未改变" in caught.value.message
        assert case_details(filled) == before


# -- the command line -------------------------------------------------------------------------------

def run(*args: str, home: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = dict(os.environ)
    full.update({"UNIONDESK_HOME": str(home), "UNIONDESK_NO_QSETTINGS": "1", "QT_QPA_PLATFORM": "offscreen"})
    full.pop("UNIONDESK_DATABASE_URL", None)
    full.pop("UNIONDESK_BACKUP_PASSWORD", None)
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, text=True, cwd=ROOT,
                          env=full, stdin=subprocess.DEVNULL, timeout=180, check=False)


def test_cli_backup_with_password_and_restore(tmp_path: Path) -> None:
    home = tmp_path / "home"
    db_file = tmp_path / "office.sqlite3"
    app = open_app(str(db_file), daily_backup=False)
    insert_handful(app)
    app.close()
    usb = tmp_path / "usb"
    usb.mkdir()
    r = run("backup", str(usb), "--password", "--db", str(db_file), home=home)
    assert r.returncode == 1 and "UNIONDESK_BACKUP_PASSWORD" in r.stderr  # no terminal, no variable: at once
    assert list(usb.iterdir()) == []
    secret = {"UNIONDESK_BACKUP_PASSWORD": PASSWORD}
    r = run("backup", str(usb), "--password", "--db", str(db_file), home=home, env=secret)
    assert r.returncode == 0, r.stderr
    (copy,) = usb.iterdir()
    assert is_encrypted(copy) and "张三".encode() not in copy.read_bytes()
    app = open_app(str(db_file), daily_backup=False)
    with app.db.session() as s:
        s.execute(__import__("sqlalchemy").text("DELETE FROM workers"))
    app.close()
    before = db_file.read_bytes()
    r = run("restore", str(copy), "--yes", "--db", str(db_file), home=home)
    assert r.returncode == 1 and "备份密码" in r.stderr
    r = run("restore", str(copy), "--yes", "--db", str(db_file), home=home,
            env={"UNIONDESK_BACKUP_PASSWORD": "wrong"})
    assert r.returncode == 1 and "密码不正确" in r.stderr and "当前数据库未改变" in r.stderr
    assert db_file.read_bytes() == before
    r = run("restore", str(copy), "--yes", "--db", str(db_file), home=home, env=secret)
    assert r.returncode == 0, r.stderr
    assert "6 名职工" in r.stdout
    assert not any((home / "tmp").iterdir())
