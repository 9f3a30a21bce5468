"""Programme tabs: one module per programme, named in the registry as ``"ui.kit.tab.KEY:Class"``.

Every tab is a :class:`ProgrammeTab`: the main window creates it with the open
:class:`desktop.context.App`, calls :meth:`ProgrammeTab.load` once, and listens to
``loaded`` and ``count_changed``. Keep this module free of SQLAlchemy imports.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from db.errors import DatabaseProblem, ValidationError

if TYPE_CHECKING:
    from desktop.context import App


class ProgrammeTab(QWidget):
    """What the main window expects of a programme's tab."""

    #: The programme key (registry entry), set by each subclass.
    key: str = ""
    #: The tab's data has been loaded completely (also after each reload).
    loaded = Signal()
    #: The number of records changed (status bar).
    count_changed = Signal()

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self._loaded = False

    @property
    def is_loaded(self) -> bool:
        return self._loaded

    def _mark_loaded(self) -> None:
        self._loaded = True
        self.loaded.emit()
        self.count_changed.emit()

    def load(self) -> None:
        """Fetch the tab's data (called once the database is open); emits ``loaded`` when done."""
        self._mark_loaded()

    def reload(self) -> None:
        """Fetch again (after an import, a restore, a settings change)."""
        self._loaded = False
        self.load()

    def record_count(self) -> int:
        """Records in the tab's main list (for the status bar)."""
        return 0

    def export_kind(self) -> str | None:
        """The register ``导出当前列表…`` exports from this tab, or None when it has none."""
        return None

    def visible_ids(self) -> list[int]:
        """Ids of the rows the list shows, in their order (what ``导出当前列表…`` writes)."""
        return []

    def shutdown(self) -> None:
        """Stop background work before the window closes or the database is switched."""

    # ----------------------------------------------------------------- changes and messages

    def done(self, message: str) -> str:
        """After a change: reload and say what happened (tabs show the message their own way)."""
        self.reload()
        return message

    def run(self, action: Callable[[Any], str], title: str) -> bool:
        """Run a change without a dialog (undo, delete) in one transaction; a refusal is shown
        under ``title`` and nothing is written."""
        try:
            with self.app.db.session() as s:
                message = action(s)
        except (ValidationError, DatabaseProblem) as exc:
            self.warn(title, exc.message)
            return False
        self.done(message)
        return True

    # Tests replace these two.
    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)
