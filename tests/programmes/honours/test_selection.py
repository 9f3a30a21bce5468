"""劳模工匠选树's selection over a temporary database: the two workflows, stage order, rejections
with reasons, 公示 over the holidays, naming after it, the quota warning, duplicates, priority
nominees, and the reports read back."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from db.errors import ValidationError
from db.models.core.registers import Organisation, Worker
from db.models.core.selection import Holding
from db.models.honours import HonourTitle
from desktop import registry
from desktop.context import App
from desktop.programmes.core import selection as core
from desktop.programmes.honours import queries, rounds, service
from desktop.programmes.honours.workflow import LOCAL, UPWARD, flow_for, stage_label
from desktop.report_runner import write_report
from tests.support import valid_id


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def people(app_ctx: App) -> dict[str, int]:
    with app_ctx.db.session() as s:
        org = Organisation(name="宁海县跃龙模具有限公司", kind="enterprise")
        s.add(org)
        ids: dict[str, int] = {"org": 0}
        for i, name in enumerate(("王建国", "李小明", "张伟", "陈静")):
            w = Worker(name=name, id_number=valid_id(seq=i + 1, male=i % 2 == 0), trade="数控铣工", employer=org,
                       member_status="active", gender="male" if i % 2 == 0 else "female")
            s.add(w)
            s.flush()
            ids[name] = w.id
        ids["org"] = org.id
    return ids


def title_id(app: App, name: str) -> int:
    with app.db.session() as s:
        t = s.scalar(select(HonourTitle).where(HonourTitle.name == name))
        assert t is not None, name
        return t.id


def town_title(app: App, quota: int | None = 1) -> int:
    with app.db.session() as s:
        t = HonourTitle(name="镇级技术能手", level="town", body="跃龙街道总工会", recipient="person", quota=quota)
        s.add(t)
        s.flush()
        return t.id


def test_the_title_level_picks_the_workflow() -> None:
    assert flow_for("town") is LOCAL and flow_for("county") is UPWARD and flow_for("national") is UPWARD
    assert [s.label for s in LOCAL.stages] == ["推荐", "初审", "评审", "公示", "命名"]
    assert [s.label for s in UPWARD.stages] == ["推荐", "初审", "评审", "公示", "上报", "上级命名"]
    assert stage_label(UPWARD, core.FAILED, ["nominated", "reported"]) == "未获命名"
    assert stage_label(UPWARD, core.FAILED, ["nominated"]) == "未通过"
    with pytest.raises(ValidationError, match="请按顺序推进"):
        core.check_move(UPWARD, "publicity", "named")  # 上报 comes first


def test_priority_names_the_title_by_its_words_and_level() -> None:
    text = "市级劳动模范、五一劳动奖章、河洛大工匠"
    assert rounds.names_title(text, "县级五一劳动奖章", "county")
    assert rounds.names_title(text, "市级劳动模范", "city")
    assert not rounds.names_title(text, "县级劳动模范", "county")
    assert not rounds.names_title(text, "工人先锋号", "city")
    assert not rounds.names_title(None, "市级劳动模范", "city")


def test_a_town_round_from_nomination_to_naming(app_ctx: App, people: dict[str, int]) -> None:
    tid = town_title(app_ctx, quota=1)
    rid = service.save_round(app_ctx, None, year=2026, title_id=tid, call_start=date(2026, 9, 1)).value
    a = service.nominate(app_ctx, rid, date(2026, 9, 2), worker_id=people["王建国"], deeds="技术革新三项").value
    b = service.nominate(app_ctx, rid, date(2026, 9, 2), worker_id=people["李小明"], channel="self").value
    with pytest.raises(ValidationError, match="同一人在一次评选中只能推荐一次"):
        service.nominate(app_ctx, rid, date(2026, 9, 3), worker_id=people["王建国"])
    with pytest.raises(ValidationError, match="不能早于征集开始日期"):
        service.nominate(app_ctx, rid, date(2026, 8, 3), worker_id=people["张伟"])
    with pytest.raises(ValidationError, match="请填写未通过的原因"):
        service.reject(app_ctx, b, date(2026, 9, 5), "  ")
    for cid in (a, b):
        service.advance(app_ctx, [cid], date(2026, 9, 10))  # 初审
    service.advance(app_ctx, [a, b], date(2026, 9, 20))  # 评审
    with pytest.raises(ValidationError, match="请使用“开始公示…”"):
        service.advance(app_ctx, [a], date(2026, 9, 21))  # 公示 only through 开始公示
    # Tuesday 29 September: 29, 30, (国庆 1–7 October), Thursday 8, Friday 9, Saturday 10 (调休上班).
    changes = service.start_publicity(app_ctx, rid, date(2026, 9, 29), 5)
    assert "2026-09-29 至 2026-10-10" in changes.message
    with pytest.raises(ValidationError, match="公示期满后方可命名"):
        service.advance(app_ctx, [a], date(2026, 10, 10))
    first = service.advance(app_ctx, [a], date(2026, 10, 12), document="跃工〔2026〕3号")
    assert "超出名额" not in first.message and first.touches("selection_holdings")
    second = service.advance(app_ctx, [b], date(2026, 10, 12))
    assert "已命名 2 名，超出名额 1 名（名额 1 名）" in second.message  # a warning, not a refusal
    with pytest.raises(ValidationError, match="没有下一阶段"):
        service.advance(app_ctx, [a], date(2026, 10, 13))
    with pytest.raises(ValidationError, match="已命名的对象不能删除"):
        service.delete_nomination(app_ctx, a)
    with app_ctx.db.session() as s:
        held = core.held_on(s, "honours", date(2026, 10, 12), worker_id=people["王建国"])
        assert [(h.title, h.level, h.document, h.year) for h in held] == [("镇级技术能手", "town", "跃工〔2026〕3号", 2026)]
        assert core.held_on(s, "honours", date(2026, 10, 11), worker_id=people["王建国"]) == []
    view = queries.round_view(app_ctx, rid)
    assert view is not None and "超出名额 1 名" in view.round.warning and view.round.named_on == date(2026, 10, 12)
    assert [n.stage_shown for n in view.nominations] == ["命名", "命名"]
    assert [m.stage for m in view.nominations[0].moves] == ["推荐", "初审", "评审", "公示", "命名"]


def test_an_upward_round_reports_then_records_the_result(app_ctx: App, people: dict[str, int]) -> None:
    tid = title_id(app_ctx, "县级五一劳动奖章")
    rid = service.save_round(app_ctx, None, year=2026, title_id=tid, quota=1).value
    ids = [service.nominate(app_ctx, rid, date(2026, 4, 1), worker_id=people[n]).value for n in ("张伟", "陈静", "李小明")]
    service.advance(app_ctx, ids, date(2026, 4, 8))
    service.reject(app_ctx, ids[2], date(2026, 4, 9), "材料不全")
    service.advance(app_ctx, ids[:2], date(2026, 4, 10))
    service.start_publicity(app_ctx, rid, date(2026, 4, 13), 5)  # Monday: ends Friday 17th
    with pytest.raises(ValidationError, match="公示期满后方可上报"):
        service.advance(app_ctx, ids[:1], date(2026, 4, 17))
    assert "已上报 2 名，超出名额 1 名" in service.advance(app_ctx, ids[:2], date(2026, 4, 20)).message
    service.advance(app_ctx, ids[:1], date(2026, 5, 28), document="县总工〔2026〕9号")
    service.reject(app_ctx, ids[1], date(2026, 5, 28), "县级评审未入选")
    view = queries.round_view(app_ctx, rid)
    assert view is not None
    assert [(n.stage_shown, n.reason) for n in view.nominations] == [
        ("上级命名", ""), ("未获命名", "县级评审未入选"), ("未通过", "材料不全")]
    with app_ctx.db.session() as s:
        h = s.scalar(select(Holding).where(Holding.worker_id == people["张伟"]))
        assert h is not None and (h.title, h.body, h.document) == ("县级五一劳动奖章", "县总工会", "县总工〔2026〕9号")
    facts = [f for f in _facts(app_ctx, people["张伟"]) if f.kind == "honour"]
    assert [f.label for f in facts] == ["县级五一劳动奖章（2026年）"]


def _facts(app: App, worker_id: int) -> list[Any]:
    with app.db.session() as s:
        return registry.worker_facts(s, worker_id)


def test_collective_titles_nominate_units_and_holders_have_priority(app_ctx: App, people: dict[str, int]) -> None:
    vanguard = service.save_round(app_ctx, None, year=2026, title_id=title_id(app_ctx, "工人先锋号")).value
    with pytest.raises(ValidationError, match="授予集体，请选择推荐的单位"):
        service.nominate(app_ctx, vanguard, date(2026, 3, 1), worker_id=people["王建国"])
    service.nominate(app_ctx, vanguard, date(2026, 3, 1), organisation_id=people["org"], team="数控车间一班")
    with pytest.raises(ValidationError, match="已在本评选的推荐名单中"):
        service.nominate(app_ctx, vanguard, date(2026, 3, 1), organisation_id=people["org"], team="数控车间一班")
    service.nominate(app_ctx, vanguard, date(2026, 3, 1), organisation_id=people["org"], team="质检班")
    # 王建国 was named 卓越工程师 last year: priority for 五一劳动奖章 (003), not for 工人先锋号.
    with app_ctx.db.session() as s:
        core.hold(s, "honours", None, title="卓越工程师", year=2025, named_on=date(2025, 6, 18),
                  award_id=title_id(app_ctx, "卓越工程师"), level="city", worker_id=people["王建国"])
    medal = service.save_round(app_ctx, None, year=2026, title_id=title_id(app_ctx, "县级五一劳动奖章")).value
    for name in ("王建国", "李小明"):
        service.nominate(app_ctx, medal, date(2026, 3, 1), worker_id=people[name])
    view = queries.round_view(app_ctx, medal)
    assert view is not None
    assert [(n.name, n.priority) for n in view.nominations] == [("王建国", "卓越工程师（2025年）"), ("李小明", "")]
    units = queries.round_view(app_ctx, vanguard)
    assert units is not None and [n.name for n in units.nominations] == ["宁海县跃龙模具有限公司数控车间一班",
                                                                         "宁海县跃龙模具有限公司质检班"]


def test_reports_read_back(app_ctx: App, people: dict[str, int], tmp_path: Path, fontset: Any) -> None:
    app_ctx.save_settings({"union_name": "宁海县跃龙街道总工会"})
    tid = title_id(app_ctx, "县级五一劳动奖章")
    rid = service.save_round(app_ctx, None, year=2026, title_id=tid).value
    ids = [service.nominate(app_ctx, rid, date(2026, 9, 1), worker_id=people[n], deeds=f"{n}的主要事迹").value
           for n in ("王建国", "李小明")]
    service.advance(app_ctx, ids, date(2026, 9, 10))
    service.advance(app_ctx, ids, date(2026, 9, 20))
    spec = registry.report("honours.publicity")
    with pytest.raises(ValidationError, match="还没有开始公示"):
        write_report(app_ctx, spec, {"round": rid}, tmp_path / "early.pdf")
    service.start_publicity(app_ctx, rid, date(2026, 9, 29), 5)
    write_report(app_ctx, spec, {"round": rid, "phone": "0574-65512345"}, tmp_path / "pub.pdf")
    text = pdf_text(tmp_path / "pub.pdf")
    assert "关于2026年度县级五一劳动奖章推荐对象的公示" in text
    assert "公示期：二〇二六年九月二十九日至二〇二六年十月十日" in text
    assert "王建国" in text and "李小明" in text and "0574-65512345" in text and "监督电话" in text
    write_report(app_ctx, registry.report("honours.nominations"), {"round": rid}, tmp_path / "sum.xlsx")
    ws = load_workbook(tmp_path / "sum.xlsx").active
    values = [str(c.value or "") for row in ws.iter_rows() for c in row]
    assert "王建国" in values and not any(v == valid_id(seq=1, male=True) for v in values)  # masked
    form = registry.report("honours.form")
    write_report(app_ctx, form, {"round": rid, "nomination": ids[0]}, tmp_path / "form.pdf")
    text = pdf_text(tmp_path / "form.pdf")
    assert "2026年度县级五一劳动奖章推荐表" in text and "王建国" in text and "照片" in text
    assert valid_id(seq=1) not in text and valid_id(seq=1)[-3:] in text
    write_report(app_ctx, form, {"round": rid, "nomination": ids[0]}, tmp_path / "full.pdf", full=True)
    assert valid_id(seq=1) in pdf_text(tmp_path / "full.pdf")


def test_rounds_refuse_bad_input_and_delete_only_when_empty(app_ctx: App, people: dict[str, int]) -> None:
    with pytest.raises(ValidationError, match="请选择荣誉称号"):
        service.save_round(app_ctx, None, year=2026, title_id=None)
    tid = title_id(app_ctx, "卓越工程师")
    with pytest.raises(ValidationError, match="征集截止日期不能早于"):
        service.save_round(app_ctx, None, year=2026, title_id=tid, call_start=date(2026, 5, 1), call_end=date(2026, 4, 1))
    rid = service.save_round(app_ctx, None, year=2026, title_id=tid).value
    rows = queries.rounds_list(app_ctx)
    assert [(r.name, r.quota) for r in rows] == [("2026年度卓越工程师推荐", 20)]  # the title's quota
    cid = service.nominate(app_ctx, rid, date(2026, 5, 1), worker_id=people["陈静"]).value
    with pytest.raises(ValidationError, match="还有 1 名对象"):
        service.delete_round(app_ctx, rid)
    service.delete_nomination(app_ctx, cid)
    service.delete_round(app_ctx, rid)
    assert queries.rounds_list(app_ctx) == []
