"""The bar above a register table: the tab's buttons, a search box that filters as you type,
and the row count (共 N 条 / 筛选出 N 条). Down in the search box moves into the table
(``lead_to``), Ctrl+F comes back."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from ui import icon


class BarButton(QToolButton):
    """A bar button that shows its icon only when the bar is too narrow for its name (a 1366 px
    laptop at 125 %, a 1024 px screenshot) rather than pushing the window off the screen; the
    name stays in the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hints: tuple[QSize, QSize] | None = None  # (with its name, icon only)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def _measure(self) -> tuple[QSize, QSize]:
        if self._hints is None:
            self.ensurePolished()
            current = self.toolButtonStyle()
            super().setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            full = super().sizeHint()
            super().setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            small = super().sizeHint()
            super().setToolButtonStyle(current)
            self._hints = (full, small)
        return self._hints

    def sizeHint(self) -> QSize:
        return self._measure()[0]

    def minimumSizeHint(self) -> QSize:
        return self._measure()[1]

    def resizeEvent(self, event: QResizeEvent) -> None:
        wanted = (Qt.ToolButtonStyle.ToolButtonTextBesideIcon if event.size().width() >= self._measure()[0].width()
                  else Qt.ToolButtonStyle.ToolButtonIconOnly)
        if wanted != self.toolButtonStyle():
            super().setToolButtonStyle(wanted)
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._hints = None
        super().changeEvent(event)

    def setText(self, text: str) -> None:
        self._hints = None
        super().setText(text)


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
        self.search.installEventFilter(self)
        self._table: QAbstractItemView | None = None
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

    def lead_to(self, table: QAbstractItemView) -> None:
        """Down in the search box moves the focus into ``table`` (its first row chosen when
        none is)."""
        self._table = table

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and self._table is not None and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down:
            enter_table(self._table)
            return True
        return super().eventFilter(watched, event)

    def add_button(self, text: str, icon_name: str, tip: str = "") -> QToolButton:
        button = BarButton(self)
        button.setText(text)
        button.setIcon(icon(icon_name))
        button.setIconSize(QSize(18, 18))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAutoRaise(True)
        button.setToolTip(tip or text)
        self._buttons.addWidget(button)
        from ui.accounts.permits import gate_by_icon

        gate_by_icon(button, icon_name)  # greyed out without the permission (add/edit/delete/import, reveal)
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


def enter_table(table: QAbstractItemView) -> None:
    """Give ``table`` the focus with a row chosen (the first, unless one already is)."""
    table.setFocus(Qt.FocusReason.TabFocusReason)
    model = table.model()
    if model is None or model.rowCount() == 0:
        return
    selection = table.selectionModel()
    if selection is not None and selection.hasSelection() and table.currentIndex().isValid():
        return
    first = model.index(0, 0)
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    if selection is not None:
        selection.setCurrentIndex(first, flags)
    table.scrollTo(first)


def fit_combo(combo: QComboBox) -> None:
    """A combo wide enough for its longest item (（全部）, a long choice label) at any font size."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    # In widths of "x": a Chinese character is about two.
    longest = max((sum(1 if c.isascii() else 2 for c in combo.itemText(i)) for i in range(combo.count())),
                  default=0)
    combo.setMinimumContentsLength(max(combo.minimumContentsLength(), longest + 1))
