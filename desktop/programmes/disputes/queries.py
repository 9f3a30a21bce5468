"""劳动争议调解: what its tab shows, as plain rows (no ORM object leaves a session). No Qt.

``disputes`` lists a year's disputes (``rows`` does the same over a session, for the reports);
``dispute`` is one dispute with its parties, stage log and attachments. Phone and ID numbers come
masked; the sensitive fields (工伤情况, 健康状况, 月收入) read as 「（受保护）」 unless the account working
now holds the sensitive-information permission (the database does that: ``db.protected``).

The mediation time limit is the setting ``mediation_days`` (《劳动争议调解仲裁法》第十四条: 15 days):
a dispute still at 调解 more than that many days after it reached 调解 is ``overdue`` (逾期).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager, defer

from db.fields import describe
from db.models.core.cases import Case, CaseAttachment, CaseMove, CaseParty
from db.models.disputes import Dispute
from db.privacy import mask_id, mask_phone
from desktop import protected_fields
from desktop.programmes.core import cases
from desktop.programmes.core import cultivation_fields as fields
from desktop.programmes.core.cases import AttachmentRow, MoveRow, attachment_rows, move_rows
from desktop.programmes.disputes.casework import SENSITIVE_FIELDS, dispute_of
from desktop.programmes.disputes.rules import EMPLOYER, FLOW, HANDLER, MEDIATION, WORKER
from desktop.settings import choice_labels
from desktop.settings import load as load_settings

App = Any  # desktop.context.App

#: ``stage`` filters besides a stage code: every dispute not closed, those overdue in 调解.
OPEN, OVERDUE = "open", "overdue"
DEFAULT_MEDIATION_DAYS = 15


@dataclass(frozen=True)
class DisputeRow:
    id: int
    case_id: int
    number: str
    year: int
    summary: str  # 张三 诉 宁海县甲公司 欠薪
    workers: str  # names, 、-separated
    employer: str
    kind: str
    kind_label: str
    collective: bool
    headcount: int | None
    source: str
    source_label: str
    claim: str
    claim_amount: Decimal | None
    stage: str
    stage_label: str
    stage_at: datetime
    opened_at: datetime
    closed_at: datetime | None
    outcome: str | None
    outcome_label: str
    handlers: str  # 王律师（律师）、…
    agencies: str
    agreed_amount: Decimal | None
    paid_amount: Decimal | None
    confirmed_on: date | None
    days_open: int
    reached: dict[str, datetime]  # stage code -> when first reached
    mediation_days: int | None  # days in 调解 (so far, or until it moved on); None: never mediated
    overdue: bool  # still at 调解 longer than the limit (逾期)
    lapsed: bool  # mediation lasted longer than the limit (now or before it moved on)

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


@dataclass(frozen=True)
class PartyRow:
    id: int
    role: str  # worker, employer, handler
    name: str
    worker_id: int | None
    organisation_id: int | None
    phone: str  # masked
    id_number: str  # masked
    capacity: str  # handler: a code of dp_handler (or text)
    capacity_label: str
    note: str
    unit: str  # a worker's employer in the register

    @property
    def linked(self) -> bool:
        return self.worker_id is not None or (self.role == EMPLOYER and self.organisation_id is not None)


@dataclass(frozen=True)
class DisputeDetail:
    row: DisputeRow
    values: dict[str, Any]  # every described Dispute field (the sensitive ones as the account may see them)
    sensitive_open: bool  # the sensitive fields show their values (and may be written)
    workers: list[PartyRow]
    employers: list[PartyRow]
    handlers: list[PartyRow]
    moves: list[MoveRow]
    attachments: list[AttachmentRow]
    next_stages: list[tuple[str, str]]
    mediation_limit: int
    outcomes: list[tuple[str, str]] = field(default_factory=list)


MODELS: dict[str, type] = {"Dispute": Dispute, "Case": Case, "CaseParty": CaseParty, "CaseMove": CaseMove,
                           "CaseAttachment": CaseAttachment}


def field_labels() -> dict[str, str]:
    """``{"Dispute.kind": "争议类型", "Case.number": "编号", ...}`` (one description): what the tab
    labels its columns and fields with, importing no model."""
    return fields.labels(MODELS)


def field_helps() -> dict[str, str]:
    return fields.helps(MODELS)


def mediation_limit(session: Session) -> int:
    try:
        return int(load_settings(session).get("mediation_days") or DEFAULT_MEDIATION_DAYS)
    except (TypeError, ValueError):
        return DEFAULT_MEDIATION_DAYS


def mediation_span(case: Case, today: date) -> int | None:
    """Days from reaching 调解 to the next move (or to ``today`` while still at 调解)."""
    start = cases.reached_at(case, MEDIATION)
    if start is None:
        return None
    later = [m.at for m in case.moves if m.at >= start and FLOW.rank(m.stage) > FLOW.rank(MEDIATION)]
    end = min(later).date() if later else today
    return max((end - start.date()).days, 0)


def _label(labels: dict[str, dict[str, str]], key: str, code: str | None) -> str:
    return labels.get(key, {}).get(code or "", code or "")


def handler_text(case: Case, labels: dict[str, dict[str, str]]) -> str:
    out = []
    for p in cases.parties(case, HANDLER):
        cap = _label(labels, "dp_handler", p.capacity)
        out.append(f"{p.name}（{cap}）" if cap else p.name)
    return "、".join(out)


def to_row(d: Dispute, labels: dict[str, dict[str, str]], limit: int, today: date) -> DisputeRow:
    c = d.case
    span = mediation_span(c, today)
    reached: dict[str, datetime] = {}
    for m in c.moves:
        reached.setdefault(m.stage, m.at)
    return DisputeRow(
        id=d.id, case_id=c.id, number=c.number, year=c.year, summary=c.summary,
        workers=cases.party_names(c, WORKER), employer=cases.party_names(c, EMPLOYER),
        kind=d.kind, kind_label=_label(labels, "dp_kind", d.kind), collective=bool(d.collective),
        headcount=d.headcount, source=d.source, source_label=_label(labels, "dp_source", d.source),
        claim=d.claim or "", claim_amount=d.claim_amount, stage=c.stage, stage_label=FLOW.label(c.stage),
        stage_at=c.stage_at, opened_at=c.opened_at, closed_at=c.closed_at, outcome=c.outcome,
        outcome_label=_label(labels, "dp_outcome", c.outcome) if c.outcome else "",
        handlers=handler_text(c, labels), agencies=d.agencies or "", agreed_amount=d.agreed_amount,
        paid_amount=d.paid_amount, confirmed_on=d.confirmed_on, days_open=cases.days_open(c, today),
        reached=reached, mediation_days=span, overdue=c.stage == MEDIATION and span is not None and span > limit,
        lapsed=span is not None and span > limit)


def _matches(r: DisputeRow, text: str) -> bool:
    hay = " ".join((r.number, r.workers, r.employer, r.kind_label, r.claim, r.handlers, r.source_label,
                    r.stage_label, r.outcome_label, r.agencies)).lower()
    return all(word in hay for word in text.lower().split())


def rows(session: Session, year: int | None, stage: str | None = None, text: str = "", *,
         today: date | None = None) -> list[DisputeRow]:
    """The disputes opened in ``year`` (None: every year), by number; ``stage``: a stage code, or
    :data:`OPEN` / :data:`OVERDUE`; ``text``: words that must all appear (number, names, claim …)."""
    today = today or date.today()
    q = (select(Dispute).join(Dispute.case).options(
        contains_eager(Dispute.case).selectinload(Case.parties),
        contains_eager(Dispute.case).selectinload(Case.moves),
        *(defer(getattr(Dispute, n)) for n in SENSITIVE_FIELDS))
        .where(Case.programme == FLOW.programme).order_by(Case.year, Case.seq))
    if year is not None:
        q = q.where(Case.year == year)
    if stage not in (None, "", OPEN, OVERDUE):
        q = q.where(Case.stage == stage)
    labels, limit = choice_labels(session), mediation_limit(session)
    out = [to_row(d, labels, limit, today) for d in session.scalars(q)]
    if stage == OPEN:
        out = [r for r in out if not r.closed]
    elif stage == OVERDUE:
        out = [r for r in out if r.overdue]
    if text.strip():
        out = [r for r in out if _matches(r, text)]
    return out


def disputes(app: App, year: int | None, stage: str | None = None, text: str = "") -> list[DisputeRow]:
    """The list on the tab (see :func:`rows`)."""
    with app.db.session() as s:
        return rows(s, year, stage, text)


def years(app: App) -> list[int]:
    """The years with a dispute, and this year, newest first."""
    with app.db.session() as s:
        found = set(s.scalars(select(Case.year).where(Case.programme == FLOW.programme).distinct()))
    found.add(date.today().year)
    return sorted(found, reverse=True)


def party_row(p: CaseParty, labels: dict[str, dict[str, str]]) -> PartyRow:
    w = p.worker
    phone = p.phone or (w.phone if w is not None else None)
    number = p.id_number or (w.id_number if w is not None else None)
    unit = w.employer.name if w is not None and w.employer is not None else ""
    return PartyRow(id=p.id, role=p.role, name=p.name, worker_id=p.worker_id, organisation_id=p.organisation_id,
                    phone=mask_phone(phone) if phone else "", id_number=mask_id(number) if number else "",
                    capacity=p.capacity or "", capacity_label=_label(labels, "dp_handler", p.capacity),
                    note=p.note or "", unit=unit)


def next_stage_options(case: Case) -> list[tuple[str, str]]:
    return [(s.code, s.label) for s in FLOW.next_stages(case.stage)]


def detail(session: Session, dispute_id: int, *, today: date | None = None, sensitive_open: bool = False) -> DisputeDetail:
    d = dispute_of(session, dispute_id)
    c = d.case
    labels, limit = choice_labels(session), mediation_limit(session)
    values = {col.name: getattr(d, col.name) for col in describe(Dispute)}
    by_role = {role: [party_row(p, labels) for p in cases.parties(c, role)] for role in (WORKER, EMPLOYER, HANDLER)}
    return DisputeDetail(
        row=to_row(d, labels, limit, today or date.today()), values=values, sensitive_open=sensitive_open,
        workers=by_role[WORKER], employers=by_role[EMPLOYER], handlers=by_role[HANDLER],
        moves=move_rows(c, FLOW),
        attachments=attachment_rows(c),
        next_stages=next_stage_options(c), mediation_limit=limit,
        outcomes=list(labels.get("dp_outcome", {}).items()))


def dispute(app: App, dispute_id: int) -> DisputeDetail:
    """One dispute with everything the detail page shows (numbers masked; sensitive fields as the
    account may see them)."""
    with app.db.session() as s:
        return detail(s, dispute_id, sensitive_open=protected_fields.can_open(app))


def next_stages(app: App, dispute_id: int) -> list[tuple[str, str]]:
    """(code, label) of the stages the dispute may move to now (later ones, skipping allowed)."""
    with app.db.session() as s:
        return next_stage_options(dispute_of(s, dispute_id).case)


def counts(found: Sequence[DisputeRow]) -> dict[str, int]:
    """How many of ``found`` are at each stage (by label), with 逾期 for those overdue."""
    out: dict[str, int] = {}
    for r in found:
        out[r.stage_label] = out.get(r.stage_label, 0) + 1
    overdue = sum(r.overdue for r in found)
    if overdue:
        out["逾期"] = overdue
    return out
