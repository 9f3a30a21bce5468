"""The 账户 page in Settings, 修改密码, and what a 只读 account sees greyed out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop.accounts import service
from tests.accounts_gui.conftest import ADMIN_NAME, ADMIN_PASSWORD, shot
from tests.conftest import insert_handful
from ui.accounts.add_account import AddAccountDialog
from ui.dialogs.settings import SettingsDialog

READER, READER_PASSWORD = "reader", "reader-pass-1"


def _when_modal(cls: type, act: Any) -> None:
    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, cls):
            QTimer.singleShot(20, answer)
            return
        act(dialog)

    QTimer.singleShot(0, answer)


def _add_reader(qtbot: Any, page: Any, *, role_label: str = "只读", password2: str = READER_PASSWORD) -> Any:
    seen: list[Any] = []

    def fill(dialog: AddAccountDialog) -> None:
        seen.append(dialog)
        dialog.name_edit.setText(READER)
        dialog.display_edit.setText("李只读")
        dialog.role_combo.setCurrentIndex(dialog.role_combo.findText(role_label))
        dialog.password.setText(READER_PASSWORD)
        dialog.again.setText(password2)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        if dialog.isVisible():  # refused: close it so the test goes on
            seen.append(dialog.message.text())
            dialog.reject()

    _when_modal(AddAccountDialog, fill)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    return seen


@pytest.fixture
def settings(qtbot: Any, look: None, admin_app: Any) -> SettingsDialog:
    dialog = SettingsDialog(None, admin_app)
    qtbot.addWidget(dialog)
    dialog.resize(760, 600)
    dialog.show()
    assert dialog.accounts_page is not None
    dialog.tabs.setCurrentWidget(dialog.accounts_page)
    return dialog


def test_admin_adds_a_readonly_account(qtbot: Any, settings: SettingsDialog, admin_app: Any) -> None:
    page = settings.accounts_page
    _add_reader(qtbot, page)
    names = [page.table.item(r, 0).text() for r in range(page.table.rowCount())]
    assert names == [ADMIN_NAME, READER]
    row = names.index(READER)
    assert page.table.item(row, 2).text() == "只读"
    assert page.table.item(row, 4).text() == "正常"
    page.select_name(READER)
    shot(settings, "accounts_page")
    rows = {r["name"]: r for r in service.account_rows(admin_app)}
    assert rows[READER]["role"] == "readonly" and not rows[READER]["sensitive"]


def test_mismatched_passwords_create_nothing(qtbot: Any, settings: SettingsDialog, admin_app: Any) -> None:
    seen = _add_reader(qtbot, settings.accounts_page, password2="other-pass-2")
    assert "不一致" in seen[-1]
    assert [r["name"] for r in service.account_rows(admin_app)] == [ADMIN_NAME]


def test_role_sensitive_disable_unlock(qtbot: Any, settings: SettingsDialog, admin_app: Any,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.accounts import page as page_module

    page = settings.accounts_page
    _add_reader(qtbot, page)
    page.select_name(READER)
    monkeypatch.setattr(page_module, "ask_role", lambda _p, _who, _current: "clerk")
    qtbot.mouseClick(page.role_button, Qt.MouseButton.LeftButton)
    assert page.table.item(1, 2).text() == "经办人"
    assert page.sensitive_button.text() == "授予敏感信息权限"
    qtbot.mouseClick(page.sensitive_button, Qt.MouseButton.LeftButton)
    assert page.table.item(1, 3).text() == "有" and page.sensitive_button.text() == "收回敏感信息权限"
    qtbot.mouseClick(page.sensitive_button, Qt.MouseButton.LeftButton)
    assert page.table.item(1, 3).text() == ""
    # five wrong passwords lock it; 解锁 frees it
    for _ in range(5):
        with pytest.raises(Exception):  # noqa: B017  (PermissionDenied each time)
            service.sign_in(admin_app, READER, "wrong-password")
    service.sign_in(admin_app, ADMIN_NAME, ADMIN_PASSWORD)
    page.reload()
    page.select_name(READER)
    assert page.table.item(1, 4).text().startswith("已锁定至")
    assert page.unlock_button.isEnabled()
    qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    assert page.table.item(1, 4).text() == "正常"
    monkeypatch.setattr(page_module, "confirm", lambda *_a: True)
    qtbot.mouseClick(page.disable_button, Qt.MouseButton.LeftButton)
    assert page.table.item(1, 4).text() == "已停用"
    assert not page.reset_button.isEnabled()


def test_the_last_admin_cannot_be_demoted(qtbot: Any, settings: SettingsDialog,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.accounts import page as page_module

    page = settings.accounts_page
    page.select_name(ADMIN_NAME)
    monkeypatch.setattr(page_module, "ask_role", lambda _p, _who, _current: "readonly")
    warned: list[str] = []
    monkeypatch.setattr("ui.accounts.common.QMessageBox.warning", lambda _p, _t, text: warned.append(text))
    qtbot.mouseClick(page.role_button, Qt.MouseButton.LeftButton)
    assert warned and "管理员" in warned[0]
    assert page.table.item(0, 2).text() == "管理员"


def test_print_recovery_sheet(qtbot: Any, settings: SettingsDialog, no_recovery_dialogs: list[Path]) -> None:
    qtbot.mouseClick(settings.accounts_page.recovery_button, Qt.MouseButton.LeftButton)
    assert len(no_recovery_dialogs) == 1 and no_recovery_dialogs[0].is_file()
    assert no_recovery_dialogs[0].read_bytes().startswith(b"%PDF")


def test_change_own_password(qtbot: Any, admin_app: Any) -> None:
    from ui.accounts.passwords import change_own_password

    dialog = change_own_password(None, admin_app)
    qtbot.addWidget(dialog)
    dialog.old_edit.setText("wrong-password")
    dialog.new_edit.setText("new-admin-pass")
    dialog.again_edit.setText("new-admin-pass")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "原密码错误" in dialog.message.text()
    dialog.old_edit.setText(ADMIN_PASSWORD)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    service.sign_out(admin_app)
    assert service.sign_in(admin_app, ADMIN_NAME, "new-admin-pass").name == ADMIN_NAME


def test_readonly_account_sees_writes_and_whole_numbers_greyed(qtbot: Any, window: Any, open_tab: Any,
                                                               settings: SettingsDialog, admin_app: Any) -> None:
    insert_handful(admin_app)
    _add_reader(qtbot, settings.accounts_page)
    settings.hide()
    service.sign_in(admin_app, READER, READER_PASSWORD)
    assert admin_app.user.role == "readonly"

    window.attach_app(admin_app)
    assert window.user_label.text() == "账户：李只读（只读）"
    for name in ("settings_action", "import_workers_action", "restore_action", "backup_action"):
        assert not getattr(window, name).isEnabled(), name
    assert window.export_action.property("ud_permission") == "print"

    from ui.programmes.workers.tab import WorkersTab

    tab = open_tab(WorkersTab, admin_app, (1000, 600))
    tab.select_id(tab.model.record_id(0))
    for button in (tab.add_button, tab.edit_button, tab.delete_button, tab.import_button, tab.reveal_button):
        assert not button.isEnabled(), button.text()
    assert tab.export_button.isEnabled()  # masked numbers may be exported

    from ui.dialogs.exporting import ExportDialog

    export = ExportDialog(None, admin_app, "workers", tab.visible_ids())
    qtbot.addWidget(export)
    export.show()
    assert not export.full_check.isEnabled()


def test_a_refused_click_shows_the_services_message(qtbot: Any, admin_app: Any, monkeypatch: pytest.MonkeyPatch,
                                                     settings: SettingsDialog) -> None:
    """A button that slipped through (the account changed since the page opened) gets the refusal."""
    page = settings.accounts_page
    _add_reader(qtbot, page)
    service.sign_in(admin_app, READER, READER_PASSWORD)
    warned: list[str] = []
    monkeypatch.setattr("ui.accounts.common.QMessageBox.warning", lambda _p, _t, text: warned.append(text))
    page.select_name(READER)
    monkeypatch.setattr("ui.accounts.page.ask_role", lambda *_a: "clerk")
    assert not page.change_role()
    assert warned and "没有权限" in warned[0]
