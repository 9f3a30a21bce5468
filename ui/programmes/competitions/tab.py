"""技能竞赛: competitions and their events on the left, the chosen event's score grid on the right.

The grid stores each mark as it is typed and ranks the event again (totals, places, prizes);
计算名次 does it again for the whole event (after an import or a change of rules). Prints go
through the report dialog (评分表, 成绩公示) and the certificate centre (获奖证书).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QLabel,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.errors import DatabaseProblem, ValidationError
from desktop.context import App
from desktop.programmes.competitions import rules, service
from desktop.programmes.competitions.queries import CompetitionNode, EventGrid, load_grid, tree
from ui.kit.filter_bar import FilterBar
from ui.kit.tab import ProgrammeTab
from ui.programmes.competitions.widgets import ScoreModel, ScoreView

Role = int(Qt.ItemDataRole.UserRole) + 7


def tr(text: str) -> str:
    return QCoreApplication.translate("CompetitionsTab", text)


class CompetitionsTab(ProgrammeTab):
    key = "competitions"

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(app, parent)
        self.nodes: list[CompetitionNode] = []
        self.competition_id: int | None = None
        self.event_id: int | None = None
        self.grid: EventGrid | None = None
        self.dialog: Any = None  # the last dialog opened (tests)

        self.bar = FilterBar(self)
        self.bar.search.hide()  # the grid holds one event's few dozen entries: no filter needed
        b = self.bar.add_button
        self.new_button = b(tr("新建竞赛"), "add.svg", tr("新建一项劳动和技能竞赛"))
        self.edit_button = b(tr("编辑竞赛"), "edit.svg", tr("修改竞赛名称、级别、日期、公示天数等"))
        self.add_event_button = b(tr("添加项目"), "add.svg", tr("为选中的竞赛添加竞赛项目（工种）"))
        self.delete_button = b(tr("删除"), "delete.svg", tr("删除选中的竞赛或项目（连同报名和成绩）"))
        self.bar.add_separator()
        self.import_button = b(tr("导入报名表/成绩…"), "import.svg", tr("从 Excel 导入报名表或评委评分表"))
        self.bar.add_separator()
        self.sheet_button = b(tr("评分表"), "report.svg", tr("打印评委空白评分表"))
        self.results_button = b(tr("成绩公示"), "report.svg", tr("打印成绩公示（不显示身份证号）"))
        self.certificates_button = b(tr("打印获奖证书"), "competitions.svg", tr("在证书中心一次打印本竞赛全部获奖证书"))

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("competitionTree")
        self.tree.setHeaderLabel(tr("竞赛与项目"))
        self.tree.setMinimumWidth(200)
        self.tree.setRootIsDecorated(True)
        self.tree.setIndentation(14)
        self.tree.setWordWrap(True)
        self.tree.currentItemChanged.connect(self._tree_changed)

        self.right = QStackedWidget(self)
        self.empty = QLabel(self.right)
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.right.addWidget(self.empty)
        self.panel = QWidget(self.right)
        self.right.addWidget(self.panel)
        self._build_panel()

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([222, 950])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        layout.addWidget(splitter, 1)

        self.new_button.clicked.connect(self.new_competition)
        self.edit_button.clicked.connect(self.edit_competition)
        self.add_event_button.clicked.connect(self.add_event)
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button.clicked.connect(self.import_file)
        self.sheet_button.clicked.connect(self.print_score_sheet)
        self.results_button.clicked.connect(self.print_results)
        self.certificates_button.clicked.connect(self.print_certificates)
        self._update_buttons()

    def _build_panel(self) -> None:
        self.heading = QLabel(self.panel)
        self.heading.setObjectName("pageHeading")
        self.heading.setWordWrap(True)
        font = QFont(self.heading.font())
        font.setPointSizeF(14)
        font.setBold(True)
        self.heading.setFont(font)
        self.info = QLabel(self.panel)
        self.info.setObjectName("pageSubheading")
        self.info.setWordWrap(True)
        self.rule = QLabel(self.panel)
        self.rule.setObjectName("infoLabel")
        self.rule.setWordWrap(True)

        self.event_bar = FilterBar(self.panel)
        self.event_bar.search.hide()
        self.event_bar.count.hide()
        b = self.event_bar.add_button
        self.register_button = b(tr("报名…"), "add.svg", tr("从职工名册报名，或录入新职工后报名"))
        self.unregister_button = b(tr("删除报名"), "delete.svg", tr("删除选中的选手（或队伍）及其成绩"))
        self.event_bar.add_separator()
        self.event_button = b(tr("项目设置…"), "settings.svg", tr("评委人数、理论和实操权重、去掉最高分和最低分"))
        self.prize_button = b(tr("设定奖项…"), "competitions.svg", tr("按名额或按比例设定一、二、三等奖和优秀奖"))
        self.compute_button = b(tr("计算名次"), "refresh.svg", tr("重新计算本项目的总成绩、名次和奖项"))
        self.event_bar.add_separator()
        self.medal_button: QToolButton = b(tr("推荐五一劳动奖章"), "detail.svg",
                                           tr("把选中的本项目第一名推荐申报五一劳动奖章（荣誉评选读取此标记）"))
        self.medal_button.setCheckable(True)

        self.model = ScoreModel(self)
        self.model.writer = self.write_mark
        self.model.refused.connect(lambda m: self.say(m, ok=False))
        self.model.stored.connect(self._stored)
        self.view = ScoreView(self.panel)
        self.view.setModel(self.model)
        self.view.selectionModel().currentChanged.connect(lambda *_a: self._update_buttons())
        self.message = QLabel(self.panel)
        self.message.setObjectName("formHint")
        self.message.setWordWrap(True)

        head = QWidget(self.panel)
        hl = QVBoxLayout(head)
        hl.setContentsMargins(14, 10, 14, 6)
        hl.setSpacing(3)
        hl.addWidget(self.heading)
        hl.addWidget(self.info)
        hl.addWidget(self.rule)
        layout = QVBoxLayout(self.panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(head)
        layout.addWidget(self.event_bar)
        layout.addWidget(self.view, 1)
        foot = QWidget(self.panel)
        fl = QVBoxLayout(foot)
        fl.setContentsMargins(12, 4, 12, 6)
        fl.addWidget(self.message)
        layout.addWidget(foot)

        self.register_button.clicked.connect(self.register)
        self.unregister_button.clicked.connect(self.delete_entry)
        self.event_button.clicked.connect(self.edit_event)
        self.prize_button.clicked.connect(self.set_prizes)
        self.compute_button.clicked.connect(self.compute)
        self.medal_button.clicked.connect(self.toggle_medal)

    # ----------------------------------------------------------------- loading

    def load(self) -> None:
        self.model.prize_labels = self.app.labels().get("prize") or dict(rules.PRIZE_LABELS)
        with self.app.db.session() as s:
            self.nodes = tree(s)
        self._fill_tree()
        self._mark_loaded()

    def record_count(self) -> int:
        return len(self.nodes)

    def _fill_tree(self) -> None:
        keep = (self.competition_id, self.event_id)
        self.tree.blockSignals(True)
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        target: QTreeWidgetItem | None = None
        for node in self.nodes:
            item = QTreeWidgetItem([node.title])
            item.setData(0, Role, ("c", node.id))
            item.setFont(0, bold)
            kind = tr("团体赛") if node.kind == rules.TEAM else tr("个人赛")
            item.setToolTip(0, f"{node.title}（{kind}）")
            self.tree.addTopLevelItem(item)
            for eid, trade, count in node.events:
                unit = tr("队") if node.kind == rules.TEAM else tr("人")
                child = QTreeWidgetItem([f"{trade}　{count} {unit}"])
                child.setData(0, Role, ("e", eid))
                item.addChild(child)
                if keep[1] == eid:
                    target = child
            item.setExpanded(True)
            if target is None and keep[0] == node.id and keep[1] is None:
                target = item
        self.tree.blockSignals(False)
        if target is None and self.tree.topLevelItemCount():
            first = self.tree.topLevelItem(0)
            target = first.child(0) if first.childCount() else first
        self.bar.count.setText(tr("共 %1 项竞赛").replace("%1", str(len(self.nodes))))
        if target is not None:
            self.tree.setCurrentItem(target)
            self._tree_changed(target)
        else:
            self._show(None, None)

    def _tree_changed(self, item: QTreeWidgetItem | None, _previous: object = None) -> None:
        if item is None:
            self._show(None, None)
            return
        kind, rid = item.data(0, Role)
        if kind == "c":
            if item.childCount():
                self.tree.setCurrentItem(item.child(0))  # a competition opens on its first event
                return
            self._show(rid, None)
        else:
            parent = item.parent()
            self._show(parent.data(0, Role)[1] if parent else None, rid)

    def _node(self, competition_id: int | None) -> CompetitionNode | None:
        return next((n for n in self.nodes if n.id == competition_id), None)

    def _show(self, competition_id: int | None, event_id: int | None) -> None:
        self.competition_id, self.event_id = competition_id, event_id
        self.grid = None
        if competition_id is None:
            self.empty.setText(tr("还没有竞赛。\n点击“新建竞赛”登记一项劳动和技能竞赛，再添加竞赛项目、报名、录入成绩。"))
            self.right.setCurrentWidget(self.empty)
        elif event_id is None:
            self.empty.setText(tr("本竞赛还没有竞赛项目。\n点击“添加项目”添加工种（如 数控铣工、电工）。"))
            self.right.setCurrentWidget(self.empty)
        else:
            try:
                with self.app.db.session() as s:
                    self.grid = load_grid(s, event_id)
                    self._describe(s)
            except ValidationError as exc:
                self.warn(tr("无法打开"), exc.message)
                self.reload()
                return
            self.model.set_grid(self.grid)
            self.right.setCurrentWidget(self.panel)
            self.view.size_columns()
            self._summarise()
        self._update_buttons()
        self.count_changed.emit()

    def _describe(self, session: Any) -> None:
        from db.models.competitions import Competition

        assert self.grid is not None
        comp = session.get(Competition, self.grid.competition_id)
        labels = self.app.labels()
        g = self.grid
        self.heading.setText(g.title)
        bits = [labels.get("competition_level", {}).get(comp.level or "", ""),
                labels.get("competition_kind", {}).get(comp.kind, ""),
                comp.organiser or "",
                "至".join(d.isoformat() for d in dict.fromkeys(x for x in (comp.start_date, comp.end_date) if x)),
                tr("公示 %1 天").replace("%1", str(comp.publicity_days)),
                tr("异议电话 %1").replace("%1", comp.objection_phone) if comp.objection_phone else ""]
        self.info.setText("　·　".join(b for b in bits if b))

    def _summarise(self) -> None:
        g = self.grid
        if g is None:
            return
        r = g.rules
        if g.kind == rules.TEAM:
            rule = tr("团体赛：必答 + 抢答 = 总成绩，加赛只决定同分队伍的名次")
        else:
            rule = tr("%1 位评委　理论 %2% + 实操 %3%").replace("%1", str(g.judges)) \
                .replace("%2", str(r.theory_weight)).replace("%3", str(r.practical_weight))
            if r.drop_extremes:
                rule += tr("　去掉最高分和最低分") if g.judges >= 3 else tr("　（评委不足 3 人，不去最高最低分）")
        if r.prize_mode == rules.SHARE:
            tiers = "、".join(f"{self.model.prize_labels.get(c, c)} {s}%" for c, s in zip(rules.PRIZES, r.shares, strict=True) if s)
        else:
            tiers = "、".join(f"{self.model.prize_labels.get(c, c)} {n} 名" for c, n in zip(rules.PRIZES, r.counts, strict=True) if n)
        result = rules.prize_summary(self.model.outcomes, self.model.prize_labels)
        self.rule.setText(f"{rule}　｜　{tr('奖项设定')}：{tiers or tr('未设')}　｜　{tr('目前')}：{result}")
        if not self.model.rows:
            self.say(tr("还没有人报名。点击“报名…”从职工名册选择选手。"), ok=True)
        else:
            self.say(tr("直接输入分数：Tab 右移，回车下移，Delete 清除；输入后即时计算总成绩、名次和奖项。"), ok=True)

    def _update_buttons(self) -> None:
        has_c = self.competition_id is not None
        for button in (self.edit_button, self.add_event_button, self.import_button, self.sheet_button,
                       self.results_button, self.certificates_button):
            button.setEnabled(has_c)
        self.delete_button.setEnabled(has_c)
        row = self.selected_entry()
        team = self.grid is not None and self.grid.kind == rules.TEAM
        self.unregister_button.setEnabled(row is not None)
        self.medal_button.setEnabled(row is not None and not team)
        self.medal_button.setChecked(bool(row is not None and row.recommended))
        self.register_button.setText(tr("团体报名…") if team else tr("报名…"))

    def selected_entry(self) -> Any:
        index = self.view.currentIndex()
        if self.grid is None or not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.row_data(index.row())

    def say(self, text: str, ok: bool = True) -> None:
        self.message.setObjectName("formHint" if ok else "formProblem")
        self.message.setText(text)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    # ----------------------------------------------------------------- marks

    def write_mark(self, entry_id: int, part: str, judge: int, text: str) -> tuple[str | None, Any]:
        try:
            with self.app.db.session() as s:
                outcomes = service.set_score(s, entry_id, part, judge, text)
        except (ValidationError, DatabaseProblem) as exc:
            return exc.message, None
        return None, outcomes

    def _stored(self) -> None:
        self._summarise()
        self.say(tr("已保存。%1").replace("%1", rules.prize_summary(self.model.outcomes, self.model.prize_labels)))

    # ----------------------------------------------------------------- actions

    def reload_keep(self, competition_id: int | None = None, event_id: int | None = None) -> None:
        if competition_id is not None:
            self.competition_id, self.event_id = competition_id, event_id
        with self.app.db.session() as s:
            self.nodes = tree(s)
        self._fill_tree()
        self.count_changed.emit()

    def new_competition(self) -> Any:
        from ui.programmes.competitions.forms import CompetitionDialog

        dlg = CompetitionDialog(self.app, None, self)
        dlg.saved.connect(lambda cid: self.reload_keep(cid, None))
        return self._open(dlg)

    def edit_competition(self) -> Any:
        from ui.programmes.competitions.forms import CompetitionDialog

        if self.competition_id is None:
            return None
        dlg = CompetitionDialog(self.app, self.competition_id, self)
        dlg.saved.connect(lambda cid: self.reload_keep(cid, self.event_id))
        return self._open(dlg)

    def add_event(self) -> Any:
        from ui.programmes.competitions.forms import EventDialog

        if self.competition_id is None:
            return None
        cid = self.competition_id
        dlg = EventDialog(self.app, cid, None, self)
        dlg.saved.connect(lambda eid: self.reload_keep(cid, eid))
        return self._open(dlg)

    def edit_event(self) -> Any:
        from ui.programmes.competitions.forms import EventDialog

        if self.competition_id is None or self.event_id is None:
            return None
        cid = self.competition_id
        dlg = EventDialog(self.app, cid, self.event_id, self)
        dlg.saved.connect(lambda eid: self.reload_keep(cid, eid))
        return self._open(dlg)

    def set_prizes(self) -> Any:
        from ui.programmes.competitions.forms import PrizeDialog

        if self.event_id is None:
            return None
        ranked = sum(1 for o in self.model.outcomes.values() if o.rank is not None)
        dlg = PrizeDialog(self.app, self.event_id, ranked, self)
        dlg.saved.connect(lambda _eid: self.reload_keep())
        return self._open(dlg)

    def register(self) -> Any:
        from ui.programmes.competitions.dialogs import RegisterDialog, TeamDialog

        if self.event_id is None or self.grid is None:
            return None
        if self.grid.kind == rules.TEAM:
            dlg: Any = TeamDialog(self.app, self.event_id, None, self)
            dlg.saved.connect(lambda _id: self.reload_keep())
        else:
            dlg = RegisterDialog(self.app, self.event_id, self)
            dlg.registered.connect(lambda _id: self.reload_keep())
        return self._open(dlg)

    def delete_entry(self) -> None:
        row = self.selected_entry()
        if row is None:
            return
        if not self.confirm(tr("删除报名"), tr("确定删除“%1”（参赛号 %2）的报名和全部成绩吗？")
                            .replace("%1", row.name).replace("%2", str(row.number))):
            return
        with self.app.db.session() as s:
            service.delete_entry(s, row.entry_id)
        self.reload_keep()

    def delete_selected(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        kind, rid = item.data(0, Role)
        if kind == "e":
            text = tr("确定删除项目“%1”及其全部报名和成绩吗？删除后不能撤销。").replace("%1", item.text(0).split("　")[0])
        else:
            text = tr("确定删除竞赛“%1”及其全部项目、报名和成绩吗？删除后不能撤销。").replace("%1", item.text(0))
        if not self.confirm(tr("删除"), text):
            return
        with self.app.db.session() as s:
            (service.delete_event if kind == "e" else service.delete_competition)(s, rid)
        if kind == "e":
            self.event_id = None
        else:
            self.competition_id = self.event_id = None
        self.reload_keep()

    def compute(self) -> None:
        if self.event_id is None:
            return
        with self.app.db.session() as s:
            outcomes = service.compute_event(s, self.event_id)
        self.reload_keep()
        self.say(tr("已计算名次：%1").replace("%1", rules.prize_summary(outcomes, self.model.prize_labels)))

    def toggle_medal(self) -> None:
        row = self.selected_entry()
        if row is None:
            return
        flag = not row.recommended
        try:
            with self.app.db.session() as s:
                service.recommend_for_medal(s, row.entry_id, flag)
        except ValidationError as exc:
            self.medal_button.setChecked(row.recommended)
            self.say(exc.message, ok=False)
            return
        self.model.set_recommended(row.entry_id, flag)
        self._update_buttons()
        self.say(tr("已推荐%1申报五一劳动奖章（荣誉评选中可见）").replace("%1", row.name) if flag
                 else tr("已取消%1的五一劳动奖章推荐").replace("%1", row.name))

    def import_file(self) -> Any:
        from ui.programmes.competitions.dialogs import ImportScoresDialog

        node = self._node(self.competition_id)
        if node is None:
            return None
        dlg = ImportScoresDialog(self.app, node.id, [(e, t) for e, t, _n in node.events], self.event_id, self)
        dlg.imported.connect(lambda _r: self.reload_keep())
        return self._open(dlg)

    # ----------------------------------------------------------------- prints

    def open_report_for(self, key: str, params: dict[str, Any]) -> Any:
        """The shared report dialog (as ui.dialogs.reports.open_report opens it), this competition chosen."""
        from desktop import registry
        from ui.dialogs.common import keep_open
        from ui.dialogs.reports import ReportDialog

        dlg = ReportDialog(self.window(), self.app, registry.report(key))
        for name, value in params.items():
            if value is not None and name in dlg.params:
                dlg.set_param(name, value)
        keep_open(dlg).open()
        self.dialog = dlg
        return dlg

    def print_score_sheet(self) -> Any:
        if self.competition_id is None:
            return None
        return self.open_report_for("competitions.score_sheet",
                                    {"competition": self.competition_id, "event": self.event_id})

    def print_results(self) -> Any:
        if self.competition_id is None:
            return None
        return self.open_report_for("competitions.results", {"competition": self.competition_id})

    def print_certificates(self) -> Any:
        if self.competition_id is None:
            return None
        try:
            from ui.certificates.centre import open_certificate_centre
        except ImportError:
            self.warn(tr("打印获奖证书"), tr("证书中心尚未安装，请升级工会工作台。"))
            return None
        return open_certificate_centre(self.window(), self.app, source="competitions",
                                       params={"competition": self.competition_id})

    # ----------------------------------------------------------------- dialogs (tests replace _open)

    def _open(self, dlg: Any) -> Any:
        self.dialog = dlg
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg
