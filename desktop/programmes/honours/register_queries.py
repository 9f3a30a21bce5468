"""劳模工匠选树's title settings and holder register (劳模档案), as plain rows for the UI (no ORM
object leaves a session). No Qt. Writes are in ``register_service``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.fields import describe
from db.models.core.registers import Organisation
from db.models.core.selection import Holding, SelectionRound
from db.models.honours import Benefit, HonourTitle, Outreach
from db.privacy import mask_id
from desktop.programmes.honours import holders
from desktop.programmes.honours.titles import COLLECTIVE, HONOURS, all_titles

if TYPE_CHECKING:
    from desktop.context import App

MODELS: dict[str, type] = {"HonourTitle": HonourTitle, "Holding": Holding, "Benefit": Benefit, "Outreach": Outreach}


@cache
def field_labels() -> dict[str, str]:
    """``{"HonourTitle.level": "级别", "Holding.named_on": "命名日期", ...}``: the described labels."""
    return {f"{key}.{c.name}": c.label for key, model in MODELS.items() for c in describe(model)}


@cache
def field_helps() -> dict[str, str]:
    return {f"{key}.{c.name}": c.field.help for key, model in MODELS.items() for c in describe(model)}


@dataclass(frozen=True)
class TitleRow:
    id: int
    name: str
    level: str
    body: str
    recipient: str
    cycle_years: int
    quota: int | None
    quota_note: str
    reward: int | None
    benefits: bool
    priority: str
    source: str
    retired: bool
    rounds: int
    holders: int

    @property
    def collective(self) -> bool:
        return self.recipient == COLLECTIVE

    @property
    def in_use(self) -> bool:
        return bool(self.rounds or self.holders)

    def values(self) -> dict[str, object]:
        """The editable values, as a title form is filled."""
        return {"name": self.name, "level": self.level, "body": self.body, "recipient": self.recipient,
                "cycle_years": self.cycle_years, "quota": self.quota, "quota_note": self.quota_note,
                "reward": self.reward, "benefits": self.benefits, "priority": self.priority, "source": self.source}


def titles_in(session: Session) -> list[TitleRow]:
    rounds = dict(session.execute(select(SelectionRound.award_id, func.count()).where(
        SelectionRound.programme == HONOURS).group_by(SelectionRound.award_id)).all())
    held = dict(session.execute(select(Holding.award_id, func.count()).where(
        Holding.programme == HONOURS).group_by(Holding.award_id)).all())
    return [TitleRow(t.id, t.name, t.level, t.body or "", t.recipient, t.cycle_years or 1, t.quota,
                     t.quota_note or "", t.reward, bool(t.benefits), t.priority or "", t.source or "", bool(t.retired),
                     int(rounds.get(t.id, 0)), int(held.get(t.id, 0))) for t in all_titles(session)]


def titles(app: App) -> list[TitleRow]:
    with app.db.session() as s:
        return titles_in(s)


@dataclass(frozen=True)
class HolderRow:
    id: int
    title_id: int | None
    title: str
    level: str | None
    worker_id: int | None
    organisation_id: int | None
    team: str
    holder: str  # the worker, or the unit and team
    unit: str
    id_number: str  # masked
    year: int
    named_on: date
    body: str
    document: str
    ended_on: date | None
    end_reason: str
    from_round: bool
    benefits: bool  # the title carries 劳模待遇
    note: str

    @property
    def collective(self) -> bool:
        return self.worker_id is None

    def held(self, on: date) -> bool:
        return self.named_on <= on and (self.ended_on is None or self.ended_on > on)


def holders_in(session: Session) -> list[HolderRow]:
    perks = holders.benefit_titles(session)
    out = []
    for h in holders.holdings(session):
        w = h.worker
        out.append(HolderRow(h.id, h.award_id, h.title, h.level, h.worker_id, h.organisation_id, h.team or "",
                             holders.holder_name(h), holders.holder_unit(h), mask_id(w.id_number) if w else "",
                             h.year, h.named_on, h.body or "", h.document or "", h.ended_on, h.end_reason or "",
                             h.candidate_id is not None, h.award_id in perks, h.note or ""))
    return out


def holders_list(app: App) -> list[HolderRow]:
    with app.db.session() as s:
        return holders_in(s)


@dataclass(frozen=True)
class BenefitRow:
    id: int
    worker_id: int
    name: str
    year: int
    kind: str
    given_on: date | None
    place: str
    note: str


@dataclass(frozen=True)
class OutreachRow:
    id: int
    worker_id: int
    name: str
    kind: str
    held_on: date
    place: str
    topic: str
    audience: int | None


def benefits(app: App, *, worker_id: int | None = None, year: int | None = None) -> list[BenefitRow]:
    with app.db.session() as s:
        return [BenefitRow(b.id, b.worker_id, b.worker.name, b.year, b.kind, b.given_on, b.place or "", b.note or "")
                for b in holders.benefits(s, worker_id=worker_id, year=year)]


def outreach(app: App, *, worker_id: int | None = None, year: int | None = None) -> list[OutreachRow]:
    with app.db.session() as s:
        return [OutreachRow(o.id, o.worker_id, o.worker.name, o.kind, o.held_on, o.place, o.topic or "", o.audience)
                for o in holders.outreach(s, worker_id=worker_id, year=year)]


def due(app: App, year: int, today: date | None = None) -> list[holders.Due]:
    """本年待落实 (plain rows): holders still owed this year's 劳模待遇."""
    with app.db.session() as s:
        return holders.due(s, year, today or date.today())


def organisations(app: App) -> list[tuple[int, str]]:
    """(id, name) of every organisation, by name: a collective holder's unit."""
    with app.db.session() as s:
        return [(int(i), str(n)) for i, n in s.execute(select(Organisation.id, Organisation.name)
                                                       .order_by(Organisation.name))]
