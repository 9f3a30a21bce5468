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
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.choices import default_labels
from db.models.core.cases import Case
from db.models.help_desk import Demand, Target, Visit
from desktop.programmes.core.cases import average, minutes_between, parties
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


def _sent_at(case: Case) -> datetime | None:
    return min((m.at for m in case.moves if m.stage in SENT), default=None)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _money(values: list[Decimal | None]) -> Decimal:
    return sum((x for x in values if x is not None), ZERO)


def _demands(session: Session, start: datetime, end: datetime) -> list[Demand]:
    """Demands with anything in the period: opened before its end, last moved at or after its start."""
    q = (select(Demand).join(Case, Demand.case_id == Case.id)
         .where(Case.programme == FLOW.programme, Case.opened_at < end, Case.stage_at >= start)
         .options(selectinload(Demand.case).selectinload(Case.moves),
                  selectinload(Demand.case).selectinload(Case.parties)))
    return list(session.scalars(q))


def _inside(at: datetime | None, start: datetime, end: datetime) -> bool:
    return at is not None and start <= at < end


def craftsmen_sent(session: Session, start: datetime, end: datetime) -> int:
    """劳模工匠进企业（人次）: Σ the people of the visits in the period; a visit without a number
    counts the craftsmen on its 派工单."""
    q = (select(Visit).where(Visit.visited_on >= start.date(), Visit.visited_on < end.date())
         .options(selectinload(Visit.demand).selectinload(Demand.case).selectinload(Case.parties)))
    total = 0
    for visit in session.scalars(q):
        total += visit.people if visit.people is not None else len(parties(visit.demand.case, CRAFTSMAN))
    return total


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
    received = [d for d in rows if _inside(d.case.opened_at, start, end)]
    sent = [d for d in rows if _inside(_sent_at(d.case), start, end)]
    accepted = [d for d in sent if any(FLOW.rank(m.stage) >= FLOW.rank(ACCEPTED) for m in d.case.moves)]
    closed = [d for d in rows if _inside(d.case.closed_at, start, end)]
    by_outcome = {code: sum(1 for d in closed if d.case.outcome == code) for code in (SOLVED, UNSOLVED, TRANSFERRED)}
    revisited = [d for d in closed if any(m.stage == REVISITED for m in d.case.moves)]
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
        avg_accept_minutes=average(minutes_between(d.case, DISPATCHED, ACCEPTED) for d in sent),
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
