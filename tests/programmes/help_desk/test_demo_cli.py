"""The demo data keeps 劳模工匠助企行's rules and the seeds' figures (written directly, for speed),
the demand picker names each demand, and the command line lists the demands without a whole phone
number."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from db.models.core.cases import Case
from db.models.help_desk import Demand, Member, Target, Team
from desktop import registry
from desktop.context import App
from desktop.programmes.help_desk import figures, queries
from desktop.programmes.help_desk.rules import CRAFTSMAN, EMERGENCY, FLOW, SOLVED, TRANSFERRED, UNSOLVED
from desktop.reads import ref_options

ROOT = Path(__file__).resolve().parents[3]
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def test_demo_data_keeps_the_rules_and_the_seeds(demo_app: App) -> None:
    now, this = datetime.now(), date.today().year
    with demo_app.db.session() as s:
        teams = {t.kind: t for t in s.scalars(select(Team).options(selectinload(Team.members)))}
        demands = list(s.scalars(select(Demand).options(selectinload(Demand.case).selectinload(Case.moves),
                                                         selectinload(Demand.case).selectinload(Case.parties))))
        assert set(teams) == {"helpers", "golden_collar", "tech_service"}
        helpers = teams["helpers"].members
        assert len([m for m in helpers if m.worker_id is None and m.expert_from]) == 2
        assert any(m.left_on is not None for m in helpers)
        assert len(teams["tech_service"].members) == 6  # 盐城: 6名劳模工匠
        assert 150 <= len(demands) <= 250
        for d in demands:
            case, moves = d.case, d.case.moves
            assert case.programme == FLOW.programme and case.opened_at == d.received_at == moves[0].at
            assert all(m.at < now and m.by for m in moves)  # nothing in the future; the clerk moved them
            assert all(FLOW.rank(a.stage) < FLOW.rank(b.stage) and a.at <= b.at for a, b in pairwise(moves))
            assert case.stage == moves[-1].stage
            assert (case.closed_at is not None) == FLOW.is_closed(case.stage)
            if case.stage != "pending":
                assert [p for p in case.parties if p.role == CRAFTSMAN]
            assert d.region == "local" or d.place
        numbers = [d.case.number for d in demands]
        assert len(set(numbers)) == len(numbers)
        last = figures.summary(s, this - 1)
        outcomes = Counter(d.case.outcome for d in demands if d.case.closed_at is not None)
        regions = {(d.region, d.place) for d in demands}
        targets = {(t.measure, t.target) for t in s.scalars(select(Target).where(Target.year == this))}
    assert 100 <= last.demands <= 130 and last.emergency >= 3
    assert last.avg_accept_minutes is not None and 3.5 <= last.avg_accept_minutes <= 6.5  # 002: 平均用时5分钟
    assert last.solve_rate is not None and last.solve_rate > 0.8 and last.revisited > 50
    assert outcomes[SOLVED] > 100 and outcomes[UNSOLVED] and outcomes[TRANSFERRED]
    assert last.benefit_actual > 0 and last.benefit_expected > 0 and last.trained > 0 and last.craftsmen > 100
    assert {("paired", "四川省普格县"), ("paired", "浙江省景宁县"), ("cross", "浙江省丽水市")} <= regions
    assert {m for m, _t in targets} == {"craftsmen", "problems", "trained", "results", "enterprises", "benefit"}
    assert dict(targets)["problems"] >= last.solved * Decimal("0.9")  # the township's own scale, not a county's


def test_the_seeds_named_slips_and_honoured_members(demo_app: App) -> None:
    rows = queries.demands(demo_app, date.today().year - 1, text="周国全")
    assert len(rows) >= 3
    assert any(r.urgency == EMERGENCY and "熔胶" in r.problem for r in rows)
    assert any(r.place == "浙江省丽水市" for r in rows)
    members = queries.members(demo_app, None)
    assert any(m.honours for m in members) and any(not m.honours and m.worker_id for m in members)
    assert all(m.specialty and m.area for m in members if m.worker_id)
    assert all(not MOBILE.search(m.phone) for m in members)
    with demo_app.db.session() as s:
        expert = s.scalar(select(Member).where(Member.name == "周国全"))
        assert expert is not None and expert.worker_id is None


def test_the_demand_picker_names_each_demand(demo_app: App) -> None:
    options = ref_options(demo_app, "help_desk_demands")
    assert options is not None and len(options) >= 150
    with demo_app.db.session() as s:
        d = s.scalars(select(Demand).options(selectinload(Demand.case), selectinload(Demand.organisation))).first()
        assert d is not None
        wanted = (d.id, f"{d.case.number} {d.organisation.name}")
        model = registry.ref_models()["help_desk_demands"]
        found = s.get(model, d.id)
        assert found is not None and found.name == wanted[1]
    assert wanted in options


def test_cli_lists_the_demands(demo_app: App, db_path: Path) -> None:
    demo_app.close()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "desktop", *args, "--db", str(db_path)], cwd=ROOT,
                              capture_output=True, text=True, timeout=300, check=False)

    listed = run("help-desk", "--json")
    assert listed.returncode == 0, listed.stderr
    items = json.loads(listed.stdout)
    assert items and set(items[0]) == {"id", "number", "enterprise", "kind", "stage", "received_at"}
    assert all(re.fullmatch(r"\d{4}-BB-\d{4}", i["number"]) and i["enterprise"] for i in items)
    assert {"已回访", "已解决"} & {i["stage"] for i in items}
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", items[0]["received_at"])
    plain = run("help-desk")
    assert plain.returncode == 0 and items[0]["number"] in plain.stdout
    assert not MOBILE.search(listed.stdout + plain.stdout)
