"""The pages of the 红色工匠 tab: 推荐人选, 培育库, 结对评议, 培训学习, 培育成效, 变动记录.

Each page is an action bar over a :class:`DataTable`; ``load`` fills them all from one session.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

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
from sqlalchemy.orm import Session

from db.models.red_craftsman import Round
from desktop.programmes.core import cultivation as core
from desktop.programmes.red_craftsman import cultivation as cult
from desktop.programmes.red_craftsman import queries as rc
from desktop.programmes.red_craftsman import rules
from desktop.programmes.red_craftsman.rules import STAGES
from ui.kit.cultivation import Cell, DataTable, Row, tr
from ui.kit.filter_bar import FilterBar
from ui.programmes.red_craftsman import dialogs

if TYPE_CHECKING:
    from ui.programmes.red_craftsman.tab import RedCraftsmanTab


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


class Pages:
    def __init__(self, tab: RedCraftsmanTab, pages: QTabWidget) -> None:
        self.tab = tab
        self.pages = pages
        self.pool_rows: list[rc.PoolRow] = []
        self.lines: list[rc.EvaluationLine] = []
        self.year = date.today().year

        page, bar, self.nominees = self._page(tr("推荐人选"), (
            "类别", "姓名", "工作单位", "工种", "技能等级", "政治面貌", "结果", "资格提示", "优先条件", "推荐日期"),
            (44, 60, 150, 84, 64, 86, 56, 250, 200, 84))
        self.nominees.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.nominate_button = self._button(bar, "推荐人选…", "add.svg", "从职工名册推荐培育对象人选（显示资格提示）",
                                            lambda: dialogs.nominate_dialog(tab))
        self.admit_button = self._button(bar, "确定入库", "detail.svg", "把选中的人选确定为培育对象（可多选）",
                                         lambda: self.decide("admitted"))
        self.reject_button = self._button(bar, "未入选", "delete.svg", "选中的人选未入选",
                                          lambda: self.decide("not_selected"))
        self.pending_button = self._button(bar, "改为待定", "refresh.svg", "撤销入库或未入选（误操作时）",
                                           lambda: self.decide("pending"))
        self.delete_nomination_button = self._button(bar, "删除推荐", "delete.svg", "删除选中的推荐记录",
                                                     self.delete_nomination)

        page, bar, self.pool = self._page(tr("培育库"), (
            "类别", "姓名", "工作单位", "工种", "技能等级", "政治面貌", "入库方式", "入库日期", "导师", "本年集中培训",
            "学历提升", "培育成效"), (44, 60, 150, 84, 64, 86, 64, 84, 60, 96, 120, 120))
        self.mentor_button = self._button(bar, "选派导师…", "workers.svg", "为选中的培育对象选派导师（重新结对亦用此）",
                                          lambda: self._with_pool(dialogs.mentor_dialog))
        self.training_button = self._button(bar, "登记培训…", "add.svg", "登记一次培训及参训人员",
                                            self.training)
        self.degree_button = self._button(bar, "学历提升…", "edit.svg", "登记大专、本科学历教育（学费补贴优先）",
                                          lambda: self._with_pool(dialogs.degree_dialog))
        bar.add_separator()
        self.remove_button = self._button(bar, "移出培育库…", "delete.svg", "违纪违法、调离或其他原因移出",
                                          lambda: self._with_pool(dialogs.remove_dialog))
        self.replenish_button = self._button(bar, "补充入库…", "add.svg", "新发现的优秀人员补充入库",
                                             lambda: dialogs.replenish_dialog(tab))

        page, bar, self.evaluations = self._page(tr("结对评议"), (
            "类别", "培育对象", "导师", "结对日期", "结束日期", "导师评培育对象", "培育对象评导师", "评议日期", "标记"),
            (44, 70, 70, 88, 88, 110, 110, 88, 220))
        self.evaluate_button = self._button(bar, "录入评议…", "edit.svg", "录入本年度师徒双向评议结果",
                                            self.evaluate)

        page = QWidget(pages)
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        bar = self._bar(page)
        box.addWidget(bar)
        split = QSplitter(Qt.Orientation.Vertical, page)
        self.trainings = DataTable([tr(x) for x in ("培训日期", "培训内容", "形式", "学时", "组织单位", "人数", "参训人员")],
                                   (84, 250, 64, 44, 150, 44, 300), split)
        lower = QWidget(split)
        low = QVBoxLayout(lower)
        low.setContentsMargins(0, 4, 0, 0)
        self.untrained_label = QLabel(lower)
        self.untrained_label.setObjectName("infoLabel")
        self.untrained = DataTable([tr(x) for x in ("类别", "姓名", "工作单位", "工种", "入库日期")],
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
            "类别", "姓名", "技能等级", "政治面貌", "成为技术能手", *(rules.STAGE_LABELS[s] for s in STAGES)),
            (44, 60, 64, 86, 200, 84, 96, 84, 84, 84))
        self.expert_button = self._button(bar, "成为技术能手…", "add.svg", "A类：竞赛获奖或晋升技能等级",
                                          lambda: self._with_pool(dialogs.expert_dialog))
        self.stage_button = self._button(bar, "党建阶段…", "add.svg", "B类：入党申请至正式党员，政治面貌随之更新",
                                         lambda: self._with_pool(dialogs.stage_dialog))
        self.undo_stage_button = self._button(bar, "撤销最后阶段", "delete.svg", "误登记时撤销，政治面貌恢复",
                                              self.undo_stage)

        page, bar, self.history = self._page(tr("变动记录"), ("日期", "年度", "姓名", "类别", "变动", "说明"),
                                             (88, 60, 70, 48, 150, 300))
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
        table = DataTable([tr(h) for h in headers], widths, page)
        box.addWidget(bar)
        box.addWidget(table, 1)
        self.pages.addTab(page, title)
        return page, bar, table

    def _button(self, bar: FilterBar, text: str, icon: str, tip: str, slot: Any) -> QToolButton:
        button = bar.add_button(tr(text), icon, tr(tip))
        button.clicked.connect(lambda _c=False: slot())
        return button

    def current_table(self) -> DataTable | None:
        i = self.pages.currentIndex()
        return [self.nominees, self.pool, self.evaluations, self.trainings, self.outcomes, self.history][i] \
            if i >= 0 else None

    # ----------------------------------------------------------------- filling

    def _label(self, key: str, code: str | None) -> str:
        return self.tab.labels.get(key, {}).get(code or "", code or "")

    def load(self, s: Session, r: Round, day: date) -> None:
        self.year = r.year
        short = rules.TRACK_SHORT
        rows = []
        for n in rc.nominees(s, r, self.tab.labels):
            decision = self._label("rc_decision", n.decision)
            colour = {"admitted": "ok", "not_selected": "note"}.get(n.decision)
            warn = "；".join(h.text for h in n.hints if h.level in ("warning", "note"))
            prio = "；".join(h.text for h in n.priorities)
            rows.append(Row(n.id, [short[n.track], n.name, n.unit, n.trade, self._label("skill_grade", n.grade),
                                   self._label("political_status", n.status),
                                   Cell(decision, colour, bold=n.decision == "admitted"),
                                   Cell(warn, "warning" if n.warnings else "note"), Cell(prio, "priority", bold=True),
                                   _d(n.nominated_on)]))
        self.nominees.set_rows(rows)
        tab_titles = (tr("推荐人选（{0}）").format(len(rows)),)
        self.pool_rows = rc.pool(s, day, r)
        rows = []
        for p in self.pool_rows:
            degree = f"{self._label('degree_level', p.degree)}·{p.degree_school}（补贴优先）" if p.degree else ""
            trained = Cell(f"{p.trainings} 次 {p.hours:g} 学时", None) if p.trainings else Cell("未参加", "warning")
            rows.append(Row(p.membership_id, [short[p.track], p.name, p.unit, p.trade, self._label("skill_grade", p.grade),
                                              self._label("political_status", p.status),
                                              self._label("rc_source", p.source), _d(p.admitted_on),
                                              Cell(p.mentor or "未结对", None if p.mentor else "warning"), trained,
                                              degree, self._outcome(p)],
                            fill="carried" if p.source == "carried" else None, data=p))
        self.pool.set_rows(rows)
        self.lines = rc.evaluation_lines(s, r.year)
        rows = []
        for ln in self.lines:
            e = ln.row
            flags = "；".join(e.flags)
            rows.append(Row(e.link_id, [short[ln.track], e.mentee, e.mentor, _d(e.started_on), _d(e.ended_on),
                                        core.level_label(e.rating_of_mentee, self.tab.labels) or Cell("未评议", "note"),
                                        core.level_label(e.rating_of_mentor, self.tab.labels) or Cell("未评议", "note"),
                                        _d(e.evaluated_on), Cell(flags, "warning" if e.weak else "priority", bold=True)],
                            fill="weak" if e.weak else ("strong" if e.strong else ("left" if e.ended_on else None)),
                            data=ln))
        self.evaluations.set_rows(rows)
        sessions: dict[tuple[Any, ...], list[tuple[int, str]]] = {}
        for t, name in rc.trainings_in(s, r.year):
            key = (t.held_on, t.content, t.kind, t.hours, t.organiser or "")
            sessions.setdefault(key, []).append((t.id, name))
        rows = []
        for (held_on, content, kind, hours, organiser), people in sessions.items():
            rows.append(Row(people[0][0], [_d(held_on), content, self._label("rc_training_kind", kind),
                                           f"{hours:g}" if hours is not None else "", organiser, len(people),
                                           "、".join(n for _i, n in people)], data=[i for i, _n in people]))
        self.trainings.set_rows(rows)
        missing = rc.untrained(self.pool_rows)
        self.untrained_label.setText(tr("{0}年度尚未参加集中培训的培育对象：{1} 人（每人每年至少一次）").format(
            r.year, len(missing)))
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
        self.history.set_rows([Row(i, [_d(h.on), h.round_year, h.name, short[h.track],
                                       Cell(h.action, "warning" if h.action.startswith("移出") else None), h.detail])
                               for i, h in enumerate(rc.history(s, self.tab.labels))])
        titles = [tab_titles[0], tr("培育库（{0}）").format(len(self.pool_rows)), tr("结对评议"),
                  tr("培训学习") + (tr("（{0} 人未训）").format(len(missing)) if missing else ""), tr("培育成效"),
                  tr("变动记录")]
        for i, title in enumerate(titles):
            self.pages.setTabText(i, title)

    def _outcome(self, p: rc.PoolRow) -> Cell:
        if p.track == rules.TRACK_A:
            return Cell(tr("已成为技术能手") if p.expert_on else "", "ok")
        stage = p.latest_stage
        return Cell(rules.STAGE_LABELS[stage] if stage else "", "ok" if stage in rules.B_GOAL_STAGES else None)

    # ----------------------------------------------------------------- actions

    def selected_pool(self) -> rc.PoolRow | None:
        table = self.outcomes if self.pages.currentWidget() is self.outcomes.parentWidget() else self.pool
        row = table.selected_row()
        return row.data if row is not None else None

    def _with_pool(self, make: Any) -> Any:
        row = self.selected_pool()
        if row is None:
            self.tab.warn(tr("请选择"), tr("请先在列表中选中一名培育对象"))
            return None
        return make(self.tab, row)

    def decide(self, decision: str) -> Any:
        ids = self.nominees.selected_ids()
        if not ids:
            self.tab.warn(tr("请选择"), tr("请先选中一名或多名推荐人选"))
            return None
        return dialogs.decide_dialog(self.tab, ids, decision)

    def delete_nomination(self) -> bool:
        ids = self.nominees.selected_ids()
        if not ids or not self.tab.confirm(tr("删除推荐"), tr("确定删除选中的 {0} 条推荐记录吗？").format(len(ids))):
            return False
        from desktop.programmes.red_craftsman import service

        def action(s: Session) -> str:
            for nid in ids:
                service.delete_nomination(s, nid)
            return tr("已删除 {0} 条推荐记录").format(len(ids))

        return self.tab.run(action, tr("删除推荐"))

    def training(self) -> Any:
        chosen = [p.candidate_id for p in self.pool_rows] if not self.pool.selected_ids() else [
            r.data.candidate_id for r in self.pool.rows if r.id in self.pool.selected_ids()]
        return dialogs.training_dialog(self.tab, self.pool_rows, chosen)

    def delete_training(self) -> bool:
        row = self.trainings.selected_row()
        if row is None or not self.tab.confirm(
                tr("删除培训记录"), tr("确定删除这次培训（{0} 人的记录）吗？").format(len(row.data))):
            return False

        def action(s: Session) -> str:
            for tid in row.data:
                cult.delete_training(s, tid)
            return tr("已删除培训记录")

        return self.tab.run(action, tr("删除培训记录"))

    def evaluate(self) -> Any:
        row = self.evaluations.selected_row()
        if row is None:
            self.tab.warn(tr("请选择"), tr("请先选中一对师徒"))
            return None
        return dialogs.evaluation_dialog(self.tab, row.data, self.year)

    def undo_stage(self) -> bool:
        p = self.selected_pool()
        if p is None or p.latest_stage is None:
            return False
        label = rules.STAGE_LABELS[p.latest_stage]
        if not self.tab.confirm(tr("撤销阶段"), tr("撤销 {0} 的“{1}”吗？政治面貌恢复为登记前的状态。").format(p.name, label)):
            return False

        def action(s: Session) -> str:
            stage = next(x for x in rc.stages_of(s, p.candidate_id) if x.stage == p.latest_stage)
            cult.delete_stage(s, stage.id)
            return tr("已撤销 {0} 的“{1}”").format(p.name, label)

        return self.tab.run(action, tr("撤销阶段"))
