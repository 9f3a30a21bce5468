"""Importing a register from a spreadsheet: file, sheet, columns, preview, import, result.

Reading, validating and writing run on the job thread (ui.kit.jobs); this module only shows
what they found and lets the clerk correct the column mapping. A mapping the clerk
corrected is remembered per header layout (``header_signature``) and used next time.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.context import App
from desktop.importing import importer, service
from desktop.importing.headers import HeaderMatch, effective_mapping, header_signature
from desktop.importing.readers import ReadError, SheetData
from desktop.importing.rejects import cell_text, write_rejected_rows
from desktop.jobs import Cancelled, Progress
from ui.dialogs.common import (
    choose_open_file,
    choose_save_file,
    error_label,
    keep_open,
    offer_open,
    show_error,
    ui_settings,
)
from ui.kit.jobs import Job, report_failure

log = logging.getLogger(__name__)

FILE_FILTERS = "表格文件 (*.xlsx *.xlsm *.xls *.csv *.txt);;Excel 工作簿 (*.xlsx *.xlsm *.xls);;CSV 文件 (*.csv *.txt);;所有文件 (*)"
KIND_TITLES = {"workers": "职工", "organisations": "单位"}
DUPLICATE_LABELS = {"workers": "身份证号重复时：", "organisations": "单位重复时："}
DUPLICATE_HELP = {"workers": "文件中的身份证号已在职工名册中", "organisations": "文件中单位的统一社会信用代码（没有时为名称）已在单位名册中"}
SAMPLE_ROWS = 8


def tr(text: str) -> str:
    return QCoreApplication.translate("ImportDialog", text)


def open_import(parent: QWidget | None, app: App, kind: str, on_done: Callable[[], None]) -> None:
    """Choose a file and open the import dialog on it; ``on_done`` runs after records were written."""
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


class _ProblemTable(QTableWidget):
    """Row number and reason, one line per problem."""

    def __init__(self, second: str, name_label: str) -> None:
        super().__init__(0, 3)
        self.setHorizontalHeaderLabels([tr("行号"), name_label, second])
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.setColumnWidth(1, 110)
        header.setStretchLastSection(True)

    def fill(self, problems: list[importer.Problem], names: dict[int, str], limit: int = 5000) -> None:
        shown = problems[:limit]
        self.setRowCount(len(shown))
        for r, p in enumerate(shown):
            number = QTableWidgetItem()
            number.setData(Qt.ItemDataRole.DisplayRole, p.row)
            number.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            reason = QTableWidgetItem(p.reason)
            reason.setToolTip(p.reason)
            self.setItem(r, 0, number)
            self.setItem(r, 1, QTableWidgetItem(names.get(p.row, "")))
            self.setItem(r, 2, reason)

    def row_numbers(self) -> list[int]:
        return [int(self.item(r, 0).data(Qt.ItemDataRole.DisplayRole)) for r in range(self.rowCount())]


class _ProblemsView(QTabWidget):
    def __init__(self, name_label: str) -> None:
        super().__init__()
        self.rejected = _ProblemTable(tr("原因"), name_label)
        self.warnings = _ProblemTable(tr("提示"), name_label)
        self.addTab(self.rejected, tr("被拒绝的行"))
        self.addTab(self.warnings, tr("提示"))

    def fill(self, report: importer.ImportReport, names: dict[int, str]) -> None:
        self.rejected.fill(report.rejected, names)
        self.warnings.fill(report.warnings, names)
        self.setTabText(0, tr("被拒绝的行（{0}）").format(len(report.rejected)))
        self.setTabText(1, tr("提示（{0}）").format(len(report.warnings)))
        self.setCurrentIndex(0 if report.rejected or not report.warnings else 1)


class ImportDialog(QDialog):
    """File → columns → preview → import → result, with every long step on the job thread."""

    STEPS = ("选择文件和列", "预览", "完成")

    def __init__(self, parent: QWidget | None, app: App, kind: str, on_done: Callable[[], None]) -> None:
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
        self.job: Job | None = None
        self._rows: list[tuple[int, QComboBox]] = []  # (column index, combo) per mapping row

        self.setWindowTitle(tr("导入{0}名册").format(KIND_TITLES.get(kind, "")))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(860, 620)

        self.steps = QLabel()
        self.stack = QStackedWidget()
        self.stack.addWidget(self._file_page())
        self.stack.addWidget(self._preview_page())
        self.stack.addWidget(self._result_page())

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

    def reject(self) -> None:
        """Closing while a job runs asks the job to stop instead (its window must outlive it)."""
        if self.job is not None and self.job.running:
            self.job.cancel()
            return
        super().reject()

    # -- pages ------------------------------------------------------------------------------

    def _file_page(self) -> QWidget:
        page = QWidget()
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText(tr("请选择 Excel 或 CSV 文件"))
        self.choose_button = QPushButton(tr("选择文件…"))
        self.choose_button.clicked.connect(self.choose_file)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setMinimumWidth(200)
        self.sheet_combo.activated.connect(self._sheet_chosen)
        self.header_info = QLabel()
        self.header_info.setWordWrap(True)
        self.read_error = error_label()

        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setHorizontalHeaderLabels([tr("文件中的列"), tr("示例数据"), tr("导入为")])
        self.mapping_table.verticalHeader().setVisible(False)
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mapping_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.mapping_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.mapping_table.setColumnWidth(0, 200)
        self.mapping_table.setColumnWidth(2, 220)
        self.mapping_hint = QLabel(tr("已按表头自动对应各列；如有不对，请在“导入为”一列中改正。"
                                      "改正后的对应关系会被记住，下次导入同样格式的表格时自动使用。"))
        self.mapping_hint.setWordWrap(True)
        self.mapping_hint.setStyleSheet("color: #555;")
        self.missing_label = error_label()

        file_row = QHBoxLayout()
        file_row.addWidget(QLabel(tr("文件：")))
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(QLabel(tr("工作表：")))
        sheet_row.addWidget(self.sheet_combo)
        sheet_row.addSpacing(16)
        sheet_row.addWidget(self.header_info, 1)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(file_row)
        layout.addLayout(sheet_row)
        layout.addWidget(self.read_error)
        layout.addWidget(self.mapping_table, 1)
        layout.addWidget(self.mapping_hint)
        layout.addWidget(self.missing_label)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        self.counts_label = QLabel()
        self.counts_label.setWordWrap(True)
        font = QFont(self.counts_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.counts_label.setFont(font)
        self.duplicate_label = QLabel(tr(DUPLICATE_LABELS.get(self.kind, "记录重复时：")))
        self.duplicate_label.setToolTip(tr(DUPLICATE_HELP.get(self.kind, "")))
        self.skip_radio = QRadioButton(tr("跳过"))
        self.update_radio = QRadioButton(tr("更新"))
        self.skip_radio.setChecked(True)
        self.duplicate_group = QButtonGroup(self)
        self.duplicate_group.addButton(self.skip_radio)
        self.duplicate_group.addButton(self.update_radio)
        self.skip_radio.toggled.connect(lambda _c: self._show_counts())
        self.preview_problems = _ProblemsView(self.field_labels.get("name", tr("姓名")))
        self.export_preview_button = QPushButton(tr("导出被拒绝的行…"))
        self.export_preview_button.clicked.connect(self.export_rejected)
        note = QLabel(tr("被拒绝的行不会导入；可导出为表格，改正后再导入。导入前会自动备份数据库。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")

        dup_row = QHBoxLayout()
        dup_row.addWidget(self.duplicate_label)
        dup_row.addWidget(self.skip_radio)
        dup_row.addWidget(self.update_radio)
        dup_row.addStretch(1)
        export_row = QHBoxLayout()
        export_row.addWidget(note, 1)
        export_row.addWidget(self.export_preview_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.counts_label)
        layout.addLayout(dup_row)
        layout.addWidget(self.preview_problems, 1)
        layout.addLayout(export_row)
        return page

    def _result_page(self) -> QWidget:
        page = QWidget()
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        font = QFont(self.result_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.result_label.setFont(font)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_problems = _ProblemsView(self.field_labels.get("name", tr("姓名")))
        self.export_result_button = QPushButton(tr("导出被拒绝的行…"))
        self.export_result_button.clicked.connect(self.export_rejected)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.export_result_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.result_label)
        layout.addWidget(self.result_problems, 1)
        layout.addLayout(row)
        return page

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
        self.job = job
        job.finished.connect(self._update_buttons)
        job.run()
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
            self._clear_file()
            show_error(self.read_error, exc.message)
            QMessageBox.warning(self, tr("无法读取文件"), exc.message)
        else:
            report_failure(self, exc)

    def _clear_file(self) -> None:
        self.mapping_hint.setVisible(False)
        self.data = None
        self.match = None
        self.preview_report = None
        self.mapping_table.setRowCount(0)
        self._rows = []
        self.sheet_combo.clear()
        self.header_info.clear()
        show_error(self.missing_label, None)

    def _file_read(self, result: tuple[SheetData, HeaderMatch]) -> None:
        data, match = result
        self.data, self.match = data, match
        self.preview_report = None
        self.sheet_combo.clear()
        self.sheet_combo.addItems(data.sheet_names or [data.name])
        self.sheet_combo.setCurrentText(data.name)
        data_rows = max(len(data.rows) - match.index - 1, 0) if match.index >= 0 else 0
        if not data.rows:
            self.header_info.setText(tr("工作表“{0}”中没有数据。").format(data.name))
        elif match.mapping:
            self.header_info.setText(tr("表头在第 {0} 行，其下有 {1} 行。").format(match.row_number, data_rows))
        else:
            self.header_info.setText(tr("没有认出表头（已取第 {0} 行），请在下表中指定各列。").format(match.row_number))
        header_values = data.rows[match.index][1] if match.index >= 0 else ()
        self.signature = header_signature(header_values)
        remembered = remembered_mapping(self.kind, self.signature)
        mapping = effective_mapping(match, remembered) if remembered else dict(match.mapping)
        self.mapping_hint.setText(
            tr("已使用上次为这种格式的表格改正过的列对应关系；如有不对，请在“导入为”一列中改正。")
            if remembered else
            tr("已按表头自动对应各列；如有不对，请在“导入为”一列中改正。"
               "改正后的对应关系会被记住，下次导入同样格式的表格时自动使用。"))
        self.mapping_hint.setVisible(True)
        self._fill_mapping(data, match, mapping)
        self._check_mapping()
        self._go(0)

    def _fill_mapping(self, data: SheetData, match: HeaderMatch, mapping: dict[int, str]) -> None:
        columns = sorted(match.headers)
        samples = data.rows[match.index + 1: match.index + 1 + SAMPLE_ROWS] if match.index >= 0 else []
        self.mapping_table.setRowCount(len(columns))
        self._rows = []
        for r, col in enumerate(columns):
            name = QTableWidgetItem(match.headers[col])
            name.setToolTip(tr("第 {0} 列").format(col + 1))
            sample = next((cell_text(cells[col]) for _n, cells in samples
                           if col < len(cells) and cell_text(cells[col])), None)
            example = QTableWidgetItem(sample or "")
            example.setForeground(Qt.GlobalColor.darkGray)
            combo = QComboBox()
            combo.addItem(tr("（不导入）"), None)
            for f in self.fields:
                combo.addItem(f.label + (" *" if f.required else ""), f.key)
            combo.setCurrentIndex(max(combo.findData(mapping.get(col)), 0))
            combo.currentIndexChanged.connect(lambda _i, c=combo: self._combo_changed(c))
            self.mapping_table.setItem(r, 0, name)
            self.mapping_table.setItem(r, 1, example)
            self.mapping_table.setCellWidget(r, 2, combo)
            self._rows.append((col, combo))
        self.mapping_table.resizeRowsToContents()

    def _combo_changed(self, changed: QComboBox) -> None:
        key = changed.currentData()
        if key is not None:  # a field is imported from one column only
            for _col, combo in self._rows:
                if combo is not changed and combo.currentData() == key:
                    combo.blockSignals(True)
                    combo.setCurrentIndex(0)
                    combo.blockSignals(False)
        self.preview_report = None
        self._check_mapping()

    def current_mapping(self) -> dict[int, str | None]:
        """Every header column to the field it is imported as (None: not imported)."""
        return {col: combo.currentData() for col, combo in self._rows}

    def set_mapping(self, col: int, key: str | None) -> None:
        """Choose the field for file column ``col`` (what the clerk does with the combo)."""
        for c, combo in self._rows:
            if c == col:
                combo.setCurrentIndex(max(combo.findData(key), 0))

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
            labels = app.labels()
            with app.db.session() as s:
                return importer.plan(s, kind, data, match, labels, mapping=mapping, on_duplicate=on_duplicate,
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
        report = self.preview_report
        if report is None:
            return
        new, existing, orgs = self.preview_counts
        if report.data_rows == 0:
            self.counts_label.setText(tr("表头下面没有数据行，没有可导入的记录。"))
            return
        action = tr("将更新") if self.update_radio.isChecked() else tr("将跳过")
        parts = [tr("共 {0} 行：新增 <b>{1}</b> 条").format(report.data_rows, new),
                 tr("已在名册中 <b>{0}</b> 条（{1}）").format(existing, action),
                 tr("拒绝 <b style='color:#c0392b'>{0}</b> 条").format(len(report.rejected))]
        if orgs:
            parts.append(tr("新建单位 {0} 个").format(orgs))
        if report.warnings:
            parts.append(tr("提示 {0} 条").format(len(report.warnings)))
        text = "，".join(parts) + "。"
        if new + existing == 0:
            text += "<br>" + tr("没有可导入的记录，请改正被拒绝的行后重新导入。")
        self.counts_label.setText(text)
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
        text = tr("导入完成：") + report.summary() + "。"
        if report.created_organisations:
            text += tr("新建单位 {0} 个。").format(report.created_organisations)
        if backup is not None:
            text += "<br>" + tr("导入前已自动备份数据库：{0}").format(backup.name)
        if report.rejected:
            text += "<br>" + tr("被拒绝的行没有导入，可点“导出被拒绝的行…”导出，改正后再导入。")
        if not (report.imported or report.updated):
            text = tr("没有写入任何记录：") + report.summary() + "。"
        self.result_label.setText(text)
        self.result_problems.fill(report, self.row_names())
        self._go(2)
        if report.imported or report.updated:
            self.on_done()

    # -- rejected rows ---------------------------------------------------------------------

    def current_report(self) -> importer.ImportReport | None:
        return self.result_report if self.stack.currentIndex() == 2 else self.preview_report

    def export_rejected(self, path: Path | None = None) -> Job | None:
        report = self.current_report()
        if report is None or not report.rejected_rows or self.data is None or self.match is None:
            return None
        if not path:
            stem = self.path.stem if self.path else KIND_TITLES.get(self.kind, "")
            path = choose_save_file(self, tr("导出被拒绝的行"), tr("{0}-被拒绝的行.xlsx").format(stem),
                                    tr("Excel 工作簿 (*.xlsx)"), ".xlsx", "rejects")
            if path is None:
                return None
        target = Path(path)
        headers = importer.header_names(self.data.rows[self.match.index][1])
        rows, problems = list(report.rejected_rows), list(report.rejected)
        db, table = self.app.db, self.kind

        def write(_progress: Progress, cancelled: Callable[[], bool]) -> int:
            # whole values, so audit-logged first (like export --full)
            return write_rejected_rows(target, rows, problems, headers=headers, cancelled=cancelled, db=db, table=table)

        def written(n: int) -> None:
            offer_open(self, tr("已导出"), tr("已导出 {0} 行被拒绝的数据：\n{1}\n\n改正后可再次导入（原行号和拒绝原因两列会被忽略）。")
                       .format(n, target), target)

        return self._start(Job(self, write, written).with_progress(tr("正在导出被拒绝的行…")))
