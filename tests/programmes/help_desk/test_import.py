"""A demand list from a messy workbook (a merged title above the header, blank rows, a WPS text
time, an Excel serial time, numbers typed as floats, a 300-character problem, an unknown kind, an
unknown enterprise, rows with no problem or no time) and from a GBK CSV: rows imported as 待派
cases or rejected by number, nothing of a rejected row written, a dry run writing nothing, and the
command line ``import help_desk.demands FILE [--dry-run] [--json]``."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from db.errors import ValidationError
from db.models.core.cases import Case
from db.models.core.registers import Organisation
from db.models.help_desk import Demand, Team
from desktop.context import App, open_app
from desktop.programmes.help_desk import importing
from tests.support import cli, write_workbook

KNOWN, CODED, NEW = "宁海县拓锋模具有限公司", "宁海捷尔数控刀具厂", "宁海县新建精工机械有限公司"
HEADER = ["序号", "企业名称", "统一社会信用代码", "需求内容", "需求类型", "紧急程度", "来源渠道", "服务地域", "协作地区",
          "接收时间", "办结期限", "联系人", "联系电话", "服务队"]
LONG = ("企业新上一条自动化焊接产线，机器人焊接工位节拍不稳定，焊缝质量波动较大，返修率居高不下，"
        "需要劳模工匠对夹具定位、焊接程序和工艺参数进行系统排查，并培训当班职工掌握调试方法。") * 5
MOBILE = "13812345678"


def serial(at: datetime) -> float:
    """``at`` as Excel stores it: days since 1899-12-30, the time of day as the fraction."""
    base = datetime(1899, 12, 30)
    return (at - base).total_seconds() / 86400


def credit_code(body: str = "91330226MA2AXXXX1") -> str:
    from db.validators.credit_codes import credit_check_char

    return body + credit_check_char(body)


def fill(app: App) -> str:
    code = credit_code()
    with app.db.session() as s:
        s.add_all([Organisation(name=KNOWN, kind="enterprise"), Organisation(name=CODED, credit_code=code),
                   Team(name="宁海县劳模工匠帮帮团", kind="helpers")])
    return code


@pytest.fixture
def register(app_ctx: App) -> dict[str, Any]:
    return {"code": fill(app_ctx)}


def rows(code: str) -> list[list[Any]]:
    return [
        HEADER,
        [1, KNOWN, "", "模具试模出现飞边，急需解决", "设备故障", "急诊", "线上点单", "", "", "2026年3月5日 14时30分",
         "2026年3月8日", "潘峰", float(MOBILE), "宁海县劳模工匠帮帮团"],                                   # row 3
        [None] * len(HEADER),                                                                              # row 4: blank
        [2, "", code, "刀具结构设计存在卡点", "技改", "", "企业下单", "对口协作", "四川省普格县",
         serial(datetime(2026, 3, 6, 9, 15)), serial(datetime(2026, 3, 20)), "叶厂长", "0574-65123456", ""],  # row 5
        [3, NEW, "", LONG, "自动化改造", "普通", "走访", "本地", "", datetime(2026, 3, 9, 10, 0), "", "", "abc",
         "不存在的服务队"],                                                                                 # row 6
        [4, KNOWN, "", "帮忙搬家", "搬家", "", "线上点单", "", "", "2026-03-10 08:00", "", "", "", ""],      # row 7
        [5, KNOWN, "", "", "咨询", "", "线上点单", "", "", "2026-03-10 09:00", "", "", "", ""],             # row 8
        [6, KNOWN, "", "工艺改进咨询", "工艺改进", "", "线上点单", "", "", "", "", "", "", ""],             # row 9
        [7, KNOWN, "", "模具试模出现飞边，急需解决", "设备故障", "急诊", "线上点单", "", "", "2026年3月5日 14时30分",
         "", "", "", ""],                                                                                   # row 10
        [8, KNOWN, "", "跨地区求诊", "技术攻关", "", "线上点单", "跨地区", "", "2026-03-11 08:00", "", "", "", ""],  # 11
        [9, "", credit_code("91330226MA2AYYYY2"), "只有代码", "咨询", "", "线上点单", "", "", "2026-03-11", "", "", "", ""],  # 12
        [10, "宁海县未来科技有限公司", "", "时间写到了明年", "咨询", "", "线上点单", "", "", "2027-03-11 08:00", "", "",
         "", ""],                                                                                           # row 13
        [11, NEW, "", "再来一单：数控系统报警", "设备故障", "", "企业下单", "", "", 46092.5, "", "", "", ""],  # row 14
        [None] * len(HEADER),                                                                              # row 15
    ]


def messy(tmp: Path, code: str) -> Path:
    return write_workbook(tmp / "企业需求.xlsx", rows(code), title="2026年第一季度企业技术需求汇总表")


def test_a_messy_workbook(app_ctx: App, register: dict[str, Any], tmp_path: Path) -> None:
    path = messy(tmp_path, register["code"])
    dry = importing.import_file(app_ctx, path, dry_run=True).value
    with app_ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Demand)) == 0  # the dry run wrote nothing
        assert s.scalar(select(Organisation.id).where(Organisation.name == NEW)) is None
    result = importing.import_file(app_ctx, path).value
    assert result.summary() == dry.summary() == "导入 4 条，跳过 0 条，拒绝 7 条，新建企业 1 家"
    rejected = {p.row: p.code for p in result.rejected}
    assert rejected == {7: "kind_invalid", 8: "problem_missing", 9: "received_missing", 10: "duplicate_in_file",
                        11: "place_missing", 12: "organisation_unknown", 13: "date_future"}
    reasons = {p.row: p.reason for p in result.rejected}
    assert reasons[7].startswith("需求类型“搬家”无效，可选：技术攻关、设备故障") and "与第 3 行重复" in reasons[10]
    assert reasons[8] == "缺少需求内容" and reasons[9] == "缺少接收时间"
    warnings = [(p.row, p.code) for p in result.warnings]
    assert (6, "organisation_created") in warnings and (6, "phone_format") in warnings
    assert (6, "team_unknown") in warnings and not [w for w in warnings if w[0] == 14]  # created once
    assert "已新建" in next(p.reason for p in result.warnings if p.code == "organisation_created")
    assert "导入时将新建" in next(p.reason for p in dry.warnings if p.code == "organisation_created")
    with app_ctx.db.session() as s:
        got = {d.case.number: d for d in s.scalars(select(Demand).join(Case, Demand.case_id == Case.id)
                                                    .order_by(Case.seq))}
        assert list(got) == ["2026-BB-0001", "2026-BB-0002", "2026-BB-0003", "2026-BB-0004"]
        a, b, c, e = got.values()
        assert {d.case.stage for d in got.values()} == {"pending"}  # each a 待派 case
        assert a.organisation.name == KNOWN and a.received_at == datetime(2026, 3, 5, 14, 30)
        assert (a.urgency, a.kind, a.channel, a.region) == ("emergency", "breakdown", "online", "local")
        assert a.contact_phone == MOBILE and a.deadline == date(2026, 3, 8) and a.team is not None
        assert a.case.opened_at == a.received_at
        assert b.organisation.name == CODED and b.received_at == datetime(2026, 3, 6, 9, 15)
        assert (b.kind, b.region, b.place, b.deadline) == ("automation", "paired", "四川省普格县", date(2026, 3, 20))
        assert b.contact_phone == "0574-65123456" and b.urgency == "normal"
        assert c.organisation.name == NEW and c.organisation.kind == "enterprise" and c.problem == LONG.strip()
        assert len(c.problem) >= 300 and c.contact_phone is None and c.team_id is None
        assert e.organisation_id == c.organisation_id and e.received_at == datetime(2026, 3, 11, 12, 0)
        # nothing of a rejected row: no unit for the row whose time was in the future
        assert s.scalar(select(Organisation.id).where(Organisation.name == "宁海县未来科技有限公司")) is None
        assert s.scalar(select(func.count()).select_from(Organisation)) == 3
    again = importing.import_file(app_ctx, path).value  # the same file again: nothing twice
    assert (again.imported, again.skipped) == (0, 4) and "已登记为2026-BB-0001" in again.warnings[0].reason
    assert json.loads(json.dumps(result.as_json()))["created_organisations"] == 1


def test_a_gbk_csv_and_a_file_without_the_columns(app_ctx: App, register: dict[str, Any], tmp_path: Path) -> None:
    csv = tmp_path / "需求.csv"
    csv.write_bytes(("企业,需求内容,类型,渠道,登记时间\n"
                     f"{KNOWN},注塑机液压系统漏油,设备维修,走访收集,2026/3/12 8:05\n"
                     f"{KNOWN},班组长管理培训,培训,点单,2026/3/12\n").encode("gbk"))
    result = importing.import_file(app_ctx, csv).value
    assert (result.imported, result.rejected) == (2, [])
    with app_ctx.db.session() as s:
        got = [(d.kind, d.channel, d.received_at) for d in s.scalars(select(Demand).order_by(Demand.id))]
    assert got == [("breakdown", "visit", datetime(2026, 3, 12, 8, 5)), ("training", "online", datetime(2026, 3, 12))]
    bare = write_workbook(tmp_path / "bare.xlsx", [["企业名称", "需求类型"], [KNOWN, "咨询"]])
    with pytest.raises(ValidationError, match="找不到必填列：需求内容、来源渠道、接收时间"):
        importing.import_file(app_ctx, bare)


def test_the_command_line(tmp_path: Path) -> None:
    home, db = tmp_path / "home", tmp_path / "cli.sqlite3"
    made = open_app(str(db), daily_backup=False)
    try:
        path = messy(tmp_path, fill(made))
    finally:
        made.close()
    r = cli("import", "help_desk.demands", str(path), "--dry-run", home=home, db=db)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "导入 4 条，跳过 0 条，拒绝 7 条，新建企业 1 家（试运行，未写入）"
    assert lines[1] == "第 7 行：需求类型“搬家”无效，可选：技术攻关、设备故障、工艺改进、自动化改造、技能培训、咨询、师带徒、管理问题"
    r = cli("import", "help_desk.demands", str(path), "--json", home=home, db=db)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["imported"] == 4 and out["created_organisations"] == 1
    assert [x["row"] for x in out["rejected"]] == [7, 8, 9, 10, 11, 12, 13]
    assert MOBILE not in r.stdout  # no whole phone in what is printed
    listed = json.loads(cli("help-desk", "--json", home=home, db=db).stdout)
    assert sorted(x["number"] for x in listed) == ["2026-BB-0001", "2026-BB-0002", "2026-BB-0003", "2026-BB-0004"]
    bad = write_workbook(tmp_path / "bad.xlsx", [["企业名称", "需求内容", "需求类型", "来源渠道", "接收时间"],
                                                 [KNOWN, "", "咨询", "线上点单", "2026-03-01"]])
    r = cli("import", "help_desk.demands", str(bad), "--json", home=home, db=db)
    assert r.returncode == 1 and json.loads(r.stdout)["rejected"][0]["code"] == "problem_missing"  # every row
    assert "help_desk.demands" in cli("import", "--help", home=home).stdout
    reopened = open_app(str(db), daily_backup=False)
    try:
        with reopened.db.session() as s:
            assert s.scalar(select(func.count()).select_from(Demand)) == 4
    finally:
        reopened.close()
