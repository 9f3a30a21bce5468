"""操作日志: the audit log for 管理员 (filter by person, record, account and date; pages; export).

Reads and the export go through :mod:`desktop.audit_log` (which refuses without MANAGE_ACCOUNTS);
the table is the kit's register table over the rows it returns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db.errors import DatabaseProblem
from desktop import audit_log
from desktop.accounts.roles import MANAGE_ACCOUNTS
from desktop.context import App
from desktop.jobs import Progress
from ui.dialogs.common import choose_save_file, keep_open, offer_open
from ui.kit.jobs import Job
from ui.kit.table_model import RecordTableModel
from ui.kit.table_view import RecordTableView

L = audit_log.LABELS


def tr(text: str) -> str:
    return QCoreApplication.translate("AuditLog", text)


class AuditLogDialog(QDialog):
    """The log, newest first, a page at a time."""

    def __init__(self, parent: QWidget | None, app: App) -> None:
        super().__init__(parent)
        self.app = app
        self.offset = 0
        self.total = 0
        self.job: Job | None = None
        self.setWindowTitle(tr("操作日志"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(1180, 660)

        self.clerk_edit = QLineEdit()
        self.clerk_edit.setClearButtonEnabled(True)
        self.account_combo = QComboBox()
        self.account_combo.setEditable(True)
        self.account_combo.addItem("")
        self.table_combo = QComboBox()
        self.table_combo.addItem(tr("全部"), "")
        for name, title in sorted(audit_log.table_titles().items(), key=lambda kv: kv[1]):
            self.table_combo.addItem(f"{title}（{name}）", name)
        self.record_spin = QSpinBox()
        self.record_spin.setRange(0, 2_000_000_000)
        self.record_spin.setSpecialValueText(tr("全部"))
        today = QDate.currentDate()
        self.since_check, self.since_edit = QCheckBox(tr("从")), QDateEdit(today.addMonths(-1))
        self.until_check, self.until_edit = QCheckBox(tr("到")), QDateEdit(today)
        for edit in (self.since_edit, self.until_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        search = QPushButton(tr("查询"))
        search.setDefault(True)
        search.clicked.connect(lambda: self.reload(0))

        grid = QGridLayout()
        grid.addWidget(QLabel(L["clerk"] + tr("：")), 0, 0)
        grid.addWidget(self.clerk_edit, 0, 1)
        grid.addWidget(QLabel(L["account"] + tr("：")), 0, 2)
        grid.addWidget(self.account_combo, 0, 3)
        grid.addWidget(QLabel(L["record"] + tr("：")), 0, 4)
        grid.addWidget(self.table_combo, 0, 5)
        grid.addWidget(self.record_spin, 0, 6)
        dates = QHBoxLayout()
        for w in (self.since_check, self.since_edit, self.until_check, self.until_edit):
            dates.addWidget(w)
        dates.addStretch(1)
        dates.addWidget(search)
        grid.addWidget(QLabel(L["at"] + tr("：")), 1, 0)
        grid.addLayout(dates, 1, 1, 1, 6)

        self.model = RecordTableModel("audit_log", audit_log.COLUMNS, self)
        self.view = RecordTableView(self)
        self.view.setModel(self.model)
        self.view.setSortingEnabled(False)  # newest first, as the pages come
        self.view.size_columns(self.model)

        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.prev_button = QPushButton(tr("上一页"))
        self.next_button = QPushButton(tr("下一页"))
        self.export_button = QPushButton(tr("导出 Excel…"))
        close = QPushButton(tr("关闭"))
        self.prev_button.clicked.connect(lambda: self.reload(max(0, self.offset - audit_log.PAGE)))
        self.next_button.clicked.connect(lambda: self.reload(self.offset + audit_log.PAGE))
        self.export_button.clicked.connect(lambda: self.export())
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for b in (self.prev_button, self.next_button):
            buttons.addWidget(b)
        buttons.addWidget(self.count_label)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        try:
            self.account_combo.addItems(audit_log.accounts(app))
        except DatabaseProblem as exc:
            QMessageBox.warning(self, tr("操作日志"), exc.message)
        self.reload(0)

    def current_filter(self) -> audit_log.AuditFilter:
        record = self.record_spin.value()
        return audit_log.AuditFilter(
            clerk=self.clerk_edit.text(), account=self.account_combo.currentText(),
            table=str(self.table_combo.currentData() or ""), record_id=record or None,
            since=self.since_edit.date().toPython() if self.since_check.isChecked() else None,  # type: ignore[arg-type]
            until=self.until_edit.date().toPython() if self.until_check.isChecked() else None,  # type: ignore[arg-type]
        )

    def reload(self, offset: int) -> None:
        try:
            page = audit_log.query(self.app, self.current_filter(), offset=offset)
        except DatabaseProblem as exc:
            QMessageBox.warning(self, tr("操作日志"), exc.message)
            return
        self.offset, self.total = page.offset, page.total
        self.model.set_table(page.table)
        self.view.set_empty_text(None if page.total else tr("没有符合条件的记录"))
        shown = len(page.table.rows)
        first = page.offset + 1 if shown else 0
        self.count_label.setText(tr("共 {0} 条，第 {1}–{2} 条").format(page.total, first, page.offset + shown))
        self.prev_button.setEnabled(page.offset > 0)
        self.next_button.setEnabled(page.offset + shown < page.total)

    def export(self) -> None:
        path = choose_save_file(self, tr("导出操作日志"), tr("操作日志.xlsx"), tr("Excel 工作簿 (*.xlsx)"), ".xlsx",
                                "audit_log_export")
        if path is None:
            return
        self.export_to(path)

    def export_to(self, path: Path) -> Job:
        wanted = self.current_filter()

        def work(progress: Progress, cancelled: Any) -> int:
            return audit_log.export_xlsx(self.app, wanted, path, lambda done, total: progress(done, total),
                                         cancelled)

        def done(count: int) -> None:
            offer_open(self, tr("导出操作日志"), tr("已导出 {0} 条操作日志到 {1}").format(count, path.name), path)

        self.job = Job(self, work, done).with_progress(tr("正在导出操作日志…")).run()
        return self.job


def open_audit_log(parent: QWidget | None, app: App) -> AuditLogDialog | None:
    """The screen, only for an account with MANAGE_ACCOUNTS (管理员)."""
    if not app.can(MANAGE_ACCOUNTS):
        QMessageBox.warning(parent, tr("操作日志"), tr("当前账户没有权限查看操作日志。"))
        return None
    dlg = AuditLogDialog(parent, app)
    keep_open(dlg).open()
    return dlg
