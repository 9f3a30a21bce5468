"""What 劳动争议调解 prints: the 调解协议书 of one dispute (``reports.mediation_agreement``), the case
ledger (劳动争议调解台账) of a year and the monthly counts (劳动争议月度统计表) by kind, stage and
outcome. Plain data for ``reports``; no Qt.

The agreement prints the worker's ID number whole only with ``ctx.full`` (the report runner grants
it through the sensitive-information permission and logs it); otherwise masked, with beside it
only what ``db.privacy`` allows (sex, year and month of birth). The ledger never prints a sensitive
field's content: its 敏感信息 column says which are recorded, or 「（受保护）」 to a reader without
the permission.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager, defer

from db.errors import ValidationError
from db.models.core.cases import Case, CaseParty
from db.models.disputes import Dispute
from db.privacy import mask_id
from db.protected import PROTECTED_TEXT
from db.validators import id_info
from desktop.programmes.core import cases
from desktop.programmes.core.cultivation_fields import label, spec
from desktop.programmes.disputes import queries
from desktop.programmes.disputes.casework import SENSITIVE_FIELDS, dispute_of
from desktop.programmes.disputes.rules import CLOSED, EMPLOYER, FLOW, HANDLER, MEDIATED, MEDIATION, WORKER
from desktop.records import sequence_column
from desktop.registry import ReportContext
from desktop.settings import load as load_settings
from reports.cn_dates import date_cn, year_cn, year_month_cn
from reports.mediation_agreement import Agreement, Applicant
from reports.spec import ColumnSpec, TableReport

#: the stages a dispute may be in while open (the monthly table's columns)
OPEN_STAGES = tuple(s.code for s in FLOW.stages if not s.closes)


def _year(params: dict[str, Any], today: date) -> int:
    try:
        return int(params.get("year") or today.year)
    except (TypeError, ValueError):
        raise ValidationError("year_invalid", f"年度“{params.get('year')}”无效") from None


def month_bounds(month: object) -> tuple[date, date]:
    """``2026-02`` -> (2026-02-01, 2026-02-28)."""
    try:
        y, m = (int(x) for x in str(month).strip().split("-")[:2])
        first = date(y, m, 1)
    except (TypeError, ValueError):
        raise ValidationError("month_invalid", f"月份“{month}”无效，格式应为 YYYY-MM") from None
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def stage_code(value: object) -> str | None:
    """A stage filter typed as its code (mediation) or its label (调解); None for all."""
    text = str(value or "").strip()
    if not text:
        return None
    for s in FLOW.stages:
        if text in (s.code, s.label):
            return s.code
    if text in (queries.OPEN, "在办", "未结案"):
        return queries.OPEN
    if text in (queries.OVERDUE, "逾期"):
        return queries.OVERDUE
    names = "、".join(s.label for s in FLOW.stages)
    raise ValidationError("field_invalid", f"阶段“{text}”无效，应为：{names}、在办或逾期")


# -- 调解协议书 ----------------------------------------------------------------------------------------------


def agreement_number(case: Case) -> str:
    """``2026-TJ-0003`` -> ``〔2026〕TJ-0003号``."""
    return f"〔{case.year}〕{FLOW.code}-{case.seq:04d}号"


def _applicant(p: CaseParty, ctx: ReportContext) -> Applicant:
    genders = ctx.labels.get("gender", {})
    w = p.worker
    number = (w.id_number if w is not None else p.id_number) or ""
    sex, born = "", None
    if w is not None:
        sex, born = genders.get(w.gender or "", ""), w.birth_date
    if number and (not sex or born is None):
        try:
            info = id_info(number)
            sex, born = sex or genders.get(info.gender, ""), born or info.birth_date
        except ValidationError:
            pass
    shown = number if ctx.full else mask_id(number) if number else ""
    return Applicant(name=p.name, sex=sex, birth=f"{born.year}年{born.month}月" if born else "", id_number=shown)


_AMOUNT = re.compile(r"([0-9][0-9,]*(?:\.[0-9]{1,2})?)\s*元")


def _terms(d: Dispute) -> tuple[str, ...]:
    terms = [t.strip() for t in (d.terms or "").split("\n") if t.strip()]
    agreed = d.agreed_amount
    if agreed is None:
        return tuple(terms)
    named = {Decimal(m.group(1).replace(",", "")) for t in terms for m in _AMOUNT.finditer(t)}
    if Decimal(agreed) not in named:
        terms.append(f"被申请人同意支付申请人{agreed}元" if not terms else f"以上款项合计{agreed}元")
    return tuple(terms)


def agreement(session: Session, params: dict[str, Any], ctx: ReportContext) -> list[Agreement]:
    """The 调解协议书 of one dispute (``dispute=ID``): refused unless it reached 调解 and closed 调解成功."""
    raw = params.get("dispute")
    if raw in (None, "", 0, "0"):
        raise ValidationError("field_invalid", "请选择要打印调解协议书的争议案件")
    try:
        d = dispute_of(session, int(str(raw)))
    except ValueError:
        raise ValidationError("field_invalid", f"争议案件编号“{raw}”无效") from None
    c = d.case
    mediated = cases.reached_at(c, MEDIATION)
    if mediated is None:
        raise ValidationError("not_mediated", f"{c.number}尚未进入调解阶段，不能打印调解协议书")
    if c.stage != CLOSED or c.outcome != MEDIATED or c.closed_at is None:
        now = ctx.labels.get("dp_outcome", {}).get(c.outcome or "", "") or FLOW.label(c.stage)
        raise ValidationError("not_mediated", f"{c.number}的办理结果不是“调解成功”（现为“{now}”），不能打印调解协议书")
    employer = next(iter(cases.parties(c, EMPLOYER)), None)
    org = employer.organisation if employer is not None else None
    workers = cases.parties(c, WORKER)
    return [Agreement(
        number=agreement_number(c), applicants=tuple(_applicant(p, ctx) for p in workers),
        employer=employer.name if employer is not None else "", signed_on=c.closed_at.date(),
        organisation=str(load_settings(session).get("mediation_body") or "").strip() or ctx.union_name, kind=ctx.labels.get("dp_kind", {}).get(d.kind, d.kind), claim=d.claim or "",
        claim_amount=d.claim_amount,
        facts=d.facts or "", terms=_terms(d), employer_address=(org.address or "") if org is not None else "",
        employer_contact=(org.contact or "") if org is not None else "",
        mediators=tuple(p.name for p in cases.parties(c, HANDLER)),
        collective=max(d.headcount or 0, len(workers)) if d.collective else None, applied_on=mediated.date(),
        confirmed_on=d.confirmed_on)]


def write_agreement(built: list[Agreement], out: Path) -> None:
    from reports.fonts import find_fonts
    from reports.mediation_agreement import write_agreements

    write_agreements(built, out, find_fonts())


# -- 台账 ----------------------------------------------------------------------------------------------------


def _when(at: datetime, year: int) -> str:
    return f"{at:%m-%d}" if at.year == year else f"{at:%Y-%m-%d}"


def _path(r: queries.DisputeRow) -> str:
    """The stages after the first, one a line (调解 03-12 / 结案 03-20), then the 仲裁确认 date."""
    later = sorted(((c, at) for c, at in r.reached.items() if c != FLOW.first), key=lambda kv: (kv[1], FLOW.rank(kv[0])))
    lines = [f"{FLOW.label(code)} {_when(at, r.year)}" for code, at in later]
    if r.confirmed_on is not None:
        lines.append(f"仲裁确认 {_when(datetime.combine(r.confirmed_on, datetime.min.time()), r.year)}")
    return "\n".join(lines)


def _who(r: queries.DisputeRow) -> str:
    """The workers, one name a line (the column never wraps, so no name breaks): 张三, 许欣 / 等23人."""
    names = [n for n in r.workers.split("、") if n]
    count = max(r.headcount or 0, len(names)) if r.collective else len(names)
    if count > 2 or r.collective:
        return f"{names[0]}\n等{count}人" if names else f"等{count}人"
    return "\n".join(names)


def _handlers(session: Session, ids: list[int]) -> dict[int, str]:
    out: dict[int, list[str]] = {}
    q = (select(Dispute.id, CaseParty.name).join(CaseParty, CaseParty.case_id == Dispute.case_id)
         .where(Dispute.id.in_(ids), CaseParty.role == HANDLER).order_by(CaseParty.id))
    for did, name in session.execute(q):
        out.setdefault(did, []).append(name)
    return {k: "\n".join(v) for k, v in out.items()}  # one a line: a name never breaks


def _protected(session: Session, ids: list[int]) -> dict[int, str]:
    """Per dispute: which sensitive fields are recorded (never their content), or 「（受保护）」."""
    out: dict[int, str] = {}
    cols = [getattr(Dispute, n) for n in SENSITIVE_FIELDS]
    for did, *values in session.execute(select(Dispute.id, *cols).where(Dispute.id.in_(ids))):
        if any(v == PROTECTED_TEXT for v in values):
            out[did] = PROTECTED_TEXT
        else:
            out[did] = "、".join(label(Dispute, n) for n, v in zip(SENSITIVE_FIELDS, values, strict=True) if v)
    return out


def ledger(session: Session, params: dict[str, Any], ctx: ReportContext) -> TableReport:
    """劳动争议调解台账: every dispute opened in the year (optionally at one stage), with its path.
    The 办理经过 column lists the stages after 预警 (the day it was registered) with their dates, and
    the 仲裁确认 date."""
    year = _year(params, ctx.today)
    stage = stage_code(params.get("stage"))
    found = queries.rows(session, year, stage, today=ctx.today)
    limit = queries.mediation_limit(session)
    ids = [r.id for r in found]
    secret = _protected(session, ids) if ids else {}
    handlers = _handlers(session, ids) if ids else {}
    rows: list[tuple[object, ...]] = []
    for i, r in enumerate(found, 1):
        mark = "逾期" if r.overdue else "超期" if r.lapsed else ""
        rows.append((i, r.number, r.opened_at.date(), r.source_label, _who(r), r.employer, r.kind_label, r.claim,
                     r.claim_amount, handlers.get(r.id, ""), _path(r), r.outcome_label, r.agreed_amount,
                     r.paid_amount, r.days_open, mark, secret.get(r.id, "")))
    agreed = sum((r.agreed_amount or Decimal(0) for r in found), Decimal("0.00"))
    paid = sum((r.paid_amount or Decimal(0) for r in found), Decimal("0.00"))
    overdue = sum(r.overdue for r in found)
    claimed = sum((r.claim_amount or Decimal(0) for r in found), Decimal("0.00"))
    rows.append(("合计", f"{len(found)} 件", None, "", "", "", "", "", claimed, "", "", "", agreed, paid, None,
                 f"{overdue} 件" if overdue else "", ""))
    closed = sum(r.closed for r in found)
    mediated = sum(r.outcome == MEDIATED for r in found)
    scope = {None: "", queries.OPEN: "（在办）", queries.OVERDUE: "（调解逾期）"}.get(stage, f"（{FLOW.label(stage)}）")
    return TableReport(
        title=f"{year_cn(year)}劳动争议调解台账{scope}",
        columns=[replace(sequence_column(), kind="text"), replace(spec(Case, "number", width=13), kind="id"),
                 spec(Case, "opened_at", key="opened", width=10), spec(Dispute, "source", width=8),
                 ColumnSpec("workers", "劳动者", 11, "id"), ColumnSpec("employer", "用人单位", 18),
                 spec(Dispute, "kind", width=8), spec(Dispute, "claim", width=20),
                 replace(spec(Dispute, "claim_amount", width=10), kind="amount"),
                 ColumnSpec("handlers", "经办人", 10, "id"), ColumnSpec("path", "办理经过", 14, "id"),
                 ColumnSpec("outcome", "办理结果", 8),
                 replace(spec(Dispute, "agreed_amount", width=10), kind="amount"),
                 replace(spec(Dispute, "paid_amount", width=10), kind="amount"),
                 ColumnSpec("days", "办理天数", 4, "int"),
                 ColumnSpec("overdue", "调解期限", 4), ColumnSpec("secret", "敏感信息", 10)],
        rows=rows, union_name=ctx.union_name, printed_on=ctx.today, landscape=True,
        subtitle=f"截至{date_cn(min(ctx.today, date(year, 12, 31)))}：共 {len(found)} 件，已结案 {closed} 件，"
                 f"其中调解成功 {mediated} 件",
        footnote=f"调解期限为 {limit} 日（《劳动争议调解仲裁法》第十四条，见设置）：“逾期”为仍在调解且已超过期限的案件，"
                 "“超期”为调解超过期限后转入下一阶段的案件。办理天数自登记之日起算至结案（未结案的至今）。"
                 "工伤情况、健康状况、月收入等敏感信息不印入台账。")


# -- 月度统计表 ----------------------------------------------------------------------------------------------


def _stage_on(case: Case, end: datetime) -> str | None:
    """The stage ``case`` was at on ``end`` (None: not yet opened)."""
    before = [m for m in case.moves if m.at <= end]
    return max(before, key=lambda m: (m.at, m.id)).stage if before else None


def monthly(session: Session, params: dict[str, Any], ctx: ReportContext) -> TableReport:
    """劳动争议月度统计表: per kind, received in the month, at each stage at the month's end, closed in
    the month by outcome, and the agreed and paid amounts of those closed."""
    month = params.get("month")
    if not month:
        raise ValidationError("month_missing", "请选择月份（YYYY-MM）")
    first, last = month_bounds(month)
    end = datetime.combine(last, datetime.max.time())
    start = datetime.combine(first, datetime.min.time())
    q = (select(Dispute).join(Dispute.case)
         .options(contains_eager(Dispute.case).selectinload(Case.moves), *(defer(getattr(Dispute, n)) for n in SENSITIVE_FIELDS))
         .where(Case.programme == FLOW.programme, Case.opened_at <= end))
    disputes = [d for d in session.scalars(q) if d.case.closed_at is None or d.case.closed_at >= start]
    kinds = dict(ctx.labels.get("dp_kind", {}))
    outcomes = dict(ctx.labels.get("dp_outcome", {}))
    for d in disputes:
        kinds.setdefault(d.kind, d.kind)
    table: dict[str, Counter[str]] = {k: Counter() for k in kinds}
    money: dict[str, list[Decimal]] = {k: [Decimal("0.00"), Decimal("0.00")] for k in kinds}
    for d in disputes:
        c, t = d.case, table[d.kind]
        if c.opened_at >= start:
            t["received"] += 1
            t["people"] += max(d.headcount or 0, 1)
            t["collective"] += bool(d.collective)
        at = _stage_on(c, end)
        if at in OPEN_STAGES:
            t[at] += 1
        if c.closed_at is not None and start <= c.closed_at <= end:
            t["closed"] += 1
            t["out:" + (c.outcome or "")] += 1
            money[d.kind][0] += d.agreed_amount or Decimal(0)
            money[d.kind][1] += d.paid_amount or Decimal(0)
    keys = ["received", "collective", "people", *OPEN_STAGES, "closed", *("out:" + o for o in outcomes)]
    rows: list[tuple[object, ...]] = []
    totals: Counter[str] = Counter()
    sums = [Decimal("0.00"), Decimal("0.00")]
    for i, (code, name) in enumerate(kinds.items(), 1):
        t = table[code]
        totals.update(t)
        sums = [sums[0] + money[code][0], sums[1] + money[code][1]]
        rows.append((i, name, *(t.get(k, 0) for k in keys), money[code][0], money[code][1]))
    rows.append(("合计", "", *(totals.get(k, 0) for k in keys), sums[0], sums[1]))
    columns = [replace(sequence_column(), kind="text"), spec(Dispute, "kind", width=8),
               ColumnSpec("received", "本月受理", 6, "int"), ColumnSpec("collective", "其中集体争议", 6, "int"),
               ColumnSpec("people", "涉及劳动者（人）", 6, "int")]
    columns += [ColumnSpec(s, f"月末{FLOW.label(s)}中", 6, "int") for s in OPEN_STAGES]
    columns.append(ColumnSpec("closed", "本月结案", 6, "int"))
    columns += [ColumnSpec("out_" + o, f"结案：{name}", 6, "int") for o, name in outcomes.items()]
    columns += [replace(spec(Dispute, "agreed_amount", width=11), kind="amount"),
                replace(spec(Dispute, "paid_amount", width=11), kind="amount")]
    mediated = totals.get("out:" + MEDIATED, 0)
    rate = f"，调解成功率 {mediated / totals['closed']:.0%}" if totals.get("closed") else ""
    return TableReport(
        title=f"{year_month_cn(first.year, first.month)}劳动争议月度统计表", columns=columns, rows=rows,
        union_name=ctx.union_name, printed_on=ctx.today, landscape=True,
        subtitle=f"统计期间：{date_cn(first)}至{date_cn(last)}；本月受理 {totals.get('received', 0)} 件，"
                 f"结案 {totals.get('closed', 0)} 件{rate}",
        footnote="“月末××中”为月末仍在该阶段的案件数；协议金额、已履行金额为本月结案案件的合计。")
