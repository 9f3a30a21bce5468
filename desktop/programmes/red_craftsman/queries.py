"""红色工匠: what its tab shows, as plain rows (no ORM objects leave a session). No Qt.

The session-level builders (:func:`pool`, :func:`nominees`, :func:`history`,
:func:`evaluation_lines`) serve the reports and the demo too; :func:`round_list` and
:func:`round_view` open the app's session for the tab. Writes are in ``service``; the rules
in ``rules``, rounds and the pool in ``rounds``, mentors and outcomes in ``cultivation``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.errors import ValidationError
from db.models.core.cultivation import MentorEvaluation, MentorLink
from db.models.core.registers import Worker
from db.models.red_craftsman import (
    RED_CRAFTSMAN,
    Candidate,
    Membership,
    Nomination,
    PartyStage,
    Round,
    Training,
)
from desktop.programmes.core import cultivation as core
from desktop.programmes.core import cultivation_fields as fields
from desktop.programmes.red_craftsman import cultivation as cult
from desktop.programmes.red_craftsman import rounds, rules
from desktop.programmes.red_craftsman.rules import Hint

if TYPE_CHECKING:
    from desktop.context import App

#: The described models whose labels the tab's forms and headers read ("Round.year" -> 年度).
MODELS: dict[str, type] = {"Round": Round, "Nomination": Nomination, "Candidate": Candidate,
                           "Membership": Membership, "Training": Training, "PartyStage": PartyStage,
                           "MentorLink": MentorLink, "MentorEvaluation": MentorEvaluation, "Worker": Worker}


def field_labels() -> dict[str, str]:
    """``{"Nomination.track": "培育类别", ...}``: the field labels, from the description."""
    return fields.labels(MODELS)


def _unit(w: Worker) -> str:
    return w.employer.name if w.employer is not None else ""


@dataclass(frozen=True)
class NomineeRow:
    id: int
    worker_id: int
    name: str
    track: str
    unit: str
    trade: str
    grade: str | None
    status: str | None
    nominated_on: date
    recommender: str
    decision: str
    hints: list[Hint]

    @property
    def warnings(self) -> list[Hint]:
        return [h for h in self.hints if h.level == rules.WARNING]

    @property
    def priorities(self) -> list[Hint]:
        return [h for h in self.hints if h.level == rules.PRIORITY]


def nominees(session: Session, r: Round, labels: dict[str, dict[str, str]] | None = None) -> list[NomineeRow]:
    """The round's nominees with their eligibility hints (priority reasons first in the sort)."""
    noms = session.scalars(select(Nomination).where(Nomination.round_id == r.id).options(
        selectinload(Nomination.worker).selectinload(Worker.employer))).all()
    rows = []
    for n in noms:
        w = n.worker
        hints = rules.eligibility(n.track, rounds.person(w), rounds.other_facts(session, w.id), labels)
        rows.append(NomineeRow(n.id, w.id, w.name, n.track, _unit(w), w.trade or "", w.skill_grade,
                               w.political_status, n.nominated_on, n.recommender or "", n.decision, hints))
    rows.sort(key=lambda x: (x.track, not x.priorities, len(x.warnings), x.nominated_on, x.id))
    return rows


@dataclass
class PoolRow:
    membership_id: int
    candidate_id: int
    worker_id: int
    name: str
    id_number: str
    gender: str | None
    track: str
    unit: str
    trade: str
    grade: str | None
    status: str | None
    round_year: int
    source: str
    admitted_on: date
    left_on: date | None
    left_reason: str | None
    left_note: str
    mentor: str = ""
    mentor_id: int | None = None
    link_id: int | None = None
    trainings: int = 0  # centralised trainings in the round's year
    hours: float = 0.0
    degree: str | None = None
    degree_school: str = ""
    expert_on: date | None = None
    expert_how: str | None = None
    expert_detail: str = ""
    stages: dict[str, date] = field(default_factory=dict)

    @property
    def subsidy_priority(self) -> bool:
        return bool(self.degree)

    @property
    def latest_stage(self) -> str | None:
        done = [s for s in rules.STAGES if s in self.stages]
        return done[-1] if done else None


def load_stays(session: Session, r: Round | None) -> list[Membership]:
    stmt = select(Membership).options(
        selectinload(Membership.candidate).selectinload(Candidate.worker).selectinload(Worker.employer),
        selectinload(Membership.candidate).selectinload(Candidate.trainings),
        selectinload(Membership.candidate).selectinload(Candidate.stages),
        selectinload(Membership.round))
    if r is not None:
        stmt = stmt.where(Membership.round_id == r.id)
    return list(session.scalars(stmt.order_by(Membership.admitted_on, Membership.id)))


def _row(m: Membership, links: dict[int, tuple[int, int, str]]) -> PoolRow:
    c, w = m.candidate, m.candidate.worker
    year = m.round.year
    central = cult.central_trainings(c, year)
    link = links.get(c.id)
    return PoolRow(
        m.id, c.id, w.id, w.name, w.id_number, w.gender, c.track, _unit(w), w.trade or "", w.skill_grade,
        w.political_status, year, m.source, m.admitted_on, m.left_on, m.left_reason, m.left_note or "",
        link[2] if link else "", link[1] if link else None, link[0] if link else None,
        len(central), float(sum((t.hours or 0) for t in central)), c.degree_level, c.degree_school or "",
        c.expert_on, c.expert_how, c.expert_detail or "", {s.stage: s.reached_on for s in c.stages})


def pool(session: Session, day: date, r: Round | None = None, *, include_left: bool = False) -> list[PoolRow]:
    """The pool (培育库) on ``day`` (any past date), optionally of one round; with ``include_left``
    every stay of the round, also those who have left (for the history and the summary)."""
    stays = load_stays(session, r)
    if not include_left:
        stays = rules.pool_on(stays, day)
    open_now = core.open_links(session, RED_CRAFTSMAN, on=day)
    links = {lk.ref_id: (lk.id, lk.mentor_id, lk.mentor.name) for lk in open_now}
    rows = [_row(m, links) for m in stays]
    rows.sort(key=lambda x: (x.track, x.source != "carried", x.admitted_on, x.membership_id))
    return rows


def untrained(rows: list[PoolRow]) -> list[PoolRow]:
    """Candidates with no centralised training in the round's year (至少一次集中培训)."""
    return [r for r in rows if r.trainings == 0]


@dataclass(frozen=True)
class HistoryRow:
    on: date
    name: str
    track: str
    action: str  # 新入库 / 上年结转 / 补充入库 / 移出（调离） / 结转下一年度 / 培育完成
    detail: str
    round_year: int


def history(session: Session, labels: dict[str, dict[str, str]] | None = None) -> list[HistoryRow]:
    """Every change of the pool, newest first: admissions, removals with reasons, the adjustment."""
    labels = labels or {}
    source = labels.get("rc_source", {})
    reason = labels.get("rc_leave_reason", {})
    out = []
    for m in load_stays(session, None):
        c = m.candidate
        out.append(HistoryRow(m.admitted_on, c.worker.name, c.track, source.get(m.source, m.source),
                              m.note or "", m.round.year))
        if m.left_on is not None:
            what = reason.get(m.left_reason or "", m.left_reason or "")
            action = f"移出（{what}）" if rounds.is_removal(m.left_reason) else what
            out.append(HistoryRow(m.left_on, c.worker.name, c.track, action, m.left_note or "", m.round.year))
    out.sort(key=lambda h: (h.on, h.name), reverse=True)
    return out


@dataclass(frozen=True)
class EvaluationLine:
    row: core.EvaluationRow
    track: str
    candidate_id: int


def evaluation_lines(session: Session, year: int) -> list[EvaluationLine]:
    """The links a year's two-way evaluation covers, with that year's ratings (None until entered)."""
    r = rounds.round_for(session, year)
    if r is None:
        return []
    stays = session.execute(select(Membership.candidate_id, Candidate.track).join(Candidate)
                            .where(Membership.round_id == r.id)).all()
    tracks = dict(stays)
    links = cult.links_in_year(session, year, tracks)
    rows = core.evaluation_rows(session, RED_CRAFTSMAN, str(year), links)
    return [EvaluationLine(row, tracks[row.ref_id], row.ref_id) for row in rows]


def stages_of(session: Session, candidate_id: int) -> list[PartyStage]:
    return list(session.scalars(select(PartyStage).where(PartyStage.candidate_id == candidate_id)))


def stage_id(session: Session, candidate_id: int, stage: str) -> int | None:
    return next((s.id for s in stages_of(session, candidate_id) if s.stage == stage), None)


def trainings_in(session: Session, year: int) -> list[tuple[Training, str]]:
    rows = session.execute(select(Training, Worker.name).join(Candidate, Candidate.id == Training.candidate_id)
                           .join(Worker, Worker.id == Candidate.worker_id)
                           .where(Training.held_on >= date(year, 1, 1), Training.held_on <= date(year, 12, 31))
                           .order_by(Training.held_on.desc(), Training.content, Worker.name)).all()
    return [(t, name) for t, name in rows]


# -- what the tab shows, read through the app ------------------------------------------------------


@dataclass(frozen=True)
class RoundInfo:
    id: int
    year: int
    title: str
    quota_a: int
    quota_b: int
    announced_on: date | None
    in_pool: int  # on the round's default day (today in its year, else its last day)


@dataclass(frozen=True)
class TrainingRow:
    """One training session: the records of everyone who attended it."""

    ids: tuple[int, ...]
    held_on: date
    content: str
    kind: str
    hours: float | None
    organiser: str
    people: tuple[str, ...]


@dataclass(frozen=True)
class RoundView:
    """Everything the tab shows of one round on one day."""

    round: RoundInfo
    figures: dict[str, rounds.TrackFigures]
    nominees: list[NomineeRow]
    pool: list[PoolRow]
    lines: list[EvaluationLine]
    trainings: list[TrainingRow]
    untrained: list[PoolRow]
    history: list[HistoryRow]


def default_day(year: int, today: date | None = None) -> date:
    """The pool is shown as of today in the current year, else as of the year's last day."""
    today = today or date.today()
    return today if today.year == year else date(year, 12, 31)


def _info(session: Session, r: Round) -> RoundInfo:
    count = len(pool(session, default_day(r.year), r))
    return RoundInfo(r.id, r.year, r.title or "", int(r.quota_a), int(r.quota_b), r.announced_on, count)


def round_list(app: App) -> list[RoundInfo]:
    """Every round, newest first, with its pool size."""
    with app.db.session() as s:
        return [_info(s, r) for r in rounds.rounds(s)]


def _trainings(session: Session, year: int) -> list[TrainingRow]:
    grouped: dict[tuple[Any, ...], list[tuple[int, str]]] = {}
    for t, name in trainings_in(session, year):
        grouped.setdefault((t.held_on, t.content, t.kind, t.hours, t.organiser or ""), []).append((t.id, name))
    return [TrainingRow(tuple(i for i, _n in people), held_on, content, kind,
                        float(hours) if hours is not None else None, organiser, tuple(n for _i, n in people))
            for (held_on, content, kind, hours, organiser), people in grouped.items()]


def round_view(app: App, year: int, day: date) -> RoundView | None:
    """The round of ``year`` on ``day`` (None once deleted). ID numbers do not leave: the tab shows none."""
    labels = app.labels()
    with app.db.session() as s:
        r = rounds.round_for(s, year)
        if r is None:
            return None
        rows = [replace(p, id_number="") for p in pool(s, day, r)]
        return RoundView(_info(s, r), rounds.figures(s, r, day), nominees(s, r, labels), rows,
                         evaluation_lines(s, r.year), _trainings(s, r.year), untrained(rows), history(s, labels))


def hints_for(app: App, worker_id: int, track: str) -> list[Hint]:
    """The eligibility hints of a would-be nominee (the nomination dialog's live preview)."""
    with app.db.session() as s:
        return rounds.hints_for(s, worker_id, track, app.labels())


def mentor_hints(app: App, candidate_id: int, mentor_id: int) -> list[Hint]:
    """The hints of a mentor choice; a refusal comes back as an ``error`` hint (the preview)."""
    with app.db.session() as s:
        try:
            return cult.check_mentor(s, candidate_id, mentor_id, app.labels())
        except ValidationError as exc:
            return [Hint("error", exc.message)]
