"""The competitions tab's right-click 「推荐评选荣誉（五一劳动奖章）」 on an entry marked for the medal,
through real widgets in the main window: the nomination shows in the 劳模工匠 tab (already open, it
refreshes by itself), the competitions tab's message line says what was done, and a second try is
refused with the reason. Competitions is reached only through what it publishes (the registry's
action, its entry facts)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu
from sqlalchemy import select

from db.models.competitions import Entry
from desktop import registry
from desktop.context import App
from desktop.programmes.competitions import queries as competition_queries
from desktop.registry import RecordRef
from ui.kit import actions as kit_actions
from ui.main_window import MainWindow
from ui.programmes.competitions.tab import CompetitionsTab
from ui.programmes.honours.rounds_page import NAME, STAGE
from ui.programmes.honours.tab import HonoursTab

pytestmark = pytest.mark.usefixtures("look")
LABEL = "推荐评选荣誉（五一劳动奖章）"


@pytest.fixture
def window(qtbot: Any, demo_app: App) -> Iterator[MainWindow]:
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    win.attach_app(demo_app)
    yield win
    win.detach_app()


def opened(win: MainWindow, qtbot: Any, key: str) -> Any:
    win.show_tab(key)
    tab = win.tabs[key]
    qtbot.waitUntil(lambda: tab.is_loaded, timeout=20_000)
    return tab


def test_a_first_place_is_nominated_from_the_competitions_tab(window: MainWindow, qtbot: Any, demo_app: App,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    with demo_app.db.session() as s:
        winner = s.scalar(select(Entry).where(Entry.recommended_for_medal.is_(True), Entry.worker_id.is_not(None))
                          .order_by(Entry.id).limit(1))
        assert winner is not None
        entry_id, event_id, competition_id = winner.id, winner.event_id, winner.event.competition_id
        name = winner.worker.name
    honours = opened(window, qtbot, "honours")
    assert isinstance(honours, HonoursTab)
    before = honours.rounds.rounds.rowCount()

    comp = opened(window, qtbot, "competitions")
    assert isinstance(comp, CompetitionsTab)
    warned: list[str] = []
    comp.warn = lambda _title, text: warned.append(text)  # type: ignore[method-assign]
    comp.reload_keep(competition_id, event_id)
    row = next(r for r in range(comp.model.rowCount()) if comp.model.row_data(r).entry_id == entry_id)
    assert comp.view.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu

    # The tab's own right-click: the menu ui.kit.actions.menu_for builds, caught instead of shown.
    menus: list[QMenu] = []
    real = kit_actions.menu_for

    class Caught:
        def __init__(self, menu: QMenu) -> None:
            self.menu = menu

        def exec(self, *_args: Any) -> None:
            menus.append(self.menu)

    monkeypatch.setattr(kit_actions, "menu_for", lambda *a, **k: Caught(real(*a, **k)))
    where = comp.view.visualRect(comp.model.index(row, 1)).center()
    comp.view.customContextMenuRequested.emit(where)
    assert len(menus) == 1 and [a.text() for a in menus[0].actions()] == [LABEL]
    menus[0].actions()[0].trigger()
    assert not warned
    said = comp.message.text()
    assert said.startswith(f"已将 {name} 推荐到“") and "五一劳动奖章" in said

    # 劳模工匠 heard it: the round (opened if none was taking nominations) lists the nominee at 推荐.
    window.show_tab("honours")
    page = honours.rounds
    assert page.rounds.rowCount() >= before
    source = f"competition_entries:{entry_id}"
    found = None
    for r in range(page.rounds.rowCount()):
        page.rounds.selectRow(r)
        hits = [i for i, n in enumerate(page.nominations.rows) if n.data.source == source]
        if hits:
            found = hits[0]
            break
    assert found is not None, "the nomination is not in the 劳模工匠 tab"
    assert page.nominations.item(found, NAME).text() == name
    assert page.nominations.item(found, STAGE).text() == "推荐"
    current = page.current()
    assert current is not None and said == f"已将 {name} 推荐到“{current.name}”"
    page.nominations.selectRow(found)
    assert "来源：技能竞赛第一名推荐" in page.deeds.text()

    # Once is enough: the same entry again is refused with the reason, through the tab's warning.
    window.show_tab("competitions")
    menu = real(comp.view, comp.app, RecordRef("competition_entries", entry_id),
                                registry.actions("competition_entries"),
                                lambda ref: competition_queries.entry_facts(demo_app, ref.id), comp.warn, comp.say)
    menu.actions()[0].trigger()
    assert warned and "不再重复推荐" in warned[-1]
