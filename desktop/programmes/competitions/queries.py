"""What the competitions tab and its dialogs show, as plain rows (no ORM object leaves). No Qt.

Every function the UI calls takes the open app and opens its own session. The headings the
screens and reports show for a record's columns come from the models' field descriptions
(:func:`headings`), never typed again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from db.errors import ValidationError
from db.fields import Column, column, describe
from db.models.competitions import TEAM, Competition, Entry, Event, TeamMember
from db.models.core.registers import Organisation, Worker
from desktop.programmes.competitions import rules
from desktop.programmes.competitions.service import counts, event_rules, shares
from desktop.programmes.core.forms import is_flag

if TYPE_CHECKING:
    from desktop.context import App

#: Where each heading of the competitions screens and reports is declared: (model, column).
_HEADINGS: dict[str, tuple[type, str]] = {
    "number": (Entry, "number"), "team": (Entry, "team_name"), "unit": (Entry, "employer"),
    "total": (Entry, "total"), "rank": (Entry, "rank"), "prize": (Entry, "prize"),
    "members": (TeamMember, "worker_id"), "name": (Worker, "name"), "worker_unit": (Worker, "employer_id"),
    "event": (Event, "trade"), "notes": (Event, "notes"), "competition": (Competition, "title"),
    "organiser": (Competition, "organiser"), "medal": (Entry, "recommended_for_medal"),
}


@cache
def headings() -> dict[str, str]:
    """姓名, 参赛号, 队名, 单位, 队员, 总成绩, 名次, 奖项 … as the models' fields label them."""
    return {key: column(model, name).label for key, (model, name) in _HEADINGS.items()}


# -- the tree of competitions and events ----------------------------------------------------------


@dataclass(frozen=True)
class CompetitionNode:
    id: int
    title: str
    kind: str
    year: int | None
    events: list[tuple[int, str, int]]  # (event id, trade, entries)


def tree_in(session: Session) -> list[CompetitionNode]:
    """Competitions, newest first, with their events and entry counts (the tab's list)."""
    counts_ = dict(session.execute(select(Entry.event_id, func.count()).group_by(Entry.event_id)).all())
    events: dict[int, list[tuple[int, str, int]]] = {}
    for eid, cid, trade in session.execute(select(Event.id, Event.competition_id, Event.trade).order_by(Event.id)):
        events.setdefault(cid, []).append((eid, trade, int(counts_.get(eid, 0))))
    out = []
    for c in session.scalars(select(Competition).order_by(Competition.end_date.desc().nulls_last(), Competition.id.desc())):
        year = (c.end_date or c.start_date).year if (c.end_date or c.start_date) else None
        out.append(CompetitionNode(c.id, c.title, c.kind, year, events.get(c.id, [])))
    return out


def tree(app: App) -> list[CompetitionNode]:
    with app.db.session() as s:
        return tree_in(s)


# -- what the score grid shows ----------------------------------------------------------------------


@dataclass
class GridRow:
    entry_id: int
    number: int
    name: str  # the contestant, or the team's name
    employer: str
    members: str = ""  # team members, 、-separated
    worker_id: int | None = None
    marks: dict[tuple[str, int], float] = field(default_factory=dict)
    recommended: bool = False


@dataclass(frozen=True)
class CompetitionInfo:
    """The heading line of an event's page: the competition's own description."""

    id: int
    title: str
    kind: str
    level: str | None
    organiser: str
    start_date: date | None
    end_date: date | None
    publicity_days: int
    objection_phone: str


@dataclass
class EventGrid:
    event_id: int
    competition_id: int
    title: str  # 2026年…竞赛数控铣工项目
    trade: str
    kind: str
    judges: int
    rules: rules.EventRules
    rows: list[GridRow]
    outcomes: dict[int, rules.Outcome]
    competition: CompetitionInfo | None = None


def load_grid(session: Session, event_id: int) -> EventGrid:
    ev = session.scalars(select(Event).where(Event.id == event_id).options(
        selectinload(Event.entries).selectinload(Entry.members).selectinload(TeamMember.worker),
        selectinload(Event.entries).selectinload(Entry.worker),
        selectinload(Event.entries).selectinload(Entry.scores))).one_or_none()
    if ev is None:
        raise ValidationError("not_found", "竞赛项目已不存在（可能已被删除）")
    comp = session.get(Competition, ev.competition_id)
    assert comp is not None
    r = event_rules(session, ev)
    rows: list[GridRow] = []
    for e in sorted(ev.entries, key=lambda x: x.number):
        if r.kind == TEAM:
            name = e.team_name or ""
            members = "、".join(m.worker.name for m in e.members)
        else:
            name = e.worker.name if e.worker is not None else ""
            members = ""
        rows.append(GridRow(e.id, e.number, name, e.employer or "", members, e.worker_id,
                            {(s.part, s.judge): s.value for s in e.scores}, bool(e.recommended_for_medal)))
    outcomes = rules.compute(r, [rules.EntryScores(row.entry_id, _by_part(row.marks)) for row in rows])
    info = CompetitionInfo(comp.id, comp.title, comp.kind, comp.level, comp.organiser or "", comp.start_date,
                           comp.end_date, comp.publicity_days, comp.objection_phone or "")
    return EventGrid(ev.id, comp.id, rules.event_title(comp.title, ev.trade), ev.trade, r.kind, ev.judges, r, rows,
                     outcomes, info)


def grid(app: App, event_id: int) -> EventGrid:
    """One event's entries, marks and outcomes; ``not_found`` once it is deleted."""
    with app.db.session() as s:
        return load_grid(s, event_id)


def _by_part(marks: dict[tuple[str, int], float]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for (part, _judge), value in sorted(marks.items(), key=lambda kv: kv[0][1]):
        out.setdefault(part, []).append(value)
    return out


# -- what the forms show --------------------------------------------------------------------------


def form_columns(model: type, names: Sequence[str]) -> list[Column]:
    """The described columns ``names`` of ``model``; a Boolean one carries ``extras["flag"]``."""
    by_name = {c.name: c for c in describe(model)}
    return [replace(by_name[n], extras={**by_name[n].extras, "flag": True}) if is_flag(model, n) else by_name[n]
            for n in names]


def _values(obj: Any, names: Sequence[str]) -> dict[str, Any]:
    return {n: getattr(obj, n, None) for n in names}


COMPETITION_FIELDS = ("title", "organiser", "level", "kind", "start_date", "end_date", "publicity_days",
                      "objection_phone", "notes")
#: Trades of the seed articles, offered beside those in the workers register.
COMMON_TRADES = ("数控铣工", "数控车工", "电工", "焊工", "钳工", "中式烹调师", "医疗装配工", "机电一体化", "育婴师",
                 "养老护理员", "电子商务", "集体协商")


@dataclass(frozen=True)
class RecordForm:
    """A form to fill: its described columns, the values to start from, and what it edits."""

    columns: list[Column]
    values: dict[str, Any]
    title: str = ""  # the competition's title (an existing competition, or the event's competition)
    team: bool = False
    trades: list[str] = field(default_factory=list)


def competition_form(app: App, competition_id: int | None) -> RecordForm:
    cols = form_columns(Competition, COMPETITION_FIELDS)
    if competition_id is None:
        return RecordForm(cols, {**dict.fromkeys(COMPETITION_FIELDS), "kind": rules.INDIVIDUAL, "publicity_days": 5})
    with app.db.session() as s:
        comp = s.get(Competition, competition_id)
        if comp is None:
            raise ValidationError("not_found", "竞赛已不存在（可能已被删除）")
        return RecordForm(cols, _values(comp, COMPETITION_FIELDS), comp.title, comp.kind == TEAM)


def event_form(app: App, competition_id: int, event_id: int | None) -> RecordForm:
    """添加项目 / 项目设置: a team event has no judges or weights; trades to offer for 竞赛项目."""
    with app.db.session() as s:
        comp = s.get(Competition, competition_id)
        if comp is None:
            raise ValidationError("not_found", "竞赛已不存在（可能已被删除）")
        team = comp.kind == TEAM
        names = ["trade", "notes"] if team else ["trade", "judges", "theory_weight", "practical_weight",
                                                  "drop_extremes", "notes"]
        ev = s.get(Event, event_id) if event_id is not None else None
        values = _values(ev, names) if ev is not None else {
            **dict.fromkeys(names), "judges": 3, "theory_weight": 30, "practical_weight": 70, "drop_extremes": False}
        trades = sorted({t for (t,) in s.execute(select(Worker.trade).distinct()) if t} | set(COMMON_TRADES))
        return RecordForm(form_columns(Event, names), {k: v for k, v in values.items() if k in names}, comp.title,
                          team, trades)


@dataclass(frozen=True)
class PrizeTiers:
    trade: str
    mode: str
    counts: tuple[int, int, int, int]
    shares: tuple[int, int, int, int]


def prize_tiers(app: App, event_id: int) -> PrizeTiers:
    with app.db.session() as s:
        ev = s.get(Event, event_id)
        if ev is None:
            raise ValidationError("not_found", "竞赛项目已不存在（可能已被删除）")
        return PrizeTiers(ev.trade, ev.prize_mode, counts(ev), shares(ev))


@dataclass(frozen=True)
class Team:
    name: str
    employer: str
    members: list[tuple[int, str]]  # (worker id, name)


def team(app: App, entry_id: int | None) -> Team:
    """A team entry to edit (an empty one for a new team)."""
    if entry_id is None:
        return Team("", "", [])
    with app.db.session() as s:
        entry = s.get(Entry, entry_id)
        if entry is None:
            return Team("", "", [])
        return Team(entry.team_name or "", entry.employer or "", [(m.worker_id, m.worker.name) for m in entry.members])


def unit_names(app: App) -> list[str]:
    """Every work unit's name, for a team's 单位 (typed freely, offered from the register)."""
    with app.db.session() as s:
        return list(s.scalars(select(Organisation.name).order_by(Organisation.name)))


def entry_facts(app: App, entry_id: int) -> dict[str, Any]:
    """What competitions publishes about one entry to the actions other programmes offer on it
    (``desktop.registry.Action``): plain values, never the record itself."""
    with app.db.session() as s:
        entry = s.get(Entry, entry_id)
        if entry is None:
            raise ValidationError("not_found", "该报名记录已不存在（可能已被删除）")
        event, competition = entry.event, entry.event.competition
        workers = [entry.worker_id] if entry.worker_id is not None else [m.worker_id for m in entry.members]
        return {
            "worker_ids": workers, "team": entry.team_name or "", "unit": entry.employer or "",
            "competition": competition.title, "level": competition.level, "event": event.trade,
            "year": (competition.end_date or competition.start_date or date.today()).year,
            "rank": entry.rank, "prize": entry.prize, "total": entry.total,
            "recommended_for_medal": bool(entry.recommended_for_medal),
        }
