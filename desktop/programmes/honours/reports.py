"""劳模工匠选树's selection prints: 推荐对象汇总表 (the list sent upward), 公示名单 (the publicity notice
with its period in Chinese dates) and the per-person 推荐表 (a document of its own). No Qt.

ID numbers are masked unless the report is printed whole (``ctx.full``: the sensitive-information
permission, audit-logged by the report runner before the file is written); beside a masked number
only 出生年月 is shown.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.errors import ValidationError
from db.models.core.registers import Worker
from db.models.core.selection import Candidacy, SelectionRound
from db.models.honours import HonourTitle
from db.privacy import mask_id, mask_phone
from desktop.params import record_param
from desktop.programmes.core import selection as core
from desktop.programmes.core.cultivation_fields import spec
from desktop.programmes.honours import rounds
from desktop.programmes.honours.workflow import HONOURS, PUBLICITY, REPORTED, flow_for, stage_label, upward
from desktop.records import sequence_column
from desktop.registry import ReportContext
from reports.cn_dates import date_cn
from reports.spec import ColumnSpec, TableReport

ROUND_HINT = "（见 honours 命令）"
BLANK = "＿＿＿＿＿＿＿＿"


def _round(session: Session, params: dict[str, Any]) -> tuple[SelectionRound, HonourTitle]:
    r = record_param(session, SelectionRound, params.get("round"), "评选", ROUND_HINT)
    if r.programme != HONOURS:
        raise ValidationError("not_found", f"编号为 {r.id} 的评选不是劳模工匠评选{ROUND_HINT}")
    return r, rounds.title_of(session, r)


def _candidates(session: Session, r: SelectionRound) -> list[Candidacy]:
    return list(session.scalars(select(Candidacy).where(Candidacy.round_id == r.id).options(
        selectinload(Candidacy.moves), selectinload(Candidacy.worker).selectinload(Worker.employer),
        selectinload(Candidacy.organisation)).order_by(Candidacy.id)))


def _unit(c: Candidacy) -> str:
    if c.worker is not None and c.worker.employer is not None:
        return c.worker.employer.name
    return c.organisation.name if c.organisation is not None else ""


def _birth(w: Worker | None) -> str:
    return f"{w.birth_date.year}.{w.birth_date.month:02d}" if w is not None and w.birth_date else ""


def _choice(labels: dict[str, dict[str, str]], key: str, code: str | None) -> str:
    return labels.get(key, {}).get(code or "", code or "")


# -- 推荐对象汇总表 ---------------------------------------------------------------------------------------


def nominations_report(session: Session, params: dict[str, Any], ctx: ReportContext) -> TableReport:
    """推荐对象汇总表 of a round: every nomination not turned down, in the order it came."""
    r, t = _round(session, params)
    flow = flow_for(t.level)
    cands = [c for c in _candidates(session, r) if c.stage != core.FAILED]
    marks = rounds.priorities(session, r, [c.worker_id for c in cands if c.worker_id], ctx.today)
    L = ctx.labels
    collective = t.recipient == rounds.COLLECTIVE
    columns = [replace(sequence_column(), kind="text")]
    rows: list[tuple[object, ...]] = []
    if collective:
        columns += [spec(Candidacy, "organisation_id", key="unit", width=26), spec(Candidacy, "team", width=16)]
    else:
        columns += [spec(Worker, "name", width=8), spec(Worker, "gender", width=4),
                    ColumnSpec("birth", "出生年月", 8), spec(Worker, "id_number", key="id", width=20),
                    spec(Worker, "political_status", width=8), spec(Worker, "education", width=6),
                    spec(Worker, "employer_id", key="unit", width=22), spec(Worker, "trade", width=10)]
    columns += [spec(Candidacy, "channel", width=8), spec(Candidacy, "recommender", width=16),
                spec(Candidacy, "deeds", width=48), ColumnSpec("note", "备注", 12)]
    for i, c in enumerate(cands, 1):
        w = c.worker
        note = f"优先推荐：{marks[c.worker_id]}持有者" if c.worker_id in marks else ""
        if c.stage not in (PUBLICITY, REPORTED):
            note = "；".join(x for x in (f"目前处于“{stage_label(flow, c.stage)}”", note) if x)
        tail = (_choice(L, "nomination_channel", c.channel), c.recommender or "", c.deeds or "", note)
        if collective:
            rows.append((i, c.organisation.name if c.organisation else "", c.team or "", *tail))
        else:
            assert w is not None
            rows.append((i, w.name, _choice(L, "gender", w.gender), _birth(w),
                         w.id_number if ctx.full else mask_id(w.id_number), _choice(L, "political_status", w.political_status),
                         _choice(L, "education", w.education), _unit(c), w.trade or "", *tail))
    quota = f"，名额 {r.quota} 名" if r.quota is not None else ""
    return TableReport(
        title=f"{r.name}对象汇总表" if upward(t.level) else f"{r.name}推荐对象汇总表",
        columns=columns, rows=rows, union_name=ctx.union_name, printed_on=ctx.today, landscape=True,
        subtitle=f"荣誉称号：{t.name}（{_choice(L, 'honour_level', t.level)}）　共 {len(rows)} 名{quota}",
        signatures=("填表人：＿＿＿＿＿＿", "联系电话：＿＿＿＿＿＿", "推荐单位（盖章）：＿＿＿＿年＿＿月＿＿日"),
        footnote="出生年月、身份证号以职工名册为准；主要事迹可另附材料。")


# -- 公示名单 ----------------------------------------------------------------------------------------------


def publicised(c: Candidacy) -> bool:
    """Put on the public list: moved into 公示 (a later failure at the upper body stays on it)."""
    return any(m.stage == PUBLICITY for m in c.moves)


def publicity_report(session: Session, params: dict[str, Any], ctx: ReportContext) -> TableReport:
    """公示名单: who the round puts before the public, the period in Chinese dates, where to object."""
    r, t = _round(session, params)
    if r.publicity_start is None or r.publicity_end is None:
        raise ValidationError("publicity_missing", f"“{r.name}”还没有开始公示，请先在评选页点击“开始公示…”")
    cands = [c for c in _candidates(session, r) if publicised(c)]
    L = ctx.labels
    collective = t.recipient == rounds.COLLECTIVE
    columns = [replace(sequence_column(), kind="text")]
    if collective:
        columns += [spec(Candidacy, "organisation_id", key="unit", width=30), spec(Candidacy, "team", width=16)]
        rows = [(i, c.organisation.name if c.organisation else "", c.team or "", c.deeds or "")
                for i, c in enumerate(cands, 1)]
    else:
        columns += [spec(Worker, "name", width=8), spec(Worker, "gender", width=4),
                    spec(Worker, "employer_id", key="unit", width=26), spec(Worker, "trade", width=10)]
        rows = [(i, c.worker.name if c.worker else "", _choice(L, "gender", c.worker.gender if c.worker else None),
                 _unit(c), (c.worker.trade or "") if c.worker else "", c.deeds or "") for i, c in enumerate(cands, 1)]
    columns.append(spec(Candidacy, "deeds", width=46))
    union = ctx.union_name or "本工会"
    who = f"{len(rows)}个集体" if collective else f"{len(rows)}名同志"
    if upward(t.level):
        what = f"经基层推荐、{union}初审和评审，拟推荐以下{who}为{r.year}年度{t.name}推荐对象，现予以公示。"
        heading = f"关于{r.year}年度{t.name}推荐对象的公示"
    else:
        what = f"经基层推荐、初审和评审，拟命名以下{who}为{r.year}年度{t.name}，现予以公示。"
        heading = f"关于{r.year}年度{t.name}拟命名对象的公示"
    period = f"{date_cn(r.publicity_start)}至{date_cn(r.publicity_end)}"
    phone, watch = str(params.get("phone") or "").strip(), str(params.get("watch") or "").strip()
    return TableReport(
        title=heading, columns=columns, rows=rows, union_name=union, printed_on=r.publicity_start,
        subtitle=f"公示期：{period}",
        footnote=(f"　　{what}公示期间（{period}），任何单位和个人对公示对象有异议的，可通过来电、来信、来访等方式"
                  f"向{union}反映。反映问题应实事求是，署真实姓名并提供联系方式，以便调查核实。"),
        signatures=(f"联系电话：{phone or BLANK}", f"监督电话：{watch or BLANK}", f"{union}"),
        landscape=False)


# -- 推荐表 ------------------------------------------------------------------------------------------------


def form_report(session: Session, params: dict[str, Any], ctx: ReportContext) -> list[Any]:
    """The 推荐表 of one nomination (``nomination=ID``) or of every nomination of the round not
    turned down: plain data for :mod:`reports.nomination_form`."""
    from reports.nomination_form import NominationForm

    r, t = _round(session, params)
    cands = _candidates(session, r)
    wanted = params.get("nomination")
    if wanted not in (None, "", 0, "0"):  # none (0 in the report dialog): every nomination of the round
        nid = int(str(wanted))
        cands = [c for c in cands if c.id == nid]
        if not cands:
            raise ValidationError("not_found", f"“{r.name}”中没有编号为 {nid} 的推荐对象")
    else:
        cands = [c for c in cands if c.stage != core.FAILED]
    if not cands:
        raise ValidationError("nobody", f"“{r.name}”还没有推荐对象，无法打印推荐表")
    L = ctx.labels
    held = _held(session, cands, ctx.today)
    forms = []
    for c in cands:
        w = c.worker
        common = {"title": t.name, "year": r.year, "channel": _choice(L, "nomination_channel", c.channel),
                  "recommender": c.recommender or "", "deeds": c.deeds or "", "materials": c.materials or "",
                  "held": held.get(c.id, ""), "union": ctx.union_name}
        if w is None:
            org = c.organisation
            forms.append(NominationForm(name=core.name_of(c), collective=True, unit=org.name if org else "",
                                        phone=mask_phone(org.contact_phone) if org and org.contact_phone else "",
                                        **common))
            continue
        forms.append(NominationForm(
            name=w.name, gender=_choice(L, "gender", w.gender),
            birth=f"{w.birth_date.year}年{w.birth_date.month}月" if w.birth_date else "", ethnicity=w.ethnicity or "",
            political=_choice(L, "political_status", w.political_status), education=_choice(L, "education", w.education),
            id_number=w.id_number if ctx.full else mask_id(w.id_number), unit=_unit(c), trade=w.trade or "",
            grade=_choice(L, "skill_grade", w.skill_grade),
            phone=(w.phone if ctx.full else mask_phone(w.phone)) if w.phone else "", **common))
    return forms


def _held(session: Session, cands: list[Candidacy], on: date) -> dict[int, str]:
    """The honours each nominee holds on ``on`` (the selection core's holdings, any programme)."""
    out: dict[int, str] = {}
    for c in cands:
        hs = core.held_on(session, None, on, worker_id=c.worker_id) if c.worker_id else \
            [h for h in core.held_on(session, None, on, organisation_id=c.organisation_id)
             if (h.team or None) == (c.team or None)] if c.organisation_id else []
        out[c.id] = "；".join(f"{h.year}年 {h.title}" for h in hs if h.candidate_id != c.id)
    return out


def write_forms(forms: list[Any], out: Path) -> None:
    from reports.fonts import find_fonts
    from reports.nomination_form import write_forms as write

    write(forms, out, find_fonts())


def round_label() -> str:
    """The round parameter's label: the round itself (评选), not its name."""
    return "评选"
