"""Wording from data: the event as a grammatical phrase, the competition named by a 竞赛 column,
``--title`` or the sheet's title row, a team prize saying 团体 (issue 12, item 2)."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

from desktop.certificates import issuing as certs
from desktop.certificates.sources import from_spreadsheet
from desktop.certificates.wording import event_phrase, list_title, team_award, title_row, trade_phrase
from desktop.context import App
from reports.linebreak import SOFT
from tests.support import cli, write_workbook

TITLE = "二〇二六年宁海县职工职业技能竞赛"


def flat(path: Path) -> str:
    """The PDF's text with line breaks and soft breaks removed."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split()).replace(SOFT, "")


# -- the phrase -------------------------------------------------------------------------------


def test_the_event_is_title_soft_break_trade_and_xiangmu() -> None:
    assert event_phrase(TITLE, "数控铣工") == f"{TITLE}{SOFT}数控铣工项目"
    assert event_phrase(TITLE, "焊接项目") == f"{TITLE}{SOFT}焊接项目"  # 项目 not doubled
    assert event_phrase(TITLE, "团体赛") == f"{TITLE}{SOFT}团体赛"
    assert event_phrase(TITLE, "技能比武") == f"{TITLE}{SOFT}技能比武"
    assert event_phrase("", "电工") == "电工项目"  # never 「在电工中」
    assert event_phrase(TITLE, "") == TITLE
    assert event_phrase("2026年跃龙街道集体协商技能比武大赛", "集体协商") == "2026年跃龙街道集体协商技能比武大赛"
    assert event_phrase(TITLE, f"{TITLE}电工") == f"{TITLE}{SOFT}电工项目"  # the whole phrase in the column
    assert event_phrase(TITLE, f"{TITLE}{SOFT}电工项目") == f"{TITLE}{SOFT}电工项目"  # idempotent
    assert trade_phrase(" 数控  车工 ") == "数控 车工项目"
    assert team_award("一等奖") == "团体一等奖" and team_award("团体二等奖") == "团体二等奖" and team_award("") == ""


@pytest.mark.parametrize(("written", "name"), [
    (f"{TITLE}获奖人员名单", TITLE),
    (f"{TITLE}获奖名单", TITLE),
    (f"{TITLE}获奖名单公示", TITLE),
    (f"{TITLE}获奖人员名单（公示）", TITLE),
    (f"关于公布{TITLE}获奖名单的通知", TITLE),
    (f"{TITLE}名单", TITLE),
    (f"  {TITLE} 获奖选手名单 ", TITLE),
    (TITLE, TITLE),
    ("获奖名单", ""),
    ("名单", ""),
])
def test_a_lists_title_names_the_competition(written: str, name: str) -> None:
    assert list_title(written) == name


def test_the_title_row_is_the_first_single_text_row_not_a_label_line() -> None:
    assert title_row([[f"{TITLE}获奖人员名单", f"{TITLE}获奖人员名单", None]]) == TITLE  # merged, copied across
    assert title_row([["填报单位：跃龙街道总工会"], [None, None], [f"{TITLE}获奖名单"]]) == TITLE
    assert title_row([["序号", "说明"], ["日期：2026-05-01"]]) == ""
    assert title_row([]) == ""


# -- spreadsheets -----------------------------------------------------------------------------


HEAD = ["序号", "姓名", "工作单位", "获奖等次", "项目"]


def test_a_title_row_above_the_header_names_the_competition(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "名单.xlsx", [HEAD, [1, "张三", "跃龙模具", "一等奖", "数控铣工"],
                                                  [2, "李四", "跃龙模具", "二等奖", "电工"]],
                          title=f"{TITLE}获奖人员名单")
    selection = from_spreadsheet(path)
    first, second = selection.records
    assert selection.title == TITLE
    assert (first["title"], first["event"]) == (TITLE, f"{TITLE}{SOFT}数控铣工项目")
    assert second["event"] == f"{TITLE}{SOFT}电工项目"
    # --title wins over the title row
    other = from_spreadsheet(path, title="2026年跃龙街道技能比武")
    assert other.records[0]["event"] == f"2026年跃龙街道技能比武{SOFT}数控铣工项目"


def test_a_competition_column_names_each_rows_competition(tmp_path: Path) -> None:
    rows = [["姓名", "单位", "奖项", "竞赛", "工种"],
            ["张三", "跃龙模具", "一等奖", "2026年跃龙街道职工技能竞赛", "焊工"],
            ["李四", "跃龙模具", "二等奖", "", "钳工"],                       # no competition: --title
            ["王五", "跃龙模具", "三等奖", "2026年宁海县护理技能大赛", ""]]   # no trade: the competition
    path = write_workbook(tmp_path / "名单.xlsx", rows, title=f"{TITLE}获奖人员名单")
    records = from_spreadsheet(path, title="--title 的竞赛").records
    assert [r["title"] for r in records] == ["2026年跃龙街道职工技能竞赛", "--title 的竞赛", "2026年宁海县护理技能大赛"]
    assert [r["event"] for r in records] == [f"2026年跃龙街道职工技能竞赛{SOFT}焊工项目", f"--title 的竞赛{SOFT}钳工项目",
                                             "2026年宁海县护理技能大赛"]
    # 竞赛名称 is the competition too, and 竞赛项目 the event (not the other way round)
    rows = [["姓名", "竞赛名称", "竞赛项目", "奖项"], ["张三", "2026年跃龙街道职工技能竞赛", "焊工", "一等奖"]]
    [record] = from_spreadsheet(write_workbook(tmp_path / "b.xlsx", rows)).records
    assert record["event"] == f"2026年跃龙街道职工技能竞赛{SOFT}焊工项目"


def test_no_title_anywhere_still_reads_grammatically(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "名单.xlsx", [HEAD, [1, "张三", "跃龙模具", "一等奖", "数控铣工"]])
    [record] = from_spreadsheet(path).records
    assert record["event"] == "数控铣工项目" and record["title"] == ""


def test_a_team_row_says_tuanti_and_reprints_what_was_issued_before(app_ctx: App, tmp_path: Path) -> None:
    rows = [["姓名", "单位", "团队", "奖项", "项目"],
            ["张三", "恒拓五金", "恒拓五金工会代表队", "一等奖", "焊工"],
            ["李四", "恒拓五金", "恒拓五金工会代表队", "一等奖", "焊工"]]
    path = write_workbook(tmp_path / "团体.xlsx", rows, title=f"{TITLE}获奖名单")
    records = from_spreadsheet(path).records
    assert [r["award"] for r in records] == ["团体一等奖", "团体一等奖"]
    # A certificate issued before this wording (award 一等奖, event 焊工) is the same certificate:
    # reprinted with its serial, the register now saying what is printed.
    with app_ctx.db.session() as s:
        [(_r, old, _n)] = certs.assign(s, [{"name": "张三", "unit": "恒拓五金", "award": "一等奖", "event": "焊工",
                                             "team": "恒拓五金工会代表队", "programme": "general"}], "honour", {})
        serial = old.serial
    with app_ctx.db.session() as s:
        got = certs.assign(s, records, "honour", {})
        assert (got[0][1].serial, got[0][2]) == (serial, False)
        assert (got[0][1].award, got[0][1].event) == ("团体一等奖", f"{TITLE}焊工项目")  # stored without SOFT
    with app_ctx.db.session() as s:  # and the next run finds it by its new wording
        assert certs.assign(s, records[:1], "honour", {})[0][1].serial == serial


def test_cli_from_with_title_prints_a_grammatical_sentence(tmp_path: Path) -> None:
    rows = [HEAD, [1, "张三", "跃龙模具", "一等奖", "数控铣工"], [2, "李四", "跃龙卫生院", "二等奖", "电工"]]
    sheet = write_workbook(tmp_path / "名单.xlsx", rows)
    home, db, out = tmp_path / "home", tmp_path / "t.sqlite3", tmp_path / "a.pdf"
    r = cli("certificates", "--from", str(sheet), "--title", TITLE, "--out", str(out), "--json", home=home, db=db)
    assert r.returncode == 0, r.stderr
    year = date.today().year  # no 日期 column: issued today
    assert json.loads(r.stdout)["serials"] == [f"UD-{year}-MD-00001", f"UD-{year}-MD-00002"]
    text = flat(out)
    assert f"在{TITLE}数控铣工项目中荣获一等奖" in text and f"在{TITLE}电工项目中荣获二等奖" in text
    assert "在电工中" not in text and "general" not in text
    # --title without --from is bad usage
    r = cli("certificates", "--source", "competitions", "--title", "x", "--out", str(tmp_path / "b.pdf"),
            home=home, db=db)
    assert r.returncode == 2 and not (tmp_path / "b.pdf").exists()



def test_older_wording_of_another_year_is_another_certificate(app_ctx: App, tmp_path: Path) -> None:
    rows = [["姓名", "单位", "奖项", "项目", "日期"], ["王五", "跃龙模具", "一等奖", "焊工", "2026-05-01"]]
    records = from_spreadsheet(write_workbook(tmp_path / "a.xlsx", rows), title=TITLE).records
    with app_ctx.db.session() as s:
        [(_r, old, _n)] = certs.assign(s, [{"name": "王五", "unit": "跃龙模具", "award": "一等奖", "event": "焊工",
                                             "date": date(2025, 5, 1), "programme": "general"}], "honour", {})
        old_serial = old.serial
    with app_ctx.db.session() as s:
        [(_r, cert, new)] = certs.assign(s, records, "honour", {})
        assert new and cert.serial == "UD-2026-MD-00001" and old_serial == "UD-2025-MD-00001"
