"""What 劳模工匠助企行 prints and hands on: the 派工单 and 急诊单 (``slips``), the 助企行统计表 of a
month or a year against the year's targets, and the demand register (企业需求库). Plain data for
``reports``; no Qt. Column headings are read from the record description.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.errors import ValidationError
from db.fields import CONTACT, describe
from db.models.core.cases import Case
from db.models.help_desk import Demand, Target
from db.privacy import mask
from desktop.programmes.core.cases import minutes_between, party_names
from desktop.programmes.core.cultivation_fields import label, spec
from desktop.programmes.help_desk import figures, slips
from desktop.programmes.help_desk.figures import Measure
from desktop.programmes.help_desk.rules import ACCEPTED, CRAFTSMAN, DISPATCHED, FLOW, SOLVED
from desktop.records import report_kind, sequence_column
from desktop.registry import ReportContext, ReportParam, ReportSpec
from reports.cn_dates import date_cn
from reports.spec import PAYMENT_SIGNATURES, ColumnSpec, TableReport

STATISTICS, REGISTER = "助企行统计表", "企业需求库"


def _year(params: dict[str, Any]) -> int:
    try:
        year = int(params.get("year") or date.today().year)
    except (TypeError, ValueError):
        raise ValidationError("year_invalid", f"年度“{params.get('year')}”无效") from None
    if not 2000 <= year <= 2100:
        raise ValidationError("year_invalid", f"年度“{year}”无效")
    return year


def _period(params: dict[str, Any]) -> tuple[int, int | None]:
    """(year, month) from ``month`` (``2026-03``; its year wins) or ``year`` alone (the whole year)."""
    raw = params.get("month")
    if raw in (None, ""):
        return _year(params), None
    try:
        y, m = (int(x) for x in str(raw).strip().split("-")[:2])
        date(y, m, 1)
    except (TypeError, ValueError):
        raise ValidationError("month_invalid", f"月份“{raw}”无效，格式应为 YYYY-MM") from None
    return _year({"year": y}), m


# -- 助企行统计表 ---------------------------------------------------------------------------------------------


def _num(value: Decimal | int | float | None) -> int | str | None:
    """A figure as a cell: a whole number as a number, else two places (45.50)."""
    if value is None:
        return None
    d = Decimal(str(value))
    return int(d) if d == d.to_integral_value() else f"{d:,.2f}"


def _rate(value: float | None) -> str:
    return f"{value * 100:.1f}%" if value is not None else "—"


def _minutes(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else "—"


def statistics_report(session: Session, params: dict[str, Any], ctx: ReportContext) -> TableReport:
    """助企行统计表: each measure against the year's target (the period, the year so far, the rate),
    then the period's acceptance time, rates, 急诊单 and benefits."""
    year, month = _period(params)
    labels = ctx.labels.get(figures.MEASURES) or None
    if month is None:
        now = figures.summary(session, year)
        cumulative = now
    else:
        now, cumulative = figures.summary(session, year, month), figures.summary_through(session, year, month)
    goals = figures.measures(session, year, month, labels, of=now)
    so_far = {m.code: m for m in figures.measures(session, year, None, labels, of=cumulative)}
    rows: list[tuple[object, ...]] = []
    for i, m in enumerate(goals, 1):
        whole: Measure = so_far[m.code]
        rate = whole.actual / m.target if m.target else None
        tail = (_num(whole.actual),) if month is not None else ()
        rows.append((i, m.label, _num(m.target), _num(m.actual), *tail, _rate(float(rate)) if rate is not None else "—"))
    more = [
        ("受理企业需求（件）", now.demands, cumulative.demands),
        ("其中：急诊单（件）", now.emergency, cumulative.emergency),
        ("派单（件）", now.dispatched, cumulative.dispatched),
        ("平均接单用时（分钟）", _minutes(now.avg_accept_minutes), _minutes(cumulative.avg_accept_minutes)),
        ("回复率", _rate(now.reply_rate), _rate(cumulative.reply_rate)),
        ("解决率", _rate(now.solve_rate), _rate(cumulative.solve_rate)),
        ("回访率", _rate(now.revisit_rate), _rate(cumulative.revisit_rate)),
        *((label(Demand, name), _num(getattr(now, name)), _num(getattr(cumulative, name)))
          for name in ("benefit_actual", "benefit_expected", "cost_saved", "orders")),
    ]
    for j, (what, a, b) in enumerate(more, len(rows) + 1):
        rows.append((j, what, None, a, *((b,) if month is not None else ()), ""))
    done = ColumnSpec("now", "本期完成" if month is not None else "全年完成", 10, "int")
    columns = [sequence_column(), spec(Target, "measure", width=24),
               ColumnSpec("target", "年度目标", 10, "int"), done]
    if month is not None:
        columns.append(ColumnSpec("sofar", "累计完成", 10, "int"))
    columns.append(ColumnSpec("rate", "完成率", 9, "int"))
    first, after = figures.period(year, month)
    last = (after - timedelta(days=1)).date()
    shown = min(last, ctx.today) if first.date() <= ctx.today else last
    title = f"{year}年{month}月劳模工匠助企行统计表" if month is not None else f"{year}年度劳模工匠助企行统计表"
    return TableReport(
        title=title, columns=columns, rows=rows, union_name=ctx.union_name, printed_on=ctx.today, landscape=False,
        subtitle=f"统计期间：{date_cn(first.date())}至{date_cn(shown)}",
        footnote=("本期完成为统计期间内的数；累计完成为当年1月1日至本期末的数，完成率按累计完成计。" if month is not None
                  else "完成率为全年完成数与年度目标之比。")
        + "派单、接单按首次派单时间计；解决、效益、培训、成果按办结时间计；回复率为已接单数与派单数之比，"
          "解决率为已解决数与办结数之比，回访率为已回访数与办结数之比。",
        signatures=PAYMENT_SIGNATURES)


# -- 企业需求库 ---------------------------------------------------------------------------------------------


def _stage(raw: object) -> str | None:
    """A stage named by its code or label (``已解决``, ``solved``); none for every stage."""
    text = str(raw or "").strip()
    if not text:
        return None
    for s in FLOW.stages:
        if text in (s.code, s.label):
            return s.code
    raise ValidationError("stage_unknown", f"没有“{text}”这个{label(Case, 'stage')}，"
                                           f"可选：{'、'.join(s.label for s in FLOW.stages)}")


KINDS = {"phone": "id", "datetime": "date"}
PROBLEM_SHOWN = 120  # characters of a problem a register row shows (the 派工单 prints it whole)


def _short(text: str | None) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= PROBLEM_SHOWN else flat[:PROBLEM_SHOWN] + "……"


def demands_report(session: Session, params: dict[str, Any], ctx: ReportContext) -> TableReport:
    """企业需求库: the year's demands (received in it) by number, optionally of one stage and kind."""
    year = _year(params)
    stage = _stage(params.get("stage"))
    kind = str(params.get("kind") or "").strip() or None
    q = (select(Demand).join(Case, Demand.case_id == Case.id)
         .where(Case.programme == FLOW.programme, Case.year == year)
         .options(selectinload(Demand.case).selectinload(Case.moves),
                  selectinload(Demand.case).selectinload(Case.parties),
                  selectinload(Demand.organisation), selectinload(Demand.team))
         .order_by(Case.seq))
    if stage is not None:
        q = q.where(Case.stage == stage)
    if kind is not None:
        q = q.where(Demand.kind == kind)
    cols = [c for c in describe(Demand) if c.field.in_table and c.name != "place"]  # place: within region
    rows: list[tuple[object, ...]] = []
    solved = 0
    for i, d in enumerate(session.scalars(q), 1):
        values: list[object] = []
        for c in cols:
            v = getattr(d, c.name)
            if c.name == "organisation_id":
                v = d.organisation.name if d.organisation is not None else ""
            elif c.name == "team_id":
                v = d.team.name if d.team is not None else ""
            elif c.field.kind == "choice" and c.field.choices:
                v = ctx.labels.get(c.field.choices, {}).get(v or "", v or "")
                v = f"{v}（{d.place}）" if c.name == "region" and d.place else v
            elif c.name == "problem":
                v = _short(v)
            elif c.field.privacy == CONTACT and not ctx.full:
                v = mask(v, CONTACT)
            values.append(v)
        solved += d.case.outcome == SOLVED  # 已解决, and 已回访 after it
        rows.append((i, d.case.number, *values, FLOW.label(d.case.stage), party_names(d.case, CRAFTSMAN, "\n"),
                     minutes_between(d.case, DISPATCHED, ACCEPTED)))
    # numbers, times and the craftsmen (one name a line) never wrap: "id" columns keep their contents whole
    columns = [sequence_column(), replace(spec(Case, "number"), kind="id")]
    columns += [ColumnSpec(c.name, c.label, c.field.width, KINDS.get(c.field.kind) or report_kind(c)) for c in cols]
    columns += [spec(Case, "stage"), ColumnSpec("craftsmen", "派出工匠", 12, "id"), ColumnSpec("minutes", "接单用时（分钟）", 8, "int")]
    scope = "，".join(x for x in (
        f"{label(Case, 'stage')}：{FLOW.label(stage)}" if stage else "",
        f"{label(Demand, 'kind')}：{ctx.labels.get('hd_kind', {}).get(kind, kind)}" if kind else "") if x)
    return TableReport(
        title=f"{year}年度企业需求库", columns=columns, rows=rows, union_name=ctx.union_name, printed_on=ctx.today,
        landscape=True, subtitle="，".join(x for x in (scope, f"共 {len(rows)} 件，已解决 {solved} 件") if x),
        footnote=f"{label(Demand, 'problem')}超过 {PROBLEM_SHOWN} 字的只列出前 {PROBLEM_SHOWN} 字（派工单上印全文）；"
                 "接单用时为从派单到接单的分钟数" + ("；联系人电话已隐去中间数字。" if not ctx.full else "。"))


# -- the declaration -----------------------------------------------------------------------------------------


def report_specs() -> tuple[ReportSpec, ...]:
    """The four prints, for ``declare()``."""
    demand = ReportParam("demand", slips.WHAT, "ref", required=True, ref="help_desk_demands")
    year = ReportParam("year", "年份", "year")
    return (
        ReportSpec("help_desk.slip", "派工单", slips.slip_report, ("pdf",), (demand,), write=slips.write_slips,
                   full_numbers=True),
        ReportSpec("help_desk.emergency", "急诊单", slips.emergency_report, ("pdf",),
                   (demand, ReportParam("hours", slips.HOURS, "int")), write=slips.write_slips, full_numbers=True),
        ReportSpec("help_desk.statistics", STATISTICS, statistics_report, ("pdf", "xlsx"),
                   (year, ReportParam("month", "月份", "month"))),
        ReportSpec("help_desk.demands", REGISTER, demands_report, ("pdf", "xlsx"),
                   (year, ReportParam("stage", f"{label(Case, 'stage')}（如：已解决）"),
                    ReportParam("kind", label(Demand, "kind"), "choice", choices="hd_kind"))),
    )
