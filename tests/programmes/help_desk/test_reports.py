"""劳模工匠助企行's prints read back: the 派工单 and the 急诊单 (pdftotext: order, Chinese dates, the
contact's phone whole only for an account that may write, and logged; craftsmen's phones masked
unless printed whole), the 助企行统计表 of a month and of a year against the targets, and the demand
register (企业需求库) with its headings from the model and its filters."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select

from db.errors import ValidationError
from db.models.core.registers import Organisation
from db.models.help_desk import Demand
from db.models.system import AuditEntry
from desktop import registry
from desktop.accounts.roles import READONLY, SignedIn
from desktop.context import App
from desktop.programmes.help_desk import service, slips
from desktop.programmes.help_desk.rules import ACCEPTED, REVISITED, SERVING, SOLVED
from desktop.registry import ReportContext
from desktop.report_runner import write_report
from tests.support import add_workers

ENTERPRISE, OTHER = "宁海县拓锋模具有限公司", "宁海捷尔数控刀具厂"
CONTACT, MOBILE, EXPERT = "13812345678", "13912341234", "13700001111"
PROBLEM = "一副汽车保险杠模具试模时出现飞边和缩痕，100多万元的追加订单就要丢掉，须在正月内解决。"
LONG = "企业新上一条自动化产线，机器人焊接工位节拍不稳定，焊缝质量波动，需要对夹具、程序和工艺参数进行系统排查。" * 24
UNION = "宁海县总工会"


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute)


@pytest.fixture
def desk(app_ctx: App) -> dict[str, int]:
    """Two demands of March 2026: an 急诊单 taken to 已解决 (sent 14:30, accepted 5 minutes later, a
    visit, 45 万元), a 普通 one with a long problem still 待派; the year's targets."""
    with app_ctx.db.session() as s:
        org = Organisation(name=ENTERPRISE, kind="enterprise", address="宁海县西店镇兴业路8号")
        other = Organisation(name=OTHER, kind="enterprise", contact="叶厂长", contact_phone="13600002222")
        s.add_all([org, other])
        s.flush()
        people = add_workers(s, org, {"name": "周国全", "phone": MOBILE}, "王建国")
        org_id, other_id = org.id, other.id
    team = service.save_team(app_ctx, None, {"name": "宁海县劳模工匠帮帮团", "kind": "helpers"}).value
    zhou = service.add_member(app_ctx, team, {"worker_id": people["周国全"], "specialty": "汽车模具设计与制造"}).value
    li = service.add_member(app_ctx, team, {"name": "李工", "phone": EXPERT, "specialty": "数控设备维修",
                                            "expert_from": "宁波职业技术学院"}).value
    a = service.add_demand(app_ctx, {
        "organisation_id": org_id, "problem": PROBLEM, "kind": "breakdown", "urgency": "emergency", "channel": "online",
        "received_at": at(5, 14, 20), "deadline": date(2026, 3, 8), "contact_name": "潘峰",
        "contact_phone": CONTACT}).value
    service.dispatch(app_ctx, a, [zhou, li], at(5, 14, 30))
    service.advance(app_ctx, a, ACCEPTED, at(5, 14, 35))
    service.advance(app_ctx, a, SERVING, at(5, 16))
    service.add_visit(app_ctx, a, {"visited_on": date(2026, 3, 6), "people": 2, "content": "现场调整分型面和冷却水路"})
    service.advance(app_ctx, a, SOLVED, at(7, 17))
    service.record_outcome(app_ctx, a, {"solution": "修正分型面，试模合格", "benefit_actual": Decimal("45"),
                                        "cost_saved": Decimal("12.5"), "trained": 6, "result_count": 1,
                                        "rating": "satisfied"})
    b = service.add_demand(app_ctx, {"organisation_id": other_id, "problem": LONG, "kind": "automation",
                                     "channel": "visit", "received_at": at(20, 9)}).value
    for measure, target in (("craftsmen", 30), ("problems", 30), ("trained", 200), ("results", 2)):
        service.save_target(app_ctx, 2026, measure, target)
    return {"a": a, "b": b, "zhou": zhou, "li": li}


def pdf_text(app: App, key: str, tmp: Path, *, full: bool = False, **params: Any) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (poppler-utils)")
    out = tmp / f"{key}.pdf"
    write_report(app, registry.report(key), params, out, full=full)
    return subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout


def pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def in_order(text: str, *parts: str) -> None:
    at_ = 0
    for part in parts:
        found = text.find(part, at_)
        assert found >= 0, f"「{part}」 missing after position {at_}:\n{text}"
        at_ = found + len(part)


def logged(app: App, demand_id: int) -> list[str]:
    with app.db.session() as s:
        return list(s.scalars(select(AuditEntry.note).where(AuditEntry.action == "print_contact",
                                                            AuditEntry.table_name == "hd_demands",
                                                            AuditEntry.record_id == demand_id)))


# -- 派工单 and 急诊单 ----------------------------------------------------------------------------------------


def test_the_slip_reads_back_in_order_with_the_contact_logged(app_ctx: App, desk: dict[str, int], tmp_path: Path,
                                                             fontset: Any) -> None:
    app_ctx.settings["union_name"] = UNION
    text = pdf_text(app_ctx, "help_desk.slip", tmp_path, demand=desk["a"])
    flat = "".join(text.split())
    in_order(flat, UNION, "劳模工匠助企行派工单", "编号：2026-BB-0001", "派单时间：二〇二六年三月五日14时30分",
             ENTERPRISE, "宁海县西店镇兴业路8号", "潘峰", CONTACT, "设备故障", "急诊单", "线上点单", "本地",
             "一副汽车保险杠模具", "周国全", "汽车模具设计与制造", "139****1234", "李工", "数控设备维修", "137****1111",
             "二〇二六年三月八日", "接单时间", "二〇二六年三月五日14时35分", "服务反馈（由企业填写）",
             "二〇二六年三月六日：现场调整分型面和冷却水路（2人次）", "已解决", "未解决", "修正分型面，试模合格",
             "实际45万元", "预期＿＿＿＿万元", "12.5万元", "6人次", "非常满意", "满意", "企业负责人", "工匠签字",
             "＿＿＿＿年＿＿月＿＿日")
    assert MOBILE not in flat and EXPERT not in flat  # the craftsmen's phones masked without --full
    assert "□已解决" not in flat and "□未解决" in flat and "□满意" not in flat and "□非常满意" in flat
    assert not any(word in text for word in ("dispatched", "None", "emergency"))  # no English on paper
    assert logged(app_ctx, desk["a"]) == ["派工单"]


def test_whole_phones_only_where_allowed(app_ctx: App, desk: dict[str, int], tmp_path: Path, fontset: Any) -> None:
    full = "".join(pdf_text(app_ctx, "help_desk.slip", tmp_path, full=True, demand=desk["a"]).split())
    assert MOBILE in full and EXPERT in full  # --full: the craftsmen's phones whole (logged by the runner)
    app_ctx.has_accounts = True
    app_ctx.user = SignedIn(2, "li", "李只读", READONLY)
    before = logged(app_ctx, desk["a"])
    text = "".join(pdf_text(app_ctx, "help_desk.slip", tmp_path, demand=desk["a"]).split())
    assert "138****5678" in text and CONTACT not in text and MOBILE not in text
    assert logged(app_ctx, desk["a"]) == before  # nothing whole, nothing logged
    other = "".join(pdf_text(app_ctx, "help_desk.slip", tmp_path, demand=desk["b"]).split())
    assert "叶厂长" in other and "136****2222" in other  # no contact on the demand: the register's, masked


def test_the_emergency_form_and_its_refusal(app_ctx: App, desk: dict[str, int], tmp_path: Path,
                                            fontset: Any) -> None:
    flat = "".join(pdf_text(app_ctx, "help_desk.emergency", tmp_path, demand=desk["a"], hours=2).split())
    in_order(flat, "劳模工匠助企行急诊单", "编号：2026-BB-0001", "响应时限", "接单后2小时内到场", "办结期限",
             "二〇二六年三月八日", ENTERPRISE, CONTACT, "急诊单", "周国全", "到场时间", "服务反馈（由企业填写）")
    assert "劳模工匠助企行派工单" not in flat
    assert logged(app_ctx, desk["a"]) == ["急诊单"]
    blank = "".join(pdf_text(app_ctx, "help_desk.emergency", tmp_path, demand=desk["a"]).split())
    assert "接单后＿＿小时内到场" in blank
    with pytest.raises(ValidationError, match="不是急诊单，请改为打印派工单") as info:
        write_report(app_ctx, registry.report("help_desk.emergency"), {"demand": desk["b"]}, tmp_path / "x.pdf")
    assert "2026-BB-0002" in info.value.message and "普通" in info.value.message
    with pytest.raises(ValidationError, match="找不到编号为 999 的派工单"):
        write_report(app_ctx, registry.report("help_desk.slip"), {"demand": 999}, tmp_path / "x.pdf")
    with pytest.raises(ValidationError, match="响应时限"):
        write_report(app_ctx, registry.report("help_desk.emergency"), {"demand": desk["a"], "hours": "两"},
                     tmp_path / "x.pdf")


def test_a_long_problem_shrinks_then_continues(app_ctx: App, desk: dict[str, int], tmp_path: Path,
                                               fontset: Any) -> None:
    out = tmp_path / "slip.pdf"
    write_report(app_ctx, registry.report("help_desk.slip"), {"demand": desk["b"]}, out)
    assert pages(out) == 2
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    first, second = text.split("\f")[:2]
    assert "（续见附页）" in "".join(first.split()) and "劳模工匠助企行派工单附页" in "".join(second.split())
    assert LONG[-30:] in "".join(second.split())  # the whole text on the continuation page
    assert "＿＿月＿＿日＿＿时＿＿分" in "".join(first.split())  # not yet sent: lines to fill in
    with app_ctx.db.session() as s:
        d = s.get(Demand, desk["b"])
        assert d is not None
        d.problem = LONG[:300]
    write_report(app_ctx, registry.report("help_desk.slip"), {"demand": desk["b"]}, out)
    assert pages(out) == 1  # 300 characters fit the box (shrunk)


def test_the_slip_data_reads_labels_from_the_model(app_ctx: App, desk: dict[str, int]) -> None:
    ctx = ReportContext(union_name=UNION, today=date(2026, 3, 9), labels=app_ctx.labels())
    with app_ctx.db.session() as s:
        (slip,) = slips.slip_report(s, {"demand": desk["a"]}, ctx)
    assert slip.heads["problem"] == "需求内容" and slip.heads["phone"] == "联系人电话"
    assert slip.phone == "138****5678" and slip.solved is True and slip.rating == "满意"
    assert [c.name for c in slip.craftsmen] == ["周国全", "李工"]
    assert logged(app_ctx, desk["a"]) == []  # ctx.contact False: masked, not logged


# -- 助企行统计表 ---------------------------------------------------------------------------------------------


def rows_of(app: App, key: str, tmp: Path, **params: Any) -> list[list[Any]]:
    out = tmp / f"{key}.xlsx"
    write_report(app, registry.report(key), params, out)
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    return [list(row) for row in ws.iter_rows(values_only=True)]


def row(rows: list[list[Any]], first: str) -> list[Any]:
    return next(r for r in rows if len(r) > 1 and r[1] == first)


def test_the_month_against_the_year_targets(app_ctx: App, desk: dict[str, int], tmp_path: Path) -> None:
    service.advance(app_ctx, desk["a"], REVISITED, at(10, 10))
    rows = rows_of(app_ctx, "help_desk.statistics", tmp_path, year=2026, month="2026-03")
    head = next(r for r in rows if r[0] == "序号")
    assert head[1:] == ["指标", "年度目标", "本期完成", "累计完成", "完成率"]
    assert row(rows, "劳模工匠进企业（人次）")[2:] == [30, 2, 2, "6.7%"]
    assert row(rows, "解决技术问题（个）")[2:] == [30, 1, 1, "3.3%"]
    assert row(rows, "培训企业职工（人次）")[2:] == [200, 6, 6, "3.0%"]
    assert row(rows, "产生效益（万元）")[2:] == [None, 45, 45, "—"]  # no target set for it
    assert row(rows, "受理企业需求（件）")[3:5] == [2, 2]
    assert row(rows, "其中：急诊单（件）")[3:5] == [1, 1]
    assert row(rows, "平均接单用时（分钟）")[3:5] == ["5.0", "5.0"]
    assert row(rows, "回复率")[3:5] == ["100.0%", "100.0%"] and row(rows, "解决率")[3] == "100.0%"
    assert row(rows, "回访率")[3] == "100.0%"
    assert row(rows, "实际效益（万元）")[3:5] == [45, 45] and row(rows, "节约成本（万元）")[3] == "12.50"
    april = rows_of(app_ctx, "help_desk.statistics", tmp_path, year=2026, month="2026-04")
    assert row(april, "劳模工匠进企业（人次）")[3:] == [0, 2, "6.7%"]  # nothing in April, March carried
    assert row(april, "平均接单用时（分钟）")[3:5] == ["—", "5.0"]


def test_the_year_report_and_its_pdf(app_ctx: App, desk: dict[str, int], tmp_path: Path, fontset: Any) -> None:
    rows = rows_of(app_ctx, "help_desk.statistics", tmp_path, year=2026)
    head = next(r for r in rows if r[0] == "序号")
    assert head[1:] == ["指标", "年度目标", "全年完成", "完成率"]
    assert row(rows, "解决技术问题（个）")[2:] == [30, 1, "3.3%"]
    text = pdf_text(app_ctx, "help_desk.statistics", tmp_path, year=2026, month="2026-03")
    flat = "".join(text.split())
    in_order(flat, "2026年3月劳模工匠助企行统计表", "统计期间：二〇二六年三月一日至二〇二六年三月三十一日",
             "劳模工匠进企业（人次）", "解决技术问题（个）", "平均接单用时（分钟）", "回复率", "解决率", "实际效益（万元）")
    with pytest.raises(ValidationError, match="月份“2026-13”无效"):
        rows_of(app_ctx, "help_desk.statistics", tmp_path, month="2026-13")


# -- 企业需求库 ---------------------------------------------------------------------------------------------


def test_the_register_from_the_model_with_filters(app_ctx: App, desk: dict[str, int], tmp_path: Path,
                                                  fontset: Any) -> None:
    rows = rows_of(app_ctx, "help_desk.demands", tmp_path, year=2026)
    head = next(r for r in rows if r[0] == "序号")
    assert head[:6] == ["序号", "编号", "企业", "需求内容", "需求类型", "紧急程度"]
    assert {"联系人电话", "接收时间", "办理状态", "派出工匠", "接单用时（分钟）"} <= set(head)
    a = next(r for r in rows if r[1] == "2026-BB-0001")
    b = next(r for r in rows if r[1] == "2026-BB-0002")
    assert a[head.index("联系人电话")] == "138****5678" and CONTACT not in str(rows)
    assert a[head.index("办理状态")] == "已解决" and a[head.index("派出工匠")] == "周国全\n李工"
    assert a[head.index("接单用时（分钟）")] == 5 and a[head.index("需求类型")] == "设备故障"
    assert b[head.index("办理状态")] == "待派" and b[head.index("紧急程度")] == "普通"
    solved = rows_of(app_ctx, "help_desk.demands", tmp_path, year=2026, stage="已解决")
    assert [r[1] for r in solved if str(r[1]).startswith("2026-BB")] == ["2026-BB-0001"]
    kind = rows_of(app_ctx, "help_desk.demands", tmp_path, year=2026, kind="automation")
    assert [r[1] for r in kind if str(r[1]).startswith("2026-BB")] == ["2026-BB-0002"]
    with pytest.raises(ValidationError, match="没有“办完”这个办理状态"):
        rows_of(app_ctx, "help_desk.demands", tmp_path, year=2026, stage="办完")
    text = "".join(pdf_text(app_ctx, "help_desk.demands", tmp_path, year=2026).split())
    in_order(text, "2026年度企业需求库", "共2件，已解决1件", "2026-BB-0001", "138****5678", "已解决",
             "2026-BB-0002", "待派", "只列出前120字")
    assert CONTACT not in text and "宁海县拓锋模" in text  # (a wrapped name is interleaved by -layout)
    assert "周国全" in text and "李工" in text  # one craftsman a line
    whole = "".join(pdf_text(app_ctx, "help_desk.demands", tmp_path, full=True, year=2026).split())
    assert CONTACT in whole
