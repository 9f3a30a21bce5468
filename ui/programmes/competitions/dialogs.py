"""Dialogs of the competitions tab: 报名 from the workers register (or a new worker), a team
with its members, and the import of entry lists and judges' score sheets."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from db.errors import DatabaseProblem, ValidationError
from db.models.competitions import Entry, Event
from db.models.core.registers import Organisation
from desktop.context import App
from desktop.jobs import Progress
from desktop.programmes.competitions import service
from desktop.programmes.competitions.queries import WorkerHit, search_workers
from ui.kit.jobs import Job


def tr(text: str) -> str:
    return QCoreApplication.translate("CompetitionDialogs", text)


class WorkerPicker(QWidget):
    """A search box over the workers register (name, pinyin initials, ID number) and its hits."""

    chosen = Signal(int)  # worker id (double click or Enter)

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.hits: list[WorkerHit] = []
        self.search = QLineEdit()
        self.search.setObjectName("workerSearch")
        self.search.setPlaceholderText(tr("输入姓名、拼音首字母或身份证号查找职工"))
        self.search.setClearButtonEnabled(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([tr("姓名"), tr("身份证号"), tr("工作单位"), tr("工种")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 80)
        self.table.setColumnWidth(1, 160)
        self.table.doubleClicked.connect(lambda _i: self._choose())
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(150)
        self.timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self.timer.start())
        self.search.returnPressed.connect(self._enter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        with self.app.db.session() as s:
            self.hits = search_workers(s, self.search.text(), limit=60)
        self.table.setRowCount(len(self.hits))
        for r, h in enumerate(self.hits):
            for c, text in enumerate((h.name, h.id_masked, h.employer, h.trade)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        if self.hits:
            self.table.selectRow(0)

    def _enter(self) -> None:
        self.timer.stop()
        self.refresh()
        self._choose()

    def selected(self) -> WorkerHit | None:
        rows = self.table.selectionModel().selectedRows()
        return self.hits[rows[0].row()] if rows and rows[0].row() < len(self.hits) else None

    def _choose(self) -> None:
        hit = self.selected()
        if hit is not None:
            self.chosen.emit(hit.id)


def _message(label: QLabel, text: str, ok: bool) -> None:
    label.setObjectName("formHint" if ok else "formProblem")
    label.setText(text)
    label.style().unpolish(label)
    label.style().polish(label)
    label.show()


class RegisterDialog(QDialog):
    """报名 to an individual event: pick workers from the register, or add a new worker."""

    registered = Signal(int)  # entry id

    def __init__(self, app: App, event_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.event_id = event_id
        with app.db.session() as s:
            ev = s.get(Event, event_id)
            trade = ev.trade if ev is not None else ""
        self.setWindowTitle(tr("报名 — %1").replace("%1", trade))
        self.picker = WorkerPicker(app, self)
        self.picker.chosen.connect(self.register)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()
        self.add_button = QPushButton(tr("报名选中职工"))
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self._register_selected)
        self.new_button = QPushButton(tr("新职工报名…"))
        self.new_button.setToolTip(tr("职工名册中没有此人：先录入职工信息（存入职工名册），再报名"))
        self.new_button.clicked.connect(self.new_worker)
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        hint = QLabel(tr("双击或按回车把职工报名到本项目，可连续报名多人；参赛号按报名顺序自动编排。"))
        hint.setObjectName("formHint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.picker, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(640, 480)

    def _register_selected(self) -> None:
        hit = self.picker.selected()
        if hit is not None:
            self.register(hit.id)

    def register(self, worker_id: int) -> int | None:
        try:
            with self.app.db.session() as s:
                entry_id = service.register_worker(s, self.event_id, worker_id)
                entry = s.get(Entry, entry_id)
                assert entry is not None and entry.worker is not None
                text = tr("已报名：%1（参赛号 %2）").replace("%1", entry.worker.name).replace("%2", str(entry.number))
        except (ValidationError, DatabaseProblem) as exc:
            _message(self.status, exc.message, False)
            return None
        _message(self.status, text, True)
        self.registered.emit(entry_id)
        self.picker.search.selectAll()
        self.picker.search.setFocus()
        return entry_id

    def new_worker(self) -> Any:
        from ui.kit.form import edit_record

        return edit_record(self, self.app, "workers", None, self._worker_saved)

    def _worker_saved(self, worker_id: int) -> None:
        self.picker.refresh()
        self.register(worker_id)


class TeamDialog(QDialog):
    """A team entry: 队名, 单位 and the members, picked from the register (or new workers)."""

    saved = Signal(int)

    def __init__(self, app: App, event_id: int, entry_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.event_id = event_id
        self.entry_id = entry_id
        self.members: list[tuple[int, str]] = []
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("teamName")
        self.name_edit.setPlaceholderText(tr("如 古荡街道总工会"))
        self.unit_combo = QComboBox()
        self.unit_combo.setEditable(True)
        self.unit_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        with app.db.session() as s:
            self.unit_combo.addItem("")
            for (name,) in s.execute(select(Organisation.name).order_by(Organisation.name)):
                self.unit_combo.addItem(name)
            if entry_id is not None:
                entry = s.get(Entry, entry_id)
                if entry is not None:
                    self.name_edit.setText(entry.team_name or "")
                    self.unit_combo.setEditText(entry.employer or "")
                    self.members = [(m.worker_id, m.worker.name) for m in entry.members]
        self.member_list = QListWidget()
        self.member_list.setObjectName("members")
        self.picker = WorkerPicker(app, self)
        self.picker.chosen.connect(self.add_member)
        add = QPushButton(tr("加入队员 →"))
        add.clicked.connect(lambda: self.add_member(self.picker.selected().id if self.picker.selected() else 0))
        remove = QPushButton(tr("移出队员"))
        remove.clicked.connect(self.remove_member)
        new = QPushButton(tr("新职工…"))
        new.setToolTip(tr("职工名册中没有此人：先录入职工信息，再加入本队"))
        new.clicked.connect(self.new_worker)
        form = QFormLayout()
        form.addRow(tr("队名 *"), self.name_edit)
        form.addRow(tr("单位"), self.unit_combo)
        left = QVBoxLayout()
        left.addWidget(QLabel(tr("从职工名册中查找")))
        left.addWidget(self.picker, 1)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(new)
        row.addStretch(1)
        left.addLayout(row)
        right = QVBoxLayout()
        right.addWidget(QLabel(tr("队员")))
        right.addWidget(self.member_list, 1)
        right.addWidget(remove)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        self.problem = QLabel()
        self.problem.setObjectName("formProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(body, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setWindowTitle(tr("团体报名") if entry_id is None else tr("编辑队伍"))
        self._fill_members()
        self.resize(820, 520)

    def _fill_members(self) -> None:
        self.member_list.clear()
        for wid, name in self.members:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, wid)
            self.member_list.addItem(item)

    def add_member(self, worker_id: int) -> None:
        hit = next((h for h in self.picker.hits if h.id == worker_id), None)
        if hit is None or any(w == worker_id for w, _n in self.members):
            return
        self.members.append((hit.id, hit.name))
        if not self.unit_combo.currentText().strip() and hit.employer:
            self.unit_combo.setEditText(hit.employer)
        self._fill_members()

    def remove_member(self) -> None:
        row = self.member_list.currentRow()
        if 0 <= row < len(self.members):
            del self.members[row]
            self._fill_members()

    def new_worker(self) -> Any:
        from ui.kit.form import edit_record

        return edit_record(self, self.app, "workers", None, self._worker_saved)

    def _worker_saved(self, worker_id: int) -> None:
        self.picker.refresh()
        if not any(h.id == worker_id for h in self.picker.hits):
            with self.app.db.session() as s:
                self.picker.hits += [h for h in search_workers(s, "", limit=100_000) if h.id == worker_id]
        self.add_member(worker_id)

    def save(self) -> None:
        try:
            with self.app.db.session() as s:
                entry_id = service.register_team(s, self.event_id, self.name_edit.text(),
                                                 self.unit_combo.currentText(), [w for w, _n in self.members],
                                                 self.entry_id)
        except (ValidationError, DatabaseProblem) as exc:
            self.problem.setText(exc.message)
            self.problem.show()
            return
        self.entry_id = entry_id
        self.saved.emit(entry_id)
        self.accept()


class ImportScoresDialog(QDialog):
    """导入报名表/成绩: the file, its event (unless a 项目 column says) and the judge of its marks."""

    imported = Signal(object)  # the ImportResult

    def __init__(self, app: App, competition_id: int, events: list[tuple[int, str]], event_id: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.competition_id = competition_id
        self.path: Path | None = None
        self.job: Job | None = None
        self.result: Any = None
        self.setWindowTitle(tr("导入报名表/成绩"))
        self.file_label = QLabel(tr("（未选择文件）"))
        choose = QPushButton(tr("选择文件…"))
        choose.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(choose)
        self.event_combo = QComboBox()
        self.event_combo.addItem(tr("按表中“项目”列"), None)
        for eid, trade in events:
            self.event_combo.addItem(trade, eid)
        if event_id is not None:
            self.event_combo.setCurrentIndex(max(0, self.event_combo.findData(event_id)))
        self.judge_spin = QSpinBox()
        self.judge_spin.setRange(1, 9)
        self.judge_spin.setPrefix(tr("第 "))
        self.judge_spin.setSuffix(tr(" 位评委"))
        self.judge_spin.setMaximumWidth(140)
        form = QFormLayout()
        form.addRow(tr("文件："), file_row)
        form.addRow(tr("竞赛项目："), self.event_combo)
        form.addRow(tr("成绩记为："), self.judge_spin)
        hint = QLabel(tr("可导入企业报来的报名表（姓名、身份证号、单位、项目），也可导入评委填好的评分表"
                         "（参赛号或姓名，理论、实操成绩；团体赛为队名和必答、抢答、加赛得分）。"
                         "表中有“评委”列时按该列记分，否则记为上面选择的评委。"
                         "名册中没有的选手按身份证号自动加入职工名册。"))
        hint.setObjectName("formHint")
        hint.setWordWrap(True)
        self.report = QLabel()
        self.report.setWordWrap(True)
        self.report.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report.hide()
        self.buttons = QDialogButtonBox()
        self.run_button = QPushButton(tr("导入"))
        self.run_button.setEnabled(False)
        self.run_button.clicked.connect(lambda: self.run())
        self.buttons.addButton(self.run_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(tr("关闭"))
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.report)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(560, 260)

    def choose_file(self) -> None:
        from ui.dialogs.common import choose_open_file

        path = choose_open_file(self, tr("选择报名表或评分表"), tr("表格文件 (*.xlsx *.xlsm *.xls *.csv)"),
                                "competitions")
        if path is not None:
            self.set_file(path)

    def set_file(self, path: Path) -> None:
        self.path = Path(path)
        self.file_label.setText(self.path.name)
        self.run_button.setEnabled(True)

    def run(self, on_done: Callable[[Any], None] | None = None) -> Job | None:
        if self.path is None:
            return None
        from desktop.programmes.competitions.importing import import_sheet

        app, cid, path = self.app, self.competition_id, self.path
        event_id, judge = self.event_combo.currentData(), self.judge_spin.value()

        def work(progress: Progress, cancelled: Callable[[], bool]) -> Any:
            with app.db.session() as s:
                return import_sheet(s, cid, path, event_id=event_id, judge=judge, progress=progress,
                                    cancelled=cancelled)

        def done(result: Any) -> None:
            self.result = result
            lines = [tr("导入完成：") + result.summary()]
            lines += [f"第 {p.row} 行：{p.reason}" for p in result.rejected[:30]]
            if len(result.rejected) > 30:
                lines.append(tr("……共 %1 行被拒绝").replace("%1", str(len(result.rejected))))
            lines += [f"第 {p.row} 行（提示）：{p.reason}" for p in result.warnings[:10]]
            _message(self.report, "\n".join(lines), not result.rejected)
            self.imported.emit(result)
            if on_done is not None:
                on_done(result)

        self.run_button.setEnabled(False)
        self.job = Job(self, work, done).with_progress(tr("正在导入…"))
        self.job.finished.connect(lambda: self.run_button.setEnabled(True))
        return self.job.run()
