"""劳模工匠助企行's figures for a year or a month: counts, rates, benefits and the year's targets
against the actuals (建湖: 劳模工匠进企业不少于30人次 …). No Qt; works in the caller's session.

Each figure counts what happened in the period:

- ``demands`` / ``emergency``: demands received in the period (急诊单 among them);
- ``dispatched``: demands sent to craftsmen in the period (first reached 已派, 已接单 or 服务中);
  ``accepted``: of those, the ones that reached 已接单 or later; reply rate = accepted / dispatched;
  ``avg_accept_minutes``: their mean minutes from 已派 to 已接单;
- ``solved`` / ``unsolved`` / ``transferred``: demands closed in the period, by how they closed;
  solve rate = solved / closed; ``revisited``: of those closed, the ones revisited (已回访);
- benefits, ``trained`` and ``results`` (Σ 成果数): summed over the demands closed in the period;
- ``enterprises`` (家次) = ``dispatched``; ``craftsmen`` (人次) = Σ the people of the period's visits
  (a visit without a number counts the 派工单's craftsmen).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.choices import default_labels
from db.models.core.cases import Case, CaseMove, CaseParty
from db.models.help_desk import Demand, Target, Visit
from desktop.programmes.core.cases import average
from desktop.programmes.help_desk.rules import (
    ACCEPTED,
    CRAFTSMAN,
    DISPATCHED,
    EMERGENCY,
    FLOW,
    REVISITED,
    SERVING,
    SOLVED,
    TRANSFERRED,
    UNSOLVED,
)

MEASURES = "hd_measure"
SENT = (DISPATCHED, ACCEPTED, SERVING)  # a demand is "dispatched" when it first reaches one of these
ZERO = Decimal("0")


@dataclass
class Measure:
    code: str
    label: str
    target: Decimal | None
    actual: Decimal
    rate: float | None  # actual / target (None without a target)


@dataclass
class Summary:
    year: int
    month: int | None
    demands: int
    dispatched: int
    accepted: int
    solved: int
    unsolved: int
    transferred: int
    revisited: int
    emergency: int
    avg_accept_minutes: float | None
    reply_rate: float | None
    solve_rate: float | None
    revisit_rate: float | None
    benefit_actual: Decimal
    benefit_expected: Decimal
    cost_saved: Decimal
    orders: Decimal
    trained: int
    results: int
    enterprises: int
    craftsmen: int

    @property
    def closed(self) -> int:
        return self.solved + self.unsolved + self.transferred


def period(year: int, month: int | None = None) -> tuple[datetime, datetime]:
    """The period's first moment and the first moment after it."""
    if month is None:
        return datetime(year, 1, 1), datetime(year + 1, 1, 1)
    if not 1 <= month <= 12:
        raise ValueError(f"month {month}")
    end = datetime(year + 1, 1, 1) if month == 12 else datetime(year, month + 1, 1)
    return datetime(year, month, 1), end


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _money(values: list[Decimal | None]) -> Decimal:
    return sum((x for x in values if x is not None), ZERO)


@dataclass
class _Row:
    """What the figures need of one demand: plain values, read in two queries (no ORM objects: a
    county's year holds thousands of demands)."""

    case_id: int
    opened_at: datetime
    closed_at: datetime | None
    outcome: str | None
    urgency: str
    benefit_actual: Decimal | None
    benefit_expected: Decimal | None
    cost_saved: Decimal | None
    orders: Decimal | None
    trained: int | None
    result_count: int | None
    moves: list[tuple[str, datetime]] = field(default_factory=list)

    def first(self, stages: tuple[str, ...]) -> datetime | None:
        return min((at for stage, at in self.moves if stage in stages), default=None)

    def minutes_to_accept(self) -> int | None:
        sent, accepted = self.first((DISPATCHED,)), self.first((ACCEPTED,))
        if sent is None or accepted is None or accepted < sent:
            return None
        return int((accepted - sent).total_seconds() // 60)


def _demands(session: Session, start: datetime, end: datetime) -> list[_Row]:
    """Demands with anything in the period: opened before its end, last moved at or after its start."""
    window = (Case.programme == FLOW.programme, Case.opened_at < end, Case.stage_at >= start)
    rows = {r[0]: _Row(*r) for r in session.execute(
        select(Case.id, Case.opened_at, Case.closed_at, Case.outcome, Demand.urgency, Demand.benefit_actual,
               Demand.benefit_expected, Demand.cost_saved, Demand.orders, Demand.trained, Demand.result_count)
        .join(Demand, Demand.case_id == Case.id).where(*window))}
    for case_id, stage, at in session.execute(select(CaseMove.case_id, CaseMove.stage, CaseMove.at)
                                              .join(Case, Case.id == CaseMove.case_id).where(*window)):
        if case_id in rows:
            rows[case_id].moves.append((stage, at))
    return list(rows.values())


def _inside(at: datetime | None, start: datetime, end: datetime) -> bool:
    return at is not None and start <= at < end


def craftsmen_sent(session: Session, start: datetime, end: datetime) -> int:
    """劳模工匠进企业（人次）: Σ the people of the visits in the period; a visit without a number
    counts the craftsmen on its 派工单."""
    crews = (select(func.count(CaseParty.id)).where(CaseParty.case_id == Demand.case_id, CaseParty.role == CRAFTSMAN)
             .correlate(Demand).scalar_subquery())
    q = (select(func.coalesce(func.sum(func.coalesce(Visit.people, crews)), 0))
         .join(Demand, Demand.id == Visit.demand_id)
         .where(Visit.visited_on >= start.date(), Visit.visited_on < end.date()))
    return int(session.scalar(q) or 0)


def summary(session: Session, year: int, month: int | None = None) -> Summary:
    """The figures of ``year``, or of one ``month`` of it."""
    start, end = period(year, month)
    return summary_between(session, start, end, year, month)


def summary_through(session: Session, year: int, month: int) -> Summary:
    """The year so far: the figures from 1 January to the end of ``month`` (one span, so the rates and
    the mean minutes are of the whole span)."""
    return summary_between(session, datetime(year, 1, 1), period(year, month)[1], year, month)


def summary_between(session: Session, start: datetime, end: datetime, year: int, month: int | None) -> Summary:
    """The figures of what happened from ``start`` (inclusive) to ``end`` (exclusive)."""
    rows = _demands(session, start, end)
    received = [d for d in rows if _inside(d.opened_at, start, end)]
    sent = [d for d in rows if _inside(d.first(SENT), start, end)]
    accepted = [d for d in sent if any(FLOW.rank(stage) >= FLOW.rank(ACCEPTED) for stage, _at in d.moves)]
    closed = [d for d in rows if _inside(d.closed_at, start, end)]
    by_outcome = {code: sum(1 for d in closed if d.outcome == code) for code in (SOLVED, UNSOLVED, TRANSFERRED)}
    revisited = [d for d in closed if any(stage == REVISITED for stage, _at in d.moves)]
    return Summary(
        year=year, month=month,
        demands=len(received),
        dispatched=len(sent),
        accepted=len(accepted),
        solved=by_outcome[SOLVED],
        unsolved=by_outcome[UNSOLVED],
        transferred=by_outcome[TRANSFERRED],
        revisited=len(revisited),
        emergency=sum(1 for d in received if d.urgency == EMERGENCY),
        avg_accept_minutes=average(d.minutes_to_accept() for d in sent),
        reply_rate=_rate(len(accepted), len(sent)),
        solve_rate=_rate(by_outcome[SOLVED], len(closed)),
        revisit_rate=_rate(len(revisited), len(closed)),
        benefit_actual=_money([d.benefit_actual for d in closed]),
        benefit_expected=_money([d.benefit_expected for d in closed]),
        cost_saved=_money([d.cost_saved for d in closed]),
        orders=_money([d.orders for d in closed]),
        trained=sum(d.trained or 0 for d in closed),
        results=sum(d.result_count or 0 for d in closed),
        enterprises=len(sent),
        craftsmen=craftsmen_sent(session, start, end),
    )


def _measure_labels(labels: Mapping[str, Any] | None) -> dict[str, str]:
    """``labels`` may be the hd_measure list itself or all lists (``app.labels()``)."""
    found = dict(default_labels(MEASURES))
    if labels:
        inner = labels.get(MEASURES, labels)
        found.update({k: str(v) for k, v in inner.items() if k in found})
    return found


def actuals(s: Summary) -> dict[str, Decimal]:
    """Each hd_measure code's actual for the summary's period."""
    return {
        "craftsmen": Decimal(s.craftsmen),
        "problems": Decimal(s.solved),
        "trained": Decimal(s.trained),
        "results": Decimal(s.results),
        "enterprises": Decimal(s.enterprises),
        "benefit": s.benefit_actual,
    }


def targets(session: Session, year: int) -> dict[str, Decimal]:
    return {t.measure: t.target for t in session.scalars(select(Target).where(Target.year == year))}


def measures(session: Session, year: int, month: int | None = None,
             labels: Mapping[str, Any] | None = None, *, of: Summary | None = None) -> list[Measure]:
    """Every hd_measure: the year's target (a month is measured against the whole year's target),
    the period's actual and the rate. ``of``: a summary already computed for the same period."""
    s = of if of is not None else summary(session, year, month)
    names = _measure_labels(labels)
    goal = targets(session, year)
    done = actuals(s)
    out = []
    for code, label in names.items():
        target = goal.get(code)
        actual = done.get(code, ZERO)
        rate = float(actual / target) if target else None
        out.append(Measure(code, label, target, actual, rate))
    return out
