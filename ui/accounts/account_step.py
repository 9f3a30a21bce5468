"""The account step: create the administrator (login name, name, password twice) or choose
「不设密码（单人使用）」 with what the office gives up; on both paths the 恢复密钥 sheet is then saved
and offered to the printer.

Shown after the first-run wizard's first page (``offer_account_step``) and, alone, at the first
start of an older database that has records but no accounts (``offer_admin_setup``, asked of
``desktop.accounts.service.needs_admin_setup``). Never on headless platforms or in tests (the same
rule as the wizard).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from db.errors import DatabaseProblem, ValidationError
from desktop.accounts.roles import ADMIN
from desktop.changes import Changes
from desktop.context import App
from ui.accounts.common import label, password_edit, password_problem, service
from ui.accounts.recovery import save_recovery_sheet
from ui.dialogs.common import error_label, hint_label, keep_open, show_error
from ui.kit.changes import announce
from ui.kit.headed_dialog import accept_reject, headed_layout

GIVE_UP = (
    "不设密码时：\n"
    "• 任何能使用这台电脑的人都能打开、修改和导出全部数据；\n"
    "• 不能区分经办人，操作日志只记“经办人”设置中填写的名字；\n"
    "• 敏感信息（困难帮扶、调解等将要登记的个人隐私）不能录入，也不能查看；\n"
    "• 数据库的密钥只保存在这台电脑上：换电脑或重装系统后，要用恢复密钥表才能打开证书签名等功能。\n"
    "以后可以随时在“文件 → 设置… → 账户”中创建管理员。"
)


def tr(text: str) -> str:
    return QCoreApplication.translate("AccountStep", text)


def _wanted() -> bool:
    """The wizard's rule (ui.dialogs.first_run, which imports this module): not on the offscreen or
    minimal platforms, not with UNIONDESK_NO_WIZARD or UNIONDESK_PROBE set."""
    if QGuiApplication.platformName().strip().lower() in ("offscreen", "minimal"):
        return False
    return not any(os.environ.get(name) for name in ("UNIONDESK_NO_WIZARD", "UNIONDESK_PROBE"))


class AccountStep(QWidget):
    """The two choices and the administrator's fields."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.admin_choice = QRadioButton(tr("设置管理员账户（推荐）"))
        self.admin_choice.setObjectName("adminChoice")
        self.none_choice = QRadioButton(tr("不设密码（单人使用）"))
        self.none_choice.setObjectName("noPasswordChoice")
        group = QButtonGroup(self)
        group.addButton(self.admin_choice)
        group.addButton(self.none_choice)
        self.admin_choice.setChecked(True)

        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("adminName")
        self.name_edit.setPlaceholderText(tr("如：admin 或姓名拼音"))
        self.display_edit = QLineEdit()
        self.display_edit.setObjectName("adminDisplayName")
        self.password = password_edit(name="adminPassword")
        self.again = password_edit(name="adminPasswordAgain")
        self.fields = QWidget()
        form = QFormLayout(self.fields)
        form.setContentsMargins(22, 0, 0, 0)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(label("name") + tr("："), self.name_edit)
        form.addRow(label("display_name") + tr("："), self.display_edit)
        form.addRow(tr("密码："), self.password)
        form.addRow(tr("再输一次："), self.again)
        admin_note = hint_label(tr("管理员可以新建其他经办人的账户、分配角色和敏感信息权限。"
                                   "连续输错 5 次密码，账户会锁定 15 分钟。"))
        admin_note.setContentsMargins(22, 0, 0, 0)
        self.warning = QLabel(tr(GIVE_UP))
        self.warning.setObjectName("noPasswordWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b71c1c;")
        self.warning.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.warning.setContentsMargins(22, 0, 0, 0)
        self.message = error_label()
        self.message.setObjectName("accountStepMessage")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.admin_choice)
        layout.addWidget(self.fields)
        layout.addWidget(admin_note)
        layout.addSpacing(6)
        layout.addWidget(self.none_choice)
        layout.addWidget(self.warning)
        layout.addWidget(self.message)
        self.admin_choice.toggled.connect(self._choice_changed)
        self._choice_changed()

    def _choice_changed(self, *_args: object) -> None:
        self.fields.setEnabled(self.admin_choice.isChecked())
        self.warning.setEnabled(self.none_choice.isChecked())
        show_error(self.message, None)

    def problem(self) -> str | None:
        if self.none_choice.isChecked():
            return None
        if not self.name_edit.text().strip():
            self.name_edit.setFocus()
            return tr("请填写{0}。").format(label("name"))
        return password_problem(self.password.text(), self.again.text())

    def apply(self, app: App) -> bool:
        """Create the administrator (signed in at once) or store the 不设密码 choice."""
        problem = self.problem()
        if problem:
            show_error(self.message, problem)
            return False
        try:
            if self.none_choice.isChecked():
                changes = service().choose_no_password(app)
            else:
                changes = service().create_account(app, self.name_edit.text().strip(),
                                                   self.display_edit.text().strip(), self.password.text(), ADMIN)
        except (DatabaseProblem, ValidationError) as exc:
            show_error(self.message, exc.message)
            return False
        show_error(self.message, None)
        if isinstance(changes, Changes):
            announce(changes)
        return True


class AccountStepDialog(QDialog):
    """The step in a dialog of its own: 完成 applies it, then saves and offers the recovery sheet."""

    def __init__(self, parent: QWidget | None, app: App, *, upgrade: bool = False,
                 on_done: Callable[[], object] | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.on_done = on_done
        self.sheet = None
        self.setObjectName("accountStepDialog")
        self.setWindowTitle(tr("设置管理员") if upgrade else tr("欢迎使用工会工作台"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(640)
        layout, _intro = headed_layout(
            self, tr("请设置管理员密码") if upgrade else tr("第 2 步：账户和密码"),
            tr("本版本起，工会工作台用账户和密码保护数据：每条操作日志都记下是哪个账户做的，"
               "身份证号等只有获得授权的账户才能看到完整号码。这个数据库已有记录，请先设置管理员。")
            if upgrade else
            tr("请为本工会创建管理员账户。完成后会生成恢复密钥表：忘记所有密码或更换电脑时，要用它才能打开数据。"))
        self.step = AccountStep(self)
        buttons, self.finish_button, self.later_button = accept_reject(tr("完成"), tr("以后再说"), self.finish,
                                                                       self.reject)
        layout.addWidget(self.step)
        layout.addStretch(1)
        layout.addWidget(buttons)
        # the wrapped warning needs its whole height at the dialog's width (never cut)
        self.setMinimumHeight(layout.totalHeightForWidth(self.minimumWidth()))
        self.step.name_edit.setFocus()

    def finish(self) -> bool:
        if not self.step.apply(self.app):
            return False
        self.sheet = save_recovery_sheet(self, self.app, confirm=False)
        if self.sheet is None:
            QMessageBox.warning(self, tr("恢复密钥表"), tr("没有保存恢复密钥表。请尽快在“文件 → 设置… → 账户”中"
                                                      "点击“打印恢复密钥…”，否则忘记密码后数据无法恢复。"))
        self.accept()
        _refresh_window(self.parentWidget())
        if self.on_done is not None:
            self.on_done()
        return True


def _refresh_window(widget: QWidget | None) -> None:
    """The main window shows the new account and its permissions."""
    window = widget.window() if widget is not None else None
    if window is not None and hasattr(window, "idle_lock"):
        from ui.accounts.window import refresh

        refresh(window)  # type: ignore[arg-type]


def offer_account_step(parent: QWidget | None, app: App) -> AccountStepDialog | None:
    """After the wizard's first page: unless accounts exist or the office chose 不设密码."""
    if app.has_accounts or service().no_password(app) or not _wanted():
        return None
    dialog = AccountStepDialog(parent, app)
    keep_open(dialog).open()
    return dialog


def offer_admin_setup(parent: QWidget | None, app: App) -> AccountStepDialog | None:
    """An older database with records and no accounts: the step alone, at its first start."""
    if not _wanted() or not service().needs_admin_setup(app):
        return None
    dialog = AccountStepDialog(parent, app, upgrade=True)
    keep_open(dialog).open()
    return dialog
