"""Competitions: edit, register contestants, enter scores, rank (every write). No Qt.

The functions over a session (used by the importer, the demo and the CLI) change through the
ORM (so the audit log sees it) inside the caller's session; the caller commits. The functions
the UI calls (at the end) take the open app, do one transaction and return what changed
(:class:`desktop.changes.Changes`, or :class:`~desktop.changes.Done` with a result). Ranking is ``competition_rules``; this module only loads the marks,
stores the outcome and keeps the 五一劳动奖章 flag on the event's first place only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from db.errors import ValidationError
from db.models.competitions import TEAM, Competition, Entry, Event, Score, TeamMember
from db.models.core.registers import Organisation, Worker
from desktop.changes import Changes, Done
from desktop.programmes.competitions import rules
from desktop.programmes.core import registers
from desktop.programmes.core.forms import is_flag as is_flag  # the competition forms ask it
from desktop.programmes.core.forms import validate_form

if TYPE_CHECKING:
    from desktop.context import App

_INT_LIMIT = 1_000_000


# -- editing competitions and events ------------------------------------------------------------


def validate(model: type, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean a form's values from the record description; errors keyed by field name."""
    return validate_form(model, values, int_limit=_INT_LIMIT)


def _raise_first(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError("field_invalid", next(iter(errors.values())))


def save_competition(session: Session, competition_id: int | None, values: dict[str, Any]) -> int:
    clean, errors = validate(Competition, values)
    start, end = clean.get("start_date"), clean.get("end_date")
    if start and end and end < start:
        errors.setdefault("end_date", "结束日期不能早于开始日期")
    if clean.get("kind") not in (None, rules.INDIVIDUAL, rules.TEAM):
        errors.setdefault("kind", "竞赛形式无效")
    _raise_first(errors)
    comp = session.get(Competition, competition_id) if competition_id is not None else Competition()
    if comp is None:
        raise ValidationError("not_found", "竞赛已不存在（可能已被删除）")
    if competition_id is not None and clean.get("kind") and clean["kind"] != comp.kind and _has_entries(comp):
        raise ValidationError("kind_locked", "已有报名，不能再改变个人赛/团体赛形式")
    for key, value in clean.items():
        if value is None and key in ("kind", "publicity_days"):
            continue
        setattr(comp, key, value)
    if competition_id is None:
        comp.kind = comp.kind or rules.INDIVIDUAL
        comp.publicity_days = comp.publicity_days if comp.publicity_days is not None else 5
        session.add(comp)
    session.flush()
    return comp.id


def _has_entries(comp: Competition) -> bool:
    return any(e.entries for e in comp.events)


def save_event(session: Session, competition_id: int, event_id: int | None, values: dict[str, Any]) -> int:
    """Add or change an event; weights, judges and prize tiers are checked, results recomputed."""
    clean, errors = validate(Event, values)
    _raise_first(errors)
    ev = session.get(Event, event_id) if event_id is not None else Event(competition_id=competition_id)
    if ev is None:
        raise ValidationError("not_found", "竞赛项目已不存在（可能已被删除）")
    defaults = {c.name: c.default.arg for c in Event.__table__.c  # type: ignore[attr-defined]
                if c.default is not None and not callable(c.default.arg)}
    for key, value in clean.items():
        if value is None and key in defaults:
            value = getattr(ev, key) if getattr(ev, key) is not None else defaults[key]
        setattr(ev, key, value)
    for key, value in defaults.items():
        if getattr(ev, key) is None:
            setattr(ev, key, value)
    rules.check_weights(ev.theory_weight, ev.practical_weight)
    ev.judges = rules.check_judges(ev.judges)
    rules.check_prize_config(ev.prize_mode, counts(ev), shares(ev))
    duplicate = session.scalar(select(Event.id).where(
        Event.competition_id == ev.competition_id, Event.trade == ev.trade, Event.id != (event_id or -1)))
    if duplicate is not None:
        raise ValidationError("duplicate", f"本竞赛已有“{ev.trade}”项目")
    if event_id is None:
        session.add(ev)
    session.flush()
    compute_event(session, ev.id)
    return ev.id


def counts(ev: Event) -> tuple[int, int, int, int]:
    return (ev.first_count, ev.second_count, ev.third_count, ev.merit_count)


def shares(ev: Event) -> tuple[int, int, int, int]:
    return (ev.first_share, ev.second_share, ev.third_share, ev.merit_share)


def set_prize_tiers(session: Session, event_id: int, mode: str, counts_: Sequence[int],
                    shares_: Sequence[int]) -> dict[int, rules.Outcome]:
    """设定奖项: by count or by share; the event is ranked again with the new tiers."""
    ev = _event(session, event_id)
    rules.check_prize_config(mode, counts_, shares_)
    ev.prize_mode = mode
    ev.first_count, ev.second_count, ev.third_count, ev.merit_count = (int(n) for n in counts_)
    ev.first_share, ev.second_share, ev.third_share, ev.merit_share = (int(n) for n in shares_)
    session.flush()
    return compute_event(session, event_id)


def delete_competition(session: Session, competition_id: int) -> None:
    comp = session.get(Competition, competition_id)
    if comp is not None:
        session.delete(comp)
        session.flush()


def delete_event(session: Session, event_id: int) -> None:
    ev = session.get(Event, event_id)
    if ev is not None:
        session.delete(ev)
        session.flush()


def delete_entry(session: Session, entry_id: int) -> None:
    entry = session.get(Entry, entry_id)
    if entry is None:
        return
    event_id = entry.event_id
    session.delete(entry)
    session.flush()
    compute_event(session, event_id)


def _event(session: Session, event_id: int) -> Event:
    ev = session.get(Event, event_id)
    if ev is None:
        raise ValidationError("not_found", "竞赛项目已不存在（可能已被删除）")
    return ev


# -- registration ---------------------------------------------------------------------------------


def _employer_name(session: Session, worker: Worker) -> str | None:
    if worker.employer_id is None:
        return None
    return session.scalar(select(Organisation.name).where(Organisation.id == worker.employer_id))


def _next_number(session: Session, event_id: int) -> int:
    return int(session.scalar(select(func.max(Entry.number)).where(Entry.event_id == event_id)) or 0) + 1


def _kind(session: Session, ev: Event) -> str:
    return session.scalar(select(Competition.kind).where(Competition.id == ev.competition_id)) or rules.INDIVIDUAL


def register_worker(session: Session, event_id: int, worker_id: int, employer: str | None = None) -> int:
    """报名: a worker of the register enters an individual event; returns the entry id."""
    ev = _event(session, event_id)
    if _kind(session, ev) == TEAM:
        raise ValidationError("team_event", "团体赛请按队报名（队名和队员）")
    worker = session.get(Worker, worker_id)
    if worker is None:
        raise ValidationError("not_found", "职工已不存在（可能已被删除）")
    taken = session.scalar(select(Entry.number).where(Entry.event_id == event_id, Entry.worker_id == worker_id))
    if taken is not None:
        raise ValidationError("duplicate", f"{worker.name}已报名本项目（参赛号 {taken}）")
    entry = Entry(event_id=event_id, number=_next_number(session, event_id), worker_id=worker_id,
                  employer=(employer or _employer_name(session, worker) or None))
    session.add(entry)
    session.flush()
    return entry.id


def register_new_worker(session: Session, event_id: int, values: dict[str, Any]) -> tuple[int, int]:
    """A contestant not yet in the register: saved there first (desktop.programmes.core.registers), then entered."""
    worker_id = registers.save(session, "workers", None, values)
    return worker_id, register_worker(session, event_id, worker_id)


def register_team(session: Session, event_id: int, team_name: str, employer: str | None,
                  member_ids: Sequence[int], entry_id: int | None = None) -> int:
    """A team entry (队名, 单位, 队员); with ``entry_id`` the team is changed."""
    ev = _event(session, event_id)
    if _kind(session, ev) != TEAM:
        raise ValidationError("individual_event", "个人赛请逐人报名")
    name = " ".join((team_name or "").split())
    if not name:
        raise ValidationError("team_name_missing", "请填写队名")
    other = session.scalar(select(Entry.number).where(Entry.event_id == event_id, Entry.team_name == name,
                                                      Entry.id != (entry_id or -1)))
    if other is not None:
        raise ValidationError("duplicate", f"本项目已有“{name}”（参赛号 {other}）")
    ids = list(dict.fromkeys(int(i) for i in member_ids))
    if not ids:
        raise ValidationError("members_missing", "请至少选择一名队员")
    clash = session.execute(
        select(Worker.name, Entry.team_name).join(TeamMember, TeamMember.worker_id == Worker.id)
        .join(Entry, Entry.id == TeamMember.entry_id)
        .where(Entry.event_id == event_id, Worker.id.in_(ids), Entry.id != (entry_id or -1))).first()
    if clash is not None:
        raise ValidationError("duplicate", f"{clash[0]}已是“{clash[1]}”的队员")
    if entry_id is None:
        entry = Entry(event_id=event_id, number=_next_number(session, event_id))
        session.add(entry)
    else:
        found = session.get(Entry, entry_id)
        if found is None:
            raise ValidationError("not_found", "报名记录已不存在（可能已被删除）")
        entry = found
    entry.team_name = name
    entry.employer = " ".join((employer or "").split()) or None
    session.flush()
    session.execute(delete(TeamMember).where(TeamMember.entry_id == entry.id))
    for position, wid in enumerate(ids, 1):
        if session.get(Worker, wid) is None:
            raise ValidationError("not_found", "所选队员已不在职工名册中")
        session.add(TeamMember(entry_id=entry.id, worker_id=wid, position=position))
    session.flush()
    session.expire(entry, ["members"])
    return entry.id


def add_team_member(session: Session, entry_id: int, worker_id: int) -> None:
    entry = session.get(Entry, entry_id)
    if entry is None:
        raise ValidationError("not_found", "报名记录已不存在（可能已被删除）")
    ids = [m.worker_id for m in entry.members]
    register_team(session, entry.event_id, entry.team_name or "", entry.employer, [*ids, worker_id], entry.id)


# -- scores and results -------------------------------------------------------------------------


def store_mark(session: Session, entry_id: int, part: str, judge: int, value: float | None) -> None:
    """Write one checked mark (None removes it) without ranking the event again."""
    score = session.scalar(select(Score).where(Score.entry_id == entry_id, Score.part == part, Score.judge == judge))
    if value is None:
        if score is not None:
            session.delete(score)
    elif score is None:
        session.add(Score(entry_id=entry_id, part=part, judge=judge, value=value))
    elif score.value != value:
        score.value = value
    session.flush()


def set_score(session: Session, entry_id: int, part: str, judge: int, raw: object) -> dict[int, rules.Outcome]:
    """Store one mark (blank removes it) and rank the event again; a bad mark raises and stores nothing."""
    value = rules.parse_score(raw, part)
    entry = session.get(Entry, entry_id)
    if entry is None:
        raise ValidationError("not_found", "报名记录已不存在（可能已被删除）")
    if judge < 1 or judge > rules.MAX_JUDGES:
        raise ValidationError("judge_invalid", f"评委序号应在 1–{rules.MAX_JUDGES} 之间")
    kind = _kind(session, entry.event)
    allowed = rules.TEAM_PARTS if kind == TEAM else rules.INDIVIDUAL_PARTS
    if part not in allowed:
        raise ValidationError("part_invalid", f"{'团体赛' if kind == TEAM else '个人赛'}没有“{rules.PART_LABELS[part]}”成绩")
    store_mark(session, entry_id, part, judge, value)
    return compute_event(session, entry.event_id)


def event_rules(session: Session, ev: Event) -> rules.EventRules:
    return rules.EventRules(kind=_kind(session, ev), theory_weight=ev.theory_weight,
                            practical_weight=ev.practical_weight, drop_extremes=bool(ev.drop_extremes),
                            prize_mode=ev.prize_mode, counts=counts(ev), shares=shares(ev))


def compute_event(session: Session, event_id: int) -> dict[int, rules.Outcome]:
    """计算名次: totals, places and prizes stored on the entries; a 五一劳动奖章 recommendation
    stays only on a first place."""
    ev = _event(session, event_id)
    marks: dict[int, dict[str, list[float]]] = {}
    entries = session.scalars(select(Entry).where(Entry.event_id == event_id)).all()
    for e in entries:
        marks[e.id] = {}
    for entry_id, part, value in session.execute(
            select(Score.entry_id, Score.part, Score.value).join(Entry, Entry.id == Score.entry_id)
            .where(Entry.event_id == event_id).order_by(Score.judge)):
        marks[entry_id].setdefault(part, []).append(value)
    r = event_rules(session, ev)
    outcomes = rules.compute(r, [rules.EntryScores(i, m) for i, m in marks.items()])
    for e in entries:
        o = outcomes[e.id]
        if e.total != o.total:
            e.total = o.total
        if e.rank != o.rank:
            e.rank = o.rank
        if e.prize != o.prize:
            e.prize = o.prize
        if e.recommended_for_medal and rules.medal_problem(r.kind, o.rank):
            e.recommended_for_medal = False
    session.flush()
    return outcomes


def compute_competition(session: Session, competition_id: int) -> dict[int, rules.Outcome]:
    out: dict[int, rules.Outcome] = {}
    for event_id in session.scalars(select(Event.id).where(Event.competition_id == competition_id)):
        out.update(compute_event(session, event_id))
    return out


def recommend_for_medal(session: Session, entry_id: int, flag: bool = True) -> None:
    """推荐五一劳动奖章: only the event's first place (an individual); the honours programme reads it."""
    entry = session.get(Entry, entry_id)
    if entry is None:
        raise ValidationError("not_found", "报名记录已不存在（可能已被删除）")
    if flag:
        problem = rules.medal_problem(_kind(session, entry.event), entry.rank)
        if problem:
            raise ValidationError("medal_not_allowed", problem)
    entry.recommended_for_medal = bool(flag)
    session.flush()


# -- for the UI: one transaction each, returning what changed ----------------------------------------

COMPETITIONS, EVENTS, ENTRIES = "competitions", "competition_events", "competition_entries"
MEMBERS, SCORES = "competition_team_members", "competition_scores"


def competition_errors(values: dict[str, Any]) -> dict[str, str]:
    """A competition form's problems keyed by field (shown under each field before saving)."""
    return validate(Competition, values)[1]


def write_competition(app: App, competition_id: int | None, values: dict[str, Any]) -> Done[int]:
    """新建竞赛 / 编辑竞赛; the competition's id."""
    with app.db.session() as s:
        cid = save_competition(s, competition_id, values)
    return Done(cid, Changes.of(COMPETITIONS, rows=[(COMPETITIONS, cid)]))


def write_event(app: App, competition_id: int, event_id: int | None, values: dict[str, Any]) -> Done[int]:
    """添加项目 / 项目设置 (the event ranked again); the event's id."""
    with app.db.session() as s:
        eid = save_event(s, competition_id, event_id, values)
    return Done(eid, Changes.of(EVENTS, ENTRIES, rows=[(EVENTS, eid)]))


def write_prize_tiers(app: App, event_id: int, mode: str, counts_: Sequence[int],
                      shares_: Sequence[int]) -> Done[dict[int, rules.Outcome]]:
    with app.db.session() as s:
        outcomes = set_prize_tiers(s, event_id, mode, counts_, shares_)
    return Done(outcomes, Changes.of(EVENTS, ENTRIES, rows=[(EVENTS, event_id)]))


@dataclass(frozen=True)
class Registered:
    entry_id: int
    number: int
    name: str


def enter_worker(app: App, event_id: int, worker_id: int) -> Done[Registered]:
    """报名: a worker of the register enters an individual event."""
    with app.db.session() as s:
        entry_id = register_worker(s, event_id, worker_id)
        entry = s.get(Entry, entry_id)
        assert entry is not None and entry.worker is not None
        done = Registered(entry_id, entry.number, entry.worker.name)
    return Done(done, Changes.of(ENTRIES, rows=[(ENTRIES, entry_id)]))


def write_team(app: App, event_id: int, team_name: str, employer: str | None, member_ids: Sequence[int],
               entry_id: int | None = None) -> Done[int]:
    with app.db.session() as s:
        eid = register_team(s, event_id, team_name, employer, member_ids, entry_id)
    return Done(eid, Changes.of(ENTRIES, MEMBERS, rows=[(ENTRIES, eid)]))


def write_score(app: App, entry_id: int, part: str, judge: int, raw: object) -> Done[dict[int, rules.Outcome]]:
    """One typed mark (blank removes it); the event's outcomes after ranking it again."""
    with app.db.session() as s:
        outcomes = set_score(s, entry_id, part, judge, raw)
    return Done(outcomes, Changes.of(SCORES, ENTRIES, rows=[(ENTRIES, entry_id)]))


def remove_entry(app: App, entry_id: int) -> Changes:
    with app.db.session() as s:
        delete_entry(s, entry_id)
    return Changes.of(ENTRIES, MEMBERS, SCORES, rows=[(ENTRIES, entry_id)])


def remove_event(app: App, event_id: int) -> Changes:
    with app.db.session() as s:
        delete_event(s, event_id)
    return Changes.of(EVENTS, ENTRIES, MEMBERS, SCORES, rows=[(EVENTS, event_id)])


def remove_competition(app: App, competition_id: int) -> Changes:
    with app.db.session() as s:
        delete_competition(s, competition_id)
    return Changes.of(COMPETITIONS, EVENTS, ENTRIES, MEMBERS, SCORES, rows=[(COMPETITIONS, competition_id)])


def rank_event(app: App, event_id: int) -> Done[dict[int, rules.Outcome]]:
    """计算名次 for one event."""
    with app.db.session() as s:
        outcomes = compute_event(s, event_id)
    return Done(outcomes, Changes.of(ENTRIES, rows=[(EVENTS, event_id)]))


def write_medal(app: App, entry_id: int, flag: bool) -> Changes:
    """推荐五一劳动奖章 (or withdraw it)."""
    with app.db.session() as s:
        recommend_for_medal(s, entry_id, flag)
    return Changes.of(ENTRIES, rows=[(ENTRIES, entry_id)])

