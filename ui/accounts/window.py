"""The main window's account parts: the signed-in account in the status bar, 切换账户 and 修改密码
in the 文件 menu, the idle lock, and the menu actions greyed out by permission.

``install(window)`` is called once by the main window; ``refresh(window)`` after every attach
(and after an account switch).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QLabel

from desktop.accounts import roles
from ui.accounts.idle_lock import IdleLock
from ui.accounts.permits import PERMISSION_PROPERTY
from ui.accounts.sign_in import user_text

#: ui.main_window.MainWindow (not imported: it imports this module)
MainWindow = Any

#: The window's menu actions (attribute names) and the permission each needs.
ACTION_PERMISSIONS = {
    "settings_action": roles.SETTINGS,
    "import_workers_action": roles.WRITE,
    "import_orgs_action": roles.WRITE,
    "export_action": roles.PRINT,
    "backup_action": roles.WRITE,
    "backup_folder_action": roles.WRITE,
    "restore_action": roles.RESTORE,
    "certificate_centre_action": roles.WRITE,
    "audit_log_action": roles.MANAGE_ACCOUNTS,
}


def tr(text: str) -> str:
    return QCoreApplication.translate("AccountsWindow", text)


def install(window: MainWindow) -> None:
    window.user_label = QLabel("", window)
    window.user_label.setObjectName("userStatus")
    window.statusBar().addPermanentWidget(window.user_label)
    window.idle_lock = IdleLock(window, lambda: window.app, lambda: switched(window))
    for name, permission in ACTION_PERMISSIONS.items():
        action = getattr(window, name, None)
        if action is not None:
            action.setProperty(PERMISSION_PROPERTY, permission)
    window.reports_menu.menuAction().setProperty(PERMISSION_PROPERTY, roles.PRINT)
    window.app_attached.connect(lambda: refresh(window))
    from ui.kit.changes import listen

    listen(window, ("settings",), lambda _changes: window.idle_lock.configure())  # a new idle time applies at once


def refresh(window: MainWindow) -> None:
    """Status bar, account actions, the idle time: after attaching a database or switching account."""
    app = window.app
    window.user_label.setText(user_text(app))
    window.user_label.setVisible(bool(window.user_label.text()))
    accounts = app is not None and app.has_accounts
    for action in (getattr(window, "switch_account_action", None), getattr(window, "change_password_action", None)):
        if action is not None:
            action.setVisible(accounts)
            action.setEnabled(accounts)
    if app is not None:
        window.reports_menu.setEnabled(app.can(roles.PRINT) and not window.reports_menu.isEmpty())
    window.idle_lock.configure()


def switched(window: MainWindow) -> None:
    """Another account signed in: every open dialog of the previous one closes, the tabs are built
    again (buttons greyed out for the new account, nothing revealed stays shown)."""
    for widget in QCoreApplication.instance().topLevelWidgets():  # type: ignore[union-attr]
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()
    app = window.app
    if app is not None:
        window.attach_app(app)  # emits app_attached: refresh() runs


def switch_account(window: MainWindow) -> bool:
    """文件 → 切换账户…"""
    from ui.accounts.sign_in import sign_in

    app = window.app
    if app is None or not app.has_accounts:
        return False
    before = app.user
    if not sign_in(window, app, switching=True):
        return False
    if app.user != before:
        switched(window)
    return True


def change_password(window: MainWindow) -> None:
    """文件 → 修改密码…"""
    from ui.accounts.passwords import change_own_password
    from ui.dialogs.common import keep_open

    app = window.app
    if app is None or app.user is None:
        return
    keep_open(change_own_password(window, app)).open()
