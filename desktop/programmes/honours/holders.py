"""劳模档案: the honour holders (the selection core's holdings of programme ``honours``), the 劳模待遇
they receive each year (疗休养, 免费体检, 职工医疗互助, 003) and the 宣讲 sessions they give
(进企业、进社区、进学校). No Qt; functions work inside the caller's transaction.

A holder is added here directly when the title was named before the program was used, or by an
upper body without a round of ours; a round's naming (the selection side) makes holdings too.
A holding ends (撤销, 去世 …) with a date and a reason and stays in the history
(``core.selection.held_on`` answers who held what on a date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.choices import CHOICES
from db.errors import ValidationError
from db.fields import check_length, column
from db.models.core.registers import Organisation, Worker
from db.models.core.selection import Holding
from db.models.honours import Benefit, HonourTitle, Outreach
from desktop.programmes.core import selection as core
from desktop.programmes.core.records import delete_or_refuse, where_given
from desktop.programmes.honours.titles import COLLECTIVE, HONOURS, get_title

BENEFIT_KINDS = tuple(code for code, _label in CHOICES["benefit_kind"])
OUTREACH_KINDS = tuple(code for code, _label in CHOICES["outreach_kind"])


def _text(value: Any, model: type, name: str) -> str | None:
    text = " ".join(str(value or "").split()) or None
    check_length(column(model, name), text)
    return text


def holding(session: Session, holding_id: int) -> Holding:
    h = session.get(Holding, holding_id)
    if h is None or h.programme != HONOURS:
        raise ValidationError("not_found", "该获得者记录已不存在（可能已被删除）")
    return h


def holdings(session: Session, *, worker_id: int | None = None, organisation_id: int | None = None,
             year: int | None = None, title_id: int | None = None) -> list[Holding]:
    """Every honours holding (newest first), with the worker/organisation loaded."""
    q = (select(Holding).where(Holding.programme == HONOURS)
         .options(selectinload(Holding.worker).selectinload(Worker.employer), selectinload(Holding.organisation))
         .order_by(Holding.named_on.desc(), Holding.id.desc()))
    q = where_given(q, (Holding.worker_id, worker_id), (Holding.organisation_id, organisation_id),
                    (Holding.year, year), (Holding.award_id, title_id))
    return list(session.scalars(q))


def holder_name(h: Holding) -> str:
    """A holding's holder as lists name it: the worker, or the unit and its team."""
    if h.worker is not None:
        return h.worker.name
    unit = h.organisation.name if h.organisation is not None else ""
    return f"{unit}{h.team or ''}" or "（未填写）"


def holder_unit(h: Holding) -> str:
    if h.worker is not None:
        return h.worker.employer.name if h.worker.employer is not None else ""
    return h.organisation.name if h.organisation is not None else ""


def add_holder(session: Session, title_id: int | None, *, named_on: date | None, year: int | None = None,
               worker_id: int | None = None, organisation_id: int | None = None, team: str | None = None,
               body: str | None = None, document: str | None = None, note: str | None = None) -> Holding:
    """A holder entered directly (named before the program, or by an upper body)."""
    t = get_title(session, title_id)
    if named_on is None:
        raise ValidationError("required", f"请填写“{column(Holding, 'named_on').label}”")
    year = int(year or named_on.year)
    if not 1949 <= year <= named_on.year + 1:
        raise ValidationError("out_of_range", f"年度 {year} 与命名日期 {named_on:%Y-%m-%d} 不符")
    team = _text(team, Holding, "team")
    if t.recipient == COLLECTIVE:
        if not organisation_id or session.get(Organisation, organisation_id) is None:
            raise ValidationError("organisation_missing", f"“{t.name}”授予集体，请选择获得称号的单位")
        worker_id = None
    else:
        if not worker_id or session.get(Worker, worker_id) is None:
            raise ValidationError("worker_missing", f"“{t.name}”授予个人，请从职工名册中选择获得者")
        organisation_id, team = None, None
    twin = session.scalar(select(Holding).where(
        Holding.programme == HONOURS, Holding.award_id == t.id, Holding.year == year,
        Holding.worker_id == worker_id if worker_id else Holding.organisation_id == organisation_id,
        Holding.team == team if team else Holding.team.is_(None)))
    if twin is not None:
        raise ValidationError("duplicate", f"{holder_name(twin)}已登记为{year}年度“{t.name}”获得者")
    h = core.hold(session, HONOURS, None, title=t.name, year=year, named_on=named_on, award_id=t.id, level=t.level,
                  body=_text(body, Holding, "body") or t.body, document=_text(document, Holding, "document"),
                  worker_id=worker_id, organisation_id=organisation_id, team=team)
    h.note = (note or "").strip() or None
    session.flush()
    return h


def end_holding(session: Session, holding_id: int, on: date, reason: str) -> Holding:
    """终止称号 (撤销, 去世 …): kept in the history, no longer held from ``on``."""
    holding(session, holding_id)
    return core.end_holding(session, holding_id, on, reason)


def delete_holding(session: Session, holding_id: int) -> str:
    """A holder entered here by mistake; one named through a round is ended, not deleted."""
    h = holding(session, holding_id)
    if h.candidate_id is not None:
        raise ValidationError("in_use", "该称号由评选命名产生，不能删除；如需撤销请“终止称号”")
    name = f"{holder_name(h)}（{h.title}）"
    session.delete(h)
    session.flush()
    return name


# -- 劳模待遇 -------------------------------------------------------------------------------------


def benefit_titles(session: Session) -> dict[int, HonourTitle]:
    """Titles whose holders receive 劳模待遇, by id."""
    return {t.id: t for t in session.scalars(select(HonourTitle).where(HonourTitle.benefits.is_(True)))}


def entitled_on(session: Session, on: date) -> dict[int, list[Holding]]:
    """Workers holding a title with 劳模待遇 on ``on`` → their holdings."""
    titles = benefit_titles(session)
    out: dict[int, list[Holding]] = {}
    for h in core.held_on(session, HONOURS, on):
        if h.worker_id is not None and h.award_id in titles:
            out.setdefault(h.worker_id, []).append(h)
    return out


def year_day(year: int, today: date) -> date:
    """The day a year's entitlement is taken on: today within the year, else its last day."""
    return min(today, date(year, 12, 31)) if today.year >= year else date(year, 12, 31)


def give_benefit(session: Session, worker_id: int | None, year: int, kind: str, given_on: date | None,
                 place: str | None = None, note: str | None = None) -> Benefit:
    """One 劳模待遇 given to a holder in a year (one of each kind a year)."""
    w = session.get(Worker, worker_id) if worker_id else None
    if w is None:
        raise ValidationError("worker_missing", "请选择享受待遇的劳模（职工）")
    if kind not in BENEFIT_KINDS:
        raise ValidationError("choice_unknown", f"请选择“{column(Benefit, 'kind').label}”")
    if given_on is not None and given_on.year != int(year):
        raise ValidationError("date_order", f"落实日期 {given_on:%Y-%m-%d} 不在 {year} 年度内")
    titles = benefit_titles(session)
    first, last = date(int(year), 1, 1), date(int(year), 12, 31)
    if not any(h.award_id in titles and h.named_on <= last and (h.ended_on is None or h.ended_on > first)
               for h in holdings(session, worker_id=w.id)):
        raise ValidationError("not_holder", f"{w.name}不是享受劳模待遇的称号获得者，请先在劳模档案中登记称号")
    twin = session.scalar(select(Benefit).where(Benefit.worker_id == w.id, Benefit.year == int(year),
                                                Benefit.kind == kind))
    if twin is not None:
        raise ValidationError("duplicate", f"{w.name}{year}年度的“{dict(CHOICES['benefit_kind']).get(kind, kind)}”"
                                           "已登记")
    b = Benefit(worker_id=w.id, year=int(year), kind=kind, given_on=given_on, place=_text(place, Benefit, "place"),
                note=(note or "").strip() or None)
    session.add(b)
    session.flush()
    return b


def delete_benefit(session: Session, benefit_id: int) -> str:
    """A benefit entered by mistake; what it was comes back (张三2026年度的待遇记录)."""
    b = delete_or_refuse(session, Benefit, benefit_id, "该待遇记录已不存在")
    return f"{b.worker.name}{b.year}年度的待遇记录"


@dataclass(frozen=True)
class Due:
    """A holder still owed this year's benefits: who, the titles entitling them, what is missing."""

    worker_id: int
    name: str
    unit: str
    titles: tuple[str, ...]
    missing: tuple[str, ...]  # benefit_kind codes
    given: tuple[str, ...]


def due(session: Session, year: int, today: date) -> list[Due]:
    """本年待落实: holders of a title with 劳模待遇, still held, without each benefit this year."""
    entitled = entitled_on(session, year_day(year, today))
    given: dict[int, set[str]] = {}
    for wid, kind in session.execute(select(Benefit.worker_id, Benefit.kind).where(Benefit.year == year)):
        given.setdefault(wid, set()).add(kind)
    workers = {w.id: w for w in session.scalars(select(Worker).where(Worker.id.in_(entitled))
                                                .options(selectinload(Worker.employer)))}
    out = []
    for wid, hs in entitled.items():
        have = given.get(wid, set())
        missing = tuple(k for k in BENEFIT_KINDS if k not in have)
        if not missing:
            continue
        w = workers[wid]
        out.append(Due(wid, w.name, w.employer.name if w.employer else "", tuple(dict.fromkeys(h.title for h in hs)),
                       missing, tuple(k for k in BENEFIT_KINDS if k in have)))
    out.sort(key=lambda d: (d.unit, d.name, d.worker_id))
    return out


def benefits(session: Session, *, year: int | None = None, worker_id: int | None = None) -> list[Benefit]:
    q = select(Benefit).options(selectinload(Benefit.worker).selectinload(Worker.employer)).order_by(
        Benefit.year.desc(), Benefit.given_on.desc(), Benefit.id.desc())
    if year is not None:
        q = q.where(Benefit.year == year)
    if worker_id is not None:
        q = q.where(Benefit.worker_id == worker_id)
    return list(session.scalars(q))


# -- 宣讲 -----------------------------------------------------------------------------------------


def add_outreach(session: Session, worker_id: int | None, kind: str, held_on: date | None, place: str | None,
                 topic: str | None = None, audience: int | None = None, note: str | None = None) -> Outreach:
    """A 宣讲 session a holder gave (进企业、进社区、进学校)."""
    w = session.get(Worker, worker_id) if worker_id else None
    if w is None:
        raise ValidationError("worker_missing", "请选择宣讲的劳模工匠")
    if not holdings(session, worker_id=w.id):
        raise ValidationError("not_holder", f"{w.name}不在劳模档案中，请先登记其荣誉称号")
    if kind not in OUTREACH_KINDS:
        raise ValidationError("choice_unknown", f"请选择“{column(Outreach, 'kind').label}”")
    if held_on is None:
        raise ValidationError("required", f"请填写“{column(Outreach, 'held_on').label}”")
    place = _text(place, Outreach, "place")
    if not place:
        raise ValidationError("required", f"请填写“{column(Outreach, 'place').label}”")
    if audience is not None and not 0 <= int(audience) <= 1_000_000:
        raise ValidationError("out_of_range", f"{column(Outreach, 'audience').label}无效（{audience}）")
    o = Outreach(worker_id=w.id, kind=kind, held_on=held_on, place=place, topic=_text(topic, Outreach, "topic"),
                 audience=int(audience) if audience else None, note=(note or "").strip() or None)
    session.add(o)
    session.flush()
    return o


def delete_outreach(session: Session, outreach_id: int) -> Outreach:
    return delete_or_refuse(session, Outreach, outreach_id, "该宣讲记录已不存在")


def outreach(session: Session, *, worker_id: int | None = None, year: int | None = None) -> list[Outreach]:
    q = select(Outreach).options(selectinload(Outreach.worker)).order_by(Outreach.held_on.desc(), Outreach.id.desc())
    if worker_id is not None:
        q = q.where(Outreach.worker_id == worker_id)
    if year is not None:
        q = q.where(Outreach.held_on >= date(year, 1, 1), Outreach.held_on <= date(year, 12, 31))
    return list(session.scalars(q))
