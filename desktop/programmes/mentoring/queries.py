"""师徒结对: what its tab shows, as plain rows (no ORM objects leave a session). No Qt.

Writes are in ``service``; the work over a session in ``pairs``; the allowance, the 拜师帖 and
the worker facts in ``reports``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.models.core.cultivation import MentorEvaluation, MentorLink
from db.models.core.registers import Worker
from db.models.mentoring import ROLE_WORDS, Pair
from db.privacy import mask_id
from desktop.programmes.core import cultivation as core
from desktop.programmes.core import cultivation_fields as fields
from desktop.programmes.mentoring import reports
from desktop.programmes.mentoring.pairs import links

if TYPE_CHECKING:
    from desktop.context import App

#: The described models whose labels the tab's forms and headers read, in 师徒结对's words
#: (``MentorEvaluation.rating_of_mentee`` -> 师傅评徒弟).
MODELS: dict[str, type] = {"Pair": Pair, "MentorLink": MentorLink, "MentorEvaluation": MentorEvaluation,
                           "Worker": Worker}


def field_labels() -> dict[str, str]:
    """``{"Pair.trade": "工种（技艺）", "MentorEvaluation.rating_of_mentee": "师傅评徒弟", ...}``."""
    return fields.labels(MODELS, ROLE_WORDS)


def field_helps() -> dict[str, str]:
    return fields.helps(MODELS, ROLE_WORDS)


@dataclass(frozen=True)
class EvaluationView:
    id: int
    period: str
    evaluated_on: date
    rating_of_mentee: int
    rating_of_mentor: int
    note: str

    @property
    def flags(self) -> list[str]:
        return core.flags(self.rating_of_mentee, self.rating_of_mentor)


@dataclass(frozen=True)
class ApprenticeRow:
    link_id: int
    mentor: str
    mentee_id: int
    mentee: str
    grade: str | None  # the apprentice's skill grade in the register now
    started_on: date
    ended_on: date | None
    outcome_on: date | None
    outcome_grade: str | None
    evaluations: tuple[EvaluationView, ...]  # newest first

    @property
    def latest(self) -> EvaluationView | None:
        return self.evaluations[0] if self.evaluations else None


@dataclass(frozen=True)
class PairRow:
    id: int
    master_id: int
    master: str
    unit: str
    master_grade: str | None
    trade: str
    started_on: date
    term_months: int
    term_end: date
    ended_on: date | None
    goals: str
    apprentices: tuple[ApprenticeRow, ...]

    def active(self, on: date) -> bool:
        return self.started_on <= on and (self.ended_on or self.term_end) >= on


def _apprentice(lk: MentorLink) -> ApprenticeRow:
    evals = sorted(lk.evaluations, key=lambda e: e.evaluated_on, reverse=True)
    return ApprenticeRow(lk.id, lk.mentor.name, lk.mentee_id, lk.mentee.name, lk.mentee.skill_grade, lk.started_on,
                         lk.ended_on, lk.outcome_on, lk.outcome_grade,
                         tuple(EvaluationView(e.id, e.period, e.evaluated_on, e.rating_of_mentee, e.rating_of_mentor,
                                              e.note or "") for e in evals))


def pairs_in(session: Session) -> list[PairRow]:
    """Every pair, newest first, with its apprentices."""
    by_pair: dict[int, list[ApprenticeRow]] = {}
    for lk in links(session):
        by_pair.setdefault(lk.ref_id, []).append(_apprentice(lk))
    rows = []
    for p in session.scalars(select(Pair).options(selectinload(Pair.master).selectinload(Worker.employer))
                             .order_by(Pair.started_on.desc(), Pair.id.desc())):
        m = p.master
        rows.append(PairRow(p.id, m.id, m.name, m.employer.name if m.employer else "", m.skill_grade, p.trade,
                            p.started_on, p.term_months, reports.term_end(p), p.ended_on, p.goals or "",
                            tuple(by_pair.get(p.id, []))))
    return rows


def pairs(app: App) -> list[PairRow]:
    with app.db.session() as s:
        return pairs_in(s)


@dataclass(frozen=True)
class AllowanceView:
    """A month's allowance lines (the master's ID masked), the monthly rate and the total."""

    lines: list[reports.AllowanceLine]
    rate: Decimal
    total: Decimal


def allowance(app: App, month: str) -> AllowanceView:
    with app.db.session() as s:
        lines = reports.allowance(s, month)
        rate = reports.monthly_rate(s)
    shown = [replace(a, master_id_number=mask_id(a.master_id_number)) for a in lines]
    return AllowanceView(shown, rate, sum((a.amount for a in lines), Decimal("0.00")))
