"""劳动和技能竞赛 (competitions): the programme's declaration and what its tab shows. No Qt.

The parts live beside this module: ``competition_rules`` (scoring, ranking, prizes: pure),
``competition_service`` (editing, registration, marks, ranking over a session),
``competition_import`` (entry lists and score sheets from Excel), ``competition_reports``
(评分表, 成绩公示, certificate records, worker facts, the CLI list) and ``competition_demo``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from db.errors import ValidationError
from db.models.competitions import TEAM, Competition, Entry, Event, Score, TeamMember
from db.models.core.registers import Organisation, Worker
from db.privacy import mask_id
from desktop.programmes.competitions import rules
from desktop.programmes.competitions.demo import demo
from desktop.programmes.competitions.reports import certificate_records, results, score_sheet, worker_facts
from desktop.programmes.competitions.service import event_rules
from desktop.registry import CertificateSource, Programme, ReportParam, ReportSpec

COMPETITION_PARAM = ReportParam("competition", "竞赛", "ref", required=True, ref="competitions")
EVENT_PARAM = ReportParam("event", "竞赛项目", "ref", ref="competition_events")

@dataclass(frozen=True)
class WorkerHit:
    id: int
    name: str
    id_masked: str
    employer: str
    trade: str


def search_workers(session: Session, text: str, limit: int = 50) -> list[WorkerHit]:
    """Workers by part of the name, pinyin initials or ID number (报名 from the register)."""
    words = text.strip()
    stmt = (select(Worker.id, Worker.name, Worker.id_number, Organisation.name, Worker.trade)
            .outerjoin(Organisation, Worker.employer_id == Organisation.id))
    if words:
        like = f"%{words}%"
        stmt = stmt.where(or_(Worker.name.like(like), Worker.name_initials.like(f"{words.lower()}%"),
                              Worker.id_number.like(f"%{words.upper()}%") if len(words) >= 4 else Worker.id < 0))
    rows = session.execute(stmt.order_by(Worker.name, Worker.id).limit(limit)).all()
    return [WorkerHit(r[0], r[1], mask_id(r[2]), r[3] or "", r[4] or "") for r in rows]



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
    return EventGrid(ev.id, comp.id, rules.event_title(comp.title, ev.trade), ev.trade, r.kind, ev.judges, r, rows,
                     outcomes)


def _by_part(marks: dict[tuple[str, int], float]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for (part, _judge), value in sorted(marks.items(), key=lambda kv: kv[0][1]):
        out.setdefault(part, []).append(value)
    return out


@dataclass(frozen=True)
class CompetitionNode:
    id: int
    title: str
    kind: str
    year: int | None
    events: list[tuple[int, str, int]]  # (event id, trade, entries)


def tree(session: Session) -> list[CompetitionNode]:
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


PROGRAMME = Programme(
    key="competitions",
    models=(Competition, Event, Entry, TeamMember, Score),
    reports=(
        ReportSpec("competitions.score_sheet", "竞赛评分表", score_sheet, ("pdf", "xlsx"),
                   (COMPETITION_PARAM, EVENT_PARAM)),
        ReportSpec("competitions.results", "竞赛成绩公示", results, ("pdf", "xlsx"), (COMPETITION_PARAM,)),
    ),
    certificate_sources=(
        CertificateSource(key="competitions", title="竞赛获奖证书", records=certificate_records, params=(
            ReportParam("year", "年份", "year"),
            ReportParam("competition", "竞赛", "ref", ref="competitions"),
        )),
    ),
    worker_facts=worker_facts,
    demo=demo,
    ref_models={"competitions": Competition},
)
