"""The window's one "changed" signal: services return :class:`desktop.changes.Changes`, the
widget that asked for the write announces them here once, and every tab and page that shows one
of those tables refreshes itself. Dialogs never write into the tab that opened them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from db.errors import DatabaseProblem, ValidationError
from desktop.changes import Changes, Done

T = TypeVar("T")


class ChangeHub(QObject):
    changed = Signal(object)  # desktop.changes.Changes


_hub: ChangeHub | None = None


def hub() -> ChangeHub:
    global _hub
    if _hub is None:
        _hub = ChangeHub()
    return _hub


def announce(changes: Changes) -> None:
    """Tell every view what a write changed (nothing is announced for an empty change)."""
    if changes:
        hub().changed.emit(changes)


def listen(owner: QWidget, tables: Iterable[str], slot: Callable[[Changes], Any]) -> None:
    """Call ``slot(changes)`` while ``owner`` lives, for changes that touch one of ``tables``."""
    watched = tuple(tables)

    def on_changed(changes: Changes) -> None:
        if changes.touches(*watched):
            slot(changes)

    hub().changed.connect(on_changed)
    owner.destroyed.connect(lambda *_a: _disconnect(on_changed))


def _disconnect(slot: Callable[[Changes], None]) -> None:
    with contextlib.suppress(RuntimeError, TypeError):  # already gone
        hub().changed.disconnect(slot)


def perform(op: Callable[[], Changes | Done[T]], title: str, warn: Callable[[str, str], Any] | None = None,
            parent: QWidget | None = None) -> Done[T] | Changes | None:
    """Run a short write (a service call) now; a refusal is shown under ``title`` (through
    ``warn(title, text)``, a message box by default) and nothing is written. What changed is
    announced; the result is returned (None when refused)."""
    try:
        result = op()
    except (ValidationError, DatabaseProblem) as exc:
        if warn is not None:
            warn(title, exc.message)
        else:
            QMessageBox.warning(parent, title, exc.message)
        return None
    announce(result.changes if isinstance(result, Done) else result)
    return result
