"""The competitions tab through real widgets: a new competition and event, registration from the
register and of a new worker, marks typed into the grid (a bad one refused), places and prizes,
the 五一劳动奖章 flag, the reports and the certificate centre."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import func, select

from db.models.competitions import Competition, Entry, Event, Score, TeamMember
from db.models.core.registers import Worker
from desktop.context import App
from tests.support import valid_id
from ui.kit.form import RecordForm
from ui.main_window import MainWindow
from ui.programmes.competitions.dialogs import RegisterDialog
from ui.programmes.competitions.forms import CompetitionDialog, EventDialog
from ui.programmes.competitions.tab import CompetitionsTab

LEFT = Qt.MouseButton.LeftButton


pytestmark = pytest.mark.usefixtures("look")


@pytest.fixture
def tab(qtbot: Any, demo_app: App) -> Iterator[CompetitionsTab]:
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    win.attach_app(demo_app)
    win.show_tab("competitions")
    found = win.tabs["competitions"]
    assert isinstance(found, CompetitionsTab)
    qtbot.waitUntil(lambda: found.is_loaded, timeout=20_000)
    found.confirm = lambda *_a: True  # type: ignore[method-assign]
    found.warn = lambda *_a: None  # type: ignore[method-assign]
    yield found
    win.detach_app()


def _focus(where: QWidget) -> QWidget:
    """The widget with the keyboard focus in ``where``'s window (offscreen windows are never active)."""
    found = where.window().focusWidget()
    return found if found is not None else where


def type_text(where: QWidget, text: str) -> None:
    """Keys as a clerk types them, each to whatever widget of the window has the focus then."""
    for ch in text:
        key = ord(ch.upper()) if ch.isascii() and ch.isalnum() else (Qt.Key.Key_Period if ch == "." else 0)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(_focus(where), QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))


def press(where: QWidget, key: Qt.Key) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(_focus(where), QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier))


def set_text(widget: QWidget, text: str) -> None:
    widget.setFocus()
    widget.clear()  # type: ignore[attr-defined]
    type_text(widget, text)


def test_competition_from_scratch_scored_with_the_keyboard(tab: CompetitionsTab, qtbot: Any, demo_app: App,
                                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 新建竞赛
    qtbot.mouseClick(tab.new_button, LEFT)
    dlg = tab.dialog
    assert isinstance(dlg, CompetitionDialog)
    set_text(dlg.form.editors["title"], "2026年跃龙街道职工电工技能比武")
    set_text(dlg.form.editors["end_date"], "2026-05-20")
    set_text(dlg.form.editors["objection_phone"], "0574-65551234")
    qtbot.mouseClick(dlg.ok_button, LEFT)
    with demo_app.db.session() as s:
        cid = s.scalar(select(Competition.id).where(Competition.title == "2026年跃龙街道职工电工技能比武"))
    assert cid is not None and tab.competition_id == cid and tab.event_id is None
    assert "还没有竞赛项目" in tab.empty.text()

    # 添加项目
    qtbot.mouseClick(tab.add_event_button, LEFT)
    ev_dlg = tab.dialog
    assert isinstance(ev_dlg, EventDialog)
    set_text(ev_dlg.form.editors["trade"], "电工")
    qtbot.mouseClick(ev_dlg.ok_button, LEFT)
    assert tab.event_id is not None and tab.grid is not None and tab.grid.trade == "电工"
    event_id = tab.event_id

    # 报名: three workers from the register (search, Enter), then one new worker
    with demo_app.db.session() as s:
        names = list(s.scalars(select(Worker.name).order_by(Worker.id).limit(40)))
    picked = [n for i, n in enumerate(names) if names.count(n) == 1 and len(n) >= 2][:3]
    qtbot.mouseClick(tab.register_button, LEFT)
    reg = tab.dialog
    assert isinstance(reg, RegisterDialog)
    for name in picked:
        set_text(reg.picker.search, name)
        press(reg.picker.search, Qt.Key.Key_Return)
        assert name in reg.status.text() and "已报名" in reg.status.text()
    set_text(reg.picker.search, picked[0])
    press(reg.picker.search, Qt.Key.Key_Return)
    assert "已报名本项目" in reg.status.text()  # twice refused
    form = reg.new_worker()
    assert isinstance(form, RecordForm)
    set_text(form.editors["name"].widget, "林新来")
    set_text(form.editors["id_number"].widget, valid_id(seq=321))
    qtbot.mouseClick(form.ok_button, LEFT)
    assert "林新来" in reg.status.text()
    reg.accept()
    assert tab.model.rowCount() == 4
    with demo_app.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Worker).where(Worker.name == "林新来")) == 1

    # Marks with the keyboard: 3 judges × theory and practical per contestant, Tab moves on.
    marks = [(80, 90), (90, 80), (70, 70), (85, 95)]  # totals 87, 83, 70, 92
    cols = tab.model.editable_columns()
    assert len(cols) == 6
    tab.view.setFocus()
    tab.view.setCurrentIndex(tab.model.index(0, cols[0]))
    for row, (theory, practical) in enumerate(marks):
        for j, value in enumerate([theory] * 3 + [practical] * 3):
            assert tab.view.currentIndex().row() == row and tab.view.currentIndex().column() == cols[j]
            if row == 1 and j == 2:  # a bad mark first: refused inline, nothing stored, cursor stays
                type_text(tab.view, "105")
                press(tab.view, Qt.Key.Key_Tab)
                assert (1, cols[2]) in tab.model.invalid
                assert "超出范围" in tab.message.text()
                assert tab.model.data(tab.model.index(1, cols[2])) == "105"
                assert tab.view.currentIndex().column() == cols[2]
                with demo_app.db.session() as s:
                    assert s.scalar(select(func.count()).select_from(Score).where(
                        Score.entry_id == tab.model.row_data(1).entry_id, Score.judge == 3)) == 0
            type_text(tab.view, str(value))
            press(tab.view, Qt.Key.Key_Tab)
    assert not tab.model.invalid
    totals = [tab.model.outcomes[tab.model.row_data(r).entry_id].total for r in range(4)]
    assert totals == [87.0, 83.0, 70.0, 92.0]  # recomputed live
    # Enter moves down the same judge's column
    tab.view.setCurrentIndex(tab.model.index(0, cols[3]))
    tab.view.setFocus()
    type_text(tab.view, "91")
    press(tab.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.view.currentIndex().row() == 1)
    assert tab.view.currentIndex().column() == cols[3]
    press(tab.view, Qt.Key.Key_Escape)

    # 计算名次: default tiers 1/2/3 by count
    qtbot.mouseClick(tab.compute_button, LEFT)
    assert "已计算名次" in tab.message.text()
    with demo_app.db.session() as s:
        rows = s.execute(select(Entry.number, Entry.rank, Entry.prize).where(Entry.event_id == event_id)
                         .order_by(Entry.number)).all()
    assert [(r.rank, r.prize) for r in rows] == [(2, "second"), (3, "second"), (4, "third"), (1, "first")]

    # 推荐五一劳动奖章: refused for second place, accepted for the winner
    tab.view.setCurrentIndex(tab.model.index(0, 1))
    qtbot.mouseClick(tab.medal_button, LEFT)
    assert "第一名" in tab.message.text() and not tab.medal_button.isChecked()
    winner = next(r for r in range(4) if tab.model.outcomes[tab.model.row_data(r).entry_id].rank == 1)
    tab.view.setCurrentIndex(tab.model.index(winner, 1))
    qtbot.mouseClick(tab.medal_button, LEFT)
    assert tab.medal_button.isChecked() and "★" in tab.model.data(tab.model.index(winner, 1))
    with demo_app.db.session() as s:
        assert s.scalar(select(Entry.recommended_for_medal).where(Entry.rank == 1, Entry.event_id == event_id))

    # 成绩公示 through the shared report dialog, this competition chosen
    monkeypatch.setattr("ui.dialogs.reports.offer_open", lambda *_a, **_k: None)
    qtbot.mouseClick(tab.results_button, LEFT)
    report = tab.dialog
    assert report.values() == {"competition": cid}
    job = report.run_report(tmp_path / "results.pdf")
    assert job is not None and job.wait(60_000) and (tmp_path / "results.pdf").stat().st_size > 1000
    qtbot.mouseClick(tab.sheet_button, LEFT)
    assert tab.dialog.values() == {"competition": cid, "event": str(event_id)}
    tab.dialog.reject()

    # 打印获奖证书 hands the competition to the certificate centre
    calls: list[tuple[Any, ...]] = []
    fake = types.ModuleType("ui.certificates.centre")
    fake.open_certificate_centre = lambda parent, app, **kw: calls.append((app, kw))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ui.certificates.centre", fake)
    qtbot.mouseClick(tab.certificates_button, LEFT)
    assert calls == [(demo_app, {"source": "competitions", "params": {"competition": cid},
                                 "focus": {"event_id": event_id}})]  # the list starts on the event shown


def test_team_event_prize_tiers_by_share_and_delete(tab: CompetitionsTab, qtbot: Any, demo_app: App) -> None:
    team = next(n for n in tab.nodes if n.kind == "team")
    event_id = team.events[0][0]
    tab.reload_keep(team.id, event_id)
    assert tab.grid is not None and tab.grid.kind == "team" and tab.model.rowCount() == 13
    assert [c.title for c in tab.model.columns if c.editable] == ["必答", "抢答", "加赛"]
    assert tab.register_button.text() == "团体报名…" and not tab.medal_button.isEnabled()
    dlg = tab.set_prizes()
    dlg.by_share.setChecked(True)
    for spin, value in zip(dlg.share_spins, (10, 20, 30, 0), strict=True):
        spin.setValue(value)
    assert "一等奖 1 名，二等奖 2 名，三等奖 3 名" in dlg.preview_label.text()
    qtbot.mouseClick(dlg.ok_button, LEFT)
    with demo_app.db.session() as s:
        ev = s.get(Event, event_id)
        assert ev is not None and ev.prize_mode == "share"
        prized = s.scalar(select(func.count()).select_from(Entry).where(Entry.event_id == event_id,
                                                                         Entry.prize.is_not(None)))
    assert prized is not None and prized >= 6
    # a negative round score is refused
    col = next(i for i, c in enumerate(tab.model.columns) if c.part == "round_buzzer")
    assert not tab.model.setData(tab.model.index(0, col), "-10")
    assert "不能为负数" in tab.message.text()
    tab.model.take_rejected()
    # 删除报名
    tab.view.setCurrentIndex(tab.model.index(0, 1))
    qtbot.mouseClick(tab.unregister_button, LEFT)
    assert tab.model.rowCount() == 12


def test_team_dialog_and_import_dialog(tab: CompetitionsTab, qtbot: Any, demo_app: App, tmp_path: Path) -> None:
    from ui.programmes.competitions.dialogs import ImportScoresDialog, TeamDialog

    team = next(n for n in tab.nodes if n.kind == "team")
    event_id = team.events[0][0]
    tab.reload_keep(team.id, event_id)
    dlg = tab.register()
    assert isinstance(dlg, TeamDialog)
    set_text(dlg.name_edit, "灵隐街道总工会")
    with demo_app.db.session() as s:
        taken = set(s.scalars(select(TeamMember.worker_id)))
    for hit in [h for h in dlg.picker.hits if h.id not in taken][:3]:
        dlg.add_member(hit.id)
    assert dlg.member_list.count() == 3 and dlg.unit_combo.currentText()
    dlg.member_list.setCurrentRow(2)
    dlg.remove_member()
    dlg.save()
    assert not dlg.problem.isVisibleTo(dlg), dlg.problem.text()
    assert tab.model.rowCount() == 14
    with demo_app.db.session() as s:
        entry = s.scalar(select(Entry).where(Entry.team_name == "灵隐街道总工会"))
        assert entry is not None and len(entry.members) == 2 and entry.number == 14
    sheet = tmp_path / "rounds.csv"
    sheet.write_text("队名,必答,抢答\n灵隐街道总工会,100,70\n不存在的队,,abc\n", encoding="utf-8")
    imp = tab.import_file()
    assert isinstance(imp, ImportScoresDialog)
    imp.set_file(sheet)
    job = imp.run()
    assert job is not None and job.wait(30_000)
    assert imp.result.scores == 2 and [p.row for p in imp.result.rejected] == [3]
    assert "第 3 行" in imp.report.text()
    row = tab.model.row_of(entry.id)
    assert row is not None and tab.model.outcomes[entry.id].total == 170 and tab.model.outcomes[entry.id].rank == 1


def test_tab_refreshes_when_another_screen_changes_a_contestant(tab: CompetitionsTab, qtbot: Any,
                                                                demo_app: App) -> None:
    """A change announced elsewhere (a worker renamed on the workers tab) shows in the grid; a
    change while the tab is hidden is read when it is shown again."""
    from desktop.changes import Changes
    from desktop.programmes.core import registers
    from ui.kit.changes import announce

    # Windows of earlier tests (closed, their databases gone) must not hear this test's changes.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    row = next(r for r in tab.model.rows if r.worker_id is not None)
    with demo_app.db.session() as s:
        registers.save(s, "workers", row.worker_id, {"name": "欧阳新名"})
    announce(Changes.of("workers", rows=[("workers", row.worker_id)]))
    assert any(r.name == "欧阳新名" for r in tab.model.rows)

    tab.hide()
    with demo_app.db.session() as s:
        registers.save(s, "workers", row.worker_id, {"name": "欧阳再改"})
    announce(Changes.of("workers", rows=[("workers", row.worker_id)]))
    assert not any(r.name == "欧阳再改" for r in tab.model.rows)
    tab.show()
    assert any(r.name == "欧阳再改" for r in tab.model.rows)
