"""劳模工匠助企行's writes for the UI: each checks the account may write, opens one transaction and
returns what it changed (:class:`desktop.changes.Changes`, or :class:`~desktop.changes.Done` with
the new record's id) with a Chinese message (``已派单：2026-BB-0012 派给周国全、王建国``).
Refusals are :class:`~db.errors.ValidationError` naming the field, and nothing is written. The
work itself is in ``teams`` and ``demands``, over a session, on the case core.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from desktop.accounts.roles import WRITE
from desktop.changes import Changes, Done
from desktop.programmes.core import cases as core
from desktop.programmes.help_desk import demands, teams
from desktop.programmes.help_desk.demands import title
from desktop.programmes.help_desk.rules import FLOW
from desktop.settings import choice_labels

if TYPE_CHECKING:
    from desktop.context import App

DEMANDS, CASES, MOVES, PARTIES, ATTACHMENTS = "hd_demands", "cases", "case_moves", "case_parties", "case_attachments"
VISITS, TEAMS, MEMBERS, TARGETS = "hd_visits", "hd_teams", "hd_members", "hd_targets"
#: Everything the tab shows: it refreshes on a change to any of these.
TABLES = (DEMANDS, CASES, MOVES, PARTIES, ATTACHMENTS, VISITS, TEAMS, MEMBERS, TARGETS, "workers", "organisations",
          "selection_holdings", "settings")


def _demand_rows(demand_id: int, case_id: int) -> list[tuple[str, int]]:
    return [(DEMANDS, demand_id), (CASES, case_id)]


# -- teams and members -----------------------------------------------------------------------------------------


def save_team(app: App, team_id: int | None, values: dict[str, Any]) -> Done[int]:
    """新建服务队 / 编辑服务队: the team's id comes back."""
    app.require(WRITE, "保存服务队")
    with app.db.session() as s:
        t = teams.save_team(s, team_id, values)
        tid, name = t.id, t.name
    return Done(tid, Changes.of(TEAMS, rows=[(TEAMS, tid)], message=f"已保存服务队：{name}"))


def delete_team(app: App, team_id: int) -> Changes:
    app.require(WRITE, "删除服务队")
    with app.db.session() as s:
        name = teams.delete_team(s, team_id)
    return Changes.of(TEAMS, MEMBERS, rows=[(TEAMS, team_id)], message=f"已删除服务队：{name}")


def add_member(app: App, team_id: int, values: dict[str, Any]) -> Done[int]:
    """A worker of the register (``worker_id``) or an outside expert (``name``, ``phone``, ``expert_from``)."""
    app.require(WRITE, "添加服务队成员")
    with app.db.session() as s:
        m = teams.add_member(s, team_id, values)
        mid, name, team = m.id, m.name, m.team.name
    return Done(mid, Changes.of(MEMBERS, rows=[(MEMBERS, mid), (TEAMS, team_id)], message=f"{name}已加入{team}"))


def save_member(app: App, member_id: int, values: dict[str, Any]) -> Changes:
    app.require(WRITE, "修改服务队成员")
    with app.db.session() as s:
        m = teams.save_member(s, member_id, values)
        name = m.name
    return Changes.of(MEMBERS, rows=[(MEMBERS, member_id)], message=f"已保存成员：{name}")


def remove_member(app: App, member_id: int, on: date | None = None) -> Changes:
    """退出服务队: a member who served is kept with the date left; one who never did is deleted."""
    app.require(WRITE, "移除服务队成员")
    with app.db.session() as s:
        name, deleted = teams.remove_member(s, member_id, on or date.today())
    said = f"已删除成员：{name}" if deleted else f"{name}已退出服务队（保留其派工单记录）"
    return Changes.of(MEMBERS, rows=[(MEMBERS, member_id)], message=said)


# -- demands and 派工单 ----------------------------------------------------------------------------------------


def add_demand(app: App, values: dict[str, Any]) -> Done[int]:
    """登记企业需求 (the Demand's field names): the case opens at ``received_at``; the demand's id comes back."""
    app.require(WRITE, "登记企业需求")
    with app.db.session() as s:
        d = demands.add_demand(s, values)
        did, cid, name = d.id, d.case_id, title(d)
    return Done(did, Changes.of(DEMANDS, CASES, MOVES, rows=_demand_rows(did, cid), message=f"已登记企业需求：{name}"))


def save_demand(app: App, demand_id: int, values: dict[str, Any]) -> Changes:
    app.require(WRITE, "修改企业需求")
    with app.db.session() as s:
        d = demands.save_demand(s, demand_id, values)
        cid, name = d.case_id, title(d)
    return Changes.of(DEMANDS, CASES, MOVES, rows=_demand_rows(demand_id, cid), message=f"已保存企业需求：{name}")


def delete_demand(app: App, demand_id: int) -> Changes:
    """Only a demand still 待派 (entered by mistake)."""
    app.require(WRITE, "删除企业需求")
    with app.db.session() as s:
        name = demands.delete_demand(s, demand_id)
    return Changes.of(DEMANDS, CASES, MOVES, PARTIES, ATTACHMENTS, VISITS, rows=[(DEMANDS, demand_id)],
                      message=f"已删除企业需求：{name}")


def dispatch(app: App, demand_id: int, member_ids: Sequence[int], at: datetime, note: str | None = None) -> Changes:
    """派单 to one or more craftsmen of the teams (also 加派 while the 派工单 is open)."""
    app.require(WRITE, "派单")
    with app.db.session() as s:
        d, names, moved = demands.dispatch(s, demand_id, member_ids, at, note)
        cid, number = d.case_id, d.case.number
    verb = "已派单" if moved else "已加派"
    return Changes.of(DEMANDS, CASES, MOVES, PARTIES, rows=_demand_rows(demand_id, cid),
                      message=f"{verb}：{number} 派给{'、'.join(names)}")


def advance(app: App, demand_id: int, target: str, at: datetime, note: str | None = None) -> Changes:
    """接单, 服务中, 已解决 / 未解决 / 转办, 已回访 (a stage may be skipped, never undone)."""
    app.require(WRITE, "办理派工单")
    with app.db.session() as s:
        d = demands.advance(s, demand_id, target, at, note)
        cid, number = d.case_id, d.case.number
        minutes = core.minutes_between(d.case, "dispatched", "accepted") if target == "accepted" else None
    extra = f"（派单后 {minutes} 分钟接单）" if minutes is not None else ""
    return Changes.of(DEMANDS, CASES, MOVES, rows=_demand_rows(demand_id, cid),
                      message=f"{number}：{FLOW.label(target)}{extra}")


def record_outcome(app: App, demand_id: int, values: dict[str, Any]) -> Changes:
    """解决情况, 效益 (实际、预期), 节约成本, 订单, 培训人次, 成果, 企业评价, 转办单位."""
    app.require(WRITE, "登记服务成效")
    with app.db.session() as s:
        d = demands.record_outcome(s, demand_id, values)
        cid, name = d.case_id, title(d)
    return Changes.of(DEMANDS, rows=_demand_rows(demand_id, cid), message=f"已保存服务成效：{name}")


def link_craftsman(app: App, party_id: int, worker_id: int) -> Changes:
    """An outside expert on a 派工单, linked to the worker register once entered there."""
    app.require(WRITE, "关联职工名册")
    with app.db.session() as s:
        p = core.link_party(s, party_id, worker_id=worker_id)
        name, case_id = p.name, p.case_id
    return Changes.of(PARTIES, rows=[(PARTIES, party_id), (CASES, case_id)], message=f"已将{name}关联到职工名册")


def remove_craftsman(app: App, party_id: int) -> Changes:
    app.require(WRITE, "调整派单工匠")
    with app.db.session() as s:
        d, name = demands.remove_craftsman(s, party_id)
        did, cid, number = d.id, d.case_id, d.case.number
    return Changes.of(PARTIES, DEMANDS, rows=_demand_rows(did, cid), message=f"已将{name}移出{number}的派工单")


def add_visit(app: App, demand_id: int, values: dict[str, Any]) -> Done[int]:
    """上门服务: visited_on, people (人次), content."""
    app.require(WRITE, "登记上门服务")
    with app.db.session() as s:
        d, v = demands.add_visit(s, demand_id, values, date.today())
        vid, number, on = v.id, d.case.number, v.visited_on
    return Done(vid, Changes.of(VISITS, rows=[(VISITS, vid), (DEMANDS, demand_id)],
                                message=f"已登记{number}的上门服务（{on:%Y-%m-%d}）"))


def delete_visit(app: App, visit_id: int) -> Changes:
    app.require(WRITE, "删除上门服务记录")
    with app.db.session() as s:
        d, on = demands.delete_visit(s, visit_id)
        did, number = d.id, d.case.number
    return Changes.of(VISITS, rows=[(VISITS, visit_id), (DEMANDS, did)],
                      message=f"已删除{number}的上门服务记录（{on:%Y-%m-%d}）")


def add_attachment(app: App, demand_id: int, name: str, on: date, note: str | None = None) -> Done[int]:
    app.require(WRITE, "登记附件")
    with app.db.session() as s:
        d = demands.get(s, demand_id)
        a = core.add_attachment(s, d.case_id, name, on, note)
        aid, shown, number = a.id, a.name, d.case.number
    return Done(aid, Changes.of(ATTACHMENTS, rows=[(ATTACHMENTS, aid), (DEMANDS, demand_id)],
                                message=f"已登记{number}的附件：{shown}"))


def remove_attachment(app: App, attachment_id: int) -> Changes:
    app.require(WRITE, "删除附件记录")
    with app.db.session() as s:
        name = core.remove_attachment(s, attachment_id)
    return Changes.of(ATTACHMENTS, rows=[(ATTACHMENTS, attachment_id)], message=f"已删除附件记录：{name}")


# -- targets ---------------------------------------------------------------------------------------------------


def save_target(app: App, year: int, measure: str, target: object) -> Changes:
    """The year's target for one measure (建湖: 解决技术问题不少于30个); saving again replaces it."""
    app.require(WRITE, "保存年度目标")
    with app.db.session() as s:
        t = demands.save_target(s, year, measure, target)
        tid, label = t.id, app_labels(s).get(t.measure, t.measure)
        shown = f"{t.target.normalize():f}"
    return Changes.of(TARGETS, rows=[(TARGETS, tid)], message=f"已保存{year}年目标：{label}不少于 {shown}")


def delete_target(app: App, target_id: int) -> Changes:
    app.require(WRITE, "删除年度目标")
    with app.db.session() as s:
        t = demands.delete_target(s, target_id)
        label, year = app_labels(s).get(t.measure, t.measure), t.year
    return Changes.of(TARGETS, rows=[(TARGETS, target_id)], message=f"已删除{year}年目标：{label}")


def app_labels(session: Any) -> dict[str, str]:
    return choice_labels(session).get("hd_measure", {})
