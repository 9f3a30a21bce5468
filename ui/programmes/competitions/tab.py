"""技能竞赛: competitions and their events on the left, the chosen event's page on the right
(:class:`~ui.programmes.competitions.event_panel.EventPanel`: the score grid and its tool bar).

The grid stores each mark as it is typed and ranks the event again (totals, places, prizes);
计算名次 does it again for the whole event (after an import or a change of rules). Prints go
through the report dialog (评分表, 成绩公示) and the certificate centre (获奖证书).

Reads come from ``competitions.queries`` (plain rows), writes go through ``competitions.service``
and are announced once (ui.kit.changes); the tab refreshes itself when a change touches the
tables it shows. Dialogs get what they show and a callable that writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QStackedWidget,
    QWidget,
)

from db.errors import DatabaseProblem, ValidationError
from desktop.changes import Changes, Done
from desktop.context import App
from desktop.programmes.competitions import queries, rules, service
from desktop.programmes.competitions.queries import CompetitionNode, EventGrid, GridRow
from desktop.registry import RecordRef
from ui.kit.actions import offer_actions
from ui.kit.changes import announce, perform
from ui.kit.filter_bar import FilterBar
from ui.kit.tab import ProgrammeTab
from ui.programmes.competitions.competition_tree import CompetitionTree
from ui.programmes.competitions.event_panel import EventPanel

T = TypeVar("T")
#: The tables the tab shows (a worker's or unit's new name shows in the grid too).
WATCHED = (service.COMPETITIONS, service.EVENTS, service.ENTRIES, service.MEMBERS, service.SCORES, "workers",
           "organisations")


def tr(text: str) -> str:
    return QCoreApplication.translate("CompetitionsTab", text)


class CompetitionsTab(ProgrammeTab):
    key = "competitions"
    tables = WATCHED

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(app, parent)
        self.nodes: list[CompetitionNode] = []
        self.competition_id: int | None = None
        self.event_id: int | None = None
        self.grid: EventGrid | None = None
        self.dialog: Any = None  # the last dialog opened (tests)
        self._quiet = False  # a change this tab already shows in place (a mark, a medal flag)
        self._stale = False  # changed while hidden

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

        self.tree = CompetitionTree(self)
        self.tree.chosen.connect(self._show)

        self.right = QStackedWidget(self)
        self.empty = QLabel(self.right)
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.right.addWidget(self.empty)
        self.panel = EventPanel(self.right)
        # Right-click on an entry: what other programmes offer on it (推荐评选荣誉 …).
        offer_actions(self.panel.view, app, "competition_entries",
                      lambda row: RecordRef("competition_entries", self.panel.model.row_data(row).entry_id),
                      lambda ref: queries.entry_facts(self.app, ref.id), self.warn, lambda text: self.say(text))
        self.right.addWidget(self.panel)
        p = self.panel  # the names tests and the tool bar use
        self.model, self.view, self.message = p.model, p.view, p.message
        self.register_button, self.unregister_button, self.event_button = (p.register_button, p.unregister_button,
                                                                          p.event_button)
        self.prize_button, self.compute_button, self.medal_button = p.prize_button, p.compute_button, p.medal_button

        self.lay_out(self.bar, self.tree, self.right, (222, 950))

        self.new_button.clicked.connect(self.new_competition)
        self.edit_button.clicked.connect(self.edit_competition)
        self.add_event_button.clicked.connect(self.add_event)
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button.clicked.connect(self.import_file)
        self.sheet_button.clicked.connect(self.print_score_sheet)
        self.results_button.clicked.connect(self.print_results)
        self.certificates_button.clicked.connect(self.print_certificates)
        self.register_button.clicked.connect(self.register)
        self.unregister_button.clicked.connect(self.delete_entry)
        self.event_button.clicked.connect(self.edit_event)
        self.prize_button.clicked.connect(self.set_prizes)
        self.compute_button.clicked.connect(self.compute)
        self.medal_button.clicked.connect(self.toggle_medal)
        self.model.writer = self.write_mark
        self.model.stored.connect(self.panel.stored)
        self.view.selectionModel().currentChanged.connect(lambda *_a: self._update_buttons())
        self._update_buttons()

    # ----------------------------------------------------------------- loading

    def load(self) -> None:
        self.model.prize_labels = self.app.labels().get("prize") or dict(rules.PRIZE_LABELS)
        self.nodes = queries.tree(self.app)
        self._fill_tree()
        self._mark_loaded()

    def record_count(self) -> int:
        return len(self.nodes)

    def changes_arrived(self, changes: Changes) -> None:
        if self._quiet or not self.is_loaded:
            return
        if not self.isVisible():  # another tab is showing (or this window is closing): read when shown
            self._stale = True
            return
        self.reload_keep()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.reload_keep()

    @contextmanager
    def _shown_in_place(self) -> Iterator[None]:
        """Writes whose result the tab shows without reloading (the grid keeps its cursor)."""
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False

    def reload_keep(self, competition_id: int | None = None, event_id: int | None = None) -> None:
        """Read the tree again and show the chosen (or the same) competition and event."""
        if competition_id is not None:
            self.competition_id, self.event_id = competition_id, event_id
        self.nodes = queries.tree(self.app)
        self._fill_tree()
        self.count_changed.emit()

    def _fill_tree(self) -> None:
        self.bar.count.setText(tr("共 %1 项竞赛").replace("%1", str(len(self.nodes))))
        self.tree.fill(self.nodes, self.competition_id, self.event_id)

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
                self.grid = queries.grid(self.app, event_id)
            except ValidationError as exc:
                self.warn(tr("无法打开"), exc.message)
                self.reload()
                return
            self.right.setCurrentWidget(self.panel)
            self.panel.show_grid(self.grid, self.app.labels())
        self._update_buttons()
        self.count_changed.emit()

    def _update_buttons(self) -> None:
        has_c = self.competition_id is not None
        for button in (self.edit_button, self.add_event_button, self.import_button, self.sheet_button,
                       self.results_button, self.certificates_button, self.delete_button):
            button.setEnabled(has_c)
        self.panel.update_buttons()

    def selected_entry(self) -> GridRow | None:
        return self.panel.selected_entry()

    def say(self, text: str, ok: bool = True) -> None:
        self.panel.say(text, ok)

    # ----------------------------------------------------------------- writes

    def _commit(self, op: Callable[[], Done[T]], go_to: Callable[[T], tuple[int | None, int | None]] | None = None
                ) -> T:
        """A dialog's write: the service runs (a refusal raises into the dialog, which shows it),
        the tab moves to what was written, then the change is announced (and the tab reloads)."""
        done = op()
        if go_to is not None:
            self.competition_id, self.event_id = go_to(done.value)
        announce(done.changes)
        return done.value

    def write_mark(self, entry_id: int, part: str, judge: int, text: str) -> tuple[str | None, Any]:
        try:
            with self._shown_in_place():
                done = self._commit(lambda: service.write_score(self.app, entry_id, part, judge, text))
        except (ValidationError, DatabaseProblem) as exc:
            return exc.message, None
        return None, done

    def delete_entry(self) -> None:
        row = self.selected_entry()
        if row is None:
            return
        if not self.confirm(tr("删除报名"), tr("确定删除“%1”（参赛号 %2）的报名和全部成绩吗？")
                            .replace("%1", row.name).replace("%2", str(row.number))):
            return
        perform(lambda: service.remove_entry(self.app, row.entry_id), tr("删除报名"), self.warn)

    def delete_selected(self) -> None:
        current = self.tree.current()
        if current is None:
            return
        kind, rid, name = current
        if kind == "e":
            text = tr("确定删除项目“%1”及其全部报名和成绩吗？删除后不能撤销。").replace("%1", name)
        else:
            text = tr("确定删除竞赛“%1”及其全部项目、报名和成绩吗？删除后不能撤销。").replace("%1", name)
        if not self.confirm(tr("删除"), text):
            return
        if kind == "e":
            self.event_id = None
        else:
            self.competition_id = self.event_id = None
        perform(lambda: (service.remove_event if kind == "e" else service.remove_competition)(self.app, rid),
                tr("删除"), self.warn)

    def compute(self) -> None:
        if self.event_id is None:
            return
        event_id = self.event_id
        done = perform(lambda: service.rank_event(self.app, event_id), tr("计算名次"), self.warn)
        if isinstance(done, Done):
            self.say(tr("已计算名次：%1").replace("%1", rules.prize_summary(done.value, self.model.prize_labels)))

    def toggle_medal(self) -> None:
        row = self.selected_entry()
        if row is None:
            return
        flag = not row.recommended
        with self._shown_in_place():
            result = perform(lambda: service.write_medal(self.app, row.entry_id, flag), queries.headings()["medal"],
                             lambda _t, message: self.say(message, ok=False))
        if result is None:
            self.medal_button.setChecked(row.recommended)
            return
        self.model.set_recommended(row.entry_id, flag)
        self._update_buttons()
        self.say(tr("已推荐%1申报五一劳动奖章（荣誉评选中可见）").replace("%1", row.name) if flag
                 else tr("已取消%1的五一劳动奖章推荐").replace("%1", row.name))

    # ----------------------------------------------------------------- dialogs

    def new_competition(self) -> Any:
        from ui.programmes.competitions.forms import CompetitionDialog

        def submit(values: dict[str, Any]) -> int:
            return self._commit(lambda: service.write_competition(self.app, None, values), lambda cid: (cid, None))

        return self._open(CompetitionDialog(queries.competition_form(self.app, None), self.app.labels(), submit, self))

    def edit_competition(self) -> Any:
        from ui.programmes.competitions.forms import CompetitionDialog

        if self.competition_id is None:
            return None
        cid, eid = self.competition_id, self.event_id

        def submit(values: dict[str, Any]) -> int:
            return self._commit(lambda: service.write_competition(self.app, cid, values), lambda c: (c, eid))

        return self._open(CompetitionDialog(queries.competition_form(self.app, cid), self.app.labels(), submit, self))

    def add_event(self) -> Any:
        return self._event_dialog(None) if self.competition_id is not None else None

    def edit_event(self) -> Any:
        return self._event_dialog(self.event_id) if self.competition_id is not None and self.event_id else None

    def _event_dialog(self, event_id: int | None) -> Any:
        from ui.programmes.competitions.forms import EventDialog

        assert self.competition_id is not None
        cid = self.competition_id

        def submit(values: dict[str, Any]) -> int:
            return self._commit(lambda: service.write_event(self.app, cid, event_id, values), lambda e: (cid, e))

        form = queries.event_form(self.app, cid, event_id)
        return self._open(EventDialog(form, self.app.labels(), submit, new=event_id is None, parent=self))

    def set_prizes(self) -> Any:
        from ui.programmes.competitions.forms import PrizeDialog

        if self.event_id is None:
            return None
        event_id = self.event_id
        ranked = sum(1 for o in self.model.outcomes.values() if o.rank is not None)

        def submit(mode: str, counts: Any, shares: Any) -> Any:
            return self._commit(lambda: service.write_prize_tiers(self.app, event_id, mode, counts, shares))

        return self._open(PrizeDialog(queries.prize_tiers(self.app, event_id), ranked, self.model.prize_labels,
                                      queries.headings()["prize"], submit, self))

    def register(self) -> Any:
        from ui.programmes.competitions.dialogs import RegisterDialog, TeamDialog

        if self.event_id is None or self.grid is None:
            return None
        event_id = self.event_id
        if self.grid.kind == rules.TEAM:
            def team(name: str, unit: str, members: list[int]) -> int:
                return self._commit(lambda: service.write_team(self.app, event_id, name, unit, members))

            return self._open(TeamDialog(self.app, queries.team(self.app, None), queries.unit_names(self.app), team,
                                         parent=self))

        def enter(worker_id: int) -> service.Registered:
            return self._commit(lambda: service.enter_worker(self.app, event_id, worker_id))

        return self._open(RegisterDialog(self.app, self.grid.trade, enter, self))

    def import_file(self) -> Any:
        from ui.programmes.competitions.dialogs import ImportScoresDialog

        node = self._node(self.competition_id)
        if node is None:
            return None
        return self._open(ImportScoresDialog(self.app, node.id, [(e, t) for e, t, _n in node.events], self.event_id,
                                             self))

    # ----------------------------------------------------------------- prints

    def open_report_for(self, key: str, params: dict[str, Any]) -> Any:
        """The shared report dialog (as ui.dialogs.reports.open_report opens it), this competition chosen."""
        from ui.dialogs.reports import open_report_with

        self.dialog = open_report_with(self.window(), self.app, key, params)
        return self.dialog

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
                                       params={"competition": self.competition_id},
                                       focus={"event_id": self.event_id} if self.event_id else None)

    def _open(self, dlg: Any) -> Any:
        self.dialog = dlg
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg
