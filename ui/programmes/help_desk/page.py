"""What the 助企行 pages share: the host they live in (the tab: the app, dialogs, prints, messages)
and reading again only when seen (a page hidden behind another is marked stale and read when shown,
so a write on the 派工单 page does not recount a year's statistics nobody is looking at)."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from desktop.context import App


class Host(Protocol):
    """What a page needs of the tab."""

    app: App
    dialog: Any

    def open_form(self, dlg: Any) -> Any: ...
    def open_report(self, key: str, params: dict[str, Any]) -> Any: ...
    def run_op(self, op: Any, title: str) -> bool: ...
    def warn(self, title: str, text: str) -> None: ...
    def confirm(self, title: str, text: str) -> bool: ...


class Page(QWidget):
    """A page of the tab: ``load()`` reads it; ``refresh()`` reads it now if shown, else when shown."""

    def __init__(self, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host, self.app = host, host.app
        self.stale = False

    def load(self) -> None:
        raise NotImplementedError

    def refresh(self) -> None:
        if self.isVisible():
            self.stale = False
            self.load()
        else:
            self.stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self.stale:
            self.stale = False
            self.load()
        super().showEvent(event)
