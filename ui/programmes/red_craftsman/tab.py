"""红色工匠: the yearly rounds on the left; on the right the chosen round from nomination to outcome.

Two cards show each track's quota, carried-over places, nominees and the 1:2 check. The pages:
推荐人选 (nominees with eligibility hints and priority reasons), 培育库 (the pool on any date),
结对评议 (mentors and the two-way evaluation), 培训学习, 培育成效, 变动记录. Hints never block:
they show in the dialogs and in the line under the pages.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.changes import Changes
from desktop.context import App
from desktop.programmes.red_craftsman import queries as rc
from desktop.programmes.red_craftsman import rounds, rules, service
from ui.kit.cultivation import FormDialog, IdRole, hint_html, qdate, result_message, tr
from ui.kit.filter_bar import FilterBar
from ui.kit.parts import note_label, page_heading
from ui.kit.tab import ProgrammeTab
from ui.programmes.red_craftsman import dialogs
from ui.programmes.red_craftsman.pages import RoundPages

LEVEL_COLOURS = {"warning": "#b45309", "note": "#4b5563", "ok": "#047857"}
CARD_STYLE = ("QFrame#trackCard { border: 1px solid #e1e4ea; border-radius: 6px; background: #fbfbfc; }"
              "QLabel#cardTitle { font-weight: bold; color: #1f2937; }"
              "QLabel#cardNumber { font-size: 15pt; font-weight: bold; color: #b71c1c; }"
              "QLabel#cardCaption { color: #6b7280; }")


class TrackCard(QFrame):
    """One track's figures: 名额, 上年结转, 可用名额, 推荐, 比例, 在库; the 1:2 message under them."""

    CAPTIONS = ("名额", "上年结转", "可用名额", "推荐人选", "推荐比例", "在库")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trackCard")
        self.setStyleSheet(CARD_STYLE)
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 8, 12, 8)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(2)
        self.title = QLabel(self)
        self.title.setObjectName("cardTitle")
        grid.addWidget(self.title, 0, 0, 1, len(self.CAPTIONS))
        self.numbers: list[QLabel] = []
        for i, caption in enumerate(self.CAPTIONS):
            number = QLabel("—", self)
            number.setObjectName("cardNumber")
            number.setAlignment(Qt.AlignmentFlag.AlignCenter)
            cap = QLabel(tr(caption), self)
            cap.setObjectName("cardCaption")
            cap.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(number, 1, i)
            grid.addWidget(cap, 2, i)
            self.numbers.append(number)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        grid.addWidget(self.message, 3, 0, 1, len(self.CAPTIONS))

    def show_figures(self, title: str, f: rounds.TrackFigures | None) -> None:
        self.title.setText(title)
        if f is None:
            for n in self.numbers:
                n.setText("—")
            self.message.clear()
            return
        values = (f.quota, f.carried, f.check.open_places, f.nominees, f.check.ratio_text, f.in_pool)
        for label, value in zip(self.numbers, values, strict=True):
            label.setText(str(value))
        colour = LEVEL_COLOURS.get(f.check.level, "#374151")
        mark = {"warning": "▲ ", "note": "· ", "ok": "✔ "}.get(f.check.level, "")
        self.message.setText(f"<span style='color:{colour}'>{mark}{f.check.message}</span>")


class RedCraftsmanTab(ProgrammeTab):
    key = "red_craftsman"
    tables = service.TABLES

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(app, parent)
        self.labels: dict[str, dict[str, str]] = {}
        self.round: rc.RoundInfo | None = None
        self.select_round: int | None = None  # a round a change just wrote: shown after the reload
        self.dialog: Any = None  # the last dialog opened (tests)
        self.figures: dict[str, rounds.TrackFigures] = {}

        self.bar = FilterBar(self)
        b = self.bar.add_button
        self.new_button = b(tr("新建年度"), "add.svg", tr("建立新一年度的培育工作（A、B类名额）"))
        self.edit_button = b(tr("年度设置"), "edit.svg", tr("修改本年度名额、名称和入库公布日期"))
        self.carry_button = b(tr("年度调整"), "refresh.svg", tr("一年一调整：仍在库的培育对象结转到下一年度"))
        self.bar.add_separator()
        self.roster_button = b(tr("培育库名册"), "report.svg", tr("打印或导出本年度培育库名册（身份证号隐去中间位）"))
        self.sheet_button = b(tr("双向评议表"), "report.svg", tr("打印师徒双向评议表，供手工填写"))
        self.summary_button = b(tr("年度汇总表"), "report.svg", tr("各类别推荐、入库、移出、培训、评议和成效汇总"))
        self.certificate_button = b(tr("打印证书"), "red_craftsman.svg", tr("为本年度入库的培育对象打印证书"))
        self.bar.search.setPlaceholderText(tr("在当前列表中搜索姓名、单位、工种"))
        self.bar.filter_changed.connect(lambda _t: self.apply_filter())

        self.years = QListWidget(self)
        self.years.setObjectName("roundList")
        self.years.setMinimumWidth(150)
        self.years.setMaximumWidth(220)
        self.years.currentItemChanged.connect(self._year_changed)

        panel = QWidget(self)
        self.heading = page_heading(panel)
        self.info = QLabel(panel)
        self.info.setObjectName("pageSubheading")
        self.cards = [TrackCard(panel), TrackCard(panel)]
        cards = QHBoxLayout()
        cards.setSpacing(10)
        for card in self.cards:
            cards.addWidget(card, 1)
        self.day = QDateEdit(panel)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setDate(QDate.currentDate())
        self.day.setToolTip(tr("培育库按此日期显示：可查看过去任一日期的培育库"))
        self.day.dateChanged.connect(lambda _d: self.refresh())
        self.pages = QTabWidget(panel)
        self.p = RoundPages(self, self.pages)
        self.pages.currentChanged.connect(lambda _i: self.apply_filter())
        self.message = note_label(panel)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.empty = QLabel(tr("还没有“红色工匠”培育年度。\n点击“新建年度”，设定A类（党员→技术能手）和B类（技术能手→党员）名额。"),
                            panel)
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.heading)
        titles.addWidget(self.info)
        top.addLayout(titles, 1)
        when = QLabel(tr("培育库日期："), panel)
        top.addWidget(when, 0, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.day, 0, Qt.AlignmentFlag.AlignBottom)
        right = QVBoxLayout(panel)
        right.setContentsMargins(14, 10, 10, 6)
        right.setSpacing(8)
        right.addLayout(top)
        right.addLayout(cards)
        right.addWidget(self.pages, 1)
        right.addWidget(self.message)
        right.addWidget(self.empty, 1)

        self.lay_out(self.bar, self.years, panel, (160, 1000))

        self.new_button.clicked.connect(self.new_round)
        self.edit_button.clicked.connect(self.edit_round)
        self.carry_button.clicked.connect(self.carry_over)
        self.roster_button.clicked.connect(lambda: self.open_report("red_craftsman.roster"))
        self.sheet_button.clicked.connect(lambda: self.open_report("red_craftsman.evaluation_sheet"))
        self.summary_button.clicked.connect(lambda: self.open_report("red_craftsman.summary"))
        self.certificate_button.clicked.connect(self.print_certificates)

    # ----------------------------------------------------------------- loading

    def load(self) -> None:
        self.labels = self.app.labels()
        found = rc.round_list(self.app)
        wanted = self.select_round
        self.select_round = None
        current = self.round.id if self.round else None
        self.years.blockSignals(True)
        self.years.clear()
        for r in found:
            item = QListWidgetItem(tr("{0}年度\n在库 {1} 人").format(r.year, r.in_pool))
            item.setData(IdRole, r.id)
            item.setData(IdRole + 1, r)
            self.years.addItem(item)
        pick = next((i for i, r in enumerate(found) if r.id == wanted), None)
        if pick is None:
            pick = next((i for i, r in enumerate(found) if r.id == current), 0 if found else -1)
        self.years.setCurrentRow(pick)
        self.years.blockSignals(False)
        before = self.round.year if self.round else None
        self.round = found[pick] if found else None
        if self.round is not None and self.round.year != before:
            self.day.blockSignals(True)
            self.day.setDate(qdate(rc.default_day(self.round.year)))
            self.day.blockSignals(False)
        self.refresh()
        self._mark_loaded()

    def changes_arrived(self, changes: Changes) -> None:
        """A write touched what the tab shows: read again, on the round it wrote (if any)."""
        written = changes.ids(service.ROUNDS)
        if written:
            self.select_round = max(written)
        self.reload()

    def _year_changed(self, item: QListWidgetItem | None, _old: Any = None) -> None:
        self.round = item.data(IdRole + 1) if item is not None else None
        if self.round is not None:
            self.day.blockSignals(True)
            self.day.setDate(qdate(rc.default_day(self.round.year)))
            self.day.blockSignals(False)
        self.refresh()

    def chosen_day(self) -> date:
        d = self.day.date()
        return date(d.year(), d.month(), d.day())

    def default_day(self) -> date:
        """The default date of a new record: today within the round's year, else the viewed date."""
        today = date.today()
        return today if self.round is None or self.round.year == today.year else self.chosen_day()

    def refresh(self) -> None:
        has = self.round is not None
        for w in (self.pages, self.message, *self.cards):
            w.setVisible(has)
        self.empty.setVisible(not has)
        for button in (self.edit_button, self.carry_button, self.roster_button, self.sheet_button,
                       self.summary_button, self.certificate_button):
            button.setEnabled(has)
        if self.round is None:
            self.heading.setText(tr("“红色工匠”双向培育"))
            self.info.setText("")
            self.count_changed.emit()
            return
        view = rc.round_view(self.app, self.round.year, self.chosen_day())
        if view is None:  # deleted meanwhile
            self.round = None
            return self.refresh()
        r = self.round = view.round
        self.figures = view.figures
        self.p.show(view)
        self.heading.setText(r.title or f"{r.year}年度“红色工匠”培育")
        announced = f"入库公布 {r.announced_on:%Y-%m-%d}　·　" if r.announced_on else ""
        self.info.setText(tr("{0}名额：A类 {1} 人，B类 {2} 人　·　以 1:2 比例确定培育对象").format(
            announced, r.quota_a, r.quota_b))
        for card, track in zip(self.cards, rules.TRACKS, strict=True):
            card.show_figures(self.labels.get("rc_track", {}).get(track, track), self.figures.get(track))
        self.apply_filter()

    def apply_filter(self) -> None:
        table = self.p.current_table()
        if table is None:
            return
        shown = table.filter(self.bar.search.text())
        self.bar.set_count(shown, table.rowCount())
        self.count_changed.emit()

    def record_count(self) -> int:
        return sum(f.in_pool for f in self.figures.values())

    def show_result(self, result: Any) -> None:
        """Say under the pages what a change did, with its hints (the tab has refreshed already)."""
        message, hints = result_message(result)
        extra = hint_html(hints)
        self.message.setText(f"<b>{message}</b>" + (f"<br>{extra}" if extra else ""))

    def open_form(self, dlg: FormDialog) -> FormDialog:
        """Open a dialog; once it has written, show what it did."""
        self.dialog = dlg
        dlg.accepted.connect(lambda: self.show_result(dlg.result_value))
        dlg.open()
        return dlg

    def new_round(self) -> FormDialog:
        year = self.round.year + 1 if self.round else date.today().year
        return self.open_form(dialogs.round_dialog(self.window(), self.app, None, year))

    def edit_round(self) -> FormDialog | None:
        if self.round is None:
            return None
        return self.open_form(dialogs.round_dialog(self.window(), self.app, self.round, self.round.year))

    def carry_over(self) -> FormDialog | None:
        if self.round is None:
            return None
        return self.open_form(dialogs.carry_dialog(self.window(), self.app, self.round))

    # ----------------------------------------------------------------- prints

    def open_report(self, key: str) -> Any:
        from ui.dialogs.reports import open_report_with

        self.dialog = open_report_with(self.window(), self.app, key,
                                       {"year": self.round.year if self.round is not None else None})
        return self.dialog

    def print_certificates(self) -> Any:
        if self.round is None:
            return None
        from ui.certificates.centre import open_certificate_centre

        self.dialog = open_certificate_centre(self.window(), self.app, source="red_craftsman",
                                              params={"year": self.round.year})
        return self.dialog


