"""A nominations list from Excel with row-numbered rejections (nothing of a rejected row written),
and the command line: ``honours [--json]``, ``report --list`` and the selection reports,
``import honours.nominations FILE --round ID``."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from db.errors import ValidationError
from db.models.core.registers import Organisation, Worker
from db.models.honours import HonourTitle
from desktop.context import App
from desktop.programmes.honours import importing, queries, service
from tests.support import cli, valid_id, write_workbook

HEADER = ["序号", "姓名", "身份证号", "单位", "推荐方式", "推荐单位", "主要事迹"]


@pytest.fixture
def round_id(app_ctx: App) -> int:
    with app_ctx.db.session() as s:
        org = Organisation(name="宁海县跃龙模具有限公司", kind="enterprise")
        s.add(org)
        for i, name in enumerate(("王建国", "李小明", "张伟")):
            s.add(Worker(name=name, id_number=valid_id(seq=i + 1), employer=org, member_status="active"))
        tid = s.scalar(select(HonourTitle.id).where(HonourTitle.name == "县级五一劳动奖章"))
    return service.save_round(app_ctx, None, year=2026, title_id=tid).value


def test_rows_are_nominated_or_rejected_by_number(app_ctx: App, round_id: int, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "推荐名单.xlsx", [HEADER,
        [1, "王建国", valid_id(seq=1), "宁海县跃龙模具有限公司", "组织推荐", "跃龙模具", "技术革新三项"],
        [2, "赵六", valid_id(seq=9), "某公司", "组织推荐", "", "事迹"],  # not in the register
        [3, "李小明", valid_id(seq=2), "宁海县跃龙模具有限公司", "毛遂自荐", "", "事迹"],  # bad channel
        [4, "王建国", valid_id(seq=1), "", "个人自荐", "", "又一次"],  # already nominated (row 3 of the sheet)
        [5, "张伟", valid_id(seq=3), "别的单位", "自荐", "", "质量攻关"],  # imported, with a warning
        [6, "李四", valid_id(seq=2), "", "", "", ""],  # the ID is 李小明's
    ], title="2026年度县级五一劳动奖章推荐名单")
    result = importing.import_file(app_ctx, path, round_id=round_id).value
    assert result.summary() == "导入 2 条，跳过 0 条，拒绝 4 条"
    rejected = {p.row: (p.code, p.reason) for p in result.rejected}
    assert sorted(rejected) == [4, 5, 6, 8]  # the title row and the header come first
    assert rejected[4][0] == "worker_unknown" and "职工名册中没有身份证号为" in rejected[4][1]
    assert valid_id(seq=9) not in rejected[4][1]  # masked
    assert rejected[5] == ("channel_invalid", "推荐方式“毛遂自荐”无效，应为组织推荐或个人自荐")
    assert rejected[6][0] == "duplicate" and "王建国 已在本评选的推荐名单中" in rejected[6][1]
    assert rejected[8][0] == "name_mismatch"
    assert [(p.row, p.code) for p in result.warnings] == [(7, "unit_differs")]
    view = queries.round_view(app_ctx, round_id)
    assert view is not None
    assert [(n.name, n.channel, n.deeds, n.recommender) for n in view.nominations] == [
        ("王建国", "organisation", "技术革新三项", "跃龙模具"), ("张伟", "self", "质量攻关", "")]
    assert json.loads(json.dumps(result.as_json()))["rejected"][0]["row"] == 4


def test_a_file_without_a_round_is_refused_whole(app_ctx: App, round_id: int, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "a.xlsx", [HEADER, [1, "王建国", valid_id(seq=1), "", "", "", ""]])
    with pytest.raises(ValidationError, match="请指定评选"):
        importing.import_file(app_ctx, path)
    named = write_workbook(tmp_path / "b.xlsx", [["评选名称", "姓名", "身份证号"],
                                                 ["2026年度县级五一劳动奖章推荐", "王建国", valid_id(seq=1)],
                                                 ["2030年度不存在的评选", "李小明", valid_id(seq=2)]])
    result = importing.import_file(app_ctx, named).value
    assert result.imported == 1 and [(p.row, p.code) for p in result.rejected] == [(3, "round_unknown")]
    dry = importing.import_file(app_ctx, write_workbook(tmp_path / "c.xlsx", [
        ["评选名称", "姓名", "身份证号"], [str(round_id), "张伟", valid_id(seq=3)]]), dry_run=True).value
    assert dry.imported == 1
    view = queries.round_view(app_ctx, round_id)
    assert view is not None and [n.name for n in view.nominations] == ["王建国"]  # the dry run wrote nothing


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("honours")
    home, db = root / "home", root / "demo.sqlite3"
    r = cli("demo", "--size", "300", "--force", home=home, db=db)  # a new file holds only standard data
    assert r.returncode == 0, r.stderr
    return home, db


def test_the_command_line(demo: tuple[Path, Path], tmp_path: Path) -> None:
    home, db = demo
    listed = cli("report", "--list", home=home, db=db).stdout.splitlines()
    mine = {line.split("\t")[0]: line.split("\t")[1:] for line in listed if line.startswith("honours.")}
    assert mine["honours.nominations"] == ["推荐对象汇总表", "xlsx,pdf", "round=ID*"]
    assert mine["honours.publicity"] == ["公示名单", "pdf,xlsx", "round=ID* phone=TEXT watch=TEXT"]
    assert mine["honours.form"] == ["推荐表", "pdf", "round=ID* nomination=N"]
    r = cli("honours", "--json", home=home, db=db)
    assert r.returncode == 0, r.stderr
    rounds = json.loads(r.stdout)
    medal = next(x for x in rounds if x["title"] == "县级五一劳动奖章")
    assert medal["publicity_start"] and medal["stages"]["公示"] >= 1
    plain = cli("honours", home=home, db=db).stdout.splitlines()
    assert len(plain) == len(rounds) and plain[0].startswith(f"{rounds[0]['id']}\t{rounds[0]['name']}")
    out = tmp_path / "pub.pdf"
    r = cli("report", "honours.publicity", "--out", str(out), "--param", f"round={medal['id']}", home=home, db=db)
    assert r.returncode == 0, r.stderr
    assert out.stat().st_size > 0

    open_round = next(x for x in rounds if x["title"] == "卓越工程师" and not x["publicity_start"])
    with sqlite3.connect(db) as con:
        free = con.execute("SELECT name, id_number FROM workers WHERE id NOT IN (SELECT worker_id FROM "
                           "selection_candidates WHERE worker_id IS NOT NULL) ORDER BY id LIMIT 1").fetchone()
    sheet = write_workbook(tmp_path / "list.xlsx", [HEADER, [1, free[0], free[1], "", "个人自荐", "", "事迹"],
                                                    [2, "无此人", valid_id(seq=77), "", "", "", ""]])
    r = cli("import", "honours.nominations", str(sheet), "--round", str(open_round["id"]), home=home, db=db)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "导入 1 条，跳过 0 条，拒绝 1 条" and lines[1].startswith("第 3 行：职工名册中没有身份证号为")
    r = cli("import", "honours.nominations", str(sheet), "--round", str(open_round["id"]), "--json", home=home, db=db)
    assert r.returncode == 1 and json.loads(r.stdout)["rejected"][0]["code"] == "duplicate"  # every row rejected
    r = cli("import", "honours.nominations", str(sheet), home=home, db=db)
    assert r.returncode == 1 and "请指定评选" in r.stderr
    assert "honours.nominations" in cli("import", "--help", home=home).stdout
