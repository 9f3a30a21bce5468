"""Dialogs of the competitions tab: 报名 from the workers register (or a new worker), a team
with its members, and the import of entry lists and judges' score sheets.

A dialog gets what it shows and a callable that writes (the tab's call to the service, which
announces the change); it never reaches into the tab that opened it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db.errors import DatabaseProblem, ValidationError
from desktop.context import App
from desktop.jobs import Progress
from desktop.programmes.competitions.queries import Team, headings
from desktop.programmes.competitions.service import Registered
from ui.kit.changes import announce
from ui.kit.jobs import Job
from ui.kit.worker_picker import WorkerPicker


def tr(text: str) -> str:
    return QCoreApplication.translate("CompetitionDialogs", text)


def _message(label: QLabel, text: str, ok: bool) -> None:
    label.setObjectName("formHint" if ok else "formProblem")
    label.setText(text)
    label.style().unpolish(label)
    label.style().polish(label)
    label.show()


class RegisterDialog(QDialog):
    """报名 to an individual event: pick workers from the register, or add a new worker."""

    registered = Signal(int)  # entry id

    def __init__(self, app: App, trade: str, submit: Callable[[int], Registered], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.submit = submit
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
            done = self.submit(worker_id)
        except (ValidationError, DatabaseProblem) as exc:
            _message(self.status, exc.message, False)
            return None
        _message(self.status, tr("已报名：%1（参赛号 %2）").replace("%1", done.name).replace("%2", str(done.number)), True)
        self.registered.emit(done.entry_id)
        self.picker.search.selectAll()
        self.picker.search.setFocus()
        return done.entry_id

    def new_worker(self) -> Any:
        from ui.kit.form import edit_record

        return edit_record(self, self.app, "workers", None, self._worker_saved)

    def _worker_saved(self, worker_id: int) -> None:
        self.picker.set_worker(worker_id)
        self.register(worker_id)


class TeamDialog(QDialog):
    """A team entry: 队名, 单位 and the members, picked from the register (or new workers)."""

    saved = Signal(int)

    def __init__(self, app: App, team: Team, units: list[str], submit: Callable[[str, str, list[int]], int], *,
                 new: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.submit = submit
        self.entry_id: int | None = None
        self.members: list[tuple[int, str]] = list(team.members)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("teamName")
        self.name_edit.setPlaceholderText(tr("如 古荡街道总工会"))
        self.name_edit.setText(team.name)
        self.unit_combo = QComboBox()
        self.unit_combo.setEditable(True)
        self.unit_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.unit_combo.addItems(["", *units])
        self.unit_combo.setEditText(team.employer)
        h = headings()
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
        form.addRow(f"{h['team']} *", self.name_edit)
        form.addRow(h["unit"], self.unit_combo)
        left = QVBoxLayout()
        left.addWidget(QLabel(tr("从职工名册中查找")))
        left.addWidget(self.picker, 1)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(new)
        row.addStretch(1)
        left.addLayout(row)
        right = QVBoxLayout()
        right.addWidget(QLabel(h["members"]))
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
        self.setWindowTitle(tr("团体报名") if new else tr("编辑队伍"))
        self._fill_members()
        self.resize(820, 520)

    def _fill_members(self) -> None:
        self.member_list.clear()
        for wid, name in self.members:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, wid)
            self.member_list.addItem(item)

    def add_member(self, worker_id: int) -> None:
        hit = self.picker.hit(worker_id)
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
        self.picker.set_worker(worker_id)
        self.add_member(worker_id)

    def save(self) -> None:
        try:
            entry_id = self.submit(self.name_edit.text(), self.unit_combo.currentText(), [w for w, _n in self.members])
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
        form.addRow(headings()["event"] + "：", self.event_combo)
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
        from desktop.programmes.competitions.importing import import_file

        app, cid, path = self.app, self.competition_id, self.path
        event_id, judge = self.event_combo.currentData(), self.judge_spin.value()

        def work(progress: Progress, cancelled: Callable[[], bool]) -> Any:
            return import_file(app, cid, path, event_id=event_id, judge=judge, progress=progress, cancelled=cancelled)

        def done(outcome: Any) -> None:
            announce(outcome.changes)
            self.result = result = outcome.value
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
