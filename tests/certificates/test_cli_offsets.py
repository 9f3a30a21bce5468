"""``--offset-x/--offset-y`` must be finite and within ±50 mm: anything else exits 2 with a Chinese
message and writes nothing (no PDF, no serial), for certificates and the calibration page."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.support import cli, write_workbook


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "名单.xlsx", [["姓名", "单位", "奖项", "项目"], ["张三", "跃龙模具", "一等奖", "焊工"]])


@pytest.mark.parametrize(("flag", "value", "words"), [
    ("--offset-x", "nan", "水平偏移"),
    ("--offset-y", "inf", "垂直偏移"),
    ("--offset-x", "1000", "超出范围"),
    ("--offset-y", "-60", "超出范围"),
    ("--offset-y", "-inf", "垂直偏移"),  # argparse alone would take -inf for an option
    ("--offset-x", "1.5mm", "不是数字"),
])
def test_a_bad_offset_exits_2_and_writes_nothing(tmp_path: Path, sheet: Path, flag: str, value: str,
                                                 words: str) -> None:
    home, db, out = tmp_path / "home", tmp_path / "t.sqlite3", tmp_path / "a.pdf"
    r = cli("certificates", "--from", str(sheet), "--out", str(out), flag, value, home=home, db=db)
    assert r.returncode == 2, r.stdout + r.stderr
    assert words in r.stderr and value in r.stderr
    assert not out.exists() and not list(tmp_path.glob("*.pdf*"))
    if db.exists():  # nothing registered either
        from desktop.context import open_app

        app = open_app(str(db), daily_backup=False)
        try:
            from db.models.certificates import Certificate

            with app.db.session() as s:
                assert s.scalar(select(func.count(Certificate.id))) == 0
        finally:
            app.close()
    cal = tmp_path / "cal.pdf"
    r = cli("certificates", "--calibration", "--out", str(cal), flag, value, home=home)
    assert r.returncode == 2 and words in r.stderr and not cal.exists()


def test_good_offsets_are_accepted(tmp_path: Path, sheet: Path) -> None:
    out = tmp_path / "a.pdf"
    r = cli("certificates", "--from", str(sheet), "--out", str(out), "--offset-x", "-50", "--offset-y", "1.25",
            home=tmp_path / "home", db=tmp_path / "t.sqlite3")
    assert r.returncode == 0, r.stderr
    assert out.exists()
