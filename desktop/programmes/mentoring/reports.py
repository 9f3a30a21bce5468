"""What 师徒结对 hands to others: the master's allowance list, the 拜师帖, worker facts, the CLI list.

The allowance is per apprentice per month (Settings: 师傅带徒津贴, 300 元 by default, 云锡), pro
rata by calendar days for a part month, rounded to the fen half up. It is computed from the
pairs' links, never stored. No Qt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.errors import ValidationError
from db.models.core.cultivation import MentorLink
from db.models.core.registers import Worker
from db.models.mentoring import MENTORING, ROLE_WORDS, Pair
from db.privacy import mask_id
from desktop import settings as app_settings
from desktop.params import record_param
from desktop.programmes.core.cultivation_fields import spec
from desktop.records import sequence_column
from desktop.registry import ReportContext, WorkerFact
from reports.cn_dates import date_cn
from reports.spec import PAYMENT_SIGNATURES, ColumnSpec, TableReport

FEN = Decimal("0.01")


# -- dates and money ----------------------------------------------------------------------------------


def add_months(d: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, days_in_month(year, month)))


def days_in_month(year: int, month: int) -> int:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return (nxt - date(year, month, 1)).days


def month_bounds(month: str) -> tuple[date, date]:
    """``2026-02`` -> (2026-02-01, 2026-02-28)."""
    try:
        y, m = (int(x) for x in str(month).strip().split("-")[:2])
        first = date(y, m, 1)
    except (TypeError, ValueError):
        raise ValidationError("month_invalid", f"月份“{month}”无效，格式应为 YYYY-MM") from None
    return first, date(y, m, days_in_month(y, m))


def term_end(pair: Pair) -> date:
    """The pair's last day: start plus the term, less a day (12 months from 1 March: 28/29 February)."""
    return add_months(pair.started_on, int(pair.term_months or 12)) - timedelta(days=1)


def last_day(pair: Pair, link: MentorLink) -> date:
    """An apprentice's last day in the pair: the link's end, the pair's end or the term's end."""
    return min([term_end(pair)] + [d for d in (link.ended_on, pair.ended_on) if d is not None])


def days_in(start: date, end: date, first: date, last: date) -> int:
    """Calendar days of [start, end] within [first, last] (both inclusive)."""
    return max(0, (min(end, last) - max(start, first)).days + 1)


def prorate(monthly: Decimal | int, days: int, month_days: int) -> Decimal:
    """``monthly × days ÷ month_days`` rounded to the fen, half up (exactly: no binary floats)."""
    if not 0 <= days <= month_days:
        raise ValueError(f"days {days} outside 0..{month_days}")
    exact = Fraction(Decimal(monthly)) * days * 100 / month_days
    cents = math.floor(exact + Fraction(1, 2))
    return (Decimal(cents) / 100).quantize(FEN)


def monthly_rate(session: Session) -> Decimal:
    return Decimal(int(app_settings.load(session).get("apprentice_allowance") or 0))


@dataclass(frozen=True)
class AllowanceLine:
    pair_id: int
    link_id: int
    master_id: int
    master: str
    master_id_number: str
    unit: str
    apprentice: str
    trade: str
    start: date  # the apprentice's days within the month
    end: date
    days: int
    month_days: int
    rate: Decimal
    amount: Decimal


def allowance(session: Session, month: str, rate: Decimal | None = None) -> list[AllowanceLine]:
    """One line per apprentice with days in ``month``: the master's allowance for that apprentice."""
    first, last = month_bounds(month)
    rate = monthly_rate(session) if rate is None else Decimal(rate)
    n = (last - first).days + 1
    pairs = {p.id: p for p in session.scalars(select(Pair).options(
        selectinload(Pair.master).selectinload(Worker.employer)))}
    links = session.scalars(select(MentorLink).where(MentorLink.programme == MENTORING, MentorLink.started_on <= last)
                            .options(selectinload(MentorLink.mentee))).all()
    out = []
    for lk in links:
        p = pairs.get(lk.ref_id)
        if p is None:
            continue
        end = last_day(p, lk)
        days = days_in(lk.started_on, end, first, last)
        if days == 0:
            continue
        m = p.master
        out.append(AllowanceLine(p.id, lk.id, m.id, m.name, m.id_number, m.employer.name if m.employer else "",
                                 lk.mentee.name, p.trade, max(lk.started_on, first), min(end, last), days, n, rate,
                                 prorate(rate, days, n)))
    out.sort(key=lambda a: (a.unit, a.master, a.pair_id, a.link_id))
    return out


def allowance_report(session: Session, params: dict[str, Any], ctx: ReportContext) -> TableReport:
    """师傅带徒津贴发放表 for one month (the payment list handed to finance)."""
    month = params.get("month")
    if not month:
        raise ValidationError("month_missing", "请选择月份（YYYY-MM）")
    first, _last = month_bounds(str(month))
    lines = allowance(session, str(month))
    rows: list[tuple[object, ...]] = []
    for i, a in enumerate(lines, 1):
        period = f"{a.start.month}月{a.start.day}日—{a.end.month}月{a.end.day}日"
        rows.append((i, a.master, a.master_id_number if ctx.full else mask_id(a.master_id_number), a.unit,
                     a.apprentice, a.trade, period, f"{a.days}/{a.month_days}", a.rate, a.amount, ""))
    total = sum((a.amount for a in lines), Decimal("0.00"))
    rows.append(("合计", "", "", "", f"{len(lines)} 人次", "", "", "", None, total, ""))
    rate = lines[0].rate if lines else monthly_rate(session)
    return TableReport(
        title=f"{first.year}年{first.month}月师傅带徒津贴发放表",
        columns=[replace(sequence_column(), kind="text"), spec(Pair, "master_id", key="master", width=8),
                 spec(Worker, "id_number", key="id", width=20), spec(Worker, "employer_id", key="unit", width=22),
                 spec(MentorLink, "mentee_id", key="apprentice", width=8, words=ROLE_WORDS),
                 spec(Pair, "trade", width=10),
                 ColumnSpec("period", "本月带徒期间", 14), ColumnSpec("days", "天数", 6),
                 ColumnSpec("rate", "标准（元/月）", 8, "amount"), ColumnSpec("amount", "金额（元）", 10, "amount"),
                 ColumnSpec("sign", "领取人签字", 14, handwritten=True)],
        rows=rows, union_name=ctx.union_name, printed_on=ctx.today, signatures=PAYMENT_SIGNATURES,
        subtitle=f"标准：每带一名徒弟每月 {rate:,.0f} 元，不足整月的按日历天数折算",
        footnote="金额按“标准 × 本月带徒天数 ÷ 本月天数”计算，四舍五入到分。", landscape=True)


# -- 拜师帖 ---------------------------------------------------------------------------------------------


def letter_report(session: Session, params: dict[str, Any], ctx: ReportContext) -> list[Any]:
    """The 拜师帖 of a pair: one page per apprentice (plain data for reports.apprentice_letter)."""
    from reports.apprentice_letter import Letter

    p = record_param(session, Pair, params.get("pair"), "师徒结对", "（见 pairs --json）")
    pair_id = p.id
    links = session.scalars(select(MentorLink).where(MentorLink.programme == MENTORING, MentorLink.ref_id == p.id)
                            .options(selectinload(MentorLink.mentee).selectinload(Worker.employer))
                            .order_by(MentorLink.started_on, MentorLink.id)).all()
    if not links:
        raise ValidationError("no_apprentice", f"师徒结对 {pair_id}（{p.master.name}）还没有徒弟，无法打印拜师帖")
    issuer = str(app_settings.load(session).get("issuer") or "") or ctx.union_name
    return [Letter(master=p.master.name, apprentice=lk.mentee.name, trade=p.trade,
                   on=p.ceremony_on if p.ceremony_on and p.ceremony_on >= lk.started_on else lk.started_on,
                   unit=lk.mentee.employer.name if lk.mentee.employer else "", term_months=p.term_months,
                   goals=p.goals or "", witness=issuer) for lk in links]


def write_letter(letters: list[Any], out: Path) -> None:
    from reports.apprentice_letter import write_letters
    from reports.fonts import find_fonts

    write_letters(letters, out, find_fonts())


# -- worker facts and the CLI list --------------------------------------------------------------------------


def worker_facts(session: Session, worker_id: int) -> list[WorkerFact]:
    """The worker as master (with the apprentices) and as apprentice (with the grade gained)."""
    facts: list[WorkerFact] = []
    links = session.scalars(select(MentorLink).where(MentorLink.programme == MENTORING).where(
        (MentorLink.mentor_id == worker_id) | (MentorLink.mentee_id == worker_id))
        .options(selectinload(MentorLink.mentor), selectinload(MentorLink.mentee))).all()
    pairs = {p.id: p for p in session.scalars(select(Pair).where(
        (Pair.master_id == worker_id) | Pair.id.in_([lk.ref_id for lk in links])))}
    for p in pairs.values():
        if p.master_id == worker_id:
            names = "、".join(lk.mentee.name for lk in links if lk.ref_id == p.id) or "（尚无徒弟）"
            facts.append(WorkerFact(MENTORING, f"师傅（{p.trade}）", f"徒弟：{names}", p.started_on, "pair"))
    for lk in links:
        if lk.mentee_id == worker_id:
            p = pairs.get(lk.ref_id)
            facts.append(WorkerFact(MENTORING, f"拜{lk.mentor.name}为师（{p.trade if p else ''}）",
                                    f"{date_cn(lk.ended_on, arabic=True)}结束" if lk.ended_on else "", lk.started_on,
                                    "pair"))
            if lk.outcome_on:
                facts.append(WorkerFact(MENTORING, "结对成效：技能等级提升", lk.outcome_note or "", lk.outcome_on,
                                        "outcome"))
    return facts


def pairs_json(session: Session) -> list[dict[str, Any]]:
    """``pairs --json``: ``{"id", "master", "apprentices": [names], "trade", "start"}`` per pair."""
    names: dict[int, list[str]] = {}
    for ref_id, name in session.execute(select(MentorLink.ref_id, Worker.name)
                                        .join(Worker, Worker.id == MentorLink.mentee_id)
                                        .where(MentorLink.programme == MENTORING)
                                        .order_by(MentorLink.started_on, MentorLink.id)):
        if name not in names.setdefault(ref_id, []):
            names[ref_id].append(name)
    out = []
    for p in session.scalars(select(Pair).options(selectinload(Pair.master)).order_by(Pair.id)):
        out.append({"id": p.id, "master": p.master.name, "apprentices": names.get(p.id, []), "trade": p.trade,
                    "start": p.started_on.isoformat()})
    return out
