"""What the 评选 page shows, as plain rows (no ORM object leaves a session). No Qt.

Every function the UI calls takes the open app and opens its own session; the session-level
builders (:func:`round_rows_in`, :func:`nominations_in`) serve the reports and the CLI too. Headings
come from the models' field descriptions (:func:`field_labels`), never typed again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.models.core.registers import Organisation, Worker
from db.models.core.selection import Candidacy, SelectionRound, StageMove
from db.models.honours import HonourTitle
from desktop.programmes.core import cultivation_fields as fields
from desktop.programmes.core import selection as core
from desktop.programmes.core import working_days
from desktop.programmes.honours import rounds
from desktop.programmes.honours.workflow import HONOURS, flow_for, next_label, quota_word, stage_label, upward

App = Any  # desktop.context.App

#: The described models whose labels the page's headers and forms read ("Candidacy.deeds" -> 主要事迹).
MODELS: dict[str, type] = {"SelectionRound": SelectionRound, "Candidacy": Candidacy, "StageMove": StageMove, "HonourTitle": HonourTitle,
                           "Worker": Worker, "Organisation": Organisation}


@cache
def field_labels() -> dict[str, str]:
    return fields.labels(MODELS)


@cache
def field_helps() -> dict[str, str]:
    return fields.helps(MODELS)


@dataclass(frozen=True)
class MoveRow:
    stage: str  # as shown (推荐, 初审 … 未通过, 未获命名)
    on: date
    by: str
    reason: str


@dataclass(frozen=True)
class NominationRow:
    id: int
    round_id: int
    worker_id: int | None
    organisation_id: int | None
    name: str  # the worker, or the unit and team
    gender: str
    unit: str
    trade: str
    channel: str | None
    recommender: str
    deeds: str
    materials: str
    note: str
    team: str
    stage: str  # the code
    stage_shown: str
    stage_on: date | None
    by: str
    reason: str
    priority: str  # why a priority nominee (卓越工程师（2025年）), else ""
    source: str
    next_stage: str  # what 推进 does next ("" when nothing)
    moves: list[MoveRow] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.stage == core.FAILED


@dataclass(frozen=True)
class RoundRow:
    id: int
    year: int
    name: str
    title_id: int | None
    title: str
    level: str | None
    collective: bool
    upward: bool
    quota: int | None
    stages: list[tuple[str, int]]  # (stage label, count) in workflow order, then 未通过
    total: int
    counted: int  # what the quota counts (已命名, or 已上报 for upward titles)
    counted_word: str
    call_start: date | None
    call_end: date | None
    publicity_start: date | None
    publicity_end: date | None
    named_on: date | None
    document: str
    note: str
    warning: str  # the quota's warning, "" when within it

    def counts_text(self) -> str:
        return "　".join(f"{label} {n}" for label, n in self.stages if n)


@dataclass(frozen=True)
class RoundView:
    round: RoundRow
    nominations: list[NominationRow]


def _titles(session: Session) -> dict[int, HonourTitle]:
    return {t.id: t for t in session.scalars(select(HonourTitle))}


def _round_row(r: SelectionRound, t: HonourTitle | None, labels: dict[str, dict[str, str]]) -> RoundRow:
    flow = flow_for(t.level if t else None)
    counts: dict[str, int] = {}
    for c in r.candidates:
        counts[c.stage] = counts.get(c.stage, 0) + 1
    stages = [(s.label, counts.get(s.code, 0)) for s in flow.stages] + [(flow.failed_label, counts.get(core.FAILED, 0))]
    counted = core.counted(flow, r.candidates)
    warning = core.quota_warning(r.quota, counted, quota_word(flow)) or ""
    return RoundRow(r.id, r.year, r.name, r.award_id, t.name if t else "（称号已删除）", t.level if t else None,
                    bool(t and t.recipient == rounds.COLLECTIVE), upward(t.level if t else None), r.quota, stages,
                    len(r.candidates), counted, quota_word(flow), r.call_start, r.call_end, r.publicity_start,
                    r.publicity_end, r.named_on, r.document or "", r.note or "", warning)


def round_rows_in(session: Session, labels: dict[str, dict[str, str]] | None = None) -> list[RoundRow]:
    """Every honours round, newest year first."""
    titles = _titles(session)
    rs = session.scalars(select(SelectionRound).where(SelectionRound.programme == HONOURS)
                         .options(selectinload(SelectionRound.candidates))
                         .order_by(SelectionRound.year.desc(), SelectionRound.id.desc()))
    return [_round_row(r, titles.get(r.award_id or 0), labels or {}) for r in rs]


def nominations_in(session: Session, r: SelectionRound, labels: dict[str, dict[str, str]],
                   on: date | None = None) -> list[NominationRow]:
    """The round's nominations in the order they came, with their moves and priority marks."""
    t = session.get(HonourTitle, r.award_id) if r.award_id else None
    flow = flow_for(t.level if t else None)
    cands = session.scalars(select(Candidacy).where(Candidacy.round_id == r.id).options(
        selectinload(Candidacy.moves), selectinload(Candidacy.worker).selectinload(Worker.employer),
        selectinload(Candidacy.organisation)).order_by(Candidacy.id)).all()
    marks = rounds.priorities(session, r, [c.worker_id for c in cands if c.worker_id], on or date.today()) if t else {}
    genders = labels.get("gender", {})
    out = []
    for c in cands:
        w = c.worker
        reached = [m.stage for m in c.moves]
        last = c.moves[-1] if c.moves else None
        unit = (w.employer.name if w is not None and w.employer is not None
                else c.organisation.name if c.organisation is not None else "")
        moves = [MoveRow(stage_label(flow, m.stage, reached[:i]), m.on, m.by or "", m.reason or "")
                 for i, m in enumerate(c.moves)]
        out.append(NominationRow(
            c.id, r.id, c.worker_id, c.organisation_id, core.name_of(c),
            genders.get(w.gender or "", "") if w is not None else "", unit, (w.trade or "") if w is not None else "",
            c.channel, c.recommender or "", c.deeds or "", c.materials or "", c.note or "", c.team or "", c.stage,
            stage_label(flow, c.stage, reached), c.stage_on, last.by if last else "", c.reason or "",
            marks.get(c.worker_id or 0, ""), c.source or "", next_label(flow, c.stage), moves))
    return out


def rounds_list(app: App) -> list[RoundRow]:
    labels = app.labels()
    with app.db.session() as s:
        return round_rows_in(s, labels)


def round_view(app: App, round_id: int) -> RoundView | None:
    labels = app.labels()
    with app.db.session() as s:
        r = s.get(SelectionRound, round_id)
        if r is None or r.programme != HONOURS:
            return None
        t = s.get(HonourTitle, r.award_id) if r.award_id else None
        return RoundView(_round_row(r, t, labels), nominations_in(s, r, labels))


@dataclass(frozen=True)
class TitleOption:
    id: int
    name: str
    level: str
    collective: bool
    quota: int | None
    body: str


def title_options(app: App) -> list[TitleOption]:
    """The titles a new round may name (not retired), in their order."""
    with app.db.session() as s:
        ts = s.scalars(select(HonourTitle).where(HonourTitle.retired.is_not(True))
                       .order_by(HonourTitle.sort_order, HonourTitle.id))
        return [TitleOption(t.id, t.name, t.level, t.recipient == rounds.COLLECTIVE, t.quota, t.body or "") for t in ts]


def organisation_options(app: App) -> list[tuple[str, int]]:
    """(name, id) of every organisation, by name: a collective nomination's unit."""
    with app.db.session() as s:
        return [(n, i) for i, n in s.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name))]


def publicity_end(app: App, first_day: date, days: int | None = None) -> tuple[date, int]:
    """Where a publicity period from ``first_day`` ends (over the holiday table), and its days."""
    n = int(days if days is not None else app.settings.get("publicity_days") or 5)
    with app.db.session() as s:
        return working_days.add_working_days(first_day, n, working_days.calendar(s)), n


def next_working_day(app: App, day: date) -> date:
    """``day`` if it is a working day, else the next one (where a publicity period may start)."""
    with app.db.session() as s:
        cal = working_days.calendar(s)
    while not working_days.is_working(day, cal):
        day += timedelta(days=1)
    return day


def move_history(app: App, candidate_id: int) -> list[MoveRow]:
    """One nomination's moves (the page shows them under the list)."""
    with app.db.session() as s:
        c = s.get(Candidacy, candidate_id)
        if c is None:
            return []
        t = s.get(HonourTitle, c.round.award_id) if c.round.award_id else None
        flow = flow_for(t.level if t else None)
        moves = list(s.scalars(select(StageMove).where(StageMove.candidate_id == candidate_id).order_by(StageMove.id)))
        reached = [m.stage for m in moves]
        return [MoveRow(stage_label(flow, m.stage, reached[:i]), m.on, m.by or "", m.reason or "")
                for i, m in enumerate(moves)]
