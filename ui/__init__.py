"""Qt widgets only: the main window, programme tabs and shared widgets.

This package imports ``desktop``, ``db`` and ``reports``; nothing there imports it. Keep this
module light: the main window is painted before SQLAlchemy is imported.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication

#: Font families tried in order: the Windows UI fonts first, then open CJK fonts elsewhere.
UI_FONTS = (
    "Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
    "WenQuanYi Micro Hei", "LXGW WenKai", "SimSun",
)


def resources_dir() -> Path:
    """``resources/`` next to the packages (also inside a PyInstaller bundle)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


@cache
def icon(name: str) -> QIcon:
    """An icon from resources/icons by file name (``"workers.svg"``); an empty icon if missing."""
    path = resources_dir() / "icons" / name
    return QIcon(str(path)) if path.is_file() else QIcon()


def style_sheet() -> str:
    path = resources_dir() / "style.qss"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def apply_look(app: QApplication) -> None:
    """The application's font, style and style sheet (once per QApplication)."""
    if app.property("uniondesk_look"):
        return
    app.setProperty("uniondesk_look", True)
    app.setStyle("Fusion")
    font = QFont(app.font())
    font.setFamilies(list(UI_FONTS))
    font.setPointSizeF(10.0)
    app.setFont(font)
    app.setStyleSheet(style_sheet())
    app.setWindowIcon(icon("app.svg"))
