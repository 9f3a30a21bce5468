"""师徒结对: the pairs on the left; the chosen pair's apprentices, evaluations and outcome on the right;
the month's allowance list (师傅带徒津贴) on its own page. Prints: 拜师帖 and the payment list."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.changes import Changes
from desktop.context import App
from desktop.programmes.core import cultivation as core
from desktop.programmes.mentoring import queries, service
from ui.kit.changes import perform
from ui.kit.cultivation import Cell, DataTable, FormDialog, Row, hint_html, result_message, tr
from ui.kit.filter_bar import FilterBar
from ui.kit.parts import note_label, page_heading
from ui.kit.tab import ProgrammeTab
from ui.programmes.mentoring import dialogs
from ui.programmes.mentoring.dialogs import label


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


class MentoringTab(ProgrammeTab):
    key = "mentoring"
    tables = service.TABLES

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(app, parent)
        self.labels: dict[str, dict[str, str]] = {}
        self.rows: list[queries.PairRow] = []
        self.dialog: Any = None  # the last dialog opened (tests)
        self.select_after: int | None = None  # a pair a change just wrote: shown after the reload

        self.bar = FilterBar(self)
        b = self.bar.add_button
        self.new_button = b(tr("新建结对"), "add.svg", tr("一名师傅与一名或多名徒弟结对"))
        self.edit_button = b(tr("编辑结对"), "edit.svg", tr("修改工种、期限、带徒目标"))
        self.end_button = b(tr("结束结对"), "refresh.svg", tr("带徒期满或提前结束（津贴计算到结束之日）"))
        self.delete_button = b(tr("删除"), "delete.svg", tr("删除误建的结对（已有评议的不能删除）"))
        self.bar.add_separator()
        self.letter_button = b(tr("打印拜师帖"), "report.svg", tr("为选中结对的每名徒弟打印拜师帖"))
        self.allowance_button = b(tr("津贴发放表"), "export.svg", tr("导出某月师傅带徒津贴发放表（Excel 或 PDF）"))
        self.bar.search.setPlaceholderText(tr("搜索师傅、徒弟、工种、单位"))
        self.bar.filter_changed.connect(lambda t: self.bar.set_count(self.pairs.filter(t), self.pairs.rowCount()))

        self.pairs = DataTable([label("Pair.master_id"), label("Pair.trade"), label("MentorLink.mentee_id"),
                                label("Pair.started_on"), tr("期满日期"), tr("状态"), label("Worker.employer_id")],
                               (56, 76, 110, 84, 84, 50, 90), self, numbered=False)
        self.pairs.itemSelectionChanged.connect(self.show_pair)

        self.pages = QTabWidget(self)
        self.pages.setDocumentMode(True)
        first = QWidget(self.pages)
        right = QWidget(first)
        self.heading = page_heading(right)
        self.info = note_label(right, name="pageSubheading")
        self.goals = note_label(right)
        detail = QWidget(right)
        box = QVBoxLayout(detail)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        self.detail_bar = FilterBar(detail)
        self.detail_bar.search.hide()
        self.detail_bar.count.hide()
        d = self.detail_bar.add_button
        self.add_button = d(tr("添加徒弟…"), "add.svg", tr("为本结对添加一名徒弟"))
        self.evaluate_button = d(tr("录入评议…"), "edit.svg", tr("师傅评徒弟、徒弟评师傅（半年一次）"))
        self.outcome_button = d(tr("登记晋级…"), "detail.svg", tr("徒弟取得新的技能等级，职工名册随之更新"))
        self.release_button = d(tr("解除师徒关系…"), "delete.svg", tr("该徒弟提前结束（调岗、离职等）"))
        self.apprentices = DataTable([label("MentorLink.mentee_id"), label("MentorLink.started_on"),
                                      label("MentorLink.ended_on"), tr("现{0}").format(label("Worker.skill_grade")),
                                      tr("最近评议"), tr("标记"), tr("结对成效")], (56, 80, 80, 66, 120, 96, 80),
                                     detail, numbered=False)
        self.apprentices.itemSelectionChanged.connect(self.show_evaluations)
        self.evaluations = DataTable([label(f"MentorEvaluation.{n}") for n in (
            "period", "evaluated_on", "rating_of_mentee", "rating_of_mentor")] + [tr("标记"),
                                      label("MentorEvaluation.note")], (100, 80, 72, 72, 100, 80), detail,
                                     numbered=False)
        split = QSplitter(Qt.Orientation.Vertical, detail)
        split.addWidget(self.apprentices)
        split.addWidget(self.evaluations)
        box.addWidget(self.detail_bar)
        box.addWidget(split, 1)

        money = QWidget(self.pages)
        mbox = QVBoxLayout(money)
        mbox.setContentsMargins(8, 8, 8, 8)
        line = QHBoxLayout()
        line.addWidget(QLabel(tr("月份："), money))
        self.month = QDateEdit(money)
        self.month.setDisplayFormat("yyyy年M月")
        last = date.today().replace(day=1) - timedelta(days=1)  # the month just ended is the one paid
        self.month.setDate(QDate(last.year, last.month, 1))
        self.month.dateChanged.connect(lambda _d: self.show_allowance())
        line.addWidget(self.month)
        self.rate = QLabel(money)
        self.rate.setObjectName("infoLabel")
        line.addWidget(self.rate, 1)
        mbox.addLayout(line)
        self.allowance = DataTable([label("Pair.master_id"), label("Worker.id_number"), label("Worker.employer_id"),
                                    label("MentorLink.mentee_id"), label("Pair.trade"), tr("本月带徒期间"), tr("天数"),
                                    tr("金额（元）")], (64, 150, 200, 64, 84, 130, 60, 90), money)
        mbox.addWidget(self.allowance, 1)
        self.total = QLabel(money)
        font = QFont(self.total.font())
        font.setBold(True)
        self.total.setFont(font)
        mbox.addWidget(self.total)
        self.pages.addTab(money, tr("带徒津贴（月度发放）"))

        self.message = note_label(right)
        rbox = QVBoxLayout(right)
        rbox.setContentsMargins(14, 10, 10, 6)
        rbox.setSpacing(6)
        rbox.addWidget(self.heading)
        rbox.addWidget(self.info)
        rbox.addWidget(self.goals)
        rbox.addWidget(detail, 1)
        rbox.addWidget(self.message)

        splitter = QSplitter(Qt.Orientation.Horizontal, first)
        self.pairs.setParent(splitter)
        splitter.addWidget(self.pairs)
        splitter.addWidget(right)
        splitter.setSizes([560, 560])
        splitter.setChildrenCollapsible(False)
        fbox = QVBoxLayout(first)
        fbox.setContentsMargins(0, 0, 0, 0)
        fbox.addWidget(splitter)
        self.pages.insertTab(0, first, tr("结对名单"))
        self.pages.setCurrentIndex(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        layout.addWidget(self.pages, 1)

        self.new_button.clicked.connect(lambda: self.pair_dialog(False))
        self.edit_button.clicked.connect(lambda: self.pair_dialog(True))
        self.end_button.clicked.connect(self.end_dialog)
        self.delete_button.clicked.connect(self.delete_pair)
        self.letter_button.clicked.connect(self.print_letter)
        self.allowance_button.clicked.connect(self.export_allowance)
        self.add_button.clicked.connect(self.apprentice_dialog)
        self.evaluate_button.clicked.connect(self.evaluation_dialog)
        self.outcome_button.clicked.connect(self.outcome_dialog)
        self.release_button.clicked.connect(self.release_dialog)

    # ----------------------------------------------------------------- loading

    def load(self) -> None:
        self.labels = self.app.labels()
        chosen, self.select_after = self.select_after or self.pairs.selected_id(), None
        self.rows = queries.pairs(self.app)
        today = date.today()
        rows = []
        for p in self.rows:
            names = "、".join(a.mentee for a in p.apprentices)
            state = (Cell(tr("进行中"), "ok") if p.active(today) else
                     Cell(tr("已结束") if (p.ended_on or p.term_end) < today else tr("未开始"), "note"))
            rows.append(Row(p.id, [p.master, p.trade, names, _d(p.started_on), _d(p.ended_on or p.term_end), state,
                                   p.unit], fill=None if p.active(today) else "left", data=p))
        self.pairs.set_rows(rows)
        if (chosen is None or not self.pairs.select_id(chosen)) and rows:
            self.pairs.selectRow(0)
        self.bar.set_count(self.pairs.filter(self.bar.search.text()), len(rows))
        self.show_pair()
        self.show_allowance()
        self._mark_loaded()

    def record_count(self) -> int:
        return len(self.rows)

    def changes_arrived(self, changes: Changes) -> None:
        """A write touched what the tab shows: read again, on the pair it wrote (if one)."""
        written = changes.ids(service.PAIRS)
        if len(written) == 1:
            self.select_after = next(iter(written))
        self.reload()

    def current(self) -> queries.PairRow | None:
        row = self.pairs.selected_row()
        return row.data if row is not None else None

    def grade_label(self, code: str | None) -> str:
        return self.labels.get("skill_grade", {}).get(code or "", code or "")

    def show_pair(self) -> None:
        p = self.current()
        for w in (self.edit_button, self.end_button, self.delete_button, self.letter_button, self.add_button,
                  self.evaluate_button, self.outcome_button, self.release_button):
            w.setEnabled(p is not None)
        if p is None:
            self.heading.setText(tr("师徒结对") if not self.rows else "")
            self.info.setText(tr("还没有师徒结对。点击“新建结对”，选择师傅和徒弟。") if not self.rows else "")
            self.goals.clear()
            self.apprentices.set_rows([])
            self.evaluations.set_rows([])
            return
        self.heading.setText(tr("{0} 师傅（{1}）").format(p.master, p.trade))
        end = p.ended_on or p.term_end
        self.info.setText("　·　".join(x for x in (p.unit, self.grade_label(p.master_grade),
                                                  tr("结对 {0}").format(_d(p.started_on)),
                                                  tr("期限 {0} 个月（至 {1}）").format(p.term_months, _d(end))) if x))
        self.goals.setText(tr("带徒目标：{0}").format(p.goals) if p.goals else "")
        rows = []
        for a in p.apprentices:
            last = a.latest
            latest = ""
            flags: list[str] = []
            if last is not None:
                latest = (f"{last.period}：{core.level_label(last.rating_of_mentee, self.labels)}/"
                          f"{core.level_label(last.rating_of_mentor, self.labels)}")
                flags = last.flags
            outcome = (f"{_d(a.outcome_on)} 取得{self.grade_label(a.outcome_grade)}" if a.outcome_on else "")
            weak = core.REPAIR_FLAG in flags
            rows.append(Row(a.link_id, [a.mentee, _d(a.started_on), _d(a.ended_on), self.grade_label(a.grade), latest,
                                        Cell("；".join(flags), "warning" if weak else "priority", bold=True),
                                        Cell(outcome, "ok")],
                            fill="weak" if weak else ("left" if a.ended_on else None), data=a))
        self.apprentices.set_rows(rows)
        if rows and self.apprentices.selected_id() is None:
            self.apprentices.selectRow(0)
        self.show_evaluations()

    def show_evaluations(self) -> None:
        row = self.apprentices.selected_row()
        rows = []
        if row is not None:
            for e in row.data.evaluations:
                flags = e.flags
                rows.append(Row(e.id, [e.period, _d(e.evaluated_on), core.level_label(e.rating_of_mentee, self.labels),
                                       core.level_label(e.rating_of_mentor, self.labels),
                                       Cell("；".join(flags), "warning" if core.REPAIR_FLAG in flags else "priority"),
                                       e.note],
                                fill="weak" if core.REPAIR_FLAG in flags else None))
        self.evaluations.set_rows(rows)

    def month_text(self) -> str:
        d = self.month.date()
        return f"{d.year():04d}-{d.month():02d}"

    def show_allowance(self) -> None:
        view = queries.allowance(self.app, self.month_text())
        self.rate.setText(tr("　标准：每带一名徒弟每月 {0} 元（在“设置”中修改），不足整月按日历天数折算，保留到分").format(
            f"{view.rate:,.0f}"))
        self.allowance.set_rows([Row(a.link_id, [a.master, a.master_id_number, a.unit, a.apprentice, a.trade,
                                                 f"{a.start.month}月{a.start.day}日—{a.end.month}月{a.end.day}日",
                                                 f"{a.days}/{a.month_days}", Cell(f"{a.amount:,.2f}", align="right")])
                                 for a in view.lines])
        self.total.setText(tr("合计：{0} 人次，{1} 元").format(len(view.lines), f"{view.total:,.2f}"))

    # ----------------------------------------------------------------- changes

    def show_result(self, result: Any) -> None:
        """Say under the pair what a change did, with its flags (the tab has refreshed already)."""
        message, hints = result_message(result)
        self.message.setText(f"<b>{message}</b>" + ("<br>" + hint_html([_Note(h) for h in hints]) if hints else ""))

    def open_form(self, dlg: FormDialog) -> FormDialog:
        """Open a dialog; once it has written, show what it did."""
        self.dialog = dlg
        dlg.accepted.connect(lambda: self.show_result(dlg.result_value))
        dlg.open()
        return dlg

    def _apprentice(self) -> queries.ApprenticeRow | None:
        row = self.apprentices.selected_row()
        if row is None:
            self.warn(tr("请选择"), tr("请先选中一名徒弟"))
        return row.data if row is not None else None

    def pair_dialog(self, edit: bool) -> FormDialog | None:
        p = self.current() if edit else None
        if edit and p is None:
            return None
        return self.open_form(dialogs.pair_dialog(self.window(), self.app, p))

    def apprentice_dialog(self) -> FormDialog | None:
        p = self.current()
        return self.open_form(dialogs.apprentice_dialog(self.window(), self.app, p)) if p is not None else None

    def evaluation_dialog(self) -> FormDialog | None:
        a = self._apprentice()
        return self.open_form(dialogs.evaluation_dialog(self.window(), self.app, a)) if a is not None else None

    def outcome_dialog(self) -> FormDialog | None:
        a = self._apprentice()
        return self.open_form(dialogs.outcome_dialog(self.window(), self.app, a)) if a is not None else None

    def release_dialog(self) -> FormDialog | None:
        a = self._apprentice()
        return self.open_form(dialogs.release_dialog(self.window(), self.app, a)) if a is not None else None

    def end_dialog(self) -> FormDialog | None:
        p = self.current()
        return self.open_form(dialogs.end_dialog(self.window(), self.app, p)) if p is not None else None

    def delete_pair(self) -> bool:
        p = self.current()
        if p is None or not self.confirm(tr("删除结对"), tr("确定删除 {0} 师傅的结对吗？").format(p.master)):
            return False
        result = perform(lambda: service.delete_pair(self.app, p.id), tr("删除结对"), self.warn)
        if result is not None:
            self.show_result(result)
        return result is not None

    # ----------------------------------------------------------------- prints

    def open_report(self, key: str, params: dict[str, Any]) -> Any:
        from ui.dialogs.reports import open_report_with

        self.dialog = open_report_with(self.window(), self.app, key, params)
        return self.dialog

    def print_letter(self) -> Any:
        p = self.current()
        return self.open_report("mentoring.letter", {"pair": p.id}) if p is not None else None

    def export_allowance(self) -> Any:
        return self.open_report("mentoring.allowance", {"month": self.month_text()})


class _Note:
    """A plain hint line for hint_html."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.level = "warning" if text in (core.REPAIR_FLAG, "新技能等级不高于原等级") else "priority"
