"""What 星级工会 prints and hands on: the roll by level, the counts per level × township × year
(the 义乌 table), the 申报汇总表, the assessment form (评分表) blank or filled, the 回头看 list,
and the plaque (牌匾) records. Plain data for ``reports``; no Qt.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.errors import ValidationError
from db.models.core.registers import Organisation
from db.models.core.selection import Candidacy, Holding, SelectionRound
from db.models.star_unions import StarItem, StarScore
from desktop.params import record_param
from desktop.programmes.core.cultivation_fields import label, spec
from desktop.programmes.star_unions import applications, queries, rules, standard
from desktop.programmes.star_unions.rules import LEVEL_LABEL, PROGRAMME, WORKFLOW
from desktop.records import sequence_column
from desktop.registry import ReportContext
from reports.cn_dates import date_cn, year_cn
from reports.spec import PAYMENT_SIGNATURES, ColumnSpec, TableReport

UNIT = ColumnSpec("unit", "工会名称", 30)
#: the years the counts table spans (义乌 had rated its unions four years running, 000)
YEARS_SHOWN = 4


def _year(params: dict[str, Any]) -> int:
    try:
        return int(params.get("year") or date.today().year)
    except (TypeError, ValueError):
        raise ValidationError("year_invalid", f"年度“{params.get('year')}”无效") from None


def day_of(year: int, today: date) -> date:
    """The date a year's figures are taken on: today within the year, else the year's last day."""
    return min(today, date(year, 12, 31))


def num(value: Decimal | None) -> int | float | None:
    """A score as a number cell: 87 or 87.5 (none empty)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _short(ctx: ReportContext, code: str) -> str:
    return ctx.labels.get("star_level", {}).get(code, code)


def _round(session: Session, year: int) -> SelectionRound:
    r = applications.round_for(session, year)
    if r is None:
        raise ValidationError("not_found", f"没有{year}年度的星级工会申报，请先在“星级工会”页登记申报")
    return r


def _candidates(session: Session, r: SelectionRound) -> list[Candidacy]:
    return list(session.scalars(select(Candidacy).where(Candidacy.round_id == r.id)
                                .options(selectinload(Candidacy.organisation), selectinload(Candidacy.moves))
                                .order_by(Candidacy.id)))


# -- 名册 ---------------------------------------------------------------------------------------------------


def roll(session: Session, params: dict[str, Any], ctx: ReportContext) -> TableReport:
    """星级工会名册: the unions holding a level on the year's last day (today in this year), by level."""
    year = _year(params)
    on = day_of(year, ctx.today)
    rows_all = queries.roll_rows(session, on, with_past=False)
    orgs = {o.id: o for o in session.scalars(select(Organisation).where(
        Organisation.id.in_([r.organisation_id for r in rows_all])))}
    rows = []
    for i, r in enumerate(rows_all, 1):
        o = orgs.get(r.organisation_id)
        current = r.history[-1] if r.history else None
        rows.append((i, r.unit, r.township, (o.union_chair or "") if o else "", r.title,
                     r.named_on.year if r.named_on else None, r.named_on, current.document if current else "",
                     r.path))
    counts = Counter(r.level for r in rows_all)
    levels = sorted(applications.levels(session), key=lambda lv: -lv.rank)
    subtitle = (f"截至{date_cn(on)}：" + "，".join(f"{lv.title} {counts.get(lv.code, 0)} 家" for lv in levels)
                + f"，共 {len(rows_all)} 家")
    return TableReport(
        title=f"{year_cn(year)}度星级工会名册",
        columns=[sequence_column(), UNIT, spec(Organisation, "township", width=14),
                 spec(Organisation, "union_chair", width=8), ColumnSpec("level", LEVEL_LABEL, 20),
                 ColumnSpec("year", "命名年度", 8, "int"), spec(Holding, "named_on", key="named", width=11),
                 spec(Holding, "document", width=16), ColumnSpec("history", "创建历程", 30)],
        rows=rows, union_name=ctx.union_name, subtitle=subtitle, printed_on=ctx.today, landscape=True,
        footnote="星级按命名日期计；“回头看”降级、撤销的，自该日起按新星级（或无星级）计。")


# -- 统计表 -------------------------------------------------------------------------------------------------


def counts(session: Session, params: dict[str, Any], ctx: ReportContext) -> TableReport:
    """Unions per level × township × year (each year's figure: held on its last day, this year: today)."""
    year = _year(params)
    first = session.scalar(select(Holding.year).where(Holding.programme == PROGRAMME).order_by(Holding.named_on)
                           .limit(1))
    start = max(year - YEARS_SHOWN + 1, min(first or year, year))
    span = list(range(start, year + 1))
    levels = applications.levels(session)
    towns = {o.id: (o.township or "（未填乡镇）") for o in session.scalars(select(Organisation).where(
        Organisation.id.in_(select(Holding.organisation_id).where(Holding.programme == PROGRAMME))))}
    table: dict[str, Counter[tuple[int, str]]] = defaultdict(Counter)
    for y in span:
        for oid, h in queries.holdings_on(session, day_of(y, ctx.today)).items():
            table[towns.get(oid, "（未填乡镇）")][(y, h.award or "")] += 1
    keys = [(y, lv.code) for y in span for lv in levels]
    rows: list[tuple[object, ...]] = []
    totals: Counter[tuple[int, str]] = Counter()
    for i, town in enumerate(sorted(table), 1):
        c = table[town]
        totals.update(c)
        rows.append((i, town, *(c.get(k, 0) for k in keys), sum(c.get((year, lv.code), 0) for lv in levels)))
    rows.append(("合计", "", *(totals.get(k, 0) for k in keys), sum(totals.get((year, lv.code), 0) for lv in levels)))
    columns = [replace(sequence_column(), kind="text"), spec(Organisation, "township", width=14)]
    columns += [ColumnSpec(f"y{y}_{lv.code}", f"{y}年{_short(ctx, lv.code)}", 6, "int") for y, lv in
                [(y, lv) for y in span for lv in levels]]
    columns.append(ColumnSpec("total", f"{year}年合计", 7, "int"))
    now = "，".join(f"{lv.title} {totals.get((year, lv.code), 0)} 家" for lv in sorted(levels, key=lambda x: -x.rank))
    return TableReport(
        title=f"星级工会创建情况统计表（{span[0]}—{year}年）" if len(span) > 1 else f"{year}年星级工会创建情况统计表",
        columns=columns, rows=rows, union_name=ctx.union_name, printed_on=ctx.today, landscape=True,
        subtitle=f"截至{date_cn(day_of(year, ctx.today))}：{now}",
        footnote="各年度数为该年末（本年为统计之日）持有相应星级的工会家数，晋升、降级后按新星级计。")


# -- 申报汇总表 ---------------------------------------------------------------------------------------------


def summary(session: Session, params: dict[str, Any], ctx: ReportContext) -> TableReport:
    """星级工会申报汇总表: every application of the year with its three totals and where it stands."""
    year = _year(params)
    cands = {c.id: c for c in _candidates(session, _round(session, year))}
    view = queries.year_rows(session, year, day_of(year, ctx.today))
    rows = []
    for i, a in enumerate(view.rows, 1):
        c = cands[a.id]
        before = applications.level_on(session, a.organisation_id, a.applied_on) if a.applied_on else None
        note = a.reason if a.stage == "failed" else (_review_text(ctx, c) if c.review else "")
        rows.append((i, a.unit, a.township, before.title if before else "", a.applied_title, a.applied_on,
                     *(num(a.totals.get(st)) for st in rules.SCORED), a.stage_label, note))
    by_level = Counter(a.applied_title for a in view.rows)
    named = sum(1 for a in view.rows if a.named)
    thresholds = "，".join(f"{lv.title} {lv.threshold} 分" for lv in applications.levels(session))
    return TableReport(
        title=f"{year_cn(year)}度星级工会申报汇总表",
        columns=[sequence_column(), UNIT, spec(Organisation, "township", width=14),
                 ColumnSpec("held", "现有星级", 18), ColumnSpec("applied", label(Candidacy, "award"), 18),
                 ColumnSpec("on", "申报日期", 11, "date"),
                 *(ColumnSpec(st, f"{label(StarScore, col)}{label(Candidacy, 'score')}", 7, "int") for st, col in rules.SCORED.items()),
                 spec(Candidacy, "stage", width=8), ColumnSpec("note", "备注", 20)],
        rows=rows, union_name=ctx.union_name, printed_on=ctx.today, landscape=True,
        subtitle="申报 " + "，".join(f"{k} {v} 家" for k, v in by_level.items()) + f"，共 {len(view.rows)} 家；已命名 {named} 家"
        if view.rows else "本年度尚无申报",
        footnote=f"满分 {view.full_marks} 分；达标分数：{thresholds}。", signatures=PAYMENT_SIGNATURES)


def _review_text(ctx: ReportContext, c: Candidacy) -> str:
    result = ctx.labels.get("star_review", {}).get(c.review or "", c.review or "")
    last = c.moves[-1] if c.moves else None
    why = last.reason if last is not None and last.stage == rules.REVIEW and last.reason else ""
    return f"回头看：{result}" + (f"（{why}）" if why else "")


# -- 评分表 -------------------------------------------------------------------------------------------------

SHEET_SIGNATURES = ("申报单位（盖章）：＿＿＿＿＿＿", "镇（街道）总工会初审人：＿＿＿＿＿＿", "县总工会评定人：＿＿＿＿＿＿",
                    "日期：＿＿＿＿年＿＿月＿＿日")


def score_sheet(session: Session, params: dict[str, Any], ctx: ReportContext) -> TableReport:
    """星级工会评分表: blank (to fill in by hand) without a unit; filled for the unit's application of the year."""
    year = _year(params)
    c: Candidacy | None = None
    if params.get("organisation"):
        org = record_param(session, Organisation, params.get("organisation"), "单位")
        c = session.scalars(select(Candidacy).where(Candidacy.round_id == _round(session, year).id,
                                                    Candidacy.organisation_id == org.id)).first()
        if c is None:
            raise ValidationError("not_found", f"{rules.union_name(org.name)}没有{year}年度的星级工会申报")
    blank = c is None
    scored: list[tuple[StarItem, StarScore | None]] = (applications.score_rows(session, c.id) if c is not None else
                                                       [(it, None) for it in standard.items(session)])
    rows: list[tuple[object, ...]] = []
    last_dim = None
    for it, sc in scored:
        dim = it.dimension if it.dimension != last_dim else ""
        last_dim = it.dimension
        marks = [num(getattr(sc, col)) if sc is not None else None for col in rules.SCORED.values()]
        rows.append((dim, it.item, it.max_score, it.evidence or "", *marks, (sc.evidence or "") if sc else ""))
    full = sum(it.max_score for it, _sc in scored)
    totals = [num(applications.total(scored, st)) if not blank else None for st in rules.SCORED]
    rows.append(("合计", "", full, "", *totals, ""))
    levels = applications.levels(session)
    if c is not None:
        applied = applications.level_of(session, c.award)
        org_name = rules.union_name(c.organisation.name) if c.organisation else ""
        before = applications.level_on(session, c.organisation_id or 0, c.moves[0].on) if c.moves else None
        subtitle = (f"申报单位：{org_name}　所在乡镇（街道）：{c.organisation.township or '' if c.organisation else ''}"
                    f"　现有星级：{before.title if before else '无'}　申报星级：{applied.title}（达标分数 {applied.threshold} 分）")
    else:
        subtitle = ("申报单位：＿＿＿＿＿＿＿＿＿＿＿＿＿＿　申报星级："
                    + "　".join(f"□{lv.title}" for lv in levels))
    columns = [spec(StarItem, "dimension", width=12), spec(StarItem, "item", width=34),
               spec(StarItem, "max_score", width=4), spec(StarItem, "evidence", width=16)]
    columns += [ColumnSpec(st, label(StarScore, col), 6, "int", handwritten=blank) for st, col in rules.SCORED.items()]
    columns.append(ColumnSpec("note", label(StarScore, "evidence"), 16, handwritten=blank))
    thresholds = "，".join(f"{lv.title} {lv.threshold} 分" for lv in levels)
    return TableReport(
        title=f"{year_cn(year)}度星级工会评分表", columns=columns, rows=rows, union_name=ctx.union_name,
        subtitle=subtitle, printed_on=ctx.today, landscape=True, signatures=SHEET_SIGNATURES,
        footnote=f"满分 {full} 分；县评定得分达到所申报星级的达标分数方可命名（{thresholds}）。星级逐级创建，须先创成三星级。")


# -- 回头看名单 -------------------------------------------------------------------------------------------


def review_list(session: Session, params: dict[str, Any], ctx: ReportContext) -> TableReport:
    """The year's 回头看: every union named before the year's end whose level is still held and not
    yet reviewed (待回头看), and those reviewed in the year with the result."""
    year = _year(params)
    on = day_of(year, ctx.today)
    cands = session.scalars(select(Candidacy).join(SelectionRound).where(
        SelectionRound.programme == PROGRAMME, Candidacy.stage.in_([rules.NAMED, rules.REVIEW]))
        .options(selectinload(Candidacy.organisation), selectinload(Candidacy.moves), selectinload(Candidacy.round))
        .order_by(SelectionRound.year, Candidacy.id)).all()
    held = queries.holdings_on(session, on)
    rows = []
    results = ctx.labels.get("star_review", {})
    for c in cands:
        named = next((m for m in c.moves if m.stage == rules.NAMED), None)
        reviewed = next((m for m in c.moves if m.stage == rules.REVIEW), None)
        if named is None or named.on > on:
            continue
        h = held.get(c.organisation_id or 0)
        if reviewed is None:
            if h is None or h.candidate_id != c.id:
                continue  # promoted since (the newer naming is the one to review)
            result, when, why = "待回头看", None, ""
        elif reviewed.on.year == year:
            result, when, why = results.get(c.review or "", c.review or ""), reviewed.on, reviewed.reason or ""
        else:
            continue
        applied = applications.level_of(session, c.award)
        rows.append([c.organisation.township or "" if c.organisation else "",
                     rules.union_name(c.organisation.name) if c.organisation else "", applied.title, c.round.year,
                     named.on, result, when, why, h.title if h is not None else "无"])
    rows.sort(key=lambda r: (r[5] == "待回头看", str(r[0]), str(r[1])))
    out = [(i, r[1], r[0], *r[2:]) for i, r in enumerate(rows, 1)]
    done = Counter(r[5] for r in rows)
    return TableReport(
        title=f"{year_cn(year)}度星级工会“回头看”名单",
        columns=[sequence_column(), UNIT, spec(Organisation, "township", width=14), ColumnSpec("level", "命名星级", 18),
                 ColumnSpec("year", "命名年度", 8, "int"), spec(Holding, "named_on", key="named", width=11),
                 spec(Candidacy, "review", width=8), ColumnSpec("when", "回头看日期", 11, "date"),
                 ColumnSpec("why", "原因", 20), ColumnSpec("now", "现有星级", 18)],
        rows=out, union_name=ctx.union_name, printed_on=ctx.today, landscape=True,
        subtitle="，".join(f"{k} {v} 家" for k, v in done.items()) if rows else "没有需要回头看的星级工会",
        signatures=("检查人：＿＿＿＿＿＿", "审核人：＿＿＿＿＿＿", "日期：＿＿＿＿年＿＿月＿＿日"),
        footnote="降级的自回头看之日起按下一星级计，撤销的自该日起不再享有星级。")


# -- 牌匾 ---------------------------------------------------------------------------------------------------


def plaque_records(session: Session, params: dict[str, Any]) -> list[dict[str, Any]]:
    """One record per union named in the year's round (a collective recipient: the union)."""
    year = _year(params)
    r = applications.round_for(session, year)
    if r is None:
        return []
    out = []
    for c in _candidates(session, r):
        named = next((m for m in c.moves if m.stage == rules.NAMED), None)
        if named is None or c.organisation is None:
            continue
        applied = applications.level_of(session, c.award)
        name = rules.union_name(c.organisation.name)
        out.append({"name": name, "unit": c.organisation.name, "award": applied.title,
                    "event": f"{year}年度星级工会创建", "title": "星级工会创建",
                    "deed": f"被评为{year_cn(year)}度“{applied.title}”", "date": named.on, "year": year,
                    "collective": True, "organisation_id": c.organisation_id,
                    "source_ref": f"star_unions:candidacy:{c.id}"})
    return out


__all__ = ["WORKFLOW", "counts", "plaque_records", "review_list", "roll", "score_sheet", "summary"]
