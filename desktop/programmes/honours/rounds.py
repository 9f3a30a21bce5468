"""劳模工匠选树's rounds and nominations over a session: what the service writes, inside the caller's
transaction. Refusals are :class:`~db.errors.ValidationError` with a Chinese message, raised before
anything is written. No Qt.

A round (``SelectionRound`` with ``programme == "honours"``) names one :class:`HonourTitle` by
``award_id``; its quota starts as the title's. A nomination (``Candidacy``) puts forward a worker for
a person's title, or an organisation (and a team in it) for a collective title, by 组织推荐 or
个人自荐; its stages follow the title's workflow (:mod:`.workflow`). Naming makes a holding in the
selection core. Holders of a title whose ``priority`` names the round's title (卓越工程师 →
市级劳动模范、五一劳动奖章) are marked as priority nominees.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import ValidationError
from db.models.core.registers import Organisation, Worker
from db.models.core.selection import Candidacy, Holding, SelectionRound
from db.models.honours import HonourTitle
from desktop.programmes.core import selection as core
from desktop.programmes.honours.workflow import HONOURS, NAMED, REPORTED, flow_for, quota_word, upward

NOT_FOUND = "该评选已不存在（可能已被删除）"
MEDAL = "五一劳动奖章"
COLLECTIVE = "collective"
ORGANISATION, SELF = "organisation", "self"


# -- rounds -------------------------------------------------------------------------------------------


def get_round(session: Session, round_id: int, *, lock: bool = False) -> SelectionRound:
    """An honours round (``lock``: FOR UPDATE, so nominations to one round from two clerks take turns)."""
    r = session.get(SelectionRound, round_id, with_for_update=lock or None)
    if r is None or r.programme != HONOURS:
        raise ValidationError("not_found", NOT_FOUND)
    return r


def title_of(session: Session, r: SelectionRound) -> HonourTitle:
    t = session.get(HonourTitle, r.award_id) if r.award_id is not None else None
    if t is None:
        raise ValidationError("title_missing", f"评选“{r.name}”的荣誉称号已被删除，请重新选择称号")
    return t


def flow_of(session: Session, r: SelectionRound) -> core.Workflow:
    return flow_for(title_of(session, r).level)


def default_name(year: int, title: HonourTitle) -> str:
    """``2026年度县五一劳动奖章推荐`` (upward) or ``2026年度镇级技术能手评选``."""
    return f"{year}年度{title.name}{'推荐' if upward(title.level) else '评选'}"


def save_round(session: Session, round_id: int | None, *, year: int, title_id: int | None,
               quota: int | None = None, call_start: date | None = None, call_end: date | None = None,
               name: str | None = None, document: str | None = None, note: str | None = None) -> SelectionRound:
    """A new round of ``title_id`` (its quota unless one is given), or a round's details changed."""
    if not 2000 <= int(year or 0) <= 2100:
        raise ValidationError("year_invalid", f"年度“{year}”无效")
    t = session.get(HonourTitle, title_id) if title_id else None
    if t is None:
        raise ValidationError("title_missing", "请选择荣誉称号")
    if call_start and call_end and call_end < call_start:
        raise ValidationError("date_order", "征集截止日期不能早于征集开始日期")
    if quota is not None and int(quota) < 0:
        raise ValidationError("quota_invalid", "名额不能为负数")
    if round_id is None:
        r = SelectionRound(programme=HONOURS)
        session.add(r)
        if quota is None:
            quota = t.quota
    else:
        r = get_round(session, round_id)
        if r.award_id != t.id and r.candidates:
            raise ValidationError("in_use", f"评选“{r.name}”已有 {len(r.candidates)} 名推荐对象，不能更换荣誉称号")
    text = (name or "").strip() or default_name(int(year), t)
    if len(text) > 100:
        raise ValidationError("name_length", "评选名称不超过 100 个字")
    r.year, r.award_id, r.name, r.quota = int(year), t.id, text, quota
    r.call_start, r.call_end = call_start, call_end
    r.document, r.note = (document or "").strip() or None, (note or "").strip() or None
    session.flush()
    return r


def delete_round(session: Session, round_id: int) -> str:
    name = get_round(session, round_id).name
    core.delete_round(session, round_id)
    return name


def quota_message(session: Session, r: SelectionRound) -> str | None:
    """The quota's warning for the round as it stands (never a refusal)."""
    flow = flow_of(session, r)
    return core.quota_warning(r.quota, core.counted(flow, r.candidates), quota_word(flow))


# -- nominations --------------------------------------------------------------------------------------


def _clean(text: str | None, limit: int | None = None) -> str | None:
    value = (text or "").strip()
    return (value[:limit] if limit else value) or None


def nominate(session: Session, round_id: int, on: date, *, worker_id: int | None = None,
             organisation_id: int | None = None, team: str | None = None, channel: str | None = ORGANISATION,
             recommender: str | None = None, deeds: str | None = None, materials: str | None = None,
             note: str | None = None, source: str | None = None) -> Candidacy:
    """A nomination (推荐 or 自荐) of a worker, or of a unit (and team) for a collective title."""
    r = get_round(session, round_id, lock=True)
    t = title_of(session, r)
    if r.publicity_start is not None:
        raise ValidationError("round_closed", f"“{r.name}”已于 {r.publicity_start:%Y-%m-%d} 开始公示，不能再添加推荐对象")
    channel = channel or ORGANISATION
    if channel not in (ORGANISATION, SELF):
        raise ValidationError("channel_invalid", f"推荐方式“{channel}”无效")
    if t.recipient == COLLECTIVE:
        org = session.get(Organisation, organisation_id) if organisation_id else None
        if org is None:
            raise ValidationError("organisation_missing", f"“{t.name}”授予集体，请选择推荐的单位")
        team = _clean(team, 60)
        for c in r.candidates:
            if c.organisation_id == org.id and (c.team or None) == team:
                raise ValidationError("duplicate", f"{org.name}{team or ''} 已在本评选的推荐名单中"
                                                   f"（{flow_for(t.level).label(c.stage)}）")
        subject: dict[str, Any] = {"organisation_id": org.id, "team": team}
        default_recommender: str | None = org.name
    else:
        w = session.get(Worker, worker_id) if worker_id else None
        if w is None:
            raise ValidationError("worker_missing", "请从职工名册中选择推荐对象")
        for c in r.candidates:
            if c.worker_id == w.id:
                raise ValidationError("duplicate", f"{w.name} 已在本评选的推荐名单中（{flow_for(t.level).label(c.stage)}），"
                                                   "同一人在一次评选中只能推荐一次")
        subject = {"worker_id": w.id, "organisation_id": w.employer_id}
        default_recommender = w.employer.name if w.employer is not None else None
    if r.call_start is not None and on < r.call_start:
        raise ValidationError("date_order", f"推荐日期不能早于征集开始日期（{r.call_start:%Y-%m-%d}）")
    c = Candidacy(round=r, channel=channel, deeds=_clean(deeds), materials=_clean(materials), note=_clean(note),
                  recommender=_clean(recommender, 100) or (default_recommender if channel == ORGANISATION else None),
                  source=source, **subject)
    return core.start(session, flow_for(t.level), c, on)


def get_nomination(session: Session, candidate_id: int) -> Candidacy:
    c = session.get(Candidacy, candidate_id)
    if c is None or c.round.programme != HONOURS:
        raise ValidationError("not_found", core.NOT_FOUND)
    return c


def edit_nomination(session: Session, candidate_id: int, *, channel: str | None, recommender: str | None,
                    deeds: str | None, materials: str | None, note: str | None, team: str | None = None) -> Candidacy:
    c = get_nomination(session, candidate_id)
    if channel not in (None, ORGANISATION, SELF):
        raise ValidationError("channel_invalid", f"推荐方式“{channel}”无效")
    c.channel = channel or c.channel
    c.recommender, c.deeds, c.materials, c.note = (_clean(recommender, 100), _clean(deeds), _clean(materials),
                                                   _clean(note))
    if c.worker_id is None:
        c.team = _clean(team, 60)
    session.flush()
    return c


def delete_nomination(session: Session, candidate_id: int) -> str:
    c = get_nomination(session, candidate_id)
    name = core.name_of(c)
    core.delete_candidacy(session, flow_of(session, c.round), candidate_id)
    return name


def advance(session: Session, candidate_id: int, on: date, *, document: str | None = None) -> tuple[Candidacy, Holding | None]:
    """One stage forward; naming (命名 / 上级命名) makes the holding (the round's 命名文号 unless
    ``document`` gives the upper body's)."""
    c = get_nomination(session, candidate_id)
    r = c.round
    t = title_of(session, r)
    flow = flow_for(t.level)
    nxt = flow.next(c.stage) if c.stage != core.FAILED else None
    if nxt is None:
        core.check_move(flow, c.stage, c.stage)  # the core's message: closed, or nothing next
        raise ValidationError("stage_closed", f"{core.name_of(c)}没有下一阶段")
    if nxt.code == flow.publicity and r.publicity_start is None:
        raise ValidationError("publicity_missing", "请使用“开始公示…”：设定公示开始日期，结束日期按工作日计算")
    if nxt.code == REPORTED and r.publicity_end is not None and on <= r.publicity_end:
        raise ValidationError("publicity_running", f"公示期至 {r.publicity_end:%Y-%m-%d} 结束，公示期满后方可上报")
    core.move(session, flow, c.id, nxt.code, on)
    if nxt.code != NAMED:
        return c, None
    doc = (document or "").strip() or r.document
    if r.named_on is None:
        r.named_on = on
    if not r.document and doc:
        r.document = doc[:60]
    h = core.hold(session, HONOURS, c, title=t.name, year=r.year, named_on=on, award_id=t.id, level=t.level,
                  body=t.body, document=(doc or None) and doc[:60])
    return c, h


def reject(session: Session, candidate_id: int, on: date, reason: str) -> Candidacy:
    c = get_nomination(session, candidate_id)
    return core.move(session, flow_of(session, c.round), c.id, core.FAILED, on, reason)


def start_publicity(session: Session, round_id: int, first_day: date, days: int) -> tuple[SelectionRound, list[Candidacy]]:
    r = get_round(session, round_id)
    return core.start_publicity(session, flow_of(session, r), round_id, first_day, days)


# -- priority (卓越工程师 → 市级劳动模范、五一劳动奖章) ------------------------------------------------------

_LEVEL_WORDS: dict[str, tuple[str, ...]] = {
    "national": ("全国",), "province": ("省级", "省"), "city": ("市级", "市"), "county": ("县级", "区级", "县", "区"),
    "town": ("镇级", "街道", "乡镇", "镇"),
}


def _level_of(term: str) -> tuple[str | None, str]:
    """``市级劳动模范`` -> (``city``, ``劳动模范``); a term without a level word -> (None, term)."""
    for level, words in _LEVEL_WORDS.items():
        for word in words:
            if term.startswith(word) and len(term) > len(word) + 1:
                return level, term[len(word):]
    return None, term


def names_title(priority: str | None, title: str, level: str | None) -> bool:
    """Whether a holder's ``priority`` text (市级劳动模范、五一劳动奖章) names the title ``title`` of
    ``level``: each listed term, its level word aside, is part of the title's name, and a level
    word (市级) must be the title's level."""
    for term in re.split(r"[、，,；;/和或及\s]+", priority or ""):
        if len(term) < 2:
            continue
        wanted, core_name = _level_of(term)
        _own, title_core = _level_of(title)
        if (core_name in title or core_name in title_core) and (wanted is None or wanted == level):
            return True
    return False


def priorities(session: Session, r: SelectionRound, worker_ids: Iterable[int], on: date) -> dict[int, str]:
    """Why each worker of ``worker_ids`` is a priority nominee for the round's title: the titles they
    hold on ``on`` whose priority names it (``卓越工程师（2025年）``). Read through the core's holdings."""
    t = title_of(session, r)
    holder_titles: dict[int, HonourTitle | None] = {}
    out: dict[int, str] = {}
    for wid in set(worker_ids):
        reasons = []
        for h in core.held_on(session, HONOURS, on, worker_id=wid):
            if h.award_id is None or h.award_id == t.id:
                continue
            if h.award_id not in holder_titles:
                holder_titles[h.award_id] = session.get(HonourTitle, h.award_id)
            held = holder_titles[h.award_id]
            if held is not None and names_title(held.priority, t.name, t.level):
                reasons.append(f"{h.title}（{h.year}年）")
        if reasons:
            out[wid] = "、".join(reasons)
    return out


# -- from a competition entry (the Action on competition_entries) -----------------------------------------


def medal_title(session: Session, level: str | None) -> HonourTitle:
    """The 五一劳动奖章 a competition of ``level`` recommends for: the title of that level, else the
    county's (阜宁: 竞赛综合成绩第一名…按程序可申报县五一劳动奖章, seed 004)."""
    found = [t for t in session.scalars(select(HonourTitle).where(HonourTitle.name.contains(MEDAL),
                                                                  HonourTitle.retired.is_not(True)))
             if t.recipient != COLLECTIVE]
    for wanted in (level, "county"):
        for t in found:
            if t.level == wanted:
                return t
    if not found:
        raise ValidationError("title_missing", f"称号表中没有“{MEDAL}”，请先在“荣誉称号”中添加")
    return found[0]


def open_round(session: Session, title: HonourTitle, year: int) -> SelectionRound:
    """The title's round of ``year`` still taking nominations (no publicity yet), else a new one."""
    for r in session.scalars(select(SelectionRound).where(SelectionRound.programme == HONOURS,
                                                           SelectionRound.award_id == title.id,
                                                           SelectionRound.year == year)
                             .order_by(SelectionRound.id.desc())):
        if r.publicity_start is None:
            return r
    return save_round(session, None, year=year, title_id=title.id)


def entry_source(entry_id: int) -> str:
    return f"competition_entries:{entry_id}"


def nominate_from_entry(session: Session, entry_id: int, facts: dict[str, Any], on: date) -> list[Candidacy]:
    """推荐评选荣誉（五一劳动奖章）from a competition entry's published facts: the event's first place
    by 综合成绩 (``recommended_for_medal``) goes into the open 五一劳动奖章 round of its level and year."""
    source = entry_source(entry_id)
    done = session.scalars(select(Candidacy).where(Candidacy.source == source)).first()
    if done is not None:
        raise ValidationError("already", f"{core.name_of(done)} 已推荐到“{done.round.name}”"
                                         f"（{flow_of(session, done.round).label(done.stage)}），不再重复推荐")
    if not facts.get("recommended_for_medal"):
        raise ValidationError("not_recommended", "只有竞赛项目综合成绩第一名（已标记“推荐五一劳动奖章”）的选手可推荐评选五一劳动奖章")
    workers = [int(w) for w in facts.get("worker_ids") or []]
    if not workers:
        raise ValidationError("worker_missing", "该报名没有选手，无法推荐")
    title = medal_title(session, facts.get("level"))
    r = open_round(session, title, int(facts.get("year") or on.year))
    total = facts.get("total")
    score = f"（综合成绩 {float(total):g} 分）" if total not in (None, "") else ""
    deeds = f"在{facts.get('competition', '')}{facts.get('event', '')}项目中获第一名{score}"
    return [nominate(session, r.id, max(on, r.call_start or on), worker_id=w, channel=ORGANISATION,
                     recommender=str(facts.get("unit") or "") or None, deeds=deeds, source=source,
                     materials="竞赛成绩公示、获奖证书复印件") for w in workers]
