"""``python -m desktop screenshot FILE.png [--tab KEY] [--size WxH]``: the main window as a PNG.

No dialog is ever shown: a database problem is raised (the CLI prints its message), and
nothing like a first-run wizard runs. Without a display the offscreen platform is used.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def _needs_offscreen() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return False
    if sys.platform.startswith("linux"):
        return not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
    return False


def render(db_arg: str | None, tab_key: str, size: tuple[int, int], path: str | os.PathLike[str],
           timeout: float = 120.0) -> Path:
    """Build the main window on the database, show ``tab_key`` once loaded, save it to ``path``."""
    if _needs_offscreen():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QCoreApplication, QEventLoop, Qt

    from ui.app import Starter, qt_application
    from ui.main_window import MainWindow

    qapp = qt_application()
    window = MainWindow()
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    window.resize(*size)
    starter = Starter(window, interactive=False, daily_backup=False)
    try:
        opened = starter.open(db_arg)
        assert opened is not None  # not interactive: problems raise
        app, lock = opened
        starter.app, starter.lock = app, lock
        window.show_tab(tab_key)
        window.attach_app(app)
        tab = window.ensure_tab(tab_key)
        window.show()
        deadline = time.monotonic() + timeout
        while tab is not None and not tab.is_loaded and time.monotonic() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.005)
        for _ in range(5):  # let layouts and the style settle
            QCoreApplication.processEvents()
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out)):
            raise OSError(f"无法保存截图 {out}")
        return out
    finally:
        window.hide()
        starter.close()
        window.deleteLater()
        qapp.processEvents()
