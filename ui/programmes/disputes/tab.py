"""劳动争议 (disputes): the case ledger (台账) of a year on the left, filtered by stage and by text,
with a dispute still in 调解 past the legal period marked 逾期; the chosen dispute on the right
(``detail.DetailPanel``). The bar: 登记争议, 办理 (the next stage; 结案 with its outcome and amounts),
当事人 ▾ (add a worker or a handler, link one named only to the register, remove), 编辑 (the
described fields; the sensitive ones only with the permission), 附件 ▾, 删除 (at 预警 only) and
打印 ▾ (调解协议书 of the chosen dispute, 台账, 月度统计). Writes go through the programme's
service; the tab refreshes when a change to its tables is announced."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.accounts import roles
from desktop.changes import Changes
from desktop.context import App
from desktop.programmes.disputes import queries, rules, service
from ui.accounts.permits import gate
from ui.kit.cultivation import Cell, DataTable, Row, result_message, tr
from ui.kit.filter_bar import FilterBar, fit_combo
from ui.kit.menus import bar_button, enable, fill_menu, menu_action, menu_button, offer_menu, stretch_column
from ui.kit.parts import note_label
from ui.kit.tab import ProgrammeTab, open_rows
from ui.kit.year_combo import YearCombo
from ui.programmes.disputes import dialogs, party_dialogs
from ui.programmes.disputes.detail import DetailPanel
from ui.programmes.disputes.fields import label

#: The ledger's columns (tests read cells by them).
NUMBER, OPENED, WORKERS, EMPLOYER, KIND, STAGE, DAYS = range(7)
STAGE_COLOURS = {rules.CLOSED: "ok"}


class DisputesTab(ProgrammeTab):
    key = "disputes"
    tables = service.TABLES

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(app, parent)
        self.rows: list[queries.DisputeRow] = []
        self.dialog: Any = None  # the last dialog opened (tests)
        self.select_after: int | None = None

        def act(text: str, slot: Any, icon_name: str = "", tip: str = "", permission: str | None = roles.WRITE) -> Any:
            return menu_action(self, text, slot, icon_name, tip, permission)

        self.advance_action = act(tr("办理…"), self.advance_dialog, "advance")
        self.edit_action = act(tr("编辑…"), self.edit_dialog, "edit.svg")
        self.add_worker_action = act(tr("添加劳动者…"), self.worker_dialog, "add.svg",
                                     tr("集体争议的劳动者代表，或登记时漏填的劳动者"))
        self.add_handler_action = act(tr("添加经办人…"), self.handler_dialog, "add.svg",
                                      tr("劳动法律监督员、法律援助志愿者、律师等"))
        self.link_action = act(tr("关联名册…"), self.link_dialog, "edit.svg",
                               tr("把只记了名称的劳动者或用人单位关联到名册中的记录"))
        self.remove_party_action = act(tr("移除当事人"), self.remove_party, "delete.svg",
                                       tr("移除在“当事人”页选中的人员"))
        self.add_attachment_action = act(tr("登记附件…"), self.attachment_dialog, "add.svg")
        self.remove_attachment_action = act(tr("删除附件"), self.remove_attachment, "delete.svg",
                                            tr("删除在“附件”页选中的附件记录"))
        self.agreement_print = act(tr("调解协议书"), self.print_agreement, "report.svg",
                                   tr("选中争议的调解协议书（含签名栏）"), None)
        self.ledger_print = act(tr("台账"), self.print_ledger, "export.svg",
                                tr("本年度劳动争议台账（PDF 或 Excel）"), None)
        self.monthly_print = act(tr("月度统计"), self.print_monthly, "export.svg",
                                 tr("按争议类型、阶段、结果统计的月度报表"), None)

        self.bar = FilterBar(self)
        b = self.bar.add_button
        self.add_button = b(tr("登记争议…"), "add.svg", tr("登记一件劳动争议（预警信息、窗口来访、热线）"))
        self.advance_button = bar_button(self.bar, tr("办理…"), "advance",
                                         tr("推进到下一阶段（可跳过），结案时填写结果和金额"), roles.WRITE)
        self.party_button, menu = menu_button(self.bar, tr("当事人"), "workers.svg",
                                              tr("添加劳动者、经办人，关联名册，移除"))
        gate(self.party_button, roles.WRITE)
        fill_menu(menu, [self.add_worker_action, self.add_handler_action, None, self.link_action,
                         self.remove_party_action])
        self.edit_button = b(tr("编辑…"), "edit.svg", tr("修改争议事实、告知部门、协议内容、金额、仲裁确认日期和敏感信息"))
        self.attachment_button, menu = menu_button(self.bar, tr("附件…"), "detail.svg",
                                                   tr("登记附件（箭头：删除选中的附件）"), split=True)
        gate(self.attachment_button, roles.WRITE)
        fill_menu(menu, [self.add_attachment_action, self.remove_attachment_action])
        self.delete_button = b(tr("删除"), "delete.svg", tr("删除误登记的争议（只能删除“预警”阶段的）"))
        self.bar.add_separator()
        self.print_button, menu = menu_button(self.bar, tr("打印"), "report.svg", tr("调解协议书、台账、月度统计"))
        fill_menu(menu, [self.agreement_print, None, self.ledger_print, self.monthly_print])
        self.bar.search.setPlaceholderText(tr("搜索编号、劳动者、单位、类型"))
        self.bar.filter_changed.connect(lambda t: self.bar.set_count(self.table.filter(t), self.table.rowCount()))

        left = QWidget(self)
        line = QHBoxLayout()
        line.setContentsMargins(10, 6, 4, 0)
        line.addWidget(QLabel(tr("年度："), left))
        self.year = YearCombo(left)
        self.year.currentIndexChanged.connect(lambda _i: self.show_rows())
        line.addWidget(self.year)
        line.addWidget(QLabel(label("CaseMove.stage") + tr("："), left))
        self.stage = QComboBox(left)
        self.stage.addItem(tr("全部"), None)
        self.stage.addItem(tr("未结案"), queries.OPEN)
        self.stage.addItem(tr("调解逾期"), queries.OVERDUE)
        for s in rules.FLOW.stages:
            self.stage.addItem(s.label, s.code)
        fit_combo(self.stage)
        self.stage.currentIndexChanged.connect(lambda _i: self.show_rows())
        line.addWidget(self.stage)
        self.info = QLabel(left)
        self.info.setObjectName("infoLabel")
        line.addWidget(self.info, 1)
        self.table = DataTable([label("Case.number"), label("Case.opened_at"), tr("劳动者"), tr("用人单位"),
                                label("Dispute.kind"), label("CaseMove.stage"), tr("已办天数")],
                               (100, 64, 84, 150, 64, 110, 64), left, numbered=False)
        stretch_column(self.table, EMPLOYER)
        self.table.itemSelectionChanged.connect(self.selection_changed)
        open_rows(self.table, lambda _i: self.edit_dialog() if self.edit_button.isEnabled() else None)
        self.bar.lead_to(self.table)
        offer_menu(self.table, lambda: [self.advance_action, self.edit_action, None, self.agreement_print])
        self.message = note_label(left)
        box = QVBoxLayout(left)
        box.setContentsMargins(0, 0, 0, 4)
        box.setSpacing(4)
        box.addLayout(line)
        box.addWidget(self.table, 1)
        box.addWidget(self.message)

        self.detail = DetailPanel(self)
        self.detail.parties.itemSelectionChanged.connect(self.party_selection)
        self.detail.attachments.itemSelectionChanged.connect(self.party_selection)
        offer_menu(self.detail.parties, lambda: [self.add_worker_action, self.add_handler_action, None,
                                                 self.link_action, self.remove_party_action])
        offer_menu(self.detail.attachments, lambda: [self.add_attachment_action, self.remove_attachment_action])
        self.splitter = self.lay_out(self.bar, left, self.detail, (700, 500))

        self.add_button.clicked.connect(self.open_dialog)
        self.advance_button.clicked.connect(self.advance_dialog)
        self.edit_button.clicked.connect(self.edit_dialog)
        self.attachment_button.clicked.connect(self.attachment_dialog)
        self.delete_button.clicked.connect(self.delete_dispute)
        self.selection_changed()

    # ----------------------------------------------------------------- loading

    def load(self) -> None:
        self.year.fill(queries.years(self.app))
        self.show_rows()
        self._mark_loaded()

    def record_count(self) -> int:
        return len(self.rows)

    def changes_arrived(self, changes: Changes) -> None:
        written = changes.ids(service.DISPUTES)
        if len(written) == 1:
            self.select_after = next(iter(written))
        self.load()

    def chosen_year(self) -> int | None:
        return self.year.chosen()

    def show_rows(self) -> None:
        year = self.chosen_year()
        if year is None:
            return
        chosen, self.select_after = self.select_after or self.table.selected_id(), None
        self.rows = queries.disputes(self.app, year, self.stage.currentData())
        rows = []
        for r in self.rows:
            stage = (Cell(tr("{0}（逾期）").format(r.stage_label), "error", bold=True,
                          tip=tr("调解已 {0} 日，超过 {1} 日的调解期限").format(r.mediation_days, self.limit()))
                     if r.overdue else Cell(tr("结案·{0}").format(r.outcome_label) if r.closed and r.outcome_label
                                            else r.stage_label, STAGE_COLOURS.get(r.stage)))
            rows.append(Row(r.id, [r.number, Cell(r.opened_at.strftime("%m-%d"), tip=r.opened_at.strftime("%Y-%m-%d %H:%M")),
                                   Cell(r.workers, tip=r.summary),
                                   r.employer, r.kind_label, stage, Cell(str(r.days_open), align="right")],
                            fill="carried" if r.overdue else "left" if r.closed else None, data=r))
        self.table.set_rows(rows)
        if not (chosen is not None and self.table.select_id(chosen)) and rows:
            self.table.selectRow(0)  # the detail beside the list is never empty while there are disputes
        self.bar.set_count(self.table.filter(self.bar.search.text()), len(rows))
        counts = "，".join(f"{k} {v}" for k, v in queries.counts(self.rows).items())
        self.info.setText(tr("　共 {0} 件{1}").format(len(rows), f"（{counts}）" if counts else ""))
        self.selection_changed()
        self.count_changed.emit()

    def limit(self) -> int:
        return self.detail.detail.mediation_limit if self.detail.detail else queries.DEFAULT_MEDIATION_DAYS

    def current(self) -> queries.DisputeRow | None:
        row = self.table.selected_row()
        return row.data if row is not None else None

    def selection_changed(self) -> None:
        r = self.current()
        if r is None:
            self.detail.clear()
        else:
            self.detail.show_dispute(queries.dispute(self.app, r.id))
        d = self.detail.detail
        enable(self.advance_button, d is not None and bool(d.next_stages))
        enable(self.advance_action, d is not None and bool(d.next_stages))
        for item in (self.party_button, self.edit_button, self.edit_action, self.attachment_button,
                     self.add_worker_action, self.add_handler_action, self.add_attachment_action):
            enable(item, d is not None)
        enable(self.delete_button, r is not None and r.stage == rules.WARNING)
        self.agreement_print.setEnabled(r is not None)
        self.party_selection()

    def party_selection(self) -> None:
        p = self.detail.selected_party()
        enable(self.link_action, p is not None and p.role != rules.HANDLER and not p.linked)
        enable(self.remove_party_action, p is not None)
        enable(self.remove_attachment_action, self.detail.selected_attachment() is not None)

    # ----------------------------------------------------------------- writes

    def open_form(self, dlg: Any) -> Any:
        self.dialog = dlg
        dlg.accepted.connect(lambda: self.show_result(dlg.result_value))
        dlg.open()
        return dlg

    def show_result(self, result: Any) -> None:
        message, _hints = result_message(result)
        self.said(message)

    def said(self, message: str) -> None:
        self.message.setText(f"<b>{message}</b>" if message else "")

    def _chosen(self) -> queries.DisputeDetail | None:
        d = self.detail.detail
        if d is None:
            self.warn(tr("请选择"), tr("请先在台账中选中一件争议"))
        return d

    def open_dialog(self) -> Any:
        dlg = dialogs.open_dialog(self.window(), self.app)
        dlg.accepted.connect(lambda: self.show_new(dlg.result_value.value, dlg.value("opened_at").year))
        return self.open_form(dlg)

    def show_new(self, dispute_id: int, year: int) -> None:
        """A dispute just registered, in its year's list (a past year's, typed in afterwards), chosen."""
        if self.chosen_year() != year:
            self.select_after = dispute_id
            self.year.choose(year)

    def advance_dialog(self) -> Any:
        d = self._chosen()
        if d is None:
            return None
        if not d.next_stages:
            self.warn(tr("办理"), tr("{0}已结案，没有下一阶段").format(d.row.number))
            return None
        return self.open_form(dialogs.advance_dialog(self.window(), self.app, d))

    def edit_dialog(self) -> Any:
        d = self._chosen()
        return self.open_form(dialogs.edit_dialog(self.window(), self.app, d)) if d is not None else None

    def worker_dialog(self) -> Any:
        d = self._chosen()
        return self.open_form(party_dialogs.worker_dialog(self.window(), self.app, d)) if d is not None else None

    def handler_dialog(self) -> Any:
        d = self._chosen()
        return self.open_form(party_dialogs.handler_dialog(self.window(), self.app, d)) if d is not None else None

    def link_dialog(self) -> Any:
        d, p = self._chosen(), self.detail.selected_party()
        if d is None:
            return None
        if p is None or p.role == rules.HANDLER or p.linked:
            self.warn(tr("关联名册"), tr("请先在“当事人”页选中一名只记了名称的劳动者或用人单位"))
            return None
        return self.open_form(party_dialogs.link_dialog(self.window(), self.app, d, p))

    def attachment_dialog(self) -> Any:
        d = self._chosen()
        return self.open_form(party_dialogs.attachment_dialog(self.window(), self.app, d)) if d is not None else None

    def remove_party(self) -> bool:
        p = self.detail.selected_party()
        if p is None:
            self.warn(tr("移除当事人"), tr("请先在“当事人”页选中一名人员"))
            return False
        if not self.confirm(tr("移除当事人"), tr("确定从本案移除“{0}”吗？").format(p.name)):
            return False
        return self.run_op(lambda: service.remove_party(self.app, p.id), tr("移除当事人"))

    def remove_attachment(self) -> bool:
        a = self.detail.selected_attachment()
        if a is None:
            self.warn(tr("删除附件"), tr("请先在“附件”页选中一条附件"))
            return False
        if not self.confirm(tr("删除附件"), tr("确定删除附件记录“{0}”吗？").format(a.name)):
            return False
        return self.run_op(lambda: service.remove_attachment(self.app, a.id), tr("删除附件"))

    def delete_dispute(self) -> bool:
        r = self.current()
        if r is None or not self.confirm(tr("删除争议"), tr("确定删除{0}（{1}）吗？当事人和附件记录一并删除。").format(
                r.number, r.summary)):
            return False
        return self.run_op(lambda: service.delete_dispute(self.app, r.id), tr("删除争议"))

    # ----------------------------------------------------------------- prints

    def open_report(self, key: str, params: dict[str, Any] | None = None) -> Any:
        from ui.dialogs.reports import open_report_with

        self.dialog = open_report_with(self.window(), self.app, key, {"year": self.chosen_year(), **(params or {})})
        return self.dialog

    def print_agreement(self) -> Any:
        r = self.current()
        if r is None:
            self.warn(tr("调解协议书"), tr("请先在台账中选中一件争议"))
            return None
        return self.open_report("disputes.agreement", {"dispute": r.id})

    def print_ledger(self) -> Any:
        """The year's ledger, of the stage the list is filtered to (its words, as the report reads them)."""
        stage = self.stage.currentData()
        words = {queries.OPEN: tr("未结案"), queries.OVERDUE: tr("逾期")}
        return self.open_report("disputes.ledger", {"stage": words.get(stage) or rules.FLOW.label(stage) or None})

    def print_monthly(self) -> Any:
        """This month's counts (December of a past year chosen in the list)."""
        today = date.today()
        year = self.chosen_year() or today.year
        return self.open_report("disputes.monthly", {"month": f"{year}-{today.month if year == today.year else 12:02d}"})
