"""What other programmes offer on a programme's records (``desktop.registry.Action``): a
right-click menu on a table's rows. The owning programme says which record a row is and which
plain facts it publishes about it (worker, event, rank, flags); the offering programme's action
receives only those and returns what it changed, which is announced like any other write."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QMenu

from desktop.changes import Changes, Done
from desktop.registry import RecordRef, actions
from ui.kit.changes import perform

if TYPE_CHECKING:
    from desktop.registry import Action


def offer_actions(view: QAbstractItemView, app: Any, table: str, ref_at: Callable[[int], RecordRef | None],
                  facts: Callable[[RecordRef], dict[str, Any]], warn: Callable[[str, str], Any],
                  said: Callable[[str], Any] | None = None) -> None:
    """Right-click on a row of ``view`` (the rows of ``table``): the actions declared for it.
    ``ref_at(row)`` names the row's record, ``facts(ref)`` gives what its programme publishes;
    ``said(message)`` shows what an action did."""
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show_menu(pos: QPoint) -> None:
        index = view.indexAt(pos)
        offered = actions(table)
        ref = ref_at(index.row()) if index.isValid() else None
        if ref is None or not offered:
            return
        menu = menu_for(view, app, ref, offered, facts, warn, said)
        menu.exec(view.viewport().mapToGlobal(pos))

    view.customContextMenuRequested.connect(show_menu)


def menu_for(view: QAbstractItemView, app: Any, ref: RecordRef, offered: list[Action],
             facts: Callable[[RecordRef], dict[str, Any]], warn: Callable[[str, str], Any],
             said: Callable[[str], Any] | None = None) -> QMenu:
    """The menu of ``offered`` actions on one record (built apart so tests can trigger it)."""
    menu = QMenu(view)

    def run(action: Action) -> None:
        result = perform(lambda: action.run(app, ref, facts(ref)), action.label, warn)
        changes = result.changes if isinstance(result, Done) else result
        message = changes.message if isinstance(changes, Changes) else ""
        if result is not None and message and said is not None:
            said(message)

    for action in offered:
        item = menu.addAction(action.label)
        item.triggered.connect(lambda _checked=False, a=action: run(a))
    return menu
