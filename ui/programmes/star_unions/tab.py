"""星级工会: the year's applications (申报 → 自评 → 镇初审 → 县评定 → 命名 → 回头看), the roll of
rated unions with their history, and the standard (levels and scored items) the clerk edits.
Prints: the 评分表 (blank or filled), the 申报汇总表, the roll, the counts, the 回头看 list and
the plaques."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from desktop.changes import Changes
from desktop.context import App
from desktop.programmes.core.selection import FAILED
from desktop.programmes.star_unions import queries, rules, service
from ui.kit.cultivation import Cell, DataTable, FormDialog, Row, tr
from ui.kit.filter_bar import FilterBar
from ui.kit.parts import note_label
from ui.kit.tab import ProgrammeTab
from ui.kit.year_combo import YearCombo
from ui.programmes.star_unions import dialogs
from ui.programmes.star_unions.dialogs import label
from ui.programmes.star_unions.pages import RollPage, StandardPage
from ui.programmes.star_unions.scores import ScoreDialog

STAGE_COLOURS = {FAILED: "error", rules.NAMED: "ok", rules.REVIEW: "ok"}


class StarUnionsTab(ProgrammeTab):
    key = "star_unions"
    tables = service.TABLES

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(app, parent)
        self.view: queries.YearView | None = None
        self.dialog: Any = None  # the last dialog opened (tests)
        self.select_after: int | None = None

        first = QWidget(self)
        self.bar = FilterBar(first)
        b = self.bar.add_button
        self.apply_button = b(tr("新增申报…"), "add.svg", tr("登记一个工会本年度的星级申报"))
        self.advance_button = b(tr("推进…"), "refresh.svg", tr("推进到下一阶段，或设为未通过（须填写原因）"))
        self.score_button = b(tr("录入评分…"), "edit.svg", tr("逐项录入自评、镇初审、县评定得分"))
        self.name_button = b(tr("命名"), "detail.svg", tr("县评定达标后命名：自命名日期起享有该星级"))
        self.review_button = b(tr("回头看…"), "reveal.svg", tr("对已命名的工会回头看：保持、降级或撤销"))
        self.delete_button = b(tr("删除"), "delete.svg", tr("删除误登记的申报（已命名的不能删除）"))
        self.bar.add_separator()
        self.sheet_button = b(tr("打印评分表"), "report.svg", tr("选中申报的评分表；未选中时打印空白评分表"))
        self.summary_button = b(tr("申报汇总表"), "export.svg", tr("本年度星级工会申报汇总表（PDF 或 Excel）"))
        self.bar.search.setPlaceholderText(tr("搜索工会、乡镇、星级、阶段"))
        self.bar.filter_changed.connect(lambda t: self.bar.set_count(self.table.filter(t), self.table.rowCount()))

        line = QHBoxLayout()
        line.setContentsMargins(10, 6, 10, 0)
        line.addWidget(QLabel(label("SelectionRound.year") + tr("："), first))
        self.year = YearCombo(first, word="年度")
        self.year.currentIndexChanged.connect(lambda _i: self.show_year())
        line.addWidget(self.year)
        self.info = QLabel(first)
        self.info.setObjectName("infoLabel")
        line.addWidget(self.info, 1)
        self.table = DataTable([tr("工会名称"), label("Organisation.township"), tr("现有星级"), label("Candidacy.award"),
                                label("Candidacy.stage"), label("Candidacy.stage_on"), label("StarScore.self_score"),
                                label("StarScore.town_score"), label("StarScore.county_score"), tr("备注")],
                               (240, 90, 130, 130, 64, 90, 56, 56, 56, 160), first, numbered=True)
        self.table.itemSelectionChanged.connect(self.selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.score_dialog())
        self.message = note_label(first)
        box = QVBoxLayout(first)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(4)
        box.addWidget(self.bar)
        box.addLayout(line)
        box.addWidget(self.table, 1)
        box.addWidget(self.message)

        self.pages = QTabWidget(self)
        self.pages.setDocumentMode(True)
        self.pages.addTab(first, tr("年度申报"))
        self.roll = RollPage(self, self.pages)
        self.pages.addTab(self.roll, tr("星级名册"))
        self.standard = StandardPage(self, self.pages)
        self.pages.addTab(self.standard, tr("评分标准"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

        self.apply_button.clicked.connect(self.apply_dialog)
        self.advance_button.clicked.connect(self.advance_dialog)
        self.score_button.clicked.connect(self.score_dialog)
        self.name_button.clicked.connect(self.name_dialog)
        self.review_button.clicked.connect(self.review_dialog)
        self.delete_button.clicked.connect(self.delete_application)
        self.sheet_button.clicked.connect(self.print_sheet)
        self.summary_button.clicked.connect(lambda: self.open_report("star_unions.applications"))

    # ----------------------------------------------------------------- loading

    def load(self) -> None:
        self.year.fill(queries.years(self.app))
        self.show_year()
        self.roll.load()
        self.standard.load()
        self._mark_loaded()

    def record_count(self) -> int:
        return len(self.view.rows) if self.view is not None else 0

    def changes_arrived(self, changes: Changes) -> None:
        written = changes.ids(service.CANDIDATES)
        if len(written) == 1:
            self.select_after = next(iter(written))
        self.reload()

    def chosen_year(self) -> int | None:
        return self.year.chosen()

    def show_year(self) -> None:
        year = self.chosen_year()
        if year is None:
            return
        chosen, self.select_after = self.select_after or self.table.selected_id(), None
        self.view = queries.year_view(self.app, year)
        labels = self.app.labels().get("star_review", {})
        rows = []
        for a in self.view.rows:
            note = a.reason
            if a.review:
                note = labels.get(a.review, a.review) + (f"：{a.reason}" if a.reason else "")
            rows.append(Row(a.id, [a.unit, a.township, a.held, a.applied_title,
                                   Cell(a.stage_label, STAGE_COLOURS.get(a.stage), bold=a.named),
                                   a.stage_on.isoformat() if a.stage_on else "",
                                   *(Cell(rules.fmt(a.totals.get(st)), align="right") for st in rules.SCORED),
                                   Cell(note, "warning" if a.review == rules.LOWER or a.stage == FAILED else None)],
                            fill="left" if a.stage == FAILED else None, data=a))
        self.table.set_rows(rows)
        if chosen is not None:
            self.table.select_id(chosen)
        self.bar.set_count(self.table.filter(self.bar.search.text()), len(rows))
        counts = "，".join(f"{k} {v}" for k, v in self.view.counts.items())
        self.info.setText(tr("　共 {0} 家申报{1}；评分标准满分 {2} 分").format(
            len(rows), f"（{counts}）" if counts else "", self.view.full_marks))
        self.selection_changed()
        self.count_changed.emit()

    def current(self) -> queries.ApplicationRow | None:
        row = self.table.selected_row()
        return row.data if row is not None else None

    def selection_changed(self) -> None:
        a = self.current()
        self.advance_button.setEnabled(a is not None and a.stage != FAILED and not a.named)
        self.score_button.setEnabled(a is not None and bool(a.scoring))
        self.name_button.setEnabled(a is not None and a.stage == rules.COUNTY)
        self.review_button.setEnabled(a is not None and a.stage == rules.NAMED)
        self.delete_button.setEnabled(a is not None and not a.named)

    # ----------------------------------------------------------------- changes

    def open_form(self, dlg: Any) -> Any:
        self.dialog = dlg
        dlg.accepted.connect(lambda: self.show_result(dlg.result_value))
        dlg.open()
        return dlg

    def show_result(self, result: Any) -> None:
        from ui.kit.cultivation import result_message

        message, _hints = result_message(result)
        self.message.setText(f"<b>{message}</b>" if message else "")

    def _chosen(self) -> queries.ApplicationRow | None:
        a = self.current()
        if a is None:
            self.warn(tr("请选择"), tr("请先选中一条申报"))
        return a

    def apply_dialog(self) -> FormDialog:
        return self.open_form(dialogs.apply_dialog(self.window(), self.app, self.chosen_year() or 0))

    def advance_dialog(self) -> FormDialog | None:
        a = self._chosen()
        return self.open_form(dialogs.advance_dialog(self.window(), self.app, a)) if a is not None else None

    def name_dialog(self) -> FormDialog | None:
        a = self._chosen()
        if a is None:
            return None
        document = self.view.document if self.view is not None else ""
        return self.open_form(dialogs.advance_dialog(self.window(), self.app, a, naming=True, document=document))

    def review_dialog(self) -> FormDialog | None:
        a = self._chosen()
        return self.open_form(dialogs.review_dialog(self.window(), self.app, a)) if a is not None else None

    def score_dialog(self) -> ScoreDialog | None:
        a = self._chosen()
        if a is None:
            return None
        if not a.scoring:
            self.warn(tr("录入评分"), tr("{0}当前为“{1}”，不能再录入评分").format(a.unit, a.stage_label))
            return None
        return self.open_form(ScoreDialog(self.window(), self.app, queries.score_sheet(self.app, a.id)))

    def delete_application(self) -> bool:
        a = self._chosen()
        if a is None or not self.confirm(tr("删除申报"), tr("确定删除{0}的申报吗？评分一并删除。").format(a.unit)):
            return False
        return self.run_op(lambda: service.delete(self.app, a.id), tr("删除申报"))

    def said(self, message: str) -> None:
        self.message.setText(f"<b>{message}</b>")

    # ----------------------------------------------------------------- prints

    def open_report(self, key: str, params: dict[str, Any] | None = None) -> Any:
        from ui.dialogs.reports import open_report_with

        self.dialog = open_report_with(self.window(), self.app, key, {"year": self.chosen_year(), **(params or {})})
        return self.dialog

    def print_sheet(self) -> Any:
        a = self.current()
        return self.open_report("star_unions.score_sheet", {"organisation": a.organisation_id} if a else {})

    def print_plaques(self) -> Any:
        from ui.certificates.centre import open_certificate_centre

        self.dialog = open_certificate_centre(self.window(), self.app, source="star_unions",
                                              params={"year": self.chosen_year()})
        return self.dialog

