"""The chosen 派工单 under the demand list: its heading and figures (minutes from 派单 to 接单, days
open), the demand as the enterprise put it with its outcome, and four lists: the stage log (time,
state, who, note), the craftsmen sent, the visits and the papers noted by name."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from desktop.programmes.help_desk import queries
from desktop.programmes.help_desk.rules import SOLVED, TRANSFERRED, UNSOLVED
from ui.kit.cultivation import Cell, DataTable, Row, tr
from ui.kit.menus import stretch_column
from ui.kit.parts import facts_label, note_label, page_heading
from ui.programmes.help_desk.described import label, shown

#: Outcome fields shown under the demand, in this order (empty ones left out).
OUTCOME_SHOWN = ("solution", "benefit_actual", "benefit_expected", "cost_saved", "orders", "trained", "results",
                 "result_count", "rating", "feedback", "transferred_to")
STAGE_COLOURS = {SOLVED: "ok", UNSOLVED: "error", TRANSFERRED: "warning"}


def minutes_text(minutes: int | None) -> str:
    if minutes is None:
        return ""
    if minutes < 120:
        return tr("{0} 分钟").format(minutes)
    return tr("{0} 小时 {1} 分").format(minutes // 60, minutes % 60)


class DemandDetail(QWidget):
    """Shows one :class:`~desktop.programmes.help_desk.queries.DemandDetail` (or nothing)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: queries.DemandDetail | None = None
        self.heading = page_heading(self)
        self.figures = note_label(self, name="pageSubheading")
        self.figures.setTextFormat(Qt.TextFormat.RichText)
        self.about = facts_label(self, "demandAbout")
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.about)
        scroll.viewport().setAutoFillBackground(False)  # the page's own background, not a grey box
        self.about.setAutoFillBackground(False)
        scroll.setMinimumWidth(300)

        self.lists = QTabWidget(self)
        self.moves = DataTable([label("CaseMove.at"), label("CaseMove.stage"), label("CaseMove.by"),
                                label("CaseMove.note")], (132, 64, 72, 200), self, numbered=False)
        self.craftsmen = DataTable([label("Member.name"), label("CaseParty.capacity"), label("CaseParty.phone"),
                                    label("Member.expert_from")], (72, 180, 110, 160), self, numbered=False)
        self.visits = DataTable([label("Visit.visited_on"), label("Visit.people"), label("Visit.content")],
                                (90, 70, 300), self, numbered=False)
        self.attachments = DataTable([label("CaseAttachment.name"), label("CaseAttachment.added_on"),
                                      label("CaseAttachment.by"), label("CaseMove.note")], (200, 90, 72, 160), self,
                                     numbered=False)
        for table, name in ((self.moves, tr("办理记录")), (self.craftsmen, tr("派出工匠")),
                            (self.visits, tr("上门服务")), (self.attachments, tr("附件"))):
            self.lists.addTab(table, name)
        stretch_column(self.visits, 2)

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(scroll, 2)
        body.addWidget(self.lists, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 8, 4)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.figures)
        layout.addLayout(body, 1)

    def show_detail(self, detail: queries.DemandDetail | None) -> None:
        self.detail = detail
        if detail is None:
            self.heading.setText("")
            self.figures.setText(tr("选中一条需求，在这里查看办理记录、派出工匠、上门服务和附件。"))
            self.about.clear()
            for table in (self.moves, self.craftsmen, self.visits, self.attachments):
                table.set_rows([])
            self.set_counts()
            return
        r = detail.row
        self.heading.setText(f"{r.number}　{r.enterprise}")
        self.figures.setText(self.figures_html(detail))
        self.about.setText(self.about_html(detail))
        self.moves.set_rows([Row(i, [shown(m.at), Cell(m.label, STAGE_COLOURS.get(m.stage), bold=True), m.by,
                                     Cell(m.note, tip=m.note)]) for i, m in enumerate(detail.moves)])
        self.craftsmen.set_rows([Row(c.party_id, [c.name, Cell(c.capacity, tip=c.capacity), c.phone, c.note], data=c)
                                 for c in detail.craftsmen])
        self.visits.set_rows([Row(v.id, [shown(v.visited_on), "" if v.people is None else v.people,
                                         Cell(v.content, tip=v.content)], data=v) for v in detail.visits])
        self.attachments.set_rows([Row(a.id, [a.name, shown(a.added_on), a.by, Cell(a.note, tip=a.note)], data=a)
                                   for a in detail.attachments])
        self.set_counts()

    def set_counts(self) -> None:
        """Each list's tab names how many rows it has."""
        for i, (name, table) in enumerate(((tr("办理记录"), self.moves), (tr("派出工匠"), self.craftsmen),
                                           (tr("上门服务"), self.visits), (tr("附件"), self.attachments))):
            self.lists.setTabText(i, f"{name}（{table.rowCount()}）" if table.rowCount() else name)

    def figures_html(self, d: queries.DemandDetail) -> str:
        r = d.row
        stage = f"<b style='color:{'#047857' if r.stage == SOLVED else '#1f2937'}'>{escape(r.stage_label)}</b>"
        parts = [stage]
        if d.dispatched_at:
            parts.append(tr("派单 {0}").format(shown(d.dispatched_at)))
        if d.accepted_at:
            parts.append(tr("接单 {0}").format(shown(d.accepted_at)))
        if r.accept_minutes is not None:
            parts.append(tr("接单用时 <b>{0}</b>").format(minutes_text(r.accept_minutes)))
        if d.closed_at:
            parts.append(tr("办结 {0}").format(shown(d.closed_at)))
        days = tr("历时 <b>{0}</b> 天") if r.closed else tr("已办 <b>{0}</b> 天")
        parts.append(days.format(r.days_open))
        if r.overdue:
            parts.append(f"<span style='color:#b71c1c'>{tr('已超过办结期限')}</span>")
        return "　·　".join(parts)

    def about_html(self, d: queries.DemandDetail) -> str:
        r, v = d.row, d.values
        lines = [f"<b>{label('Demand.problem')}：</b>{escape(r.problem)}"]
        urgency = (f"<b style='color:#b71c1c'>{escape(r.urgency_label)}</b>" if r.emergency
                   else escape(r.urgency_label))
        facts = [escape(r.kind_label), urgency, escape(r.channel_label),
                 escape(r.region_label + (f"（{r.place}）" if r.place else ""))]
        lines.append("　".join(f for f in facts if f))
        lines.append(f"<b>{label('Demand.received_at')}：</b>{shown(r.received_at)}"
                     + (f"　<b>{label('Demand.deadline')}：</b>{shown(r.deadline)}" if r.deadline else ""))
        contact = "　".join(x for x in (v.get("contact_name") or "", v.get("contact_phone") or "") if x)
        if contact:
            lines.append(f"<b>{label('Demand.contact_name')}：</b>{escape(contact)}")
        if r.team:
            lines.append(f"<b>{label('Demand.team_id')}：</b>{escape(r.team)}")
        outcome = []
        for name in OUTCOME_SHOWN:
            value = d.labels.get(name) if name == "rating" else v.get(name)
            if value not in (None, "", 0):
                outcome.append(f"<b>{label('Demand.' + name)}：</b>{escape(shown(value))}")
        if outcome:
            lines.append(f"<hr><b style='color:#047857'>{tr('服务成效')}</b>")
            lines += outcome
        return "<br>".join(lines)
