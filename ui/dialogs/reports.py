"""Generating a registered report: its parameters, PDF or Excel, then the file on the job thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from desktop import registry
from desktop.context import App
from desktop.jobs import Progress
from desktop.records import ref_model
from desktop.registry import ReportParam, ReportSpec
from ui.dialogs.common import choose_save_file, error_label, keep_open, offer_open, show_error
from ui.kit.jobs import Job

FORMAT_LABELS = {"pdf": "PDF（打印）", "xlsx": "Excel 工作簿"}
FORMAT_FILTERS = {"pdf": "PDF 文件 (*.pdf)", "xlsx": "Excel 工作簿 (*.xlsx)"}
ALL = "（全部）"


def tr(text: str) -> str:
    return QCoreApplication.translate("ReportDialog", text)


def open_report(parent: QWidget | None, app: App, spec: ReportSpec) -> None:
    dlg = ReportDialog(parent, app, spec)
    keep_open(dlg).open()


def ref_options(app: App, ref: str) -> list[tuple[int, str]]:
    """(id, name) of every record of the register ``ref``, by name."""
    model = ref_model(ref)
    with app.db.session() as s:
        rows = s.execute(select(model.id, model.name).order_by(model.name)).all()  # type: ignore[attr-defined]
    return [(int(i), str(n)) for i, n in rows]


class _Param:
    """One parameter's widget and how to read it."""

    def __init__(self, widget: QWidget, read: Callable[[], Any], error: QLabel) -> None:
        self.widget = widget
        self.read = read  # -> value, None (not given), or raises ValueError with a message
        self.error = error


class ReportDialog(QDialog):
    def __init__(self, parent: QWidget | None, app: App, spec: ReportSpec) -> None:
        super().__init__(parent)
        self.app = app
        self.spec = spec
        self.job: Job | None = None
        self.path: Path | None = None
        self.setWindowTitle(tr("生成报表：{0}").format(spec.title))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(460)
        self.params: dict[str, _Param] = {}

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for p in spec.params:
            widget, read = self._widget(p)
            widget.setObjectName(p.name)
            error = error_label()
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(widget)
            column.addWidget(error)
            form.addRow(p.label + ("（必填）" if p.required else "") + "：", box)
            self.params[p.name] = _Param(widget, read, error)

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
        self.full_check = QCheckBox(tr("打印完整身份证号（将记入操作日志）"))
        if spec.write is None:  # a table report masks ID columns; a document (拜师帖) prints none
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
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(buttons)

    def reject(self) -> None:
        """Closing while a job runs asks the job to stop instead (its window must outlive it)."""
        if self.job is not None and self.job.running:
            self.job.cancel()
            return
        super().reject()

    def _widget(self, p: ReportParam) -> tuple[QWidget, Callable[[], Any]]:
        today = date.today()
        if p.kind == "year" or p.name == "year":
            spin = QSpinBox()
            spin.setRange(1950, 2100)
            spin.setValue(today.year)
            spin.setSuffix(tr(" 年"))
            spin.setMaximumWidth(120)
            return spin, spin.value
        if p.kind == "month" or p.name == "month":
            edit = QDateEdit(QDate(today.year, today.month, 1))
            edit.setDisplayFormat("yyyy年M月")
            edit.setCalendarPopup(False)
            edit.setMaximumWidth(140)
            return edit, lambda: f"{edit.date().year():04d}-{edit.date().month():02d}"
        if p.kind == "int":
            spin = QSpinBox()
            spin.setRange(0, 1_000_000)
            return spin, spin.value
        if p.kind == "ref" and p.ref in registry.ref_models():
            return self._ref_combo(p)
        if p.kind == "choice" and p.choices:
            combo = QComboBox()
            if not p.required:
                combo.addItem(tr(ALL), None)
            for code, label in self.app.labels().get(p.choices, {}).items():
                combo.addItem(label, code)
            return combo, combo.currentData
        edit = QLineEdit()

        def read_text() -> str | None:
            text = edit.text().strip()
            if not text and p.required:
                raise ValueError(tr("请填写{0}").format(p.label))
            return text or None

        return edit, read_text

    def _ref_combo(self, p: ReportParam) -> tuple[QWidget, Callable[[], Any]]:
        """A searchable combo of the register's records (type part of a name to find it)."""
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        if not p.required:
            combo.addItem(tr(ALL), None)
        for rid, name in ref_options(self.app, p.ref or ""):
            combo.addItem(name, rid)
        completer = QCompleter(combo.model(), combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        combo.setCompleter(completer)
        combo.setMinimumContentsLength(24)

        def read_ref() -> int | None:
            text = combo.currentText().strip()
            if not text or text == tr(ALL):
                if p.required:
                    raise ValueError(tr("请选择{0}").format(p.label))
                return None
            index = combo.findText(text, Qt.MatchFlag.MatchExactly)
            if index < 0:
                raise ValueError(tr("没有名为“{0}”的{1}，请从列表中选择").format(text, p.label))
            value = combo.itemData(index)
            return int(value) if value is not None else None

        return combo, read_ref

    def set_param(self, name: str, value: Any) -> None:
        """Choose a parameter's value as the clerk would (tests)."""
        widget = self.params[name].widget
        if isinstance(widget, QComboBox):
            index = widget.findData(value)
            widget.setCurrentIndex(index)
            if widget.isEditable() and index >= 0:
                widget.setEditText(widget.itemText(index))
        elif isinstance(widget, QSpinBox):
            widget.setValue(int(value))
        elif isinstance(widget, QDateEdit):
            y, m = (int(x) for x in str(value).split("-")[:2])
            widget.setDate(QDate(y, m, 1))
        elif isinstance(widget, QLineEdit):
            widget.setText(str(value))

    def values(self) -> dict[str, Any] | None:
        """Parameter values for the report, or None (errors shown under the fields)."""
        out: dict[str, Any] = {}
        ok = True
        for name, param in self.params.items():
            try:
                value = param.read()
            except ValueError as exc:
                show_error(param.error, str(exc))
                ok = False
                continue
            show_error(param.error, None)
            if value is not None:
                out[name] = value
        return out if ok else None

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
            name = f"{self.spec.title}-{date.today():%Y-%m-%d}.{fmt}"
            path = choose_save_file(self, tr("保存报表"), name, tr(FORMAT_FILTERS.get(fmt, "*." + fmt)), "." + fmt,
                                    "reports")
            if path is None:
                return None
        self.path = target = Path(path)
        app, spec, full = self.app, self.spec, self.full_check.isChecked()

        def build(progress: Progress, cancelled: Callable[[], bool]) -> Path:
            from desktop.report_runner import write_report

            write_report(app, spec, params, target, full=full, progress=progress, cancelled=cancelled)
            return target

        def done(written: Path) -> None:
            self.accept()
            offer_open(self.parentWidget(), tr("报表已生成"), tr("已生成{0}：\n{1}").format(spec.title, written), written)

        self.run_button.setEnabled(False)
        self.job = Job(self, build, done).with_progress(tr("正在生成{0}…").format(spec.title))
        self.job.finished.connect(lambda: self.run_button.setEnabled(True))
        return self.job.run()
