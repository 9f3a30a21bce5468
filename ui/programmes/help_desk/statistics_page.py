"""助企行's 统计 page: the month's figures against the year's targets (建湖: 劳模工匠进企业不少于30人次,
解决技术问题不少于30个 …): each measure's target, the month's actual, the year's and the rate; beside
them the counts, the average minutes from 派单 to 接单 and the reply, solve and revisit rates. The
year's targets are edited here, one measure at a time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from desktop.programmes.help_desk import queries, service
from desktop.programmes.help_desk.figures import Summary
from ui.kit.cultivation import Cell, DataTable, FieldSpec, FormDialog, Row, tr
from ui.kit.filter_bar import FilterBar, fit_combo
from ui.kit.menus import enable, stretch_column
from ui.kit.parts import note_label
from ui.kit.tab import open_rows
from ui.kit.year_combo import YearCombo
from ui.programmes.help_desk.demand_detail import minutes_text
from ui.programmes.help_desk.described import label, shown
from ui.programmes.help_desk.page import Host, Page

#: The measures list's columns.
MEASURE, TARGET, MONTH, YEAR, RATE = range(5)


def rate_text(rate: float | None) -> str:
    return "" if rate is None else f"{rate * 100:.1f}%"


def number(value: Decimal | int | None) -> str:
    return "" if value is None else shown(Decimal(value))


def figure_lines(s: Summary) -> list[tuple[str, str]]:
    """A summary's figures, each with its name, as the page lists them."""
    return [
        (tr("受理需求（件）"), str(s.demands)), (tr("其中急诊单（件）"), str(s.emergency)),
        (tr("派单（件）"), str(s.dispatched)), (tr("接单（件）"), str(s.accepted)),
        (tr("平均接单用时"), minutes_text(round(s.avg_accept_minutes)) if s.avg_accept_minutes is not None else ""),
        (tr("响应率（接单÷派单）"), rate_text(s.reply_rate)),
        (tr("办结（件）"), str(s.closed)), (tr("其中已解决"), str(s.solved)), (tr("其中未解决"), str(s.unsolved)),
        (tr("其中转办"), str(s.transferred)), (tr("解决率（已解决÷办结）"), rate_text(s.solve_rate)),
        (tr("回访率（已回访÷办结）"), rate_text(s.revisit_rate)),
        (label("Demand.benefit_actual"), number(s.benefit_actual)),
        (label("Demand.benefit_expected"), number(s.benefit_expected)),
        (label("Demand.cost_saved"), number(s.cost_saved)), (label("Demand.orders"), number(s.orders)),
        (label("Demand.trained"), str(s.trained)), (label("Demand.result_count"), str(s.results)),
    ]


class StatisticsPage(Page):
    def __init__(self, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self.rows: list[queries.TargetRow] = []
        self.bar = FilterBar(self)
        self.bar.search.hide()
        self.bar.count.hide()
        self.target_button = self.bar.add_button(tr("编辑目标…"), "edit.svg", tr("设定选中指标的年度目标（不少于多少）"))
        self.clear_button = self.bar.add_button(tr("清除目标"), "delete.svg", tr("清除选中指标的年度目标"))
        self.bar.add_separator()
        self.print_button = self.bar.add_button(tr("统计表"), "export.svg", tr("本年度各月助企行统计表，对照年度目标（PDF 或 Excel）"))

        line = QHBoxLayout()
        line.setContentsMargins(10, 6, 10, 0)
        line.addWidget(QLabel(tr("年度："), self))
        self.year = YearCombo(self)
        line.addWidget(self.year)
        line.addSpacing(12)
        line.addWidget(QLabel(tr("月份："), self))
        self.month = QComboBox(self)
        self.month.addItem(tr("全年"), None)
        for m in range(1, 13):
            self.month.addItem(tr("{0}月").format(m), m)
        fit_combo(self.month)
        line.addWidget(self.month)
        line.addSpacing(16)
        self.heading = QLabel(self)
        self.heading.setObjectName("pageSubheading")
        line.addWidget(self.heading, 1)

        self.note = note_label(self, tr("完成率 = 全年累计 ÷ 年度目标。劳模工匠进企业按上门服务的人次计；解决技术问题按办结为“已解决”的派工单计；"
                                        "服务企业按派单的家次计；效益、培训人次、成果按当期办结的派工单合计。"))
        self.measures = DataTable([label("Target.measure"), tr("年度目标"), tr("本月完成"), tr("全年累计"), tr("完成率")],
                                  (220, 80, 80, 80, 70), self, numbered=False)
        stretch_column(self.measures, MEASURE)
        self.measures.itemSelectionChanged.connect(self.show_measure)
        open_rows(self.measures, lambda _i: self.edit_target())
        self.figures = DataTable([tr("统计项目"), tr("本月"), tr("全年")], (200, 90, 90), self, numbered=False)
        stretch_column(self.figures, 0)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.measures)
        split.addWidget(self.figures)
        split.setSizes([640, 480])
        split.setChildrenCollapsible(False)
        self.message = note_label(self)
        body = QVBoxLayout()
        body.setContentsMargins(10, 4, 8, 4)
        body.addWidget(self.note)
        body.addWidget(split, 1)
        body.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        layout.addLayout(line)
        layout.addLayout(body, 1)

        self.year.currentIndexChanged.connect(lambda _i: self.load())
        self.month.currentIndexChanged.connect(lambda _i: self.load())
        self.target_button.clicked.connect(self.edit_target)
        self.clear_button.clicked.connect(self.clear_target)
        self.print_button.clicked.connect(self.print_statistics)

    def chosen(self) -> tuple[int, int | None]:
        year, month = self.year.chosen(), self.month.currentData()
        return (year if year is not None else date.today().year), (int(month) if month is not None else None)

    def set_period(self, year: int, month: int | None) -> None:
        """Choose a year and a month (None: the whole year) as the clerk would."""
        self.year.blockSignals(True)
        self.year.choose(year)
        self.year.blockSignals(False)
        self.month.setCurrentIndex(self.month.findData(month) if month is not None else 0)
        self.load()

    def load(self) -> None:
        if not self.year.count():
            today = date.today()
            self.year.fill(queries.years(self.app))
            self.month.blockSignals(True)
            self.month.setCurrentIndex(self.month.findData(today.month))
            self.month.blockSignals(False)
        year, month = self.chosen()
        chosen = self.measures.selected_id()
        self.rows = queries.targets(self.app, year)
        by_month = {t.measure: t for t in queries.targets(self.app, year, month)} if month else {}
        self.measures.horizontalHeaderItem(MONTH).setText(tr("{0}月完成").format(month) if month else tr("本月完成"))
        self.measures.setColumnHidden(MONTH, month is None)
        rows = []
        for i, t in enumerate(self.rows):
            done = t.rate is not None and t.rate >= 1
            m = by_month.get(t.measure)
            rows.append(Row(i, [t.label, Cell(number(t.target) or tr("未设定"), None if t.target is not None else "note",
                                              align="right"),
                                Cell(number(m.actual) if m is not None else "", align="right"),
                                Cell(number(t.actual), align="right", bold=True),
                                Cell(rate_text(t.rate), "ok" if done else "warning" if t.rate is not None else None,
                                     bold=done, align="right")], data=t))
        self.measures.set_rows(rows)
        if chosen is None or not self.measures.select_id(chosen):
            self.measures.selectRow(0)
        whole = queries.summary(self.app, year)
        part = queries.summary(self.app, year, month) if month else None
        self.figures.horizontalHeaderItem(1).setText(tr("{0}月").format(month) if month else tr("本月"))
        self.figures.setColumnHidden(1, month is None)
        lines = figure_lines(whole)
        month_lines = figure_lines(part) if part is not None else [("", "")] * len(lines)
        self.figures.set_rows([Row(i, [name, Cell(m, align="right"), Cell(y, align="right", bold=True)])
                               for i, ((name, y), (_n, m)) in enumerate(zip(lines, month_lines, strict=True))])
        self.figures.setSortingEnabled(False)
        self.heading.setText(tr("{0}年{1}：受理需求 {2} 件，派单 {3} 件，办结 {4} 件").format(
            year, tr("{0}月").format(month) if month else tr("全年"), (part or whole).demands, (part or whole).dispatched,
            (part or whole).closed))
        self.show_measure()

    def current(self) -> queries.TargetRow | None:
        row = self.measures.selected_row()
        return row.data if row is not None else None

    def show_measure(self) -> None:
        t = self.current()
        enable(self.target_button, t is not None)
        enable(self.clear_button, t is not None and t.id is not None)

    def said(self, message: str) -> None:
        self.message.setText(f"<b>{message}</b>" if message else "")

    def edit_target(self) -> Any:
        t = self.current()
        if t is None:
            return None
        fields = [FieldSpec("target", label("Target.target"), default=number(t.target),
                            help=tr("不少于多少（可保留两位小数）"))]
        dlg = FormDialog(self.window(), self.app, tr("{0}年目标：{1}").format(t.year, t.label), fields,
                         lambda v: service.save_target(self.app, t.year, t.measure, v["target"]),
                         intro=tr("{0}年{1}：目前全年累计 {2}。").format(t.year, t.label, number(t.actual)))
        dlg.accepted.connect(lambda: self.said(getattr(dlg.result_value, "message", "")))
        return self.host.open_form(dlg)

    def clear_target(self) -> bool:
        t = self.current()
        question = tr("确定清除{0}年“{1}”的目标吗？").format(t.year, t.label) if t is not None else ""
        if t is None or t.id is None or not self.host.confirm(tr("清除目标"), question):
            return False
        target_id = t.id
        return self.host.run_op(lambda: service.delete_target(self.app, target_id), tr("清除目标"))

    def print_statistics(self) -> Any:
        year, month = self.chosen()
        return self.host.open_report("help_desk.statistics",
                                     {"year": year, "month": f"{year}-{month:02d}" if month else None})
