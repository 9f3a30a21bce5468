"""Importing a register from a spreadsheet: file, sheet, columns, preview, import, result.

Reading, validating and writing run on the job thread (ui.kit.jobs); this module only shows
what they found (the pages are in ``ui.dialogs.import_pages``) and lets the clerk correct the
column mapping. A mapping the clerk corrected is remembered per header layout
(``header_signature``) and used next time. After records were written the dialog announces what
changed (``ui.kit.changes``): every view of the register refreshes itself.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.changes import Changes
from desktop.context import App
from desktop.importing import importer, service
from desktop.importing.headers import HeaderMatch, effective_mapping, header_signature
from desktop.importing.readers import ReadError, SheetData
from desktop.importing.rejects import cell_text, write_rejected_rows
from desktop.jobs import Cancelled, Progress
from desktop.reads import import_preview
from ui.dialogs.common import (
    choose_open_file,
    choose_save_file,
    keep_open,
    offer_open,
    show_error,
    ui_settings,
)
from ui.dialogs.import_pages import FilePage, PreviewPage, ResultPage
from ui.kit.changes import announce
from ui.kit.job_dialog import JobDialog
from ui.kit.jobs import Job, report_failure

log = logging.getLogger(__name__)

FILE_FILTERS = "表格文件 (*.xlsx *.xlsm *.xls *.csv *.txt);;Excel 工作簿 (*.xlsx *.xlsm *.xls);;CSV 文件 (*.csv *.txt);;所有文件 (*)"
KIND_TITLES = {"workers": "职工", "organisations": "单位"}


def tr(text: str) -> str:
    return QCoreApplication.translate("ImportDialog", text)


def open_import(parent: QWidget | None, app: App, kind: str, on_done: Callable[[], object] | None = None) -> None:
    """Choose a file and open the import dialog on it. What the import changed is announced;
    ``on_done`` (optional) runs after records were written."""
    path = choose_open_file(parent, tr("选择要导入的{0}表格").format(KIND_TITLES.get(kind, "")), tr(FILE_FILTERS),
                            "import")
    if path is None:
        return
    dlg = ImportDialog(parent, app, kind, on_done)
    keep_open(dlg).open()
    dlg.load_file(path)


def remembered_mapping(kind: str, signature: str) -> dict[int, str | None] | None:
    raw = ui_settings().value(f"import/{kind}/{signature}")
    if not raw:
        return None
    try:
        stored = json.loads(str(raw))
        return {int(col): (str(key) if key else None) for col, key in stored.items()}
    except (ValueError, TypeError, AttributeError):
        return None


def remember_mapping(kind: str, signature: str, mapping: dict[int, str | None] | None) -> None:
    qs = ui_settings()
    key = f"import/{kind}/{signature}"
    if mapping is None:
        qs.remove(key)
    else:
        qs.setValue(key, json.dumps({str(c): k for c, k in sorted(mapping.items())}, ensure_ascii=False))
    qs.sync()


def import_changes(kind: str, report: importer.ImportReport) -> Changes:
    """The tables an import wrote: the register, and the units it created for workers."""
    tables = [kind] + (["organisations"] if report.created_organisations else [])
    return Changes.of(*tables, message=report.summary())


class ImportDialog(JobDialog):
    """File → columns → preview → import → result, with every long step on the job thread."""

    STEPS = ("选择文件和列", "预览", "完成")

    def __init__(self, parent: QWidget | None, app: App, kind: str,
                 on_done: Callable[[], object] | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.kind = kind
        self.on_done = on_done
        self.fields = importer.header_fields(importer.MODELS[kind])
        self.field_labels = {f.key: f.label for f in self.fields}
        self.path: Path | None = None
        self.data: SheetData | None = None
        self.match: HeaderMatch | None = None
        self.signature = ""
        self.preview_report: importer.ImportReport | None = None
        self.preview_counts: tuple[int, int, int] = (0, 0, 0)  # new, existing, organisations
        self.result_report: importer.ImportReport | None = None

        self.setWindowTitle(tr("导入{0}名册").format(KIND_TITLES.get(kind, "")))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(860, 620)

        name_label = self.field_labels.get("name", tr("姓名"))
        self.file_page = FilePage(self.fields)
        self.preview_page = PreviewPage(kind, name_label)
        self.result_page = ResultPage(name_label)
        self.steps = QLabel()
        self.stack = QStackedWidget()
        for page in (self.file_page, self.preview_page, self.result_page):
            self.stack.addWidget(page)
        # What the tests and the clerk's steps reach for, by their old names.
        f, p, r = self.file_page, self.preview_page, self.result_page
        self.file_edit, self.choose_button, self.sheet_combo = f.file_edit, f.choose_button, f.sheet_combo
        self.read_error, self.mapping_hint, self.missing_label = f.read_error, f.mapping_hint, f.missing_label
        self.mapping_table = f.mapping_table
        self.counts_label, self.skip_radio, self.update_radio = p.counts_label, p.skip_radio, p.update_radio
        self.preview_problems, self.export_preview_button = p.problems, p.export_button
        self.result_label, self.result_problems, self.export_result_button = r.result_label, r.problems, r.export_button

        f.choose_button.clicked.connect(self.choose_file)
        f.sheet_combo.activated.connect(self._sheet_chosen)
        f.mapping_changed.connect(self._mapping_changed)
        p.skip_radio.toggled.connect(lambda _c: self._show_counts())
        p.export_button.clicked.connect(lambda: self.export_rejected())
        r.export_button.clicked.connect(lambda: self.export_rejected())

        self.back_button = QPushButton(tr("上一步"))
        self.back_button.clicked.connect(lambda: self._go(0))
        self.preview_button = QPushButton(tr("下一步：预览"))
        self.preview_button.clicked.connect(self.run_preview)
        self.import_button = QPushButton(tr("导入"))
        self.import_button.clicked.connect(self.run_import)
        self.close_button = QPushButton(tr("取消"))
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        for b in (self.preview_button, self.import_button, self.close_button):
            buttons.addWidget(b)

        layout = QVBoxLayout(self)
        layout.addWidget(self.steps)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self._go(0)

    def _go(self, step: int) -> None:
        self.stack.setCurrentIndex(step)
        parts = []
        for i, name in enumerate(self.STEPS):
            text = f"{'①②③'[i]} {tr(name)}"
            parts.append(f"<b>{text}</b>" if i == step else f"<span style='color:#888'>{text}</span>")
        self.steps.setText("　→　".join(parts))
        self.back_button.setVisible(step == 1)
        self.preview_button.setVisible(step == 0)
        self.import_button.setVisible(step == 1)
        self.close_button.setText(tr("关闭") if step == 2 else tr("取消"))
        self.preview_button.setDefault(step == 0)
        self.import_button.setDefault(step == 1)
        self.close_button.setDefault(step == 2)
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.job is not None and not self.job.done
        missing = self.missing_fields()
        self.preview_button.setEnabled(not busy and self.data is not None and not missing)
        self.import_button.setEnabled(not busy and self.preview_report is not None
                                      and self.preview_counts[0] + self.preview_counts[1] > 0)
        self.choose_button.setEnabled(not busy)
        self.sheet_combo.setEnabled(not busy and self.sheet_combo.count() > 1)
        rejected = self.preview_report.rejected_rows if self.preview_report else []
        self.export_preview_button.setEnabled(not busy and bool(rejected))
        result_rejected = self.result_report.rejected_rows if self.result_report else []
        self.export_result_button.setEnabled(not busy and bool(result_rejected))

    def _start(self, job: Job) -> Job:
        job.finished.connect(self._update_buttons)
        self.start(job)
        self._update_buttons()
        return job

    # -- step 1: file, sheet, columns -----------------------------------------------------

    def choose_file(self) -> None:
        path = choose_open_file(self, tr("选择要导入的表格"), tr(FILE_FILTERS), "import")
        if path is not None:
            self.load_file(path)

    def _sheet_chosen(self, index: int) -> None:
        name = self.sheet_combo.itemText(index)
        if self.path is not None and self.data is not None and name != self.data.name:
            self.load_file(self.path, name)

    def load_file(self, path: Path, sheet: str | None = None) -> Job:
        """Read ``path`` (and find its header) on the job thread, then fill the mapping table."""
        self.path = path
        self.file_edit.setText(str(path))
        self.file_edit.setToolTip(str(path))
        show_error(self.read_error, None)
        kind = self.kind

        def read(_progress: Progress, cancelled: Callable[[], bool]) -> tuple[SheetData, HeaderMatch]:
            result = importer.read_and_match(path, kind, sheet)
            if cancelled():
                raise Cancelled
            return result

        return self._start(Job(self, read, self._file_read).failure(self._file_failed)
                           .with_progress(tr("正在读取 {0}…").format(path.name)))

    def _file_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ReadError):
            self.data, self.match, self.preview_report = None, None, None
            self.file_page.clear()
            show_error(self.read_error, exc.message)
            QMessageBox.warning(self, tr("无法读取文件"), exc.message)
        else:
            report_failure(self, exc)

    def _file_read(self, result: tuple[SheetData, HeaderMatch]) -> None:
        data, match = result
        self.data, self.match = data, match
        self.preview_report = None
        header_values = data.rows[match.index][1] if match.index >= 0 else ()
        self.signature = header_signature(header_values)
        remembered = remembered_mapping(self.kind, self.signature)
        mapping = effective_mapping(match, remembered) if remembered else dict(match.mapping)
        self.file_page.show_sheet(data, match, mapping, remembered is not None)
        self._check_mapping()
        self._go(0)

    def _mapping_changed(self) -> None:
        self.preview_report = None
        self._check_mapping()

    def current_mapping(self) -> dict[int, str | None]:
        """Every header column to the field it is imported as (None: not imported)."""
        return self.file_page.current_mapping()

    def set_mapping(self, col: int, key: str | None) -> None:
        """Choose the field for file column ``col`` (what the clerk does with the combo)."""
        self.file_page.set_mapping(col, key)

    def missing_fields(self) -> list[str]:
        if self.data is None:
            return []
        chosen = {k for k in self.current_mapping().values() if k}
        return [f.key for f in self.fields if f.required and f.key not in chosen]

    def _check_mapping(self) -> None:
        missing = self.missing_fields()
        show_error(self.missing_label, tr("缺少必填列：{0}。请在“导入为”一列中指定。").format(
            "、".join(self.field_labels[m] for m in missing)) if missing else None)
        self._update_buttons()

    def row_names(self) -> dict[int, str]:
        """Each data row's name (the column imported as ``name``), to show beside its problems."""
        col = next((c for c, key in self.current_mapping().items() if key == "name"), None)
        if self.data is None or self.match is None or col is None:
            return {}
        return {number: cell_text(cells[col]) or "" for number, cells in self.data.rows[self.match.index + 1:]
                if col < len(cells)}

    def _remember(self) -> None:
        assert self.match is not None
        current = self.current_mapping()
        automatic = {col: self.match.mapping.get(col) for col in current}
        remember_mapping(self.kind, self.signature, None if current == automatic else current)

    # -- step 2: preview ------------------------------------------------------------------

    def on_duplicate(self) -> str:
        return "update" if self.update_radio.isChecked() else "skip"

    def run_preview(self) -> Job | None:
        if self.data is None or self.match is None or self.missing_fields():
            return None
        self._remember()
        app, kind, data, match = self.app, self.kind, self.data, self.match
        mapping, on_duplicate = self.current_mapping(), self.on_duplicate()

        def preview(progress: Progress, cancelled: Callable[[], bool]) -> importer.Plan:
            return import_preview(app, kind, data, match, mapping=mapping, on_duplicate=on_duplicate,
                                  progress=progress, cancelled=cancelled)

        return self._start(Job(self, preview, self._previewed).with_progress(tr("正在检查数据…")))

    def _previewed(self, plan: importer.Plan) -> None:
        report = plan.report
        self.preview_report = report
        self.preview_counts = (len(plan.inserts), len(plan.updates) + report.skipped, len(plan.new_organisations))
        self.preview_problems.fill(report, self.row_names())
        self._show_counts()
        self._go(1)

    def _show_counts(self) -> None:
        if self.preview_report is not None:
            self.preview_page.show_counts(self.preview_report, *self.preview_counts)
            self._update_buttons()

    # -- step 3: import -------------------------------------------------------------------

    def run_import(self) -> Job | None:
        if self.data is None or self.match is None or self.preview_report is None:
            return None
        app, kind, data, match = self.app, self.kind, self.data, self.match
        mapping, on_duplicate = self.current_mapping(), self.on_duplicate()

        def do_import(progress: Progress, cancelled: Callable[[], bool]) -> tuple[importer.ImportReport, Path | None]:
            return service.validate_and_write(app, kind, data, match, mapping=mapping, on_duplicate=on_duplicate,
                                              progress=progress, cancelled=cancelled)

        return self._start(Job(self, do_import, self._imported).with_progress(tr("正在导入…")))

    def _imported(self, result: tuple[importer.ImportReport, Path | None]) -> None:
        report, backup = result
        self.result_report = report
        self.result_page.show_result(report, backup.name if backup is not None else None)
        self.result_problems.fill(report, self.row_names())
        self._go(2)
        if report.imported or report.updated:
            announce(import_changes(self.kind, report))
            if self.on_done is not None:
                self.on_done()

    # -- rejected rows ---------------------------------------------------------------------

    def current_report(self) -> importer.ImportReport | None:
        return self.result_report if self.stack.currentIndex() == 2 else self.preview_report

    def export_rejected(self, path: Path | None = None) -> Job | None:
        """The rejected rows as a workbook to fix and import again; the save dialog starts in the
        imported file's folder, offering ``<file>-被拒绝的行.xlsx``."""
        report = self.current_report()
        if report is None or not report.rejected_rows or self.data is None or self.match is None:
            return None
        if not path:
            stem = self.path.stem if self.path else KIND_TITLES.get(self.kind, "")
            folder = self.path.parent if self.path is not None else None
            path = choose_save_file(self, tr("导出被拒绝的行"), tr("{0}-被拒绝的行.xlsx").format(stem),
                                    tr("Excel 工作簿 (*.xlsx)"), ".xlsx", "rejects", folder)
            if path is None:
                return None
        target = Path(path)
        headers = importer.header_names(self.data.rows[self.match.index][1], self.data)
        rows, problems = list(report.rejected_rows), list(report.rejected)
        db, table = self.app.db, self.kind

        def write(_progress: Progress, cancelled: Callable[[], bool]) -> int:
            # whole values, so audit-logged first (like export --full)
            return write_rejected_rows(target, rows, problems, headers=headers, cancelled=cancelled, db=db, table=table)

        def written(n: int) -> None:
            offer_open(self, tr("已导出"), tr("已导出 {0} 行被拒绝的数据：\n{1}\n\n改正后可再次导入（原行号和拒绝原因两列会被忽略）。")
                       .format(n, target), target)

        return self._start(Job(self, write, written).with_progress(tr("正在导出被拒绝的行…")))
