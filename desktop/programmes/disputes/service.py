"""劳动争议调解's writes for the UI: each checks the account may write, opens one transaction and
returns what it changed (:class:`desktop.changes.Changes`, or :class:`~desktop.changes.Done` with
the new record's id). Refusals are :class:`~db.errors.ValidationError` (a Chinese message) or
:class:`~desktop.accounts.roles.PermissionDenied`, and nothing is written. The work itself is in
``casework``.

Sensitive fields (工伤情况, 健康状况, 月收入: ``Dispute.injury/health/income``) are written only by an
account holding the sensitive-information permission (the field key is then on the database). A
reader without it sees 「（受保护）」 (``db.protected.PROTECTED_TEXT``) in the form; that placeholder is
never written back, and an empty field from such a form leaves the stored value alone. Typing a
value without the permission is refused with ``DatabaseProblem("sensitive_locked")`` naming the
field, before anything is written.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from db.errors import DatabaseProblem
from db.protected import PROTECTED_TEXT, locked_problem
from desktop import protected_fields
from desktop.accounts.roles import WRITE
from desktop.changes import Changes, Done
from desktop.programmes.core import cases
from desktop.programmes.disputes import casework
from desktop.programmes.disputes.casework import SENSITIVE_FIELDS, label
from desktop.programmes.disputes.rules import FLOW

App = Any  # desktop.context.App

CASES, MOVES, PARTIES, ATTACHMENTS = "cases", "case_moves", "case_parties", "case_attachments"
DISPUTES = "dp_disputes"
#: Everything the tab shows: it refreshes on a change to any of these.
TABLES = (DISPUTES, CASES, MOVES, PARTIES, ATTACHMENTS, "workers", "organisations", "settings")
TEXT_LIMIT = 2000

__all__ = ["TABLES", "add_attachment", "add_handler", "add_party", "advance", "delete_dispute", "link_party",
           "open_dispute", "remove_attachment", "remove_party", "save_dispute"]


def _rows(dispute_id: int, case_id: int) -> list[tuple[str, int]]:
    return [(DISPUTES, dispute_id), (CASES, case_id)]


def sensitive_values(app: App, values: dict[str, Any]) -> dict[str, str | None]:
    """The sensitive fields of ``values`` that are to be written: the placeholder 「（受保护）」 is
    dropped; without the permission an empty field is dropped too (the form could not show the
    value) and a typed one refused (DatabaseProblem ``sensitive_locked``)."""
    out: dict[str, str | None] = {}
    may = protected_fields.can_open(app)
    for name in SENSITIVE_FIELDS:
        if name not in values:
            continue
        raw = values[name]
        text = "" if raw is None else str(raw).strip()
        if text == PROTECTED_TEXT:
            continue
        if not may:
            if not text:
                continue
            raise locked_problem(label(name), protected_fields.field_key(app)[1])
        if len(text) > TEXT_LIMIT:
            raise DatabaseProblem("too_long", f"{label(name)}超过 {TEXT_LIMIT} 个字（{len(text)} 个字）")
        out[name] = text or None
    return out


def open_dispute(app: App, values: dict[str, Any], at: datetime, *, workers: list[dict[str, Any]],
                 employer: dict[str, Any], note: str | None = None) -> Done[int]:
    """登记争议 at 预警 (预警信息, 窗口来访, 热线): ``values`` are Dispute fields (kind, source, claim,
    claim_amount, collective, headcount, facts, agencies, and the sensitive ones with the
    permission); ``workers`` dicts with ``worker_id`` or ``name``/``phone``/``id_number``;
    ``employer`` with ``organisation_id`` or ``name``. The new dispute's id comes back."""
    app.require(WRITE, "登记劳动争议")
    secret = sensitive_values(app, values)
    with app.db.session() as s:
        d = casework.open_dispute(s, values, at, workers=workers, employer=employer, note=note)
        for name, value in secret.items():
            setattr(d, name, value)
        s.flush()
        did, cid, number, text = d.id, d.case_id, d.case.number, d.case.summary
    return Done(did, Changes.of(DISPUTES, CASES, MOVES, PARTIES, rows=_rows(did, cid),
                                message=f"已登记{number}：{text}"))


def save_dispute(app: App, dispute_id: int, values: dict[str, Any]) -> Changes:
    """修改 the dispute's facts, agreement terms, amounts and 仲裁确认 date (sensitive fields only with
    the permission; the placeholder is never written)."""
    app.require(WRITE, "修改劳动争议")
    secret = sensitive_values(app, values)
    with app.db.session() as s:
        d = casework.save_dispute(s, dispute_id, values, secret)
        cid, number = d.case_id, d.case.number
    return Changes.of(DISPUTES, CASES, rows=_rows(dispute_id, cid), message=f"已保存{number}")


def advance(app: App, dispute_id: int, target: str, at: datetime, note: str | None = None,
            outcome: str | None = None) -> Changes:
    """推进 to a later stage (协商, 调解, 仲裁, 诉讼, 执行; skipping allowed) or 结案 with an outcome
    (a code of ``dp_outcome``: mediated 调解成功, withdrawn, arbitrated, judged, enforced)."""
    app.require(WRITE, "推进争议案件")
    with app.db.session() as s:
        d = casework.advance(s, dispute_id, target, at, note=note, outcome=outcome)
        cid, number = d.case_id, d.case.number
    return Changes.of(DISPUTES, CASES, MOVES, rows=_rows(dispute_id, cid),
                      message=f"{number}：{FLOW.label(target)}")


def add_party(app: App, dispute_id: int, role: str, values: dict[str, Any]) -> Done[int]:
    """Another worker (role ``worker``) or the employer (``employer``): ``values`` with worker_id /
    organisation_id, or name, phone, id_number, note. The party's id comes back."""
    app.require(WRITE, "添加当事人")
    with app.db.session() as s:
        p = casework.add_party(s, dispute_id, role, values)
        pid, name, cid = p.id, p.name, p.case_id
    return Done(pid, Changes.of(PARTIES, DISPUTES, CASES, rows=[(PARTIES, pid), *_rows(dispute_id, cid)],
                                message=f"已添加{name}"))


def add_handler(app: App, dispute_id: int, values: dict[str, Any]) -> Done[int]:
    """A handler (劳动法律监督员, 法律援助志愿者, 律师, 调解员): ``values`` with worker_id or name, phone,
    ``capacity`` (a code of ``dp_handler``), note. The party's id comes back."""
    app.require(WRITE, "添加经办人")
    with app.db.session() as s:
        p = casework.add_handler(s, dispute_id, values)
        pid, name, cid = p.id, p.name, p.case_id
    return Done(pid, Changes.of(PARTIES, DISPUTES, rows=[(PARTIES, pid), *_rows(dispute_id, cid)],
                                message=f"已添加经办人{name}"))


def link_party(app: App, party_id: int, *, worker_id: int | None = None,
               organisation_id: int | None = None) -> Changes:
    """关联名册: a worker named only becomes the register's worker (an employer: the register's unit)."""
    app.require(WRITE, "关联名册")
    with app.db.session() as s:
        p = casework.link_party(s, party_id, worker_id=worker_id, organisation_id=organisation_id)
        name, cid = p.name, p.case_id
        did = casework.dispute_for_case(s, cid).id
    return Changes.of(PARTIES, DISPUTES, CASES, rows=[(PARTIES, party_id), *_rows(did, cid)],
                      message=f"已关联名册：{name}")


def remove_party(app: App, party_id: int) -> Changes:
    """Remove a worker, the employer (not the last of either) or a handler."""
    app.require(WRITE, "移除当事人")
    with app.db.session() as s:
        name, d = casework.remove_party(s, party_id)
        did, cid = d.id, d.case_id
    return Changes.of(PARTIES, DISPUTES, CASES, rows=[(PARTIES, party_id), *_rows(did, cid)],
                      message=f"已移除{name}")


def add_attachment(app: App, dispute_id: int, name: str, on: date, note: str | None = None) -> Done[int]:
    """Note a paper of the case by name (申请书, 调解笔录, 调解协议书, 仲裁确认书)."""
    app.require(WRITE, "登记附件")
    with app.db.session() as s:
        d = casework.dispute_of(s, dispute_id)
        a = cases.add_attachment(s, d.case_id, name, on, note)
        aid, text, cid = a.id, a.name, d.case_id
    return Done(aid, Changes.of(ATTACHMENTS, DISPUTES, rows=[(ATTACHMENTS, aid), *_rows(dispute_id, cid)],
                                message=f"已登记附件：{text}"))


def remove_attachment(app: App, attachment_id: int) -> Changes:
    app.require(WRITE, "删除附件")
    with app.db.session() as s:
        text = cases.remove_attachment(s, attachment_id)
    return Changes.of(ATTACHMENTS, DISPUTES, rows=[(ATTACHMENTS, attachment_id)], message=f"已删除附件：{text}")


def delete_dispute(app: App, dispute_id: int) -> Changes:
    """Delete a dispute entered by mistake (only while still at 预警)."""
    app.require(WRITE, "删除劳动争议")
    with app.db.session() as s:
        number = casework.delete_dispute(s, dispute_id)
    return Changes.of(DISPUTES, CASES, MOVES, PARTIES, ATTACHMENTS, rows=[(DISPUTES, dispute_id)],
                      message=f"已删除{number}")

