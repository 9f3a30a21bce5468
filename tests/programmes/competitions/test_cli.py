"""``competitions [--json]`` and the competitions reports on the command line (CLI.md)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from tests.support import cli


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("competitions-cli") / "home"
    r = cli("demo", "--size", "300", home=home)
    assert r.returncode == 0, r.stderr
    return home


def test_competitions_json_shape(demo_home: Path) -> None:
    r = cli("competitions", "--json", home=demo_home)
    assert r.returncode == 0, r.stderr
    items = json.loads(r.stdout)
    assert isinstance(items, list) and len(items) == 3
    for item in items:
        assert set(item) == {"id", "title", "events", "entries", "prize_winners"}
        assert isinstance(item["id"], int) and isinstance(item["title"], str)
        assert all(isinstance(item[k], int) and item[k] > 0 for k in ("events", "entries", "prize_winners"))
    team = next(i for i in items if "集体协商" in i["title"])
    assert team["events"] == 1 and team["entries"] == 13 and team["prize_winners"] % 3 == 0
    assert all(str(date.today().year) in i["title"] for i in items)


def test_competitions_plain_output_one_line_each(demo_home: Path, tmp_path: Path) -> None:
    r = cli("competitions", home=demo_home)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 3
    assert all(re.fullmatch(r"\d+\t.+\t\d+ 个项目\t\d+ 个报名\t\d+ 人获奖", line) for line in lines)
    assert cli("competitions", "--help", home=demo_home).returncode == 0
    assert cli("competitions", "--nope", home=demo_home).returncode == 2
    empty = cli("competitions", "--json", home=tmp_path / "fresh")
    assert empty.returncode == 0 and json.loads(empty.stdout) == []


def test_reports_listed_and_written(demo_home: Path, tmp_path: Path) -> None:
    r = cli("report", "--list", home=demo_home)
    lines = {line.split("\t")[0]: line.split("\t") for line in r.stdout.splitlines()}
    assert lines["competitions.score_sheet"][1:] == ["竞赛评分表", "pdf,xlsx", "competition=ID* event=ID"]
    assert lines["competitions.results"][1:] == ["竞赛成绩公示", "pdf,xlsx", "competition=ID*"]
    assert cli("report", "competitions.results", "--out", str(tmp_path / "x.pdf"), home=demo_home).returncode == 2
    missing = cli("report", "competitions.results", "--param", "competition=999", "--out", str(tmp_path / "y.pdf"),
                  home=demo_home)
    assert missing.returncode == 1 and "找不到编号为 999 的竞赛" in missing.stderr
    pdf = tmp_path / "results.pdf"
    r = cli("report", "competitions.results", "--param", "competition=1", "--out", str(pdf), home=demo_home)
    assert r.returncode == 0, r.stderr
    xlsx = tmp_path / "sheet.xlsx"
    r = cli("report", "competitions.score_sheet", "--param", "competition=2", "--out", str(xlsx), home=demo_home)
    assert r.returncode == 0, r.stderr
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "成绩公示" in text and "一等奖" in text and "异议受理电话" in text and "公示期 5 天" in text
    assert not re.search(r"\d{17}[\dX]", text) and not re.search(r"\*{8}", text)  # no ID numbers at all
