"""The import dialog's list of problem rows: rejected rows and warnings, one line each."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QTabWidget

from desktop.importing import importer


def tr(text: str) -> str:
    return QCoreApplication.translate("ImportDialog", text)


class ProblemTable(QTableWidget):
    """Row number, the row's name and the reason, one line per problem."""

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

    def fill(self, problems: list[importer.Problem], names: dict[int, str], *, preview: bool = False,
             limit: int = 5000) -> None:
        shown = problems[:limit]
        self.setRowCount(len(shown))
        for r, p in enumerate(shown):
            number = QTableWidgetItem()
            number.setData(Qt.ItemDataRole.DisplayRole, p.row)
            number.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            text = p.reason
            reason = QTableWidgetItem(text)
            reason.setToolTip(text)
            self.setItem(r, 0, number)
            self.setItem(r, 1, QTableWidgetItem(names.get(p.row, "")))
            self.setItem(r, 2, reason)

    def row_numbers(self) -> list[int]:
        return [int(self.item(r, 0).data(Qt.ItemDataRole.DisplayRole)) for r in range(self.rowCount())]

    def reasons(self) -> list[str]:
        return [self.item(r, 2).text() for r in range(self.rowCount())]


class ProblemsView(QTabWidget):
    """被拒绝的行 and 提示, as two tabs with their counts."""

    def __init__(self, name_label: str, *, preview: bool) -> None:
        super().__init__()
        self.preview = preview
        self.rejected = ProblemTable(tr("原因"), name_label)
        self.warnings = ProblemTable(tr("提示"), name_label)
        self.addTab(self.rejected, tr("被拒绝的行"))
        self.addTab(self.warnings, tr("提示"))

    def fill(self, report: importer.ImportReport, names: dict[int, str]) -> None:
        self.rejected.fill(report.rejected, names, preview=self.preview)
        self.warnings.fill(report.warnings, names, preview=self.preview)
        self.setTabText(0, tr("被拒绝的行（{0}）").format(len(report.rejected)))
        self.setTabText(1, tr("提示（{0}）").format(len(report.warnings)))
        self.setCurrentIndex(0 if report.rejected or not report.warnings else 1)
