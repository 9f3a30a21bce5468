"""The three pages of the import dialog: ① the file, its sheet and the column mapping, ② the
preview (counts, what to do with duplicates, the problem rows), ③ the result. Widgets only: the
dialog (``ui.dialogs.importing``) runs the jobs and moves between them.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.importing import importer
from desktop.importing.headers import HeaderField, HeaderMatch
from desktop.importing.readers import SheetData
from desktop.importing.rejects import cell_text
from ui.dialogs.common import error_label, show_error
from ui.dialogs.import_problems import ProblemsView

DUPLICATE_LABELS = {"workers": "身份证号重复时：", "organisations": "单位重复时："}
DUPLICATE_HELP = {"workers": "文件中的身份证号已在职工名册中", "organisations": "文件中单位的统一社会信用代码（没有时为名称）已在单位名册中"}
SAMPLE_ROWS = 8
AUTOMATIC_HINT = ("已按表头自动对应各列；如有不对，请在“导入为”一列中改正。"
                  "改正后的对应关系会被记住，下次导入同样格式的表格时自动使用。")
REMEMBERED_HINT = "已使用上次为这种格式的表格改正过的列对应关系；如有不对，请在“导入为”一列中改正。"


def tr(text: str) -> str:
    return QCoreApplication.translate("ImportDialog", text)


def _bigger(label: QLabel) -> QLabel:
    label.setWordWrap(True)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.15)
    label.setFont(font)
    return label


def _grey_note(text: str) -> QLabel:
    note = QLabel(text)
    note.setWordWrap(True)
    note.setStyleSheet("color: #555;")
    return note


class FilePage(QWidget):
    """The file, its sheet and which field each of its columns is imported as."""

    mapping_changed = Signal()

    def __init__(self, fields: Sequence[HeaderField], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields = fields
        self._rows: list[tuple[int, QComboBox]] = []  # (column index, combo) per mapping row
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText(tr("请选择 Excel 或 CSV 文件"))
        self.choose_button = QPushButton(tr("选择文件…"))
        self.sheet_combo = QComboBox()
        self.sheet_combo.setMinimumWidth(200)
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
        self.mapping_hint = _grey_note(tr(AUTOMATIC_HINT))
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(file_row)
        layout.addLayout(sheet_row)
        layout.addWidget(self.read_error)
        layout.addWidget(self.mapping_table, 1)
        layout.addWidget(self.mapping_hint)
        layout.addWidget(self.missing_label)

    def clear(self) -> None:
        self.mapping_hint.setVisible(False)
        self.mapping_table.setRowCount(0)
        self._rows = []
        self.sheet_combo.clear()
        self.header_info.clear()
        show_error(self.missing_label, None)

    def show_sheet(self, data: SheetData, match: HeaderMatch, mapping: dict[int, str], remembered: bool) -> None:
        """The sheet's names, where its header is and the mapping table for its columns."""
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
        self.mapping_hint.setText(tr(REMEMBERED_HINT) if remembered else tr(AUTOMATIC_HINT))
        self.mapping_hint.setVisible(True)
        self._fill_mapping(data, match, mapping)

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
        self.mapping_changed.emit()

    def current_mapping(self) -> dict[int, str | None]:
        """Every header column to the field it is imported as (None: not imported)."""
        return {col: combo.currentData() for col, combo in self._rows}

    def set_mapping(self, col: int, key: str | None) -> None:
        """Choose the field for file column ``col`` (what the clerk does with the combo)."""
        for c, combo in self._rows:
            if c == col:
                combo.setCurrentIndex(max(combo.findData(key), 0))


class PreviewPage(QWidget):
    """What the import will do: counts, skip or update duplicates, the problem rows."""

    def __init__(self, kind: str, name_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts_label = _bigger(QLabel())
        self.duplicate_label = QLabel(tr(DUPLICATE_LABELS.get(kind, "记录重复时：")))
        self.duplicate_label.setToolTip(tr(DUPLICATE_HELP.get(kind, "")))
        self.skip_radio = QRadioButton(tr("跳过"))
        self.update_radio = QRadioButton(tr("更新"))
        self.skip_radio.setChecked(True)
        self.duplicate_group = QButtonGroup(self)
        self.duplicate_group.addButton(self.skip_radio)
        self.duplicate_group.addButton(self.update_radio)
        self.problems = ProblemsView(name_label, preview=True)
        self.export_button = QPushButton(tr("导出被拒绝的行…"))
        note = _grey_note(tr("被拒绝的行不会导入；可导出为表格，改正后再导入。导入前会自动备份数据库。"))

        dup_row = QHBoxLayout()
        dup_row.addWidget(self.duplicate_label)
        dup_row.addWidget(self.skip_radio)
        dup_row.addWidget(self.update_radio)
        dup_row.addStretch(1)
        export_row = QHBoxLayout()
        export_row.addWidget(note, 1)
        export_row.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.counts_label)
        layout.addLayout(dup_row)
        layout.addWidget(self.problems, 1)
        layout.addLayout(export_row)

    def show_counts(self, report: importer.ImportReport, new: int, existing: int, orgs: int) -> None:
        if report.data_rows == 0:
            self.counts_label.setText(tr("表头下面没有数据行，没有可导入的记录。"))
            return
        action = tr("将更新") if self.update_radio.isChecked() else tr("将跳过")
        parts = [tr("共 {0} 行：新增 <b>{1}</b> 条").format(report.data_rows, new),
                 tr("已在名册中 <b>{0}</b> 条（{1}）").format(existing, action),
                 tr("拒绝 <b style='color:#c0392b'>{0}</b> 条").format(len(report.rejected))]
        if orgs:
            parts.append(tr("将新建单位 {0} 个").format(orgs))
        if report.warnings:
            parts.append(tr("提示 {0} 条").format(len(report.warnings)))
        text = "，".join(parts) + "。"
        if new + existing == 0:
            text += "<br>" + tr("没有可导入的记录，请改正被拒绝的行后重新导入。")
        self.counts_label.setText(text)


class ResultPage(QWidget):
    """What the import did, and the rows it left out."""

    def __init__(self, name_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result_label = _bigger(QLabel())
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems = ProblemsView(name_label, preview=False)
        self.export_button = QPushButton(tr("导出被拒绝的行…"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.result_label)
        layout.addWidget(self.problems, 1)
        layout.addLayout(row)

    def show_result(self, report: importer.ImportReport, backup_name: str | None) -> None:
        text = tr("导入完成：") + report.summary() + "。"
        if report.created_organisations:
            text += tr("新建单位 {0} 个。").format(report.created_organisations)
        if backup_name is not None:
            text += "<br>" + tr("导入前已自动备份数据库：{0}").format(backup_name)
        if report.rejected:
            text += "<br>" + tr("被拒绝的行没有导入，可点“导出被拒绝的行…”导出，改正后再导入。")
        if not (report.imported or report.updated):
            text = tr("没有写入任何记录：") + report.summary() + "。"
        self.result_label.setText(text)
