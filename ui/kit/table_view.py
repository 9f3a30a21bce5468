"""The kit's data table: the sortable register view (whole-row selection, an empty-state line,
column widths from the field descriptions) and the background read that fills it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget

from desktop.records import RecordTable
from ui.kit.table_model import RecordTableModel

log = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(int, object)
    failed = Signal(int, str)


class LoadAll(QRunnable):
    """Read the whole register off the UI thread; the result is posted back through a signal."""

    def __init__(self, generation: int, read: Callable[[], RecordTable]) -> None:
        super().__init__()
        self.generation = generation
        self.read = read
        self.signals = _Signals()

    def run(self) -> None:
        try:
            table = self.read()
        except Exception as exc:  # reported on the UI thread, never lost
            log.exception("loading a register failed")
            problem = getattr(exc, "message", None) or str(exc)
            self.signals.failed.emit(self.generation, problem)
            return
        self.signals.done.emit(self.generation, table)


class RecordTableView(QTableView):
    """The register table: whole rows selected, alternating colours, sortable headers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setShowGrid(True)
        self.setCornerButtonEnabled(False)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(False)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorShown(True)
        self.setSortingEnabled(True)
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(QFontMetrics(self.font()).height() + 12)
        vertical.setMinimumWidth(48)
        self.empty = QLabel(self.viewport())
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()

    def set_empty_text(self, text: str | None) -> None:
        if text:
            self.empty.setText(text)
            self.empty.resize(self.viewport().size())
            self.empty.show()
        else:
            self.empty.hide()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.empty.resize(self.viewport().size())

    def size_columns(self, model: RecordTableModel) -> None:
        """Column widths from Field.width (characters, a Chinese character counting 2), never
        narrower than the heading as the header paints it (its bold style-sheet font, padding
        and sort arrow, at any scaling)."""
        metrics = QFontMetrics(self.font())
        unit = max(metrics.horizontalAdvance("0"), 6)
        header = self.horizontalHeader()
        header.ensurePolished()
        for i, col in enumerate(model.columns):
            wanted = int(unit * col.field.width * 0.9) + 14
            label = header.sectionSizeFromContents(i).width() + 6
            self.setColumnWidth(i, max(wanted, label, 56))
