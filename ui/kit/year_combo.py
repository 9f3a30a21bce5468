"""The year chooser above a programme's list: the years that have records (newest first), the
one chosen kept across reloads, and quietly refilled (no reload for each item added)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QWidget

from ui.kit.filter_bar import fit_combo


def tr(text: str) -> str:
    return QCoreApplication.translate("YearCombo", text)


class YearCombo(QComboBox):
    def __init__(self, parent: QWidget | None = None, *, word: str = "年", every: str | None = None) -> None:
        super().__init__(parent)
        self.word = word  # 2026年, or 2026年度
        self.every = every  # an item for every year (（全部年度）), listed last, if given

    def fill(self, years: Sequence[int]) -> None:
        """The years offered; the year chosen stays chosen (else the first, the newest)."""
        first, chosen = self.count() == 0, self.chosen()
        self.blockSignals(True)
        self.clear()
        for y in years:
            self.addItem(tr("{0}" + self.word).format(y), y)
        if self.every is not None:
            self.addItem(self.every, None)
        if first:
            keep = 0
        elif chosen is None and self.every is not None:
            keep = self.count() - 1  # （全部年度） stays chosen
        else:
            keep = self.findData(chosen)
        self.setCurrentIndex(max(0, keep))
        fit_combo(self)
        self.blockSignals(False)

    def chosen(self) -> int | None:
        value = self.currentData()
        return int(value) if value is not None else None

    def choose(self, year: int) -> None:
        """Show ``year`` (one just written to), adding it when it is not offered yet."""
        if self.findData(year) < 0:
            self.addItem(tr("{0}" + self.word).format(year), year)
        self.setCurrentIndex(self.findData(year))
