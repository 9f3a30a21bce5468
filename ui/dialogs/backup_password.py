"""The password of a backup copied to a folder or USB stick (desktop.secure_backup), and the
question for it when such a backup is restored."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QInputDialog,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.common import error_label, hint_label, show_error
from ui.kit.headed_dialog import accept_reject


def tr(text: str) -> str:
    return QCoreApplication.translate("BackupPassword", text)


class BackupPasswordDialog(QDialog):
    """「为备份设置密码（复制到U盘时建议）」 and the password typed twice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("备份到文件夹/U盘"))
        self.use = QCheckBox(tr("为备份设置密码（复制到U盘时建议）"))
        self.first = QLineEdit()
        self.second = QLineEdit()
        for edit in (self.first, self.second):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.textChanged.connect(lambda _t: show_error(self.problem, None))
        note = hint_label(tr("U盘容易遗失。设了密码的备份没有密码就无法打开；恢复时须输入此密码，密码遗失则这份备份无法恢复。"))
        self.problem = error_label()
        fields = QFormLayout()
        fields.addRow(tr("密码："), self.first)
        fields.addRow(tr("再输入一次："), self.second)
        self.buttons, self.ok_button, _cancel = accept_reject(tr("开始备份"), tr("取消"), self.accept, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.use)
        layout.addLayout(fields)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.use.toggled.connect(self._toggled)
        self.use.setChecked(True)

    def _toggled(self, on: bool) -> None:
        self.first.setEnabled(on)
        self.second.setEnabled(on)
        show_error(self.problem, None)

    def password(self) -> str | None:
        """The password chosen, or None for a backup without one."""
        return self.first.text() if self.use.isChecked() else None

    def accept(self) -> None:
        if self.use.isChecked():
            if not self.first.text():
                show_error(self.problem, tr("请输入密码，或取消勾选“为备份设置密码”。"))
                return
            if self.first.text() != self.second.text():
                show_error(self.problem, tr("两次输入的密码不一致。"))
                return
        super().accept()


def ask_backup_password(parent: QWidget | None) -> tuple[bool, str | None]:
    """(the clerk went on, the password or None); (False, None) when cancelled."""
    dlg = BackupPasswordDialog(parent)
    try:
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return False, None
        return True, dlg.password()
    finally:
        dlg.deleteLater()


def ask_restore_password(parent: QWidget | None, name: str) -> str | None:
    """The password of encrypted backup ``name``; None when cancelled."""
    text, ok = QInputDialog.getText(parent, tr("备份密码"), tr("备份文件 {0} 设有密码，请输入备份密码：").format(name),
                                    QLineEdit.EchoMode.Password)
    return text if ok and text else None
