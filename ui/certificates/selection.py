"""The certificate centre's selection widgets: who will receive a certificate (a list the clerk
ticks and unticks, filtered by event and prize), and what the centre says under the source (how
many, the rows skipped). What is chosen is decided by :class:`desktop.certificates.choosing.Choice`;
a source's parameters are the kit's :class:`ui.kit.param_form.ParamForm`.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.certificates.choosing import Choice, display, short_events
from desktop.certificates.recipients import is_collective
from desktop.certificates.sources import Selection
from reports.certificates import variables


def tr(text: str) -> str:
    return QCoreApplication.translate("CertificateParams", text)


def _column(key: str) -> str:
    v = variables.by_key(key)
    return tr(v.column) if v is not None else key


class RecordsTable(QTableWidget):
    """Who receives a certificate: a tick and the name, the unit (the team for a team prize), the
    event and the prize (headed as the placeholders are). Rows the filters leave out are hidden."""

    ticked = Signal(int, bool)  # record index, ticked
    #: the placeholders each column shows (the unit column shows the team for a team prize)
    COLUMNS = (("name",), ("unit", "team"), ("event",), ("award",))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.COLUMNS), parent)
        self.setObjectName("certificateRecords")
        self.setHorizontalHeaderLabels(["/".join(_column(k) for k in keys) for keys in self.COLUMNS])
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the unit takes the room left
        header.setStretchLastSection(False)
        self.itemChanged.connect(self._item_changed)
        self._filling = False

    def show_choice(self, choice: Choice) -> None:
        self._filling = True
        try:
            self.setRowCount(len(choice.records))
            events = short_events(choice.events())
            for r, rec in enumerate(choice.records):
                name = QTableWidgetItem(display(rec.get("name")))
                name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
                name.setCheckState(Qt.CheckState.Checked if choice.ticked[r] else Qt.CheckState.Unchecked)
                unit, team = display(rec.get("unit")), display(rec.get("team"))
                who = QTableWidgetItem(team or unit)
                who.setToolTip("\n".join(x for x in (team, unit) if x))
                event = str(rec.get("event") or "")
                what = QTableWidgetItem(events.get(event, display(event)))
                what.setToolTip(display(event))
                award = QTableWidgetItem(display(rec.get("award")))
                for c, item in enumerate((name, who, what, award)):
                    if c:
                        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                    self.setItem(r, c, item)
            self.apply_filter(choice)
            for c in (0, 2, 3):  # a long event is cut (its tooltip has it) so the prize stays in sight
                self.resizeColumnToContents(c)
                self.setColumnWidth(c, min(self.columnWidth(c), 130))
        finally:
            self._filling = False

    def apply_filter(self, choice: Choice) -> None:
        for r in range(self.rowCount()):
            self.setRowHidden(r, not choice.passes(r))

    def set_ticks(self, choice: Choice) -> None:
        self._filling = True
        try:
            for r in range(self.rowCount()):
                item = self.item(r, 0)
                if item is not None:
                    item.setCheckState(Qt.CheckState.Checked if choice.ticked[r] else Qt.CheckState.Unchecked)
        finally:
            self._filling = False

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if not self._filling and item.column() == 0:
            self.ticked.emit(item.row(), item.checkState() == Qt.CheckState.Checked)


class ChoosePanel(QWidget):
    """The list with its filters (项目, 奖项), 全选/全不选 (of the rows shown) and the count."""

    changed = Signal()  # ticks or filters changed: what is chosen is different

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = Choice()
        self.event_combo = QComboBox()
        self.event_combo.setObjectName("eventFilter")
        self.award_combo = QComboBox()
        self.award_combo.setObjectName("awardFilter")
        for combo in (self.event_combo, self.award_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(QLabel(tr("{0}：").format(_column("event"))))
        filters.addWidget(self.event_combo, 3)
        filters.addWidget(QLabel(tr("{0}：").format(_column("award"))))
        filters.addWidget(self.award_combo, 2)
        self.table = RecordsTable()
        self.all_button = QPushButton(tr("全选"))
        self.none_button = QPushButton(tr("全不选"))
        for b in (self.all_button, self.none_button):
            b.setToolTip(tr("只作用于当前筛选出的人员"))
        self.count_label = QLabel()
        self.count_label.setObjectName("chosenCount")
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.all_button)
        buttons.addWidget(self.none_button)
        buttons.addWidget(self.count_label, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(filters)
        column.addWidget(self.table, 1)
        column.addLayout(buttons)

        self.table.ticked.connect(self._ticked)
        self.event_combo.currentIndexChanged.connect(lambda _i: self._event_chosen())
        self.award_combo.currentIndexChanged.connect(lambda _i: self._award_chosen())
        self.all_button.clicked.connect(lambda: self.tick_shown(True))
        self.none_button.clicked.connect(lambda: self.tick_shown(False))
        self.show_choice(self.choice)

    # -- filling

    def show_choice(self, choice: Choice) -> None:
        self.choice = choice
        self.table.show_choice(choice)
        self._fill_filters()
        self._count()

    def _fill_filters(self) -> None:
        choice = self.choice
        for combo in (self.event_combo, self.award_combo):
            combo.blockSignals(True)
            combo.clear()
        labels = short_events(choice.events())
        self.event_combo.addItem(tr("全部"), None)
        for e in choice.events():
            self.event_combo.addItem(labels[e] or tr("（未填）"), e)
            self.event_combo.setItemData(self.event_combo.count() - 1, display(e), Qt.ItemDataRole.ToolTipRole)
        self.event_combo.setCurrentIndex(max(self.event_combo.findData(choice.event), 0) if choice.event is not None
                                         else 0)
        self._fill_awards()
        self.event_combo.blockSignals(False)
        self.award_combo.blockSignals(False)
        self.event_combo.setEnabled(len(choice.events()) > 1)

    def _fill_awards(self) -> None:
        choice = self.choice
        self.award_combo.blockSignals(True)
        self.award_combo.clear()
        self.award_combo.addItem(tr("全部"), None)
        for a in choice.awards():
            self.award_combo.addItem(display(a) or tr("（未填）"), a)
        self.award_combo.setCurrentIndex(max(self.award_combo.findData(choice.award), 0) if choice.award is not None
                                         else 0)
        self.award_combo.setEnabled(len(choice.awards()) > 1)
        self.award_combo.blockSignals(False)

    # -- the clerk's choices

    def filter_event(self, event: str | None) -> None:
        """Show one event's records (None: every event), as choosing it in the box does."""
        index = self.event_combo.findData(event) if event is not None else 0
        self.event_combo.setCurrentIndex(max(index, 0))

    def filter_award(self, award: str | None) -> None:
        index = self.award_combo.findData(award) if award is not None else 0
        self.award_combo.setCurrentIndex(max(index, 0))

    def _event_chosen(self) -> None:
        self.choice.set_event(self.event_combo.currentData())
        self._fill_awards()
        self._filtered()

    def _award_chosen(self) -> None:
        self.choice.set_award(self.award_combo.currentData())
        self._filtered()

    def _filtered(self) -> None:
        self.table.apply_filter(self.choice)
        self._count()
        self.changed.emit()

    def _ticked(self, row: int, on: bool) -> None:
        self.choice.tick(row, on)
        self._count()
        self.changed.emit()

    def tick_shown(self, on: bool) -> None:
        self.choice.tick_visible(on)
        self.table.set_ticks(self.choice)
        self._count()
        self.changed.emit()

    def _count(self) -> None:
        chosen, shown, total = self.choice.counts()
        if not total:
            self.count_label.setText("")
        elif any(is_collective(r) for r in self.choice.records):  # units in the list: not 人
            self.count_label.setText(tr("已选 {0} 项，共 {1} 项").format(chosen, total) if shown == total else
                                     tr("已选 {0} 项（筛选出 {1} 项，共 {2} 项）").format(chosen, shown, total))
        elif shown == total:
            self.count_label.setText(tr("已选 {0} 人，共 {1} 人").format(chosen, total))
        else:
            self.count_label.setText(tr("已选 {0} 人（筛选出 {1} 人，共 {2} 人）").format(chosen, shown, total))
        has = bool(total)
        self.all_button.setEnabled(has)
        self.none_button.setEnabled(has)


def describe(selection: Selection | None) -> tuple[str, str]:
    """(summary, skipped rows) as the centre shows them under the source."""
    if selection is None:
        return tr("尚未读取名单"), ""
    n = len(selection.records)
    units = sum(1 for r in selection.records if is_collective(r))
    if not units:
        summary = tr("{0}：共 {1} 人").format(selection.title, n) + ("" if n else tr("（预览为示例）"))
    elif units == n:
        summary = tr("{0}：共 {1} 个单位").format(selection.title, n)
    else:
        summary = tr("{0}：共 {1} 人、{2} 个单位").format(selection.title, n - units, units)
    lines = [s.line() for s in selection.skipped]
    skipped = (tr("跳过 {0} 行：").format(len(lines)) + "；".join(lines[:8]) + ("…" if len(lines) > 8 else "")
               if lines else "")
    return summary, skipped

