"""Signing in (wrong, right, locked out), the start-up sign-in, the status bar, and the idle lock."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop.accounts import service
from tests.accounts_gui.conftest import ADMIN_NAME, ADMIN_PASSWORD, shot
from ui.accounts.sign_in import SignInDialog


def _try(qtbot: Any, dialog: SignInDialog, name: str, password: str) -> None:
    dialog.name_edit.setText(name)
    dialog.password_edit.setText(password)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)


def test_sign_in_wrong_then_right(qtbot: Any, look: None, admin_app: Any) -> None:
    service.sign_out(admin_app)
    assert admin_app.user is None
    dialog = SignInDialog(None, admin_app)
    qtbot.addWidget(dialog)
    dialog.show()
    _try(qtbot, dialog, ADMIN_NAME, "wrong-password")
    assert dialog.message.isVisible()
    assert "还可尝试 4 次" in dialog.message.text()
    assert dialog.password_edit.text() == ""  # cleared for the next try
    assert dialog.result() == 0 and admin_app.user is None
    shot(dialog, "sign_in")
    _try(qtbot, dialog, ADMIN_NAME, ADMIN_PASSWORD)
    assert dialog.result() == SignInDialog.DialogCode.Accepted
    assert admin_app.user is not None and admin_app.user.name == ADMIN_NAME


def test_five_wrong_passwords_lock_the_account(qtbot: Any, admin_app: Any) -> None:
    service.sign_out(admin_app)
    dialog = SignInDialog(None, admin_app)
    qtbot.addWidget(dialog)
    dialog.show()
    for _ in range(5):
        _try(qtbot, dialog, ADMIN_NAME, "wrong-password")
    text = dialog.message.text()
    assert "账户已锁定" in text and "后再试" in text
    _try(qtbot, dialog, ADMIN_NAME, ADMIN_PASSWORD)  # even the right password waits now
    assert "账户已锁定" in dialog.message.text()
    assert admin_app.user is None


def test_empty_fields_are_named(qtbot: Any, admin_app: Any) -> None:
    dialog = SignInDialog(None, admin_app)
    qtbot.addWidget(dialog)
    _try(qtbot, dialog, "", "")
    assert "登录名" in dialog.message.text()


def _answer_sign_in(qtbot: Any, name: str, password: str | None) -> None:
    """When the sign-in dialog is up: fill it and sign in (password None: 退出)."""
    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SignInDialog):
            QTimer.singleShot(20, answer)
            return
        if password is None:
            qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        else:
            _try(qtbot, dialog, name, password)

    QTimer.singleShot(0, answer)


def test_start_asks_for_an_account_before_showing_data(qtbot: Any, window: Any, admin_app: Any,
                                                       db_path: Path) -> None:
    from ui.app import Starter

    starter = Starter(window, interactive=True, daily_backup=False)
    _answer_sign_in(qtbot, ADMIN_NAME, ADMIN_PASSWORD)
    app = starter.start(str(db_path))
    try:
        assert app is not None and app.user is not None and app.user.name == ADMIN_NAME
        assert window.app is app
        assert window.user_label.isVisible() or window.user_label.text()
        assert window.user_label.text() == "账户：王管理（管理员）"
        assert window.switch_account_action.isVisible() and window.change_password_action.isEnabled()
    finally:
        starter.close()


def test_cancel_at_start_quits_cleanly(qtbot: Any, window: Any, admin_app: Any, db_path: Path) -> None:
    from ui.app import Starter

    starter = Starter(window, interactive=True, daily_backup=False)
    codes: list[int] = []
    starter.gave_up.connect(codes.append)
    _answer_sign_in(qtbot, ADMIN_NAME, None)
    assert starter.start(str(db_path)) is None
    assert codes == [0] and starter.exit_code == 0
    assert window.app is None and starter.lock is None


def test_idle_lock_locks_and_unlocks(qtbot: Any, window: Any, admin_app: Any) -> None:
    window.attach_app(admin_app)
    lock = window.idle_lock
    lock.configure(seconds=0.3)
    qtbot.waitUntil(lambda: lock.locked, timeout=5000)
    screen = lock.screen
    assert screen is not None and screen.isVisible()
    assert not window.centralWidget().isVisible()  # the data is not painted at all
    assert screen.geometry() == window.rect() and not window.menuBar().isEnabled()
    shot(window, "lock_screen")
    qtbot.keyClicks(screen.password, "wrong-password")
    qtbot.keyClick(screen.password, Qt.Key.Key_Return)  # Enter in the field, as a clerk would
    assert lock.locked and "不正确" in screen.message.text()
    qtbot.keyClicks(screen.password, ADMIN_PASSWORD)
    screen.unlock_button.click()
    assert not lock.locked
    assert window.centralWidget().isVisible() and window.menuBar().isEnabled()


def test_input_keeps_the_window_unlocked(qtbot: Any, window: Any, admin_app: Any) -> None:
    window.attach_app(admin_app)
    lock = window.idle_lock
    lock.configure(seconds=0.6)
    for _ in range(6):
        qtbot.wait(150)
        qtbot.mouseMove(window, window.rect().center())
        qtbot.keyClick(window, Qt.Key.Key_Shift)
    assert not lock.locked


def test_no_idle_lock_without_accounts_or_at_zero(qtbot: Any, window: Any, app_ctx: Any) -> None:
    window.attach_app(app_ctx)
    lock = window.idle_lock
    lock.configure(seconds=0.2)
    qtbot.wait(600)
    assert not lock.locked and lock.idle_seconds == 0
    assert not window.switch_account_action.isVisible()
    assert window.user_label.text() == ""


def test_idle_minutes_come_from_the_settings(window: Any, admin_app: Any) -> None:
    admin_app.save_settings({"idle_lock_minutes": 3})
    window.attach_app(admin_app)
    assert window.idle_lock.idle_seconds == 180
    admin_app.save_settings({"idle_lock_minutes": 0})
    window.idle_lock.configure()
    assert window.idle_lock.idle_seconds == 0


def test_switch_account_from_the_lock_screen(qtbot: Any, window: Any, admin_app: Any) -> None:
    service.create_account(admin_app, "clerk1", "赵经办", "clerk-pass-1", "clerk")
    window.attach_app(admin_app)
    lock = window.idle_lock
    lock.configure(seconds=0.2)
    qtbot.waitUntil(lambda: lock.locked, timeout=5000)
    _answer_sign_in(qtbot, "clerk1", "clerk-pass-1")
    qtbot.mouseClick(lock.screen.switch_button, Qt.MouseButton.LeftButton)
    assert not lock.locked and admin_app.user.name == "clerk1"
    assert window.user_label.text() == "账户：赵经办（经办人）"
    assert not window.settings_action.isEnabled() and not window.restore_action.isEnabled()
    assert window.import_workers_action.isEnabled()
    shot(window, "window_signed_in")
