"""The one worker picker: a search box over the workers register and a table of its hits.

Built on :mod:`desktop.programmes.core.worker_search` (plain rows, IDs masked, headings from the
Worker model's field labels). Type part of a name, pinyin initials, the ID number's tail, a work
unit or a trade; Down moves from the box into the list; Enter or a double click chooses.

    picker = WorkerPicker(app, self)                      # 姓名 | 身份证号 | 工作单位 | 工种（岗位）
    picker.chosen.connect(self.register)                  # worker id, on Enter or double click
    worker_id = picker.value()                            # the selected worker, or None
    ids = pick_workers(self, app, "选择队员", multi=True)  # a modal dialog: the chosen ids ([] if cancelled)
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.context import App
from desktop.programmes.core import worker_search
from desktop.programmes.core.worker_search import DEFAULT_COLUMNS, WorkerHit

IdRole = int(Qt.ItemDataRole.UserRole) + 21


def tr(text: str) -> str:
    return QCoreApplication.translate("WorkerPicker", text)


def placeholder() -> str:
    """输入姓名、拼音首字母、身份证号尾号、工作单位或工种查找职工 (labels from the description)."""
    return tr("输入%1、拼音首字母、%2尾号、%3或工种查找职工").replace("%1", worker_search.label("name")) \
        .replace("%2", worker_search.label("id_number")).replace("%3", worker_search.label("employer_id"))


class WorkerPicker(QWidget):
    """Search box plus hits; ``multi`` lets the clerk select several rows (Ctrl/Shift)."""

    chosen = Signal(int)  # a worker id: Enter in the box or the list, or a double click
    current_changed = Signal()  # the selection changed (read value() / selected_ids())

    def __init__(self, app: App, parent: QWidget | None = None, *, columns: Sequence[str] = DEFAULT_COLUMNS,
                 multi: bool = False, limit: int = worker_search.DEFAULT_LIMIT) -> None:
        super().__init__(parent)
        self.app, self.names, self.limit = app, tuple(columns), limit
        self.hits: list[WorkerHit] = []
        self.search = QLineEdit(self)
        self.search.setObjectName("workerSearch")
        self.search.setPlaceholderText(placeholder())
        self.search.setClearButtonEnabled(True)
        heads = worker_search.columns(self.names)
        self.table = QTableWidget(0, len(heads), self)
        self.table.setObjectName("workerHits")
        self.table.setHorizontalHeaderLabels([c.label for c in heads])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                                    else QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        unit = max(self.fontMetrics().horizontalAdvance("中"), 12) / 2
        for i, c in enumerate(heads):
            if c.name == "employer_id":
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
            else:
                self.table.setColumnWidth(i, int(min(max(c.width, 6), 20) * unit) + 16)
        self.table.doubleClicked.connect(lambda _i: self._choose())
        self.table.itemSelectionChanged.connect(self.current_changed.emit)
        self.table.installEventFilter(self)
        self.search.installEventFilter(self)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(150)
        self.timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self.timer.start())
        self.search.returnPressed.connect(self._enter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        self.refresh()

    # -- the list ------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Search again for the box's text (the first hit selected)."""
        self.timer.stop()
        self._show(worker_search.search(self.app, self.search.text(), names=self.names, limit=self.limit))

    def _show(self, hits: list[WorkerHit]) -> None:
        self.hits = hits
        self.table.setRowCount(len(hits))
        for r, h in enumerate(hits):
            for c, name in enumerate(self.names):
                item = QTableWidgetItem(h.cell(name))
                item.setData(IdRole, h.id)
                if len(h.cell(name)) > 12:
                    item.setToolTip(h.cell(name))
                self.table.setItem(r, c, item)
        if hits:
            self.table.selectRow(0)
        self.current_changed.emit()

    def set_worker(self, worker_id: int) -> bool:
        """Show and select one worker (a default, or one just added to the register)."""
        if self.select_id(worker_id):
            return True
        found = worker_search.hits(self.app, [worker_id], names=self.names)
        if not found:
            return False
        self._show([*found, *(h for h in self.hits if h.id != worker_id)])
        return self.select_id(worker_id)

    def select_id(self, worker_id: int) -> bool:
        for r, h in enumerate(self.hits):
            if h.id == worker_id:
                self.table.selectRow(r)
                self.table.scrollToItem(self.table.item(r, 0))
                return True
        return False

    def hit(self, worker_id: int) -> WorkerHit | None:
        """A worker shown in the list, or fetched when not (None once deleted)."""
        found = next((h for h in self.hits if h.id == worker_id), None)
        if found is not None:
            return found
        fetched = worker_search.hits(self.app, [worker_id], names=self.names)
        return fetched[0] if fetched else None

    # -- what is chosen ------------------------------------------------------------------------------

    def selected(self) -> WorkerHit | None:
        rows = self.table.selectionModel().selectedRows()
        return self.hits[rows[0].row()] if rows and rows[0].row() < len(self.hits) else None

    def selected_hits(self) -> list[WorkerHit]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.hits[r] for r in rows if r < len(self.hits)]

    def value(self) -> int | None:
        hit = self.selected()
        return hit.id if hit is not None else None

    def selected_ids(self) -> list[int]:
        return [h.id for h in self.selected_hits()]

    def _enter(self) -> None:
        self.refresh()
        self._choose()

    def _choose(self) -> None:
        hit = self.selected()
        if hit is not None:
            self.chosen.emit(hit.id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if watched is self.search and event.key() == Qt.Key.Key_Down and self.hits:
                self.table.setFocus()  # onto the selected hit (the first after a search)
                if self.selected() is None:
                    self.table.selectRow(0)
                return True
            if watched is self.table and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._choose()
                return True
        return super().eventFilter(watched, event)


class PickWorkerDialog(QDialog):
    """A modal picker: 确定 (or Enter, or a double click) returns the selected worker id(s)."""

    def __init__(self, parent: QWidget | None, app: App, title: str, *, multi: bool = False,
                 columns: Sequence[str] = DEFAULT_COLUMNS, hint: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.picker = WorkerPicker(app, self, columns=columns, multi=multi)
        self.picker.chosen.connect(lambda _id: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(tr("确定"))
        self.ok_button.setAutoDefault(False)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.picker.current_changed.connect(lambda: self.ok_button.setEnabled(bool(self.picker.selected_ids())))
        layout = QVBoxLayout(self)
        if hint:
            note = QLabel(hint, self)
            note.setObjectName("formHint")
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(self.picker, 1)
        layout.addWidget(buttons)
        self.ok_button.setEnabled(bool(self.picker.selected_ids()))
        self.resize(640, 460)

    def chosen_ids(self) -> list[int]:
        return self.picker.selected_ids() if self.result() == QDialog.DialogCode.Accepted else []


def pick_workers(parent: QWidget | None, app: App, title: str, *, multi: bool = False,
                 columns: Sequence[str] = DEFAULT_COLUMNS, hint: str = "") -> list[int]:
    """Ask for one worker (or several with ``multi``); the chosen ids, [] when cancelled."""
    dlg = PickWorkerDialog(parent, app, title, multi=multi, columns=columns, hint=hint)
    dlg.exec()
    return dlg.chosen_ids()


def pick_worker(parent: QWidget | None, app: App, title: str, *, columns: Sequence[str] = DEFAULT_COLUMNS,
                hint: str = "") -> int | None:
    """Ask for one worker; its id, or None when cancelled."""
    ids = pick_workers(parent, app, title, columns=columns, hint=hint)
    return ids[0] if ids else None
