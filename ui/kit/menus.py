"""Small pieces programme pages share: a bar button that opens a menu (打印 ▾), menu entries
that keep their permission, the right-click menu of a list, a few icons drawn here (推进, 未通过,
公示), and a table's column layout (one column takes the spare width, the others keep theirs)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

from PySide6.QtCore import QByteArray, QPoint, QRectF, Qt
from PySide6.QtGui import QAction, QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QHeaderView, QMenu, QTableWidget, QToolButton, QWidget

from ui import icon
from ui.accounts.permits import ICON_PERMISSIONS, PERMISSION_PROPERTY, allowed, gate
from ui.kit.cultivation import DataTable
from ui.kit.filter_bar import FilterBar

_STROKE = ('<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" fill="none" '
           'stroke="{0}" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">{1}</svg>')
#: Icons no file in resources/icons says well enough: (stroke colour, the drawing).
DRAWN = {
    "advance": ("#2e7d32", '<circle cx="12" cy="12" r="9"/><path d="M7.5 12h8.5M12.5 8.5 16 12l-3.5 3.5"/>'),
    "reject": ("#c62828", '<circle cx="12" cy="12" r="9"/><path d="M9 9l6 6M15 9l-6 6"/>'),
    "publicity": ("#1565c0", '<rect x="3.5" y="5" width="17" height="15" rx="2"/><path d="M3.5 9.5h17M8 3v4M16 3v4"/>'
                             '<path d="M7.5 13.5h3M13.5 13.5h3M7.5 16.8h3"/>'),
    "dispatch": ("#1565c0", '<path d="M21 3 10.5 13.5"/><path d="M21 3l-6.5 18-4-7.5L3 9.5z"/>'),
    "visit": ("#00796b", '<path d="M4 11.5 12 4.5l8 7"/><path d="M6.5 9.5V20h11V9.5"/><path d="M10 20v-5.5h4V20"/>'),
    "attach": ("#546e7a", '<path d="M20 11.5l-8 8a5 5 0 0 1-7-7l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7L9.7 17.2a1.7 1.7 0 0 '
                          '1-2.4-2.4l7.8-7.8"/>'),
}


@cache
def drawn_icon(name: str) -> QIcon:
    """One of :data:`DRAWN` as an icon, sharp at 100 % to 200 %."""
    colour, drawing = DRAWN[name]
    renderer = QSvgRenderer(QByteArray(_STROKE.format(colour, drawing).encode()))
    out = QIcon()
    for px in (18, 24, 36, 48):
        image = QImage(px, px, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter, QRectF(0, 0, px, px))
        painter.end()
        out.addPixmap(QPixmap.fromImage(image))
    return out


def bar_button(bar: FilterBar, text: str, drawn: str, tip: str, permission: str) -> QToolButton:
    """A bar button with a drawn icon, greyed out without ``permission`` like the kit's own."""
    button = bar.add_button(text, "", tip)
    button.setIcon(drawn_icon(drawn))
    gate(button, permission)
    return button


def menu_button(bar: FilterBar, text: str, icon_name: str, tip: str, *, split: bool = False) -> tuple[QToolButton,
                                                                                                       QMenu]:
    """A bar button with a menu: the whole button opens it (打印 ▾), or with ``split`` a click does
    the button's own job and the arrow opens the rest (编辑 ▾ 删除)."""
    button = bar.add_button(text, icon_name, tip)
    menu = QMenu(button)
    button.setMenu(menu)
    button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup if split
                        else QToolButton.ToolButtonPopupMode.InstantPopup)
    # The arrow as a plain ▾ right of the name, not a framed box nor a corner mark.
    button.setStyleSheet("QToolButton::menu-button { border: none; width: 16px; }" if split else
                         "QToolButton { padding-right: 20px; } QToolButton::menu-indicator { subcontrol-origin: padding;"
                         " subcontrol-position: right center; right: 6px; width: 9px; height: 9px; }")
    button.setText(text)  # measured again with the menu's arrow
    return button, menu


def menu_action(owner: QWidget, text: str, slot: Callable[[], object], icon_name: str = "", tip: str = "",
                permission: str | None = None) -> QAction:
    """An entry for a menu, owned by the page. It needs ``permission``, or what ``icon_name`` says
    as on a bar button (add/edit/delete/import: 录入; export: 打印)."""
    shown = drawn_icon(icon_name) if icon_name in DRAWN else icon(icon_name) if icon_name else QIcon()
    action = QAction(shown, text, owner)
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    permission = permission or ICON_PERMISSIONS.get(icon_name)
    if permission is not None:
        action.setProperty(PERMISSION_PROPERTY, permission)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def enable(item: QAction | QWidget, on: bool) -> None:
    """Enable ``item`` when ``on`` and the account may (a gated button re-checks by itself)."""
    item.setEnabled(on and (not isinstance(item, QAction) or allowed(item)))


def fill_menu(menu: QMenu, entries: Sequence[QAction | None]) -> QMenu:
    """``entries`` in order, ``None`` a separator."""
    for entry in entries:
        if entry is None:
            menu.addSeparator()
        else:
            menu.addAction(entry)
    return menu


def offer_menu(table: QTableWidget, entries: Callable[[], Sequence[QAction | None]]) -> None:
    """Right-click on a row of ``table``: the row is chosen, then ``entries()`` (the page's own
    actions, enabled as its buttons are) are offered."""
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show(pos: QPoint) -> None:
        index = table.indexAt(pos)
        if index.isValid():
            table.selectRow(index.row())
        menu = fill_menu(QMenu(table), entries())
        menu.exec(table.viewport().mapToGlobal(pos))

    table.customContextMenuRequested.connect(show)


def stretch_column(table: DataTable, column: int) -> None:
    """``column`` takes the spare width; the others keep theirs (still draggable, never narrower
    than their heading)."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    table.fit_headers()


def fit_column(table: QTableWidget, column: int, least: int, most: int) -> None:
    """``column`` as wide as its longest text, between ``least`` and ``most`` pixels (at 96 dpi)."""
    scale = max(table.logicalDpiX(), 96) / 96
    table.resizeColumnToContents(column)
    table.setColumnWidth(column, min(max(table.columnWidth(column), round(least * scale)), round(most * scale)))

