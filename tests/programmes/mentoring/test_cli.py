"""The CLI of 红色工匠 and 师徒结对 (CLI.md): ``pairs [--json]``, their reports and certificates."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support import cli

YEAR = date.today().year
KEYS = {"red_craftsman.roster": ("pdf,xlsx", "year"), "red_craftsman.summary": ("pdf,xlsx", "year"),
        "red_craftsman.evaluation_sheet": ("pdf,xlsx", "year"), "mentoring.allowance": ("xlsx,pdf", "month*"),
        "mentoring.letter": ("pdf", "pair=ID*")}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("mentoring")
    home, db = root / "home", root / "demo.sqlite3"
    r = cli("demo", "--size", "300", home=home, db=db)
    assert r.returncode == 0, r.stderr
    return home, db


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout


def test_pairs_json_shape_and_plain_lines(demo: tuple[Path, Path]) -> None:
    home, db = demo
    r = cli("pairs", "--json", home=home, db=db)
    assert r.returncode == 0, r.stderr
    pairs = json.loads(r.stdout)
    assert isinstance(pairs, list) and len(pairs) >= 4
    for p in pairs:
        assert set(p) == {"id", "master", "apprentices", "trade", "start"}
        assert isinstance(p["id"], int) and isinstance(p["master"], str) and p["trade"]
        assert p["apprentices"] and all(isinstance(a, str) for a in p["apprentices"])
        date.fromisoformat(p["start"])
    assert max(len(p["apprentices"]) for p in pairs) >= 2  # one master, several apprentices
    plain = cli("pairs", home=home, db=db).stdout.splitlines()
    assert len(plain) == len(pairs) and plain[0].startswith(f"{pairs[0]['id']}\t师傅 {pairs[0]['master']}")
    empty = cli("pairs", "--json", home=home, db=home.parent / "empty.sqlite3")
    assert empty.returncode == 0 and json.loads(empty.stdout) == []


def test_report_list_names_the_keys_and_parameters(demo: tuple[Path, Path]) -> None:
    home, db = demo
    lines = {line.split("\t")[0]: line.split("\t") for line in cli("report", "--list", home=home, db=db).stdout.splitlines()}
    for key, (formats, params) in KEYS.items():
        assert lines[key][2:] == [formats, params], lines[key]
    assert lines["mentoring.letter"][1] == "拜师帖"


def test_letter_pdf_and_usage_errors(demo: tuple[Path, Path], tmp_path: Path) -> None:
    home, db = demo
    pair = json.loads(cli("pairs", "--json", home=home, db=db).stdout)[0]
    out = tmp_path / "拜师帖.pdf"
    r = cli("report", "mentoring.letter", "--param", f"pair={pair['id']}", "--out", str(out), home=home, db=db)
    assert r.returncode == 0, r.stderr
    text = pdf_text(out)
    assert text.count("拜师帖") >= 1 or "拜 师 帖" in text
    assert pair["master"] in text and all(a in text for a in pair["apprentices"])
    assert "感谢师傅教导、无私奉献" in text and "听从师傅教诲、勤奋努力" in text and "共创辉煌" in text
    assert "二〇" in text and "见证单位" in text
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split(":")[1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages == len(pair["apprentices"])  # one page per apprentice
    assert cli("report", "mentoring.letter", "--out", str(out), home=home, db=db).returncode == 2  # pair required
    assert cli("report", "mentoring.letter", "--param", "pair=1", "--out", str(tmp_path / "x.xlsx"), home=home,
               db=db).returncode == 2  # PDF only
    missing = cli("report", "mentoring.letter", "--param", "pair=99999", "--out", str(out), home=home, db=db)
    assert missing.returncode == 1 and "99999" in missing.stderr


def test_allowance_masked_unless_full_and_audited(demo: tuple[Path, Path], tmp_path: Path) -> None:
    home, db = demo
    month = f"{YEAR}-{date.today().month:02d}"
    out = tmp_path / "津贴.xlsx"
    assert cli("report", "mentoring.allowance", "--out", str(out), home=home, db=db).returncode == 2  # month required
    r = cli("report", "mentoring.allowance", "--month", month, "--out", str(out), home=home, db=db)
    assert r.returncode == 0, r.stderr
    ws = load_workbook(out).active
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(values) if row and row[0] == "序号")
    end = next(i for i, row in enumerate(values) if row and row[0] == "合计")
    body = values[header + 1:end + 1]
    assert len(body) >= 2
    ids = [str(row[2]) for row in body[:-1]]
    assert all(x.startswith("*" * 15) and len(x) == 18 for x in ids)
    total = sum(float(row[9]) for row in body[:-1])
    assert abs(float(body[-1][9]) - total) < 0.005
    full = tmp_path / "津贴-完整.xlsx"
    r = cli("report", "mentoring.allowance", "--month", month, "--out", str(full), "--full", home=home, db=db)
    assert r.returncode == 0, r.stderr
    rows = [row for row in load_workbook(full).active.iter_rows(values_only=True)]
    assert all(len(str(row[2])) == 18 and "*" not in str(row[2]) for row in rows[header + 1:end])
    with sqlite3.connect(db) as conn:
        logged = conn.execute("select count(*) from audit_log where action = 'print_full' and table_name = ?",
                              ("mentoring.allowance",)).fetchone()[0]
    assert logged == 1
    pdf = tmp_path / "津贴.pdf"
    assert cli("report", "mentoring.allowance", "--month", month, "--out", str(pdf), home=home, db=db).returncode == 0
    assert "师傅带徒津贴发放表" in pdf_text(pdf)


def test_red_craftsman_reports_and_certificates(demo: tuple[Path, Path], tmp_path: Path) -> None:
    home, db = demo
    for key, suffix in (("red_craftsman.roster", "pdf"), ("red_craftsman.roster", "xlsx"),
                        ("red_craftsman.summary", "pdf"), ("red_craftsman.summary", "xlsx"),
                        ("red_craftsman.evaluation_sheet", "pdf")):
        out = tmp_path / f"{key}.{suffix}"
        r = cli("report", key, "--year", str(YEAR), "--out", str(out), home=home, db=db)
        assert r.returncode == 0, (key, r.stderr)
    roster = pdf_text(tmp_path / "red_craftsman.roster.pdf")
    assert f"{YEAR}年度“红色工匠”培育库名册" in roster and "*" * 15 in roster and "本年度移出培育库" in roster
    summary = pdf_text(tmp_path / "red_craftsman.summary.pdf")
    assert "A类（党员→技术能手）" in summary and "1:2.5" in summary and "合计" in summary
    sheet = pdf_text(tmp_path / "red_craftsman.evaluation_sheet.pdf")
    assert "师徒双向评议表" in sheet and "基本合格（2）" in sheet
    absent = cli("report", "red_craftsman.roster", "--year", "1999", "--out", str(tmp_path / "x.pdf"), home=home, db=db)
    assert absent.returncode == 1 and "没有1999年度" in absent.stderr
    with sqlite3.connect(db) as conn:
        expected = conn.execute(
            "select count(*) from rc_memberships m join rc_rounds r on r.id = m.round_id where r.year = ? and "
            "(m.left_reason is null or m.left_reason in ('carried', 'completed'))", (YEAR,)).fetchone()[0]
    out = tmp_path / "证书.pdf"
    r = cli("certificates", "--source", "red_craftsman", "--year", str(YEAR), "--out", str(out), "--json",
            home=home, db=db)
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout.strip().splitlines()[-1])
    assert result["pages"] == expected == 20  # 2 + 2 carried, 8 + 8 new, 1 replenished, 1 removed
    assert all("-HS-" in serial for serial in result["serials"])
    year_cn = str(YEAR).translate(str.maketrans("0123456789", "〇一二三四五六七八九"))
    assert f"被确定为{year_cn}年度“红色工匠”培育对象" in pdf_text(out)
