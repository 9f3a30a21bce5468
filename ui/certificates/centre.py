"""The certificate centre (证书中心): choose who, choose a template, preview, adjust, print or save.

Who: a programme's certificate source with its parameters (a competition's winners), or a
spreadsheet (the mail merge clerks do in Word today); only the people ticked and let through by
the event and prize filters are previewed, printed and issued (opened from one event of a
competition, the list starts on that event). The preview pages through them all, rendering pages
on demand; the template editor's changes re-render it. 打印… and 保存 PDF… run ``issue_and_render`` as a
job with progress and cancel: the serials are given only then.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.certificates import issuing as certs
from desktop.certificates import sources as cs
from desktop.certificates.choosing import Choice, kind_note, missing_issuer, template_labels
from desktop.certificates.recipients import addresses_units
from desktop.context import App
from desktop.jobs import Progress
from ui.certificates.output import CentreOutput
from ui.certificates.preview import PreviewPane
from ui.certificates.selection import ChoosePanel, describe
from ui.certificates.template_editor import TemplateEditor
from ui.dialogs.common import choose_open_file, keep_open
from ui.kit.jobs import Job, failure_message, report_failure
from ui.kit.param_form import ParamForm
from ui.kit.screen import fit_to_screen

SHEET = "__sheet__"
SHEET_FILTER = "名单 (*.xlsx *.xls *.csv);;所有文件 (*)"
PREFERRED_SIZE = QSize(1280, 800)


def tr(text: str) -> str:
    return QCoreApplication.translate("CertificateCentre", text)


def open_certificate_centre(parent: QWidget | None, app: App, source: str | None = None,
                            params: dict[str, Any] | None = None,
                            focus: dict[str, Any] | None = None) -> CertificateCentre:
    """Open the centre, optionally on a source with its parameters (a competition's tab);
    ``focus`` (record values, e.g. ``{"event_id": 2}``) starts the list filtered to their event."""
    dlg = CertificateCentre(parent, app, source, params, focus)
    keep_open(dlg).show()
    return dlg


class CertificateCentre(CentreOutput, QDialog):
    def __init__(self, parent: QWidget | None, app: App, source: str | None = None,
                 params: dict[str, Any] | None = None, focus: dict[str, Any] | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.selection: cs.Selection | None = None
        self.focus = dict(focus or {})  # applied to the first list read
        self.sheet_path: Path | None = None
        self.template_key = certs.DEFAULT_TEMPLATE
        self.template: Any = None
        self.templates: dict[str, Any] = {}
        self.job: Job | None = None
        self.last_issued: certs.Issued | None = None
        self._load_job: Job | None = None
        self.setObjectName("certificateCentre")
        self.setWindowTitle(tr("证书中心"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self._build_left())
        self.preview = PreviewPane(self)
        self.splitter.addWidget(self.preview)
        self.editor = TemplateEditor(self)
        self.editor.changed.connect(self._template_edited)
        self.editor.saved.connect(self._template_saved)
        self.editor.field_box.connect(lambda box: self.preview.set_highlight(box if self.editor.isVisible() else None))
        self.editor.hide()
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([380, 900, 340])

        self.status = QLabel()
        self.status.setObjectName("countLabel")
        self.status.setWordWrap(True)  # a long hint wraps instead of pushing the buttons off the screen
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.calibrate_button = QPushButton(tr("打印校准页…"))
        self.print_button = QPushButton(tr("打印…"))
        self.save_button = QPushButton(tr("保存 PDF…"))
        self.save_button.setDefault(True)
        close = QPushButton(tr("关闭"))
        self.calibrate_button.clicked.connect(self.calibrate)
        self.print_button.clicked.connect(lambda: self.print_certificates())
        self.save_button.clicked.connect(lambda: self.save_pdf())
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        for b in (self.calibrate_button, self.print_button, self.save_button, close):
            bottom.addWidget(b)
        # The content scrolls when the screen is small; the buttons stay in a fixed row below it.
        self.content = QScrollArea()
        self.content.setObjectName("centreContent")
        self.content.setWidgetResizable(True)
        self.content.setFrameShape(QFrame.Shape.NoFrame)
        self.content.setWidget(self.splitter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.content, 1)
        layout.addLayout(bottom)
        self.resize(PREFERRED_SIZE)
        fit_to_screen(self)  # a 1366×768 laptop keeps the buttons in view

        self._fill_sources(source)
        self._fill_templates()
        if params:
            self.params.set_values(params)
        self._update_buttons()
        self._warn_issuer()
        if self.current_source() != SHEET:
            self.load_selection()
        else:
            self.schedule_preview()

    # ------------------------------------------------------------------ building

    def _build_left(self) -> QWidget:
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 6, 0)

        who = QGroupBox(tr("发给谁"))
        form = QFormLayout(who)
        self.source_combo = QComboBox()
        form.addRow(tr("名单来源："), self.source_combo)
        app = self.app
        self.params = ParamForm(lambda ref: cs.reference_choices(app, ref), app.labels)
        form.addRow(self.params)
        sheet_row = QHBoxLayout()
        self.sheet_edit = QLineEdit()
        self.sheet_edit.setReadOnly(True)
        self.sheet_edit.setPlaceholderText(tr("选择 Excel 或 CSV 名单"))
        self.sheet_button = QPushButton(tr("选择…"))
        self.sheet_button.clicked.connect(lambda: self.choose_sheet())
        sheet_row.addWidget(self.sheet_edit, 1)
        sheet_row.addWidget(self.sheet_button)
        self.sheet_box = QWidget()
        self.sheet_box.setLayout(sheet_row)
        sheet_row.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.sheet_box)
        self.load_button = QPushButton(tr("读取名单"))
        self.load_button.clicked.connect(lambda: self.load_selection())
        form.addRow("", self.load_button)
        self.summary = QLabel(tr("尚未选择名单"))
        self.summary.setWordWrap(True)
        form.addRow(self.summary)
        self.skipped_label = QLabel()
        self.skipped_label.setWordWrap(True)
        self.skipped_label.setStyleSheet("color: #b26a00;")
        self.skipped_label.hide()
        form.addRow(self.skipped_label)
        column.addWidget(who)

        self.chooser = ChoosePanel()
        self.records_table = self.chooser.table
        self.chooser.changed.connect(self._chosen_changed)
        column.addWidget(self.chooser, 1)

        look = QGroupBox(tr("证书样式"))
        rows = QVBoxLayout(look)
        row = QHBoxLayout()
        self.template_combo = QComboBox()
        self.edit_button = QPushButton(tr("调整版式…"))
        self.edit_button.setCheckable(True)
        self.edit_button.toggled.connect(self._toggle_editor)
        row.addWidget(self.template_combo, 1)
        row.addWidget(self.edit_button)
        rows.addLayout(row)
        self.kind_label = QLabel()  # units and people of one batch print on templates of their kind
        self.kind_label.setWordWrap(True)
        self.kind_label.hide()
        rows.addWidget(self.kind_label)
        column.addWidget(look)

        self.source_combo.currentIndexChanged.connect(lambda _i: self._source_changed())
        self.template_combo.currentIndexChanged.connect(lambda _i: self._template_changed())
        return panel

    def _fill_sources(self, chosen: str | None) -> None:
        self.source_combo.blockSignals(True)
        self.sources = {s.key: s for s in cs.sources()}
        for key, src in self.sources.items():
            self.source_combo.addItem(src.title, key)
        self.source_combo.addItem(tr("Excel/CSV 名单（邮件合并）"), SHEET)
        index = self.source_combo.findData(chosen) if chosen else -1
        self.source_combo.setCurrentIndex(max(index, 0))
        self.source_combo.blockSignals(False)
        self._source_changed(load=False)

    def _fill_templates(self, select: str | None = None) -> None:
        self.templates = certs.templates()
        self.template_combo.blockSignals(True)
        self.template_combo.clear()
        for key, label in template_labels(self.templates).items():  # Chinese only, never the file key
            self.template_combo.addItem(label, key)
        wanted = select or self._default_template()
        index = self.template_combo.findData(wanted)
        self.template_combo.setCurrentIndex(max(index, 0))
        self.template_combo.blockSignals(False)
        self._template_changed(preview=False)

    def _default_template(self) -> str:
        src = self.sources.get(self.current_source())
        key = src.template if src is not None else certs.DEFAULT_TEMPLATE
        return key if key in self.templates else certs.DEFAULT_TEMPLATE

    # ------------------------------------------------------------------ the selection

    def current_source(self) -> str:
        return str(self.source_combo.currentData() or SHEET)

    def _source_changed(self, load: bool = True) -> None:
        key = self.current_source()
        is_sheet = key == SHEET
        self.sheet_box.setVisible(is_sheet)
        self.params.set_params([] if is_sheet else list(self.sources[key].params))
        self.selection = None
        self._show_records()
        if load and not is_sheet:
            self.load_selection()

    def choose_source(self, key: str, params: dict[str, Any] | None = None) -> Job | None:
        """Pick a source and its parameters, as the clerk would (tests)."""
        index = self.source_combo.findData(key)
        if index < 0:
            raise KeyError(key)
        self.source_combo.blockSignals(True)
        self.source_combo.setCurrentIndex(index)
        self.source_combo.blockSignals(False)
        self._source_changed(load=False)
        if params:
            self.params.set_values(params)
        return self.load_selection()

    def choose_sheet(self, path: Path | None = None) -> Job | None:
        if path is None:
            path = choose_open_file(self, tr("选择名单"), tr(SHEET_FILTER), "certificates")
            if path is None:
                return None
        self.source_combo.setCurrentIndex(self.source_combo.findData(SHEET))
        self.sheet_path = Path(path)
        self.sheet_edit.setText(self.sheet_path.name)
        self.sheet_edit.setToolTip(str(path))
        return self.load_selection()

    def load_selection(self) -> Job | None:
        key = self.current_source()
        app, path = self.app, self.sheet_path
        if key == SHEET and path is None:
            return None
        values = self.params.values()
        if values is None:
            return None

        def work(_progress: Progress, _cancelled: Callable[[], bool]) -> cs.Selection:
            if key == SHEET:
                assert path is not None
                return cs.from_spreadsheet(path)
            return cs.collect(app, key, values)

        def done(selection: cs.Selection) -> None:
            self.selection = selection
            self._show_records()
            wanted = selection.default_template()  # the units' template when the list holds only units
            if self.template_combo.currentData() != wanted and wanted in self.templates and key != SHEET:
                self.template_combo.setCurrentIndex(self.template_combo.findData(wanted))
            self.schedule_preview()

        def failed(exc: BaseException) -> None:
            self.selection = None
            self._show_records()
            message = failure_message(exc)
            if message is None:
                report_failure(self, exc)  # a bug: the crash dialog
            else:  # the source has nothing to offer yet (no round this year, a bad file): say so here
                self.summary.setText(message)
                self.summary.setStyleSheet("color: #b71c1c;")
            self.schedule_preview()

        self._load_job = (Job(self, work, done).failure(failed).with_progress(tr("正在读取名单…"))
                          .on_cancel(self.schedule_preview, quiet=True))
        return self._load_job.run()

    def all_records(self) -> list[dict[str, Any]]:
        return list(self.selection.records) if self.selection is not None else []

    def records(self) -> list[dict[str, Any]]:
        """What is previewed, printed and issued: the records ticked and shown by the filters."""
        return self.chooser.choice.chosen()

    def _show_records(self) -> None:
        before = self.chooser.choice if self.chooser.choice.records else None
        choice = Choice.of(self.all_records(), before)
        if self.focus and choice.focus(self.focus):
            self.focus = {}
        self.chooser.show_choice(choice)
        self._warn_issuer()
        summary, skipped = describe(self.selection)
        self.summary.setStyleSheet("")
        self.summary.setText(summary)
        self.skipped_label.setText(skipped)
        self.skipped_label.setVisible(bool(skipped))
        self._update_buttons()

    def _warn_issuer(self) -> None:
        """Say so when a certificate would have no issuer (none in Settings, none from the source)."""
        missing = missing_issuer(self.app.settings, self.records())
        if missing or self.status.property("issuerHint"):
            self.status.setStyleSheet("color: #b26a00;" if missing else "")
            self.status.setText(tr("提示：尚未设置发证单位，证书落款将为空（文件 → 设置 → 工会名称或发证单位）")
                                if missing else "")
            self.status.setProperty("issuerHint", missing)

    def _chosen_changed(self) -> None:
        self._update_buttons()
        self._warn_issuer()
        self.schedule_preview()

    def _update_buttons(self) -> None:
        has = bool(self.records())
        self.print_button.setEnabled(has)
        self.save_button.setEnabled(has)
        note = kind_note(self.records(), (self.template_key, self.template), self.templates) if self.template else ""
        self.kind_label.setText(note)
        self.kind_label.setVisible(bool(note))

    # ------------------------------------------------------------------ templates and preview

    def _template_changed(self, preview: bool = True) -> None:
        key = str(self.template_combo.currentData() or certs.DEFAULT_TEMPLATE)
        self.template_key = key
        self.template = self.templates.get(key)
        self.editor.set_template(key, self.template)
        self._update_buttons()
        if preview:
            self.schedule_preview()

    def _template_edited(self, template: Any) -> None:
        self.template = template
        self.schedule_preview()

    def _template_saved(self, key: str) -> None:
        self._fill_templates(select=key)
        self.schedule_preview()

    def _toggle_editor(self, on: bool) -> None:
        self.editor.setVisible(on)
        self.preview.set_highlight(self.editor.box() if on else None)
        self.edit_button.setText(tr("收起版式") if on else tr("调整版式…"))

    def schedule_preview(self) -> None:
        self.preview.schedule(self._preview_request)

    def _preview_request(self) -> tuple[App, Any, list[dict[str, Any]]] | None:
        if self.template is None:
            return None
        return self.app, self.template, self.records() or [self.sample()]

    def sample(self) -> dict[str, Any]:
        """A made-up record so an empty list still shows the template (the issuer as set)."""
        key = self.current_source()
        return certs.preview_sample(cs.GENERAL if key == SHEET else key, collective=addresses_units(self.template))

    def preview_busy(self) -> bool:
        return self.preview.busy()

    def reject(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()
            return
        super().reject()
