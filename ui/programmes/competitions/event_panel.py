"""The right side of the competitions tab: one event's heading, rules line, its tool bar
(报名, 删除报名, 项目设置, 设定奖项, 计算名次, 推荐五一劳动奖章), the score grid and a message line.

It shows what it is given (a :class:`~desktop.programmes.competitions.queries.EventGrid`); the
tab connects its buttons and does the writing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QToolButton, QVBoxLayout, QWidget

from desktop.programmes.competitions import rules
from desktop.programmes.competitions.queries import EventGrid, GridRow, headings
from ui.kit.filter_bar import FilterBar
from ui.kit.parts import note_label, page_heading
from ui.programmes.competitions.widgets import ScoreModel, ScoreView


def tr(text: str) -> str:
    return QCoreApplication.translate("CompetitionsTab", text)


class EventPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid: EventGrid | None = None
        self.heading = page_heading(self, wrap=True)
        self.info = note_label(self, name="pageSubheading")
        self.rule = note_label(self)

        self.bar = FilterBar(self)
        self.bar.search.hide()
        self.bar.count.hide()
        b = self.bar.add_button
        self.register_button = b(tr("报名…"), "add.svg", tr("从职工名册报名，或录入新职工后报名"))
        self.unregister_button = b(tr("删除报名"), "delete.svg", tr("删除选中的选手（或队伍）及其成绩"))
        self.bar.add_separator()
        self.event_button = b(tr("项目设置…"), "settings.svg", tr("评委人数、理论和实操权重、去掉最高分和最低分"))
        self.prize_button = b(tr("设定奖项…"), "competitions.svg", tr("按名额或按比例设定一、二、三等奖和优秀奖"))
        self.compute_button = b(tr("计算名次"), "refresh.svg", tr("重新计算本项目的总成绩、名次和奖项"))
        self.bar.add_separator()
        self.medal_button: QToolButton = b(headings()["medal"], "detail.svg",
                                           tr("把选中的本项目第一名推荐申报五一劳动奖章（荣誉评选读取此标记）"))
        self.medal_button.setCheckable(True)

        self.model = ScoreModel(self)
        self.model.refused.connect(lambda m: self.say(m, ok=False))
        self.view = ScoreView(self)
        self.view.setModel(self.model)
        self.message = QLabel(self)
        self.message.setObjectName("formHint")
        self.message.setWordWrap(True)

        head = QWidget(self)
        hl = QVBoxLayout(head)
        hl.setContentsMargins(14, 10, 14, 6)
        hl.setSpacing(3)
        hl.addWidget(self.heading)
        hl.addWidget(self.info)
        hl.addWidget(self.rule)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(head)
        layout.addWidget(self.bar)
        layout.addWidget(self.view, 1)
        foot = QWidget(self)
        fl = QVBoxLayout(foot)
        fl.setContentsMargins(12, 4, 12, 6)
        fl.addWidget(self.message)
        layout.addWidget(foot)

    def show_grid(self, grid: EventGrid, labels: dict[str, dict[str, str]]) -> None:
        """Show one event: its heading, the competition's description, the rules and the grid."""
        self.grid = grid
        self.model.set_grid(grid)
        self.heading.setText(grid.title)
        comp = grid.competition
        if comp is not None:
            bits = [labels.get("competition_level", {}).get(comp.level or "", ""),
                    labels.get("competition_kind", {}).get(comp.kind, ""),
                    comp.organiser,
                    "至".join(d.isoformat() for d in dict.fromkeys(x for x in (comp.start_date, comp.end_date) if x)),
                    tr("公示 %1 天").replace("%1", str(comp.publicity_days)),
                    tr("异议电话 %1").replace("%1", comp.objection_phone) if comp.objection_phone else ""]
            self.info.setText("　·　".join(b for b in bits if b))
        self.view.size_columns()
        self.summarise()

    def summarise(self) -> None:
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
        names = self.model.prize_labels
        if r.prize_mode == rules.SHARE:
            tiers = "、".join(f"{names.get(c, c)} {s}%" for c, s in zip(rules.PRIZES, r.shares, strict=True) if s)
        else:
            tiers = "、".join(f"{names.get(c, c)} {n} 名" for c, n in zip(rules.PRIZES, r.counts, strict=True) if n)
        result = rules.prize_summary(self.model.outcomes, names)
        self.rule.setText(f"{rule}　｜　{tr('奖项设定')}：{tiers or tr('未设')}　｜　{tr('目前')}：{result}")
        if not self.model.rows:
            self.say(tr("还没有人报名。点击“报名…”从职工名册选择选手。"), ok=True)
        else:
            self.say(tr("直接输入分数：Tab 右移，回车下移，Delete 清除；输入后即时计算总成绩、名次和奖项。"), ok=True)

    def selected_entry(self) -> GridRow | None:
        index = self.view.currentIndex()
        if self.grid is None or not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.row_data(index.row())

    def update_buttons(self) -> None:
        row = self.selected_entry()
        team = self.grid is not None and self.grid.kind == rules.TEAM
        self.unregister_button.setEnabled(row is not None)
        self.medal_button.setEnabled(row is not None and not team)
        self.medal_button.setChecked(bool(row is not None and row.recommended))
        self.register_button.setText(tr("团体报名…") if team else tr("报名…"))

    def say(self, text: str, ok: bool = True) -> None:
        self.message.setObjectName("formHint" if ok else "formProblem")
        self.message.setText(text)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def stored(self, *_args: Any) -> None:
        """A mark was stored: the rules line and the message say where the event stands now."""
        self.summarise()
        self.say(tr("已保存。%1").replace("%1", rules.prize_summary(self.model.outcomes, self.model.prize_labels)))
