"""Generating a registered report: its parameters, PDF or Excel, then the file on the job thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.context import App
from desktop.jobs import Progress
from desktop.reads import ref_options
from desktop.registry import ReportSpec
from desktop.report_runner import report_file_name, write_report
from ui.dialogs.common import choose_save_file, keep_open, offer_open
from ui.kit.job_dialog import JobDialog
from ui.kit.jobs import Job
from ui.kit.param_form import Field, ParamForm

FORMAT_LABELS = {"pdf": "PDF（打印）", "xlsx": "Excel 工作簿"}
FORMAT_FILTERS = {"pdf": "PDF 文件 (*.pdf)", "xlsx": "Excel 工作簿 (*.xlsx)"}


def tr(text: str) -> str:
    return QCoreApplication.translate("ReportDialog", text)


def open_report(parent: QWidget | None, app: App, spec: ReportSpec) -> None:
    dlg = ReportDialog(parent, app, spec)
    keep_open(dlg).open()


def open_report_with(parent: QWidget | None, app: App, key: str, params: dict[str, Any] | None = None
                     ) -> ReportDialog:
    """The registered report ``key``'s dialog, opened from a programme tab with ``params`` already
    chosen (the tab's round, pair, year…; None values and names the report does not take are passed over)."""
    from desktop import registry

    dlg = ReportDialog(parent, app, registry.report(key))
    for name, value in (params or {}).items():
        if value is not None and name in dlg.params:
            dlg.set_param(name, value)
    keep_open(dlg).open()
    return dlg


class ReportDialog(JobDialog):
    def __init__(self, parent: QWidget | None, app: App, spec: ReportSpec) -> None:
        super().__init__(parent)
        self.app = app
        self.spec = spec
        self.path: Path | None = None
        self.setWindowTitle(tr("生成报表：{0}").format(spec.title))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(460)
        self.param_form = ParamForm(lambda ref: ref_options(app, ref), app.labels, self)
        self.param_form.set_params(spec.params)
        self.param_form.setVisible(True)
        form = self.param_form.form

        self.format_group = QButtonGroup(self)
        formats = QHBoxLayout()
        self.format_buttons: dict[str, QRadioButton] = {}
        for fmt in spec.formats:
            radio = QRadioButton(tr(FORMAT_LABELS.get(fmt, fmt.upper())))
            self.format_group.addButton(radio)
            self.format_buttons[fmt] = radio
            formats.addWidget(radio)
        formats.addStretch(1)
        next(iter(self.format_buttons.values())).setChecked(True)
        format_box = QWidget()
        format_box.setLayout(formats)
        formats.setContentsMargins(0, 0, 0, 0)
        form.addRow(tr("格式："), format_box)
        self.full_check = QCheckBox(tr("打印完整的身份证号和电话号码（将记入操作日志）"))
        from desktop.accounts.roles import REVEAL
        from ui.accounts.permits import gate

        gate(self.full_check, REVEAL, app)  # whole numbers: the sensitive-information permission
        if spec.offers_full:  # a table report masks ID columns, a document says whether it prints any
            form.addRow("", self.full_check)
        else:
            self.full_check.hide()

        buttons = QDialogButtonBox()
        self.run_button = QPushButton(tr("生成…"))
        self.run_button.setDefault(True)
        buttons.addButton(self.run_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.run_button.clicked.connect(lambda: self.run_report())
        buttons.rejected.connect(self.reject)

        heading = QLabel(spec.title)
        font = QFont(heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        if not spec.params:
            layout.addWidget(QLabel(tr("此报表没有参数。")))
        layout.addWidget(self.param_form)
        layout.addStretch(1)
        layout.addWidget(buttons)

    @property
    def params(self) -> dict[str, Field]:
        """Each parameter's widget and the red line under it, by name."""
        return self.param_form.fields

    def set_param(self, name: str, value: Any) -> None:
        """Choose a parameter's value as the clerk would (tests, a tab opening the report)."""
        self.param_form.set_value(name, value)

    def values(self) -> dict[str, Any] | None:
        """Parameter values for the report, or None (errors shown under the fields)."""
        return self.param_form.values()

    def default_name(self) -> str:
        """What the file holds (the report, the chosen pair or unit...) and the day."""
        return report_file_name(self.spec, self.param_form.shown(), self.chosen_format())

    def chosen_format(self) -> str:
        return next(f for f, b in self.format_buttons.items() if b.isChecked())

    def set_format(self, fmt: str) -> None:
        self.format_buttons[fmt].setChecked(True)

    def run_report(self, path: Path | None = None) -> Job | None:
        params = self.values()
        if params is None:
            return None
        fmt = self.chosen_format()
        if path is None:
            path = choose_save_file(self, tr("保存报表"), self.default_name(), tr(FORMAT_FILTERS.get(fmt, "*." + fmt)),
                                    "." + fmt, "reports")
            if path is None:
                return None
        self.path = target = Path(path)
        app, spec, full = self.app, self.spec, self.full_check.isChecked()

        def build(progress: Progress, cancelled: Callable[[], bool]) -> Path:
            write_report(app, spec, params, target, full=full, progress=progress, cancelled=cancelled)
            return target

        def done(written: Path) -> None:
            self.accept()
            offer_open(self.parentWidget(), tr("报表已生成"), tr("已生成{0}：\n{1}").format(spec.title, written), written)

        self.run_button.setEnabled(False)
        job = Job(self, build, done).with_progress(tr("正在生成{0}…").format(spec.title))
        job.finished.connect(lambda: self.run_button.setEnabled(True))
        return self.start(job)
