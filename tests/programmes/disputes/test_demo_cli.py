"""劳动争议调解's demo data (临安, seed 003) keeps the rules and shows every part: every source and
kind, 调解成功 with 仲裁确认, 仲裁/诉讼/执行, a collective 欠薪 case, a 工伤 case, a case overdue in 调解,
nothing in the future, the sensitive fields empty; the registry's declaration (reports, the
``disputes_cases`` reference); the ``disputes --json`` listing and the prints from the command line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from db.models.core.cases import Case, CaseMove
from db.models.disputes import Dispute
from desktop import registry
from desktop.context import App
from desktop.programmes.disputes import queries
from desktop.programmes.disputes.rules import ARBITRATION, ENFORCEMENT, LITIGATION, MEDIATED
from desktop.reads import ref_options
from desktop.settings import choice_labels

ROOT = Path(__file__).resolve().parents[3]


def test_demo_data_keeps_the_rules(demo_app: App) -> None:
    rows = queries.disputes(demo_app, None)
    today, now = date.today(), datetime.now()
    assert 35 <= len(rows) <= 45
    assert {r.year for r in rows} >= {today.year - 1}
    with demo_app.db.session() as s:
        labels = choice_labels(s)
        moves = list(s.scalars(select(CaseMove).join(Case).where(Case.programme == "disputes")))
        secret = s.execute(select(Dispute.injury, Dispute.health, Dispute.income)).all()
    assert {r.source for r in rows} == set(labels["dp_source"])
    assert {r.kind for r in rows} == set(labels["dp_kind"])
    assert max(m.at for m in moves) <= now and all(r.opened_at <= now for r in rows)
    assert all(v is None for row in secret for v in row)  # no accounts: the demo cannot write them
    done = [r for r in rows if r.outcome == MEDIATED]
    confirmed = [r for r in done if r.confirmed_on is not None]
    assert len(confirmed) >= 3 and all(r.closed_at is not None and r.closed_at.date() <= r.confirmed_on <= today
                                       for r in confirmed)
    assert all(r.confirmed_on is None for r in rows if r.outcome != MEDIATED)
    assert all(r.agreed_amount and (r.paid_amount is None or r.paid_amount <= r.agreed_amount) for r in done)
    reached = {code for r in rows for code in r.reached}
    assert {ARBITRATION, LITIGATION, ENFORCEMENT} <= reached
    assert {r.outcome for r in rows if r.closed} == set(labels["dp_outcome"])
    assert any(r.collective and r.kind == "wages" and (r.headcount or 0) >= 10 for r in rows)
    assert any(r.kind == "injury" and r.outcome == MEDIATED and r.confirmed_on for r in rows)
    assert any(r.overdue for r in rows) and any(not r.closed for r in rows)
    assert {"劳动法律监督员", "法律援助志愿者", "律师"} <= {p for r in rows for p in re.findall(r"（(.+?)）", r.handlers)}
    named_only = [p for r in rows for p in queries.dispute(demo_app, r.id).workers if not p.linked]
    assert named_only and all(p.phone and "*" in p.phone for p in named_only)


def test_declaration(demo_app: App) -> None:
    keys = {r.key: r for r in registry.programme("disputes").reports}
    assert set(keys) == {"disputes.agreement", "disputes.ledger", "disputes.monthly"}
    agreement = keys["disputes.agreement"]
    assert agreement.write is not None and agreement.offers_full and agreement.formats == ("pdf",)
    assert [(p.name, p.kind, p.ref, p.required) for p in agreement.params] == [
        ("dispute", "ref", "disputes_cases", True)]
    assert keys["disputes.monthly"].params[0].required and keys["disputes.ledger"].formats == ("pdf", "xlsx")
    options = ref_options(demo_app, "disputes_cases")
    rows = queries.disputes(demo_app, None)
    assert options is not None and len(options) == len(rows)
    first = next(r for r in rows if r.id == options[0][0])
    assert options[0][1] == f"{first.number} {first.summary}" and " 诉 " in options[0][1]


def test_cli_lists_and_prints(demo_app: App, db_path: Path, tmp_path: Path) -> None:
    rows = queries.disputes(demo_app, None)
    mediated = next(r for r in rows if r.outcome == MEDIATED)
    demo_app.close()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "desktop", *args, "--db", str(db_path)], cwd=ROOT,
                              capture_output=True, text=True, timeout=300, check=False)

    listed = run("disputes", "--json")
    assert listed.returncode == 0, listed.stderr
    items = json.loads(listed.stdout)
    assert len(items) == len(rows)
    assert set(items[0]) == {"id", "number", "workers", "employer", "kind", "stage", "opened_at"}
    assert isinstance(items[0]["workers"], list) and items[0]["number"].endswith("-TJ-0001")
    assert not re.search(r"\d{11}", listed.stdout)  # no whole phone or ID number
    plain = run("disputes")
    assert plain.returncode == 0 and items[0]["number"] in plain.stdout
    out = tmp_path / "agreement.pdf"
    made = run("report", "disputes.agreement", "--param", f"dispute={mediated.id}", "--out", str(out))
    assert made.returncode == 0, made.stderr
    assert out.stat().st_size > 5000
    ledger = run("report", "disputes.ledger", "--year", str(mediated.year), "--out", str(tmp_path / "ledger.xlsx"))
    assert ledger.returncode == 0, ledger.stderr
