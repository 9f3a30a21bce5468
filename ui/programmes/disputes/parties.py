"""The people of a dispute in its dialogs: the worker(s) of a new dispute (from the workers register
through the kit's worker picker, or named only with a phone until they are in it) and the
employer (a unit of the organisations register, or a name typed in)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from desktop.context import App
from desktop.programmes.core import worker_search
from desktop.reads import ref_options
from ui.kit.cultivation import tr
from ui.kit.worker_picker import PickWorkerDialog

PartyRole = int(Qt.ItemDataRole.UserRole) + 31


def worker_label(name: str) -> str:
    """A label of the workers register (姓名, 手机号码 …), read from its description."""
    return worker_search.label(name)


class WorkersField(QWidget):
    """The workers of a new dispute: a list, 从名册选择… (the kit's picker, several at once), and a
    name with a phone for a worker not yet in the register (预警 often knows no more)."""

    changed = Signal()
    #: A worker chosen from the register: their work unit's name (the employer, when none is given yet).
    employer_seen = Signal(str)

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.picker: PickWorkerDialog | None = None  # the open picker (tests choose in it)
        self.list = QListWidget(self)
        self.list.setObjectName("disputeWorkers")
        self.list.setMinimumWidth(380)
        self.list.setFixedHeight(self.list.fontMetrics().height() * 4 + 14)
        self.list.itemSelectionChanged.connect(self._selection)
        self.pick_button = QPushButton(tr("从名册选择…"), self)
        self.pick_button.setToolTip(tr("从职工名册中选择一名或多名职工（可按住 Ctrl 多选）"))
        self.remove_button = QPushButton(tr("移除"), self)
        self.remove_button.setEnabled(False)
        self.name = QLineEdit(self)
        self.name.setObjectName("namedWorker")
        self.name.setPlaceholderText(tr("名册中没有的"))
        self.name.setMinimumWidth(110)
        self.phone = QLineEdit(self)
        self.phone.setObjectName("namedPhone")
        self.phone.setPlaceholderText(tr("如 13812345678"))
        self.phone.setMinimumWidth(130)
        self.add_button = QPushButton(tr("添加"), self)
        self.add_button.setToolTip(tr("只记姓名和电话；职工登记进名册后，可在“当事人”中关联"))
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.list, 0, 0, 2, 5)
        grid.addWidget(self.pick_button, 0, 5)
        grid.addWidget(self.remove_button, 1, 5, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(QLabel(worker_label("name") + tr("："), self), 2, 0)
        grid.addWidget(self.name, 2, 1)
        grid.addWidget(QLabel(worker_label("phone") + tr("："), self), 2, 2)
        grid.addWidget(self.phone, 2, 3)
        grid.addWidget(self.add_button, 2, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.pick_button.clicked.connect(self.open_picker)
        self.remove_button.clicked.connect(self.remove_selected)
        self.add_button.clicked.connect(self.add_named)
        self.name.returnPressed.connect(self.add_named)
        self.phone.returnPressed.connect(self.add_named)

    # -- adding ------------------------------------------------------------------------------------------

    def open_picker(self) -> PickWorkerDialog:
        """The kit's picker, several at once; 确定 adds the chosen workers."""
        dlg = PickWorkerDialog(self.window(), self.app, tr("从职工名册选择当事职工"), multi=True,
                               hint=tr("可按住 Ctrl 或 Shift 选择多名职工"))
        dlg.accepted.connect(lambda: self.add_hits(dlg))
        self.picker = dlg
        dlg.open()
        return dlg

    def add_hits(self, dlg: PickWorkerDialog) -> None:
        for hit in dlg.picker.selected_hits():
            self.add_worker(hit.id, hit.name, hit.employer, hit.id_tail)

    def add_worker(self, worker_id: int, name: str, employer: str = "", tail: str = "") -> None:
        """A worker of the register (once)."""
        if any(self.list.item(i).data(PartyRole).get("worker_id") == worker_id for i in range(self.list.count())):
            return
        shown = name + (tr("（身份证号尾号 {0}）").format(tail) if tail else "") + (f"　{employer}" if employer else "")
        self._add(shown, {"worker_id": worker_id})
        if employer:
            self.employer_seen.emit(employer)

    def add_named(self) -> bool:
        """The typed name and phone as a worker named only (not yet in the register)."""
        name, phone = self.name.text().strip(), self.phone.text().strip()
        if not name:
            self.name.setFocus()
            return False
        self._add(tr("{0}　{1}（只记姓名，未入名册）").format(name, phone).replace("　（", "（"),
                  {"name": name, "phone": phone or None})
        self.name.clear()
        self.phone.clear()
        return True

    def _add(self, text: str, value: dict[str, Any]) -> None:
        item = QListWidgetItem(text)
        item.setData(PartyRole, value)
        self.list.addItem(item)
        self.changed.emit()

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))
        self.changed.emit()

    def _selection(self) -> None:
        self.remove_button.setEnabled(bool(self.list.selectedItems()))

    # -- the value ----------------------------------------------------------------------------------------

    def value(self) -> list[dict[str, Any]]:
        """Each worker as the service takes it: ``{"worker_id"}`` or ``{"name", "phone"}``; a name typed
        but not yet added counts too."""
        out = [dict(self.list.item(i).data(PartyRole)) for i in range(self.list.count())]
        if self.name.text().strip():
            out.append({"name": self.name.text().strip(), "phone": self.phone.text().strip() or None})
        return out

    def names(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]


class EmployerField(QComboBox):
    """The employer: a unit of the organisations register (type part of its name), or any name typed,
    kept as named only."""

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumWidth(360)
        self.units = ref_options(app, "organisations") or []
        self.by_name = {name: uid for uid, name in self.units}
        self.addItem("", None)
        for uid, name in self.units:
            self.addItem(name, uid)
        completer = QCompleter([n for _i, n in self.units], self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        self.lineEdit().setPlaceholderText(tr("从单位名册中选择，或直接填写名称"))

    def text(self) -> str:
        return self.currentText().strip()

    def value(self) -> dict[str, Any]:
        """``{"organisation_id"}`` for a unit of the register, ``{"name"}`` for one named only, {} when empty."""
        text = self.text()
        if not text:
            return {}
        uid = self.by_name.get(text)
        return {"organisation_id": uid} if uid is not None else {"name": text}

    def set_text(self, text: str) -> None:
        self.setEditText(text)

    def in_register(self) -> bool:
        return self.text() in self.by_name
