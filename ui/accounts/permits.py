"""Greying out by permission: a widget gated on a permission stays disabled (whatever the code that
enables it on a selection says) while the account working now lacks it.

``gate(widget, permission, app)`` installs a small event filter that re-disables the widget at every
enabled-change and show; the app is found through the widget's parents (``.app``) when not given.
``gate_by_icon`` is what the kit's filter bar calls for its buttons: add/edit/delete/import need
``WRITE``, reveal needs ``REVEAL``, export needs ``PRINT``. A click that still reaches a refusing
service shows the service's message (``PermissionDenied`` is a ``DatabaseProblem``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from desktop.accounts import roles

#: What a filter-bar button's icon says it does.
ICON_PERMISSIONS = {
    "add.svg": roles.WRITE, "edit.svg": roles.WRITE, "delete.svg": roles.WRITE, "import.svg": roles.WRITE,
    "reveal.svg": roles.REVEAL, "export.svg": roles.PRINT,
}
PERMISSION_PROPERTY = "ud_permission"


def tr(text: str) -> str:
    return QCoreApplication.translate("Permits", text)


def find_app(widget: QObject | None) -> Any:
    """The App of the window ``widget`` lives in (the first parent with an ``app``)."""
    while widget is not None:
        app = getattr(widget, "app", None)
        if app is not None and hasattr(app, "can"):
            return app
        widget = widget.parent()
    return None


def allowed(widget: QObject, app: Any = None) -> bool:
    permission = widget.property(PERMISSION_PROPERTY)
    if not permission:
        return True
    app = app if app is not None else find_app(widget)
    return app is None or bool(app.can(str(permission)))


class _Gate(QObject):
    """Keeps its widget disabled while the permission is missing."""

    def __init__(self, widget: QWidget, app: Any) -> None:
        super().__init__(widget)
        self.app = app

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.EnabledChange, QEvent.Type.Show) and isinstance(watched, QWidget):
            enforce(watched, self.app)
        return False


def enforce(widget: QWidget, app: Any = None) -> None:
    if widget.isEnabled() and not allowed(widget, app):
        widget.setEnabled(False)
        widget.setToolTip(tr("当前账户没有此项权限"))


def gate(widget: QWidget, permission: str, app: Any = None) -> QWidget:
    """Disable ``widget`` (now and whenever something enables it) while ``permission`` is missing."""
    widget.setProperty(PERMISSION_PROPERTY, permission)
    if widget.findChild(_Gate) is None:
        widget.installEventFilter(_Gate(widget, app))
    enforce(widget, app)
    return widget


def gate_by_icon(widget: QWidget, icon_name: str) -> None:
    permission = ICON_PERMISSIONS.get(icon_name)
    if permission is not None:
        gate(widget, permission)


def gate_action(action: QAction, permission: str, app: Any) -> None:
    """A menu action: enabled only with the permission (called again when the account changes)."""
    action.setProperty(PERMISSION_PROPERTY, permission)
    if action.isEnabled() and app is not None and not app.can(permission):
        action.setEnabled(False)
