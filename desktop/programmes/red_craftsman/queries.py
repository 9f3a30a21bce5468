"""红色工匠 two-way cultivation (red_craftsman): the programme's declaration and what its tab shows. No Qt.

The parts live beside this module: ``red_craftsman_rules`` (the 1:2 ratio, eligibility and mentor
hints, the stage-to-status mapping: pure), ``red_craftsman_service`` (rounds, nominations, the pool
and the yearly adjustment), ``red_craftsman_cultivation`` (mentors, training, degree study,
evaluation, outcomes), ``red_craftsman_reports`` (名册, 评议表, 汇总表, certificates, worker facts)
and ``red_craftsman_demo``. Mentors and evaluations are the shared ``mentoring_core``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.models.core.cultivation import RED_CRAFTSMAN
from db.models.core.registers import Worker
from db.models.red_craftsman import Candidate, Membership, Nomination, PartyStage, Round, Training
from desktop.programmes.core import cultivation as core
from desktop.programmes.red_craftsman import cultivation as cult
from desktop.programmes.red_craftsman import rules, service
from desktop.programmes.red_craftsman.demo import demo
from desktop.programmes.red_craftsman.reports import (
    certificate_records,
    evaluation_sheet,
    roster,
    summary,
    worker_facts,
)
from desktop.programmes.red_craftsman.rules import Hint
from desktop.registry import CertificateSource, Programme, ReportParam, ReportSpec

YEAR = ReportParam("year", "年度", "year")


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
        hints = rules.eligibility(n.track, service.person(w), service.other_facts(session, w.id), labels)
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


def _load_stays(session: Session, r: Round | None) -> list[Membership]:
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
    stays = _load_stays(session, r)
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
    for m in _load_stays(session, None):
        c = m.candidate
        out.append(HistoryRow(m.admitted_on, c.worker.name, c.track, source.get(m.source, m.source),
                              m.note or "", m.round.year))
        if m.left_on is not None:
            what = reason.get(m.left_reason or "", m.left_reason or "")
            action = f"移出（{what}）" if service.is_removal(m.left_reason) else what
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
    r = service.round_for(session, year)
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


def trainings_in(session: Session, year: int) -> list[tuple[Training, str]]:
    rows = session.execute(select(Training, Worker.name).join(Candidate, Candidate.id == Training.candidate_id)
                           .join(Worker, Worker.id == Candidate.worker_id)
                           .where(Training.held_on >= date(year, 1, 1), Training.held_on <= date(year, 12, 31))
                           .order_by(Training.held_on.desc(), Training.content, Worker.name)).all()
    return [(t, name) for t, name in rows]


PROGRAMME = Programme(
    key="red_craftsman",
    models=(Round, Nomination, Candidate, Membership, Training, PartyStage),
    reports=(
        ReportSpec("red_craftsman.roster", "“红色工匠”培育库名册", roster, ("pdf", "xlsx"), (YEAR,)),
        ReportSpec("red_craftsman.summary", "“红色工匠”培育工作年度汇总表", summary, ("pdf", "xlsx"), (YEAR,)),
        ReportSpec("red_craftsman.evaluation_sheet", "“红色工匠”师徒双向评议表", evaluation_sheet, ("pdf", "xlsx"),
                   (YEAR,)),
    ),
    certificate_sources=(
        CertificateSource(key="red_craftsman", title="“红色工匠”培育对象证书", records=certificate_records,
                          params=(YEAR,)),
    ),
    worker_facts=worker_facts,
    demo=demo,
)
