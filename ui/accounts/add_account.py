"""新建账户: login name, name, role, the sensitive-information permission, the first password twice."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from db.errors import DatabaseProblem, ValidationError
from desktop.accounts import roles
from desktop.context import App
from ui.accounts.common import announce_result, label, password_edit, password_problem, role_labels, service
from ui.dialogs.common import error_label, hint_label, show_error


def tr(text: str) -> str:
    return QCoreApplication.translate("AddAccountDialog", text)


class AddAccountDialog(QDialog):
    def __init__(self, parent: QWidget | None, app: App) -> None:
        super().__init__(parent)
        self.app = app
        self.created = ""
        self.setObjectName("addAccountDialog")
        self.setWindowTitle(tr("新建账户"))
        self.setMinimumWidth(460)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("accountName")
        self.display_edit = QLineEdit()
        self.display_edit.setObjectName("accountDisplayName")
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("accountRole")
        for code, text in role_labels().items():
            self.role_combo.addItem(text, code)
        self.role_combo.setCurrentIndex(self.role_combo.findData(roles.CLERK))
        self.sensitive_check = QCheckBox(tr("敏感信息权限（查看完整号码、打开敏感信息）"))
        self.sensitive_check.setObjectName("accountSensitive")
        holder = app.can(roles.SENSITIVE)
        self.sensitive_check.setEnabled(holder)
        if not holder:
            self.sensitive_check.setToolTip(tr("只有本身具有敏感信息权限的账户才能授予"))
        self.password = password_edit(name="accountPassword")
        self.again = password_edit(name="accountPasswordAgain")
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(label("name") + tr("："), self.name_edit)
        form.addRow(label("display_name") + tr("："), self.display_edit)
        form.addRow(label("role") + tr("："), self.role_combo)
        form.addRow("", self.sensitive_check)
        form.addRow(tr("初始密码："), self.password)
        form.addRow(tr("再输一次："), self.again)
        self.message = error_label()
        self.message.setObjectName("addAccountMessage")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("新建"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint_label(tr("请把初始密码当面告诉本人，并请其登录后在“文件 → 修改密码…”中修改。")))
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.name_edit.setFocus()

    def save(self) -> bool:
        name = self.name_edit.text().strip()
        if not name:
            show_error(self.message, tr("请填写{0}。").format(label("name")))
            return False
        problem = password_problem(self.password.text(), self.again.text())
        if problem:
            show_error(self.message, problem)
            return False
        try:
            announce_result(service().create_account(
                self.app, name, self.display_edit.text().strip(), self.password.text(),
                str(self.role_combo.currentData()), sensitive=self.sensitive_check.isChecked()))
        except (DatabaseProblem, ValidationError) as exc:
            show_error(self.message, exc.message)
            return False
        self.created = name
        self.accept()
        return True
