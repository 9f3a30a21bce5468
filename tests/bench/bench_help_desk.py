"""help_desk_statistics: the 统计 page's figures (a year, a month, the year so far) and the demand
list over a county's year (宁海: 3,628 demands), against one plain SQL pass over the same case log
(the least any figure must read)."""

from __future__ import annotations

import os
import random
import sys
import tempfile
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.common import bench_line, median_of, timed

DEMANDS = 3_628
YEAR = 2026


def build(url: str) -> None:
    from db.models.core.cases import Case, CaseMove, CaseParty
    from db.models.core.registers import Organisation
    from db.models.help_desk import Demand, Visit
    from desktop.context import open_app
    from desktop.programmes.core.cases import number

    app = open_app(url, daily_backup=False)
    rng = random.Random(5)
    stages = ("pending", "dispatched", "accepted", "serving", "solved", "revisited")
    with app.db.session() as s:
        orgs = [Organisation(name=f"宁海县第{i}机械有限公司") for i in range(210)]  # 衢州: 210家
        s.add_all(orgs)
        s.flush()
        for i in range(DEMANDS):
            t = datetime(YEAR, 1, 2, 8) + timedelta(minutes=rng.randint(0, 320 * 24 * 60))
            steps = (0, rng.uniform(0.2, 8) * 60, 5, rng.uniform(1, 48) * 60, rng.uniform(24, 300) * 60, 48 * 60)
            c = Case(programme="help_desk", year=YEAR, seq=i + 1, number=number(YEAR, "BB", i + 1), stage="pending",
                     stage_at=t, opened_at=t, summary="")
            for stage, minutes in zip(stages, steps, strict=True):
                t += timedelta(minutes=minutes)
                c.moves.append(CaseMove(stage=stage, at=t, by="王晓燕", account=""))
                c.stage, c.stage_at = stage, t
                if stage == "solved":
                    c.closed_at, c.outcome = t, "solved"
            c.parties.append(CaseParty(role="craftsman", name="周国全"))
            d = Demand(case=c, organisation_id=orgs[i % 210].id, problem="设备故障", kind="breakdown",
                       urgency="emergency" if i % 10 == 0 else "normal", channel="online", region="local",
                       received_at=c.opened_at, benefit_actual=Decimal("5.5"), trained=rng.randint(0, 20))
            d.visits.append(Visit(visited_on=c.opened_at.date() + timedelta(days=1), content="上门服务", people=None))
            s.add(d)
    app.close()


def main() -> None:
    from sqlalchemy import text

    from desktop.context import open_app
    from desktop.programmes.help_desk import figures, queries

    folder = Path(tempfile.mkdtemp(prefix="bench-help-desk-"))
    os.environ["UNIONDESK_HOME"] = str(folder / "home")
    db = folder / "county.sqlite3"
    build(str(db))
    app = open_app(str(db), daily_backup=False)
    try:
        def page() -> None:  # what the 统计 page asks for on each refresh
            queries.targets(app, YEAR)
            queries.targets(app, YEAR, 11)

        def figures_only() -> None:
            with app.db.session() as s:
                figures.summary(s, YEAR)

        def baseline() -> None:  # one pass over the year's case log, nothing made of it
            with app.db.session() as s:
                s.execute(text("SELECT m.case_id, m.stage, m.at FROM case_moves m JOIN cases c ON c.id = m.case_id "
                               "WHERE c.programme = 'help_desk' AND c.year = :y"), {"y": YEAR}).fetchall()

        base = median_of(lambda: timed(baseline), 5)
        bench_line("help_desk_figures_year", median_of(lambda: timed(figures_only), 5), base, "s")
        bench_line("help_desk_statistics_page", median_of(lambda: timed(page), 3), base, "s")
        bench_line("help_desk_demand_list", median_of(lambda: timed(lambda: queries.demands(app, YEAR)), 3), base, "s")
    finally:
        app.close()


if __name__ == "__main__":
    main()
