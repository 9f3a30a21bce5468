"""The 账户 page of Settings (administrators: ``MANAGE_ACCOUNTS``): the accounts, 新建账户, 重置密码,
更改角色, the sensitive-information permission, 停用, 解锁, and 打印恢复密钥. Each button acts at once
through ``desktop.accounts.service`` (one audit-logged transaction each); a refusal is shown in a
dialog. A database without accounts offers 创建管理员… (the wizard's account step).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.accounts import roles
from desktop.context import App
from ui.accounts.common import announce_result, attempt, label, role_label, role_labels, service
from ui.dialogs.common import hint_label


def tr(text: str) -> str:
    return QCoreApplication.translate("AccountsPage", text)


def ask_role(parent: QWidget | None, who: str, current: str) -> str | None:
    """The new role of ``who`` (a module function: tests answer it)."""
    codes = list(role_labels())
    names = [role_label(c) for c in codes]
    chosen, ok = QInputDialog.getItem(parent, tr("更改角色"), tr("{0} 的新角色：").format(who), names,
                                      codes.index(current) if current in codes else 0, False)
    return codes[names.index(chosen)] if ok and chosen in names else None


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    return QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                QMessageBox.StandardButton.No) == QMessageBox.StandardButton.Yes


def state_text(row: dict[str, Any], now: datetime | None = None) -> str:
    if row.get("disabled_at"):
        return tr("已停用")
    until = row.get("locked_until")
    if until and until > (now or datetime.now()):
        return tr("已锁定至 {0}").format(f"{until:%H:%M}")
    return tr("正常")


class AccountsPage(QWidget):
    """账户: the table and its buttons."""

    COLUMNS = ("name", "display_name", "role", "sensitive", "state", "last_login_at")

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountsPage")
        self.app = app
        self.rows: list[dict[str, Any]] = []
        layout = QVBoxLayout(self)
        if not app.has_accounts:
            layout.addWidget(hint_label(tr("这个数据库还没有账户（不设密码，单人使用）。创建管理员后，每位经办人用自己的"
                                           "账户登录，操作日志记下账户，敏感信息只有获得授权的账户能看到。")))
            self.create_admin_button = QPushButton(tr("创建管理员…"))
            self.create_admin_button.clicked.connect(self.create_admin)
            row = QHBoxLayout()
            row.addWidget(self.create_admin_button)
            row.addStretch(1)
            layout.addLayout(row)
            layout.addStretch(1)
            return
        layout.addWidget(hint_label(tr("这里的操作立即生效（记入操作日志），不需要点“保存”。")))
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("accountsTable")
        self.table.setHorizontalHeaderLabels([label("name"), label("display_name"), label("role"),
                                              tr("敏感信息权限"), tr("状态"), label("last_login_at")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)

        self.add_button = self._button(tr("新建账户…"), self.add_account)
        self.reset_button = self._button(tr("重置密码…"), self.reset_password)
        self.role_button = self._button(tr("更改角色…"), self.change_role)
        self.sensitive_button = self._button(tr("授予敏感信息权限"), self.toggle_sensitive)
        self.disable_button = self._button(tr("停用"), self.disable)
        self.unlock_button = self._button(tr("解锁"), self.unlock)
        self.recovery_button = self._button(tr("打印恢复密钥…"), self.print_recovery)
        first = QHBoxLayout()
        for b in (self.add_button, self.reset_button, self.role_button, self.sensitive_button):
            first.addWidget(b)
        first.addStretch(1)
        second = QHBoxLayout()
        for b in (self.disable_button, self.unlock_button):
            second.addWidget(b)
        second.addStretch(1)
        second.addWidget(self.recovery_button)
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addWidget(hint_label(tr("敏感信息权限：查看完整身份证号和电话、导出或打印完整号码、"
                                       "打开敏感信息字段。只有本身具有此权限的账户才能授予。")))
        self.reload()

    def _button(self, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda _c=False: slot())
        return button

    # -- reading ---------------------------------------------------------------------------------

    def reload(self) -> None:
        selected = self.selected()
        self.rows = service().account_rows(self.app)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            last = row.get("last_login_at")
            values = [row.get("name", ""), row.get("display_name", ""), role_label(str(row.get("role", ""))),
                      tr("有") if row.get("sensitive") else "", state_text(row),
                      f"{last:%Y-%m-%d %H:%M}" if last else ""]
            for c, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if row.get("disabled_at"):
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(r, c, item)
        if selected is not None:
            self.select(int(selected["id"]))
        self._selection_changed()

    def selected(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.rows):
            return None
        return self.rows[rows[0].row()]

    def select(self, account_id: int) -> bool:
        for r, row in enumerate(self.rows):
            if row.get("id") == account_id:
                self.table.selectRow(r)
                return True
        return False

    def _selection_changed(self) -> None:
        row = self.selected()
        active = row is not None and not row.get("disabled_at")
        for button in (self.reset_button, self.role_button, self.sensitive_button, self.disable_button):
            button.setEnabled(active)
        self.unlock_button.setEnabled(active and row is not None and state_text(row) != tr("正常"))
        on = bool(row and row.get("sensitive"))
        self.sensitive_button.setText(tr("收回敏感信息权限") if on else tr("授予敏感信息权限"))
        self.recovery_button.setEnabled(self.app.can(roles.MANAGE_ACCOUNTS))

    def _who(self, row: dict[str, Any]) -> str:
        name, display = str(row.get("name", "")), str(row.get("display_name", ""))
        return f"{display}（{name}）" if display else name

    def _run(self, title: str, job: Any, account_id: int | None = None) -> bool:
        """Run the service call ``job`` (its refusal shown under ``title``), then show what changed."""
        result = attempt(self, title, job)
        if result is None:
            return False
        announce_result(result)
        self.reload()
        if account_id is not None:
            self.select(account_id)
        return True

    # -- actions -----------------------------------------------------------------------------------

    def add_account(self) -> Any:
        from ui.accounts.add_account import AddAccountDialog

        dialog = AddAccountDialog(self, self.app)
        if dialog.exec():
            self.reload()
            self.select_name(dialog.created)
        return dialog

    def select_name(self, name: str) -> None:
        for row in self.rows:
            if row.get("name") == name:
                self.select(int(row["id"]))

    def reset_password(self) -> None:
        from ui.accounts.passwords import reset_password

        row = self.selected()
        if row is None:
            return
        if reset_password(self, self.app, int(row["id"]), self._who(row)).exec():
            self.reload()

    def change_role(self) -> bool:
        row = self.selected()
        if row is None:
            return False
        role = ask_role(self, self._who(row), str(row.get("role", "")))
        if role is None or role == row.get("role"):
            return False
        rid = int(row["id"])
        return self._run(tr("更改角色"), lambda: service().set_role(self.app, rid, role), rid)

    def toggle_sensitive(self) -> bool:
        row = self.selected()
        if row is None:
            return False
        rid, on = int(row["id"]), not row.get("sensitive")
        title = tr("授予敏感信息权限") if on else tr("收回敏感信息权限")
        return self._run(title, lambda: service().set_sensitive(self.app, rid, on), rid)

    def disable(self) -> bool:
        row = self.selected()
        if row is None or not confirm(self, tr("停用账户"), tr(
                "停用 {0} 后，该账户不能再登录（操作日志中的记录保留）。\n\n要停用吗？").format(self._who(row))):
            return False
        rid = int(row["id"])
        return self._run(tr("停用账户"), lambda: service().disable_account(self.app, rid), rid)

    def unlock(self) -> bool:
        row = self.selected()
        if row is None:
            return False
        rid = int(row["id"])
        return self._run(tr("解锁账户"), lambda: service().unlock_account(self.app, rid), rid)

    def print_recovery(self) -> Any:
        from ui.accounts.recovery import save_recovery_sheet

        return save_recovery_sheet(self, self.app, confirm=True)

    def create_admin(self) -> Any:
        from ui.accounts.account_step import AccountStepDialog

        dialog = AccountStepDialog(self.window(), self.app)
        dialog.open()
        return dialog
