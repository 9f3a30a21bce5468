"""The chosen dispute beside the ledger: its number and parties, the stage it is at and for how long,
the mediation deadline (the ``mediation_days`` setting, a period the law sets), the amounts, and
four pages: 案情 (the described fields; the sensitive ones 「（受保护）」 without the permission),
办理记录 (each stage with its time, who recorded it and the note), 当事人 and 附件."""

from __future__ import annotations

from datetime import timedelta
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from desktop.programmes.disputes import queries, rules
from desktop.protected_fields import PROTECTED_TEXT
from ui.kit.cultivation import Cell, DataTable, Row, tr
from ui.kit.menus import stretch_column
from ui.kit.parts import facts_label, note_label, page_heading
from ui.programmes.disputes.fields import SENSITIVE, label, protected_note

#: The 案情 page's fields, in order (the amounts are above the pages; the sensitive ones follow under their note).
FACTS = ("source", "kind", "collective", "headcount", "claim", "facts", "agencies", "terms", "confirmed_on")
RED, AMBER, GREY = "#b71c1c", "#b45309", "#4b5563"
#: The parties list's columns (tests read cells by them).
ROLE, NAME, PHONE, LINKED = range(4)


def when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""


def shown(name: str, value: Any) -> str:
    """A described field's value as the 案情 page shows it."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return tr("是") if value else tr("否")
    if name.endswith("amount"):
        return f"{value:,.2f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def joined(*parts: str) -> str:
    return "".join(p for p in parts if p)


def amounts_html(r: queries.DisputeRow) -> str:
    """The three amounts as a small table (labels over values): no label is split across lines in
    a narrow panel."""
    names = ("claim_amount", "agreed_amount", "paid_amount")
    heads = "".join(f"<td nowrap style='padding-right:18px'>{escape(label('Dispute.' + n))}</td>" for n in names)
    values = "".join(f"<td nowrap style='padding-right:18px'><b>{shown(n, getattr(r, n)) or tr('—')}</b></td>"
                     for n in names)
    return f"<table cellspacing='0' style='color:{GREY}'><tr>{heads}</tr><tr>{values}</tr></table>"


def deadline_html(d: queries.DisputeDetail) -> str:
    """The mediation period, labelled as law, and where this dispute stands against it."""
    r, limit = d.row, d.mediation_limit
    law = [tr("调解期限 {0} 日").format(limit), tr("（法律规定：《劳动争议调解仲裁法》第十四条）")]
    start = r.reached.get(rules.MEDIATION)
    if start is None:
        return f"<span style='color:{GREY}'>{joined(tr('尚未调解。'), *law)}</span>"
    end = (start + timedelta(days=limit)).date()
    since = [tr("：{0} 进入调解，").format(start.strftime("%Y-%m-%d")), tr("期限至 {0}，").format(end.isoformat())]
    if r.overdue:
        return f"<span style='color:{RED}'>" + joined(f"<b>{tr('逾期')}</b> ", *law, *since, tr(
            "已调解 {0} 日，").format(r.mediation_days), tr("可告知当事人依法申请仲裁")) + "</span>"
    if r.stage == rules.MEDIATION:
        left = limit - (r.mediation_days or 0)
        colour = AMBER if left <= 3 else GREY
        return f"<span style='color:{colour}'>" + joined(*law, *since, tr("还剩 {0} 日").format(left)) + "</span>"
    spent = tr("调解用时 {0} 日").format(r.mediation_days) + (tr("（超过期限）") if r.lapsed else "")
    return f"<span style='color:{GREY}'>" + joined(*law, *since, spent) + "</span>"


class DetailPanel(QWidget):
    """One dispute (``show_dispute``) or nothing chosen (``clear``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: queries.DisputeDetail | None = None
        self.heading = page_heading(self, wrap=True)
        self.summary = note_label(self, name="pageSubheading")
        self.stage = QLabel(self)
        self.stage.setObjectName("disputeStage")
        self.stage.setWordWrap(True)
        self.stage.setTextFormat(Qt.TextFormat.RichText)
        self.deadline = QLabel(self)
        self.deadline.setObjectName("disputeDeadline")
        self.deadline.setWordWrap(True)
        self.deadline.setTextFormat(Qt.TextFormat.RichText)
        self.amounts = note_label(self)
        self.amounts.setTextFormat(Qt.TextFormat.RichText)
        self.pages = QTabWidget(self)
        self.pages.setDocumentMode(True)

        self.facts = facts_label(self, "disputeFacts")
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        holder = QWidget(scroll)
        box = QVBoxLayout(holder)
        box.setContentsMargins(6, 6, 6, 6)
        box.addWidget(self.facts)
        box.addStretch(1)
        scroll.setWidget(holder)

        self.moves = DataTable([label("CaseMove.stage"), label("CaseMove.at"), label("CaseMove.by"),
                                label("CaseMove.note")], (56, 120, 64, 160), self, numbered=False)
        self.parties = DataTable([tr("类别"), label("CaseParty.name"), label("CaseParty.phone"), tr("名册")],
                                 (84, 180, 110, 70), self, numbered=False)
        stretch_column(self.parties, NAME)
        self.attachments = DataTable([label("CaseAttachment.name"), label("CaseAttachment.added_on"),
                                      label("CaseAttachment.by"), label("CaseAttachment.note")],
                                     (160, 90, 64, 120), self, numbered=False)
        self.pages.addTab(scroll, tr("案情"))
        self.pages.addTab(self.moves, tr("办理记录"))
        self.pages.addTab(self.parties, tr("当事人"))
        self.pages.addTab(self.attachments, tr("附件"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 4)
        layout.setSpacing(4)
        for w in (self.heading, self.summary, self.stage, self.deadline, self.amounts):
            layout.addWidget(w)
        layout.addWidget(self.pages, 1)
        self.clear()

    def clear(self, text: str = "") -> None:
        self.detail = None
        self.heading.setText(tr("劳动争议"))
        self.summary.setText(text or tr("在左侧台账中选择一件争议，查看案情、办理记录、当事人和附件。"))
        for w in (self.stage, self.deadline, self.amounts):
            w.clear()
        self.facts.clear()
        for t in (self.moves, self.parties, self.attachments):
            t.set_rows([])
        self.pages.setEnabled(False)

    def show_dispute(self, d: queries.DisputeDetail) -> None:
        self.detail = d
        r = d.row
        self.pages.setEnabled(True)
        self.heading.setText(f"{r.number}　{r.kind_label}" + (tr("（集体争议）") if r.collective else ""))
        self.summary.setText(r.summary)
        self.stage.setText(joined(
            tr("阶段：<b>{0}</b>（{1} 起）").format(r.stage_label, when(r.stage_at)),
            tr("　登记于 {0}，").format(r.opened_at.strftime("%Y-%m-%d")),
            tr("{0} 结案，历时 {1} 天").format(r.closed_at.strftime("%Y-%m-%d"), r.days_open) if r.closed_at
            else tr("已办理 {0} 天").format(r.days_open),
            tr("　结果：<b>{0}</b>").format(r.outcome_label) if r.outcome_label else ""))
        self.deadline.setText(deadline_html(d))
        self.amounts.setText(amounts_html(r))
        self.facts.setText(self.facts_html(d))
        self.moves.set_rows([Row(i, [m.label, when(m.at), m.by, m.note]) for i, m in enumerate(d.moves)])
        self.show_parties(d)
        self.attachments.set_rows([Row(a.id, [a.name, a.added_on.isoformat(), a.by, a.note], data=a)
                                   for a in d.attachments])
        self.pages.setTabText(2, tr("当事人（{0}）").format(len(d.workers) + len(d.employers) + len(d.handlers)))
        self.pages.setTabText(3, tr("附件（{0}）").format(len(d.attachments)))

    def show_parties(self, d: queries.DisputeDetail) -> None:
        roles = {rules.WORKER: tr("劳动者"), rules.EMPLOYER: tr("用人单位")}
        rows = []
        for p in (*d.workers, *d.employers, *d.handlers):
            role = roles.get(p.role) or p.capacity_label or tr("本案经办人")
            if p.role == rules.HANDLER:
                linked: Cell | str = ""
            elif p.linked:
                linked = Cell(tr("已关联"), "ok")
            else:
                linked = Cell(tr("只记名称"), "warning", tip=tr("登记进名册后，用“当事人 → 关联名册”关联"))
            tip = "　".join(t for t in (p.name, p.unit, p.id_number, p.note) if t)
            rows.append(Row(p.id, [role, Cell(p.name, tip=tip), p.phone, linked], data=p))
        self.parties.set_rows(rows)

    def facts_html(self, d: queries.DisputeDetail) -> str:
        lines = []
        for name in FACTS:
            text = shown(name, d.values.get(name))
            if name == "kind":
                text = d.row.kind_label
            elif name == "source":
                text = d.row.source_label
            if text:
                lines.append(f"<b>{escape(label('Dispute.' + name))}：</b>{escape(text).replace(chr(10), '<br>')}")
        if d.row.handlers:
            lines.append(f"<b>{tr('本案经办人')}：</b>{escape(d.row.handlers)}")
        lines.append(f"<br><span style='color:{GREY}'>{tr('敏感信息（加密保存）')}</span>")
        for name in SENSITIVE:
            text = shown(name, d.values.get(name)) if d.sensitive_open else PROTECTED_TEXT
            lines.append(f"<b>{escape(label('Dispute.' + name))}：</b>{escape(text).replace(chr(10), '<br>')}")
        if not d.sensitive_open:
            lines.append(f"<span style='color:{GREY}'>{escape(protected_note())}</span>")
        return "<br>".join(lines)

    def selected_party(self) -> queries.PartyRow | None:
        row = self.parties.selected_row()
        return row.data if row is not None else None

    def selected_attachment(self) -> queries.AttachmentRow | None:
        row = self.attachments.selected_row()
        return row.data if row is not None else None
