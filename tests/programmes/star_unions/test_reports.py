"""星级工会's prints read back: the roll by level, the counts per level × township × year, the
申报汇总表, the 评分表 blank and filled, the 回头看 list (xlsx with openpyxl, PDF with pdftotext),
and the plaque records (collective: the union named, the level's title)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from desktop import registry
from desktop.certificates import sources
from desktop.context import App
from desktop.programmes.star_unions import rules, service
from desktop.report_runner import write_report
from tests.programmes.star_unions.support import make_units, rate, score_all, year_dates

A, B = "宁波甬海模具有限公司工会", "梅林街道岭口新村社区居民委员会工会"
Y = date.today().year


@pytest.fixture
def rated(app_ctx: App) -> dict[str, Any]:
    ids = make_units(app_ctx)
    a, b = ids["宁波甬海模具有限公司"], ids["梅林街道岭口新村社区居民委员会"]
    rate(app_ctx, Y - 2, a, "three", year_dates(Y - 2), 0.7)
    second = rate(app_ctx, Y - 1, a, "four", year_dates(Y - 1), 0.9)
    rate(app_ctx, Y - 1, b, "three", year_dates(Y - 1), 0.75)
    review_on = min(date.today(), date(Y, 1, 2))
    service.review(app_ctx, second, review_on, rules.LOWER, "职工之家挪作他用")
    cid = service.apply(app_ctx, Y, b, "four", review_on).value
    for stage in (rules.SELF, rules.TOWN, rules.COUNTY):
        score_all(app_ctx, cid, stage, 0.8, review_on)
    return {"a": a, "b": b, "current": cid}


def rows_of(app: App, key: str, tmp: Path, **params: Any) -> list[list[Any]]:
    out = tmp / f"{key}.xlsx"
    write_report(app, registry.report(key), params, out)
    ws = openpyxl.load_workbook(out).active
    return [[c for c in row] for row in ws.iter_rows(values_only=True)]


def text(rows: list[list[Any]]) -> str:
    return "\n".join("|".join("" if c is None else str(c) for c in r) for r in rows)


def pdf_text(app: App, key: str, tmp: Path, **params: Any) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (poppler-utils)")
    out = tmp / f"{key}.pdf"
    write_report(app, registry.report(key), params, out)
    return subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout


def test_the_roll_by_level(app_ctx: App, rated: dict[str, Any], tmp_path: Path, fontset: Any) -> None:
    rows = rows_of(app_ctx, "star_unions.roll", tmp_path, year=Y - 1)
    body = text(rows)
    assert f"{rules.LEVEL_LABEL}" in body and "四星级规范活力工会，" not in body
    a = next(r for r in rows if A in r)
    b = next(r for r in rows if B in r)
    assert "四星级规范活力工会" in a and "三星级规范达标工会" in b
    assert rows.index(a) < rows.index(b)  # the higher level first
    assert f"{Y - 2}年三星级 → {Y - 1}年四星级" in a
    now = text(rows_of(app_ctx, "star_unions.roll", tmp_path, year=Y))
    assert f"{Y}年降为三星级" in now and "四星级规范活力工会 0 家" in now
    assert A in pdf_text(app_ctx, "star_unions.roll", tmp_path, year=Y - 1)


def test_counts_per_level_township_and_year(app_ctx: App, rated: dict[str, Any], tmp_path: Path) -> None:
    rows = rows_of(app_ctx, "star_unions.counts", tmp_path, year=Y - 1)
    head = next(r for r in rows if r[0] == "序号")
    town = next(r for r in rows if "桃源街道" in r)
    total = next(r for r in rows if r[0] == "合计")
    assert head[-1] == f"{Y - 1}年合计"
    assert town[head.index(f"{Y - 2}年三星级")] == 1 and town[head.index(f"{Y - 1}年四星级")] == 1
    assert town[head.index(f"{Y - 1}年三星级")] == 0
    assert total[head.index(f"{Y - 1}年三星级")] == 1 and total[-1] == 2


def test_the_summary_of_applications(app_ctx: App, rated: dict[str, Any], tmp_path: Path, fontset: Any) -> None:
    rows = rows_of(app_ctx, "star_unions.applications", tmp_path, year=Y)
    b = next(r for r in rows if B in r)
    assert "三星级规范达标工会" in b and "四星级规范活力工会" in b and "县评定" in b
    assert any(isinstance(v, int | float) and v > 60 for v in b)
    pdf = pdf_text(app_ctx, "star_unions.applications", tmp_path, year=Y)
    assert f"{B}" in pdf and "制表人" in pdf and "达标分数" in pdf
    last = text(rows_of(app_ctx, "star_unions.applications", tmp_path, year=Y - 1))
    assert "回头看：降级（职工之家挪作他用）" in last


def test_the_score_sheet_blank_and_filled(app_ctx: App, rated: dict[str, Any], tmp_path: Path, fontset: Any) -> None:
    blank = rows_of(app_ctx, "star_unions.score_sheet", tmp_path, year=Y)
    head = next(r for r in blank if "评分内容" in r)
    assert [h for h in head if h] == ["评分项目", "评分内容", "分值", "佐证材料", "自评", "镇初审", "县评定", "佐证说明"]
    total = next(r for r in blank if r[0] == "合计")
    assert total[2] == 100 and total[4:7] == [None, None, None]
    assert "组织机构建立健全" in text(blank) and "□三星级规范达标工会" in text(blank)
    filled = rows_of(app_ctx, "star_unions.score_sheet", tmp_path, year=Y, organisation=rated["b"])
    total = next(r for r in filled if r[0] == "合计")
    assert all(isinstance(v, int | float) and 60 < v <= 100 for v in total[4:7])
    assert f"申报单位：{B}" in text(filled) and "现有星级：三星级规范达标工会" in text(filled)
    pdf = pdf_text(app_ctx, "star_unions.score_sheet", tmp_path, year=Y, organisation=rated["b"])
    assert "申报单位（盖章）" in pdf and "县总工会评定人" in pdf and "已查阅" in pdf
    with pytest.raises(Exception, match=r"没有.*年度的星级工会申报"):
        rows_of(app_ctx, "star_unions.score_sheet", tmp_path, year=Y - 2, organisation=rated["b"])


def test_the_review_list(app_ctx: App, rated: dict[str, Any], tmp_path: Path, fontset: Any) -> None:
    rows = rows_of(app_ctx, "star_unions.review", tmp_path, year=Y)
    a = next(r for r in rows if A in r)
    b = next(r for r in rows if B in r)
    assert "降级" in a and "职工之家挪作他用" in a and a[-1] == "三星级规范达标工会"
    assert "待回头看" in b
    assert "检查人" in pdf_text(app_ctx, "star_unions.review", tmp_path, year=Y)


def test_plaque_records_name_the_union(app_ctx: App, rated: dict[str, Any]) -> None:
    with app_ctx.db.session() as s:
        chosen = sources.from_source(s, "star_unions", {"year": Y - 1})
    got = sorted((r["name"], r["award"], r["collective"], r["organisation_id"]) for r in chosen.records)
    assert got == sorted([(A, "四星级规范活力工会", True, rated["a"]), (B, "三星级规范达标工会", True, rated["b"])])
    assert chosen.default_template() == "plaque"
    with app_ctx.db.session() as s:
        assert sources.from_source(s, "star_unions", {"year": Y}).records == []  # none named yet this year
