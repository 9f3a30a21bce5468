"""Item 7 of issue 11 in the register kit: the edit form masks ID and phone (显示 is logged, 重填
replaces), a used worker is refused before 确定删除?, headings fit at 100 % and 125 %, changes
are announced and every view of the table refreshes itself, sidebar shortcuts."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLineEdit, QListWidget, QWidget
from sqlalchemy import func, select

from db.models.core.registers import Organisation, Worker
from db.models.system import AuditEntry
from desktop import registry
from desktop.changes import Changes
from desktop.context import App
from desktop.programmes.core import registers
from ui.kit.changes import announce
from ui.kit.form import RecordForm
from ui.kit.tab import section_shortcuts
from ui.programmes.workers.tab import WorkersTab

LEFT = Qt.MouseButton.LeftButton


pytestmark = pytest.mark.usefixtures("look")


@pytest.fixture
def tab(open_tab: Any, demo_app: App) -> WorkersTab:
    return open_tab(WorkersTab, demo_app, (1280, 700))


def open_edit(tab: WorkersTab, record_id: int) -> RecordForm:
    form = tab.edit_record(record_id)
    assert form is not None
    return form


def reveals(app: App, record_id: int) -> list[str]:
    with app.db.session() as s:
        return list(s.scalars(select(AuditEntry.note).where(AuditEntry.action == "reveal",
                                                            AuditEntry.record_id == record_id)))


def worker_with_phone(app: App) -> Worker:
    with app.db.session() as s:
        w = s.scalars(select(Worker).where(Worker.phone.is_not(None)).order_by(Worker.id)).first()
        assert w is not None
        s.expunge(w)
        return w


def test_edit_form_masks_id_and_phone_and_saves_them_unchanged(tab: WorkersTab, demo_app: App) -> None:
    w = worker_with_phone(demo_app)
    form = open_edit(tab, w.id)
    id_edit, phone_edit = form.editors["id_number"].widget, form.editors["phone"].widget
    assert isinstance(id_edit, QLineEdit) and isinstance(phone_edit, QLineEdit)
    assert id_edit.text() == "*" * 15 + w.id_number[-3:] and id_edit.isReadOnly()
    assert phone_edit.text() == w.phone[:3] + "****" + w.phone[7:]
    assert w.id_number not in {e.widget.text() for e in form.editors.values() if isinstance(e.widget, QLineEdit)}
    assert form.editors["birth_date"].widget.text() == w.birth_date.isoformat()[:7]  # type: ignore[union-attr]
    assert reveals(demo_app, w.id) == []  # opening the form shows nothing whole
    assert "id_number" not in form.values() and "phone" not in form.values()
    trade = form.editors["trade"].widget
    assert isinstance(trade, QLineEdit)
    trade.setText("模具钳工")
    assert form.ok_button.isEnabled()
    form.save()
    with demo_app.db.session() as s:
        saved = s.get(Worker, w.id)
        assert saved is not None and saved.trade == "模具钳工"
        assert saved.id_number == w.id_number and saved.phone == w.phone


def test_reveal_in_the_edit_form_is_logged_and_replace_takes_a_new_number(tab: WorkersTab, demo_app: App) -> None:
    w = worker_with_phone(demo_app)
    form = open_edit(tab, w.id)
    button = form.editors["id_number"].reveal_button
    assert button is not None and button.isVisible() and button.text() == "显示"
    button.click()
    assert form.editors["id_number"].widget.text() == w.id_number  # type: ignore[attr-defined]
    assert form.editors["birth_date"].widget.text() == w.birth_date.isoformat()  # type: ignore[union-attr,attr-defined]
    assert reveals(demo_app, w.id) == ["id_number"]
    replace = form.editors["phone"].replace_button
    assert replace is not None
    replace.click()  # a new number without showing the old one
    phone = form.editors["phone"].widget
    assert isinstance(phone, QLineEdit) and phone.text() == "" and not phone.isReadOnly()
    assert reveals(demo_app, w.id) == ["id_number"]
    phone.setText("1380000")  # not a mobile: the importer's rule, from the field's validator
    form.editors["phone"].touched = True
    form.revalidate()
    assert not form.ok_button.isEnabled() and "不是手机号码" in form.editors["phone"].error.text()
    phone.setText("139 0574 6688")
    assert form.ok_button.isEnabled()
    form.save()
    with demo_app.db.session() as s:
        assert s.get(Worker, w.id).phone == "13905746688"  # type: ignore[union-attr]


def test_a_gender_against_the_masked_id_is_still_refused(tab: WorkersTab, demo_app: App) -> None:
    w = worker_with_phone(demo_app)
    form = open_edit(tab, w.id)
    gender = form.editors["gender"].widget
    other = "female" if w.gender == "male" else "male"
    gender.setCurrentIndex(gender.findData(other))  # type: ignore[attr-defined]
    assert not form.ok_button.isEnabled() and "与身份证号不符" in form.editors["gender"].error.text()
    assert w.id_number not in form.editors["gender"].error.text()
    with pytest.raises(Exception, match="与身份证号不符"):
        registers.save_record(demo_app, "workers", w.id, {"gender": other})


def test_a_worker_in_a_programme_is_refused_before_any_question(tab: WorkersTab, demo_app: App,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    with demo_app.db.session() as s:
        used = next(wid for wid in s.scalars(select(Worker.id).order_by(Worker.id))
                    if [f for f in registry.worker_facts(s, wid) if f.programme != "workers"])
    asked: list[str] = []
    refused: list[str] = []
    monkeypatch.setattr(tab, "confirm", lambda title, text: asked.append(text) or True)
    monkeypatch.setattr(tab, "delete_refused", lambda rid, message: refused.append(message))
    assert tab.select_id(used)
    tab.delete_selected()
    assert asked == [] and refused and refused[0].startswith("不能删除")
    assert tab.model.row_of(used) is not None
    assert registers.refusal(demo_app, "workers", used) == refused[0]


def test_a_free_worker_is_confirmed_then_deleted_and_every_view_drops_it(tab: WorkersTab, demo_app: App,
                                                                        qtbot: Any,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.support import valid_id

    done = registers.save_record(demo_app, "workers", None, {"name": "临时工甲", "id_number": valid_id(seq=777)})
    assert done.changes.ids("workers") == {done.value} and "临时工甲" in done.changes.message
    announce(done.changes)  # the tab re-reads the announced row
    assert tab.model.row_of(done.value) is not None and tab.model.total() == 301
    other = WorkersTab(demo_app)  # a second view of the same table
    qtbot.addWidget(other)
    other.load()
    asked: list[str] = []
    monkeypatch.setattr(tab, "confirm", lambda title, text: asked.append(text) or True)
    assert tab.select_id(done.value)
    tab.delete_selected()
    assert asked and "临时工甲" in asked[0]
    assert tab.model.row_of(done.value) is None and other.model.row_of(done.value) is None


def test_the_workers_list_follows_a_renamed_unit(tab: WorkersTab, demo_app: App, qtbot: Any) -> None:
    with demo_app.db.session() as s:
        org_id, name = s.execute(select(Organisation.id, Organisation.name).join(
            Worker, Worker.employer_id == Organisation.id).limit(1)).one()
        count = s.scalar(select(func.count()).select_from(Worker).where(Worker.employer_id == org_id))
    c = [col.name for col in tab.model.columns].index("employer_id")
    done = registers.save_record(demo_app, "organisations", org_id, {"name": name + "（改名）"})
    announce(done.changes)  # no main window: the workers tab listens to "organisations" itself
    qtbot.waitUntil(lambda: tab.is_loaded, timeout=20_000)
    shown = [tab.model.value(r, c) for r in range(tab.model.rowCount())]
    assert shown.count(name + "（改名）") == count


def test_everything_changed_is_left_to_the_window(tab: WorkersTab, monkeypatch: pytest.MonkeyPatch) -> None:
    reloads: list[int] = []
    monkeypatch.setattr(tab, "reload", lambda: reloads.append(1))
    announce(Changes.everything())
    assert reloads == []  # the main window reloads every tab once
    announce(Changes.of("workers"))  # an import: no rows named
    assert reloads == [1]


@pytest.mark.parametrize("scale", [1.0, 1.25])
def test_column_headings_fit_at_100_and_125_percent(qtbot: Any, demo_app: App, scale: float) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    font = QFont(QApplication.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    holder.setFont(font)
    t = WorkersTab(demo_app, holder)
    t.view.size_columns(t.model)
    header = t.view.horizontalHeader()
    for i, col in enumerate(t.model.columns):
        needed = header.sectionSizeFromContents(i).width()
        assert t.view.columnWidth(i) >= needed, f"{col.label}: {t.view.columnWidth(i)} < {needed}"


def test_sidebar_sections_have_shortcuts(qtbot: Any) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    nav = QListWidget(window)
    for e in registry.entries():
        nav.addItem(e.title)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    shortcuts = section_shortcuts(window, nav)
    assert len(shortcuts) == min(nav.count(), 9)
    assert nav.item(1).toolTip().endswith("（Ctrl+2）")
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert nav.currentRow() == 1


def test_withdraw_instead_of_delete_goes_through_the_service(tab: WorkersTab, demo_app: App) -> None:
    rid = tab.model.record_id(0)
    c = [col.name for col in tab.model.columns].index("member_status")
    assert tab.withdraw(rid)
    assert tab.model.value(tab.model.row_of(rid), c) == demo_app.labels()["member_status"]["withdrawn"]
    with demo_app.db.session() as s:
        assert s.get(Worker, rid).member_status == "withdrawn"  # type: ignore[union-attr]
