"""助企行's 派工单 page, a clerk's day: the demand register (open 急诊单 first and in red) filtered by
year, state and text; the chosen 派工单 under it. The bar: 登记需求, 编辑 ▾ 删除, 派单, 办理 (only
the states that may come next), 上门服务, 登记成效, 附件 and 打印 ▾ (派工单, 急诊单, 统计表,
企业需求库). The list and the detail's lists offer the same on a right-click."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from desktop.accounts import roles
from desktop.programmes.help_desk import queries, service
from desktop.programmes.help_desk.rules import FLOW, PENDING, SOLVED, TRANSFERRED, UNSOLVED
from ui.kit.cultivation import Cell, DataTable, Row, tr
from ui.kit.filter_bar import FilterBar, fit_combo
from ui.kit.menus import bar_button, enable, fill_menu, menu_action, menu_button, offer_menu, stretch_column
from ui.kit.parts import note_label
from ui.kit.tab import open_rows
from ui.kit.year_combo import YearCombo
from ui.programmes.help_desk import dialogs
from ui.programmes.help_desk.demand_detail import DemandDetail, minutes_text
from ui.programmes.help_desk.described import label, shown
from ui.programmes.help_desk.page import Host, Page
from ui.programmes.help_desk.people_dialogs import DispatchDialog

#: The list's columns (tests read cells by them).
NUMBER, ENTERPRISE, PROBLEM, KIND, URGENCY, RECEIVED, DEADLINE, STAGE, CRAFTSMEN, MINUTES, DAYS = range(11)
OPEN = "open"  # the state filter's 未办结
STAGE_COLOURS = {SOLVED: "ok", UNSOLVED: "error", TRANSFERRED: "warning", PENDING: "priority"}


class DemandsPage(Page):
    def __init__(self, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self.rows: list[queries.DemandRow] = []

        def act(text: str, slot: Any, icon_name: str, tip: str = "", permission: str | None = None) -> QAction:
            return menu_action(self, text, slot, icon_name, tip, permission)

        self.add_action = act(tr("登记需求…"), self.add_demand, "add.svg")
        self.edit_action = act(tr("编辑需求…"), self.edit_demand, "edit.svg")
        self.delete_action = act(tr("删除需求"), self.delete_demand, "delete.svg", tr("删除误登记、尚未派单的需求"))
        self.dispatch_action = act(tr("派单…"), self.dispatch, "dispatch", permission=roles.WRITE)
        self.advance_action = act(tr("办理…"), self.advance, "advance", permission=roles.WRITE)
        self.visit_action = act(tr("上门服务…"), self.add_visit, "visit", permission=roles.WRITE)
        self.outcome_action = act(tr("登记成效…"), self.record_outcome, "edit.svg")
        self.attach_action = act(tr("附件…"), self.add_attachment, "attach", permission=roles.WRITE)
        self.slip_print = act(tr("派工单"), lambda: self.print_slip("help_desk.slip"), "report.svg",
                              tr("选中需求的派工单（交给工匠，含企业联系人和反馈栏）"))
        self.emergency_print = act(tr("急诊单"), lambda: self.print_slip("help_desk.emergency"), "report.svg",
                                   tr("选中需求的急诊单（限时响应）"))
        self.statistics_print = act(tr("统计表"), self.print_statistics, "export.svg",
                                    tr("本年度各月助企行统计表，对照年度目标（PDF 或 Excel）"))
        self.register_print = act(tr("企业需求库"), self.print_register, "export.svg",
                                  tr("所选年度的企业需求库（PDF 或 Excel）"))
        self.remove_craftsman_action = act(tr("移出派工单"), self.remove_craftsman, "delete.svg",
                                           tr("把选中的工匠移出派工单（误派时）"))
        self.delete_visit_action = act(tr("删除上门服务记录"), self.delete_visit, "delete.svg")
        self.delete_attachment_action = act(tr("删除附件记录"), self.delete_attachment, "delete.svg")

        self.bar = FilterBar(self)
        self.add_button, menu = menu_button(self.bar, tr("登记需求…"), "add.svg",
                                            tr("登记企业提出的技术需求（箭头：从 Excel 导入需求清单）"), split=True)
        self.import_action = act(tr("从 Excel 导入需求清单…"), self.import_file, "import.svg")
        fill_menu(menu, [self.import_action])
        self.edit_button, menu = menu_button(self.bar, tr("编辑"), "edit.svg",
                                             tr("修改选中的需求（箭头：删除误登记的需求）"), split=True)
        fill_menu(menu, [self.edit_action, self.delete_action])
        self.dispatch_button = bar_button(self.bar, tr("派单…"), "dispatch", tr("把需求派给服务队的工匠（可多人）"),
                                          roles.WRITE)
        self.advance_button = bar_button(self.bar, tr("办理…"), "advance",
                                         tr("接单、开始服务、办结（已解决、未解决、转办）、回访"), roles.WRITE)
        self.visit_button = bar_button(self.bar, tr("上门服务…"), "visit", tr("登记一次上门服务"), roles.WRITE)
        self.outcome_button = self.bar.add_button(tr("登记成效…"), "edit.svg",
                                                  tr("解决情况、效益（万元）、节约成本、订单、培训人次、成果、企业评价"))
        self.attach_button = bar_button(self.bar, tr("附件…"), "attach", tr("登记派工单的材料（按名称）"), roles.WRITE)
        self.bar.add_separator()
        self.print_button, menu = menu_button(self.bar, tr("打印"), "report.svg", tr("派工单、急诊单、统计表、企业需求库"))
        fill_menu(menu, [self.slip_print, self.emergency_print, None, self.statistics_print, self.register_print])
        self.bar.search.setPlaceholderText(tr("搜索编号、企业、需求内容、工匠"))
        self.bar.filter_changed.connect(lambda _t: self.count())

        line = QHBoxLayout()
        line.setContentsMargins(10, 4, 10, 0)
        line.addWidget(QLabel(tr("年度："), self))
        self.year = YearCombo(self, every=tr("（全部年度）"))
        line.addWidget(self.year)
        line.addSpacing(12)
        line.addWidget(QLabel(label("Case.stage") + tr("："), self))
        self.stage = QComboBox(self)
        self.stage.addItem(tr("（全部）"), None)
        self.stage.addItem(tr("未办结"), OPEN)
        for st in FLOW.stages:
            self.stage.addItem(st.label, st.code)
        fit_combo(self.stage)
        line.addWidget(self.stage)
        self.info = QLabel(self)
        self.info.setObjectName("infoLabel")
        line.addWidget(self.info, 1)

        self.table = DataTable([label("Case.number"), label("Demand.organisation_id"), label("Demand.problem"),
                                label("Demand.kind"), label("Demand.urgency"), label("Demand.received_at"),
                                label("Demand.deadline"), label("Case.stage"), tr("派出工匠"), tr("接单用时"),
                                tr("已办天数")], (112, 180, 160, 70, 60, 100, 90, 56, 90, 70, 60), self, numbered=False)
        stretch_column(self.table, PROBLEM)
        self.table.itemSelectionChanged.connect(self.show_demand)
        open_rows(self.table, lambda _i: self.edit_demand())
        self.bar.lead_to(self.table)
        offer_menu(self.table, self.row_actions)
        self.detail = DemandDetail(self)
        offer_menu(self.detail.craftsmen, lambda: [self.dispatch_action, self.remove_craftsman_action])
        offer_menu(self.detail.visits, lambda: [self.visit_action, self.delete_visit_action])
        offer_menu(self.detail.attachments, lambda: [self.attach_action, self.delete_attachment_action])
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([330, 290])
        split.setChildrenCollapsible(False)
        self.message = note_label(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.bar)
        layout.addLayout(line)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)

        self.add_button.clicked.connect(self.add_demand)
        self.edit_button.clicked.connect(self.edit_demand)
        self.dispatch_button.clicked.connect(self.dispatch)
        self.advance_button.clicked.connect(self.advance)
        self.visit_button.clicked.connect(self.add_visit)
        self.outcome_button.clicked.connect(self.record_outcome)
        self.attach_button.clicked.connect(self.add_attachment)
        self.year.currentIndexChanged.connect(lambda _i: self.load())
        self.stage.currentIndexChanged.connect(lambda _i: self.load())

    # ----------------------------------------------------------------- loading

    def show_all(self, year: int) -> None:
        """Show every state of ``year`` (a demand just registered in another year)."""
        for combo, index in ((self.year, self.year.findData(year)), (self.stage, 0)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
        self.load()

    def chosen_year(self) -> int | None:
        return self.year.chosen()

    def load(self) -> None:
        self.year.fill(queries.years(self.app))
        chosen = self.table.selected_id()
        state = self.stage.currentData()
        rows = queries.demands(self.app, self.chosen_year(), None if state in (None, OPEN) else state)
        self.rows = [r for r in rows if not r.closed] if state == OPEN else rows
        self.table.set_rows([self.row(r) for r in self.rows])
        if (chosen is None or not self.table.select_id(chosen)) and self.rows:
            self.table.selectRow(0)
        self.count()
        emergency = sum(1 for r in self.rows if r.emergency and not r.closed)
        open_ = sum(1 for r in self.rows if not r.closed)
        self.info.setText(tr("　未办结 {0} 件，其中急诊单 {1} 件").format(open_, emergency) if self.rows else "")
        self.show_demand()

    def row(self, r: queries.DemandRow) -> Row:
        urgent = r.emergency and not r.closed
        overdue = tr("已超过办结期限") if r.overdue else ""
        return Row(r.id, [Cell(r.number, bold=urgent), Cell(r.enterprise, tip=r.enterprise),
                          Cell(r.problem, tip=r.problem), r.kind_label,
                          Cell(r.urgency_label, "error" if r.emergency else None, bold=r.emergency),
                          Cell(self.when(r), tip=f"{shown(r.received_at)}（{r.channel_label}）"),
                          Cell(shown(r.deadline), "error" if r.overdue else None, tip=overdue),
                          Cell(r.stage_label, STAGE_COLOURS.get(r.stage), bold=True),
                          Cell(r.craftsmen, tip=r.craftsmen), Cell(minutes_text(r.accept_minutes), align="right"),
                          Cell(str(r.days_open), align="right")],
                   fill="carried" if urgent else "left" if r.closed else None, data=r)

    def when(self, r: queries.DemandRow) -> str:
        """The received time without the year the list is filtered to (03-05 14:30)."""
        return f"{r.received_at:%m-%d %H:%M}" if self.chosen_year() == r.received_at.year else shown(r.received_at)

    def count(self) -> None:
        self.bar.set_count(self.table.filter(self.bar.search.text()), len(self.rows))

    def current(self) -> queries.DemandRow | None:
        row = self.table.selected_row()
        return row.data if row is not None else None

    def show_demand(self) -> None:
        r = self.current()
        self.detail.show_detail(queries.demand(self.app, r.id) if r is not None else None)
        is_open = r is not None and not r.closed
        for w in (self.edit_button, self.edit_action, self.visit_button,
                  self.visit_action, self.outcome_button, self.outcome_action, self.attach_button, self.attach_action,
                  self.slip_print):
            enable(w, r is not None)
        for w in (self.dispatch_button, self.dispatch_action):
            enable(w, is_open)
        for w in (self.advance_button, self.advance_action):
            enable(w, r is not None and r.stage != FLOW.stages[-1].code)
        enable(self.emergency_print, r is not None and r.emergency)
        enable(self.delete_action, r is not None and r.stage == PENDING)
        self.dispatch_button.setText(tr("派单…") if r is None or r.stage == PENDING else tr("加派…"))
        enable(self.remove_craftsman_action, is_open)

    def row_actions(self) -> list[QAction | None]:
        """What a right-click on a demand offers (``None``: a separator)."""
        return [self.dispatch_action, self.advance_action, self.visit_action, self.outcome_action, self.attach_action,
                None, self.edit_action, self.delete_action, None, self.slip_print, self.emergency_print]

    # ----------------------------------------------------------------- writes

    def _chosen(self) -> queries.DemandRow | None:
        r = self.current()
        if r is None:
            self.host.warn(tr("请选择"), tr("请先在列表中选中一条需求"))
        return r

    def open_form(self, dlg: Any) -> Any:
        dlg.accepted.connect(lambda: self.after_write(dlg.result_value))
        return self.host.open_form(dlg)

    def after_write(self, result: Any) -> None:
        changes = getattr(result, "changes", result)
        made = next(iter(changes.ids(service.DEMANDS)), None) if changes is not None else None
        if made is not None and getattr(result, "value", None) == made and not self.table.select_id(made):
            self.show_all(queries.demand(self.app, made).row.received_at.year)  # a new demand the filters hid
            self.table.select_id(made)
        self.said(getattr(changes, "message", ""))

    def said(self, message: str) -> None:
        self.message.setText(f"<b>{message}</b>" if message else "")

    def import_file(self, path: Any = None) -> Any:
        """导入企业需求清单 (.xlsx/.xls/.csv): each row a 待派 demand; rejected rows listed by number."""
        from desktop.programmes.help_desk.importing import import_file
        from ui.kit.import_job import import_job

        app = self.app
        self.job = import_job(self, tr("企业需求清单"), "help_desk", lambda target, progress, cancelled: import_file(
            app, target, progress=progress, cancelled=cancelled), self.message.setText, path)
        return self.job

    def add_demand(self) -> Any:
        return self.open_form(dialogs.demand_dialog(self.window(), self.app))

    def edit_demand(self) -> Any:
        r = self._chosen()
        return self.open_form(dialogs.demand_dialog(self.window(), self.app, queries.demand(self.app, r.id))) \
            if r is not None else None

    def delete_demand(self) -> bool:
        r = self._chosen()
        if r is None or not self.host.confirm(tr("删除需求"), tr("确定删除{0}（{1}）吗？").format(r.number, r.enterprise)):
            return False
        return self.host.run_op(lambda: service.delete_demand(self.app, r.id), tr("删除需求"))

    def dispatch(self) -> Any:
        r = self._chosen()
        if r is None:
            return None
        detail = self.detail.detail
        on_slip = {c.name for c in detail.craftsmen} if detail is not None else set()
        return self.open_form(DispatchDialog(self.window(), self.app, r, on_slip))

    def advance(self) -> Any:
        r = self._chosen()
        if r is None:
            return None
        if not queries.next_stages(self.app, r.id):
            self.host.warn(tr("办理"), tr("{0}已“{1}”，没有可办理的环节").format(r.number, r.stage_label))
            return None
        return self.open_form(dialogs.advance_dialog(self.window(), self.app, r))

    def add_visit(self) -> Any:
        r = self._chosen()
        return self.open_form(dialogs.visit_dialog(self.window(), self.app, r)) if r is not None else None

    def record_outcome(self) -> Any:
        r = self._chosen()
        return self.open_form(dialogs.outcome_dialog(self.window(), self.app, queries.demand(self.app, r.id))) \
            if r is not None else None

    def add_attachment(self) -> Any:
        r = self._chosen()
        return self.open_form(dialogs.attachment_dialog(self.window(), self.app, r)) if r is not None else None

    def remove_craftsman(self) -> bool:
        row = self.detail.craftsmen.selected_row()
        if row is None or not self.host.confirm(tr("移出派工单"), tr("确定把{0}移出派工单吗？").format(row.data.name)):
            return False
        return self.host.run_op(lambda: service.remove_craftsman(self.app, row.id), tr("移出派工单"))

    def delete_visit(self) -> bool:
        row = self.detail.visits.selected_row()
        if row is None or not self.host.confirm(tr("删除上门服务记录"),
                                                tr("确定删除 {0} 的上门服务记录吗？").format(shown(row.data.visited_on))):
            return False
        return self.host.run_op(lambda: service.delete_visit(self.app, row.id), tr("删除上门服务记录"))

    def delete_attachment(self) -> bool:
        row = self.detail.attachments.selected_row()
        if row is None or not self.host.confirm(tr("删除附件记录"), tr("确定删除附件记录“{0}”吗？").format(row.data.name)):
            return False
        return self.host.run_op(lambda: service.remove_attachment(self.app, row.id), tr("删除附件记录"))

    # ----------------------------------------------------------------- prints

    def print_slip(self, key: str) -> Any:
        r = self._chosen()
        return self.host.open_report(key, {"demand": r.id}) if r is not None else None

    def print_statistics(self) -> Any:
        return self.host.open_report("help_desk.statistics", {"year": self.chosen_year()})

    def print_register(self) -> Any:
        return self.host.open_report("help_desk.demands", {"year": self.chosen_year()})
