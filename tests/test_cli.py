"""The command-line contract (CLI.md): exit codes, outputs, reports, backups."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support import cli


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("cli") / "home"
    r = cli("demo", "--size", "400", home=home)
    assert r.returncode == 0, r.stderr
    assert "400 名职工" in r.stdout
    return home


def test_version_and_help(tmp_path: Path) -> None:
    r = cli("--version", home=tmp_path)
    assert r.returncode == 0 and re.fullmatch(r"UnionDesk \d+\.\d+\.\d+\n", r.stdout)
    for command in ("demo", "import", "export", "screenshot", "backup", "restore", "check", "report"):
        assert cli(command, "--help", home=tmp_path).returncode == 0


def test_report_list_and_roster_pdf(demo_home: Path, tmp_path: Path) -> None:
    r = cli("report", "--list", home=demo_home)
    assert r.returncode == 0
    line = next(x for x in r.stdout.splitlines() if x.startswith("workers.roster\t"))
    assert line.split("\t") == ["workers.roster", "职工花名册", "pdf,xlsx", "employer=ID status=CODE"]
    pdf = tmp_path / "roster.pdf"
    r = cli("report", "workers.roster", "--out", str(pdf), "--param", "status=active", home=demo_home)
    assert r.returncode == 0, r.stderr
    if not shutil.which("pdffonts"):
        pytest.skip("poppler-utils not installed")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(re.search(r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$", row) for row in rows), fonts
    assert "Helvetica" not in fonts
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "职工花名册" in text and "会籍状态：在会" in text
    assert re.search(r"二〇[二三]\S年\S+月\S+日", text)
    assert re.search(r"第 1 页 共 \d+ 页", text)
    assert re.search(r"(?<![\d*])\*{15}\d{2}[\dX]", text)  # ID numbers masked: only the last 3 shown
    assert not re.search(r"\b\d{17}[\dX]\b", text)


def test_report_xlsx_and_usage_errors(demo_home: Path, tmp_path: Path) -> None:
    out = tmp_path / "roster.xlsx"
    r = cli("report", "workers.roster", "--out", str(out), "--param", "employer=1", home=demo_home)
    assert r.returncode == 0, r.stderr
    ws = load_workbook(out).active
    assert ws["A1"].value == "职工花名册"
    assert cli("report", "nope", "--out", str(out), home=demo_home).returncode == 2
    r = cli("report", "workers.roster", "--out", str(tmp_path / "x.docx"), home=demo_home)
    assert r.returncode == 2 and "pdf,xlsx" in r.stderr
    r = cli("report", "workers.roster", "--out", str(out), "--param", "colour=red", home=demo_home)
    assert r.returncode == 2 and "employer=ID" in r.stderr
    r = cli("frobnicate", home=demo_home)
    assert r.returncode == 2 and "import" in r.stderr


def test_demo_refuses_then_force_backs_up(demo_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert cli("demo", "--size", "50", home=home).returncode == 0
    r = cli("demo", "--size", "60", home=home)
    assert r.returncode == 1 and "--force" in r.stderr
    before = list((home / "backups").glob("*before-demo*"))
    r = cli("demo", "--size", "60", "--force", home=home)
    assert r.returncode == 0 and "60 名职工" in r.stdout
    assert len(list((home / "backups").glob("*before-demo*"))) == len(before) + 1


def test_backup_restore_and_check(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert cli("demo", "--size", "80", home=home).returncode == 0
    dest = tmp_path / "usb"
    dest.mkdir()
    r = cli("backup", str(dest), home=home)
    assert r.returncode == 0
    backup = next(dest.iterdir())
    assert cli("demo", "--size", "20", "--force", home=home).returncode == 0
    r = cli("restore", str(backup), home=home)
    assert r.returncode == 1 and "--yes" in r.stderr  # no terminal: refuses without --yes
    r = cli("restore", str(backup), "--yes", home=home)
    assert r.returncode == 0 and "80 名职工" in r.stdout
    r = cli("check", home=home)
    assert r.returncode == 0 and "正常" in r.stdout
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"garbage" * 1000)
    r = cli("check", home=home, db=broken)
    assert r.returncode == 1 and "损坏" in r.stderr
    r = cli("restore", str(broken), "--yes", home=home)
    assert r.returncode == 1
    missing = tmp_path / "typo.sqlite3"
    r = cli("check", home=home, db=missing)
    assert r.returncode == 1 and "数据库文件不存在" in r.stderr and not missing.exists()  # never an empty file


def test_db_flag_before_or_after_command_and_env(tmp_path: Path) -> None:
    home = tmp_path / "home"
    db = tmp_path / "elsewhere.sqlite3"
    r = cli("demo", "--size", "30", home=home, db=db)
    assert r.returncode == 0 and db.exists()
    r = cli("--db", str(db), "check", home=home)
    assert r.returncode == 0
    r = cli("export", "workers", str(tmp_path / "w.xlsx"), home=home, env={"UNIONDESK_DATABASE_URL": str(db)})
    assert r.returncode == 0 and "已导出 30 条" in r.stdout
