"""The filter bar of every tab: Down moves into the table, narrow bars keep their buttons
(icons only), and choice combos fit （全部） at 100 % and 125 %."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QStandardItemModel
from PySide6.QtWidgets import QApplication, QComboBox, QTableView, QWidget

from ui.kit.filter_bar import FilterBar, fit_combo

pytestmark = pytest.mark.usefixtures("look")


def test_down_from_the_search_box_moves_into_any_table(qtbot: Any) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    bar = FilterBar(holder)
    table = QTableView(holder)
    table.setModel(QStandardItemModel(3, 2, table))
    bar.lead_to(table)
    holder.show()
    bar.search.setFocus()
    qtbot.keyClick(bar.search, Qt.Key.Key_Down)
    assert holder.focusWidget() is table  # the window's focus, active or not (offscreen)
    assert table.currentIndex().row() == 0 and table.selectionModel().isRowSelected(0)


def test_a_narrow_bar_shows_icons_not_a_window_wider_than_the_screen(qtbot: Any) -> None:
    bar = FilterBar()
    qtbot.addWidget(bar)
    buttons = [bar.add_button(text, "add.svg", text) for text in ("新增", "编辑", "删除", "显示完整号码", "导入…")]
    wide = bar.sizeHint().width()
    assert bar.minimumSizeHint().width() < wide - 150
    bar.resize(wide + 50, 40)
    bar.show()
    qtbot.waitUntil(lambda: all(b.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon for b in buttons))
    bar.resize(bar.minimumSizeHint().width(), 40)
    qtbot.waitUntil(lambda: all(b.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly for b in buttons))
    assert all(b.toolTip() for b in buttons)  # the names stay in the tooltips


@pytest.mark.parametrize("scale", [1.0, 1.25])
def test_a_choice_combo_fits_its_longest_item(qtbot: Any, scale: float) -> None:
    combo = QComboBox()
    qtbot.addWidget(combo)
    font = QFont(QApplication.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    combo.setFont(font)
    for text in ("（全部）", "在会", "退会"):
        combo.addItem(text)
    fit_combo(combo)
    combo.show()
    text_room = combo.width() - combo.iconSize().width()  # the arrow takes about an icon's width
    assert text_room >= combo.fontMetrics().horizontalAdvance("（全部）") + 8
