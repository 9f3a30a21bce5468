"""The pages of the 红色工匠 tab: 推荐人选, 培育库, 结对评议, 培训学习, 培育成效, 变动记录.

Each page is an action bar over a :class:`DataTable`; :meth:`RoundPages.show` fills them all from
one plain :class:`~desktop.programmes.red_craftsman.queries.RoundView`. Headings are the fields'
labels. The pages know their host (the tab) only as :class:`Host`: what to open a dialog with and
where to say what happened.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.context import App
from desktop.programmes.core import cultivation as core
from desktop.programmes.red_craftsman import queries as rc
from desktop.programmes.red_craftsman import rules, service
from desktop.programmes.red_craftsman.rules import STAGES
from ui.kit.changes import perform
from ui.kit.cultivation import Cell, DataTable, FormDialog, Row, tr
from ui.kit.filter_bar import FilterBar
from ui.programmes.red_craftsman import dialogs
from ui.programmes.red_craftsman.dialogs import label


class Host(Protocol):
    """What the pages need of the tab that holds them."""

    app: App
    labels: dict[str, dict[str, str]]
    round: rc.RoundInfo | None

    def default_day(self) -> date: ...
    def open_form(self, dlg: FormDialog) -> FormDialog: ...
    def show_result(self, result: Any) -> None: ...
    def warn(self, title: str, text: str) -> None: ...
    def confirm(self, title: str, text: str) -> bool: ...


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


TRACK, NAME, UNIT, TRADE = "Nomination.track", "Worker.name", "Worker.employer_id", "Worker.trade"
GRADE, STATUS = "Worker.skill_grade", "Worker.political_status"


class RoundPages:
    def __init__(self, host: Host, pages: QTabWidget) -> None:
        self.host = host
        self.pages = pages
        self.pool_rows: list[rc.PoolRow] = []
        self.lines: list[rc.EvaluationLine] = []
        self.year = date.today().year
        h = label

        page, bar, self.nominees = self._page(tr("推荐人选"), (
            h(TRACK), h(NAME), h(UNIT), h(TRADE), h(GRADE), h(STATUS), h("Nomination.decision"), tr("资格提示"),
            tr("优先条件"), h("Nomination.nominated_on")), (44, 60, 150, 84, 64, 86, 56, 250, 200, 84))
        self.nominees.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.nominate_button = self._button(bar, "推荐人选…", "add.svg", "从职工名册推荐培育对象人选（显示资格提示）",
                                            lambda: self._round_form(dialogs.nominate_dialog))
        self.admit_button = self._button(bar, "确定入库", "detail.svg", "把选中的人选确定为培育对象（可多选）",
                                         lambda: self.decide("admitted"))
        self.reject_button = self._button(bar, "未入选", "delete.svg", "选中的人选未入选",
                                          lambda: self.decide("not_selected"))
        self.pending_button = self._button(bar, "改为待定", "refresh.svg", "撤销入库或未入选（误操作时）",
                                           lambda: self.decide("pending"))
        self.delete_nomination_button = self._button(bar, "删除推荐", "delete.svg", "删除选中的推荐记录",
                                                     self.delete_nomination)

        page, bar, self.pool = self._page(tr("培育库"), (
            h(TRACK), h(NAME), h(UNIT), h(TRADE), h(GRADE), h(STATUS), h("Membership.source"),
            h("Membership.admitted_on"), h("MentorLink.mentor_id"), tr("本年集中培训"), tr("学历提升"), tr("培育成效")),
            (44, 60, 150, 84, 64, 86, 64, 84, 60, 96, 120, 120))
        self.mentor_button = self._button(bar, "选派导师…", "workers.svg", "为选中的培育对象选派导师（重新结对亦用此）",
                                          lambda: self._with_pool(dialogs.mentor_dialog, dated=True))
        self.training_button = self._button(bar, "登记培训…", "add.svg", "登记一次培训及参训人员", self.training)
        self.degree_button = self._button(bar, "学历提升…", "edit.svg", "登记大专、本科学历教育（学费补贴优先）",
                                          lambda: self._with_pool(dialogs.degree_dialog))
        bar.add_separator()
        self.remove_button = self._button(bar, "移出培育库…", "delete.svg", "违纪违法、调离或其他原因移出",
                                          lambda: self._with_pool(dialogs.remove_dialog, dated=True))
        self.replenish_button = self._button(bar, "补充入库…", "add.svg", "新发现的优秀人员补充入库",
                                             lambda: self._round_form(dialogs.replenish_dialog))

        page, bar, self.evaluations = self._page(tr("结对评议"), (
            h(TRACK), h("MentorLink.mentee_id"), h("MentorLink.mentor_id"), h("MentorLink.started_on"),
            h("MentorLink.ended_on"), h("MentorEvaluation.rating_of_mentee"), h("MentorEvaluation.rating_of_mentor"),
            h("MentorEvaluation.evaluated_on"), tr("标记")), (44, 70, 70, 88, 88, 110, 110, 88, 220))
        self.evaluate_button = self._button(bar, "录入评议…", "edit.svg", "录入本年度师徒双向评议结果", self.evaluate)

        page = QWidget(pages)
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        bar = self._bar(page)
        box.addWidget(bar)
        split = QSplitter(Qt.Orientation.Vertical, page)
        self.trainings = DataTable([h("Training.held_on"), h("Training.content"), h("Training.kind"), h("Training.hours"),
                                    h("Training.organiser"), tr("人数"), tr("参训人员")],
                                   (84, 250, 64, 44, 150, 44, 300), split)
        lower = QWidget(split)
        low = QVBoxLayout(lower)
        low.setContentsMargins(0, 4, 0, 0)
        self.untrained_label = QLabel(lower)
        self.untrained_label.setObjectName("infoLabel")
        self.untrained = DataTable([h(TRACK), h(NAME), h(UNIT), h(TRADE), h("Membership.admitted_on")],
                                   (48, 70, 220, 100, 88), lower)
        low.addWidget(self.untrained_label)
        low.addWidget(self.untrained, 1)
        split.addWidget(self.trainings)
        split.addWidget(lower)
        box.addWidget(split, 1)
        pages.addTab(page, tr("培训学习"))
        self._button(bar, "登记培训…", "add.svg", "登记一次培训及参训人员", self.training)
        self.delete_training_button = self._button(bar, "删除培训记录", "delete.svg", "删除选中的一次培训及其参训记录",
                                                   self.delete_training)

        page, bar, self.outcomes = self._page(tr("培育成效"), (
            h(TRACK), h(NAME), h(GRADE), h(STATUS), tr("成为技术能手"), *(rules.STAGE_LABELS[s] for s in STAGES)),
            (44, 60, 64, 86, 200, 84, 96, 84, 84, 84))
        self.expert_button = self._button(bar, "成为技术能手…", "add.svg", "A类：竞赛获奖或晋升技能等级",
                                          lambda: self._with_pool(dialogs.expert_dialog, dated=True))
        self.stage_button = self._button(bar, "党建阶段…", "add.svg", "B类：入党申请至正式党员，政治面貌随之更新",
                                         lambda: self._with_pool(dialogs.stage_dialog, dated=True))
        self.undo_stage_button = self._button(bar, "撤销最后阶段", "delete.svg", "误登记时撤销，政治面貌恢复",
                                              self.undo_stage)

        page, bar, self.history = self._page(tr("变动记录"), (tr("变动日期"), h("Round.year"), h(NAME), h(TRACK),
                                                            tr("变动"), tr("变动说明")), (88, 60, 70, 48, 150, 300))
        bar.hide()

    # ----------------------------------------------------------------- building

    def _bar(self, parent: QWidget) -> FilterBar:
        bar = FilterBar(parent)
        bar.search.hide()
        bar.count.hide()
        return bar

    def _page(self, title: str, headers: tuple[str, ...], widths: tuple[int, ...]) -> tuple[QWidget, FilterBar,
                                                                                             DataTable]:
        page = QWidget(self.pages)
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        bar = self._bar(page)
        table = DataTable(list(headers), widths, page)
        box.addWidget(bar)
        box.addWidget(table, 1)
        self.pages.addTab(page, title)
        return page, bar, table

    def _button(self, bar: FilterBar, text: str, icon: str, tip: str, slot: Any) -> QToolButton:
        button = bar.add_button(tr(text), icon, tr(tip))
        button.clicked.connect(lambda *_a: slot())
        return button

    def current_table(self) -> DataTable | None:
        i = self.pages.currentIndex()
        return [self.nominees, self.pool, self.evaluations, self.trainings, self.outcomes, self.history][i] \
            if i >= 0 else None

    # ----------------------------------------------------------------- filling

    def _label(self, key: str, code: str | None) -> str:
        return self.host.labels.get(key, {}).get(code or "", code or "")

    def show(self, view: rc.RoundView) -> None:
        self.year = view.round.year
        short = rules.TRACK_SHORT
        rows = []
        for n in view.nominees:
            decision = self._label("rc_decision", n.decision)
            colour = {"admitted": "ok", "not_selected": "note"}.get(n.decision)
            warn = "；".join(x.text for x in n.hints if x.level in ("warning", "note"))
            prio = "；".join(x.text for x in n.priorities)
            rows.append(Row(n.id, [short[n.track], n.name, n.unit, n.trade, self._label("skill_grade", n.grade),
                                   self._label("political_status", n.status),
                                   Cell(decision, colour, bold=n.decision == "admitted"),
                                   Cell(warn, "warning" if n.warnings else "note"), Cell(prio, "priority", bold=True),
                                   _d(n.nominated_on)]))
        self.nominees.set_rows(rows)
        self.pool_rows = view.pool
        self.pool.set_rows([Row(p.membership_id, [
            short[p.track], p.name, p.unit, p.trade, self._label("skill_grade", p.grade),
            self._label("political_status", p.status), self._label("rc_source", p.source), _d(p.admitted_on),
            Cell(p.mentor or "未结对", None if p.mentor else "warning"),
            Cell(f"{p.trainings} 次 {p.hours:g} 学时", None) if p.trainings else Cell("未参加", "warning"),
            f"{self._label('degree_level', p.degree)}·{p.degree_school}（补贴优先）" if p.degree else "",
            self._outcome(p)], fill="carried" if p.source == "carried" else None, data=p) for p in self.pool_rows])
        self.lines = view.lines
        rows = []
        for ln in self.lines:
            e = ln.row
            rows.append(Row(e.link_id, [short[ln.track], e.mentee, e.mentor, _d(e.started_on), _d(e.ended_on),
                                        core.level_label(e.rating_of_mentee, self.host.labels) or Cell("未评议", "note"),
                                        core.level_label(e.rating_of_mentor, self.host.labels) or Cell("未评议", "note"),
                                        _d(e.evaluated_on),
                                        Cell("；".join(e.flags), "warning" if e.weak else "priority", bold=True)],
                            fill="weak" if e.weak else ("strong" if e.strong else ("left" if e.ended_on else None)),
                            data=ln))
        self.evaluations.set_rows(rows)
        self.trainings.set_rows([Row(t.ids[0], [_d(t.held_on), t.content, self._label("rc_training_kind", t.kind),
                                                f"{t.hours:g}" if t.hours is not None else "", t.organiser,
                                                len(t.people), "、".join(t.people)], data=list(t.ids))
                                 for t in view.trainings])
        missing = view.untrained
        self.untrained_label.setText(tr("{0}年度尚未参加集中培训的培育对象：{1} 人（每人每年至少一次）").format(
            self.year, len(missing)))
        self.untrained.set_rows([Row(p.membership_id, [short[p.track], p.name, p.unit, p.trade, _d(p.admitted_on)])
                                 for p in missing])
        rows = []
        for p in self.pool_rows:
            expert = ""
            if p.expert_on:
                expert = f"{_d(p.expert_on)} {self._label('rc_expert_how', p.expert_how)} {p.expert_detail}".strip()
            rows.append(Row(p.membership_id, [short[p.track], p.name, self._label("skill_grade", p.grade),
                                              self._label("political_status", p.status), Cell(expert, "ok"),
                                              *(_d(p.stages.get(st)) for st in STAGES)], data=p))
        self.outcomes.set_rows(rows)
        self.history.set_rows([Row(i, [_d(x.on), x.round_year, x.name, short[x.track],
                                       Cell(x.action, "warning" if x.action.startswith("移出") else None), x.detail])
                               for i, x in enumerate(view.history)])
        titles = [tr("推荐人选（{0}）").format(len(view.nominees)), tr("培育库（{0}）").format(len(self.pool_rows)),
                  tr("结对评议"), tr("培训学习") + (tr("（{0} 人未训）").format(len(missing)) if missing else ""),
                  tr("培育成效"), tr("变动记录")]
        for i, title in enumerate(titles):
            self.pages.setTabText(i, title)

    def _outcome(self, p: rc.PoolRow) -> Cell:
        if p.track == rules.TRACK_A:
            return Cell(tr("已成为技术能手") if p.expert_on else "", "ok")
        stage = p.latest_stage
        return Cell(rules.STAGE_LABELS[stage] if stage else "", "ok" if stage in rules.B_GOAL_STAGES else None)

    # ----------------------------------------------------------------- actions

    def _round_form(self, make: Any) -> FormDialog | None:
        r = self.host.round
        if r is None:
            return None
        return self.host.open_form(make(self.pages.window(), self.host.app, r, self.host.default_day()))

    def selected_pool(self) -> rc.PoolRow | None:
        table = self.outcomes if self.pages.currentWidget() is self.outcomes.parentWidget() else self.pool
        row = table.selected_row()
        return row.data if row is not None else None

    def _with_pool(self, make: Any, *, dated: bool = False) -> FormDialog | None:
        row = self.selected_pool()
        if row is None:
            self.host.warn(tr("请选择"), tr("请先在列表中选中一名培育对象"))
            return None
        args = (self.host.default_day(),) if dated else ()
        return self.host.open_form(make(self.pages.window(), self.host.app, row, *args))

    def decide(self, decision: str) -> FormDialog | None:
        ids = self.nominees.selected_ids()
        if not ids:
            self.host.warn(tr("请选择"), tr("请先选中一名或多名推荐人选"))
            return None
        r = self.host.round
        day = (r.announced_on if r and r.announced_on else None) or self.host.default_day()
        return self.host.open_form(dialogs.decide_dialog(self.pages.window(), self.host.app, ids, decision, day))

    def _perform(self, op: Any, title: str) -> bool:
        result = perform(op, title, self.host.warn)
        if result is not None:
            self.host.show_result(result)
        return result is not None

    def delete_nomination(self) -> bool:
        ids = self.nominees.selected_ids()
        if not ids or not self.host.confirm(tr("删除推荐"), tr("确定删除选中的 {0} 条推荐记录吗？").format(len(ids))):
            return False
        return self._perform(lambda: service.delete_nominations(self.host.app, ids), tr("删除推荐"))

    def training(self) -> FormDialog:
        selected = self.pool.selected_ids()
        chosen = [r.data.candidate_id for r in self.pool.rows if r.id in selected] if selected else [
            p.candidate_id for p in self.pool_rows]
        return self.host.open_form(dialogs.training_dialog(self.pages.window(), self.host.app, self.pool_rows, chosen,
                                                           self.host.default_day()))

    def delete_training(self) -> bool:
        row = self.trainings.selected_row()
        if row is None or not self.host.confirm(
                tr("删除培训记录"), tr("确定删除这次培训（{0} 人的记录）吗？").format(len(row.data))):
            return False
        return self._perform(lambda: service.delete_training(self.host.app, row.data), tr("删除培训记录"))

    def evaluate(self) -> FormDialog | None:
        row = self.evaluations.selected_row()
        if row is None:
            self.host.warn(tr("请选择"), tr("请先选中一对师徒"))
            return None
        return self.host.open_form(dialogs.evaluation_dialog(self.pages.window(), self.host.app, row.data, self.year,
                                                             self.host.default_day()))

    def undo_stage(self) -> bool:
        p = self.selected_pool()
        if p is None or p.latest_stage is None:
            return False
        stage = p.latest_stage
        text = rules.STAGE_LABELS[stage]
        if not self.host.confirm(tr("撤销阶段"), tr("撤销 {0} 的“{1}”吗？政治面貌恢复为登记前的状态。").format(p.name, text)):
            return False
        return self._perform(lambda: service.undo_stage(self.host.app, p.candidate_id, p.name, stage), tr("撤销阶段"))
