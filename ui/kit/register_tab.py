"""The shared base of the register tabs (职工, 单位): a filter bar over a sortable table.

Loading shows the first rows at once (``register_table(..., limit=FIRST_ROWS)``), then reads
the whole register on a background thread and swaps it in, keeping the filter, the sort
and the selection. A change announced for some rows (ui.kit.changes) re-reads only those rows.
Enter or a double-click opens the record's page where the tab has one (``open_page``), else
its edit form; Down in the search box moves into the table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db.errors import DatabaseProblem, ValidationError
from db.fields import ID_NUMBER
from desktop.changes import Changes
from desktop.context import App
from desktop.programmes.core import registers
from desktop.programmes.core.register_queries import register_table, table_columns
from desktop.records import RecordTable
from desktop.registry import RecordRef
from ui.kit.actions import offer_actions
from ui.kit.changes import announce
from ui.kit.filter_bar import FilterBar
from ui.kit.form import RecordForm, edit_record, kind_title
from ui.kit.jobs import pool
from ui.kit.tab import ProgrammeTab, open_rows
from ui.kit.table_model import RecordTableModel
from ui.kit.table_view import LoadAll, RecordTableView

FIRST_ROWS = 200


class RegisterTab(ProgrammeTab):
    """A register's list with 新增/编辑/删除/显示证件号/导入/导出 (and more in subclasses)."""

    kind = ""  # key in desktop.programmes.core.registers.MODELS; the programme key and table too
    #: What an import into this register may change (an import of workers creates their units).
    import_tables: tuple[str, ...] = ()
    #: The text and tooltip of the 详情 button of a tab whose records have a page (``open_page``).
    detail: tuple[str, str] | None = None

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(app, parent)
        self.key = self.key or self.kind
        self.title = kind_title(self.kind)
        self._generation = 0
        self._labels: dict[str, dict[str, str]] | None = None
        self._loading = False
        self._touched: set[int] = set()  # ids saved or deleted while the full read was under way
        self.columns = table_columns(self.kind)
        self.model = RecordTableModel(self.kind, self.columns, self)

        self.bar = FilterBar(self)
        self.view = RecordTableView(self)
        self.view.setModel(self.model)
        self.view.size_columns(self.model)
        open_rows(self.view, self._open_index)
        offer_actions(self.view, app, self.kind, lambda row: RecordRef(self.kind, self.model.record_id(row)),
                      lambda ref: {"id": ref.id}, self.warn)  # what other programmes offer on a row
        self.bar.lead_to(self.view)

        self.add_button = self.bar.add_button(self.tr("新增"), "add.svg", self.tr("新增一条记录（Ctrl+N）"))
        self.edit_button = self.bar.add_button(self.tr("编辑"), "edit.svg", self.tr("编辑选中的记录"))
        self.delete_button = self.bar.add_button(self.tr("删除"), "delete.svg", self.tr("删除选中的记录"))
        self.reveal_button = self.bar.add_button(
            self.tr("显示证件号"), "reveal.svg", self.tr("显示选中行的完整身份证号和电话（将记入操作日志）"))
        self.bar.add_separator()
        self.import_button = self.bar.add_button(self.tr("导入…"), "import.svg",
                                                 self.tr("从 Excel 或 CSV 文件导入%1").replace("%1", self.title))
        self.export_button = self.bar.add_button(self.tr("导出…"), "export.svg",
                                                 self.tr("把当前列表（按筛选和排序）导出为 Excel"))
        self.detail_button: QToolButton | None = None
        if self.detail is not None:
            self.bar.add_separator()
            self.detail_button = self.bar.add_button(self.detail[0], "detail.svg", self.detail[1])
            self.detail_button.clicked.connect(self.open_selected_page)
        self.add_extra_buttons()

        self.add_button.clicked.connect(self.add_record)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.reveal_button.clicked.connect(self.reveal_selected)
        self.import_button.clicked.connect(self.import_file)
        self.export_button.clicked.connect(self.export_list)
        self.reveal_button.setVisible(self.model.has_private_columns())
        if not any(c.field.privacy == ID_NUMBER for c in self.columns):
            self.reveal_button.setText(self.tr("显示完整号码"))
        self.bar.filter_changed.connect(self.set_filter)

        self._add_shortcut(QKeySequence.StandardKey.New, self.add_record)
        self._add_shortcut(QKeySequence.StandardKey.Delete, self.delete_selected, self.view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        layout.addWidget(self.view, 1)

        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._update_count)
        self.model.modelReset.connect(self._selection_changed)
        self._selection_changed()
        self._update_count()

    def add_extra_buttons(self) -> None:
        """Subclasses add their own buttons to ``self.bar`` here."""

    def _add_shortcut(self, key: QKeySequence.StandardKey, slot: Callable[[], object],
                      where: QWidget | None = None) -> None:
        action = QAction(where or self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        (where or self).addAction(action)

    # ----------------------------------------------------------------- loading

    def labels(self) -> dict[str, dict[str, str]]:
        if self._labels is None:
            self._labels = self.app.labels()
        return self._labels

    def load(self) -> None:
        """The first rows now, then the whole register in the background."""
        self._generation += 1
        generation = self._generation
        self._loaded = False
        self._labels = None
        labels = self.labels()
        first = register_table(self.app, self.kind, labels, columns=self.columns, limit=FIRST_ROWS)
        self._apply(first)
        if len(first.ids) < FIRST_ROWS:
            self._loading = False
            self._finish()
            return
        self._loading = True
        self._update_count()
        app, kind, columns = self.app, self.kind, self.columns

        def read() -> RecordTable:
            return register_table(app, kind, labels, columns=columns)

        job = LoadAll(generation, read)
        job.signals.done.connect(self._loaded_all)
        job.signals.failed.connect(self._load_failed)
        pool().start(job)

    def _loaded_all(self, generation: int, table: RecordTable) -> None:
        if generation != self._generation:
            return  # a newer load is under way
        self._loading = False
        self._apply(table)
        touched, self._touched = self._touched, set()
        for rid in touched:  # the read may predate these edits
            self.refresh_record(rid)
        self._finish()

    def _load_failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._finish()
        QMessageBox.warning(self, self.tr("读取失败"),
                            self.tr("未能读取完整的%1名册：%2").replace("%1", self.title).replace("%2", message))

    def _apply(self, table: RecordTable) -> None:
        selected = self.selected_id()
        self.model.set_table(table)
        if selected is not None:
            self.select_id(selected)

    def _finish(self) -> None:
        self._update_count()
        self._mark_loaded()

    def shutdown(self) -> None:
        self._generation += 1
        pool().waitForDone()

    def record_count(self) -> int:
        return self.model.total()

    def export_kind(self) -> str | None:
        return self.kind

    def visible_ids(self) -> list[int]:
        return self.model.visible_ids()

    # ----------------------------------------------------------------- filter, selection

    def set_filter(self, text: str) -> None:
        self.model.set_filter(text)
        self._update_count()

    def _update_count(self) -> None:
        self.bar.set_count(self.model.rowCount(), self.model.total(), self._loading)
        empty = None
        if self.model.total() == 0 and not self._loading:
            empty = self.tr("%1名册中还没有记录。\n点击“新增”逐条录入，或点击“导入…”从 Excel 导入。").replace(
                "%1", self.title)
        elif self.model.rowCount() == 0 and self.model.filter_text():
            empty = self.tr("没有符合“%1”的记录").replace("%1", self.model.filter_text())
        self.view.set_empty_text(empty)
        self.count_changed.emit()

    def selected_row(self) -> int | None:
        index = self.view.currentIndex()
        rows = self.view.selectionModel().selectedRows()
        if rows:
            return rows[0].row()
        return index.row() if index.isValid() else None

    def selected_id(self) -> int | None:
        row = self.selected_row()
        if row is None or row >= self.model.rowCount():
            return None
        return self.model.record_id(row)

    def select_id(self, record_id: int) -> bool:
        row = self.model.row_of(record_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)
        return True

    def _selection_changed(self, *_args: object) -> None:
        has = self.selected_id() is not None
        for button in self.row_buttons():
            button.setEnabled(has)

    def row_buttons(self) -> list[Any]:
        buttons = [self.edit_button, self.delete_button, self.reveal_button]
        return buttons if self.detail_button is None else [*buttons, self.detail_button]

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid() and index.row() < self.model.rowCount():
            self.open_record(self.model.record_id(index.row()))

    def open_record(self, record_id: int) -> QWidget | None:
        """Enter or double-click on a row: the record's page where there is one, else its form."""
        return self.open_page(record_id) or self.edit_record(record_id)

    def open_page(self, record_id: int) -> QWidget | None:
        """The record's page (subclasses that have one open it here)."""
        return None

    def open_selected_page(self) -> QWidget | None:
        rid = self.selected_id()
        return None if rid is None else self.open_page(rid)

    # ----------------------------------------------------------------- changes

    def changes_arrived(self, changes: Changes) -> None:
        """Re-read the rows a write named; a change of this register without rows (an import)
        or of another table shown here (a unit's name in the workers list) reads everything."""
        ids = changes.ids(self.kind)
        if ids and changes.touches(self.kind) and changes.tables <= {self.kind}:
            for rid in ids:
                self.refresh_record(rid)
            return
        self.reload()

    # ----------------------------------------------------------------- actions

    def add_record(self) -> RecordForm:
        return edit_record(self, self.app, self.kind, None, self.record_saved, self.labels())

    def edit_selected(self) -> RecordForm | None:
        rid = self.selected_id()
        if rid is None:
            return None
        return self.edit_record(rid)

    def edit_record(self, record_id: int) -> RecordForm | None:
        try:
            return edit_record(self, self.app, self.kind, record_id, self.record_saved, self.labels())
        except ValidationError as exc:  # deleted meanwhile (another clerk on a server)
            self.warn(self.tr("无法编辑"), exc.message)
            self.refresh_record(record_id)
            return None

    def record_saved(self, record_id: int) -> None:
        """The form saved: its row was re-read when the change was announced; choose it."""
        if self.model.row_of(record_id) is None:
            self.refresh_record(record_id)
        self.select_id(record_id)

    def refresh_record(self, record_id: int) -> None:
        """Re-read one record into the list (after a save), or drop it if it is gone."""
        if self._loading:
            self._touched.add(record_id)
        part = register_table(self.app, self.kind, self.labels(), columns=self.columns, ids=[record_id])
        if part.ids:
            self.model.upsert(part)
        else:
            self.model.remove(record_id)

    def delete_selected(self) -> None:
        """Ask the register first whether the record may go: when it is used, say why at once
        (no 确定删除? first); otherwise confirm, then delete."""
        rid = self.selected_id()
        row = self.selected_row()
        if rid is None or row is None:
            return
        try:
            refused = registers.refusal(self.app, self.kind, rid)
        except DatabaseProblem as exc:
            self.warn(self.tr("未能删除"), exc.message)
            return
        if refused:
            self.delete_refused(rid, refused)
            return
        name = self.model.value(row, 0)
        if not self.confirm(self.tr("删除"), self.tr("确定删除“%1”吗？删除后不能撤销（操作日志保留记录）。")
                            .replace("%1", str(name))):
            return
        app, kind = self.app, self.kind
        self.run_op(lambda: registers.delete_record(app, kind, rid), self.tr("未能删除"))

    def delete_refused(self, record_id: int, message: str) -> None:
        """Show why the record cannot be deleted (the list of usages)."""
        self.warn(self.tr("不能删除"), message)

    def reveal_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        try:
            self.model.reveal(row, self.app)
        except (ValidationError, DatabaseProblem) as exc:
            self.warn(self.tr("无法显示"), exc.message)

    def import_file(self) -> None:
        from ui.dialogs.importing import open_import

        tables = self.import_tables or (self.kind,)
        open_import(self.window(), self.app, self.kind, lambda *_a: announce(Changes.of(*tables)))

    def export_list(self) -> None:
        from ui.dialogs.exporting import export_rows

        export_rows(self.window(), self.app, self.kind, self.visible_ids())

