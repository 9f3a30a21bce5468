"""Exporting a register (or the rows the filter shows) to .xlsx."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.context import App
from desktop.exporting import TITLES
from desktop.jobs import Progress
from desktop.reads import register_count
from desktop.report_runner import export_file_name, export_register_file
from ui.dialogs.common import choose_save_file, keep_open, offer_open
from ui.kit.job_dialog import JobDialog
from ui.kit.jobs import Job


def tr(text: str) -> str:
    return QCoreApplication.translate("ExportDialog", text)


def export_rows(parent: QWidget | None, app: App, kind: str, ids: list[int] | None) -> None:
    """Ask about full numbers and where to save, then export on the job thread.

    ``ids`` are the rows the filter shows, in their order; None exports the whole register.
    """
    dlg = ExportDialog(parent, app, kind, ids)
    keep_open(dlg).open()


def default_name(kind: str, shown: int | None = None, today: date | None = None) -> str:
    """``职工名册-2026-12-05.xlsx`` (``shown``: how many rows a filter shows, named in the file)."""
    return export_file_name(kind, shown, today)


class ExportDialog(JobDialog):
    def __init__(self, parent: QWidget | None, app: App, kind: str, ids: list[int] | None) -> None:
        super().__init__(parent)
        self.app = app
        self.kind = kind
        self.ids = list(ids) if ids is not None else None
        self.path: Path | None = None
        self.setWindowTitle(tr("导出{0}").format(TITLES.get(kind, "")))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(420)

        self.count_label = QLabel(self._count_text())
        self.count_label.setWordWrap(True)
        self.full_check = QCheckBox(tr("导出完整身份证号和电话（将记入操作日志）"))
        from desktop.accounts.roles import REVEAL
        from ui.accounts.permits import gate

        gate(self.full_check, REVEAL, app)  # whole numbers: the sensitive-information permission
        note = QLabel(tr("不勾选时，身份证号和电话号码的中间几位以 * 代替。导出的文件可在 Excel 中打开，"
                         "也可修改后重新导入。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")

        buttons = QDialogButtonBox()
        self.export_button = QPushButton(tr("导出…"))
        self.export_button.setDefault(True)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.export_button.clicked.connect(lambda: self.run_export())
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.count_label)
        layout.addSpacing(6)
        layout.addWidget(self.full_check)
        layout.addWidget(note)
        layout.addSpacing(6)
        layout.addWidget(buttons)

    def _count_text(self) -> str:
        if self.ids is not None:
            return tr("将导出列表中筛选出的 <b>{0}</b> 条记录，顺序与列表相同。").format(len(self.ids))
        total = register_count(self.app, self.kind)
        return tr("将导出全部 <b>{0}</b> 条记录。").format(total)

    def run_export(self, path: Path | None = None) -> Job | None:
        """Choose where to save (unless ``path``), then write the workbook on the job thread."""
        if path is None:
            shown = len(self.ids) if self.ids is not None else None
            path = choose_save_file(self, tr("导出到"), default_name(self.kind, shown), tr("Excel 工作簿 (*.xlsx)"),
                                    ".xlsx", "export")
            if path is None:
                return None
        self.path = target = Path(path)
        app, kind, ids, full = self.app, self.kind, self.ids, self.full_check.isChecked()

        def export(progress: Progress, cancelled: Callable[[], bool]) -> int:
            return export_register_file(app, kind, target, ids=ids, full=full, progress=progress, cancelled=cancelled)

        def done(count: int) -> None:
            self.accept()
            offer_open(self.parentWidget(), tr("导出完成"), tr("已导出 {0} 条记录：\n{1}").format(count, target), target)

        self.export_button.setEnabled(False)
        job = Job(self, export, done).with_progress(tr("正在导出{0}…").format(TITLES.get(kind, "")))
        job.finished.connect(lambda: self.export_button.setEnabled(True))
        return self.start(job)
