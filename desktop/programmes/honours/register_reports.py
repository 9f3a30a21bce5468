"""The holder register's prints (PDF and Excel): 劳模工匠名册 by title and level, the year's
劳模待遇 list (疗休养、体检、医疗互助) with who is still due, and holders per title per year.
ID numbers are masked unless the clerk asks for them in full (the report runner logs it). No Qt.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from db.choices import CHOICES
from db.errors import ValidationError
from db.fields import column
from db.models.core.registers import Worker
from db.models.core.selection import Holding
from db.models.honours import HonourTitle
from db.privacy import mask_id
from desktop.programmes.core.cultivation_fields import spec
from desktop.programmes.honours import holders
from desktop.programmes.honours.titles import all_titles, get_title
from desktop.records import sequence_column
from desktop.registry import ReportContext, ReportParam, ReportSpec
from reports.cn_dates import date_cn
from reports.spec import ColumnSpec, TableReport

LEVEL_ORDER = {code: i for i, (code, _label) in enumerate(CHOICES["honour_level"])}


def _year(params: dict[str, Any], today: date) -> int:
    try:
        return int(params.get("year") or today.year)
    except (TypeError, ValueError):
        raise ValidationError("year_invalid", f"年度“{params.get('year')}”无效") from None


def _label(ctx: ReportContext, key: str, code: str | None) -> str:
    return ctx.labels.get(key, {}).get(code or "", code or "")


# -- 劳模工匠名册 ---------------------------------------------------------------------------------------


def roster(session: Session, params: dict[str, Any], ctx: ReportContext) -> TableReport:
    """Everyone holding a title today (optionally one title or one level), by level, title, date."""
    title_id = get_title(session, int(params["title"])).id if params.get("title") else None
    level = params.get("level") or None
    order = {t.id: t.sort_order for t in all_titles(session)}
    kept = [h for h in holders.holdings(session, title_id=title_id) if level is None or h.level == level]
    held = [h for h in kept if h.named_on <= ctx.today and (h.ended_on is None or h.ended_on > ctx.today)]
    ended = [h for h in kept if h not in held and h.named_on <= ctx.today]
    held.sort(key=lambda h: (LEVEL_ORDER.get(h.level or "", 9), order.get(h.award_id or 0, 0), h.title,
                             h.named_on, h.id))
    rows = []
    for i, h in enumerate(held, 1):
        w = h.worker
        ident = (w.id_number if ctx.full else mask_id(w.id_number)) if w is not None else ""
        who = holders.holder_name(h) if w is not None else (h.team or holders.holder_unit(h))
        rows.append((i, h.title, _label(ctx, "honour_level", h.level), who,
                     _label(ctx, "gender", w.gender) if w is not None else "集体", ident, holders.holder_unit(h),
                     h.year, h.named_on, h.body or "", h.document or ""))
    people = sum(1 for h in held if h.worker_id is not None)
    subtitle = f"共 {len(held)} 名（个）：个人 {people} 名，集体 {len(held) - people} 个；{len(set(h.title for h in held))} 种称号"
    scope = "".join(x for x in (_label(ctx, "honour_level", level) if level else "",
                                get_title(session, title_id).name if title_id else "") if x)
    footnote = f"截至{date_cn(ctx.today)}。"
    if ended:
        footnote += "已终止称号：" + "；".join(f"{holders.holder_name(h)}（{h.title}，{h.end_reason or ''}）"
                                          for h in ended[:20]) + ("等" if len(ended) > 20 else "")
    return TableReport(
        title=f"{scope}劳模工匠名册" if scope else "劳模工匠名册",
        columns=[sequence_column(), spec(Holding, "title", width=22), spec(Holding, "level", width=6),
                 spec(Holding, "worker_id", key="holder", width=14), spec(Worker, "gender", width=5),
                 spec(Worker, "id_number", key="id", width=20), spec(Holding, "organisation_id", key="unit", width=24),
                 spec(Holding, "year", width=6), spec(Holding, "named_on", width=11), spec(Holding, "body", width=16),
                 spec(Holding, "document", width=14)],
        rows=rows, union_name=ctx.union_name, subtitle=subtitle if held else "", printed_on=ctx.today,
        footnote=footnote, landscape=True)


# -- 劳模待遇落实名单 -------------------------------------------------------------------------------------


def benefits(session: Session, params: dict[str, Any], ctx: ReportContext) -> TableReport:
    """One line per holder entitled in the year: each benefit's date (or 未落实) and what is still due."""
    year = _year(params, ctx.today)
    kinds = [code for code, _l in CHOICES["benefit_kind"]]
    day = holders.year_day(year, ctx.today)
    entitled = holders.entitled_on(session, day)
    given: dict[int, dict[str, Any]] = {}
    for b in holders.benefits(session, year=year):
        given.setdefault(b.worker_id, {})[b.kind] = b
    ids = set(entitled) | set(given)
    people = {w.id: w for w in (session.get(Worker, i) for i in ids) if w is not None}
    rows = []
    still = 0
    for i, wid in enumerate(sorted(ids, key=lambda x: (people[x].employer.name if people[x].employer else "",
                                                      people[x].name, x)), 1):
        w = people[wid]
        cells = []
        missing = []
        for k in kinds:
            b = given.get(wid, {}).get(k)
            if b is None:
                cells.append("未落实")
                missing.append(_label(ctx, "benefit_kind", k))
            else:
                cells.append(f"{b.given_on:%Y-%m-%d}" if b.given_on else "已落实")
        still += bool(missing) and wid in entitled
        titles = "、".join(dict.fromkeys(h.title for h in entitled.get(wid, []))) or "（称号已终止）"
        rows.append((i, w.name, w.employer.name if w.employer else "", titles, *cells,
                     ("待落实：" + "、".join(missing)) if missing and wid in entitled else ""))
    columns = [sequence_column(), spec(Worker, "name", width=8), spec(Worker, "employer_id", key="unit", width=24),
               spec(Holding, "title", width=22)]
    columns += [ColumnSpec(k, _label(ctx, "benefit_kind", k), 12, "text") for k in kinds]
    columns.append(ColumnSpec("due", "本年待落实", 30))
    return TableReport(
        title=f"{year}年度劳模工匠疗休养、体检等待遇落实名单", columns=columns, rows=rows,
        union_name=ctx.union_name, printed_on=ctx.today,
        subtitle=f"享受劳模待遇 {len(entitled)} 人，尚有 {still} 人待落实" if rows else "",
        footnote="每年组织劳模工匠疗休养、免费体检，赠送职工医疗互助保障；表中日期为落实日期。", landscape=True)


# -- 历年获得者统计 ----------------------------------------------------------------------------------------


def by_year(session: Session, params: dict[str, Any], ctx: ReportContext) -> TableReport:
    """Holders named per title per year (the ten years up to ``year``), with totals."""
    last = _year(params, ctx.today)
    counts: Counter[tuple[int | None, str, int]] = Counter()
    for h in holders.holdings(session):
        if last - 9 <= h.year <= last:
            counts[(h.award_id, h.title, h.year)] += 1
    years = list(range(min((y for _a, _t, y in counts), default=last), last + 1))  # contiguous, to ``year``
    order = {t.id: (LEVEL_ORDER.get(t.level, 9), t.sort_order) for t in all_titles(session)}
    levels = {t.id: t.level for t in all_titles(session)}
    keys = sorted({(a, t) for a, t, _y in counts}, key=lambda k: (order.get(k[0] or 0, (9, 0)), k[1]))
    rows: list[tuple[object, ...]] = []
    for i, (award_id, title) in enumerate(keys, 1):
        per = [counts.get((award_id, title, y), 0) for y in years]
        rows.append((i, title, _label(ctx, "honour_level", levels.get(award_id or 0)), *per, sum(per)))
    totals = [sum(counts.get((a, t, y), 0) for a, t in keys) for y in years]
    rows.append(("合计", "", "", *totals, sum(totals)))
    columns = [ColumnSpec("seq", "序号", 5, "text"), spec(Holding, "title", width=20), spec(Holding, "level", width=6)]
    columns += [ColumnSpec(f"y{y}", f"{y}年", 7, "int") for y in years]
    columns.append(ColumnSpec("total", "合计", 7, "int"))
    return TableReport(
        title=f"{years[0]}—{years[-1]}年劳模工匠获得者统计表" if len(years) > 1 else f"{years[0]}年劳模工匠获得者统计表",
        columns=columns, rows=rows, union_name=ctx.union_name, printed_on=ctx.today,
        subtitle="按命名年度统计（含已终止的称号），单位：名（个）", landscape=len(years) > 6)


def report_specs() -> tuple[ReportSpec, ...]:
    """The three register reports, for ``declare()`` of the honours package."""
    title = ReportParam("title", column(HonourTitle, "name").label, "ref", ref="hn_titles")
    level = ReportParam("level", column(HonourTitle, "level").label, "choice", choices="honour_level")
    year = ReportParam("year", column(Holding, "year").label, "year")
    return (
        ReportSpec("honours.roster", "劳模工匠名册", roster, ("pdf", "xlsx"), (title, level)),
        ReportSpec("honours.benefits", "劳模待遇落实名单", benefits, ("pdf", "xlsx"), (year,)),
        ReportSpec("honours.by_year", "历年获得者统计表", by_year, ("pdf", "xlsx"),
                   (ReportParam("year", "截至年度", "year"),)),
    )
