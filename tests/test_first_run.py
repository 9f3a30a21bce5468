"""The first-run wizard: when it appears (a pure decision), and its fields, checks, cancel and
demo data through real widgets. Set ``UNIONDESK_TEST_SHOTS=/some/folder`` to save PNGs."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sqlalchemy import func, select

import ui.dialogs.first_run as first_run
from db.errors import ValidationError
from db.models.core.registers import Worker
from db.models.system import AuditEntry, Setting
from desktop.context import App, open_app
from desktop.keys.ring import DATABASE_ID
from desktop.settings import BY_KEY
from ui.app import Starter
from ui.dialogs.first_run import FirstRunWizard, wizard_wanted
from ui.main_window import MainWindow

LEFT = Qt.MouseButton.LeftButton
NO_ENV: dict[str, str] = {}
EMPTY: dict[str, Any] = {"union_name": "", "township": "", "issuer": ""}


pytestmark = pytest.mark.usefixtures("look")


@pytest.fixture
def parent(qtbot: Any) -> QWidget:
    w = QWidget()
    w.resize(900, 700)
    qtbot.addWidget(w)
    return w


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Message boxes recorded instead of shown; questions answered 是 (tests change ``answer``)."""
    shown: list[tuple[str, str]] = []

    def static(kind: str, answer: Any) -> Callable[..., Any]:
        def show(_parent: Any, _title: str, text: str, *_a: Any, **_k: Any) -> Any:
            shown.append((kind, text))
            return answer
        return show

    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, static(kind, QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", static("question", QMessageBox.StandardButton.Yes))
    return shown


@pytest.fixture
def flag_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> QSettings:
    """The dismissed flag goes to a temporary .ini instead of the clerk's registry."""
    store = QSettings(str(tmp_path / "qsettings.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr(first_run, "_qsettings", lambda: store)
    return store


def type_text(qtbot: Any, widget: Any, text: str) -> None:
    """Type like a clerk: QTest only knows ASCII keys, so other characters go as key events with text."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("UNIONDESK_TEST_SHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / f"ud_first_run_{name}.png"))


def stored(app: App) -> dict[str, Any]:
    """What the clerk's answers stored: every setting but the database's own identity (desktop.keys)."""
    with app.db.session() as s:
        return {k: v for k, v in s.execute(select(Setting.key, Setting.value)) if k != DATABASE_ID}


def workers(app: App) -> int:
    with app.db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Worker)) or 0)


def wizard(parent: QWidget, app: App, done: list[int]) -> FirstRunWizard:
    dlg = FirstRunWizard(parent, app, lambda: done.append(1))
    dlg.open()
    return dlg


# -- the decision -------------------------------------------------------------------------------


@pytest.mark.parametrize("platform", ["offscreen", "minimal", "OFFSCREEN", " minimal "])
def test_never_on_headless_platforms(platform: str) -> None:
    assert not wizard_wanted(platform, NO_ENV, EMPTY, False)


@pytest.mark.parametrize("platform", ["windows", "xcb", "wayland", "cocoa"])
def test_wanted_on_a_screen_without_a_union_name(platform: str) -> None:
    assert wizard_wanted(platform, NO_ENV, EMPTY, False)
    assert wizard_wanted(platform, NO_ENV, {}, False)  # no settings at all
    assert wizard_wanted(platform, NO_ENV, {"union_name": "   "}, False)  # blank is no name


@pytest.mark.parametrize("name", ["UNIONDESK_NO_WIZARD", "UNIONDESK_PROBE"])
def test_environment_keeps_it_away(name: str) -> None:
    assert not wizard_wanted("windows", {name: "1"}, EMPTY, False)
    assert wizard_wanted("windows", {name: ""}, EMPTY, False)  # empty is unset, as elsewhere in the app
    assert wizard_wanted("windows", {"UNIONDESK_NO_QSETTINGS": "1"}, EMPTY, False)  # only the flag is off


def test_union_name_present_or_dismissed() -> None:
    assert not wizard_wanted("windows", NO_ENV, {"union_name": "宁海县跃龙街道总工会"}, False)
    assert not wizard_wanted("windows", NO_ENV, EMPTY, True)
    assert wizard_wanted("windows", NO_ENV, {"township": "跃龙街道"}, False)  # township alone is not enough


def test_suggestion_and_checks() -> None:
    assert first_run.suggested_union_name(" 跃龙街道 ") == "跃龙街道总工会"
    assert first_run.suggested_union_name("跃龙街道总工会") == "跃龙街道总工会"
    assert first_run.suggested_union_name("") == ""
    assert "请填写工会名称" in first_run.problems({"union_name": " "})["union_name"]
    assert first_run.problems({"union_name": "工会"}) == {}
    # lengths are the settings' own rule, so 设置 enforces them too
    for key, text, message in (("union_name", "会", "2–40"), ("union_name", "工" * 41, "2–40"),
                               ("issuer", "工" * 41, "不超过 40"), ("township", "镇" * 41, "不超过 40")):
        with pytest.raises(ValidationError, match=message):
            BY_KEY[key].clean(text)
    assert BY_KEY["union_name"].clean(" 跃龙街道总工会 ") == "跃龙街道总工会"


# -- the wizard through its widgets -------------------------------------------------------------


def test_township_suggests_the_union_name_and_finish_stores(qtbot: Any, app_ctx: App, parent: QWidget,
                                                            db_path: Path) -> None:
    from ui.kit.changes import listen

    done: list[int] = []
    announced: list[Any] = []
    listen(parent, ["workers"], announced.append)  # the window's views refresh themselves
    dlg = wizard(parent, app_ctx, done)
    assert dlg.isVisible() and dlg.windowTitle() == "欢迎使用工会工作台"
    assert not dlg.demo_box.isChecked()
    assert dlg.focusWidget() is dlg.township_edit  # the first field (whether the window is active or not)
    type_text(qtbot, dlg.township_edit, "跃龙街道")
    assert dlg.union_edit.text() == "跃龙街道总工会"
    assert dlg.issuer_edit.text() == "" and dlg.issuer_edit.placeholderText() == "跃龙街道总工会"
    shot(dlg, "filled")

    dlg.union_edit.setFocus()
    dlg.union_edit.end(False)
    type_text(qtbot, dlg.union_edit, "委员会")  # the clerk's own name: the suggestion stops
    qtbot.keyClick(dlg.union_edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(dlg.union_edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(dlg.union_edit, Qt.Key.Key_Backspace)
    dlg.union_edit.setText("宁海县跃龙街道总工会")
    dlg.township_edit.setFocus()
    type_text(qtbot, dlg.township_edit, "办事处")
    assert dlg.township_edit.text() == "跃龙街道办事处"
    assert dlg.union_edit.text() == "宁海县跃龙街道总工会"  # not overwritten any more
    assert dlg.issuer_edit.placeholderText() == "宁海县跃龙街道总工会"

    qtbot.mouseClick(dlg.finish_button, LEFT)
    assert done == [1] and not dlg.isVisible()
    assert len(announced) == 1 and announced[0].touches("workers", "organisations")
    assert stored(app_ctx) == {"township": "跃龙街道办事处", "union_name": "宁海县跃龙街道总工会",
                               "issuer": "宁海县跃龙街道总工会"}  # the issuer left empty is the union name
    assert app_ctx.union_name == "宁海县跃龙街道总工会"
    assert workers(app_ctx) == 0  # no demo data unless ticked

    other = open_app(str(db_path), daily_backup=False)  # what the next start sees
    try:
        assert other.settings["union_name"] == "宁海县跃龙街道总工会"
        assert not wizard_wanted("windows", NO_ENV, other.settings, False)
        with other.db.session() as s:
            logged = set(s.scalars(select(AuditEntry.note).where(AuditEntry.table_name == "settings")))
        assert logged == {"township", "union_name", "issuer"}  # audit-logged like 设置
    finally:
        other.close()


def test_emptied_union_name_follows_the_township_again(qtbot: Any, app_ctx: App, parent: QWidget) -> None:
    dlg = wizard(parent, app_ctx, [])
    type_text(qtbot, dlg.township_edit, "桃源")
    dlg.union_edit.setFocus()
    dlg.union_edit.selectAll()
    qtbot.keyClick(dlg.union_edit, Qt.Key.Key_Backspace)  # the clerk empties it
    assert dlg.union_edit.text() == ""
    type_text(qtbot, dlg.township_edit, "街道")
    assert dlg.union_edit.text() == "桃源街道总工会"
    dlg.issuer_edit.setText("宁海县桃源街道工会联合会")
    qtbot.mouseClick(dlg.finish_button, LEFT)
    assert stored(app_ctx)["issuer"] == "宁海县桃源街道工会联合会"


def test_prefills_what_the_database_has(qtbot: Any, app_ctx: App, parent: QWidget) -> None:
    with app_ctx.db.session() as s:
        s.add(Setting(key="township", value="强蛟镇"))
    app_ctx.reload_settings()
    dlg = wizard(parent, app_ctx, [])
    assert dlg.township_edit.text() == "强蛟镇" and dlg.union_edit.text() == "强蛟镇总工会"
    qtbot.mouseClick(dlg.finish_button, LEFT)
    assert stored(app_ctx) == {"township": "强蛟镇", "union_name": "强蛟镇总工会", "issuer": "强蛟镇总工会"}


def test_empty_or_long_union_name_shows_the_message_and_stores_nothing(qtbot: Any, app_ctx: App,
                                                                      parent: QWidget) -> None:
    done: list[int] = []
    dlg = wizard(parent, app_ctx, done)
    qtbot.mouseClick(dlg.finish_button, LEFT)
    error = dlg.errors["union_name"]
    assert error.isVisibleTo(dlg) and "请填写工会名称" in error.text()
    assert dlg.isVisible() and done == [] and stored(app_ctx) == {}
    assert dlg.focusWidget() is dlg.union_edit  # the field to fix
    shot(dlg, "empty_name")

    type_text(qtbot, dlg.union_edit, "会")
    assert not error.isVisibleTo(dlg)  # typing clears the old message
    qtbot.mouseClick(dlg.finish_button, LEFT)
    assert "2–40" in error.text() and stored(app_ctx) == {}
    dlg.union_edit.setText("工" * 41)
    qtbot.mouseClick(dlg.finish_button, LEFT)
    assert "41 个字" in error.text() and stored(app_ctx) == {} and done == []
    dlg.union_edit.setText("跃龙街道总工会")
    qtbot.mouseClick(dlg.finish_button, LEFT)
    assert done == [1] and stored(app_ctx)["union_name"] == "跃龙街道总工会"


def test_later_stores_nothing_and_is_remembered(qtbot: Any, app_ctx: App, parent: QWidget,
                                                flag_store: QSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UNIONDESK_NO_QSETTINGS")
    assert not first_run.was_dismissed()
    done: list[int] = []
    dlg = wizard(parent, app_ctx, done)
    type_text(qtbot, dlg.township_edit, "跃龙街道")
    qtbot.mouseClick(dlg.later_button, LEFT)
    assert not dlg.isVisible() and done == []
    assert stored(app_ctx) == {}
    with app_ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 0
    flag_store.sync()
    assert flag_store.value(first_run.DISMISSED_KEY, False, type=bool) is True
    assert first_run.was_dismissed()
    assert not wizard_wanted("windows", NO_ENV, app_ctx.settings, first_run.was_dismissed())


def test_escape_counts_as_later(qtbot: Any, app_ctx: App, parent: QWidget, flag_store: QSettings,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UNIONDESK_NO_QSETTINGS")
    dlg = wizard(parent, app_ctx, [])
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert not dlg.isVisible() and stored(app_ctx) == {} and first_run.was_dismissed()


def test_later_without_qsettings_writes_no_flag(qtbot: Any, app_ctx: App, parent: QWidget,
                                                flag_store: QSettings) -> None:
    assert os.environ.get("UNIONDESK_NO_QSETTINGS")
    dlg = wizard(parent, app_ctx, [])
    qtbot.mouseClick(dlg.later_button, LEFT)
    assert not dlg.isVisible() and stored(app_ctx) == {}
    flag_store.sync()
    assert flag_store.allKeys() == [] and not first_run.was_dismissed()


def test_ticking_demo_loads_the_demo_records(qtbot: Any, app_ctx: App, parent: QWidget, boxes: list[Any],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop import paths

    monkeypatch.setattr(first_run, "DEMO_SIZE", 40)
    done: list[int] = []
    dlg = wizard(parent, app_ctx, done)
    assert "虚构" in dlg.demo_help.text() and "报刊" in dlg.demo_help.text()
    assert not dlg.demo_warning.isVisibleTo(dlg)  # a new database: nothing would be replaced
    type_text(qtbot, dlg.township_edit, "桃源街道")
    qtbot.mouseClick(dlg.demo_box, LEFT, pos=QPoint(10, dlg.demo_box.height() // 2))  # on the box
    assert dlg.demo_box.isChecked()
    qtbot.mouseClick(dlg.finish_button, LEFT)
    job = dlg.job
    assert job is not None
    assert not dlg.finish_button.isEnabled() and not dlg.later_button.isEnabled()
    qtbot.waitUntil(lambda: job.done, timeout=30_000)
    assert job.error is None and done == [1]
    assert workers(app_ctx) == 40
    values = stored(app_ctx)
    assert values["union_name"] == "桃源街道总工会" and values["township"] == "桃源街道"  # the clerk's, not the demo's
    assert app_ctx.union_name == "桃源街道总工会"
    assert not list(paths.backups_dir().glob("*before-demo*"))  # nothing to back up in a new database
    assert boxes == []


def test_demo_over_existing_records_asks_then_backs_up(qtbot: Any, app_ctx: App, parent: QWidget,
                                                       boxes: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop import paths
    from tests.conftest import insert_handful

    insert_handful(app_ctx)
    monkeypatch.setattr(first_run, "DEMO_SIZE", 30)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    done: list[int] = []
    dlg = wizard(parent, app_ctx, done)
    assert dlg.demo_warning.isVisibleTo(dlg) and "已有 8 条记录" in dlg.demo_warning.text()
    dlg.union_edit.setText("跃龙街道总工会")
    dlg.demo_box.setChecked(True)
    qtbot.mouseClick(dlg.finish_button, LEFT)  # answered 否: nothing happens
    assert dlg.isVisible() and dlg.job is None and stored(app_ctx) == {} and workers(app_ctx) == 6

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(dlg.finish_button, LEFT)
    job = dlg.job
    assert job is not None
    qtbot.waitUntil(lambda: job.done, timeout=30_000)
    assert job.error is None and done == [1] and workers(app_ctx) == 30
    assert len(list(paths.backups_dir().glob("*before-demo*"))) == 1


# -- the start path ------------------------------------------------------------------------------


def spy_decision(monkeypatch: pytest.MonkeyPatch, answer: bool | None = None) -> list[tuple[Any, ...]]:
    calls: list[tuple[Any, ...]] = []
    real = first_run.wizard_wanted

    def spy(*args: Any) -> bool:
        result = real(*args) if answer is None else answer
        calls.append((*args, result))
        return result

    monkeypatch.setattr(first_run, "wizard_wanted", spy)
    return calls


def wizards(window: QWidget) -> list[FirstRunWizard]:
    return [w for w in window.findChildren(FirstRunWizard) if w.isVisible()]


def test_start_offscreen_never_shows_the_wizard(qtbot: Any, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.platformName() != "offscreen":
        pytest.skip("checks the offscreen platform the test suite runs on")
    monkeypatch.delenv("UNIONDESK_NO_WIZARD")  # the platform alone keeps it away
    calls = spy_decision(monkeypatch)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    starter = Starter(win)
    app = starter.start(str(db_path))  # a new database: no union name
    assert app is not None and app.union_name == ""
    qtbot.waitUntil(lambda: bool(calls), timeout=5_000)
    platform, env, settings, dismissed, result = calls[0]
    assert platform == "offscreen" and result is False
    assert not env.get("UNIONDESK_NO_WIZARD") and not settings["union_name"] and not dismissed  # only the platform
    qtbot.wait(50)
    assert wizards(win) == [] and not any(isinstance(w, FirstRunWizard) for w in QApplication.topLevelWidgets())
    assert win.windowTitle() == "工会工作台"
    starter.close()


def test_not_interactive_or_switching_never_asks(qtbot: Any, db_path: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    calls = spy_decision(monkeypatch, answer=True)
    win = MainWindow()
    qtbot.addWidget(win)
    starter = Starter(win, interactive=False, daily_backup=False)
    assert starter.start(str(db_path)) is not None
    assert starter.switch(str(tmp_path / "other.sqlite3"))
    qtbot.wait(50)
    assert calls == [] and wizards(win) == []
    starter.close()


def test_start_opens_the_wizard_without_blocking_and_refreshes_the_title(
        qtbot: Any, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spy_decision(monkeypatch, answer=True)  # as on a clerk's screen
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    starter = Starter(win, daily_backup=False)
    assert starter.start(str(db_path)) is not None
    assert wizards(win) == []  # start() returned first; the wizard comes on a later turn
    qtbot.waitUntil(lambda: bool(wizards(win)), timeout=5_000)
    dlg = wizards(win)[0]
    assert dlg.isModal() and dlg.windowModality() == Qt.WindowModality.WindowModal  # open(), not exec()
    type_text(qtbot, dlg.township_edit, "跃龙街道")
    qtbot.mouseClick(dlg.finish_button, LEFT)
    assert win.windowTitle() == "工会工作台 — 跃龙街道总工会"
    assert win.brand_union.text() == "跃龙街道总工会"
    starter.close()
