"""The window's one "changed" signal: services return :class:`desktop.changes.Changes`, the
widget that asked for the write announces them here once, and every tab and page that shows one
of those tables refreshes itself. Dialogs never write into the tab that opened them.
"""

from __future__ import annotations

import contextlib
import inspect
import warnings
import weakref
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import shiboken6
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
    """Call ``slot(changes)`` while ``owner`` lives and its database is open, for changes that
    touch one of ``tables``. The hub holds ``owner`` weakly: a closed window's views neither stay
    alive because they listen nor react to a change in another database."""
    watched = tuple(tables)
    heard_on = hub()
    owner_ref = weakref.ref(owner)
    method = weakref.WeakMethod(slot) if inspect.ismethod(slot) else None
    plain = None if method is not None else slot

    def on_changed(changes: Changes) -> None:
        widget = owner_ref()
        target = method() if method is not None else plain
        if widget is None or target is None or not shiboken6.isValid(widget):
            _disconnect(heard_on, on_changed)
            return
        app = getattr(widget, "app", None)
        if app is not None and getattr(app, "closed", False):
            _disconnect(heard_on, on_changed)
            return
        if changes.touches(*watched):
            target(changes)

    heard_on.changed.connect(on_changed)
    owner.destroyed.connect(lambda *_a: _disconnect(heard_on, on_changed))


def _disconnect(source: ChangeHub, slot: Callable[[Changes], None]) -> None:
    with warnings.catch_warnings(), contextlib.suppress(RuntimeError, TypeError):  # already gone
        warnings.simplefilter("ignore", RuntimeWarning)
        source.changed.disconnect(slot)


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
