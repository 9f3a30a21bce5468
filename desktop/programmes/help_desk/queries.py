"""劳模工匠助企行's reads for the tab: plain rows (dataclasses), never ORM objects. Phones are
masked here (the enterprise contact's too: it prints whole only on the 派工单, logged). Honours of
a team member are read through the selection core's holdings, never from the honours programme.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from db.fields import CONTACT, PHONE
from db.models.core.cases import Case, CaseParty
from db.models.core.registers import Organisation
from db.models.help_desk import Demand, Member, Target, Team
from db.privacy import mask
from desktop.programmes.core import cases as core
from desktop.programmes.core.cases import AttachmentRow, MoveRow, attachment_rows, move_rows
from desktop.programmes.core.records import get_or_refuse
from desktop.programmes.core.selection import held_on
from desktop.programmes.help_desk import figures
from desktop.programmes.help_desk.demands import DEMAND_GONE
from desktop.programmes.help_desk.rules import ACCEPTED, CRAFTSMAN, DISPATCHED, EMERGENCY, FLOW

if TYPE_CHECKING:
    from desktop.context import App

SEP = "、"


@dataclass
class TeamRow:
    id: int
    name: str
    kind: str
    kind_label: str
    area: str
    founded_on: date | None
    members: int  # serving now
    demands: int
    note: str = ""


@dataclass
class MemberRow:
    id: int
    team_id: int
    team: str
    worker_id: int | None
    name: str
    specialty: str
    trade: str
    area: str
    phone: str  # masked
    expert_from: str
    joined_on: date | None
    left_on: date | None
    honours: str  # 县级五一劳动奖章、卓越工程师
    employer: str
    served: int  # 派工单 sent on

    @property
    def active(self) -> bool:
        return self.left_on is None or self.left_on > date.today()


@dataclass
class DemandRow:
    id: int
    case_id: int
    number: str
    organisation_id: int
    enterprise: str
    problem: str
    kind: str
    kind_label: str
    urgency: str
    urgency_label: str
    channel_label: str
    region_label: str
    place: str
    received_at: datetime
    deadline: date | None
    stage: str
    stage_label: str
    craftsmen: str
    team: str
    accept_minutes: int | None
    days_open: int
    overdue: bool
    closed: bool

    @property
    def emergency(self) -> bool:
        return self.urgency == EMERGENCY


@dataclass
class CraftsmanRow:
    party_id: int
    worker_id: int | None
    name: str
    capacity: str
    phone: str  # masked
    note: str


@dataclass
class VisitRow:
    id: int
    visited_on: date
    people: int | None
    content: str


@dataclass
class DemandDetail:
    row: DemandRow
    values: dict[str, Any]  # every Demand field by name (codes and ids; contact_phone masked)
    labels: dict[str, str]  # the choice fields' labels by field name
    moves: list[MoveRow] = field(default_factory=list)
    craftsmen: list[CraftsmanRow] = field(default_factory=list)
    visits: list[VisitRow] = field(default_factory=list)
    attachments: list[AttachmentRow] = field(default_factory=list)
    dispatched_at: datetime | None = None
    accepted_at: datetime | None = None
    closed_at: datetime | None = None


@dataclass
class TargetRow:
    id: int | None  # None: no target set for this measure
    year: int
    measure: str
    label: str
    target: Decimal | None
    actual: Decimal
    rate: float | None


# -- teams and members -----------------------------------------------------------------------------------------


def teams(app: App) -> list[TeamRow]:
    labels = app.labels().get("hd_team_kind", {})
    today = date.today()
    with app.db.session() as s:
        used = dict(s.execute(select(Demand.team_id, func.count()).group_by(Demand.team_id)).all())
        rows = []
        for t in s.scalars(select(Team).options(selectinload(Team.members)).order_by(Team.id)):
            active = sum(1 for m in t.members if m.left_on is None or m.left_on > today)
            rows.append(TeamRow(t.id, t.name, t.kind, labels.get(t.kind, t.kind), t.area or "", t.founded_on, active,
                                int(used.get(t.id, 0)), t.note or ""))
    return rows


def honour_text(session: Session, worker_ids: set[int], on: date) -> dict[int, str]:
    """``{worker id: 县级五一劳动奖章、卓越工程师}``: the titles held on ``on`` (selection core)."""
    if not worker_ids:
        return {}
    found: dict[int, list[str]] = defaultdict(list)
    held = (held_on(session, None, on) if len(worker_ids) > 20 else
            [h for wid in sorted(worker_ids) for h in held_on(session, None, on, worker_id=wid)])
    for h in held:
        if h.worker_id in worker_ids and h.title not in found[h.worker_id]:
            found[h.worker_id].append(h.title)
    return {wid: SEP.join(titles) for wid, titles in found.items()}


def _served_counts(session: Session) -> tuple[dict[int, int], dict[str, int]]:
    """派工单 per worker id, and per name for craftsmen named only (outside experts)."""
    q = (select(CaseParty.worker_id, CaseParty.name, func.count(func.distinct(CaseParty.case_id)))
         .join(Case, CaseParty.case_id == Case.id)
         .where(Case.programme == FLOW.programme, CaseParty.role == CRAFTSMAN)
         .group_by(CaseParty.worker_id, CaseParty.name))
    by_worker: dict[int, int] = defaultdict(int)
    by_name: dict[str, int] = defaultdict(int)
    for wid, name, n in session.execute(q):
        if wid is not None:
            by_worker[wid] += n
        else:
            by_name[name] += n
    return by_worker, by_name


def members(app: App, team_id: int | None = None, *, active_only: bool = False) -> list[MemberRow]:
    """A team's members (all teams' when ``team_id`` is None), serving ones first, with honours."""
    today = date.today()
    with app.db.session() as s:
        q = select(Member).options(selectinload(Member.team), selectinload(Member.worker))
        if team_id is not None:
            q = q.where(Member.team_id == team_id)
        found = list(s.scalars(q.order_by(Member.team_id, Member.id)))
        honours = honour_text(s, {m.worker_id for m in found if m.worker_id is not None}, today)
        by_worker, by_name = _served_counts(s)
        rows = []
        for m in found:
            w = m.worker
            phone = (w.phone if w is not None else None) or m.phone
            employer = w.employer.name if w is not None and w.employer is not None else ""
            served = by_worker.get(m.worker_id, 0) if m.worker_id is not None else by_name.get(m.name, 0)
            rows.append(MemberRow(
                m.id, m.team_id, m.team.name, m.worker_id, m.name, m.specialty or "",
                m.trade or (w.trade if w is not None else "") or "", m.area or "", mask(phone, PHONE) or "",
                m.expert_from or "", m.joined_on, m.left_on, honours.get(m.worker_id or 0, ""), employer, served))
    rows.sort(key=lambda r: not r.active)
    return [r for r in rows if r.active] if active_only else rows


# -- demands ---------------------------------------------------------------------------------------------------


def _rows(session: Session, labels: dict[str, dict[str, str]], today: date, *where: Any) -> list[DemandRow]:
    """The demands matching ``where`` as rows, in three queries whatever their number (no ORM objects)."""
    q = (select(Demand.id, Demand.case_id, Case.number, Demand.organisation_id, Organisation.name, Demand.problem,
                Demand.kind, Demand.urgency, Demand.channel, Demand.region, Demand.place, Demand.received_at,
                Demand.deadline, Case.stage, Team.name, Case.opened_at, Case.closed_at)
         .join(Case, Demand.case_id == Case.id).outerjoin(Organisation, Organisation.id == Demand.organisation_id)
         .outerjoin(Team, Team.id == Demand.team_id).where(*where))
    found = session.execute(q).all()
    ids = select(Demand.case_id).join(Case, Demand.case_id == Case.id).where(*where)
    times = core.first_times(session, ids, (DISPATCHED, ACCEPTED))
    crews = core.party_names_of(session, ids, CRAFTSMAN, SEP)

    def label(key: str, code: str | None) -> str:
        return labels.get(key, {}).get(code or "", code or "")

    out = []
    for (did, cid, number, org_id, enterprise, problem, kind, urgency, channel, region, place, received, deadline,
         stage, team, opened, closed_at) in found:
        closed = FLOW.is_closed(stage)
        sent, accepted = times.get((cid, DISPATCHED)), times.get((cid, ACCEPTED))
        minutes = int((accepted - sent).total_seconds() // 60) if sent and accepted and accepted >= sent else None
        out.append(DemandRow(
            did, cid, number, org_id, enterprise or "", problem, kind, label("hd_kind", kind), urgency,
            label("hd_urgency", urgency), label("hd_channel", channel), label("hd_region", region), place or "",
            received, deadline, stage, FLOW.label(stage), crews.get(cid, ""), team or "", minutes,
            core.days_between(opened, closed_at, today), deadline is not None and not closed and today > deadline,
            closed))
    return out


def sort_key(r: DemandRow) -> tuple[bool, float]:
    """Open 急诊单 first, then the newest."""
    return (not (r.emergency and not r.closed), -r.received_at.timestamp())


def demands(app: App, year: int | None, stage: str | None = None, text: str = "") -> list[DemandRow]:
    """The demand register: of ``year`` (all years: None), at ``stage``, matching ``text`` (number,
    enterprise, problem, craftsmen, place); open 急诊单 first, then newest first."""
    labels = app.labels()
    today = date.today()
    where: list[Any] = [Case.programme == FLOW.programme]
    if year is not None:
        where.append(Case.year == year)
    if stage:
        where.append(Case.stage == stage)
    with app.db.session() as s:
        rows = _rows(s, labels, today, *where)
    needle = (text or "").strip().lower()
    if needle:
        rows = [r for r in rows if needle in " ".join((r.number, r.enterprise, r.problem, r.craftsmen, r.place,
                                                       r.kind_label, r.team)).lower()]
    return sorted(rows, key=sort_key)


def demand(app: App, demand_id: int) -> DemandDetail:
    labels = app.labels()
    today = date.today()
    with app.db.session() as s:
        d = get_or_refuse(s, Demand, demand_id, DEMAND_GONE)
        case = d.case
        values = {c.key: getattr(d, c.key) for c in Demand.__table__.columns}
        values["contact_phone"] = mask(d.contact_phone, CONTACT)
        shown = {name: labels.get(key, {}).get(values[name] or "", values[name] or "")
                 for name, key in (("kind", "hd_kind"), ("urgency", "hd_urgency"), ("channel", "hd_channel"),
                                   ("region", "hd_region"), ("rating", "hd_rating"))}
        return DemandDetail(
            row=_rows(s, labels, today, Demand.id == d.id)[0], values=values, labels=shown,
            moves=move_rows(case, FLOW),
            craftsmen=[CraftsmanRow(p.id, p.worker_id, p.name, p.capacity or "",
                                    mask(_party_phone(p), PHONE) or "", p.note or "")
                       for p in core.parties(case, CRAFTSMAN)],
            visits=[VisitRow(v.id, v.visited_on, v.people, v.content) for v in d.visits],
            attachments=attachment_rows(case),
            dispatched_at=core.reached_at(case, DISPATCHED), accepted_at=core.reached_at(case, ACCEPTED),
            closed_at=case.closed_at)


def _party_phone(p: CaseParty) -> str | None:
    return p.phone or (p.worker.phone if p.worker is not None else None)


def next_stages(app: App, demand_id: int) -> list[tuple[str, str]]:
    with app.db.session() as s:
        d = get_or_refuse(s, Demand, demand_id, DEMAND_GONE)
        return [(st.code, st.label) for st in FLOW.next_stages(d.case.stage)]


def years(app: App) -> list[int]:
    """The years with demands, newest first (this year always among them)."""
    with app.db.session() as s:
        found = set(s.scalars(select(Case.year).where(Case.programme == FLOW.programme).distinct()))
    return sorted(found | {date.today().year}, reverse=True)


def search_members(app: App, text: str) -> list[MemberRow]:
    """Serving members whose name, specialty, trade, 片区 or honours match ``text`` (the dispatch picker)."""
    needle = (text or "").strip().lower()
    rows = members(app, None, active_only=True)
    if not needle:
        return rows
    return [r for r in rows if needle in " ".join((r.name, r.specialty, r.trade, r.area, r.honours, r.team)).lower()]


# -- figures and targets ---------------------------------------------------------------------------------------


def summary(app: App, year: int, month: int | None = None) -> figures.Summary:
    with app.db.session() as s:
        return figures.summary(s, year, month)


def targets(app: App, year: int, month: int | None = None) -> list[TargetRow]:
    """Every measure of the year: its target (if set), the actual so far and the rate."""
    labels = app.labels()
    with app.db.session() as s:
        ids = {t.measure: t.id for t in s.scalars(select(Target).where(Target.year == year))}
        found = figures.measures(s, year, month, labels)
    return [TargetRow(ids.get(m.code), year, m.code, m.label, m.target, m.actual, m.rate) for m in found]


def enterprise_demands(app: App, organisation_id: int) -> list[DemandRow]:
    """One enterprise's demands (its page; newest first)."""
    labels = app.labels()
    today = date.today()
    with app.db.session() as s:
        rows = _rows(s, labels, today, Case.programme == FLOW.programme, Demand.organisation_id == organisation_id)
    return sorted(rows, key=lambda r: r.received_at, reverse=True)
