"""劳模工匠助企行's figures against hand-computed numbers: minutes to acceptance, reply, solve and
revisit rates, benefits, trainees, results, craftsmen's visits, and the year's targets against a
month's and a year's actuals (a 派工单 closed in April counts in April, not in March)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from db.models.core.registers import Organisation
from desktop.context import App
from desktop.programmes.help_desk import figures, queries, service
from desktop.programmes.help_desk.rules import ACCEPTED, REVISITED, SERVING, SOLVED, TRANSFERRED, UNSOLVED
from tests.support import add_workers


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute)


@pytest.fixture
def year(app_ctx: App) -> dict[str, int]:
    """Six demands of 2025 (received; sent; accepted after; closed):

    - A 03-02: sent 09:10, accepted +4 min; 已解决 03-10, 已回访 03-20; 20 trained, 1 result,
      12 + 15 万元; visits 03-03 (no number: its 2 craftsmen) and 03-05 (3 人次);
    - B 03-05: sent 10:00, accepted +6 min; 未解决 03-25; 5 trained;
    - C 03-20 急诊单: sent 08:05, accepted +5 min; 已解决 04-02 (April); 30 trained, 8 万元;
      visits 03-21 (1) and 04-01 (2);
    - D 03-28: sent, never accepted;  E 03-30: still 待派;
    - F 02-20: sent, accepted +2 min; 转办 03-03 (closed in March).
    """
    with app_ctx.db.session() as s:
        unit = Organisation(name="宁海县甲机械有限公司", kind="enterprise")
        s.add(unit)
        s.flush()
        people = add_workers(s, unit, "周国全", "王建国")
        org = unit.id
    team = service.save_team(app_ctx, None, {"name": "帮帮团", "kind": "helpers"}).value
    zhou, wang = (service.add_member(app_ctx, team, {"worker_id": people[n]}).value for n in ("周国全", "王建国"))

    def demand(received: datetime, **extra: Any) -> int:
        return service.add_demand(app_ctx, {"organisation_id": org, "problem": "设备故障", "kind": "breakdown",
                                            "channel": "online", "received_at": received, **extra}).value

    def sent(did: int, when: datetime, accept_after: int | None, crew: list[int]) -> None:
        service.dispatch(app_ctx, did, crew, when)
        if accept_after is not None:
            service.advance(app_ctx, did, ACCEPTED, when.replace(minute=when.minute + accept_after))

    a = demand(at(3, 2))
    sent(a, at(3, 2, 9, 10), 4, [zhou, wang])
    service.advance(app_ctx, a, SERVING, at(3, 3))
    service.add_visit(app_ctx, a, {"visited_on": date(2025, 3, 3), "content": "诊断"})
    service.add_visit(app_ctx, a, {"visited_on": date(2025, 3, 5), "people": 3, "content": "调试"})
    service.record_outcome(app_ctx, a, {"trained": 20, "result_count": 1, "benefit_actual": 12, "benefit_expected": 15})
    service.advance(app_ctx, a, SOLVED, at(3, 10))
    service.advance(app_ctx, a, REVISITED, at(3, 20))
    b = demand(at(3, 5, 10))
    sent(b, at(3, 5, 10), 6, [wang])
    service.record_outcome(app_ctx, b, {"trained": 5})
    service.advance(app_ctx, b, UNSOLVED, at(3, 25))
    c = demand(at(3, 20, 8), urgency="emergency")
    sent(c, at(3, 20, 8, 5), 5, [zhou])
    service.add_visit(app_ctx, c, {"visited_on": date(2025, 3, 21), "people": 1, "content": "急修"})
    service.add_visit(app_ctx, c, {"visited_on": date(2025, 4, 1), "people": 2, "content": "复核"})
    service.record_outcome(app_ctx, c, {"trained": 30, "benefit_actual": 8})
    service.advance(app_ctx, c, SOLVED, at(4, 2))
    d = demand(at(3, 28))
    sent(d, at(3, 28, 15), None, [wang])
    demand(at(3, 30))
    f = demand(at(2, 20))
    sent(f, at(2, 20, 11), 2, [zhou])
    service.advance(app_ctx, f, TRANSFERRED, at(3, 3))
    for measure, target in (("craftsmen", 30), ("problems", 30), ("trained", 200), ("results", 2)):
        service.save_target(app_ctx, 2025, measure, target)
    service.save_target(app_ctx, 2024, "problems", 99)  # another year's: never used for 2025
    return {"a": a, "c": c}


def test_a_months_figures(app_ctx: App, year: dict[str, int]) -> None:
    with app_ctx.db.session() as s:
        m = figures.summary(s, 2025, 3)
    assert (m.demands, m.emergency, m.dispatched, m.accepted) == (5, 1, 4, 3)
    assert m.avg_accept_minutes == pytest.approx(5.0)  # (4 + 6 + 5) / 3
    assert m.reply_rate == pytest.approx(0.75)
    assert (m.solved, m.unsolved, m.transferred, m.revisited, m.closed) == (1, 1, 1, 1, 3)  # A, B, F; C is April's
    assert m.solve_rate == pytest.approx(1 / 3) and m.revisit_rate == pytest.approx(1 / 3)
    assert (m.benefit_actual, m.benefit_expected, m.cost_saved, m.orders) == (Decimal(12), Decimal(15), 0, 0)
    assert (m.trained, m.results, m.enterprises, m.craftsmen) == (25, 1, 4, 6)  # craftsmen: 2 + 3 + 1
    with app_ctx.db.session() as s:
        april = figures.summary(s, 2025, 4)
    assert (april.demands, april.dispatched, april.solved, april.trained, april.craftsmen) == (0, 0, 1, 30, 2)
    assert april.benefit_actual == Decimal(8) and april.avg_accept_minutes is None and april.reply_rate is None
    assert april.solve_rate == 1.0


def test_a_years_figures_and_the_year_so_far(app_ctx: App, year: dict[str, int]) -> None:
    with app_ctx.db.session() as s:
        y = figures.summary(s, 2025)
        through = figures.summary_through(s, 2025, 3)
        other = figures.summary(s, 2024)
    assert (y.demands, y.dispatched, y.accepted, y.emergency) == (6, 5, 4, 1)
    assert y.avg_accept_minutes == pytest.approx(4.25)  # (4 + 6 + 5 + 2) / 4
    assert y.reply_rate == pytest.approx(0.8)
    assert (y.solved, y.unsolved, y.transferred) == (2, 1, 1) and y.solve_rate == pytest.approx(0.5)
    assert (y.benefit_actual, y.trained, y.results, y.craftsmen) == (Decimal(20), 55, 1, 8)
    assert (through.demands, through.dispatched, through.solved, through.transferred) == (6, 5, 1, 1)
    assert through.avg_accept_minutes == pytest.approx(4.25) and through.month == 3
    assert other.demands == 0 and other.solve_rate is None


def test_targets_against_a_month_and_a_year(app_ctx: App, year: dict[str, int]) -> None:
    with app_ctx.db.session() as s:
        march = {m.code: m for m in figures.measures(s, 2025, 3)}
        whole = {m.code: m for m in figures.measures(s, 2025, None, {"hd_measure": {"problems": "解决难题（个）"}})}
    assert list(march) == ["craftsmen", "problems", "trained", "results", "enterprises", "benefit"]
    assert (march["problems"].target, march["problems"].actual) == (Decimal(30), Decimal(1))
    assert march["problems"].rate == pytest.approx(1 / 30)
    assert (march["craftsmen"].actual, march["trained"].actual, march["results"].actual) == (6, 25, 1)
    assert march["enterprises"].target is None and march["enterprises"].rate is None
    assert march["enterprises"].actual == 4 and march["benefit"].actual == Decimal(12)
    assert whole["problems"].label == "解决难题（个）" and whole["trained"].label == "培训企业职工（人次）"
    assert whole["problems"].actual == 2 and whole["trained"].rate == pytest.approx(55 / 200)
    assert whole["results"].rate == pytest.approx(0.5) and whole["craftsmen"].rate == pytest.approx(8 / 30)
    rows = {t.measure: t for t in queries.targets(app_ctx, 2025)}
    assert rows["trained"].id is not None and rows["trained"].actual == 55 and rows["benefit"].id is None
    assert queries.summary(app_ctx, 2025, 3).dispatched == 4


def test_the_register_shows_the_minutes_to_acceptance(app_ctx: App, year: dict[str, int]) -> None:
    rows = {r.id: r for r in queries.demands(app_ctx, 2025)}
    assert rows[year["a"]].accept_minutes == 4 and rows[year["c"]].accept_minutes == 5
    assert rows[year["a"]].days_open == 8 and rows[year["c"]].days_open == 13
    assert next(iter(rows.values())).number.startswith("2025-BB-")
