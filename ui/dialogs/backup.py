"""Backing up and restoring the database from the GUI.

Backups and restores run on the job thread. Restoring lists the backups folder with each
backup's date, counts and whether it passes the integrity check, asks once more showing
what will come back, then replaces the database (after a safety backup of the current one).

``App.restore`` does the work: it turns the window's shared lock into the exclusive one without
waiting (refused, naming who else has the database open, with the shared lock taken back and
nothing changed), checks a copy of the backup, and writes it into the live file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import backup as backups
from db.backup import BackupInfo
from db.errors import DatabaseProblem
from desktop import paths, secure_backup
from desktop.changes import Changes
from desktop.context import App
from desktop.jobs import Cancelled, Progress
from ui.dialogs import backup_password
from ui.dialogs.common import keep_open, last_folder, offer_open, remember_folder
from ui.kit.changes import announce
from ui.kit.job_dialog import JobDialog
from ui.kit.jobs import Job

log = logging.getLogger(__name__)

REASONS = {
    "manual": "手动备份", "daily": "每日自动备份", "before-import": "导入前", "before-restore": "恢复前",
    "before-upgrade": "升级前", "before-demo": "生成演示数据前",
}
BACKUP_FILTER = "工会工作台备份 (*.sqlite3 *.db *.encrypted);;所有文件 (*)"


def tr(text: str) -> str:
    return QCoreApplication.translate("BackupDialog", text)


def reason_label(path: Path) -> str:
    """手动备份 / 导入前... from a backup's file name (uniondesk-YYYYmmdd-HHMMSS-REASON.sqlite3)."""
    parts = path.stem.split("-", 3)
    if len(parts) == 4 and parts[0] == "uniondesk":
        return tr(REASONS.get(parts[3], parts[3]))
    return tr("其他位置")


def describe(info: BackupInfo) -> str:
    """2026-11-23 09:30 的备份（2000 名职工，120 个单位）"""
    return tr("{0} 的备份（{1} 名职工，{2} 个单位）").format(
        f"{info.taken:%Y-%m-%d %H:%M}", info.workers, info.organisations)


# -- backing up ---------------------------------------------------------------------------------

def backup_now(parent: QWidget | None, app: App) -> Job:
    """A backup into the backups folder (old ones pruned as Settings says)."""
    def done(path: Path) -> None:
        offer_open(parent, tr("备份完成"), tr("已备份到：\n{0}").format(path), path, folder_only=True)

    return Job(parent, lambda _p, _c: app.backup("manual"), done).with_progress(
        tr("正在备份数据库…"), cancellable=False).run()


def backup_to_folder(parent: QWidget | None, app: App, folder: Path | None = None) -> Job | None:
    """A dated backup into a folder the clerk chooses, such as a USB stick."""
    if folder is None:
        chosen = QFileDialog.getExistingDirectory(parent, tr("选择备份到的文件夹（如 U 盘）"),
                                                  str(last_folder("backup")))
        if not chosen:
            return None
        folder = Path(chosen)
    remember_folder("backup", folder)
    target = folder
    go_on, password = backup_password.ask_backup_password(parent)
    if not go_on:
        return None

    def done(path: Path) -> None:
        kept = tr("备份已加密，恢复时须输入密码。") if password else tr("请妥善保管，备份中含有职工的个人信息。")
        offer_open(parent, tr("备份完成"), tr("已备份到：\n{0}\n\n").format(path) + kept, path, folder_only=True)

    return Job(parent, lambda _p, _c: app.backup("manual", target, password=password), done).with_progress(
        tr("正在备份到 {0}…").format(folder), cancellable=False).run()


# -- the list of backups ------------------------------------------------------------------------

def scan_backups(folder: Path, progress: Progress, cancelled: Callable[[], bool],
                 only_ok: bool = False) -> list[BackupInfo]:
    """Each backup's date, counts and integrity, newest first (the integrity check reads the
    whole file, so this runs on the job thread)."""
    files = [p for p in backups.list_backups(folder) if p.suffix == backups.SUFFIX_SQLITE]
    out: list[BackupInfo] = []
    for i, p in enumerate(files):
        if cancelled():
            raise Cancelled
        progress(i, len(files), "正在检查备份")
        try:
            found = backups.info(p)
        except OSError:
            continue
        if found.ok or not only_ok:
            out.append(found)
    return out


class BackupList(QTableWidget):
    """Backups with date, kind, counts and state; damaged ones are shown but cannot be chosen."""

    COLUMNS = ("备份时间", "类型", "职工", "单位", "状态", "文件")

    def __init__(self) -> None:
        super().__init__(0, len(self.COLUMNS))
        self.setHorizontalHeaderLabels([tr(c) for c in self.COLUMNS])
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        for c in range(5):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(56)
        self.infos: list[BackupInfo] = []

    def set_infos(self, infos: list[BackupInfo]) -> None:
        self.infos = list(infos)
        self.setRowCount(len(self.infos))
        for r, info in enumerate(self.infos):
            cells = [f"{info.taken:%Y-%m-%d %H:%M}", reason_label(info.path),
                     str(info.workers) if info.ok else "—", str(info.organisations) if info.ok else "—",
                     tr("正常") if info.ok else tr("已损坏"), info.path.name]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(info.path))
                if c in (2, 3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                elif c == 5:
                    item.setForeground(QColor("#777777"))
                if not info.ok:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                    item.setForeground(QColor("#b03a2e") if c == 4 else QColor("#999999"))
                self.setItem(r, c, item)
        first_ok = next((r for r, i in enumerate(self.infos) if i.ok), None)
        if first_ok is not None:
            self.selectRow(first_ok)

    def add_info(self, info: BackupInfo) -> None:
        """A backup from elsewhere, put first and selected."""
        self.set_infos([info, *[i for i in self.infos if i.path != info.path]])
        if info.ok:
            self.selectRow(0)

    def selected_info(self) -> BackupInfo | None:
        rows = self.selectionModel().selectedRows()
        if not rows:
            return None
        info = self.infos[rows[0].row()]
        return info if info.ok else None


class _ChooseBackupDialog(JobDialog):
    """Shared by the restore dialog and the start-up chooser for a damaged database."""

    def __init__(self, parent: QWidget | None, folder: Path, *, title: str, intro: str, only_ok: bool,
                 action: str) -> None:
        super().__init__(parent)
        self.folder = folder
        self.only_ok = only_ok
        self.decrypted: list[Path] = []  # plain copies of encrypted backups (removed when the restore dialog closes)
        self.setWindowTitle(title)
        self.resize(720, 420)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.list = BackupList()
        self.list.itemSelectionChanged.connect(self._update)
        self.list.doubleClicked.connect(lambda _i: self.action_button.click())
        self.status = QLabel(tr("正在检查备份…"))
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #555;")
        self.elsewhere_button = QPushButton(tr("从其他位置选择…"))
        self.elsewhere_button.clicked.connect(lambda: self.choose_elsewhere())
        self.action_button = QPushButton(action)
        self.action_button.setDefault(True)
        self.cancel_button = QPushButton(tr("取消"))
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.elsewhere_button)
        buttons.addStretch(1)
        buttons.addWidget(self.action_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._update()

    def load(self) -> Job:
        folder, only_ok = self.folder, self.only_ok
        job = Job(self, lambda p, c: scan_backups(folder, p, c, only_ok), self._loaded)
        job.on_cancel(lambda: self.status.setText(tr("已停止检查备份。")), quiet=True)
        return self.start(job.with_progress(tr("正在检查备份…")))

    def _loaded(self, infos: list[BackupInfo]) -> None:
        self.list.set_infos(infos)
        if not infos:
            self.status.setText(tr("备份文件夹 {0} 中没有{1}备份。可点“从其他位置选择…”选择 U 盘等处的备份文件。")
                                .format(self.folder, tr("可用的") if self.only_ok else ""))
        else:
            damaged = sum(1 for i in infos if not i.ok)
            text = tr("共 {0} 份备份，位于 {1}").format(len(infos), self.folder)
            if damaged:
                text += tr("；其中 {0} 份已损坏，不能用于恢复").format(damaged)
            self.status.setText(text + "。")
        self._update()

    def choose_elsewhere(self, path: Path | None = None) -> BackupInfo | None:
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self, tr("选择备份文件"), str(last_folder("backup")),
                                                  tr(BACKUP_FILTER))
            if not name:
                return None
            path = Path(name)
        remember_folder("backup", path)
        if secure_backup.is_encrypted(path):  # a copy with a password: decrypted into the data folder first
            password = backup_password.ask_restore_password(self, path.name)
            if password is None:
                return None
            try:
                path = secure_backup.decrypt_to_temp(path, password)
            except DatabaseProblem as exc:
                QMessageBox.warning(self, tr("无法打开备份"), exc.message)
                return None
            self.decrypted.append(path)
        try:
            found = backups.info(path)
        except OSError as exc:
            QMessageBox.warning(self, tr("无法读取备份"), tr("无法读取 {0}：{1}").format(path, exc.strerror or exc))
            return None
        if not found.ok:
            QMessageBox.warning(self, tr("备份不可用"),
                                tr("{0} 已损坏或不是工会工作台的备份，不能用于恢复。").format(path.name))
            return None
        self.list.add_info(found)
        self._update()
        return found

    def _update(self) -> None:
        self.action_button.setEnabled(self.list.selected_info() is not None)

    def chosen(self) -> BackupInfo | None:
        return self.list.selected_info()


class RestoreDialog(_ChooseBackupDialog):
    def __init__(self, parent: QWidget | None, app: App, on_done: Callable[[], object] | None = None) -> None:
        super().__init__(
            parent, paths.backups_dir(), title=tr("从备份恢复"), only_ok=False, action=tr("恢复…"),
            intro=tr("选择要恢复的备份。恢复会用备份替换当前数据库中的全部数据；"
                     "恢复前会先把当前数据库再备份一份，万一选错还能找回。"))
        self.app = app
        self.on_done = on_done
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.finished.connect(lambda _r: [secure_backup.discard(p) for p in self.decrypted])
        self.action_button.clicked.connect(lambda: self.run_restore())

    def run_restore(self, confirm: bool = True) -> Job | None:
        info = self.chosen()
        if info is None:
            return None
        if confirm:
            answer = QMessageBox.question(
                self, tr("确认恢复"),
                tr("用 {0} 替换当前数据库吗？\n\n当前数据库会先备份，恢复后程序将显示备份中的数据。").format(describe(info)),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return None
        app, path = self.app, info.path

        def done(_result: object) -> None:
            self.accept()
            announce(Changes.everything(tr("已从{0}恢复").format(describe(info))))  # every view shows the backup
            QMessageBox.information(self.parentWidget(), tr("恢复完成"), tr("已从{0}恢复。").format(describe(info)))
            if self.on_done is not None:
                self.on_done()

        self.action_button.setEnabled(False)
        job = Job(self, lambda _p, _c: app.restore(path), done).with_progress(tr("正在恢复数据库…"), cancellable=False)
        job.finished.connect(self._update)
        return self.start(job)


def restore(parent: QWidget | None, app: App, on_done: Callable[[], object] | None = None) -> None:
    """Choose a backup and restore it on the job thread; what changed (everything) is announced,
    then ``on_done`` (optional) runs."""
    if not app.db.is_sqlite:
        QMessageBox.information(parent, tr("从备份恢复"),
                                tr("当前使用的是 PostgreSQL 服务器数据库，请由管理员用 pg_restore 恢复。"))
        return
    dlg = RestoreDialog(parent, app, on_done)
    keep_open(dlg).open()
    dlg.load()


# -- start-up: the database is damaged ------------------------------------------------------------

def choose_backup_for_corrupt_db(parent: QWidget | None, backups_folder: Path) -> Path | None:
    """Modal: the backups that pass the integrity check, newest first (preselected); None if
    the clerk cancels. For start-up, when the database cannot be opened."""
    dlg = _ChooseBackupDialog(
        parent, backups_folder, title=tr("选择用于恢复的备份"), only_ok=True, action=tr("用此备份恢复"),
        intro=tr("下面是检查无误的备份，最新的在最上面。选择一份，用它替换无法使用的数据库。"))
    dlg.action_button.clicked.connect(dlg.accept)
    dlg.load()
    accepted = dlg.exec() == QDialog.DialogCode.Accepted
    info = dlg.chosen() if accepted else None
    dlg.deleteLater()
    return info.path if info is not None else None
