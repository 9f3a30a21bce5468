"""Accounts on the command line: ``--user`` before or after the command, the password from
UNIONDESK_PASSWORD (no terminal, no variable: exit 1 at once), exit 2 without ``--user``, a 只读
account refused ``export --full``, ``report --full``, imports and account management."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import ROOT, closed_demo_database

ADMIN_PW = "tiger-lily-42"
READER_PW = "reader-pass-7"


def run(*args: str, home: Path, db: Path, password: str | None = None, new_password: str | None = None,
        ) -> subprocess.CompletedProcess[str]:
    """``python -m desktop`` with no terminal (stdin from /dev/null), as a scheduled script runs it."""
    env = dict(os.environ)
    env.update({"UNIONDESK_HOME": str(home), "UNIONDESK_NO_QSETTINGS": "1", "QT_QPA_PLATFORM": "offscreen"})
    for name in ("UNIONDESK_DATABASE_URL", "UNIONDESK_PASSWORD", "UNIONDESK_NEW_PASSWORD"):
        env.pop(name, None)
    if password is not None:
        env["UNIONDESK_PASSWORD"] = password
    if new_password is not None:
        env["UNIONDESK_NEW_PASSWORD"] = new_password
    return subprocess.run([sys.executable, "-m", "desktop", *args, "--db", str(db)], capture_output=True, text=True,
                          cwd=ROOT, env=env, stdin=subprocess.DEVNULL, timeout=180, check=False)


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A demo database with an administrator ``boss`` and a 只读 account ``reader``."""
    home = tmp_path_factory.mktemp("accounts-cli")
    old = os.environ.get("UNIONDESK_HOME")
    os.environ["UNIONDESK_HOME"] = str(home)
    try:
        db = closed_demo_database(home / "office.sqlite3", 40)
    finally:
        if old is None:
            os.environ.pop("UNIONDESK_HOME", None)
        else:
            os.environ["UNIONDESK_HOME"] = old
    r = run("accounts", "add", "boss", "--role", "admin", "--display-name", "王芳", home=home, db=db,
            new_password=ADMIN_PW)
    assert r.returncode == 0, r.stderr
    r = run("--user", "boss", "accounts", "add", "reader", "--role", "readonly", home=home, db=db,
            password=ADMIN_PW, new_password=READER_PW)
    assert r.returncode == 0, r.stderr
    return home, db


def test_missing_user_is_usage_and_missing_password_fails_at_once(office: tuple[Path, Path], tmp_path: Path) -> None:
    home, db = office
    r = run("export", "workers", str(tmp_path / "a.xlsx"), home=home, db=db)
    assert r.returncode == 2 and "--user" in r.stderr
    start = time.monotonic()
    r = run("export", "workers", str(tmp_path / "a.xlsx"), "--user", "reader", home=home, db=db)
    assert r.returncode == 1 and "UNIONDESK_PASSWORD" in r.stderr
    assert time.monotonic() - start < 60  # never waits for a prompt
    r = run("export", "workers", str(tmp_path / "a.xlsx"), "--user", "reader", home=home, db=db,
            password="not-the-password")
    assert r.returncode == 1 and "密码错误，还可尝试 4 次" in r.stderr
    assert not (tmp_path / "a.xlsx").exists()


def test_read_only_account_prints_masked_but_nothing_whole(office: tuple[Path, Path], tmp_path: Path) -> None:
    home, db = office
    masked = tmp_path / "masked.xlsx"
    r = run("--user", "reader", "export", "workers", str(masked), home=home, db=db, password=READER_PW)
    assert r.returncode == 0, r.stderr
    full = tmp_path / "full.xlsx"
    r = run("export", "workers", str(full), "--full", "--user", "reader", home=home, db=db, password=READER_PW)
    assert r.returncode == 1 and "没有权限导出完整证件号码" in r.stderr and not full.exists()
    pdf = tmp_path / "full.pdf"
    r = run("report", "workers.roster", "--out", str(pdf), "--full", "--user", "reader", home=home, db=db,
            password=READER_PW)
    assert r.returncode == 1 and "没有权限打印完整证件号码" in r.stderr and not pdf.exists()
    sheet = tmp_path / "new.csv"
    sheet.write_text("姓名,身份证号\n张新,110101199003071234\n", encoding="utf-8")
    r = run("import", "workers", str(sheet), "--user", "reader", home=home, db=db, password=READER_PW)
    assert r.returncode == 1 and "没有权限导入数据" in r.stderr
    r = run("accounts", "add", "mole", "--role", "admin", "--user", "reader", home=home, db=db,
            password=READER_PW, new_password="mole-pass-12")
    assert r.returncode == 1 and "没有权限新建账户" in r.stderr
    r = run("demo", "--force", "--size", "5", "--user", "reader", home=home, db=db, password=READER_PW)
    assert r.returncode == 1 and "没有权限" in r.stderr


def test_admin_lists_and_exports_full_and_the_log_names_the_account(office: tuple[Path, Path],
                                                                    tmp_path: Path) -> None:
    home, db = office
    r = run("accounts", "list", "--user", "boss", home=home, db=db, password=ADMIN_PW)
    assert r.returncode == 0, r.stderr
    names = [line.split("\t")[:3] for line in r.stdout.splitlines()]
    assert ["boss", "王芳", "管理员"] in names and ["reader", "", "只读"] in names
    full = tmp_path / "full.xlsx"
    r = run("--user", "boss", "export", "workers", str(full), "--full", home=home, db=db, password=ADMIN_PW)
    assert r.returncode == 0, r.stderr
    import sqlite3

    con = sqlite3.connect(db)
    try:
        row = con.execute("SELECT account, clerk FROM audit_log WHERE action = 'export_full' ORDER BY id DESC").fetchone()
    finally:
        con.close()
    assert row == ("boss", "王芳")


def test_a_database_without_accounts_needs_no_user(tmp_path: Path) -> None:
    home = tmp_path / "home"
    db = tmp_path / "plain.sqlite3"
    r = run("accounts", "list", home=home, db=db)
    assert r.returncode == 0 and "没有账户" in r.stderr
    r = run("backup", str(tmp_path / "copy.sqlite3"), home=home, db=db)
    assert r.returncode == 0, r.stderr
