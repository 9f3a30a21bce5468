"""助企行's 服务队 page: the service teams (帮帮团, 金蓝领, 技术服务队) on the left, the chosen team's
members on the right with their specialty, trade, honours (from the honour register, through the
selection core) and 片区. A member is a worker of the register or an outside expert; one who has
served leaves with a date, one who never did is deleted."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from desktop.programmes.help_desk import queries, service
from ui.kit.cultivation import Cell, DataTable, Row, tr
from ui.kit.filter_bar import FilterBar
from ui.kit.menus import enable, fill_menu, menu_action, menu_button, offer_menu, stretch_column
from ui.kit.parts import note_label, page_heading
from ui.kit.tab import open_rows
from ui.programmes.help_desk import dialogs
from ui.programmes.help_desk.described import label, shown
from ui.programmes.help_desk.page import Host, Page
from ui.programmes.help_desk.people_dialogs import MemberDialog

#: The members list's columns.
M_NAME, M_SPECIALTY, M_TRADE, M_HONOURS, M_AREA, M_EMPLOYER, M_PHONE, M_SERVED, M_JOINED, M_LEFT = range(10)


class TeamsPage(Page):
    def __init__(self, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self.teams: list[queries.TeamRow] = []
        self.select_after: int | None = None

        self.edit_team_action = menu_action(self, tr("编辑服务队…"), self.edit_team, "edit.svg")
        self.delete_team_action = menu_action(self, tr("删除服务队"), self.delete_team, "delete.svg",
                                              tr("删除误建、没有派工单的服务队"))
        self.add_member_action = menu_action(self, tr("添加队员…"), self.add_member, "add.svg")
        self.edit_member_action = menu_action(self, tr("编辑队员…"), self.edit_member, "edit.svg")
        self.remove_member_action = menu_action(self, tr("移除队员"), self.remove_member, "delete.svg",
                                                tr("派过单的队员登记退出（保留记录），没派过的删除"))

        self.bar = FilterBar(self)
        self.new_button = self.bar.add_button(tr("新建服务队…"), "add.svg", tr("新建帮帮团、金蓝领或技术服务队"))
        self.edit_button, menu = menu_button(self.bar, tr("编辑服务队"), "edit.svg",
                                             tr("修改服务队名称、类型、片区（箭头：删除误建的服务队）"), split=True)
        fill_menu(menu, [self.edit_team_action, self.delete_team_action])
        self.bar.add_separator()
        self.add_member_button = self.bar.add_button(tr("添加队员…"), "add.svg",
                                                     tr("从职工名册选择队员，或登记外聘专家"))
        self.edit_member_button = self.bar.add_button(tr("编辑队员…"), "edit.svg", tr("修改专长、工种、片区、加入日期"))
        self.remove_member_button = self.bar.add_button(tr("移除队员"), "delete.svg",
                                                        tr("派过单的队员登记退出（保留记录），没派过的删除"))
        self.bar.search.setPlaceholderText(tr("搜索队员姓名、专长、工种、荣誉"))
        self.bar.filter_changed.connect(lambda t: self.members.filter(t))

        self.table = DataTable([label("Team.name"), label("Team.kind"), label("Team.area"), label("Team.founded_on"),
                                tr("在队人数"), tr("派工单"), label("Team.note")],
                               (220, 90, 100, 90, 70, 60, 300), self, numbered=False)
        stretch_column(self.table, 6)
        self.table.itemSelectionChanged.connect(self.show_team)
        open_rows(self.table, lambda _i: self.edit_team())
        offer_menu(self.table, lambda: [self.edit_team_action, self.delete_team_action, None, self.add_member_action])

        right = QWidget(self)
        self.heading = page_heading(right)
        self.info = note_label(right, name="pageSubheading")
        self.members = DataTable([label("Member.name"), label("Member.specialty"), label("Member.trade"), tr("所获荣誉"),
                                  label("Member.area"), tr("所在单位"), label("Member.phone"), tr("派单次数"),
                                  label("Member.joined_on"), label("Member.left_on")],
                                 (64, 170, 80, 150, 90, 180, 104, 64, 84, 84), right, numbered=False)
        stretch_column(self.members, M_SPECIALTY)
        self.members.itemSelectionChanged.connect(self.show_member)
        open_rows(self.members, lambda _i: self.edit_member())
        offer_menu(self.members, self.member_actions)
        self.message = note_label(right)
        rbox = QVBoxLayout(right)
        rbox.setContentsMargins(10, 8, 8, 4)
        rbox.setSpacing(4)
        rbox.addWidget(self.heading)
        rbox.addWidget(self.info)
        rbox.addWidget(self.members, 1)
        rbox.addWidget(self.message)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([150, 520])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        layout.addWidget(split, 1)

        self.new_button.clicked.connect(self.new_team)
        self.edit_button.clicked.connect(self.edit_team)
        self.add_member_button.clicked.connect(self.add_member)
        self.edit_member_button.clicked.connect(self.edit_member)
        self.remove_member_button.clicked.connect(self.remove_member)

    def member_actions(self) -> list[QAction | None]:
        return [self.add_member_action, self.edit_member_action, self.remove_member_action]

    # ----------------------------------------------------------------- loading

    def load(self) -> None:
        chosen, self.select_after = self.select_after or self.table.selected_id(), None
        self.teams = queries.teams(self.app)
        self.table.set_rows([Row(t.id, [t.name, t.kind_label, t.area, shown(t.founded_on), t.members, t.demands,
                                        Cell(t.note, tip=t.note)], data=t) for t in self.teams])
        if (chosen is None or not self.table.select_id(chosen)) and self.teams:
            self.table.selectRow(0)
        self.show_team()

    def team(self) -> queries.TeamRow | None:
        row = self.table.selected_row()
        return row.data if row is not None else None

    def member(self) -> queries.MemberRow | None:
        row = self.members.selected_row()
        return row.data if row is not None else None

    def show_team(self) -> None:
        t = self.team()
        for w in (self.edit_button, self.edit_team_action, self.add_member_button, self.add_member_action):
            enable(w, t is not None)
        enable(self.delete_team_action, t is not None and not t.demands)
        if t is None:
            self.heading.setText("")
            self.info.setText(tr("还没有服务队。点击“新建服务队”，再从职工名册添加队员（劳模、工匠、技术骨干）。"))
            self.members.set_rows([])
            self.show_member()
            return
        self.heading.setText(t.name)
        rows = queries.members(self.app, t.id)
        parts = [t.kind_label, tr("在队 {0} 人").format(t.members), tr("派工单 {0} 张").format(t.demands)]
        if t.area:
            parts.insert(1, t.area)
        if t.founded_on:
            parts.append(tr("{0} 成立").format(shown(t.founded_on)))
        self.info.setText("　·　".join(parts))
        self.members.set_rows([Row(m.id, [m.name, Cell(m.specialty, tip=m.specialty), m.trade,
                                          Cell(m.honours, "priority" if m.honours else None, tip=m.honours), m.area,
                                          Cell(m.employer or m.expert_from, tip=m.employer or m.expert_from), m.phone,
                                          m.served, shown(m.joined_on), shown(m.left_on)],
                                   fill=None if m.active else "left", data=m) for m in rows])
        self.members.filter(self.bar.search.text())
        self.bar.set_count(len(rows), len(rows))
        self.show_member()

    def show_member(self) -> None:
        m = self.member()
        for w in (self.edit_member_button, self.edit_member_action):
            enable(w, m is not None)
        for w in (self.remove_member_button, self.remove_member_action):
            enable(w, m is not None and m.active)

    # ----------------------------------------------------------------- writes

    def open_form(self, dlg: Any) -> Any:
        dlg.accepted.connect(lambda: self.after_write(dlg.result_value))
        return self.host.open_form(dlg)

    def after_write(self, result: Any) -> None:
        changes = getattr(result, "changes", result)
        made = next(iter(changes.ids(service.TEAMS)), None) if changes is not None else None
        if made is not None and getattr(result, "value", None) == made:
            self.select_after = made
            self.load()
        self.said(getattr(changes, "message", ""))

    def said(self, message: str) -> None:
        self.message.setText(f"<b>{message}</b>" if message else "")

    def new_team(self) -> Any:
        return self.open_form(dialogs.team_dialog(self.window(), self.app, None))

    def edit_team(self) -> Any:
        t = self.team()
        return self.open_form(dialogs.team_dialog(self.window(), self.app, t)) if t is not None else None

    def delete_team(self) -> bool:
        t = self.team()
        if t is None or not self.host.confirm(tr("删除服务队"), tr("确定删除“{0}”及其队员名单吗？").format(t.name)):
            return False
        return self.host.run_op(lambda: service.delete_team(self.app, t.id), tr("删除服务队"))

    def add_member(self) -> Any:
        t = self.team()
        return self.open_form(MemberDialog(self.window(), self.app, t)) if t is not None else None

    def edit_member(self) -> Any:
        t, m = self.team(), self.member()
        return self.open_form(MemberDialog(self.window(), self.app, t, m)) if t is not None and m is not None else None

    def remove_member(self) -> bool:
        m = self.member()
        if m is None or not self.host.confirm(tr("移除队员"), tr("确定把{0}移出服务队吗？派过单的保留记录并登记退出日期。").format(m.name)):
            return False
        return self.host.run_op(lambda: service.remove_member(self.app, m.id), tr("移除队员"))
