"""修改密码 (everyone, their own: the old password, the new one twice) and 重置密码 (an administrator
for another account: the new one twice)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from db.errors import DatabaseProblem, ValidationError
from desktop.context import App
from ui.accounts.common import MIN_PASSWORD, announce_result, password_edit, password_problem
from ui.dialogs.common import error_label, hint_label, show_error


def tr(text: str) -> str:
    return QCoreApplication.translate("PasswordDialog", text)


class PasswordDialog(QDialog):
    """The new password twice (and the old one for one's own); ``submit(old, new)`` stores it."""

    def __init__(self, parent: QWidget | None, title: str, intro: str, submit: Callable[[str, str], object],
                 *, ask_old: bool) -> None:
        super().__init__(parent)
        self.setObjectName("passwordDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.submit = submit
        self.old_edit = password_edit(name="oldPassword") if ask_old else None
        self.new_edit = password_edit(name="newPassword")
        self.again_edit = password_edit(name="againPassword")
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if self.old_edit is not None:
            form.addRow(tr("原密码："), self.old_edit)
        form.addRow(tr("新密码："), self.new_edit)
        form.addRow(tr("再输一次："), self.again_edit)
        self.message = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("确定"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        heading = QLabel(intro)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(hint_label(tr("至少 {0} 个字符；请不要用生日、电话号码等容易猜到的密码。").format(MIN_PASSWORD)))
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        (self.old_edit or self.new_edit).setFocus()

    def save(self) -> bool:
        old = self.old_edit.text() if self.old_edit is not None else ""
        if self.old_edit is not None and not old:
            show_error(self.message, tr("请输入原密码。"))
            return False
        problem = password_problem(self.new_edit.text(), self.again_edit.text())
        if problem:
            show_error(self.message, problem)
            return False
        try:
            announce_result(self.submit(old, self.new_edit.text()))
        except (DatabaseProblem, ValidationError) as exc:
            show_error(self.message, exc.message)
            return False
        self.accept()
        return True


def change_own_password(parent: QWidget | None, app: App) -> PasswordDialog:
    from ui.accounts.common import service

    who = app.user.display_name or app.user.name if app.user is not None else ""
    dialog = PasswordDialog(parent, tr("修改密码"), tr("修改 {0} 的登录密码。").format(who),
                            lambda old, new: service().change_password(app, old, new), ask_old=True)
    return dialog


def reset_password(parent: QWidget | None, app: App, account_id: int, who: str) -> PasswordDialog:
    from ui.accounts.common import service

    return PasswordDialog(parent, tr("重置密码"),
                          tr("为 {0} 设置新密码。请当面告诉本人，并请其登录后自己修改。").format(who),
                          lambda _old, new: service().reset_password(app, account_id, new), ask_old=False)
