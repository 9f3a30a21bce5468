"""What competitions hand to others: printed reports, certificate records, worker facts, the CLI list.

No Qt. ID numbers never appear in a printed report; the certificate records carry the ID
number only so the issue register can recognise the same person again (never printed).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session, selectinload

from db.errors import ValidationError
from db.models.competitions import TEAM, Competition, Entry, Event, Score, TeamMember
from db.models.core.registers import Worker
from desktop.certificates import wording
from desktop.params import parse_id, record_param
from desktop.programmes.competitions import rules
from desktop.programmes.competitions.queries import headings
from desktop.registry import ReportContext, WorkerFact
from desktop.settings import choice_labels
from reports.spec import ColumnSpec, TableReport

SOURCE_PREFIX = "competitions:entry:"


def _competition(session: Session, params: dict[str, Any]) -> Competition:
    return record_param(session, Competition, params.get("competition"), "竞赛")


def _events(session: Session, comp: Competition, params: dict[str, Any]) -> list[Event]:
    events = session.scalars(select(Event).where(Event.competition_id == comp.id).order_by(Event.id).options(
        selectinload(Event.entries).selectinload(Entry.worker),
        selectinload(Event.entries).selectinload(Entry.members).selectinload(TeamMember.worker),
        selectinload(Event.entries).selectinload(Entry.scores))).all()
    if params.get("event") not in (None, ""):
        wanted = parse_id(params["event"], headings()["event"])
        events = [e for e in events if e.id == wanted]
        if not events:
            raise ValidationError("not_found", f"竞赛“{comp.title}”中没有编号为 {wanted} 的项目")
    return list(events)


def _names(entry: Entry) -> tuple[str, str]:
    """(contestant or team name, team members)."""
    if entry.team_name is not None and entry.worker_id is None:
        return entry.team_name, "、".join(m.worker.name for m in entry.members)
    return (entry.worker.name if entry.worker is not None else ""), ""


def _date_cn(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def _period(comp: Competition) -> str:
    start, end = comp.start_date, comp.end_date
    if start and end and start != end:
        return f"{_date_cn(start)}至{_date_cn(end)}"
    return _date_cn(end or start)


# -- 评分表 ------------------------------------------------------------------------------------------


def score_sheet(session: Session, params: dict[str, Any], ctx: ReportContext) -> TableReport:
    """Judges' blank score sheets: contestant numbers and names, empty score columns."""
    comp = _competition(session, params)
    events = _events(session, comp, params)
    team = comp.kind == TEAM
    several = len(events) > 1
    h = headings()
    columns = [ColumnSpec("event", h["event"], 14)] if several else []
    columns.append(ColumnSpec("number", h["number"], 6, "int"))
    if team:
        columns += [ColumnSpec("name", h["team"], 18), ColumnSpec("members", h["members"], 18)]
        parts = list(rules.TEAM_PARTS)
    else:
        columns += [ColumnSpec("name", h["name"], 8), ColumnSpec("unit", h["worker_unit"], 24)]
        parts = [p for p, w in ((rules.THEORY, max((e.theory_weight for e in events), default=30)),
                                (rules.PRACTICAL, max((e.practical_weight for e in events), default=70))) if w]
    columns += [ColumnSpec(p, rules.PART_LABELS[p] + ("得分" if team else "成绩"), 12, "amount", handwritten=True)
                for p in parts]
    columns.append(ColumnSpec("note", h["notes"], 12, handwritten=True))
    rows: list[tuple[object, ...]] = []
    for ev in events:
        for e in sorted(ev.entries, key=lambda x: x.number):
            name, members = _names(e)
            lead: tuple[object, ...] = (ev.trade,) if several else ()
            middle = (name, members) if team else (name, e.employer or "")
            rows.append((*lead, e.number, *middle, *([None] * len(parts)), None))
    subtitle = f"项目：{events[0].trade}" if len(events) == 1 else f"项目：{'、'.join(e.trade for e in events)}"
    return TableReport(
        title=f"{comp.title}评分表",
        columns=columns,
        rows=rows,
        union_name=ctx.union_name,
        subtitle=subtitle + "　　评委：＿＿＿＿＿＿",
        printed_on=ctx.today,
        footnote=_rule_note(comp, events),
        signatures=("评委签名：＿＿＿＿＿＿＿＿＿＿", "日期：＿＿＿＿年＿＿月＿＿日"),
    )


def _rule_note(comp: Competition, events: list[Event]) -> str:
    if comp.kind == TEAM:
        return "评分说明：团体成绩为必答题与抢答题得分之和，加赛题得分仅用于总分相同时决定名次。"
    notes = []
    for ev in events:
        text = f"理论成绩占 {ev.theory_weight}%，实操成绩占 {ev.practical_weight}%"
        if ev.drop_extremes:
            text += "，去掉一个最高分和一个最低分后取平均"
        notes.append((f"{ev.trade}：" if len(events) > 1 else "") + text)
    return "评分说明：" + "；".join(notes) + "。各项满分 100 分，保留两位小数。"


# -- 成绩公示 ----------------------------------------------------------------------------------------


def results(session: Session, params: dict[str, Any], ctx: ReportContext) -> TableReport:
    """成绩公示: names, employers, results and prizes; the publicity period and objection phone."""
    comp = _competition(session, params)
    events = _events(session, comp, params)
    team = comp.kind == TEAM
    prize_names = ctx.labels.get("prize") or rules.PRIZE_LABELS
    several = len(events) > 1
    h = headings()
    columns = [ColumnSpec("event", h["event"], 14)] if several else []
    columns.append(ColumnSpec("rank", h["rank"], 5, "int"))
    if team:
        columns += [ColumnSpec("name", h["team"], 18), ColumnSpec("unit", h["unit"], 18),
                    ColumnSpec("members", h["members"], 18)]
        columns += [ColumnSpec(p, rules.PART_LABELS[p], 7, "amount") for p in rules.TEAM_PARTS]
    else:
        columns += [ColumnSpec("number", h["number"], 6, "int"), ColumnSpec("name", h["name"], 8),
                    ColumnSpec("unit", h["worker_unit"], 24)]
        columns += [ColumnSpec(p, rules.PART_LABELS[p], 7, "amount") for p in (rules.THEORY, rules.PRACTICAL)]
    columns += [ColumnSpec("total", h["total"], 8, "amount"), ColumnSpec("prize", h["prize"], 8)]
    rows: list[tuple[object, ...]] = []
    for ev in events:
        outcomes = _outcomes(session, ev)
        ordered = sorted(ev.entries, key=lambda x: (x.rank is None, x.rank or 0, x.number))
        for e in ordered:
            o = outcomes[e.id]
            name, members = _names(e)
            lead: tuple[object, ...] = (ev.trade,) if several else ()
            prize = prize_names.get(e.prize, e.prize) if e.prize else ""
            if team:
                body: tuple[object, ...] = (name, e.employer or "", members, o.required, o.buzzer, o.extra)
            else:
                body = (e.number, name, e.employer or "", o.theory, o.practical)
            rows.append((*lead, e.rank, *body, e.total, prize))
    days = comp.publicity_days or 0
    start = ctx.today
    period = f"公示期 {days} 天（{_date_cn(start)}至{_date_cn(start + timedelta(days=max(days - 1, 0)))}）"
    phone = comp.objection_phone or "＿＿＿＿＿＿"
    who = comp.organiser or ctx.union_name or headings()["organiser"]
    subtitle = "　".join(x for x in (_period(comp), period, f"异议受理电话：{phone}") if x)
    footnote = (f"现将成绩予以公示，{period}。如对公示结果有异议，请在公示期内以书面或电话形式实名向{who}反映，"
                f"异议受理电话：{phone}。")
    if any(e.recommended_for_medal for ev in events for e in ev.entries):
        footnote += "各项目第一名中经审核符合条件的，按程序推荐申报五一劳动奖章。"
    return TableReport(title=f"{comp.title}成绩公示", columns=columns, rows=rows, union_name=ctx.union_name,
                       subtitle=subtitle, printed_on=ctx.today, footnote=footnote)


def _outcomes(session: Session, ev: Event) -> dict[int, rules.Outcome]:
    """Part scores for display, from the marks (the totals and places are those stored)."""
    r = rules.EventRules(kind=ev.competition.kind, theory_weight=ev.theory_weight,
                         practical_weight=ev.practical_weight, drop_extremes=bool(ev.drop_extremes))
    out: dict[int, rules.Outcome] = {}
    for e in ev.entries:
        marks: dict[str, list[float]] = {}
        for s in sorted(e.scores, key=lambda x: x.judge):
            marks.setdefault(s.part, []).append(s.value)
        out[e.id] = rules.score_entry(r, rules.EntryScores(e.id, marks))
    return out


# -- 获奖证书 ---------------------------------------------------------------------------------------


def certificate_records(session: Session, params: dict[str, Any]) -> list[dict[str, Any]]:
    """One record per prize-winning person (a team prize: one per member, the team named).

    ``competition`` limits to one competition (and then ``year`` is not applied); ``year``
    otherwise selects competitions by the year of their end date (start date when none).
    """
    labels = choice_labels(session).get("prize") or rules.PRIZE_LABELS
    stmt = (select(Entry, Event, Competition).join(Event, Event.id == Entry.event_id)
            .join(Competition, Competition.id == Event.competition_id)
            .where(Entry.prize.is_not(None))
            .options(selectinload(Entry.worker).selectinload(Worker.employer),
                     selectinload(Entry.members).selectinload(TeamMember.worker).selectinload(Worker.employer)))
    if params.get("competition") not in (None, ""):
        stmt = stmt.where(Competition.id == int(params["competition"]))
    elif params.get("year") not in (None, ""):
        when = func.coalesce(Competition.end_date, Competition.start_date)
        stmt = stmt.where(extract("year", when) == int(params["year"]))
    order = {code: i for i, code in enumerate(rules.PRIZES)}
    found = session.execute(stmt).all()
    found.sort(key=lambda t: (t[2].id, t[1].id, order.get(t[0].prize or "", 9), t[0].rank or 0, t[0].number))
    out: list[dict[str, Any]] = []
    for entry, ev, comp in found:
        # The event as a phrase (title + SOFT + trade + 项目); a team prize says 团体一等奖; the
        # issuer is the competition's organiser when it has one (else issuing takes Settings').
        label = labels.get(entry.prize or "", entry.prize) or ""
        team = entry.team_name is not None and entry.worker_id is None
        base = {"award": wording.team_award(label) if team else label, "title": comp.title,
                "event": wording.event_phrase(comp.title, ev.trade), "date": comp.end_date or comp.start_date,
                "source_ref": f"{SOURCE_PREFIX}{entry.id}", "competition_id": comp.id, "event_id": ev.id,
                "rank": entry.rank,
                "legacy": [(label, rules.event_title(comp.title, ev.trade))]}
        if (comp.organiser or "").strip():
            base["issuer"] = comp.organiser.strip()
        for person in _people(entry):
            unit = entry.employer or (person.employer.name if person.employer is not None else "")
            out.append({"name": person.name, "unit": unit, "team": entry.team_name or "", "worker_id": person.id,
                        "id_number": person.id_number, **base})
    return out


def _people(entry: Entry) -> Iterator[Worker]:
    if entry.worker is not None:
        yield entry.worker
    for m in entry.members:
        yield m.worker


# -- worker facts -------------------------------------------------------------------------------------


def worker_facts(session: Session, worker_id: int) -> list[WorkerFact]:
    """Each entry of the worker (alone or in a team): a prize is ``kind="prize"``, else ``"entry"``."""
    labels = choice_labels(session).get("prize") or rules.PRIZE_LABELS
    member_entries = select(TeamMember.entry_id).where(TeamMember.worker_id == worker_id)
    stmt = (select(Entry, Event.trade, Competition.title, Competition.end_date, Competition.start_date)
            .join(Event, Event.id == Entry.event_id).join(Competition, Competition.id == Event.competition_id)
            .where((Entry.worker_id == worker_id) | Entry.id.in_(member_entries)))
    facts: list[WorkerFact] = []
    medal = headings()["medal"]
    for entry, trade, title, end, start in session.execute(stmt):
        name = rules.event_title(title, trade)
        detail = "　".join(x for x in (f"团队：{entry.team_name}" if entry.team_name else "",
                                       f"名次：第 {entry.rank} 名" if entry.rank else "",
                                       medal if entry.recommended_for_medal else "") if x)
        if entry.prize:
            facts.append(WorkerFact("competitions", f"{name} {labels.get(entry.prize, entry.prize)}", detail,
                                    end or start, "prize"))
        else:
            facts.append(WorkerFact("competitions", f"{name} 参赛", detail, end or start, "entry"))
    return facts


# -- the CLI list ---------------------------------------------------------------------------------


def summary(session: Session) -> list[dict[str, Any]]:
    """``competitions --json``: id, title, events, entries, prize_winners (persons, as certificates count)."""
    events = dict(session.execute(select(Event.competition_id, func.count()).group_by(Event.competition_id)).all())
    entries = dict(session.execute(select(Event.competition_id, func.count(Entry.id))
                                   .join(Entry, Entry.event_id == Event.id).group_by(Event.competition_id)).all())
    solo = dict(session.execute(select(Event.competition_id, func.count(Entry.id)).join(Entry, Entry.event_id == Event.id)
                                .where(Entry.prize.is_not(None), Entry.worker_id.is_not(None))
                                .group_by(Event.competition_id)).all())
    members = dict(session.execute(select(Event.competition_id, func.count(TeamMember.id))
                                   .join(Entry, Entry.event_id == Event.id)
                                   .join(TeamMember, TeamMember.entry_id == Entry.id)
                                   .where(Entry.prize.is_not(None)).group_by(Event.competition_id)).all())
    out = []
    for c in session.scalars(select(Competition).order_by(Competition.id)):
        out.append({"id": c.id, "title": c.title, "events": int(events.get(c.id, 0)),
                    "entries": int(entries.get(c.id, 0)),
                    "prize_winners": int(solo.get(c.id, 0)) + int(members.get(c.id, 0))})
    return out


def score_count(session: Session, competition_id: int) -> int:
    return int(session.scalar(select(func.count(Score.id)).join(Entry, Entry.id == Score.entry_id)
                              .join(Event, Event.id == Entry.event_id)
                              .where(Event.competition_id == competition_id)) or 0)


__all__ = ["certificate_records", "results", "score_sheet", "summary", "worker_facts"]
