"""Start-up probe for tests/bench (``UNIONDESK_PROBE=1``): prints when the window painted,
when the workers table first showed rows and the peak memory once it is fully loaded, then
quits. Off unless the variable is set; nothing else uses it."""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from ui.main_window import MainWindow


def _mark(name: str, value: float | None = None) -> None:
    print(f"PROBE {name} {time.time() if value is None else value:.6f}", flush=True)


def _peak_mb() -> float:
    if sys.platform == "win32":  # pragma: no cover
        return 0.0
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _Painted(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.seen = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            _mark("painted")
        return False


def install(window: MainWindow, tab_key: str = "workers") -> None:
    window.installEventFilter(_Painted(window))
    state = {"rows": False}

    def on_count() -> None:
        tab = window.current_tab()
        if not state["rows"] and tab is not None and tab.key == tab_key and tab.record_count() > 0:
            state["rows"] = True
            QApplication.processEvents()  # the rows are painted, not just counted
            _mark("rows")

    def on_attached() -> None:
        tab = window.ensure_tab(tab_key)
        if tab is not None:
            tab.count_changed.connect(on_count)
        on_count()  # the first rows may already be there

    def on_loaded(key: str) -> None:
        if key == tab_key:
            on_count()
            _mark("rss", _peak_mb())
            # 1 when Qt's own texts (standard buttons, file dialogs) are Chinese: the translations
            # were found (inside the frozen bundle too)
            _mark("qt_chinese", float(QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"))
            QTimer.singleShot(0, QApplication.quit)

    window.app_attached.connect(on_attached)
    window.tab_loaded.connect(on_loaded)
