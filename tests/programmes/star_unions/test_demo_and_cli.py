"""The demo data keeps 星级工会's rules (the records are written directly, for speed), and the
command line lists the rated unions and prints their plaques."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from datetime import date
from itertools import pairwise
from pathlib import Path

from sqlalchemy import select

from db.models.core.registers import Organisation
from db.models.core.selection import Candidacy, Holding, SelectionRound
from desktop.context import App
from desktop.programmes.star_unions import applications, queries, rules
from desktop.programmes.star_unions.rules import PROGRAMME, WORKFLOW

ROOT = Path(__file__).resolve().parents[3]


def test_demo_data_keeps_the_rules(demo_app: App) -> None:
    today = date.today()
    with demo_app.db.session() as s:
        ranks = {lv.code: lv for lv in applications.levels(s)}
        holdings: dict[int, list[Holding]] = defaultdict(list)
        for h in s.scalars(select(Holding).where(Holding.programme == PROGRAMME).order_by(Holding.named_on, Holding.id)):
            holdings[h.organisation_id or 0].append(h)
        assert holdings
        forms = {oid: form for oid, form in s.execute(select(Organisation.id, Organisation.union_form))}
        for org, hs in holdings.items():
            assert forms[org] in rules.FOUNDED
            assert hs[0].award == "three"  # three stars first
            for before, after in pairwise(hs):
                assert before.ended_on == after.named_on  # one level at a time, no overlap
                step = ranks[after.award or ""].rank - ranks[before.award or ""].rank
                assert step == 1 or (step == -1 and (before.end_reason or "").startswith("回头看降级"))
        lowered = [h for hs in holdings.values() for h in hs if (h.end_reason or "").startswith("回头看降级")]
        assert len(lowered) == 1
        per_year: dict[int, set[int]] = defaultdict(set)
        for c in s.scalars(select(Candidacy).join(SelectionRound).where(SelectionRound.programme == PROGRAMME)):
            assert c.organisation_id not in per_year[c.round.year]  # one application a year
            per_year[c.round.year].add(c.organisation_id or 0)
            if WORKFLOW.reached(c.stage, rules.NAMED):
                rows = applications.score_rows(s, c.id)
                county = applications.total(rows, rules.COUNTY)
                assert county is not None and county >= ranks[c.award or ""].threshold
                assert not applications.unscored(rows, rules.COUNTY)
    stages = {r.stage for r in queries.year_view(demo_app, today.year).rows}
    assert {rules.APPLY, rules.SELF, rules.TOWN, rules.COUNTY, "failed"} <= stages
    held = {r.level for r in queries.roll(demo_app)} - {""}
    assert held == {"three", "four", "five"}


def test_cli_lists_the_rated_unions_and_prints_plaques(demo_app: App, db_path: Path, tmp_path: Path) -> None:
    demo_app.close()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "desktop", *args, "--db", str(db_path)], cwd=ROOT,
                              capture_output=True, text=True, timeout=300, check=False)

    listed = run("star-unions", "--json")
    assert listed.returncode == 0, listed.stderr
    items = json.loads(listed.stdout)
    assert items and all(i["unit"].endswith("工会") and i["title"] for i in items)
    plain = run("star-unions")
    assert plain.returncode == 0 and items[0]["unit"] in plain.stdout
    out = tmp_path / "plaques.pdf"
    year = date.today().year - 1
    made = run("certificates", "--source", "star_unions", "--year", str(year), "--out", str(out), "--json")
    assert made.returncode == 0, made.stderr
    result = json.loads(made.stdout)
    assert result["pages"] >= 1 and all("-XJ-" in s for s in result["serials"])
    report = run("report", "star_unions.counts", "--year", str(year), "--out", str(tmp_path / "counts.xlsx"))
    assert report.returncode == 0, report.stderr
