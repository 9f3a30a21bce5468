"""The register tabs through real widgets: add, edit, filter, sort, reveal, delete, worker page."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit
from sqlalchemy import func, select

from db.models.core.registers import Organisation, Worker
from db.models.system import AuditEntry
from desktop import registry
from desktop.context import App
from desktop.programmes.core import registers
from tests.support import valid_id
from ui.app import ALREADY_OPEN, Starter
from ui.kit.form import RecordForm
from ui.main_window import MainWindow
from ui.programmes.organisations.tab import OrganisationsTab
from ui.programmes.workers.page import WorkerPage
from ui.programmes.workers.tab import WorkersTab

LEFT = Qt.MouseButton.LeftButton


pytestmark = pytest.mark.usefixtures("look")


@pytest.fixture
def window(qtbot: Any, demo_app: App) -> Iterator[MainWindow]:
    with demo_app.db.session() as s:
        from desktop import settings

        settings.save(s, {"union_name": "宁海县跃龙街道总工会"})
    demo_app.reload_settings()
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    win.attach_app(demo_app)
    tab = win.tabs["workers"]
    qtbot.waitUntil(lambda: tab.is_loaded, timeout=20_000)
    yield win
    win.detach_app()


def type_text(qtbot: Any, widget: Any, text: str) -> None:
    """Type like a clerk: QTest only knows ASCII keys, so other characters go as key events with text."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def workers_tab(win: MainWindow) -> WorkersTab:
    tab = win.tabs["workers"]
    assert isinstance(tab, WorkersTab)
    return tab


def organisations_tab(win: MainWindow, qtbot: Any) -> OrganisationsTab:
    win.show_tab("organisations")
    tab = win.tabs["organisations"]
    assert isinstance(tab, OrganisationsTab)
    qtbot.waitUntil(lambda: tab.is_loaded, timeout=20_000)
    return tab


def column(tab: Any, name: str) -> int:
    return [c.name for c in tab.model.columns].index(name)


def open_form(tab: Any, qtbot: Any, button: Any) -> RecordForm:
    qtbot.mouseClick(button, LEFT)
    forms = [f for f in tab.findChildren(RecordForm) if f.isVisible()]
    assert len(forms) == 1
    return forms[0]


def select_row(tab: Any, row: int) -> None:
    tab.view.selectRow(row)
    assert tab.selected_row() == row


def test_main_window_shows_the_registry_tabs_and_status(window: MainWindow, demo_app: App) -> None:
    assert window.windowTitle() == "工会工作台 — 宁海县跃龙街道总工会"
    from desktop.registry import entries

    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [e.title for e in entries()]
    assert not window.nav.item(0).icon().isNull()
    assert "数据库：" in window.db_label.text() and str(demo_app.db.path) in window.db_label.text()
    assert window.count_label.text() == "职工：300 条记录"
    titles = [a.text() for a in window.reports_menu.actions()]
    assert "职工花名册…" in titles
    menus = {m.title(): [a.text() for a in m.actions() if a.text() and a.isVisible()] for m in
             (a.menu() for a in window.menuBar().actions()) if m is not None}
    assert menus["文件(&F)"] == ["切换数据库…", "设置…", "退出"]  # 切换账户/修改密码 only with accounts
    assert menus["数据(&D)"] == ["导入职工…", "导入单位…", "导出当前列表…", "立即备份", "备份到文件夹/U盘…", "从备份恢复…",
                                 "操作日志…"]  # without accounts everyone is the administrator


def test_sidebar_sections_answer_ctrl_and_a_digit(window: MainWindow, qtbot: Any) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "organisations"
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "workers"
    assert window.nav.item(0).toolTip() == "职工（Ctrl+1）"


def test_add_worker_through_the_form_with_inline_errors(window: MainWindow, qtbot: Any, demo_app: App) -> None:
    tab = workers_tab(window)
    form = open_form(tab, qtbot, tab.add_button)
    assert form.windowTitle() == "新增职工"
    assert not form.ok_button.isEnabled()  # name and ID are required

    name_edit = form.editors["name"].widget
    id_edit = form.editors["id_number"].widget
    gender = form.editors["gender"].widget
    birth = form.editors["birth_date"].widget
    assert isinstance(name_edit, QLineEdit) and isinstance(id_edit, QLineEdit)
    assert isinstance(gender, QComboBox) and isinstance(birth, QLineEdit) and birth.isReadOnly()

    type_text(qtbot, name_edit, "测试员")
    number = valid_id(area="330226", birth="19880512", seq=77, male=True)
    qtbot.keyClicks(id_edit, number[:10])
    assert form.editors["id_number"].error.isHidden()  # not judged while still typing
    qtbot.keyClicks(id_edit, number[10:])
    assert birth.text() == "1988-05-12"  # derived live from the ID number
    assert gender.currentData() == "male"  # offered from the ID number

    gender.setCurrentIndex(gender.findData("female"))  # contradicts the ID
    error = form.editors["gender"].error
    assert error.isVisible() and "与身份证号不符" in error.text()
    assert not form.ok_button.isEnabled()

    gender.setCurrentIndex(gender.findData("male"))
    assert error.isHidden() and form.ok_button.isEnabled()

    qtbot.keyClicks(form.editors["phone"].widget, "138-1234-5678")
    employer = form.editors["employer_id"].widget
    assert isinstance(employer, QComboBox) and employer.isEditable()
    employer.setEditText("不存在的公司")
    assert "单位名册中没有" in form.editors["employer_id"].error.text() or not form.ok_button.isEnabled()
    org_name = employer.itemText(1)
    employer.setEditText(org_name)
    assert form.ok_button.isEnabled()

    with qtbot.waitSignal(form.saved, timeout=5000) as saved:
        qtbot.mouseClick(form.ok_button, LEFT)
    rid = saved.args[0]
    assert not form.isVisible()
    assert tab.model.total() == 301
    row = tab.model.row_of(rid)
    assert row is not None and tab.selected_id() == rid
    assert tab.model.value(row, column(tab, "name")) == "测试员"
    assert tab.model.value(row, column(tab, "employer_id")) == org_name
    with demo_app.db.session() as s:
        w = s.get(Worker, rid)
        assert w is not None and w.phone == "13812345678" and w.name_initials == "csy"
        assert w.birth_date is not None and w.birth_date.isoformat() == "1988-05-12"


def test_form_refuses_a_duplicate_id_number(window: MainWindow, qtbot: Any, demo_app: App) -> None:
    tab = workers_tab(window)
    existing = tab.model.value(0, column(tab, "id_number"), full=True)
    form = open_form(tab, qtbot, tab.add_button)
    type_text(qtbot, form.editors["name"].widget, "重复者")
    qtbot.keyClicks(form.editors["id_number"].widget, existing)
    gender = form.editors["gender"].widget
    assert isinstance(gender, QComboBox)
    qtbot.mouseClick(form.ok_button, LEFT)
    assert form.isVisible()
    error = form.editors["id_number"].error
    assert error.isVisible() and "重复" in error.text()
    assert tab.model.total() == 300
    form.reject()


def double_click_row(tab: Any, qtbot: Any, row: int) -> None:
    rect = tab.view.visualRect(tab.model.index(row, 0))
    qtbot.mouseClick(tab.view.viewport(), LEFT, pos=rect.center())  # a double click starts with a press
    qtbot.mouseDClick(tab.view.viewport(), LEFT, pos=rect.center())


def visible_pages(tab: Any, kind: type) -> list[Any]:
    return [p for p in tab.findChildren(kind) if p.isVisible()]


def test_double_click_opens_the_worker_page_and_edit_from_there(window: MainWindow, qtbot: Any,
                                                                demo_app: App) -> None:
    tab = workers_tab(window)
    rid = tab.model.record_id(3)
    double_click_row(tab, qtbot, 3)
    assert not visible_pages(tab, RecordForm)  # item 7: the record's page, not 编辑
    pages = visible_pages(tab, WorkerPage)
    assert len(pages) == 1 and pages[0].worker_id == rid
    page = pages[0]
    qtbot.mouseClick(page.edit_button, LEFT)
    forms = visible_pages(page, RecordForm)
    assert len(forms) == 1
    form = forms[0]
    assert form.record_id == rid and form.windowTitle().startswith("编辑职工 — ")
    trade = form.editors["trade"].widget
    assert isinstance(trade, QLineEdit)
    trade.clear()
    type_text(qtbot, trade, "高级焊工")
    assert form.ok_button.isEnabled()
    qtbot.mouseClick(form.ok_button, LEFT)
    # The list and the open page both refresh themselves from the announced change.
    assert tab.model.total() == 300
    assert tab.model.value(tab.model.row_of(rid), column(tab, "trade")) == "高级焊工"
    assert page.value_labels["trade"].text() == "高级焊工"
    assert any("工种（岗位）" in page.history.item(r, 3).text() for r in range(page.history.rowCount()))
    with demo_app.db.session() as s:
        assert s.get(Worker, rid).trade == "高级焊工"  # type: ignore[union-attr]
        changes = s.scalars(select(AuditEntry.new).where(AuditEntry.action == "update",
                                                          AuditEntry.record_id == rid)).all()
    assert {"trade": "高级焊工"} in changes
    page.reject()


def test_enter_opens_the_page_and_down_from_the_search_box_reaches_the_table(window: MainWindow,
                                                                             qtbot: Any) -> None:
    tab = workers_tab(window)
    tab.bar.search.setFocus()
    qtbot.keyClick(tab.bar.search, Qt.Key.Key_Down)
    assert tab.window().focusWidget() is tab.view
    assert tab.selected_row() == 0  # the first row chosen
    qtbot.keyClick(tab.view, Qt.Key.Key_Down)
    assert tab.selected_row() == 1
    qtbot.keyClick(tab.view, Qt.Key.Key_Return)
    pages = visible_pages(tab, WorkerPage)
    assert len(pages) == 1 and pages[0].worker_id == tab.model.record_id(1)
    pages[0].reject()
    tab.bar.search.setFocus()  # a row is chosen: Down keeps it
    qtbot.keyClick(tab.bar.search, Qt.Key.Key_Down)
    assert tab.selected_row() == 1


def test_a_page_less_tab_opens_the_edit_form_on_enter(window: MainWindow, qtbot: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    tab = workers_tab(window)
    monkeypatch.setattr(tab, "open_page", lambda record_id: None)
    select_row(tab, 2)
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_Enter)
    forms = visible_pages(tab, RecordForm)
    assert len(forms) == 1 and forms[0].record_id == tab.model.record_id(2)
    forms[0].reject()


def test_edit_button_and_filter_by_typing(window: MainWindow, qtbot: Any) -> None:
    tab = workers_tab(window)
    assert not tab.edit_button.isEnabled()  # nothing selected
    name = tab.model.value(10, 0)
    keys = tab.model.table.keys
    phone = str(tab.model.value(10, column(tab, "phone"), full=True))
    qtbot.keyClicks(tab.bar.search, phone[-6:])  # digits of a phone number
    expected = sum(phone[-6:] in k for k in keys)
    assert tab.model.rowCount() == expected >= 1
    tab.bar.search.clear()
    type_text(qtbot, tab.bar.search, name)
    expected = sum(name.lower() in k for k in keys)
    assert 1 <= tab.model.rowCount() == expected < 300
    assert tab.bar.count.text().startswith(f"筛选出 {expected} 条")
    select_row(tab, 0)
    assert tab.edit_button.isEnabled()
    form = open_form(tab, qtbot, tab.edit_button)
    assert form.windowTitle() == f"编辑职工 — {tab.model.value(0, 0)}"
    form.reject()

    tab.bar.search.clear()
    assert tab.model.rowCount() == 300 and tab.bar.count.text() == "共 300 条"
    type_text(qtbot, tab.bar.search, "没有这个人")
    assert tab.model.rowCount() == 0 and tab.view.empty.isVisible()


def test_sort_by_clicking_a_header(window: MainWindow, qtbot: Any) -> None:
    tab = workers_tab(window)
    c = column(tab, "birth_date")
    header = tab.view.horizontalHeader()
    pos = QPoint(header.sectionViewportPosition(c) + header.sectionSize(c) // 2, header.height() // 2)
    qtbot.mouseClick(header.viewport(), LEFT, pos=pos)
    dates = [tab.model.value(r, c) for r in range(tab.model.rowCount())]
    first = [d for d in dates if d]
    assert first == sorted(first)
    qtbot.mouseClick(header.viewport(), LEFT, pos=pos)
    dates = [tab.model.value(r, c) for r in range(tab.model.rowCount())]
    assert [d for d in dates if d] == sorted(first, reverse=True)


def test_reveal_id_for_the_selected_row_is_audit_logged(window: MainWindow, qtbot: Any, demo_app: App) -> None:
    tab = workers_tab(window)
    c = column(tab, "id_number")
    select_row(tab, 2)
    assert "*" in tab.model.value(2, c)
    qtbot.mouseClick(tab.reveal_button, LEFT)
    full = tab.model.value(2, c)
    assert "*" not in full and len(full) == 18
    assert "*" in tab.model.value(3, c)
    with demo_app.db.session() as s:
        notes = s.scalars(select(AuditEntry.note).where(AuditEntry.action == "reveal",
                                                        AuditEntry.record_id == tab.model.record_id(2))).all()
    assert "id_number" in notes


def test_delete_an_organisation_with_workers_is_refused(window: MainWindow, qtbot: Any, demo_app: App,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    tab = organisations_tab(window, qtbot)
    assert window.count_label.text().startswith("单位：")
    with demo_app.db.session() as s:
        used_id, used_count = s.execute(
            select(Worker.employer_id, func.count()).where(Worker.employer_id.is_not(None))
            .group_by(Worker.employer_id).limit(1)).one()
        spare = registers.save(s, "organisations", None, {"name": "临时测试单位"})
    tab.refresh_record(spare)  # written behind the tab's back: nothing was announced
    asked: list[str] = []
    warned: list[str] = []
    monkeypatch.setattr(tab, "confirm", lambda title, text: asked.append(text) or True)
    monkeypatch.setattr(tab, "warn", lambda title, text: warned.append(text))

    assert tab.select_id(used_id)
    qtbot.mouseClick(tab.delete_button, LEFT)
    assert warned and f"{used_count} 名职工在此单位" in warned[0] and "不能删除" in warned[0]
    assert not asked  # checked first: no 确定删除? for a unit that cannot go
    assert tab.model.row_of(used_id) is not None

    assert tab.select_id(spare)
    total = tab.model.total()
    qtbot.mouseClick(tab.delete_button, LEFT)
    assert "临时测试单位" in asked[-1]
    assert tab.model.total() == total - 1 and tab.model.row_of(spare) is None
    with demo_app.db.session() as s:
        assert s.get(Organisation, spare) is None


def test_worker_page_shows_fields_facts_and_history(window: MainWindow, qtbot: Any, demo_app: App) -> None:
    tab = workers_tab(window)
    with demo_app.db.session() as s:  # the first worker no programme knows anything about
        row = next(r for r in range(tab.model.rowCount()) if not registry.worker_facts(s, tab.model.record_id(r)))
    select_row(tab, row)
    rid = tab.model.record_id(row)
    qtbot.mouseClick(tab.detail_button, LEFT)
    pages = [p for p in tab.findChildren(WorkerPage) if p.isVisible()]
    assert len(pages) == 1
    page = pages[0]
    assert page.heading.text() == tab.model.value(row, 0)
    assert page.value_labels["employer_id"].text() == (tab.model.value(row, column(tab, "employer_id")) or "—")
    assert "*" in page.value_labels["id_number"].text()
    empty = [w.text() for w in page.facts_page.findChildren(type(page.heading))]
    assert "暂无其他项目记录" in empty

    page.reveal_buttons["id_number"].click()
    full = page.value_labels["id_number"].text()
    assert "*" not in full and len(full) == 18
    history = [page.history.item(r, 3).text() for r in range(page.history.rowCount())]
    assert "查看了完整的身份证号" in history
    with demo_app.db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "reveal", AuditEntry.record_id == rid)) == 1
    page.grab().save("/tmp/ud_worker_page.png")
    page.reject()


def test_export_action_passes_the_visible_ids(window: MainWindow, qtbot: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.dialogs.exporting as exporting

    calls: list[tuple[str, list[int]]] = []
    monkeypatch.setattr(exporting, "export_rows", lambda parent, app, kind, ids: calls.append((kind, ids)))
    tab = workers_tab(window)
    type_text(qtbot, tab.bar.search, "宁海")
    window.export_action.trigger()
    assert calls == [("workers", tab.model.visible_ids())]
    assert 0 < len(calls[0][1]) < 300


def test_second_window_on_the_same_file_is_refused(qtbot: Any, db_path: Path, app_ctx: App) -> None:
    first, second = MainWindow(), MainWindow()
    qtbot.addWidget(first)
    qtbot.addWidget(second)
    one = Starter(first)
    assert one.start(str(db_path)) is not None and first.app is not None
    told: list[str] = []
    two = Starter(second)
    two.say = lambda title, text: told.append(text)  # type: ignore[method-assign]
    assert two.start(str(db_path)) is None
    assert two.exit_code == 1 and told and ALREADY_OPEN in told[0]
    one.close()
    three = Starter(second)
    assert three.start(str(db_path)) is not None  # the lock went with the first window
    three.close()


def test_corrupt_database_offers_the_newest_good_backup(qtbot: Any, tmp_path: Path, uniondesk_home: Path) -> None:
    from desktop.context import open_app

    path = tmp_path / "office.sqlite3"
    app = open_app(str(path), daily_backup=False)
    registers_before = 0
    with app.db.session() as s:
        registers.save(s, "organisations", None, {"name": "备份里的单位"})
        registers_before = s.scalar(select(func.count()).select_from(Organisation))
    app.backup("manual")
    app.close()
    with path.open("r+b") as fh:
        fh.write(b"\0" * 100)

    win = MainWindow()
    qtbot.addWidget(win)
    starter = Starter(win)
    questions: list[tuple[str, list[str]]] = []

    def ask(title: str, text: str, options: list[str]) -> str:
        questions.append((text, options))
        return "从备份恢复"

    starter.ask = ask  # type: ignore[method-assign]
    starter.say = lambda title, text: None  # type: ignore[method-assign]
    opened = starter.start(str(path))
    assert opened is not None
    text, options = questions[0]
    assert "损坏" in text and "1 个单位" in text and options == ["从备份恢复", "选择其他数据库文件…", "退出"]
    with opened.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Organisation)) == registers_before
    assert [p for p in tmp_path.iterdir() if ".damaged-" in p.name]  # the damaged file is kept
    starter.close()


def test_unusable_database_offers_another_file_or_quit(qtbot: Any, tmp_path: Path) -> None:
    foreign = tmp_path / "other.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    win = MainWindow()
    qtbot.addWidget(win)
    starter = Starter(win)
    asked: list[list[str]] = []
    starter.ask = lambda title, text, options: asked.append(options) or "退出"  # type: ignore[method-assign]
    assert starter.start(str(foreign)) is None
    assert starter.exit_code == 1 and asked == [["选择其他数据库文件…", "退出"]]
    assert foreign.stat().st_size > 0


def test_screenshot_render(demo_app: App, db_path: Path, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    from ui.screenshot import render

    out = render(str(db_path), "organisations", (1024, 700), tmp_path / "shot.png")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1024, 700)


def test_excepthook_logs_and_shows_the_crash_dialog(qtbot: Any, monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    import ui.dialogs.crash as crash

    shown: list[type[BaseException]] = []
    monkeypatch.setattr(crash, "show_crash", lambda t, e, tb: shown.append(t))
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        crash.excepthook(RuntimeError, exc, exc.__traceback__)
    assert shown == [RuntimeError]
    assert "unhandled exception" in caplog.text
    assert QApplication.instance() is not None


def test_the_window_modules_import_no_data_layer() -> None:
    import subprocess
    import sys

    from tests.support import ROOT

    code = ("import sys, ui.app, ui.main_window, ui.kit.tab; "
            "print(sorted(m for m in ('sqlalchemy', 'openpyxl', 'reportlab') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_start_gui_paints_first_then_opens_and_switches(qtbot: Any, db_path: Path, tmp_path: Path,
                                                        app_ctx: App) -> None:
    from ui.app import start_gui

    window, starter = start_gui(str(db_path))
    qtbot.addWidget(window)
    assert window.isVisible() and window.app is None  # painted before the database opened
    qtbot.waitUntil(lambda: window.app is not None and window.tabs["workers"].is_loaded, timeout=20_000)
    assert window.db_label.text() == f"数据库：{db_path}"
    other = tmp_path / "second.sqlite3"
    assert starter.switch(str(other))
    assert window.app is not None and window.app.db.path == other.resolve()
    qtbot.waitUntil(lambda: window.tabs["workers"].is_loaded, timeout=20_000)
    assert window.count_label.text() == "职工：0 条记录"
    assert window.tabs["workers"].view.empty.isVisible()
    from db.lock import WindowLock

    released = WindowLock(db_path)  # keyed by the file's identity, not a file beside it
    assert released.try_acquire()  # released on switching
    released.release()
    starter.close()


def test_run_gui_exits_1_when_another_window_has_the_file(qtbot: Any, db_path: Path, app_ctx: App,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.app

    holder = MainWindow()
    qtbot.addWidget(holder)
    first = Starter(holder)
    assert first.start(str(db_path)) is not None
    told: list[str] = []
    import ui.dialogs.crash

    monkeypatch.setattr(ui.dialogs.crash, "install_excepthook", lambda: None)
    monkeypatch.setattr(ui.app.screen, "install", lambda qapp: None)  # not for the rest of the run
    monkeypatch.setattr(Starter, "say", lambda self, title, text: told.append(text))
    # Closing run_gui's window would post a Quit that lands after its exec() has returned and
    # leaves the test's QApplication quitting: later tests' jobs would never report back.
    QApplication.setQuitOnLastWindowClosed(False)
    try:
        assert ui.app.run_gui(str(db_path)) == 1
    finally:
        QApplication.setQuitOnLastWindowClosed(True)
    assert told and ALREADY_OPEN in told[0]
    first.close()
