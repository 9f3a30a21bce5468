"""红色工匠 rules without Qt: the 1:2 ratio, eligibility and mentor hints, the pool's history and the
pool on a past date, carried-over places, weak/strong pairs, the stage-to-status mapping."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pytest
from sqlalchemy.orm import Session

from db.errors import ValidationError
from db.models.core.registers import Organisation, Worker
from desktop.programmes.red_craftsman import cultivation as cult
from desktop.programmes.red_craftsman import queries as rc
from desktop.programmes.red_craftsman import reports, rounds, rules
from desktop.registry import ReportContext, WorkerFact
from desktop.settings import choice_labels
from tests.support import valid_id

if TYPE_CHECKING:
    from desktop.context import App

Y = 2026


@dataclass(frozen=True)
class Fact:
    label: str
    kind: str
    programme: str = "competitions"


# -- pure rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("quota", "carried", "nominees", "level", "ratio", "open_"), [
    (10, 2, 15, "warning", "1:1.88", 8),  # fewer than twice the open places
    (10, 2, 16, "ok", "1:2", 8),
    (10, 2, 20, "note", "1:2.5", 8),  # more: chosen 好中选优
    (10, 0, 20, "ok", "1:2", 10),
    (3, 5, 0, "ok", "—", 0),  # carried over more than the quota: no open place
    (3, 3, 2, "note", "—", 0),
])
def test_ratio_check(quota: int, carried: int, nominees: int, level: str, ratio: str, open_: int) -> None:
    check = rules.RatioCheck(quota, carried, nominees)
    assert (check.level, check.ratio_text, check.open_places) == (level, ratio, open_)
    if level == "warning":
        assert "少于 1:2 所需的 16 人" in check.message and "还差 1 人" in check.message
    if level == "note" and open_:
        assert "多于 1:2" in check.message


def person(**kw: object) -> rules.Person:
    base: dict[str, object] = {"name": "张三", "political_status": "party_member", "skill_grade": "senior",
                               "trade": "数控铣工", "ownership": "non_public"}
    base.update(kw)
    return rules.Person(**base)  # type: ignore[arg-type]


def levels(hints: list[rules.Hint]) -> list[str]:
    return [h.level for h in hints]


def test_track_a_hints_are_warnings_never_refusals() -> None:
    assert rules.eligibility("a", person(), []) == []
    assert rules.eligibility("a", person(political_status="probationary_member", skill_grade=None), []) == []
    hints = rules.eligibility("a", person(political_status="masses", skill_grade=None, trade="客服专员",
                                          ownership="state"), [], {"political_status": {"masses": "群众"}})
    assert levels(hints) == ["warning", "warning", "note"]
    assert "现为群众" in hints[0].text and "客服专员" in hints[1].text and "非公" in hints[2].text


def test_track_b_hints_and_prizes_as_priority_reasons() -> None:
    assert levels(rules.eligibility("b", person(political_status="party_member"), [])) == ["warning"]
    bare = person(political_status="masses", skill_grade=None, trade="注塑工")
    assert [h.text for h in rules.eligibility("b", bare, [])] == ["B类应有技能等级或竞赛获奖，现均未登记"]
    prize = Fact("2026年县职工技能竞赛注塑工项目 一等奖", "prize")
    honour = Fact("宁海县劳动模范", "honour", "honours")
    hints = rules.eligibility("b", bare, [prize, honour, Fact("参赛", "entry")])
    assert levels(hints) == ["priority", "priority"]
    assert hints[0].text == "竞赛获奖：2026年县职工技能竞赛注塑工项目 一等奖" and hints[1].text == "荣誉：宁海县劳动模范"


def test_stage_to_status_mapping_is_the_documented_one() -> None:
    assert rules.STAGE_STATUS == {"application": None, "activist": "activist",
                                  "development_target": "development_target",
                                  "probationary": "probationary_member", "full_member": "party_member"}
    assert rules.status_after_stage("application", "masses") == "masses"  # 入党申请 keeps it
    assert rules.status_after_stage("application", "league_member") == "league_member"
    assert rules.status_after_stage("probationary", "development_target") == "probationary_member"


def test_stage_hints_order_and_periods() -> None:
    reached = {"activist": date(2025, 9, 1)}
    assert levels(rules.stage_hints("development_target", date(2026, 3, 1), reached)) == ["warning"]
    assert rules.stage_hints("development_target", date(2026, 9, 2), reached) == []
    assert levels(rules.stage_hints("development_target", date(2025, 8, 1), reached)) == ["error", "warning"]
    assert levels(rules.stage_hints("full_member", date(2026, 1, 1), {})) == ["note"]


def test_mentor_rules() -> None:
    assert rules.mentor_problem("b", person(political_status="probationary_member")) is None
    problem = rules.mentor_problem("b", person(name="李四", political_status="masses"),
                                   {"political_status": {"masses": "群众"}})
    assert problem is not None and "李四的政治面貌为群众" in problem and "党员导师" in problem
    assert rules.mentor_problem("a", person(political_status="masses")) is None
    mentee = person(employer_id=1)
    assert levels(rules.mentor_hints("a", person(skill_grade="technician", employer_id=1), mentee, [])) == []
    assert levels(rules.mentor_hints("a", person(skill_grade="senior", employer_id=1), mentee, [])) == ["warning"]
    prize = [Fact("数控铣工 一等奖", "prize")]
    assert levels(rules.mentor_hints("a", person(skill_grade="senior", employer_id=2), mentee, prize, load=2)) == [
        "note", "note", "priority"]


# -- over a session --------------------------------------------------------------------------------


@pytest.fixture
def s(app_ctx: App) -> Iterator[Session]:
    with app_ctx.db.session() as session:
        yield session


def add_worker(s: Session, name: str, seq: int, *, status: str = "masses", grade: str | None = None,
               trade: str = "数控铣工", org: Organisation | None = None) -> int:
    w = Worker(name=name, id_number=valid_id(seq=seq), political_status=status, skill_grade=grade, trade=trade,
               employer=org, member_status="active", gender="male")
    s.add(w)
    s.flush()
    return w.id


@pytest.fixture
def org(s: Session) -> Organisation:
    o = Organisation(name="宁海县跃龙模具有限公司", ownership="non_public")
    s.add(o)
    s.flush()
    return o


def test_round_figures_carry_over_and_pool_on_a_past_date(s: Session, org: Organisation) -> None:
    prev = rounds.save_round(s, Y - 1, 2, 2)
    a1 = add_worker(s, "陈建国", 1, status="party_member", grade="senior", org=org)
    a2 = add_worker(s, "王海燕", 2, status="party_member", org=org)
    b1 = add_worker(s, "李小明", 3, grade="technician", org=org)
    b2 = add_worker(s, "赵强", 4, grade="senior", org=org)
    ids = {}
    for wid, track in ((a1, "a"), (a2, "a"), (b1, "b"), (b2, "b")):
        n, hints = rounds.nominate(s, prev.id, wid, track, date(Y - 1, 3, 1))
        assert rules.warnings(hints) == []
        m = rounds.decide(s, n.id, "admitted", date(Y - 1, 4, 1))
        assert m is not None
        ids[wid] = m
    cult.record_expert(s, ids[a1].candidate_id, date(Y - 1, 11, 1), "grade", new_grade="technician")
    assert s.get(Worker, a1).skill_grade == "technician"  # the register follows the new grade
    rounds.remove(s, ids[b2].id, date(Y - 1, 9, 1), "discipline", "违反厂规被处分")
    result = rounds.carry_over(s, Y - 1, date(Y, 1, 10), quota_a=3, quota_b=3)
    assert (result.carried, result.completed) == (2, 1)  # a2 and b1 carried; a1 became an expert
    assert rounds.carry_over(s, Y - 1, date(Y, 1, 10)).carried == 0  # running it again changes nothing
    cur = result.round
    f = rounds.figures(s, cur, date(Y, 2, 1))
    assert (f["a"].quota, f["a"].carried, f["a"].check.open_places, f["a"].in_pool) == (3, 1, 2, 1)
    assert f["a"].check.level == "warning"  # no new nominee yet for 2 open places
    for i in range(4):
        rounds.nominate(s, cur.id, add_worker(s, f"新人{'甲乙丙丁'[i]}", 10 + i, status="party_member", org=org), "a",
                         date(Y, 2, 1))
    f = rounds.figures(s, cur, date(Y, 2, 1))
    assert (f["a"].nominees, f["a"].check.level, f["a"].check.ratio_text) == (4, "ok", "1:2")
    # the pool on past dates
    names = lambda day: sorted(p.name for p in rc.pool(s, day))  # noqa: E731
    assert names(date(Y - 1, 3, 31)) == []
    assert names(date(Y - 1, 8, 31)) == ["李小明", "王海燕", "赵强", "陈建国"]
    assert names(date(Y - 1, 9, 1)) == ["李小明", "王海燕", "陈建国"]  # removed that day
    assert names(date(Y, 1, 10)) == ["李小明", "王海燕"]  # carried; the expert completed
    carried = rc.pool(s, date(Y, 1, 10), cur)
    assert {p.source for p in carried} == {"carried"}
    # the history keeps every change
    labels = {"rc_leave_reason": {"discipline": "违纪违法", "carried": "结转下一年度", "completed": "培育完成"},
              "rc_source": {"new": "新入库", "carried": "上年结转"}}
    actions = [(h.name, h.action) for h in rc.history(s, labels)]
    assert ("赵强", "移出（违纪违法）") in actions and ("陈建国", "培育完成") in actions
    assert actions.count(("王海燕", "结转下一年度")) == 1 and ("王海燕", "上年结转") in actions


def test_nomination_refusals_and_undo(s: Session, org: Organisation) -> None:
    r = rounds.save_round(s, Y, 1, 1)
    with pytest.raises(ValidationError, match="已建立"):
        rounds.save_round(s, Y, 1, 1)
    wid = add_worker(s, "钱芳芳", 1, status="masses", grade=None, trade="客服专员", org=org)
    n, hints = rounds.nominate(s, r.id, wid, "a", date(Y, 3, 1))
    assert len(rules.warnings(hints)) == 2  # hinted, still entered
    with pytest.raises(ValidationError, match="已在2026年度推荐名单中"):
        rounds.nominate(s, r.id, wid, "b", date(Y, 3, 1))
    m = rounds.decide(s, n.id, "admitted", date(Y, 4, 1))
    assert m is not None
    with pytest.raises(ValidationError, match="请先撤销入库"):
        rounds.delete_nomination(s, n.id)
    rounds.decide(s, n.id, "pending", date(Y, 4, 2))  # a mistake undone: no membership, no candidate left
    assert rc.pool(s, date(Y, 4, 3)) == []
    rounds.delete_nomination(s, n.id)


def test_mentors_refusal_hints_and_re_pairing(s: Session, org: Organisation) -> None:
    r = rounds.save_round(s, Y, 1, 1)
    b = add_worker(s, "孙伟", 1, grade="senior", org=org)
    a = add_worker(s, "周敏", 2, status="party_member", org=org)
    plain = add_worker(s, "吴刚", 3, status="masses", grade="senior_technician", org=org)
    member = add_worker(s, "郑华", 4, status="party_member", grade="senior", org=org)
    cand = {}
    for wid, track in ((b, "b"), (a, "a")):
        n, _ = rounds.nominate(s, r.id, wid, track, date(Y, 3, 1))
        m = rounds.decide(s, n.id, "admitted", date(Y, 4, 1))
        assert m is not None
        cand[track] = m.candidate_id
    with pytest.raises(ValidationError, match="吴刚的政治面貌为群众") as exc:
        cult.assign_mentor(s, cand["b"], plain, date(Y, 4, 5), {"political_status": {"masses": "群众"}})
    assert exc.value.code == "mentor_not_party_member"
    _link, hints = cult.assign_mentor(s, cand["b"], member, date(Y, 4, 5))
    assert hints == []
    _link, hints = cult.assign_mentor(s, cand["a"], member, date(Y, 4, 5))  # track A: only a hint
    assert [h.level for h in hints] == ["warning", "note"]  # 高级工, not 技师; already mentors one candidate
    _link, hints = cult.assign_mentor(s, cand["a"], plain, date(Y, 6, 1))  # re-pairing: a technician, 群众 is fine
    assert rules.warnings(hints) == []
    lines = rc.evaluation_lines(s, Y)
    a_links = sorted((ln.row for ln in lines if ln.track == "a"), key=lambda x: x.started_on)
    assert [x.mentor for x in a_links] == ["郑华", "吴刚"] and a_links[0].ended_on == date(Y, 5, 31)


def test_two_way_evaluation_flags(s: Session, org: Organisation) -> None:
    r = rounds.save_round(s, Y, 2, 0)
    mentor = add_worker(s, "马军", 1, status="party_member", grade="technician", org=org)
    links = []
    for i, name in enumerate(("甲一", "乙二", "丙三")):
        n, _ = rounds.nominate(s, r.id, add_worker(s, name, 10 + i, status="party_member", org=org), "a",
                                date(Y, 3, 1))
        m = rounds.decide(s, n.id, "admitted", date(Y, 4, 1))
        assert m is not None
        link, _ = cult.assign_mentor(s, m.candidate_id, mentor, date(Y, 4, 2))
        links.append(link.id)
    assert cult.evaluate(s, links[0], Y, date(Y, 12, 1), 4, 5)[0] == ["导师评先评优优先"]
    assert cult.evaluate(s, links[1], Y, date(Y, 12, 1), 2, 4)[0] == ["建议调整结对"]  # mentor rated mentee 基本合格
    assert cult.evaluate(s, links[2], Y, date(Y, 12, 1), 4, 1)[0] == ["建议调整结对"]
    assert cult.evaluate(s, links[2], Y, date(Y, 12, 2), 3, 3)[0] == []  # corrected: one evaluation per year
    with pytest.raises(ValidationError, match="1–5"):
        cult.evaluate(s, links[0], Y, date(Y, 12, 1), 6, 5)
    rows = [ln.row for ln in rc.evaluation_lines(s, Y)]
    assert [x.weak for x in rows] == [False, True, False] and [x.strong for x in rows] == [True, False, False]


def test_training_degree_stages_and_outputs(s: Session, org: Organisation, monkeypatch: pytest.MonkeyPatch) -> None:
    r = rounds.save_round(s, Y, 0, 3, announced_on=date(Y, 4, 20))
    ids = [add_worker(s, n, i, grade="senior", org=org) for i, n in enumerate(("林一", "林二", "林三"))]
    cands = []
    for wid in ids:
        n, _ = rounds.nominate(s, r.id, wid, "b", date(Y, 3, 1))
        m = rounds.decide(s, n.id, "admitted", date(Y, 4, 1))
        assert m is not None
        cands.append(m.candidate_id)
    cult.add_training(s, cands[:2], date(Y, 6, 1), "集中培训班", hours="8")
    cult.add_training(s, cands[2:], date(Y, 6, 1), "线上学习", kind="other", hours=2)
    cult.add_training(s, cands[2:], date(Y - 1, 6, 1), "去年的培训")
    assert [p.name for p in rc.untrained(rc.pool(s, date(Y, 7, 1)))] == ["林三"]
    cult.set_degree(s, cands[0], "college", "宁波职业技术学院", date(Y, 9, 1))
    assert [p.subsidy_priority for p in rc.pool(s, date(Y, 10, 1))] == [True, False, False]
    # party stages set the political status through the mapping; undoing restores it
    w = s.get(Worker, ids[1])
    assert w is not None
    cult.record_stage(s, cands[1], "application", date(Y, 5, 1))
    assert w.political_status == "masses"
    _row, hints = cult.record_stage(s, cands[1], "activist", date(Y, 10, 1))
    assert w.political_status == "activist" and hints == []
    with pytest.raises(ValidationError, match="不能早于"):
        cult.record_stage(s, cands[1], "development_target", date(Y, 9, 1))
    last, hints = cult.record_stage(s, cands[1], "development_target", date(Y, 11, 1))
    assert w.political_status == "development_target" and [h.level for h in hints] == ["warning"]
    with pytest.raises(ValidationError, match="请先删除后面的阶段"):
        cult.delete_stage(s, rc.stages_of(s, cands[1])[0].id)
    cult.delete_stage(s, last.id)
    assert w.political_status == "activist"
    # certificates: one per candidate admitted to the year's pool; removed ones get none
    rounds.remove(s, rc.pool(s, date(Y, 11, 1))[2].membership_id, date(Y, 11, 2), "transfer")
    ctx = ReportContext("宁海县跃龙街道总工会", date(Y, 12, 1), labels=choice_labels(s))
    records = reports.certificate_records(s, {"year": Y})
    assert [x["name"] for x in records] == ["林一", "林二"]
    assert records[0]["event"] == "2026年度“红色工匠”培育活动" and records[0]["date"] == date(Y, 4, 20)
    roster = reports.roster(s, {"year": Y}, ctx)
    assert len(roster.rows) == 2 and "林三（调离" in roster.footnote
    assert "*" in str(roster.rows[0][3])  # ID masked
    # prizes and honours of other programmes reach the hints through the registry's worker facts
    from desktop import registry

    def facts(_s: Session, worker_id: int) -> list[WorkerFact]:
        return [WorkerFact("honours", "县级劳动模范", kind="honour")] if worker_id == ids[0] else []

    monkeypatch.setattr(registry, "worker_facts", facts)
    hints = rounds.hints_for(s, ids[0], "b")
    assert [h.text for h in hints] == ["荣誉：县级劳动模范"]
