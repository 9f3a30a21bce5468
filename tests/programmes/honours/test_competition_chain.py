"""The chain the issue asks for: a competition event's first place (by 综合成绩) → one click makes a
五一劳动奖章 nomination → stages → the 公示 list printed → named by the county → the honour seen as a
worker fact (红色工匠's hints and the worker's page read it). Competitions is reached only through
what it publishes (the registry's Action and its entry facts)."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db.errors import ValidationError
from db.models.competitions import Entry
from desktop import registry
from desktop.context import App
from desktop.programmes.competitions import queries as competition_queries
from desktop.programmes.honours import queries, service
from desktop.registry import RecordRef
from desktop.report_runner import write_report


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def action() -> registry.Action:
    offered = registry.actions("competition_entries")
    assert [a.label for a in offered] == ["推荐评选荣誉（五一劳动奖章）"]
    return offered[0]


def test_first_place_to_named_holder(demo_app: App, tmp_path: Path, fontset: Any) -> None:
    with demo_app.db.session() as s:
        winner = s.scalar(select(Entry).where(Entry.recommended_for_medal.is_(True)).limit(1))
        second = s.scalar(select(Entry).where(Entry.rank == 2, Entry.worker_id.is_not(None)).limit(1))
        assert winner is not None and second is not None
        entry_id, worker_id, other_id = winner.id, winner.worker_id, second.id
    facts = competition_queries.entry_facts(demo_app, entry_id)
    ref = RecordRef("competition_entries", entry_id)
    with pytest.raises(ValidationError, match="只有竞赛项目综合成绩第一名"):
        action().run(demo_app, RecordRef("competition_entries", other_id),
                     competition_queries.entry_facts(demo_app, other_id))
    changes = action().run(demo_app, ref, facts)
    assert changes.touches("selection_candidates") and "县级五一劳动奖章" in changes.message
    with pytest.raises(ValidationError, match="不再重复推荐"):
        action().run(demo_app, ref, facts)

    rid = next(iter(changes.ids("selection_rounds")))
    view = queries.round_view(demo_app, rid)
    assert view is not None and view.round.publicity_start is None and view.round.title == "县级五一劳动奖章"
    n = next(n for n in view.nominations if n.source == f"competition_entries:{entry_id}")
    assert n.worker_id == worker_id and n.stage_shown == "推荐"
    assert n.deeds.startswith(f"在{facts['competition']}{facts['event']}项目中获第一名（综合成绩 ")

    today = date.today()
    others = [o.id for o in view.nominations if o.id != n.id]
    for o in others:  # a clean round: only the competition's winner goes on
        service.reject(demo_app, o, today, "本次不推荐")
    service.advance(demo_app, [n.id], today + timedelta(days=1))
    service.advance(demo_app, [n.id], today + timedelta(days=2))
    start = queries.next_working_day(demo_app, today + timedelta(days=3))
    service.start_publicity(demo_app, rid, start)  # the publicity_days setting (5)
    end = queries.round_view(demo_app, rid).round.publicity_end  # type: ignore[union-attr]
    assert end is not None and end > start

    write_report(demo_app, registry.report("honours.publicity"), {"round": rid}, tmp_path / "pub.pdf")
    text = pdf_text(tmp_path / "pub.pdf")
    assert n.name in text and "公示期：" in text and "监督电话" in text

    service.advance(demo_app, [n.id], end + timedelta(days=1))  # 上报
    service.advance(demo_app, [n.id], end + timedelta(days=30), document="县总工〔2026〕12号")  # 上级命名
    with demo_app.db.session() as s:
        facts_now = registry.worker_facts(s, worker_id)
    honours = [f for f in facts_now if f.kind == "honour" and f.programme == "honours"]
    assert any(f.label.startswith("县级五一劳动奖章") for f in honours)
