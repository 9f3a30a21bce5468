"""劳模工匠助企行 over a database: teams and members (from the worker register and the honour
register, outside experts named only), demands opening cases, 派单 to craftsmen (refusals: nobody,
a member who left, a closed 派工单), stages, outcome, visits, targets, attachments, deleting,
permissions, the register's order (急诊单 first), and the worker facts other screens read."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from db.errors import ValidationError
from db.models.core.cases import Case, CaseMove, CaseParty
from db.models.core.registers import Organisation, Worker
from db.models.core.selection import Holding
from db.models.help_desk import Demand, Member, Target
from desktop import registry
from desktop.accounts.roles import READONLY, PermissionDenied, SignedIn
from desktop.context import App
from desktop.programmes.help_desk import queries, service
from desktop.programmes.help_desk.rules import ACCEPTED, REVISITED, SERVING, SOLVED
from tests.support import add_workers, valid_id

UNIT, OTHER = "宁海县甲机械有限公司", "宁波乙模具有限公司"
T0 = datetime(2025, 3, 2, 9, 0)


@pytest.fixture
def desk(app_ctx: App) -> dict[str, Any]:
    """Two enterprises; 周国全 (a 县级五一劳动奖章 and 卓越工程师 holder), 王建国 and 李明 of the register."""
    with app_ctx.db.session() as s:
        unit = Organisation(name=UNIT, kind="enterprise", township="西店镇")
        other = Organisation(name=OTHER, kind="enterprise")
        s.add_all([unit, other])
        s.flush()
        people = add_workers(s, unit, {"name": "周国全", "trade": "模具工", "phone": "13812345678"},
                             {"name": "王建国", "trade": "数控车工"}, {"name": "李明", "trade": "电工"})
        zhou = people["周国全"]
        s.add_all([
            Holding(programme="honours", title="县级五一劳动奖章", worker_id=zhou, year=2024, named_on=date(2024, 4, 28)),
            Holding(programme="honours", title="卓越工程师", worker_id=zhou, year=2023, named_on=date(2023, 6, 1)),
            Holding(programme="honours", title="县级劳动模范", worker_id=zhou, year=2015, named_on=date(2015, 4, 1),
                    ended_on=date(2020, 1, 1), end_reason="撤销"),
        ])
        ids = {"unit": unit.id, "other": other.id, **people}
    team = service.save_team(app_ctx, None, {"name": "宁海县劳模工匠帮帮团", "kind": "helpers", "area": "全县"}).value
    ids["team"] = team
    for name in ("周国全", "王建国", "李明"):
        ids[f"m_{name}"] = service.add_member(app_ctx, team, {"worker_id": ids[name], "specialty": "模具设计",
                                                             "area": "西店片区"}).value
    ids["m_expert"] = service.add_member(app_ctx, team, {"name": "陈立新", "phone": "13957481265",
                                                         "expert_from": "宁波职业技术学院",
                                                         "specialty": "工业机器人"}).value
    return ids


def new_demand(app: App, desk: dict[str, Any], **values: Any) -> int:
    base = {"organisation_id": desk["unit"], "problem": "数控加工中心主轴异响", "kind": "breakdown",
            "channel": "online", "received_at": T0, "contact_name": "潘峰", "contact_phone": "13600001234"}
    return service.add_demand(app, base | values).value


def test_teams_and_members_come_from_the_registers(app_ctx: App, desk: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="已有名为“宁海县劳模工匠帮帮团”的服务队"):
        service.save_team(app_ctx, None, {"name": "宁海县劳模工匠帮帮团", "kind": "helpers"})
    with pytest.raises(ValidationError, match="服务队类型"):
        service.save_team(app_ctx, None, {"name": "金蓝领", "kind": "nonsense"})
    with pytest.raises(ValidationError, match="周国全已是该服务队成员"):
        service.add_member(app_ctx, desk["team"], {"worker_id": desk["周国全"]})
    with pytest.raises(ValidationError, match="外聘专家的姓名"):
        service.add_member(app_ctx, desk["team"], {"specialty": "焊接"})
    with pytest.raises(ValidationError, match="联系电话"):
        service.add_member(app_ctx, desk["team"], {"name": "某专家", "phone": "12"})
    rows = {m.name: m for m in queries.members(app_ctx, desk["team"])}
    zhou = rows["周国全"]
    assert (zhou.trade, zhou.specialty, zhou.area, zhou.employer) == ("模具工", "模具设计", "西店片区", UNIT)
    assert zhou.honours == "卓越工程师、县级五一劳动奖章"  # held now, oldest first; the ended one is not
    assert zhou.phone == "138****5678"
    expert = rows["陈立新"]
    assert expert.worker_id is None and expert.expert_from == "宁波职业技术学院" and expert.phone == "139****1265"
    assert rows["李明"].honours == ""
    [team] = queries.teams(app_ctx)
    assert (team.name, team.kind_label, team.members, team.demands) == ("宁海县劳模工匠帮帮团", "帮帮团", 4, 0)


def test_a_demand_opens_a_case_and_is_refused_without_its_fields(app_ctx: App, desk: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="请填写需求内容"):
        new_demand(app_ctx, desk, problem="  ")
    with pytest.raises(ValidationError, match="协作地区"):
        new_demand(app_ctx, desk, region="paired")
    with pytest.raises(ValidationError, match="需求类型"):
        new_demand(app_ctx, desk, kind="weird")
    with pytest.raises(ValidationError, match="办结期限不能早于接收时间"):
        new_demand(app_ctx, desk, deadline=date(2025, 3, 1))
    with pytest.raises(ValidationError, match="不能晚于现在"):
        new_demand(app_ctx, desk, received_at=datetime.now() + timedelta(days=3))
    done = service.add_demand(app_ctx, {"organisation_id": desk["unit"], "problem": "模具熔胶", "kind": "research",
                                        "channel": "enterprise", "received_at": "2025-03-02 09:00",
                                        "region": "paired", "place": "四川省普格县"})
    assert done.changes.message == f"已登记企业需求：2025-BB-0001 {UNIT}"
    assert done.changes.touches("hd_demands") and done.changes.touches("cases") and done.changes.touches("case_moves")
    detail = queries.demand(app_ctx, done.value)
    assert (detail.row.number, detail.row.stage_label, detail.values["urgency"]) == ("2025-BB-0001", "待派", "normal")
    assert detail.labels["region"] == "对口协作" and detail.row.place == "四川省普格县"
    with app_ctx.db.session() as s:
        d = s.get(Demand, done.value)
        assert d is not None and d.case.opened_at == datetime(2025, 3, 2, 9, 0) and d.case.summary.startswith(UNIT)


def test_dispatch_names_craftsmen_and_refuses_nobody_leavers_and_closed(app_ctx: App, desk: dict[str, Any]) -> None:
    did = new_demand(app_ctx, desk)
    with pytest.raises(ValidationError, match="请选择派单的工匠"):
        service.dispatch(app_ctx, did, [], T0 + timedelta(minutes=5))
    service.save_member(app_ctx, desk["m_李明"], {"left_on": date(2025, 1, 31)})
    with pytest.raises(ValidationError, match="李明已于 2025-01-31 退出服务队，不能派单"):
        service.dispatch(app_ctx, did, [desk["m_周国全"], desk["m_李明"]], T0 + timedelta(minutes=5))
    changes = service.dispatch(app_ctx, did, [desk["m_周国全"], desk["m_expert"]], T0 + timedelta(minutes=5), "急")
    assert changes.message == "已派单：2025-BB-0001 派给周国全、陈立新"
    assert {"hd_demands", "cases", "case_moves", "case_parties"} <= changes.tables
    with app_ctx.db.session() as s:
        parties = {p.name: p for p in s.scalars(select(CaseParty))}
        assert parties["周国全"].worker_id == desk["周国全"] and parties["周国全"].role == "craftsman"
        assert parties["陈立新"].worker_id is None and parties["陈立新"].phone == "13957481265"
        assert s.scalar(select(Demand.team_id).where(Demand.id == did)) == desk["team"]
    with pytest.raises(ValidationError, match="都已在2025-BB-0001的派工单上"):
        service.dispatch(app_ctx, did, [desk["m_周国全"]], T0 + timedelta(minutes=6))
    later = service.dispatch(app_ctx, did, [desk["m_王建国"]], T0 + timedelta(minutes=30))
    assert later.message == "已加派：2025-BB-0001 派给王建国"
    accepted = service.advance(app_ctx, did, ACCEPTED, T0 + timedelta(minutes=12))
    assert accepted.message == "2025-BB-0001：已接单（派单后 7 分钟接单）"
    service.advance(app_ctx, did, SOLVED, T0 + timedelta(days=2))
    with pytest.raises(ValidationError, match="2025-BB-0001 宁海县甲机械有限公司已“已解决”，不能再派单"):
        service.dispatch(app_ctx, did, [desk["m_李明"]], T0 + timedelta(days=3))
    with pytest.raises(ValidationError, match="不能退回"):
        service.advance(app_ctx, did, SERVING, T0 + timedelta(days=3))
    assert [code for code, _label in queries.next_stages(app_ctx, did)] == [REVISITED]
    # the expert, entered in the register later, is linked to it
    with app_ctx.db.session() as s:
        expert_party = s.scalar(select(CaseParty.id).where(CaseParty.name == "陈立新"))
        w = Worker(name="陈立新", id_number=valid_id(seq=9), employer_id=desk["other"])
        s.add(w)
        s.flush()
        chen = w.id
    assert service.link_craftsman(app_ctx, int(expert_party or 0), chen).message == "已将陈立新关联到职工名册"
    with app_ctx.db.session() as s:
        assert s.scalar(select(CaseParty.worker_id).where(CaseParty.id == expert_party)) == chen


def test_stages_need_craftsmen_and_delete_only_while_pending(app_ctx: App, desk: dict[str, Any]) -> None:
    did = new_demand(app_ctx, desk)
    with pytest.raises(ValidationError, match="还没有派单的工匠"):
        service.advance(app_ctx, did, ACCEPTED, T0 + timedelta(minutes=3))
    with pytest.raises(ValidationError, match="尚未派单，不能登记上门服务"):
        service.add_visit(app_ctx, did, {"visited_on": date(2025, 3, 3), "content": "查看"})
    other = new_demand(app_ctx, desk, organisation_id=desk["other"])
    service.dispatch(app_ctx, other, [desk["m_王建国"]], T0 + timedelta(hours=1))
    with pytest.raises(ValidationError, match="已“已派”，不能删除"):
        service.delete_demand(app_ctx, other)
    with pytest.raises(ValidationError, match="已有 1 张派工单，不能删除"):
        service.delete_team(app_ctx, desk["team"])
    assert service.delete_demand(app_ctx, did).message == f"已删除企业需求：2025-BB-0001 {UNIT}"
    with app_ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 1
        assert s.scalar(select(func.count()).select_from(CaseMove)) == 2
    # a transfer closes it, with where it went
    service.advance(app_ctx, other, "transferred", T0 + timedelta(days=1))
    service.record_outcome(app_ctx, other, {"transferred_to": "县科技局", "solution": "超出服务范围"})
    assert queries.demand(app_ctx, other).values["transferred_to"] == "县科技局"


def test_outcome_visits_attachments_and_the_detail(app_ctx: App, desk: dict[str, Any]) -> None:
    did = new_demand(app_ctx, desk, urgency="emergency", deadline=date(2025, 3, 5))
    service.dispatch(app_ctx, did, [desk["m_周国全"], desk["m_王建国"]], T0 + timedelta(minutes=10))
    service.advance(app_ctx, did, ACCEPTED, T0 + timedelta(minutes=14))
    service.advance(app_ctx, did, SERVING, T0 + timedelta(hours=3))
    with pytest.raises(ValidationError, match="服务日期应在接收时间"):
        service.add_visit(app_ctx, did, {"visited_on": date(2025, 3, 1), "content": "早了"})
    with pytest.raises(ValidationError, match="请填写服务内容"):
        service.add_visit(app_ctx, did, {"visited_on": date(2025, 3, 2)})
    vid = service.add_visit(app_ctx, did, {"visited_on": date(2025, 3, 2), "people": 2, "content": "现场把脉"}).value
    service.add_visit(app_ctx, did, {"visited_on": date(2025, 3, 4), "content": "调试"})
    with pytest.raises(ValidationError, match="实际效益（万元）"):
        service.record_outcome(app_ctx, did, {"benefit_actual": "很多"})
    with pytest.raises(ValidationError, match="此处不能修改“企业”"):
        service.record_outcome(app_ctx, did, {"organisation_id": desk["other"]})
    service.record_outcome(app_ctx, did, {"solution": "改变模具结构", "benefit_actual": "12", "benefit_expected": "45万元",
                                          "trained": 20, "results": "获实用新型专利1项", "result_count": 1,
                                          "rating": "very_satisfied"})
    service.advance(app_ctx, did, SOLVED, T0 + timedelta(days=2))
    aid = service.add_attachment(app_ctx, did, "派工单（企业签字）", date(2025, 3, 4)).value
    detail = queries.demand(app_ctx, did)
    assert detail.values["benefit_expected"] == Decimal("45.00") and detail.labels["rating"] == "非常满意"
    assert detail.values["contact_phone"] == "136****1234"
    assert [m.label for m in detail.moves] == ["待派", "已派", "已接单", "服务中", "已解决"]
    assert [c.name for c in detail.craftsmen] == ["周国全", "王建国"] and detail.craftsmen[0].phone == "138****5678"
    assert [(v.visited_on.day, v.people) for v in detail.visits] == [(2, 2), (4, None)]
    assert [a.name for a in detail.attachments] == ["派工单（企业签字）"]
    assert (detail.row.accept_minutes, detail.row.days_open, detail.row.overdue) == (4, 2, False)
    assert detail.row.craftsmen == "周国全、王建国" and detail.row.urgency_label == "急诊单"
    service.delete_visit(app_ctx, vid)
    service.remove_attachment(app_ctx, aid)
    detail = queries.demand(app_ctx, did)
    assert len(detail.visits) == 1 and not detail.attachments


def test_the_register_puts_open_emergencies_first_and_filters(app_ctx: App, desk: dict[str, Any]) -> None:
    old = new_demand(app_ctx, desk, received_at=T0, deadline=date(2025, 3, 10))
    urgent = new_demand(app_ctx, desk, received_at=T0 - timedelta(days=1), urgency="emergency",
                        organisation_id=desk["other"], problem="注塑机液压系统压力不稳")
    new = new_demand(app_ctx, desk, received_at=T0 + timedelta(days=1), kind="training", problem="电工培训")
    rows = queries.demands(app_ctx, 2025)
    assert [r.id for r in rows] == [urgent, new, old]
    assert rows[2].overdue and not rows[1].overdue  # past its deadline and still open
    assert [r.id for r in queries.demands(app_ctx, 2025, text="液压")] == [urgent]
    assert [r.id for r in queries.demands(app_ctx, 2025, text="乙模具")] == [urgent]
    assert queries.demands(app_ctx, 2024) == []
    service.dispatch(app_ctx, urgent, [desk["m_周国全"]], T0)
    service.advance(app_ctx, urgent, SOLVED, T0 + timedelta(hours=5))
    assert [r.id for r in queries.demands(app_ctx, None)] == [new, old, urgent]  # closed: by date
    assert [r.id for r in queries.demands(app_ctx, 2025, stage="pending")] == [new, old]


def test_members_who_served_leave_and_others_are_deleted(app_ctx: App, desk: dict[str, Any]) -> None:
    did = new_demand(app_ctx, desk)
    service.dispatch(app_ctx, did, [desk["m_周国全"], desk["m_expert"]], T0 + timedelta(minutes=5))
    assert "退出服务队" in service.remove_member(app_ctx, desk["m_周国全"], date(2025, 6, 1)).message
    assert "退出服务队" in service.remove_member(app_ctx, desk["m_expert"], date(2025, 6, 1)).message
    assert service.remove_member(app_ctx, desk["m_李明"]).message == "已删除成员：李明"
    with app_ctx.db.session() as s:
        left = {m.name: m.left_on for m in s.scalars(select(Member))}
    assert left == {"周国全": date(2025, 6, 1), "王建国": None, "陈立新": date(2025, 6, 1)}
    assert [m.name for m in queries.members(app_ctx, None, active_only=True)] == ["王建国"]
    assert [m.served for m in queries.members(app_ctx, desk["team"])][-2:] == [1, 1]


def test_targets_are_saved_once_a_year_per_measure(app_ctx: App) -> None:
    assert service.save_target(app_ctx, 2025, "problems", 30).message == "已保存2025年目标：解决技术问题（个）不少于 30"
    service.save_target(app_ctx, 2025, "problems", "35")
    with pytest.raises(ValidationError, match="指标“nonsense”不在可选项中"):
        service.save_target(app_ctx, 2025, "nonsense", 3)
    with pytest.raises(ValidationError, match="目标值应大于 0"):
        service.save_target(app_ctx, 2025, "trained", 0)
    rows = {t.measure: t for t in queries.targets(app_ctx, 2025)}
    assert rows["problems"].target == Decimal("35.00") and rows["trained"].target is None
    with app_ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Target)) == 1
    service.delete_target(app_ctx, int(rows["problems"].id or 0))
    assert all(t.target is None for t in queries.targets(app_ctx, 2025))


def test_a_readonly_account_cannot_write(app_ctx: App, desk: dict[str, Any]) -> None:
    app_ctx.has_accounts = True
    app_ctx.user = SignedIn(1, "li", "李会计", READONLY)
    with pytest.raises(PermissionDenied):
        new_demand(app_ctx, desk)
    with pytest.raises(PermissionDenied):
        service.save_target(app_ctx, 2025, "problems", 30)


def test_worker_facts_name_each_slip(app_ctx: App, desk: dict[str, Any]) -> None:
    did = new_demand(app_ctx, desk)
    service.dispatch(app_ctx, did, [desk["m_周国全"]], T0 + timedelta(minutes=5))
    service.advance(app_ctx, did, SOLVED, T0 + timedelta(days=1))
    with app_ctx.db.session() as s:
        facts = [f for f in registry.worker_facts(s, desk["周国全"]) if f.programme == "help_desk"]
        assert not [f for f in registry.worker_facts(s, desk["李明"]) if f.kind == "service"]
    service_facts = [f for f in facts if f.kind == "service"]
    assert [f.label for f in service_facts] == [f"助企行：2025-BB-0001 {UNIT} 设备故障（已解决）"]
    assert service_facts[0].when == date(2025, 3, 2) and "主轴异响" in service_facts[0].detail
    assert [f.label for f in facts if f.kind == "service_team"] == ["助企行服务队成员：宁海县劳模工匠帮帮团"]
