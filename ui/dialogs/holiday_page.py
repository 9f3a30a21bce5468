"""Settings → 节假日: the working-day calendar that publicity periods (公示期) are counted over.

One row per listed day: the date as typed, 放假 or 调休上班, the holiday's name. Rows are added and
removed one by one, or a whole holiday at once (添加某年节假日…: a date range, all 放假); they are
shown in date order. The column headings and the two kinds come from
``desktop.programmes.core.working_days``, which checks the rows (a Chinese message naming the row)
and saves them in one transaction (``save_calendar``); nothing here touches the database.
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.errors import ValidationError
from desktop.changes import Changes
from desktop.context import App
from desktop.programmes.core import working_days as wd
from ui.dialogs.common import error_label, hint_label, show_error
from ui.kit.parts import ok_cancel

DATE_FORMAT = "yyyy-MM-dd"
_ROW = re.compile(r"第 (\d+) 行")


def tr(text: str) -> str:
    return QCoreApplication.translate("HolidayPage", text)


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class HolidayRangeDialog(QDialog):
    """添加某年节假日…: the first and last day of one holiday and its name; ``days`` once accepted."""

    def __init__(self, parent: QWidget | None, start: date) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("添加节假日"))
        self.setMinimumWidth(380)
        self.days: list[wd.Row] = []
        self.first = QDateEdit(_qdate(start))
        self.last = QDateEdit(_qdate(start))
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(DATE_FORMAT)
        self.first.dateChanged.connect(lambda d: self.last.setDate(max(d, self.last.date())))
        self.name = QLineEdit()
        self.name.setPlaceholderText(tr("如 春节、国庆节"))
        self.error = error_label()
        form = QFormLayout()
        form.addRow(tr("放假开始："), self.first)
        form.addRow(tr("放假结束："), self.last)
        form.addRow(wd.labels()["name"] + "：", self.name)
        buttons = ok_cancel(self, tr("添加"), tr("取消"))
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label(tr("这几天都记为“{0}”；调休上班的周末请在列表中另行添加。").format(wd.KINDS[False])))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            self.days = wd.holiday_range(_pydate(self.first.date()), _pydate(self.last.date()), self.name.text())
        except ValidationError as exc:
            show_error(self.error, exc.message)
            return
        super().accept()


class HolidayPage(QWidget):
    """The calendar's days as an editable table; :meth:`check` and :meth:`save` go through the desktop."""

    def __init__(self, app: App) -> None:
        super().__init__()
        self.app = app
        heads = wd.labels()
        note = QLabel(tr("每年11月国务院公布次年节假日安排后请在此补充。"))
        note.setObjectName("holidayNote")
        note.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("holidayTable")
        self.table.setHorizontalHeaderLabels([heads["day"], heads["working"], heads["name"]])
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        metrics = self.fontMetrics()
        for column, sample in ((0, "2027-10-01"), (1, wd.KINDS[True])):  # room for a date and the longer kind
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, max(metrics.horizontalAdvance(sample) + 44,
                                             metrics.horizontalAdvance(self.table.horizontalHeaderItem(column).text())
                                             + 24))
        header.setStretchLastSection(True)
        self.add_button = QPushButton(tr("添加一行"))
        self.remove_button = QPushButton(tr("删除所选"))
        self.range_button = QPushButton(tr("添加某年节假日…"))
        self.add_button.clicked.connect(lambda: self._add_and_edit())
        self.remove_button.clicked.connect(self.remove_selected)
        self.range_button.clicked.connect(lambda: self.choose_range())
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.range_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(hint_label(tr("未列出的日子：周一至周五为工作日，周六、周日休息。公示期等按工作日计算"
                                       "（公示天数在“常规”页设置）。日期写成 2027-01-01。")))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        for day, worked, name in wd.calendar_rows(app):
            self.add_row(f"{day:%Y-%m-%d}", worked, name)
        self.original = self.rows()
        self.table.itemChanged.connect(lambda _item: show_error(self.error, None))
        self.table.scrollToBottom()  # the latest year, where the next one is added

    # -- rows

    def add_row(self, day: str = "", worked: bool = False, name: str = "") -> int:
        r = self.table.rowCount()
        self.table.insertRow(r)
        self.table.setItem(r, 0, QTableWidgetItem(day))
        kind = QComboBox()
        for flag, label in wd.KINDS.items():
            kind.addItem(label, flag)
        kind.setCurrentIndex(kind.findData(worked))
        self.table.setCellWidget(r, 1, kind)
        self.table.setItem(r, 2, QTableWidgetItem(name))
        return r

    def _add_and_edit(self) -> int:
        r = self.add_row()
        self.table.setCurrentCell(r, 0)
        self.table.editItem(self.table.item(r, 0))
        return r

    def remove_selected(self) -> None:
        for r in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(r)
        show_error(self.error, None)

    def _kind(self, r: int) -> QComboBox:
        widget = self.table.cellWidget(r, 1)
        assert isinstance(widget, QComboBox)
        return widget

    def rows(self) -> list[tuple[str, bool, str]]:
        """(date as typed, worked, name) as the table shows them."""
        return [(self.table.item(r, 0).text().strip(), bool(self._kind(r).currentData()),
                 self.table.item(r, 2).text().strip()) for r in range(self.table.rowCount())]

    def set_rows(self, rows: list[tuple[str, bool, str]]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for day, worked, name in rows:
            self.add_row(day, worked, name)
        self.table.blockSignals(False)

    def sort_rows(self) -> None:
        """Date order; rows whose date cannot be read stay at the end, in their order."""
        def key(row: tuple[str, bool, str]) -> tuple[int, str]:
            try:
                return 0, f"{wd.check_rows([row])[0][0]:%Y-%m-%d}"
            except ValidationError:
                return 1, ""

        self.set_rows(sorted(self.rows(), key=key))

    def add_range(self, days: list[wd.Row]) -> None:
        """A whole holiday: its days replace rows of the same date, then all are sorted."""
        taken = {f"{d:%Y-%m-%d}" for d, _w, _n in days}
        kept = []
        for row in self.rows():
            try:
                same = f"{wd.check_rows([row])[0][0]:%Y-%m-%d}" in taken
            except ValidationError:
                same = False
            if not same:
                kept.append(row)
        self.set_rows(kept + [(f"{d:%Y-%m-%d}", w, n) for d, w, n in days])
        self.sort_rows()

    def choose_range(self) -> HolidayRangeDialog:
        """Open 添加某年节假日… (starting on New Year's day of next year); its days are added on 添加."""
        dlg = HolidayRangeDialog(self, date(date.today().year + 1, 1, 1))
        dlg.accepted.connect(lambda: self.add_range(dlg.days))
        dlg.open()
        return dlg

    # -- checking and saving

    def is_changed(self) -> bool:
        return self.rows() != self.original

    def check(self) -> list[wd.Row] | None:
        """The rows checked by the desktop; None after showing the message and selecting the row."""
        try:
            days = wd.check_rows(self.rows())
        except ValidationError as exc:
            show_error(self.error, exc.message)
            found = _ROW.search(exc.message)
            if found:
                self.table.selectRow(int(found.group(1)) - 1)
            return None
        show_error(self.error, None)
        return days

    def save(self) -> Changes:
        """Store the rows (one transaction, the settings permission); they are shown sorted after."""
        changes = wd.save_calendar(self.app, self.rows())
        self.sort_rows()
        self.original = self.rows()
        return changes
