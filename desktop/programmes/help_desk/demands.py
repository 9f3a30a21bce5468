"""Enterprise demands (企业需求) and their 派工单 over a session, on the case core: registering a
demand opens a case at its received time; dispatching names craftsmen from the teams as the case's
parties and moves it to 已派; outcomes, visits, targets and attachments. Refusals are
:class:`~db.errors.ValidationError` naming the field, raised before anything is written; the
importer (``importing``) registers its rows through :func:`add_demand` too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import ValidationError
from db.models.core.cases import Case, CaseParty
from db.models.core.registers import Organisation
from db.models.help_desk import Demand, Member, Target, Team, Visit
from desktop.programmes.core import cases as core
from desktop.programmes.core.records import delete_or_refuse, get_or_refuse
from desktop.programmes.help_desk.checking import clean, label
from desktop.programmes.help_desk.rules import ACCEPTED, CRAFTSMAN, DISPATCHED, FLOW, PENDING, SERVING

DEMAND_GONE = "该企业需求已不存在（可能已被删除）"
OUTCOME_FIELDS = ("solution", "benefit_actual", "benefit_expected", "cost_saved", "orders", "trained", "results",
                  "result_count", "rating", "feedback", "transferred_to")
#: what a demand's form may change (the outcome has its own form)
DEMAND_FIELDS = ("organisation_id", "problem", "kind", "urgency", "channel", "region", "place", "received_at",
                 "deadline", "contact_name", "contact_phone", "team_id")
NEED_CRAFTSMEN = (DISPATCHED, ACCEPTED, SERVING)


def get(session: Session, demand_id: int, *, lock: bool = False) -> Demand:
    return get_or_refuse(session, Demand, demand_id, DEMAND_GONE, lock=lock)


def enterprise(d: Demand) -> str:
    return d.organisation.name if d.organisation is not None else ""


def title(d: Demand) -> str:
    """``2026-BB-0012 宁海县甲机械有限公司``: how messages name a demand."""
    return f"{d.case.number} {enterprise(d)}".strip()


def summary_of(unit: str, problem: str) -> str:
    """The case's summary (what lists and messages name it by): ``宁海县甲机械有限公司：设备异响…``."""
    return f"{unit}：{' '.join((problem or '').split())}"[:200]


def _summary(d: Demand) -> str:
    return summary_of(enterprise(d), d.problem)


def _check(session: Session, values: dict[str, Any], d: Demand | None) -> dict[str, Any]:
    out = clean(session, Demand, values, only=DEMAND_FIELDS)
    if d is None:
        for name in ("organisation_id", "problem", "kind", "channel", "received_at"):
            if out.get(name) in (None, ""):
                raise ValidationError("field_invalid", f"请填写{label(Demand, name)}")
    if "organisation_id" in out:
        get_or_refuse(session, Organisation, int(out["organisation_id"]), "所选企业已不在单位名册中")
    if out.get("team_id") is not None:
        get_or_refuse(session, Team, int(out["team_id"]), "所选服务队已不存在")
    region = out.get("region", d.region if d is not None else "local") or "local"
    place = out.get("place", d.place if d is not None else None)
    if region != "local" and not place:
        raise ValidationError("field_invalid", f"对口协作、跨地区服务请填写{label(Demand, 'place')}（如：四川省普格县）")
    received = out.get("received_at", d.received_at if d is not None else None)
    deadline = out.get("deadline", d.deadline if d is not None else None)
    if received is not None and deadline is not None and deadline < received.date():
        raise ValidationError("date_order", f"{label(Demand, 'deadline')}不能早于{label(Demand, 'received_at')}")
    return out


def add_demand(session: Session, values: dict[str, Any]) -> Demand:
    """A new demand and its case (待派), opened at the received time; flushed."""
    out = _check(session, values, None)
    out.setdefault("urgency", "normal")
    out["urgency"] = out["urgency"] or "normal"
    out["region"] = out.get("region") or "local"
    d = Demand(**out)
    d.organisation = session.get(Organisation, int(out["organisation_id"]))  # type: ignore[assignment]
    case = core.open_case(session, FLOW, out["received_at"], _summary(d))
    d.case = case
    session.add(d)
    session.flush()
    return d


def save_demand(session: Session, demand_id: int, values: dict[str, Any]) -> Demand:
    d = get(session, demand_id, lock=True)
    out = _check(session, values, d)
    received = out.get("received_at")
    if received is not None and received != d.received_at:
        _move_opening(d, received)
    for key, value in out.items():
        setattr(d, key, value)
    if "organisation_id" in out:
        d.organisation = session.get(Organisation, int(out["organisation_id"]))  # type: ignore[assignment]
    d.case.summary = _summary(d)
    session.flush()
    return d


def _move_opening(d: Demand, received: datetime) -> None:
    """A corrected received time moves the case's opening (its number's year stays)."""
    case = d.case
    if received.year != case.year:
        raise ValidationError("field_invalid", f"{label(Demand, 'received_at')}不能改到其他年份（编号按年度编排）")
    later = [m.at for m in case.moves[1:]]
    if later and received > min(later):
        raise ValidationError("date_order", f"{label(Demand, 'received_at')}不能晚于派单等后续环节的时间"
                                            f"（{min(later):%Y-%m-%d %H:%M}）")
    case.opened_at = received
    case.moves[0].at = received
    if case.stage == PENDING:
        case.stage_at = received


def delete_demand(session: Session, demand_id: int) -> str:
    """Delete a demand entered by mistake: only while 待派."""
    d = get(session, demand_id, lock=True)
    name = title(d)
    if d.case.stage != FLOW.first:
        raise ValidationError("in_use", f"{name}已“{FLOW.label(d.case.stage)}”，不能删除（只能删除误登记、尚未派单的需求）")
    case_id = d.case_id
    session.delete(d)
    session.flush()
    core.delete_case(session, FLOW, case_id)
    return name


# -- dispatch and stages ---------------------------------------------------------------------------------------


def _refuse_closed(d: Demand, what: str) -> None:
    if FLOW.is_closed(d.case.stage):
        raise ValidationError("stage_closed", f"{title(d)}已“{FLOW.label(d.case.stage)}”，不能再{what}")


def _on_slip(case: Case, m: Member) -> bool:
    if m.worker_id is not None:
        return any(p.worker_id == m.worker_id for p in core.parties(case, CRAFTSMAN))
    return any(p.worker_id is None and p.name == m.name for p in core.parties(case, CRAFTSMAN))


def dispatch(session: Session, demand_id: int, member_ids: Sequence[int], at: datetime,
             note: str | None = None) -> tuple[Demand, list[str], bool]:
    """派单: the members become the case's craftsmen (a worker by register id, an expert by name
    and phone); a 待派 demand moves to 已派 at ``at``, an open one later only gains craftsmen.
    Returns (demand, the names sent, whether it moved)."""
    if not member_ids:
        raise ValidationError("field_invalid", "请选择派单的工匠（至少一名）")
    d = get(session, demand_id, lock=True)
    _refuse_closed(d, "派单")
    members = [get_or_refuse(session, Member, int(i), "所选工匠已不在服务队中") for i in dict.fromkeys(member_ids)]
    for m in members:
        if m.left_on is not None and m.left_on <= at.date():
            raise ValidationError("member_left", f"{m.name}已于 {m.left_on:%Y-%m-%d} 退出服务队，不能派单")
    fresh = [m for m in members if not _on_slip(d.case, m)]
    if not fresh:
        raise ValidationError("duplicate", f"所选工匠都已在{d.case.number}的派工单上")
    moved = d.case.stage == PENDING
    if moved:
        core.move(session, FLOW, d.case_id, DISPATCHED, at, note=note)
    for m in fresh:
        if m.worker_id is not None:
            core.add_party(session, d.case_id, CRAFTSMAN, worker_id=m.worker_id, capacity=_capacity(m))
        else:
            core.add_party(session, d.case_id, CRAFTSMAN, name=m.name, phone=m.phone, capacity=_capacity(m),
                           note=m.expert_from)
    if d.team_id is None:
        d.team_id = fresh[0].team_id
    session.flush()
    return d, [m.name for m in fresh], moved


def _capacity(m: Member) -> str | None:
    return (m.specialty or m.trade or "")[:40] or None


def advance(session: Session, demand_id: int, target: str, at: datetime, note: str | None = None) -> Demand:
    d = get(session, demand_id)
    if target in NEED_CRAFTSMEN and not core.parties(d.case, CRAFTSMAN):
        raise ValidationError("no_craftsman", f"{d.case.number}还没有派单的工匠，请先派单")
    core.move(session, FLOW, d.case_id, target, at, note=note)
    return d


def record_outcome(session: Session, demand_id: int, values: dict[str, Any]) -> Demand:
    d = get(session, demand_id)
    out = clean(session, Demand, values, only=OUTCOME_FIELDS)
    for key, value in out.items():
        setattr(d, key, value)
    session.flush()
    return d


def remove_craftsman(session: Session, party_id: int) -> tuple[Demand, str]:
    party = get_or_refuse(session, CaseParty, party_id, "该工匠已不在派工单上")
    d = session.scalar(select(Demand).where(Demand.case_id == party.case_id))
    if d is None or party.role != CRAFTSMAN:
        raise ValidationError("not_found", "该工匠已不在派工单上")
    _refuse_closed(d, "调整工匠")
    if len(core.parties(d.case, CRAFTSMAN)) == 1 and d.case.stage != PENDING:
        raise ValidationError("last_craftsman", f"{d.case.number}已派单，至少要保留一名工匠")
    return d, core.remove_party(session, party_id)


# -- visits, attachments, targets ------------------------------------------------------------------------------


def add_visit(session: Session, demand_id: int, values: dict[str, Any], today: date) -> tuple[Demand, Visit]:
    d = get(session, demand_id)
    out = clean(session, Visit, values)
    for name in ("visited_on", "content"):
        if out.get(name) in (None, ""):
            raise ValidationError("field_invalid", f"请填写{label(Visit, name)}")
    if d.case.stage == PENDING:
        raise ValidationError("stage_order", f"{d.case.number}尚未派单，不能登记上门服务")
    on: date = out["visited_on"]
    if on < d.received_at.date() or on > today:
        raise ValidationError("date_order", f"{label(Visit, 'visited_on')}应在{label(Demand, 'received_at')}"
                                            f"（{d.received_at:%Y-%m-%d}）与今天之间")
    v = Visit(demand=d, **out)
    session.add(v)
    session.flush()
    return d, v


def delete_visit(session: Session, visit_id: int) -> tuple[Demand, date]:
    v = get_or_refuse(session, Visit, visit_id, "该服务记录已不存在")
    d, on = v.demand, v.visited_on
    session.delete(v)
    session.flush()
    return d, on


def save_target(session: Session, year: int, measure: str, target: object) -> Target:
    out = clean(session, Target, {"year": year, "measure": measure, "target": target})
    if not 2000 <= int(out["year"] or 0) <= 2100:
        raise ValidationError("field_invalid", f"{label(Target, 'year')}无效（{year}）")
    if out.get("measure") is None or out.get("target") is None:
        raise ValidationError("field_invalid", f"请填写{label(Target, 'measure' if out.get('measure') is None else 'target')}")
    if out["target"] <= Decimal(0):
        raise ValidationError("field_invalid", f"{label(Target, 'target')}应大于 0")
    t = session.scalar(select(Target).where(Target.year == out["year"], Target.measure == out["measure"]))
    if t is None:
        t = Target(year=out["year"], measure=out["measure"], target=out["target"])
        session.add(t)
    else:
        t.target = out["target"]
    session.flush()
    return t


def delete_target(session: Session, target_id: int) -> Target:
    return delete_or_refuse(session, Target, target_id, "该目标已不存在")
