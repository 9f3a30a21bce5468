"""What 红色工匠 hands to others: printed reports, certificate records and worker facts. No Qt.

ID numbers are masked in the roster unless the clerk asks for them in full (audit-logged by the
report runner); the certificate records carry the ID number only so the issue register can
recognise the same person again (it is never printed).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.errors import ValidationError
from db.models.core.cultivation import MentorEvaluation, MentorLink
from db.models.core.registers import Worker
from db.models.red_craftsman import RED_CRAFTSMAN, Candidate, Membership, Nomination, Round
from db.privacy import mask_id
from desktop.programmes.core import cultivation as core
from desktop.programmes.core.cultivation_fields import label, spec
from desktop.programmes.red_craftsman import rounds, rules
from desktop.programmes.red_craftsman.queries import evaluation_lines, load_stays, pool
from desktop.records import sequence_column
from desktop.registry import ReportContext, WorkerFact
from desktop.settings import choice_labels
from reports.cn_dates import date_cn, year_cn
from reports.spec import ColumnSpec, TableReport

AWARD = "“红色工匠”培育对象"  # what the candidate is (a place in the pool, not an honorary title: no 称号)
OLD_AWARD = "“红色工匠”培育对象称号"  # the award certificates printed before (their reprint keeps the serial)


def _year(params: dict[str, Any]) -> int:
    try:
        return int(params.get("year") or date.today().year)
    except (TypeError, ValueError):
        raise ValidationError("year_invalid", f"年度“{params.get('year')}”无效") from None


def _round(session: Session, params: dict[str, Any]) -> Round:
    year = _year(params)
    r = rounds.round_for(session, year)
    if r is None:
        raise ValidationError("not_found", f"没有{year}年度的“红色工匠”培育工作，请先在“红色工匠”页建立")
    return r


def _day(year: int, today: date) -> date:
    """The date a year's figures are taken on: today within the year, else its last day."""
    return min(today, date(year, 12, 31)) if today.year >= year else date(year, 1, 1)


def _label(labels: dict[str, dict[str, str]], key: str, code: str | None) -> str:
    return labels.get(key, {}).get(code or "", code or "")


def _track(labels: dict[str, dict[str, str]], track: str) -> str:
    return _label(labels, "rc_track", track)


# -- 名册 -------------------------------------------------------------------------------------------------


def roster(session: Session, params: dict[str, Any], ctx: ReportContext) -> TableReport:
    """培育库名册: everyone admitted to the year's pool and not removed (removals in the footnote)."""
    r = _round(session, params)
    labels = ctx.labels
    rows_all = pool(session, _day(r.year, ctx.today), r, include_left=True)
    kept = [p for p in rows_all if not rounds.is_removal(p.left_reason)]
    removed = [p for p in rows_all if rounds.is_removal(p.left_reason)]
    rows = []
    for i, p in enumerate(kept, 1):
        notes = []
        if p.degree:
            notes.append(f"在读{_label(labels, 'degree_level', p.degree)}（学费补贴优先）")
        if p.left_reason:
            notes.append(_label(labels, "rc_leave_reason", p.left_reason))
        rows.append((i, p.name, _label(labels, "gender", p.gender), p.id_number if ctx.full else mask_id(p.id_number),
                     p.unit, p.trade, _label(labels, "skill_grade", p.grade),
                     _label(labels, "political_status", p.status), rules.TRACK_SHORT[p.track],
                     _label(labels, "rc_source", p.source), p.admitted_on, p.mentor, "；".join(notes)))
    counts = Counter(p.track for p in kept)
    subtitle = "　".join(f"{_track(labels, t)} {counts.get(t, 0)} 人" for t in rules.TRACKS) + f"　共 {len(kept)} 人"
    footnote = ""
    if removed:
        footnote = "本年度移出培育库：" + "；".join(
            f"{p.name}（{_label(labels, 'rc_leave_reason', p.left_reason)}，{p.left_on:%Y-%m-%d}）" for p in removed)
    return TableReport(
        title=f"{r.year}年度“红色工匠”培育库名册",
        columns=[sequence_column(), spec(Worker, "name", width=8), spec(Worker, "gender", width=4),
                 spec(Worker, "id_number", key="id", width=20), spec(Worker, "employer_id", key="unit", width=24),
                 spec(Worker, "trade", width=10), spec(Worker, "skill_grade", key="grade", width=8),
                 spec(Worker, "political_status", key="status", width=10), spec(Candidate, "track", width=5),
                 spec(Membership, "source", width=8), spec(Membership, "admitted_on", key="admitted", width=11),
                 spec(MentorLink, "mentor_id", key="mentor", width=8), ColumnSpec("note", "备注", 16)],
        rows=rows, union_name=ctx.union_name, subtitle=subtitle, printed_on=ctx.today, footnote=footnote,
        landscape=True)


# -- 年度汇总表 ---------------------------------------------------------------------------------------------


def summary(session: Session, params: dict[str, Any], ctx: ReportContext) -> TableReport:
    """Per track: quota, carried, nominated (ratio), admitted, removed, trained, evaluated, outcomes."""
    r = _round(session, params)
    labels = ctx.labels
    day = _day(r.year, ctx.today)
    figs = rounds.figures(session, r, day)
    rows_all = pool(session, day, r, include_left=True)
    evals = evaluation_lines(session, r.year)
    y0, y1 = date(r.year, 1, 1), date(r.year, 12, 31)
    stages = Counter(s for p in rows_all for s, when in p.stages.items() if y0 <= when <= y1)
    rows: list[tuple[object, ...]] = []
    totals = [0] * 11
    notes = []
    for t in rules.TRACKS:
        f = figs[t]
        mine = [p for p in rows_all if p.track == t]
        trained = sum(1 for p in mine if p.trainings and not rounds.is_removal(p.left_reason))
        ev = [e for e in evals if e.track == t]
        evaluated = sum(1 for e in ev if e.row.evaluated)
        weak = sum(1 for e in ev if e.row.weak)
        strong = len(core.strong_mentors(e.row for e in ev))
        if t == rules.TRACK_A:
            experts = [p for p in mine if p.expert_on and y0 <= p.expert_on <= y1]
            how = Counter(p.expert_how for p in experts)
            outcome = f"成为技术能手 {len(experts)} 人" + (
                "（" + "、".join(f"{_label(labels, 'rc_expert_how', k)} {v}" for k, v in how.items()) + "）"
                if experts else "")
        else:
            outcome = "、".join(f"{rules.STAGE_LABELS[s]} {stages.get(s, 0)}" for s in rules.STAGES)
        numbers = [f.quota, f.carried, f.check.open_places, f.nominees, f.admitted_new, f.replenished, f.removed,
                   f.in_pool, trained, evaluated, weak]
        totals = [a + b for a, b in zip(totals, numbers, strict=True)]
        rows.append((_track(labels, t), *numbers[:4], f.check.ratio_text, *numbers[4:], strong, outcome))
        notes.append(f"{rules.TRACK_SHORT[t]}：{f.check.message}")
    check = rules.RatioCheck(totals[0], totals[1], totals[3])
    rows.append(("合计", *totals[:4], check.ratio_text, *totals[4:], len(core.strong_mentors(e.row for e in evals)),
                 ""))
    return TableReport(
        title=f"{r.year}年度“红色工匠”培育工作汇总表",
        columns=[spec(Candidate, "track", width=22), *(ColumnSpec(k, label, 8, "int") for k, label in (
            ("quota", "名额"), ("carried", "上年结转"), ("open", "可用名额"), ("nominees", "推荐人数"))),
            ColumnSpec("ratio", "推荐比例", 8),
            *(ColumnSpec(k, label, 8, "int") for k, label in (
                ("new", "新入库"), ("replenished", "补充入库"), ("removed", "移出"), ("pool", "在库"),
                ("trained", "集中培训"), ("evaluated", "已评议"), ("weak", "调整结对"),
                ("strong", "导师评优"))),
            ColumnSpec("outcome", "培育成效", 24)],
        rows=rows, union_name=ctx.union_name, subtitle=f"统计截至 {date_cn(day, arabic=True)}",
        printed_on=ctx.today, footnote="；".join(notes) + "。", landscape=True)


# -- 师徒双向评议表 ----------------------------------------------------------------------------------------


def evaluation_sheet(session: Session, params: dict[str, Any], ctx: ReportContext) -> TableReport:
    """The two-way evaluation sheet to fill in by hand: one line per candidate and mentor."""
    r = _round(session, params)
    labels = ctx.labels
    rows = []
    for i, p in enumerate(pool(session, _day(r.year, ctx.today), r), 1):
        rows.append((i, p.name, rules.TRACK_SHORT[p.track], p.unit, p.mentor or "（未结对）", "", "", "", ""))
    levels = "、".join(f"{core.level_label(s, labels)}（{s}）" for s, _c, _l in core.LEVELS)
    return TableReport(
        title=f"{r.year}年度“红色工匠”师徒双向评议表",
        columns=[sequence_column(), spec(MentorLink, "mentee_id", key="name", width=8),
                 spec(Candidate, "track", width=5), spec(Worker, "employer_id", key="unit", width=22),
                 spec(MentorLink, "mentor_id", key="mentor", width=8),
                 *(ColumnSpec(key, label(MentorEvaluation, name), 15, handwritten=True) for key, name in (
                     ("of_mentee", "rating_of_mentee"), ("of_mentor", "rating_of_mentor"))),
                 ColumnSpec("note", label(MentorEvaluation, "note"), 26, handwritten=True),
                 ColumnSpec("sign", "双方签字", 16, handwritten=True)],
        rows=rows, union_name=ctx.union_name, subtitle="评议等次：" + levels, printed_on=ctx.today,
        signatures=("填表人：＿＿＿＿＿＿", "审核人：＿＿＿＿＿＿", "日期：＿＿＿＿年＿＿月＿＿日"),
        footnote=("说明：导师与培育对象相互评议，在相应栏内填写评议等次。任一方评议为基本合格及以下的，"
                  "督促企业及时调整结对；培育对象评导师为优秀的，导师在评先评优时优先。"),
        landscape=True)


# -- certificates and worker facts --------------------------------------------------------------------------


def certificate_records(session: Session, params: dict[str, Any]) -> list[dict[str, Any]]:
    """One record per candidate admitted to the year's pool (those removed get none)."""
    r = _round(session, params)
    date_of = r.announced_on
    out = []
    for m in load_stays(session, r):
        if rounds.is_removal(m.left_reason):
            continue
        w = m.candidate.worker
        event = f"{r.year}年度“红色工匠”培育活动"
        out.append({"name": w.name, "unit": w.employer.name if w.employer else "", "award": AWARD,
                    "event": event, "deed": f"被确定为{year_cn(r.year)}度{AWARD}",
                    "date": date_of or m.admitted_on, "worker_id": w.id,
                    "id_number": w.id_number, "track": m.candidate.track,
                    "source_ref": f"red_craftsman:membership:{m.id}", "legacy": [(OLD_AWARD, event)]})
    return out


def worker_facts(session: Session, worker_id: int) -> list[WorkerFact]:
    """A worker as nominee, candidate (with outcomes) and mentor."""
    labels = choice_labels(session)
    facts: list[WorkerFact] = []
    for n in session.scalars(select(Nomination).where(Nomination.worker_id == worker_id)
                             .options(selectinload(Nomination.round))):
        facts.append(WorkerFact(RED_CRAFTSMAN, f"{n.round.year}年度推荐人选（{rules.TRACK_SHORT[n.track]}）",
                                _label(labels, "rc_decision", n.decision), n.nominated_on, "nomination"))
    c = session.scalars(select(Candidate).where(Candidate.worker_id == worker_id).options(
        selectinload(Candidate.memberships).selectinload(Membership.round), selectinload(Candidate.stages))).first()
    if c is not None:
        for m in c.memberships:
            left = ""
            if m.left_on:
                left = f"{m.left_on:%Y-%m-%d} {_label(labels, 'rc_leave_reason', m.left_reason)}"
            facts.append(WorkerFact(RED_CRAFTSMAN, f"{m.round.year}年度培育对象（{rules.TRACK_SHORT[c.track]}）",
                                    "　".join(x for x in (_label(labels, "rc_source", m.source), left) if x),
                                    m.admitted_on, "membership"))
        if c.expert_on:
            facts.append(WorkerFact(RED_CRAFTSMAN, "培育成效：成为技术能手", c.expert_detail or "",
                                    c.expert_on, "outcome"))
        for s in c.stages:
            facts.append(WorkerFact(RED_CRAFTSMAN, f"党建阶段：{rules.STAGE_LABELS[s.stage]}", s.note or "",
                                    s.reached_on, "party_stage"))
    for lk in session.scalars(select(MentorLink).where(MentorLink.programme == RED_CRAFTSMAN,
                                                       MentorLink.mentor_id == worker_id)
                              .options(selectinload(MentorLink.mentee), selectinload(MentorLink.evaluations))):
        best = [e.period for e in lk.evaluations if core.is_strong(e.rating_of_mentor)]
        detail = f"被评为优秀导师（{'、'.join(best)}）" if best else ""
        facts.append(WorkerFact(RED_CRAFTSMAN, f"导师：结对帮带{lk.mentee.name}", detail, lk.started_on,
                                "mentor"))
    return facts
