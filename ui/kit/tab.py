"""Programme tabs: one module per programme, named in the registry as ``"ui.kit.tab.KEY:Class"``.

Every tab is a :class:`ProgrammeTab`: the main window creates it with the open
:class:`desktop.context.App`, calls :meth:`ProgrammeTab.load` once, and listens to
``loaded`` and ``count_changed``. Keep this module free of SQLAlchemy imports.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QMessageBox, QSplitter, QVBoxLayout, QWidget

from desktop.changes import EVERYTHING, Changes, Done
from ui.kit.changes import listen, perform

if TYPE_CHECKING:
    from desktop.context import App


class ProgrammeTab(QWidget):
    """What the main window expects of a programme's tab."""

    #: The programme key (registry entry), set by each subclass.
    key: str = ""
    #: The tables the tab shows: a change to one of them (ui.kit.changes) calls ``changes_arrived``.
    tables: tuple[str, ...] = ()
    #: The tab's data has been loaded completely (also after each reload).
    loaded = Signal()
    #: The number of records changed (status bar).
    count_changed = Signal()

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self._loaded = False
        if self.tables:
            listen(self, self.tables, self._changes_arrived)

    def _changes_arrived(self, changes: Changes) -> None:
        if EVERYTHING in changes.tables:
            return  # the main window reloads every tab (restore, settings, demo data)
        self.changes_arrived(changes)

    def changes_arrived(self, changes: Changes) -> None:
        """A write changed one of ``tables``: show it (by default, read everything again)."""
        self.reload()

    def lay_out(self, bar: QWidget, left: QWidget, right: QWidget, sizes: tuple[int, int]) -> QSplitter:
        """The usual tab: its toolbar over a list on the left and the chosen record on the right."""
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes(list(sizes))
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(bar)
        layout.addWidget(splitter, 1)
        return splitter

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
        """After a change in a tab that does not listen to its tables: reload and say what
        happened (tabs show the message their own way)."""
        self.reload()
        return message

    def said(self, message: str) -> None:
        """What a change did, once the tab has refreshed itself through ``changes_arrived``
        (tabs show it their own way)."""

    def run_op(self, op: Callable[[], Changes | Done[Any]], title: str) -> bool:
        """Run a service call now (undo, delete): a refusal is shown under ``title`` and nothing
        is written; what changed is announced (every view of those tables refreshes)."""
        result = perform(op, title, warn=self.warn)
        if result is None:
            return False
        changes = result.changes if isinstance(result, Done) else result
        if self.tables and changes.touches(*self.tables):
            self.said(changes.message)
        else:
            self.done(changes.message)
        return True

    # Tests replace these two.
    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)


# --------------------------------------------------------------------------- keyboard, for every tab


class _OpenOnEnter(QObject):
    def __init__(self, view: QAbstractItemView, slot: Callable[[QModelIndex], Any]) -> None:
        super().__init__(view)
        self.view = view
        self.slot = slot

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            index = self.view.currentIndex()
            if index.isValid():
                self.slot(index)
                return True
        return False


def open_rows(view: QAbstractItemView, slot: Callable[[QModelIndex], Any]) -> None:
    """Enter and double-click on a row call ``slot(index)``: every tab opens the record's page
    (where it has one), else its edit dialog."""
    view.installEventFilter(_OpenOnEnter(view, slot))
    view.doubleClicked.connect(slot)


def section_shortcuts(window: QWidget, nav: QListWidget) -> list[QShortcut]:
    """Ctrl+1 … Ctrl+9 choose the first nine sections of the sidebar ``nav``; each item's
    tooltip names its key."""
    shortcuts = []
    for row in range(min(nav.count(), 9)):
        sequence = QKeySequence(f"Ctrl+{row + 1}")
        shortcut = QShortcut(sequence, window)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(lambda r=row: nav.setCurrentRow(r))
        item = nav.item(row)
        item.setToolTip(f"{item.text()}（{sequence.toString(QKeySequence.SequenceFormat.NativeText)}）")
        shortcuts.append(shortcut)
    return shortcuts
