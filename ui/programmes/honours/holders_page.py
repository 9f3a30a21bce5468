"""劳模工匠选树: the honour-holder register (劳模档案). The holders (workers, units and teams) with
their title, level, year, naming and whether still held, filtered by title, level and state; the
chosen holder's 劳模待遇 and 宣讲; the 本年待落实 list (holders owed this year's 疗休养、体检、
医疗互助). Prints: 劳模工匠名册 and the 待遇 list. Reads ``register_queries``, writes
``register_service``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.changes import Changes
from desktop.context import App
from desktop.programmes.honours import register_queries as queries
from desktop.programmes.honours import register_service as service
from ui.kit.changes import listen, perform
from ui.kit.cultivation import Cell, DataTable, FormDialog, Row, tr
from ui.kit.filter_bar import FilterBar, fit_combo
from ui.kit.menus import fill_menu, fit_column, menu_action, menu_button, stretch_column
from ui.kit.parts import note_label
from ui.programmes.honours import register_dialogs as dialogs
from ui.programmes.honours.titles_page import label

HELD, ENDED, ALL = "held", "ended", "all"


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


class HoldersPage(QWidget):
    """劳模档案: holders, their benefits and outreach, and who is still owed this year's benefits."""

    tables = service.TABLES

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.rows: list[queries.HolderRow] = []
        self.labels: dict[str, dict[str, str]] = {}
        self.dialog: Any = None  # the last dialog opened (tests)
        self.bar = FilterBar(self)
        b = self.bar.add_button
        self.add_button = b(tr("登记获得者…"), "add.svg", tr("登记本程序使用前已命名或由上级直接命名的获得者"))
        self.end_button = b(tr("终止称号…"), "refresh.svg", tr("撤销、去世等：终止后不再列入名册和待遇名单"))
        self.delete_button = b(tr("删除"), "delete.svg", tr("删除误登记的获得者（经评选命名的只能终止）"))
        self.bar.add_separator()
        self.benefit_button = b(tr("登记待遇…"), "edit.svg", tr("疗休养、免费体检、职工医疗互助"))
        self.outreach_button = b(tr("登记宣讲…"), "detail.svg", tr("进企业、进社区、进学校宣讲"))
        self.bar.add_separator()
        self.roster_print = menu_action(self, tr("劳模工匠名册"), self.print_roster, "report.svg",
                                        tr("按所选称号、级别打印劳模工匠名册（PDF 或 Excel）"))
        self.benefits_print = menu_action(self, tr("劳模待遇落实名单"), self.print_benefits, "export.svg",
                                          tr("本年度疗休养、体检等待遇落实名单（PDF 或 Excel）"))
        self.print_button, menu = menu_button(self.bar, tr("打印"), "report.svg", tr("劳模工匠名册、劳模待遇落实名单"))
        fill_menu(menu, [self.roster_print, self.benefits_print])
        self.bar.search.setPlaceholderText(tr("搜索姓名、单位、称号"))
        self.bar.filter_changed.connect(lambda _t: self.show_holders())

        self.filters = QWidget(self)  # the register's filters (hidden on 本年待落实, which they do not filter)
        filters = QHBoxLayout(self.filters)
        filters.setContentsMargins(8, 0, 8, 0)
        self.title_filter = QComboBox(self)
        self.level_filter = QComboBox(self)
        self.state_filter = QComboBox(self)
        for text, code in ((tr("仍持有"), HELD), (tr("已终止"), ENDED), (tr("全部"), ALL)):
            self.state_filter.addItem(text, code)
        for caption, combo in ((label("Holding.title"), self.title_filter), (label("Holding.level"), self.level_filter),
                               (tr("状态"), self.state_filter)):
            filters.addWidget(QLabel(tr("{0}：").format(caption), self.filters))
            filters.addWidget(combo)
            filters.addSpacing(12)
            combo.currentIndexChanged.connect(lambda _i: self.show_holders())
        filters.addStretch(1)

        self.pages = QTabWidget(self)
        self.pages.setDocumentMode(True)
        first = QWidget(self.pages)
        self.holders = DataTable([label("Holding.worker_id"), label("Holding.organisation_id"), label("Holding.title"),
                                  label("Holding.level"), label("Holding.year"), label("Holding.named_on"),
                                  label("Holding.body"), label("Holding.document"), tr("状态")],
                                 (80, 200, 150, 48, 48, 86, 130, 140, 130), first, numbered=False)
        stretch_column(self.holders, 1)
        self.holders.itemSelectionChanged.connect(self.show_holder)
        self.bar.lead_to(self.holders)
        detail = QWidget(first)
        dbox = QVBoxLayout(detail)
        dbox.setContentsMargins(8, 4, 8, 4)
        self.heading = note_label(detail, name="pageSubheading")
        dbox.addWidget(self.heading)
        side = QHBoxLayout()
        self.benefits = DataTable([label("Benefit.year"), label("Benefit.kind"), label("Benefit.given_on"),
                                   label("Benefit.place")], (50, 100, 90, 120), detail, numbered=False)
        stretch_column(self.benefits, 3)
        self.outreach = DataTable([label("Outreach.held_on"), label("Outreach.kind"), label("Outreach.place"),
                                   label("Outreach.topic"), label("Outreach.audience")], (90, 70, 130, 160, 70), detail,
                                  numbered=False)
        stretch_column(self.outreach, 3)
        side.addWidget(self.benefits, 2)
        side.addWidget(self.outreach, 3)
        dbox.addLayout(side, 1)
        split = QSplitter(Qt.Orientation.Vertical, first)
        split.addWidget(self.holders)
        split.addWidget(detail)
        split.setSizes([420, 200])
        split.setChildrenCollapsible(False)
        QVBoxLayout(first).addWidget(split)
        self.pages.addTab(first, tr("获得者名册"))

        second = QWidget(self.pages)
        sbox = QVBoxLayout(second)
        line = QHBoxLayout()
        line.addWidget(QLabel(tr("年度："), second))
        self.year = QSpinBox(second)
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.year.valueChanged.connect(lambda _v: self.show_due())
        line.addWidget(self.year)
        self.due_info = QLabel(second)
        self.due_info.setObjectName("infoLabel")
        line.addWidget(self.due_info, 1)
        sbox.addLayout(line)
        self.due = DataTable([label("Benefit.worker_id"), label("Holding.organisation_id"), label("Holding.title"),
                              tr("已落实"), tr("待落实")], (90, 220, 180, 200, 240), second, numbered=True)
        stretch_column(self.due, 2)
        self.due.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        sbox.addWidget(self.due, 1)
        self.pages.addTab(second, tr("本年待落实"))
        self.pages.currentChanged.connect(lambda _i: self.show_holder())

        self.message = note_label(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.bar)
        layout.addWidget(self.filters)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.message)

        self.add_button.clicked.connect(self.add_holder)
        self.end_button.clicked.connect(self.end_holding)
        self.delete_button.clicked.connect(self.delete_holding)
        self.benefit_button.clicked.connect(self.give_benefit)
        self.outreach_button.clicked.connect(self.add_outreach)
        listen(self, self.tables, self.changes_arrived)

    # ----------------------------------------------------------------- loading

    def changes_arrived(self, changes: Changes) -> None:
        self.load()

    def load(self) -> None:
        self.labels = self.app.labels()
        self.rows = queries.holders_list(self.app)
        self._fill(self.title_filter, sorted({r.title for r in self.rows}), {})
        self._fill(self.level_filter, [c for c in self.labels.get("honour_level", {}) if any(
            r.level == c for r in self.rows)], self.labels.get("honour_level", {}))
        self.show_holders()
        self.show_due()

    def _fill(self, combo: QComboBox, codes: list[str], names: dict[str, str]) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(tr("（全部）"), None)
        for code in codes:
            combo.addItem(names.get(code, code), code)
        combo.setCurrentIndex(max(combo.findData(chosen), 0))
        combo.blockSignals(False)
        fit_combo(combo)

    def shown_rows(self) -> list[queries.HolderRow]:
        today = date.today()
        title, level, state = (self.title_filter.currentData(), self.level_filter.currentData(),
                               self.state_filter.currentData())
        return [r for r in self.rows if (title is None or r.title == title) and (level is None or r.level == level)
                and (state == ALL or r.held(today) == (state == HELD))]

    def show_holders(self) -> None:
        levels = self.labels.get("honour_level", {})
        rows = []
        for r in self.shown_rows():
            state = (Cell(tr("已终止：{0}").format(r.end_reason) if r.end_reason else tr("已终止"), "note",
                          tip=tr("{0} 终止：{1}").format(_d(r.ended_on), r.end_reason)) if r.ended_on
                     else Cell(tr("仍持有（享受待遇）") if r.benefits else tr("仍持有"), "ok",
                               tip=tr("享受劳模待遇：每年疗休养、免费体检、职工医疗互助") if r.benefits else ""))
            who = r.holder if not r.collective else (r.team or tr("（本单位）"))
            rows.append(Row(r.id, [Cell(who, bold=True, tip=r.holder), Cell(r.unit, tip=r.unit), Cell(r.title, tip=r.title),
                                   levels.get(r.level or "", r.level or ""), r.year, _d(r.named_on),
                                   Cell(r.body, tip=r.body), Cell(r.document, tip=r.document), state],
                            fill="left" if r.ended_on else None, data=r))
        self.holders.set_rows(rows)
        fit_column(self.holders, 0, 64, 140)
        shown = self.holders.filter(self.bar.search.text())
        self.bar.set_count(shown, len(rows))
        if rows and self.holders.selected_id() is None:
            self.holders.selectRow(0)
        self.show_holder()

    def current(self) -> queries.HolderRow | None:
        row = self.holders.selected_row()
        return row.data if row is not None else None

    def show_holder(self) -> None:
        h = self.current()
        on_due = self.pages.currentIndex() == 1
        self.filters.setVisible(not on_due)
        self.end_button.setEnabled(h is not None and h.ended_on is None and not on_due)
        self.delete_button.setEnabled(h is not None and not h.from_round and not on_due)
        person = h is not None and not h.collective
        self.benefit_button.setEnabled(on_due or (person and bool(h and h.benefits)))
        self.outreach_button.setEnabled(person and not on_due)
        kinds, places = self.labels.get("benefit_kind", {}), self.labels.get("outreach_kind", {})
        if h is None or h.collective:
            self.heading.setText(tr("{0}：集体称号（{1}）").format(h.holder, h.title) if h else "")
            self.benefits.set_rows([])
            self.outreach.set_rows([])
            return
        held = [r.title for r in self.rows if r.worker_id == h.worker_id and r.held(date.today())]
        self.heading.setText(tr("{0}（{1}）　现持有：{2}").format(h.holder, h.unit, "、".join(held) or tr("无")))
        self.benefits.set_rows([Row(b.id, [b.year, kinds.get(b.kind, b.kind), _d(b.given_on), b.place])
                                for b in queries.benefits(self.app, worker_id=h.worker_id)])
        self.outreach.set_rows([Row(o.id, [_d(o.held_on), places.get(o.kind, o.kind), o.place, o.topic,
                                           o.audience or ""]) for o in queries.outreach(self.app, worker_id=h.worker_id)])

    def show_due(self) -> None:
        kinds = self.labels.get("benefit_kind", {})
        year = self.year.value()
        rows = queries.due(self.app, year)
        self.due.set_rows([Row(d.worker_id, [Cell(d.name, bold=True), d.unit, "、".join(d.titles),
                                             Cell("、".join(kinds.get(k, k) for k in d.given), "ok"),
                                             Cell("、".join(kinds.get(k, k) for k in d.missing), "warning")], data=d)
                           for d in rows])
        self.due_info.setText(tr("　享受劳模待遇、仍持有称号而本年度尚未落实全部待遇的 {0} 人（可多选后“登记待遇…”）")
                              .format(len(rows)))

    # ----------------------------------------------------------------- changes

    def said(self, result: Any) -> None:
        changes = getattr(result, "changes", result)
        self.message.setText(getattr(changes, "message", "") or "")

    def open_form(self, dlg: FormDialog) -> FormDialog:
        self.dialog = dlg
        dlg.accepted.connect(lambda: self.said(dlg.result_value))
        dlg.open()
        return dlg

    def add_holder(self) -> FormDialog:
        return self.open_form(dialogs.holder_dialog(self.window(), self.app))

    def end_holding(self) -> FormDialog | None:
        h = self.current()
        return self.open_form(dialogs.end_dialog(self.window(), self.app, h)) if h is not None else None

    def delete_holding(self) -> bool:
        h = self.current()
        if h is None or not self.confirm(tr("删除获得者"), tr("确定删除 {0} 的“{1}”登记吗？").format(h.holder, h.title)):
            return False
        result = perform(lambda: service.delete_holding(self.app, h.id), tr("删除获得者"), self.warn)
        if result is not None:
            self.said(result)
        return result is not None

    def give_benefit(self) -> FormDialog | None:
        if self.pages.currentIndex() == 1:
            chosen = [r.data for r in self.due.rows if r.id in self.due.selected_ids()]
            if not chosen:
                self.warn(tr("登记待遇"), tr("请先在“本年待落实”中选中一名或多名劳模"))
                return None
            first = chosen[0].missing[0] if len({d.missing[0] for d in chosen}) == 1 else None
            return self.open_form(dialogs.benefit_dialog(self.window(), self.app,
                                                         [(d.worker_id, d.name) for d in chosen],
                                                         self.year.value(), first))
        h = self.current()
        if h is None or h.worker_id is None:
            return None
        return self.open_form(dialogs.benefit_dialog(self.window(), self.app, [(h.worker_id, h.holder)],
                                                     date.today().year))

    def add_outreach(self) -> FormDialog | None:
        h = self.current()
        if h is None or h.worker_id is None:
            return None
        return self.open_form(dialogs.outreach_dialog(self.window(), self.app, h.worker_id, h.holder))

    # ----------------------------------------------------------------- prints

    def open_report(self, key: str, params: dict[str, Any]) -> Any:
        from ui.dialogs.reports import open_report_with

        self.dialog = open_report_with(self.window(), self.app, key, params)
        return self.dialog

    def print_roster(self) -> Any:
        title = self.title_filter.currentData()
        title_id = next((r.title_id for r in self.rows if r.title == title), None) if title else None
        return self.open_report("honours.roster", {"title": title_id, "level": self.level_filter.currentData()})

    def print_benefits(self) -> Any:
        return self.open_report("honours.benefits", {"year": self.year.value()})

    # Tests replace these two.
    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)
