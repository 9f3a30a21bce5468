"""劳模工匠's 评选 page: the rounds on the left (year, title, quota, how many at each stage, the
publicity period); on the right the chosen round's nominations (stage, its date, the 优先 mark, the
reason of a rejection) and the chosen nomination's deeds and stage history.

The page's bar holds what is done to a round (新建评选, 编辑评选 ▾ 删除, 开始公示…, 导入名单…)
and 打印 ▾ (公示名单, 推荐表, 推荐对象汇总表); the bar over the list what is done to a nomination
(添加推荐…, 推进到“…”…, 未通过…, 修改材料 ▾ 删除). Both lists offer the same on a right-click.
Writes go through the programme's service; the page refreshes when the tab hears a change.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from desktop.accounts import roles
from desktop.context import App
from desktop.programmes.core.selection import FAILED
from desktop.programmes.honours import queries, service
from ui.kit.changes import perform
from ui.kit.cultivation import Cell, DataTable, FormDialog, Row, tr
from ui.kit.filter_bar import FilterBar
from ui.kit.menus import (
    bar_button,
    enable,
    fill_menu,
    fit_column,
    menu_action,
    menu_button,
    offer_menu,
    stretch_column,
)
from ui.kit.parts import note_label, page_heading
from ui.programmes.honours import dialogs
from ui.programmes.honours.dialogs import label
from ui.programmes.honours.round_prints import RoundPrints

#: The nominations list's columns (tests read cells by them).
NAME, UNIT, STAGE, STAGE_ON, PRIORITY, REASON = range(6)


def _d(value: Any) -> str:
    return value.isoformat() if value else ""


def short_name(name: str, year: int) -> str:
    """A round's name beside its 年度 column: without the year it begins with."""
    for prefix in (f"{year}年度", f"{year}年"):
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix):]
    return name


class RoundsPage(RoundPrints, QWidget):
    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.rows: list[queries.RoundRow] = []
        self.view: queries.RoundView | None = None
        self.dialog: Any = None  # the last dialog opened (tests)
        self.job: Any = None  # the last import job (tests)
        self.select_after: int | None = None

        # What the menus and the right-click offer (the buttons call the same methods).
        def act(text: str, slot: Any, icon_name: str, tip: str = "", permission: str | None = None) -> Any:
            return menu_action(self, text, slot, icon_name, tip, permission)

        self.edit_action = act(tr("编辑评选…"), lambda: self.round_dialog(True), "edit.svg",
                               tr("修改名额、征集时间、命名文号"))
        self.delete_action = act(tr("删除评选"), self.delete_round, "delete.svg",
                                 tr("删除误建的评选（须先删除其推荐对象）"))
        self.publicity_action = act(tr("开始公示…"), self.publicity_dialog, "publicity",
                                    permission=roles.WRITE)
        self.import_action = act(tr("导入推荐名单…"), lambda: self.import_file(), "import.svg")
        self.publicity_print = act(tr("公示名单"), self.print_publicity, "report.svg",
                                   tr("公示名单（含公示期、联系电话、监督电话）"))
        self.form_print = act(tr("推荐表（选中的推荐对象）"), self.print_form, "report.svg",
                              tr("选中对象的推荐表（含照片框、推荐单位意见）"))
        self.summary_print = act(tr("推荐对象汇总表"), self.print_summary, "export.svg",
                                 tr("报送上级的推荐对象汇总表（Excel 或 PDF）"))
        self.advance_action = act(tr("推进到下一阶段…"), self.advance_dialog, "advance", permission=roles.WRITE)
        self.reject_action = act(tr("未通过…"), self.reject_dialog, "reject", permission=roles.WRITE)
        self.materials_action = act(tr("修改材料…"), lambda: self.nomination_dialog(True), "edit.svg")
        self.remove_action = act(tr("删除推荐"), self.delete_nomination, "delete.svg",
                                 tr("删除误录的推荐对象（已命名的不能删除）"))

        self.bar = FilterBar(self)
        b = self.bar.add_button
        self.new_button = b(tr("新建评选"), "add.svg", tr("选择荣誉称号，新建一个年度评选（推荐）"))
        self.edit_button, menu = menu_button(self.bar, tr("编辑评选"), "edit.svg",
                                             tr("修改名额、征集时间、命名文号（箭头：删除误建的评选）"), split=True)
        fill_menu(menu, [self.edit_action, self.delete_action])
        self.publicity_button = bar_button(self.bar, tr("开始公示…"), "publicity",
                                           tr("评审通过的对象进入公示，公示期按工作日计算"), roles.WRITE)
        self.import_button = b(tr("导入名单…"), "import.svg", tr("从 Excel 导入推荐名单到本评选"))
        self.bar.add_separator()
        self.print_button, menu = menu_button(self.bar, tr("打印"), "report.svg",
                                              tr("公示名单、推荐表、推荐对象汇总表"))
        fill_menu(menu, [self.publicity_print, self.form_print, self.summary_print])
        self.bar.search.setPlaceholderText(tr("搜索评选、称号"))
        self.bar.filter_changed.connect(lambda t: self.bar.set_count(self.rounds.filter(t), self.rounds.rowCount()))

        self.rounds = DataTable([label("SelectionRound.year"), label("SelectionRound.name"),
                                 label("SelectionRound.quota"), tr("进度"), tr("公示期")],
                                (48, 150, 48, 112, 94), self, numbered=False)
        stretch_column(self.rounds, 1)
        self.rounds.itemSelectionChanged.connect(self.show_round)
        self.rounds.doubleClicked.connect(lambda _i: self.round_dialog(True))
        self.bar.lead_to(self.rounds)
        offer_menu(self.rounds, self.round_actions)

        right = QWidget(self)
        self.heading = page_heading(right)
        self.info = note_label(right, name="pageSubheading")
        self.warning = QLabel(right)
        self.warning.setStyleSheet("color:#b45309")
        self.warning.setWordWrap(True)
        self.detail_bar = FilterBar(right)
        self.detail_bar.search.hide()
        self.detail_bar.count.hide()
        self.detail_bar.layout().setContentsMargins(0, 4, 0, 4)
        d = self.detail_bar.add_button
        self.add_button = d(tr("添加推荐…"), "add.svg", tr("组织推荐或个人自荐一名推荐对象"))
        self.advance_button = bar_button(self.detail_bar, tr("推进到下一阶段…"), "advance",
                                         tr("初审、评审、上报、命名：按顺序一步一步推进"), roles.WRITE)
        self.reject_button = bar_button(self.detail_bar, tr("未通过…"), "reject",
                                        tr("登记未通过（上报后为未获命名）及原因"), roles.WRITE)
        self.materials_button, menu = menu_button(self.detail_bar, tr("修改材料…"), "edit.svg",
                                                  tr("修改推荐方式、推荐单位、主要事迹和申报材料（箭头：删除误录的推荐）"),
                                                  split=True)
        fill_menu(menu, [self.materials_action, self.remove_action])
        self.nominations = DataTable([label("Candidacy.worker_id"), label("Worker.employer_id"),
                                      label("Candidacy.stage"), label("Candidacy.stage_on"), tr("优先"),
                                      label("Candidacy.reason")], (64, 180, 64, 84, 44, 96), right, numbered=False)
        stretch_column(self.nominations, UNIT)
        self.nominations.itemSelectionChanged.connect(self.show_nomination)
        self.nominations.doubleClicked.connect(lambda _i: self.nomination_dialog(True))
        offer_menu(self.nominations, self.nomination_actions)
        bottom = QWidget(right)
        bbox = QVBoxLayout(bottom)
        bbox.setContentsMargins(0, 4, 0, 0)
        self.deeds = note_label(bottom)
        self.deeds.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history = DataTable([label("StageMove.stage"), label("StageMove.on"), tr("经办人"), tr("原因")], (72, 90, 80, 200), bottom,
                                 numbered=False)
        self.history.horizontalHeader().setStretchLastSection(True)
        bbox.addWidget(self.deeds)
        bbox.addWidget(self.history, 1)
        split = QSplitter(Qt.Orientation.Vertical, right)
        split.addWidget(self.nominations)
        split.addWidget(bottom)
        split.setSizes([340, 220])
        split.setChildrenCollapsible(False)
        self.message = note_label(right)
        rbox = QVBoxLayout(right)
        rbox.setContentsMargins(12, 8, 8, 4)
        rbox.setSpacing(4)
        for w in (self.heading, self.info, self.warning, self.detail_bar):
            rbox.addWidget(w)
        rbox.addWidget(split, 1)
        rbox.addWidget(self.message)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.rounds)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([480, 800])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        layout.addWidget(splitter, 1)

        self.new_button.clicked.connect(lambda: self.round_dialog(False))
        self.edit_button.clicked.connect(lambda: self.round_dialog(True))
        self.publicity_button.clicked.connect(self.publicity_dialog)
        self.import_button.clicked.connect(lambda: self.import_file())
        self.add_button.clicked.connect(lambda: self.nomination_dialog(False))
        self.materials_button.clicked.connect(lambda: self.nomination_dialog(True))
        self.advance_button.clicked.connect(self.advance_dialog)
        self.reject_button.clicked.connect(self.reject_dialog)

    # ----------------------------------------------------------------- loading

    def load(self) -> None:
        chosen, self.select_after = self.select_after or self.rounds.selected_id(), None
        self.rows = queries.rounds_list(self.app)
        rows = []
        for r in self.rows:
            progress = r.counts_text() or tr("暂无推荐")
            period = (Cell(f"{r.publicity_start:%m-%d}至{r.publicity_end:%m-%d}",
                           tip=f"{_d(r.publicity_start)} 至 {_d(r.publicity_end)}")
                      if r.publicity_start and r.publicity_end else "")
            rows.append(Row(r.id, [r.year, Cell(short_name(r.name, r.year), tip=r.name),
                                   r.quota if r.quota is not None else Cell(tr("不限"), align="right"),
                                   Cell(progress, tip=progress), period], data=r))
        self.rounds.set_rows(rows)
        if (chosen is None or not self.rounds.select_id(chosen)) and self.rows:
            self.rounds.selectRow(0)
        self.bar.set_count(self.rounds.filter(self.bar.search.text()), len(self.rows))
        self.show_round()

    def round_actions(self) -> list[QAction | None]:
        """What a right-click on a round offers (``None``: a separator)."""
        return [self.edit_action, self.delete_action, None, self.publicity_action, self.import_action, None,
                self.publicity_print, self.summary_print]

    def nomination_actions(self) -> list[QAction | None]:
        """What a right-click on a nomination offers."""
        return [self.advance_action, self.reject_action, self.materials_action, self.remove_action, None,
                self.form_print]

    def current(self) -> queries.RoundRow | None:
        row = self.rounds.selected_row()
        return row.data if row is not None else None

    def nomination(self) -> queries.NominationRow | None:
        row = self.nominations.selected_row()
        return row.data if row is not None else None

    def show_round(self) -> None:
        r = self.current()
        self.view = queries.round_view(self.app, r.id) if r is not None else None
        for w in (self.edit_button, self.edit_action, self.publicity_button, self.publicity_action,
                  self.import_button, self.import_action, self.print_button, self.summary_print, self.add_button):
            enable(w, r is not None)
        enable(self.delete_action, self.view is not None and not self.view.nominations)
        if r is None or self.view is None:
            self.heading.setText(tr("评选") if not self.rows else "")
            self.info.setText(tr("还没有评选。点击“新建评选”，选择荣誉称号（如县级五一劳动奖章、卓越工程师）。")
                              if not self.rows else "")
            self.warning.clear()
            self.warning.hide()
            self.nominations.set_rows([])
            enable(self.publicity_print, False)
            self.show_nomination()
            return
        r = self.view.round
        levels = self.app.labels().get("honour_level", {})
        way = tr("推荐 → 初审 → 评审 → 公示 → 上报 → 上级命名") if r.upward else tr("推荐 → 初审 → 评审 → 公示 → 命名")
        parts = [f"{r.title}（{levels.get(r.level or '', r.level or '')}）",
                 tr("名额 {0} 名").format(r.quota) if r.quota is not None else tr("不限名额"),
                 tr("{0} {1} 名").format(r.counted_word, r.counted)]
        if r.call_start:
            parts.append(tr("征集 {0} 至 {1}").format(_d(r.call_start), _d(r.call_end)))
        if r.publicity_start:
            parts.append(tr("公示 {0} 至 {1}").format(_d(r.publicity_start), _d(r.publicity_end)))
        self.heading.setText(r.name)
        self.info.setText("　·　".join(parts) + "<br>" + tr("流程：") + way)
        self.warning.setText(("▲ " + r.warning) if r.warning else "")
        self.warning.setVisible(bool(r.warning))
        enable(self.publicity_print, r.publicity_start is not None)
        enable(self.add_button, r.publicity_start is None)
        # A collective's list names the team (or the whole unit) once, and its unit beside it.
        self.nominations.horizontalHeaderItem(UNIT).setText(
            label("Candidacy.organisation_id") if r.collective else label("Worker.employer_id"))
        rows = []
        for n in self.view.nominations:
            stage = Cell(n.stage_shown, "error" if n.failed else "ok" if n.stage == "named" else None, bold=True)
            who = (n.team or n.unit) if n.worker_id is None and n.unit else n.name
            rows.append(Row(n.id, [Cell(who, tip=n.name), n.unit if who != n.unit else "", stage, _d(n.stage_on),
                                   Cell(tr("优先"), "priority", bold=True, tip=tr("{0}持有者，可优先推荐").format(n.priority))
                                   if n.priority else "", Cell(n.reason, tip=n.reason)],
                            fill="left" if n.failed else None, data=n))
        self.nominations.set_rows(rows)
        fit_column(self.nominations, NAME, 64, 150)
        if rows and self.nominations.selected_id() is None:
            self.nominations.selectRow(0)
        self.show_nomination()

    def show_nomination(self) -> None:
        n = self.nomination()
        for w in (self.materials_button, self.materials_action, self.remove_action, self.form_print):
            enable(w, n is not None)
        for w in (self.advance_button, self.advance_action):
            enable(w, n is not None and bool(n.next_stage))
        for w in (self.reject_button, self.reject_action):
            enable(w, n is not None and not n.failed and n.stage != "named")
        step = (tr("推进到“{0}”…").format(n.next_stage) if n is not None and n.next_stage
                else tr("推进到下一阶段…"))
        self.advance_button.setText(step)
        self.advance_action.setText(step)
        if n is None:
            self.deeds.clear()
            self.history.set_rows([])
            return
        channels = self.app.labels().get("nomination_channel", {})
        how = [f"<b>{label('Candidacy.channel')}：</b>{channels.get(n.channel or '', n.channel or '')}"]
        if n.recommender:
            how.append(f"<b>{label('Candidacy.recommender')}：</b>{n.recommender}")
        if n.source.startswith("competition_entries:"):
            how.append(tr("来源：技能竞赛第一名推荐"))
        lines = ["　".join(how), f"<b>{label('Candidacy.deeds')}：</b>{n.deeds or tr('（未填写）')}"]
        if n.priority:
            lines.append(f"<span style='color:#b71c1c'>★ {tr('优先推荐：{0}持有者').format(n.priority)}</span>")
        if n.materials:
            lines.append(f"<b>{label('Candidacy.materials')}：</b>{n.materials}")
        self.deeds.setText("<br>".join(lines))
        self.history.set_rows([Row(i, [m.stage, _d(m.on), m.by, m.reason]) for i, m in enumerate(n.moves)])

    # ----------------------------------------------------------------- changes

    def said(self, message: str) -> None:
        self.message.setText(f"<b>{message}</b>" if message else "")

    def open_form(self, dlg: FormDialog) -> FormDialog:
        self.dialog = dlg
        dlg.accepted.connect(lambda: self.after_write(dlg.result_value))
        dlg.open()
        return dlg

    def after_write(self, result: Any) -> None:
        changes = getattr(result, "changes", result)
        rid = next(iter(changes.ids(service.ROUNDS)), None) if changes is not None else None
        if rid is not None and getattr(result, "value", None) == rid:
            self.select_after = rid
            self.load()
        self.said(getattr(changes, "message", ""))

    def warn(self, title: str, text: str) -> None:
        tab = self.parent()
        while tab is not None and not hasattr(tab, "confirm"):
            tab = tab.parent()
        if tab is not None:
            tab.warn(title, text)  # type: ignore[attr-defined]

    def confirm(self, title: str, text: str) -> bool:
        tab = self.parent()
        while tab is not None and not hasattr(tab, "confirm"):
            tab = tab.parent()
        return bool(tab.confirm(title, text)) if tab is not None else False  # type: ignore[attr-defined]

    def round_dialog(self, edit: bool) -> FormDialog | None:
        r = self.view.round if edit and self.view is not None else None
        if edit and r is None:
            return None
        titles = queries.title_options(self.app)
        if not titles:
            self.warn(tr("新建评选"), tr("还没有荣誉称号，请先在“荣誉称号”页添加。"))
            return None
        return self.open_form(dialogs.round_dialog(self.window(), self.app, titles, r))

    def delete_round(self) -> bool:
        r = self.current()
        if r is None or not self.confirm(tr("删除评选"), tr("确定删除“{0}”吗？").format(r.name)):
            return False
        result = perform(lambda: service.delete_round(self.app, r.id), tr("删除评选"), self.warn)
        if result is not None:
            self.said(result.message)  # type: ignore[union-attr]
        return result is not None

    def nomination_dialog(self, edit: bool) -> FormDialog | None:
        if self.view is None:
            return None
        n = self.nomination() if edit else None
        if edit and n is None:
            return None
        return self.open_form(dialogs.nomination_dialog(self.window(), self.app, self.view.round, n))

    def advance_dialog(self) -> FormDialog | None:
        n = self.nomination()
        if n is None or self.view is None or not n.next_stage:
            return None
        others = [o for o in self.view.nominations if o.stage == n.stage and o.id != n.id]
        return self.open_form(dialogs.advance_dialog(self.window(), self.app, self.view.round, [n], others))

    def reject_dialog(self) -> FormDialog | None:
        n = self.nomination()
        if n is None or n.failed:
            return None
        return self.open_form(dialogs.reject_dialog(self.window(), self.app, n, n.stage == "reported"))

    def delete_nomination(self) -> bool:
        n = self.nomination()
        if n is None or not self.confirm(tr("删除推荐"), tr("确定删除推荐对象 {0} 吗？").format(n.name)):
            return False
        result = perform(lambda: service.delete_nomination(self.app, n.id), tr("删除推荐"), self.warn)
        if result is not None:
            self.said(result.message)  # type: ignore[union-attr]
        return result is not None

    def publicity_dialog(self) -> FormDialog | None:
        if self.view is None:
            return None
        ready = sum(1 for n in self.view.nominations if n.stage == "reviewed")
        if not ready:
            self.warn(tr("开始公示"), tr("没有处于“评审”阶段的对象，请先把推荐对象推进到“评审”。"))
            return None
        return self.open_form(dialogs.publicity_dialog(self.window(), self.app, self.view.round, ready))

    def stage_of(self, nomination_id: int) -> str:
        """A nomination's stage code as the page shows it (``failed`` for 未通过; tests)."""
        for n in self.view.nominations if self.view else []:
            if n.id == nomination_id:
                return FAILED if n.failed else n.stage
        return ""
