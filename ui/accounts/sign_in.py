"""The sign-in dialog: login name and password, the service's own messages (a wrong password with
the tries left, an account locked until HH:MM) in red under the fields; 退出 quits cleanly.

Shown by ``ui.app.Starter`` before the main window shows any data when the database has accounts,
and by 切换账户 (the menu and the lock screen). ``sign_in(app, name, password)`` of
``desktop.accounts.service`` does the checking, the lockout and setting ``app.user``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from db.errors import DatabaseProblem, ValidationError
from desktop.accounts.roles import SignedIn
from desktop.context import App
from ui.accounts.common import label, password_edit, role_label, service
from ui.dialogs.common import error_label, show_error
from ui.kit.headed_dialog import accept_reject, headed_layout


def tr(text: str) -> str:
    return QCoreApplication.translate("SignInDialog", text)


def user_text(app: App | None) -> str:
    """The status bar's account: 「张三（管理员）」, or empty without accounts."""
    user = app.user if app is not None else None
    if user is None:
        return ""
    return tr("账户：{0}（{1}）").format(user.display_name or user.name, role_label(user.role))


class SignInDialog(QDialog):
    """登录: ``signed_in`` holds the account once the service accepted the password."""

    def __init__(self, parent: QWidget | None, app: App, *, switching: bool = False, name: str = "") -> None:
        super().__init__(parent)
        self.app = app
        self.signed_in: SignedIn | None = None
        self.setObjectName("signInDialog")
        self.setWindowTitle(tr("切换账户") if switching else tr("登录工会工作台"))
        self.setMinimumWidth(420)

        self.name_edit = QLineEdit(name)
        self.name_edit.setObjectName("loginName")
        self.password_edit = password_edit(name="password")
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(label("name") + tr("："), self.name_edit)
        form.addRow(tr("密码："), self.password_edit)
        self.message = error_label()
        self.message.setObjectName("signInMessage")

        buttons, self.sign_in_button, self.cancel_button = accept_reject(
            tr("登录"), tr("取消") if switching else tr("退出"), self.try_sign_in, self.reject)
        layout, _where = headed_layout(self, tr("切换账户") if switching else tr("请登录"),
                                       tr("数据库：{0}").format(app.display))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(buttons)
        (self.password_edit if name else self.name_edit).setFocus()

    def try_sign_in(self) -> bool:
        name = self.name_edit.text().strip()
        password = self.password_edit.text()
        if not name:
            show_error(self.message, tr("请填写{0}。").format(label("name")))
            self.name_edit.setFocus()
            return False
        if not password:
            show_error(self.message, tr("请输入密码。"))
            self.password_edit.setFocus()
            return False
        try:
            user = service().sign_in(self.app, name, password)
        except (DatabaseProblem, ValidationError) as exc:  # wrong password (tries left), locked until …
            show_error(self.message, exc.message)
            self.password_edit.clear()
            self.password_edit.setFocus()
            return False
        if isinstance(user, SignedIn):
            self.app.user = user
        self.signed_in = self.app.user
        show_error(self.message, None)
        self.accept()
        return True


def sign_in(parent: QWidget | None, app: App, *, switching: bool = False) -> bool:
    """Ask for an account until one signs in (True) or the clerk gives up (False)."""
    dialog = SignInDialog(parent, app, switching=switching)
    return dialog.exec() == QDialog.DialogCode.Accepted and dialog.signed_in is not None
