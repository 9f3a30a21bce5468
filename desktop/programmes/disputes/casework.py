"""劳动争议调解's work over a session: opening a dispute with its worker(s) and employer, saving its
facts, moving it through its stages, the handlers. No Qt, no permission checks (``service`` checks
the account, then calls these inside one transaction); refusals are
:class:`~db.errors.ValidationError` with a Chinese message, raised before anything is written.

The rules beyond the case core's (``desktop.programmes.core.cases``: forward only, stages may be
skipped, 结案 names an outcome from ``dp_outcome``):

- a dispute has at least one worker and exactly one employer (each from the register, or named only:
  a name and phone at 预警, linked to the register later);
- a collective dispute (集体争议) involves ten or more workers (《劳动争议调解仲裁法》第七条: 劳动者一方在十人以上);
- the paid amount is not above the agreed amount;
- the 仲裁确认 date needs the outcome 调解成功, and is neither before the agreement (the day the case
  was closed, itself not before 调解) nor in the future.

Sensitive fields (injury, health, income) are not handled here: ``service`` decides who may write
them (db.protected refuses a write without the field key in any case).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import ValidationError
from db.models.core.cases import Case, CaseParty
from db.models.disputes import Dispute
from desktop.programmes.core import cases
from desktop.programmes.core.forms import first_error, validate_form
from desktop.programmes.core.records import get_or_refuse
from desktop.programmes.disputes.rules import EMPLOYER, FLOW, HANDLER, MEDIATED, MEDIATION, WORKER
from desktop.settings import choice_labels

NOT_FOUND = "该争议案件已不存在（可能已被删除）"
SENSITIVE_FIELDS = ("injury", "health", "income")
COLLECTIVE_MIN = 10  # 劳动者一方在十人以上
PARTY_FIELDS = ("worker_id", "organisation_id", "name", "phone", "id_number", "capacity", "note")


def dispute_of(session: Session, dispute_id: int, *, lock: bool = False) -> Dispute:
    return get_or_refuse(session, Dispute, dispute_id, NOT_FOUND, lock=lock)


def dispute_for_case(session: Session, case_id: int) -> Dispute:
    found = session.scalar(select(Dispute).where(Dispute.case_id == case_id))
    if found is None:
        raise ValidationError("not_found", NOT_FOUND)
    return found


def label(name: str) -> str:
    """A Dispute field's label (one description)."""
    return str(Dispute.__table__.c[name].info["field"].label)


def _code(labels: dict[str, dict[str, str]], choices: str, value: object, field_label: str) -> None:
    if value is not None and str(value) not in labels.get(choices, {}):
        raise ValidationError("field_invalid", f"{field_label}“{value}”不在选项中，请从列表中选择")


def clean_values(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """The dispute's fields (not the sensitive ones) checked against the description and the choice lists."""
    plain = {k: v for k, v in values.items() if k not in SENSITIVE_FIELDS}
    clean, errors = validate_form(Dispute, plain)
    first_error(errors)
    labels = choice_labels(session)
    _code(labels, "dp_kind", clean.get("kind"), label("kind"))
    _code(labels, "dp_source", clean.get("source"), label("source"))
    return clean


def summary_text(workers: list[str], employer: str, kind: str, *, collective: bool, headcount: int | None) -> str:
    """张三 诉 宁海县甲公司 欠薪; 张三等12人 诉 … for several workers or a collective dispute."""
    who = workers[0] if workers else "（未填劳动者）"
    if collective or len(workers) > 1:
        who += f"等{max(headcount or 0, len(workers))}人"
    return f"{who} 诉 {employer or '（未填用人单位）'} {kind}".strip()[:200]


def summary(session: Session, case: Case, dispute: Dispute) -> str:
    """What lists and the report picker name a dispute by (:func:`summary_text`)."""
    kind = choice_labels(session).get("dp_kind", {}).get(dispute.kind, dispute.kind or "")
    return summary_text([p.name for p in cases.parties(case, WORKER)], cases.party_names(case, EMPLOYER), kind,
                        collective=bool(dispute.collective), headcount=dispute.headcount)


def refresh_summary(session: Session, dispute: Dispute) -> None:
    session.flush()
    session.expire(dispute.case, ["parties"])
    dispute.case.summary = summary(session, dispute.case, dispute)
    session.flush()


def _check(dispute: Dispute, case: Case, *, today: date | None = None) -> None:
    """The rules that span fields (collective headcount, amounts, 仲裁确认)."""
    if dispute.collective and (dispute.headcount or 0) < COLLECTIVE_MIN:
        raise ValidationError("field_invalid", f"集体争议的{label('headcount')}应在十人以上（已填 {dispute.headcount or 0} 人）")
    if dispute.headcount is not None and dispute.headcount < 1:
        raise ValidationError("field_invalid", f"{label('headcount')}应至少为 1 人")
    agreed, paid = dispute.agreed_amount, dispute.paid_amount
    if agreed is not None and paid is not None and Decimal(paid) > Decimal(agreed):
        raise ValidationError("field_invalid", f"{label('paid_amount')}（{paid}）不能大于{label('agreed_amount')}（{agreed}）")
    on = dispute.confirmed_on
    if on is None:
        return
    what = label("confirmed_on")
    if case.outcome != MEDIATED or case.closed_at is None:
        raise ValidationError("field_invalid", f"只有结案结果为“调解成功”的案件才能填写{what}")
    mediated = cases.reached_at(case, MEDIATION)
    signed = case.closed_at.date()
    if mediated is not None and on < mediated.date():
        raise ValidationError("date_order", f"{what}不能早于进入调解的日期（{mediated:%Y-%m-%d}）")
    if on < signed:
        raise ValidationError("date_order", f"{what}不能早于调解协议达成（结案）的日期（{signed:%Y-%m-%d}）")
    if on > (today or date.today()):
        raise ValidationError("date_future", f"{what}不能晚于今天（{on:%Y-%m-%d}）")


def _party(session: Session, case_id: int, role: str, values: dict[str, Any]) -> CaseParty:
    unknown = set(values) - set(PARTY_FIELDS)
    if unknown:
        raise ValueError(f"unknown party fields: {sorted(unknown)}")
    args = {k: values.get(k) for k in PARTY_FIELDS}
    worker_id, organisation_id = args.pop("worker_id"), args.pop("organisation_id")
    return cases.add_party(session, case_id, role, worker_id=int(worker_id) if worker_id else None,
                           organisation_id=int(organisation_id) if organisation_id else None, **args)


def open_dispute(session: Session, values: dict[str, Any], at: datetime, *, workers: list[dict[str, Any]],
                 employer: dict[str, Any], note: str | None = None) -> Dispute:
    """A new dispute at 预警 (its case numbered 2026-TJ-0001) with its worker(s) and employer."""
    clean = clean_values(session, {"collective": False, **values})
    if not workers:
        raise ValidationError("field_invalid", "请至少填写一名劳动者（申请人）")
    if not employer or not (employer.get("organisation_id") or str(employer.get("name") or "").strip()):
        raise ValidationError("field_invalid", "请选择或填写用人单位（被申请人）")
    case = cases.open_case(session, FLOW, at, "", note=note)
    dispute = Dispute(case=case, **clean)
    if dispute.headcount is None:
        dispute.headcount = len(workers)
    session.add(dispute)
    for w in workers:
        _party(session, case.id, WORKER, {k: w.get(k) for k in ("worker_id", "name", "phone", "id_number", "note")})
    _party(session, case.id, EMPLOYER, {k: employer.get(k) for k in ("organisation_id", "name", "phone", "note")})
    _check(dispute, case)
    refresh_summary(session, dispute)
    return dispute


def save_dispute(session: Session, dispute_id: int, values: dict[str, Any], sensitive: dict[str, str | None]) -> Dispute:
    """Change the dispute's fields (``sensitive`` already decided by the caller)."""
    dispute = dispute_of(session, dispute_id, lock=True)
    clean = clean_values(session, values)
    for name, value in {**clean, **sensitive}.items():
        setattr(dispute, name, value)
    _check(dispute, dispute.case)
    refresh_summary(session, dispute)
    return dispute


def advance(session: Session, dispute_id: int, target: str, at: datetime, *, note: str | None = None,
            outcome: str | None = None, now: datetime | None = None) -> Dispute:
    """One stage forward (skipping allowed); 结案 names its outcome (a code of ``dp_outcome``)."""
    dispute = dispute_of(session, dispute_id)
    goal = FLOW.stage(target)
    if goal is not None and goal.closes and outcome:
        _code(choice_labels(session), "dp_outcome", outcome, "办理结果")
    elif outcome and (goal is None or not goal.closes):
        raise ValidationError("field_invalid", "只有结案时才填写办理结果")
    cases.move(session, FLOW, dispute.case_id, target, at, note=note, outcome=outcome, now=now)
    return dispute


def add_party(session: Session, dispute_id: int, role: str, values: dict[str, Any]) -> CaseParty:
    """Another worker (集体争议's representatives) or the employer named again after a removal."""
    if role not in (WORKER, EMPLOYER):
        raise ValidationError("field_invalid", "当事人只能是劳动者或用人单位（经办人请用“添加经办人”）")
    dispute = dispute_of(session, dispute_id)
    if role == EMPLOYER and cases.parties(dispute.case, EMPLOYER):
        raise ValidationError("duplicate", "本案已有用人单位；如需更换，请先移除原用人单位")
    party = _party(session, dispute.case_id, role, values)
    refresh_summary(session, dispute)
    return party


def add_handler(session: Session, dispute_id: int, values: dict[str, Any]) -> CaseParty:
    """A handler: 劳动法律监督员, 法律援助志愿者, 律师 (``capacity``: a code of ``dp_handler``)."""
    capacity = values.get("capacity")
    if not capacity:
        raise ValidationError("field_invalid", "请选择经办人的身份（劳动法律监督员、法律援助志愿者、律师等）")
    _code(choice_labels(session), "dp_handler", capacity, "经办人身份")
    dispute = dispute_of(session, dispute_id)
    return _party(session, dispute.case_id, HANDLER, values)


def party_of(session: Session, party_id: int) -> tuple[CaseParty, Dispute]:
    party = get_or_refuse(session, CaseParty, party_id, "该当事人已不存在")
    if party.case.programme != FLOW.programme:
        raise ValidationError("not_found", "该当事人已不存在")
    return party, dispute_for_case(session, party.case_id)


def link_party(session: Session, party_id: int, *, worker_id: int | None = None,
               organisation_id: int | None = None) -> CaseParty:
    party, dispute = party_of(session, party_id)
    if party.role == EMPLOYER and worker_id is not None:
        raise ValidationError("field_invalid", "用人单位只能关联到单位名册")
    if party.role == WORKER and worker_id is None:
        raise ValidationError("field_invalid", "劳动者只能关联到职工名册")
    cases.link_party(session, party_id, worker_id=worker_id, organisation_id=organisation_id)
    refresh_summary(session, dispute)
    return party


def remove_party(session: Session, party_id: int) -> tuple[str, Dispute]:
    party, dispute = party_of(session, party_id)
    if party.role in (WORKER, EMPLOYER) and len(cases.parties(dispute.case, party.role)) <= 1:
        who = "劳动者" if party.role == WORKER else "用人单位"
        raise ValidationError("in_use", f"{party.name}是本案唯一的{who}，不能移除（可先添加另一名再移除）")
    name = cases.remove_party(session, party_id)
    refresh_summary(session, dispute)
    return name, dispute


def delete_dispute(session: Session, dispute_id: int) -> str:
    """Delete a dispute entered by mistake (still at 预警); its number."""
    dispute = dispute_of(session, dispute_id, lock=True)
    case = dispute.case
    if case.stage != FLOW.first:
        raise ValidationError("in_use", f"{case.number}已“{FLOW.label(case.stage)}”，不能删除（只能删除误登记、尚未办理的案件）")
    case_id = case.id
    session.delete(dispute)
    session.flush()
    return cases.delete_case(session, FLOW, case_id)
