"""劳模工匠 (honours): three pages. 评选 (rounds, nominations, stages, 公示 and naming), 劳模档案 (the
holders with their 劳模待遇 and 宣讲) and 荣誉称号 (the titles as data). The 评选 page refreshes through
the tab's ``tables``; the other two pages listen for their own tables."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from desktop.changes import Changes
from desktop.context import App
from desktop.programmes.honours import service
from ui.kit.cultivation import tr
from ui.kit.tab import ProgrammeTab
from ui.programmes.honours.dialogs import label
from ui.programmes.honours.holders_page import HoldersPage
from ui.programmes.honours.rounds_page import RoundsPage
from ui.programmes.honours.titles_page import TitlesPage


class HonoursTab(ProgrammeTab):
    key = "honours"
    tables = service.TABLES

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(app, parent)
        self.pages = QTabWidget(self)
        self.pages.setDocumentMode(True)
        self.rounds = RoundsPage(app, self.pages)
        self.holders = HoldersPage(app, self.pages)
        self.titles = TitlesPage(app, self.pages)
        self.pages.addTab(self.rounds, tr("评选"))
        self.pages.addTab(self.holders, tr("劳模档案"))
        self.pages.addTab(self.titles, label("HonourTitle.name"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def load(self) -> None:
        self.rounds.load()
        self.holders.load()
        self.titles.load()
        self._mark_loaded()

    def changes_arrived(self, changes: Changes) -> None:
        """A write touched what the 评选 page shows: read it again (the other pages listen themselves)."""
        self.rounds.load()
        self._mark_loaded()

    def said(self, message: str) -> None:
        self.rounds.said(message)

    def record_count(self) -> int:
        return len(self.rounds.rows)
