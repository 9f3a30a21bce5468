"""The 助企行 dialogs that choose people: 派单 (one or more craftsmen of the service teams, with
their specialty, trade, honours and 片区) and 添加队员 / 编辑队员 (a worker of the register through
the kit's worker picker, or an outside expert by name and phone)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.context import App
from desktop.programmes.help_desk import queries, service
from ui.kit.cultivation import Cell, DataTable, Row, ServiceDialog, tr
from ui.kit.described_form import Spec
from ui.kit.filter_bar import fit_combo
from ui.kit.menus import stretch_column
from ui.kit.parts import dialog_heading, note_label, ok_cancel, problem_label
from ui.programmes.help_desk.described import described_form, label
from ui.programmes.help_desk.dialogs import form_values, now

#: The craftsmen list's columns.
NAME, TEAM, SPECIALTY, TRADE, HONOURS, AREA, SERVED = range(7)


class DispatchDialog(ServiceDialog):
    """派单 (or 加派 once sent): tick craftsmen in the list (Ctrl/Shift for several), the time
    (now by default) and a note."""

    def __init__(self, parent: QWidget | None, app: App, row: queries.DemandRow, on_slip: set[str]) -> None:
        super().__init__(parent)
        self.app, self.row = app, row
        self.result_value: Any = None
        more = bool(on_slip)
        self.setWindowTitle(tr("加派工匠") if more else tr("派单"))
        self.resize(900, 560)
        heading = dialog_heading(tr("{0}：{1}　{2}").format(self.windowTitle(), row.number, row.enterprise), self)
        problem = note_label(self, tr("{0}（{1}）：{2}").format(row.kind_label, row.urgency_label, row.problem))
        line = QHBoxLayout()
        line.addWidget(QLabel(label("Demand.team_id") + tr("："), self))
        self.team = QComboBox(self)
        self.team.addItem(tr("（全部）"), None)
        for t in queries.teams(app):
            self.team.addItem(t.name, t.name)
        if row.team:
            self.team.setCurrentIndex(max(0, self.team.findData(row.team)))
        fit_combo(self.team)
        line.addWidget(self.team)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(tr("搜索姓名、专长、工种、荣誉、片区"))
        self.search.setClearButtonEnabled(True)
        line.addWidget(self.search, 1)
        self.table = DataTable([label("Member.name"), label("Demand.team_id"), label("Member.specialty"),
                                label("Member.trade"), tr("所获荣誉"), label("Member.area"), tr("派单次数")],
                               (64, 150, 180, 80, 170, 90, 64), self, numbered=False)
        stretch_column(self.table, SPECIALTY)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.members = [m for m in queries.members(app, None, active_only=True) if m.name not in on_slip]
        self.table.set_rows([Row(m.id, [m.name, m.team, Cell(m.specialty, tip=m.specialty), m.trade,
                                        Cell(m.honours, "priority" if m.honours else None, tip=m.honours),
                                        Cell(m.area, tip=m.area), m.served], data=m)
                             for m in self.members])
        when = QHBoxLayout()
        when.addWidget(QLabel(tr("派单时间："), self))
        self.at = QDateTimeEdit(self)
        self.at.setCalendarPopup(True)
        self.at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.set_at(now())
        when.addWidget(self.at)
        when.addSpacing(16)
        when.addWidget(QLabel(label("CaseMove.note") + tr("："), self))
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(tr("如：电话通知，要求当天上门"))
        when.addWidget(self.note, 1)
        self.chosen = note_label(self, name="pageSubheading")
        self.error = problem_label(self)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(problem)
        if more:
            layout.addWidget(note_label(self, tr("已派：{0}。再选的工匠加到派工单上，状态不变。").format("、".join(sorted(on_slip)))))
        layout.addLayout(line)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.chosen)
        layout.addLayout(when)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, tr("派单")))
        self.team.currentIndexChanged.connect(lambda _i: self.narrow())
        self.search.textChanged.connect(lambda _t: self.narrow())
        self.table.itemSelectionChanged.connect(self.show_chosen)
        self.narrow()
        self.show_chosen()

    def narrow(self) -> None:
        """Only the chosen team's members matching the search."""
        team = self.team.currentData()
        self.table.filter(self.search.text())
        for r in range(self.table.rowCount()):
            if team is not None and self.table.item(r, TEAM).text() != team:
                self.table.setRowHidden(r, True)

    def show_chosen(self) -> None:
        names = [self.table.item(i.row(), NAME).text() for i in self.table.selectionModel().selectedRows()]
        if not self.members:
            self.chosen.setText(tr("服务队中还没有可派的工匠：请先在“服务队”页添加队员。"))
            return
        self.chosen.setText(tr("已选 {0} 名：{1}").format(len(names), "、".join(names)) if names
                            else tr("在列表中选择工匠（按住 Ctrl 可多选）"))

    def choose(self, *member_ids: int) -> None:
        """Select craftsmen as the clerk would (tests)."""
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for mid in member_ids:
            self.table.select_id(mid)
        self.table.setSelectionMode(mode)

    def set_at(self, at: datetime) -> None:
        self.at.setDateTime(QDateTime(QDate(at.year, at.month, at.day), QTime(at.hour, at.minute)))

    def when(self) -> datetime:
        d, t = self.at.date(), self.at.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())

    def accept(self) -> None:
        ids = self.table.selected_ids()
        self.finish(lambda: service.dispatch(self.app, self.row.id, ids, self.when(), self.note.text().strip() or None))


# -- team members ------------------------------------------------------------------------------------------

WORKER, EXPERT = "worker", "expert"
EXPERT_ONLY = ("name", "phone", "expert_from")
MEMBER_FIELDS = ("name", "phone", "expert_from", "specialty", "trade", "area", "joined_on")


class MemberDialog(ServiceDialog):
    """添加队员 (``member`` None): a worker of the register, or an outside expert; 编辑队员: the
    member's specialty, trade, 片区 and dates (an expert's name and phone too)."""

    def __init__(self, parent: QWidget | None, app: App, team: queries.TeamRow,
                 member: queries.MemberRow | None = None) -> None:
        super().__init__(parent)
        self.app, self.team, self.member = app, team, member
        self.result_value: Any = None
        title = tr("编辑队员：{0}").format(member.name) if member else tr("添加队员：{0}").format(team.name)
        self.setWindowTitle(title)
        self.setMinimumWidth(880 if member is None else 560)  # the worker picker's columns
        names = MEMBER_FIELDS + (("left_on",) if member is not None else ())
        if member is not None and member.worker_id is not None:
            names = tuple(n for n in names if n not in EXPERT_ONLY)
        defaults = form_values({n: getattr(member, n) for n in names}) if member is not None else {}
        self.masked = defaults.get("phone") or ""
        before = [] if member is not None else [
            Spec("source", tr("成员来源"), "choice", [(tr("职工名册中的职工"), WORKER), (tr("外聘专家（不在名册中）"), EXPERT)],
                 default=WORKER),
            Spec("worker_id", label("Member.worker_id"), "worker")]
        self.form = described_form(app, "Member", names, self, per_row=1, defaults=defaults, before=before)
        self.widgets = self.form.editors
        self.error = problem_label(self)
        layout = QVBoxLayout(self)
        layout.addWidget(dialog_heading(title, self))
        layout.addWidget(note_label(self, tr("名册中的职工：姓名、电话、工作单位取自职工名册，工种不填时取名册的工种。"
                                             "外聘专家：填写姓名、联系电话和外聘单位。")))
        layout.addWidget(self.form, 1)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self))
        if member is None:
            source = self.form.editors["source"]
            assert isinstance(source, QComboBox)
            source.currentIndexChanged.connect(lambda _i: self.source_changed())
            self.source_changed()

    def source(self) -> str:
        return str(self.form.value("source")) if "source" in self.form.editors else ""

    def source_changed(self) -> None:
        expert = self.source() == EXPERT
        for name, shown_ in [("worker_id", not expert), *((n, expert) for n in EXPERT_ONLY)]:
            self.form.editors[name].setVisible(shown_)
            self.form.labels[name].setVisible(shown_)
        self.adjustSize()

    def set(self, key: str, value: Any) -> None:
        self.form.set_value(key, value)

    def values(self) -> dict[str, Any]:
        values = self.form.values()
        source = values.pop("source", None)
        if source == WORKER:
            for name in EXPERT_ONLY:
                values.pop(name, None)
        elif source == EXPERT:
            values["worker_id"] = None
        if self.masked and values.get("phone") == self.masked:
            values.pop("phone")  # shown masked, left as it was: kept
        return values

    def accept(self) -> None:
        values = self.values()
        if self.member is None:
            self.finish(lambda: service.add_member(self.app, self.team.id, values))
        else:
            member_id = self.member.id
            self.finish(lambda: service.save_member(self.app, member_id, values))
