"""What a programme declares for other programmes' screens (DESIGN.md, "What a programme
declares"): fact columns shown in the registers' lists and actions offered on another
programme's records, which receive a record reference and the plain facts its owner publishes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from db.models.competitions import Entry
from db.models.core.registers import Organisation
from desktop import registry
from desktop.changes import Changes
from desktop.context import App
from desktop.programmes.competitions import queries as competition_queries
from desktop.registry import Action, FactColumn, RecordRef
from ui.kit import actions as kit_actions
from ui.kit.changes import hub
from ui.programmes.organisations.tab import OrganisationsTab

pytestmark = pytest.mark.usefixtures("look")


def stars(session: Any, ids: Sequence[int]) -> dict[int, str]:
    """A stand-in for 星级工会: the first unit is a 三星 union."""
    first = session.scalar(select(Organisation.id).order_by(Organisation.id).limit(1))
    return {first: "三星"} if first in ids else {}


@pytest.fixture
def tab(open_tab: Any, demo_app: App, monkeypatch: pytest.MonkeyPatch) -> OrganisationsTab:
    star = FactColumn("organisations", "星级", stars)
    monkeypatch.setattr(registry, "fact_columns", lambda target: [star] if target == "organisations" else [])
    return open_tab(OrganisationsTab, demo_app, (1200, 700))


def test_a_declared_fact_column_shows_in_the_register_list(tab: OrganisationsTab, demo_app: App) -> None:
    model = tab.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[-1] == "星级"
    with demo_app.db.session() as s:
        first = s.scalar(select(Organisation.id).order_by(Organisation.id).limit(1))
    row = model.row_of(first)
    assert row is not None
    assert model.data(model.index(row, model.columnCount() - 1)) == "三星"
    other = next(r for r in range(model.rowCount()) if r != row)
    assert model.data(model.index(other, model.columnCount() - 1)) in (None, "")


def test_an_action_on_a_register_row_gets_the_reference_and_announces(tab: OrganisationsTab,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    got: list[tuple[RecordRef, dict[str, Any]]] = []

    def nominate(app: Any, ref: RecordRef, facts: dict[str, Any]) -> Changes:
        got.append((ref, facts))
        return Changes.of("honours_nominations")

    offered = [Action("organisations", "推荐评选先进集体", nominate)]
    monkeypatch.setattr(kit_actions, "actions", lambda table: offered if table == "organisations" else [])
    heard: list[Changes] = []
    hub().changed.connect(heard.append)
    record = tab.model.record_id(0)
    menu = kit_actions.menu_for(tab.view, tab.app, RecordRef("organisations", record), offered,
                                lambda ref: {"id": ref.id}, tab.warn)
    assert [a.text() for a in menu.actions()] == ["推荐评选先进集体"]
    menu.actions()[0].trigger()
    assert got == [(RecordRef("organisations", record), {"id": record})]
    assert heard and heard[0].touches("honours_nominations")
    assert tab.view.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu


def test_a_competition_entry_publishes_plain_facts(demo_app: App) -> None:
    with demo_app.db.session() as s:
        first = s.scalar(select(Entry).where(Entry.rank == 1).limit(1))
        assert first is not None
        entry_id, worker = first.id, first.worker_id
    facts = competition_queries.entry_facts(demo_app, entry_id)
    assert facts["rank"] == 1 and facts["event"] and facts["competition"]
    assert facts["worker_ids"] and (worker is None or facts["worker_ids"] == [worker])
    assert all(isinstance(v, str | int | float | bool | list | type(None)) for v in facts.values())
