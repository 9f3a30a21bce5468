"""The 派工单 and the 急诊单 of one demand: plain data for :mod:`reports.dispatch_slip`. No Qt.

Both print the same facts; the 急诊单 only for a demand of urgency ``emergency`` (a 普通 demand is
refused, pointing at the 派工单), with its 响应时限 and deadline in a red band. Headings are read
from the record description. The craftsmen's phones (privacy class phone) print masked unless the
report is printed whole (``ctx.full``: the sensitive-information permission, logged by the runner).
The enterprise contact's work phone (privacy class contact) prints whole for an account that may
write (``ctx.contact``), and the print is then logged (``print_contact``); masked otherwise.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import audit
from db.errors import ValidationError
from db.fields import CONTACT, PHONE
from db.models.core.cases import CaseParty
from db.models.core.registers import Organisation
from db.models.help_desk import WAN, Demand, Member
from db.privacy import mask
from desktop.params import record_param
from desktop.programmes.core.cases import parties, reached_at
from desktop.programmes.core.cultivation_fields import label
from desktop.programmes.help_desk.rules import (
    ACCEPTED,
    CRAFTSMAN,
    DISPATCHED,
    EMERGENCY,
    FLOW,
    SOLVED,
    TRANSFERRED,
    UNSOLVED,
)
from desktop.registry import ReportContext
from reports.cn_dates import date_cn
from reports.dispatch_slip import Craftsman, Figure, Slip

TITLE, EMERGENCY_TITLE = "劳模工匠助企行派工单", "劳模工匠助企行急诊单"
WHAT = "派工单"  # the demand parameter: a demand is printed as its 派工单
HINT = "（见 help-desk --json）"
HOURS = "响应时限（小时）"


def moment_cn(at: datetime | None) -> str:
    """二〇二六年三月五日14时30分 (empty for no time)."""
    return f"{date_cn(at.date())}{at.hour}时{at.minute:02d}分" if at is not None else ""


def wan(value: Decimal | int | None) -> str:
    """An amount as written on the form: 45, 45.5 (empty for none)."""
    if value is None:
        return ""
    text = f"{Decimal(value):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def heads() -> dict[str, str]:
    """The slip's headings, from the record description."""
    return {
        "enterprise": label(Demand, "organisation_id"),
        "address": label(Demand, "organisation_id") + label(Organisation, "address"),
        "contact": label(Demand, "contact_name"), "phone": label(Demand, "contact_phone"),
        "kind": label(Demand, "kind"), "urgency": label(Demand, "urgency"), "channel": label(Demand, "channel"),
        "region": label(Demand, "region"), "problem": label(Demand, "problem"), "deadline": label(Demand, "deadline"),
        "name": label(Member, "name"), "specialty": label(Member, "specialty"), "mobile": label(CaseParty, "phone"),
        "solution": label(Demand, "solution"), "rating": label(Demand, "rating"),
    }


def _choice(ctx: ReportContext, key: str, code: str | None) -> str:
    return ctx.labels.get(key, {}).get(code or "", code or "")


def _craftsmen(session: Session, d: Demand, ctx: ReportContext) -> tuple[Craftsman, ...]:
    out = []
    for p in parties(d.case, CRAFTSMAN):
        phone = p.phone or (p.worker.phone if p.worker is not None else None) or ""
        specialty = p.capacity or ""
        if not specialty and p.worker_id is not None:
            m = session.scalars(select(Member).where(Member.worker_id == p.worker_id).order_by(Member.id)).first()
            specialty = (m.specialty or m.trade or "") if m is not None else ""
        out.append(Craftsman(p.name, specialty, phone if ctx.full else str(mask(phone, PHONE) or "")))
    return tuple(out)


def _contact(session: Session, d: Demand, ctx: ReportContext, note: str) -> tuple[str, str]:
    """The enterprise contact and work phone: the demand's (whole for a clerk who may write, and
    logged), else the organisation register's (a phone: whole only with ``ctx.full``)."""
    if d.contact_phone:
        if ctx.contact:
            audit.log(session, "print_contact", "hd_demands", d.id, note=note)
            return d.contact_name or "", d.contact_phone
        return d.contact_name or "", str(mask(d.contact_phone, CONTACT))
    org = d.organisation
    name = d.contact_name or (org.contact if org is not None else None) or ""
    phone = (org.contact_phone if org is not None else None) or ""
    return name, phone if ctx.full else str(mask(phone, PHONE) or "")


def _service(d: Demand) -> str:
    """服务情况 so far: each visit with its day and content."""
    lines = []
    for v in d.visits:
        people = f"（{v.people}人次）" if v.people else ""
        lines.append(f"{date_cn(v.visited_on)}：{' '.join(v.content.split())}{people}")
    return "\n".join(lines)


def _solution(d: Demand) -> str:
    parts = []
    if d.case.outcome == TRANSFERRED:
        parts.append(f"{FLOW.label(TRANSFERRED)}：{d.transferred_to or ''}".rstrip("："))
    if d.solution:
        parts.append(" ".join(d.solution.split()))
    return "；".join(parts)


def _unit(name: str) -> str:
    return label(Demand, name).replace(WAN, "")


def build_slip(session: Session, d: Demand, ctx: ReportContext, *, emergency: bool = False,
               hours: int | None = None) -> Slip:
    """One demand's 派工单 (or 急诊单) as plain data."""
    title = EMERGENCY_TITLE if emergency else TITLE
    case = d.case
    org = d.organisation
    contact, phone = _contact(session, d, ctx, "急诊单" if emergency else "派工单")
    region = _choice(ctx, "hd_region", d.region)
    union = ctx.union_name or "工会"
    return Slip(
        title=title, number=case.number, heads=heads(), union=ctx.union_name, emergency=emergency,
        dispatched=moment_cn(reached_at(case, DISPATCHED)), accepted=moment_cn(reached_at(case, ACCEPTED)),
        enterprise=org.name if org is not None else "", address=(org.address or "") if org is not None else "",
        contact=contact, phone=phone, kind=_choice(ctx, "hd_kind", d.kind),
        urgency=_choice(ctx, "hd_urgency", d.urgency), channel=_choice(ctx, "hd_channel", d.channel),
        region=f"{region}（{d.place}）" if d.place else region, problem=d.problem or "",
        deadline=date_cn(d.deadline) if d.deadline is not None else "",
        response=f"接单后{hours}小时内到场" if hours else "接单后＿＿小时内到场",
        craftsmen=_craftsmen(session, d, ctx), service=_service(d),
        outcomes=(FLOW.label(SOLVED), FLOW.label(UNSOLVED)),
        solved={SOLVED: True, UNSOLVED: False}.get(case.outcome or ""), solution=_solution(d),
        benefits=(Figure("实际", wan(d.benefit_actual), "万元"), Figure("预期", wan(d.benefit_expected), "万元")),
        gains=(Figure(_unit("cost_saved"), wan(d.cost_saved), "万元"), Figure(_unit("orders"), wan(d.orders), "万元"),
               Figure("培训职工", wan(d.trained), "人次")),
        ratings=tuple(ctx.labels.get("hd_rating", {}).values()), rating=_choice(ctx, "hd_rating", d.rating),
        feedback=" ".join((d.feedback or "").split()),
        note=f"服务完成后，请企业填写服务反馈并签字，由工匠交回{union}。")


def _demand(session: Session, params: dict[str, Any]) -> Demand:
    d = record_param(session, Demand, params.get("demand"), WHAT, HINT)
    if d.case.programme != FLOW.programme:
        raise ValidationError("not_found", f"找不到编号为 {d.id} 的{WHAT}{HINT}")
    return d


def slip_report(session: Session, params: dict[str, Any], ctx: ReportContext) -> list[Slip]:
    """派工单 of one demand (``demand=ID``)."""
    return [build_slip(session, _demand(session, params), ctx)]


def emergency_report(session: Session, params: dict[str, Any], ctx: ReportContext) -> list[Slip]:
    """急诊单 of one demand of urgency 急诊单 (``demand=ID``, optional ``hours``: 响应时限)."""
    d = _demand(session, params)
    if d.urgency != EMERGENCY:
        urgency = _choice(ctx, "hd_urgency", d.urgency)
        raise ValidationError("not_emergency", f"{d.case.number}的{label(Demand, 'urgency')}是“{urgency}”，"
                                               "不是急诊单，请改为打印派工单")
    return [build_slip(session, d, ctx, emergency=True, hours=_hours(params.get("hours")))]


def _hours(raw: object) -> int | None:
    """The 响应时限 in hours (none, 0 or empty: a line to fill in by hand)."""
    if raw in (None, "", 0, "0"):
        return None
    try:
        hours = int(str(raw).strip())
    except ValueError:
        raise ValidationError("hours_invalid", f"{HOURS}“{raw}”无效，应为整数") from None
    if not 1 <= hours <= 720:
        raise ValidationError("hours_invalid", f"{HOURS}应为 1 到 720 小时（{hours}）")
    return hours


def write_slips(slips: list[Slip], out: Path) -> None:
    from reports.dispatch_slip import write_slips as write
    from reports.fonts import find_fonts

    write(slips, out, find_fonts())
