"""The bar above a register table: the tab's buttons, a search box that filters as you type,
and the row count (共 N 条 / 筛选出 N 条)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QToolButton, QWidget

from ui import icon


class FilterBar(QWidget):
    """Buttons on the left, the search box and the count on the right."""

    filter_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        self._buttons = QHBoxLayout()
        self._buttons.setSpacing(2)
        layout.addLayout(self._buttons)
        layout.addStretch(1)

        self.search = QLineEdit(self)
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText(self.tr("搜索姓名、身份证号、电话、单位、拼音首字母"))
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search.svg"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setMinimumWidth(170)
        self.search.setMaximumWidth(380)
        self.search.textChanged.connect(self.filter_changed)
        layout.addWidget(self.search, 100)

        self.count = QLabel(self)
        self.count.setObjectName("countLabel")
        self.count.setMinimumWidth(70)
        self.count.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.count)

        focus = QAction(self)
        focus.setShortcut(QKeySequence.StandardKey.Find)
        focus.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        focus.triggered.connect(self.focus_search)
        self.addAction(focus)

    def add_button(self, text: str, icon_name: str, tip: str = "") -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setIcon(icon(icon_name))
        button.setIconSize(QSize(18, 18))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAutoRaise(True)
        if tip:
            button.setToolTip(tip)
        self._buttons.addWidget(button)
        return button

    def add_separator(self) -> None:
        line = QLabel(self)
        line.setObjectName("barSeparator")
        line.setFixedSize(1, 20)
        self._buttons.addSpacing(4)
        self._buttons.addWidget(line)
        self._buttons.addSpacing(4)

    def set_count(self, shown: int, total: int, loading: bool = False) -> None:
        if self.search.text().strip():
            text = self.tr("筛选出 %1 条（共 %2 条）").replace("%1", f"{shown:,}").replace("%2", f"{total:,}")
        else:
            text = self.tr("共 %1 条").replace("%1", f"{total:,}")
        if loading:
            text += self.tr("，加载中…")
        self.count.setText(text)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
