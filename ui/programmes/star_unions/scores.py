"""录入评分: one application's scores, item by item, for one assessment (自评, 镇初审 or 县评定).

The standard's items in rows with their maximum and the evidence asked for; the three assessments
side by side, the chosen one editable, with its evidence note; the total as the clerk types. On
确定 the service checks every score (a bad one is named, nothing is written) and, when asked,
moves the application into that stage in the same transaction.
"""

from __future__ import annotations

import contextlib
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.context import App
from desktop.programmes.star_unions import queries, rules, service
from desktop.programmes.star_unions.rules import WORKFLOW
from ui.kit.cultivation import ServiceDialog, qdate, tr
from ui.kit.parts import dialog_heading, note_label, ok_cancel, problem_label
from ui.programmes.star_unions.dialogs import label

STAGE_COLUMN = {rules.SELF: 4, rules.TOWN: 5, rules.COUNTY: 6}
NOTE = 7
EDITABLE = QColor("#fffbe6")


class ScoreDialog(ServiceDialog):
    def __init__(self, parent: QWidget | None, app: App, sheet: queries.ScoreSheet) -> None:
        super().__init__(parent)
        self.app, self.sheet = app, sheet
        self.result_value: Any = None
        self.setWindowTitle(tr("录入评分：{0}").format(sheet.unit))
        self.resize(1060, 640)
        heading = dialog_heading(tr("{0}　申报{1}（达标分数 {2} 分）").format(sheet.unit, sheet.applied_title, sheet.threshold), self)
        line = QHBoxLayout()
        line.addWidget(QLabel(tr("评分阶段："), self))
        self.stage = QComboBox(self)
        for st in sheet.scoring:
            self.stage.addItem(WORKFLOW.label(st), st)
        self.stage.setCurrentIndex(self.stage.count() - 1)  # the next assessment
        line.addWidget(self.stage)
        self.advance = QCheckBox(self)
        line.addWidget(self.advance)
        self.on = QDateEdit(self)
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("yyyy-MM-dd")
        self.on.setDate(qdate(date.today()))
        line.addWidget(self.on)
        line.addStretch(1)
        self.total = QLabel(self)
        self.total.setObjectName("pageSubheading")
        line.addWidget(self.total)

        heads = [label("StarItem.dimension"), label("StarItem.item"), label("StarItem.max_score"),
                 label("StarItem.evidence"), label("StarScore.self_score"), label("StarScore.town_score"),
                 label("StarScore.county_score"), label("StarScore.evidence")]
        self.table = QTableWidget(len(sheet.lines), len(heads), self)
        self.table.setHorizontalHeaderLabels(heads)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setStretchLastSection(True)
        for col, width in enumerate((140, 320, 48, 150, 56, 56, 56, 160)):
            self.table.setColumnWidth(col, width)
        last = None
        for r, ln in enumerate(sheet.lines):
            texts = [ln.dimension if ln.dimension != last else "", ln.item, str(ln.max_score), ln.asked,
                     *(rules.fmt(ln.scores.get(st)) for st in STAGE_COLUMN), ln.evidence]
            last = ln.dimension
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, ln.item_id)
                if c == 1:
                    item.setToolTip(ln.item)
                if c in (2, 4, 5, 6):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        self.error = problem_label(self)
        buttons = ok_cancel(self, tr("保存"))
        note = note_label(self, tr("在所选阶段一栏填写各项得分（不超过该项分值，可保留一位小数）；佐证说明记录查阅的材料。"))
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addLayout(line)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.stage.currentIndexChanged.connect(lambda _i: self.stage_changed())
        self.table.itemChanged.connect(lambda _item: self.show_total())
        self.stage_changed()

    # ----------------------------------------------------------------- the chosen assessment

    def chosen(self) -> str:
        return str(self.stage.currentData() or "")

    def column(self) -> int:
        return STAGE_COLUMN.get(self.chosen(), -1)

    def stage_changed(self) -> None:
        """Only the chosen assessment's column and the notes can be edited."""
        col = self.column()
        self.table.blockSignals(True)
        for r in range(self.table.rowCount()):
            for c in range(self.table.columnCount()):
                item = self.table.item(r, c)
                editable = c == col or (c == NOTE and col >= 0)
                flags = item.flags() | Qt.ItemFlag.ItemIsEditable if editable else \
                    item.flags() & ~Qt.ItemFlag.ItemIsEditable
                item.setFlags(flags)
                item.setBackground(QBrush(EDITABLE) if editable else QBrush())
        self.table.blockSignals(False)
        reached = self.chosen() == self.sheet.stage
        self.advance.setText(tr("保存后进入“{0}”阶段，日期").format(WORKFLOW.label(self.chosen())))
        self.advance.setChecked(not reached)
        self.advance.setEnabled(not reached)
        self.on.setEnabled(not reached)
        self.show_total()

    def show_total(self) -> None:
        col = self.column()
        total = Decimal(0)
        for r in range(self.table.rowCount()):
            with contextlib.suppress(InvalidOperation):
                total += Decimal(self.table.item(r, col).text().strip() or "0") if col >= 0 else 0
        full = sum(ln.max_score for ln in self.sheet.lines if not ln.retired)
        self.total.setText(tr("{0}合计 {1} 分 / 满分 {2} 分").format(WORKFLOW.label(self.chosen()), rules.fmt(total), full))

    # ----------------------------------------------------------------- values

    def set_score(self, row: int, value: object, note: str | None = None) -> None:
        """Type a score (and a note) in the chosen column as the clerk would (tests)."""
        self.table.item(row, self.column()).setText("" if value is None else str(value))
        if note is not None:
            self.table.item(row, NOTE).setText(note)

    def set_stage(self, stage: str) -> None:
        self.stage.setCurrentIndex(self.stage.findData(stage))

    def values(self) -> dict[int, tuple[object, object]]:
        col = self.column()
        return {int(self.table.item(r, 0).data(Qt.ItemDataRole.UserRole)):
                (self.table.item(r, col).text(), self.table.item(r, NOTE).text()) for r in range(self.table.rowCount())}

    def accept(self) -> None:
        d = self.on.date()
        when = date(d.year(), d.month(), d.day()) if self.advance.isChecked() and self.advance.isEnabled() else None
        self.finish(lambda: service.save_scores(self.app, self.sheet.candidate_id, self.chosen(), self.values(),
                                                advance_on=when))
