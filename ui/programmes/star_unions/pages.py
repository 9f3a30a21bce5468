"""The 星级名册 page (the unions rated on a day, past days answered from the history) and the
评分标准 page (levels with their pass marks, the scored items) of the 星级工会 tab."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from desktop.programmes.star_unions import queries, service
from ui.kit.cultivation import Cell, DataTable, Row, qdate, tr
from ui.kit.filter_bar import FilterBar
from ui.programmes.star_unions import dialogs
from ui.programmes.star_unions.dialogs import label

#: The tab the pages belong to (ui.programmes.star_unions.tab.StarUnionsTab: its app, dialogs and prints);
#: not imported, the tab imports the pages.
StarUnionsTab = Any


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


class RollPage(QWidget):
    """The unions holding a level on the chosen day (today by default), each with its history."""

    def __init__(self, tab: StarUnionsTab, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tab = tab
        self.rows: list[queries.RollRow] = []
        self.bar = FilterBar(self)
        b = self.bar.add_button
        self.roll_button = b(tr("星级工会名册"), "report.svg", tr("按星级列出的星级工会名册（PDF 或 Excel）"))
        self.counts_button = b(tr("分乡镇统计表"), "export.svg", tr("各乡镇（街道）各星级工会家数，近四年对比"))
        self.review_button = b(tr("回头看名单"), "report.svg", tr("本年度回头看名单：待回头看及已回头看的结果"))
        self.plaque_button = b(tr("打印牌匾…"), "detail.svg", tr("为本年度命名的星级工会打印牌匾（证书中心）"))
        self.bar.search.setPlaceholderText(tr("搜索工会、乡镇、星级"))
        self.bar.filter_changed.connect(lambda t: self.bar.set_count(self.table.filter(t), self.table.rowCount()))
        line = QHBoxLayout()
        line.setContentsMargins(10, 6, 10, 0)
        line.addWidget(QLabel(tr("查看日期："), self))
        self.day = QDateEdit(self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setDate(qdate(date.today()))
        self.day.dateChanged.connect(lambda _d: self.load())
        line.addWidget(self.day)
        self.info = QLabel(self)
        self.info.setObjectName("infoLabel")
        line.addWidget(self.info, 1)
        self.table = DataTable([tr("工会名称"), label("Organisation.township"), tr("星级"), label("Holding.named_on"),
                                tr("创建历程")], (260, 100, 150, 90, 260), self)
        self.table.itemSelectionChanged.connect(self.show_history)
        self.history = DataTable([tr("星级"), label("Holding.named_on"), label("Holding.ended_on"),
                                  label("Holding.end_reason"), label("Holding.document")], (150, 90, 90, 260, 120),
                                 self, numbered=False)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.history)
        split.setSizes([420, 160])
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.bar)
        box.addLayout(line)
        box.addWidget(split, 1)
        self.roll_button.clicked.connect(lambda: tab.open_report("star_unions.roll", {"year": self.on().year}))
        self.counts_button.clicked.connect(lambda: tab.open_report("star_unions.counts", {"year": self.on().year}))
        self.review_button.clicked.connect(lambda: tab.open_report("star_unions.review", {"year": self.on().year}))
        self.plaque_button.clicked.connect(tab.print_plaques)

    def on(self) -> date:
        d = self.day.date()
        return date(d.year(), d.month(), d.day())

    def set_day(self, on: date) -> None:
        self.day.setDate(QDate(on.year, on.month, on.day))

    def load(self) -> None:
        chosen = self.table.selected_id()
        self.rows = queries.roll(self.tab.app, self.on())
        rows = []
        for r in self.rows:
            rows.append(Row(r.organisation_id, [r.unit, r.township, Cell(r.title or tr("（现无星级）"),
                                                                          None if r.title else "note", bold=r.rank == 5),
                                                _d(r.named_on), r.path], fill=None if r.title else "left", data=r))
        self.table.set_rows(rows)
        if chosen is not None:
            self.table.select_id(chosen)
        held = [r for r in self.rows if r.title]
        counts: dict[str, int] = {}
        for r in held:
            counts[r.title] = counts.get(r.title, 0) + 1
        self.info.setText(tr("　{0}：{1}，共 {2} 家").format(
            self.on().isoformat(), "，".join(f"{k} {v} 家" for k, v in counts.items()) or tr("没有星级工会"), len(held)))
        self.bar.set_count(self.table.filter(self.bar.search.text()), len(rows))
        self.show_history()

    def show_history(self) -> None:
        row = self.table.selected_row()
        lines = row.data.history if row is not None else ()
        self.history.set_rows([Row(i, [h.title, _d(h.named_on), _d(h.ended_on), h.end_reason, h.document])
                               for i, h in enumerate(reversed(lines))])


class StandardPage(QWidget):
    """The levels (title on the plaque, pass mark) and the scored items, editable."""

    def __init__(self, tab: StarUnionsTab, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tab = tab
        self.view: queries.StandardView | None = None
        self.bar = FilterBar(self)
        self.bar.search.hide()
        b = self.bar.add_button
        self.level_button = b(tr("编辑星级…"), "edit.svg", tr("修改选中星级的称号和达标分数"))
        self.bar.add_separator()
        self.add_button = b(tr("新增评分内容…"), "add.svg", tr("在某一评分项目下新增一项评分内容"))
        self.edit_button = b(tr("编辑评分内容…"), "edit.svg", tr("修改选中的评分内容、分值、佐证材料，或停用"))
        self.delete_button = b(tr("删除评分内容"), "delete.svg", tr("删除未被评分过的内容；已评分的改为停用"))
        self.blank_button = b(tr("空白评分表"), "report.svg", tr("打印空白评分表，供申报单位自评和现场评定使用"))
        heading = QLabel(tr("星级与达标分数（默认值，请按本县（市、区）总工会的星级工会评定标准调整）"), self)
        font = QFont(heading.font())
        font.setBold(True)
        heading.setFont(font)
        self.levels = DataTable([label("StarLevel.rank"), label("StarLevel.title"), label("StarLevel.threshold"),
                                 tr("命名条件")], (60, 220, 90, 300), self, numbered=False)
        self.levels.setMaximumHeight(self.levels.verticalHeader().defaultSectionSize() * 3 + 48)
        self.levels.doubleClicked.connect(lambda _i: self.level_dialog())
        self.total = QLabel(self)
        self.total.setObjectName("pageSubheading")
        self.items = DataTable([label("StarItem.dimension"), label("StarItem.item"), label("StarItem.max_score"),
                                label("StarItem.retired"), label("StarItem.evidence")], (170, 460, 50, 50, 220), self)
        self.items.doubleClicked.connect(lambda _i: self.item_dialog(True))
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.bar)
        inner = QVBoxLayout()
        inner.setContentsMargins(10, 6, 10, 6)
        inner.addWidget(heading)
        inner.addWidget(self.levels)
        inner.addWidget(self.total)
        inner.addWidget(self.items, 1)
        box.addLayout(inner, 1)
        self.level_button.clicked.connect(self.level_dialog)
        self.add_button.clicked.connect(lambda: self.item_dialog(False))
        self.edit_button.clicked.connect(lambda: self.item_dialog(True))
        self.delete_button.clicked.connect(self.delete_item)
        self.blank_button.clicked.connect(lambda: tab.open_report("star_unions.score_sheet", {}))

    def load(self) -> None:
        self.view = v = queries.standard_view(self.tab.app)
        chosen_level, chosen_item = self.levels.selected_id(), self.items.selected_id()
        self.levels.set_rows([Row(i, [lv.rank, lv.title, lv.threshold,
                                      Cell(tr("县评定得分不低于 {0} 分方可命名").format(lv.threshold), "note")], data=lv)
                              for i, lv in enumerate(v.levels)])
        self.items.set_rows([Row(it.id, [it.dimension, it.item, it.max_score,
                                         Cell(label("StarItem.retired"), "note") if it.retired else "", it.evidence],
                                 fill="left" if it.retired else None, data=it) for it in v.items])
        if chosen_level is not None:
            self.levels.select_id(chosen_level)
        if chosen_item is not None:
            self.items.select_id(chosen_item)
        colour = "#047857" if v.full_marks == 100 else "#b45309"
        self.total.setText(tr("评分内容（{0} 项，满分 <span style='color:{1}'>{2}</span> 分）").format(
            sum(1 for it in v.items if not it.retired), colour, v.full_marks))

    def level_dialog(self) -> Any:
        row = self.levels.selected_row()
        if row is None:
            self.tab.warn(tr("请选择"), tr("请先选中一个星级"))
            return None
        return self.tab.open_form(dialogs.level_dialog(self.window(), self.tab.app, row.data))

    def item_dialog(self, edit: bool) -> Any:
        row = self.items.selected_row() if edit else None
        if edit and row is None:
            self.tab.warn(tr("请选择"), tr("请先选中一项评分内容"))
            return None
        assert self.view is not None
        return self.tab.open_form(dialogs.item_dialog(self.window(), self.tab.app, self.view,
                                                      row.data if row is not None else None))

    def delete_item(self) -> bool:
        row = self.items.selected_row()
        if row is None or not self.tab.confirm(tr("删除评分内容"), tr("确定删除“{0}”吗？").format(row.data.item)):
            return False
        return self.tab.run_op(lambda: service.delete_item(self.tab.app, row.id), tr("删除评分内容"))
