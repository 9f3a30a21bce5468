"""Demo competitions in the current year, from the seed articles: the county's 匠心杯 skills
contest (数控铣工, 电工, 中式烹调师), a town's collective-bargaining team contest (13 teams of
3, prizes 1/2/5 as in 西湖区), and an industrial-chain contest (医疗装配工, 机电一体化) with
prizes by share. Contestants are workers already in the database; judges' marks are drawn,
the events ranked, and the best 数控铣工 recommended for the 五一劳动奖章.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.competitions import TEAM, Competition, Entry, Event, Score, TeamMember
from db.models.core.registers import Organisation, Worker
from desktop.programmes.competitions import rules
from desktop.programmes.competitions.service import compute_event, recommend_for_medal

TEAMS, TEAM_SIZE = 13, 3


def _day(today: date, back: int) -> date:
    d = today - timedelta(days=back)
    return d if d.year == today.year else date(today.year, 1, 1)


def _pick(rng: random.Random, pool: list[tuple[int, str, int | None]], trade: str, n: int,
          used: set[int]) -> list[tuple[int, str, int | None]]:
    """n workers, those of the trade first, none twice in one event."""
    same = [w for w in pool if w[1] == trade and w[0] not in used]
    rng.shuffle(same)
    chosen = same[:n]
    if len(chosen) < n:
        taken = {w[0] for w in chosen} | used
        others = [w for w in pool if w[0] not in taken]
        chosen += rng.sample(others, min(n - len(chosen), len(others)))
    return chosen


def _mark(rng: random.Random, level: float) -> float:
    return max(40.0, min(99.5, round((level + rng.gauss(0, 2.5)) * 2) / 2))


def _individual_event(session: Session, rng: random.Random, comp: Competition, trade: str, spec: dict[str, Any],
                      pool: list[tuple[int, str, int | None]], orgs: dict[int, str]) -> Event:
    ev = Event(competition_id=comp.id, trade=trade, **spec)
    session.add(ev)
    session.flush()
    people = _pick(rng, pool, trade, rng.randint(10, 14), set())
    for number, (wid, _trade, employer) in enumerate(people, 1):
        entry = Entry(event_id=ev.id, number=number, worker_id=wid, employer=orgs.get(employer or 0))
        session.add(entry)
        session.flush()
        skill = rng.gauss(80, 7)
        knowledge = skill + rng.gauss(0, 6)
        for judge in range(1, ev.judges + 1):
            if ev.theory_weight:
                session.add(Score(entry_id=entry.id, part=rules.THEORY, judge=judge, value=_mark(rng, knowledge)))
            session.add(Score(entry_id=entry.id, part=rules.PRACTICAL, judge=judge, value=_mark(rng, skill)))
    session.flush()
    compute_event(session, ev.id)
    return ev


def _team_event(session: Session, rng: random.Random, comp: Competition,
                pool: list[tuple[int, str, int | None]], orgs: dict[int, str]) -> Event | None:
    by_org: dict[int, list[int]] = {}
    for wid, _trade, employer in pool:
        if employer is not None:
            by_org.setdefault(employer, []).append(wid)
    units = [o for o, ws in sorted(by_org.items()) if len(ws) >= TEAM_SIZE]
    if len(units) < 3:
        return None
    rng.shuffle(units)
    ev = Event(competition_id=comp.id, trade="集体协商", judges=1, theory_weight=0, practical_weight=100,
               prize_mode=rules.COUNT, first_count=1, second_count=2, third_count=5, merit_count=0)
    session.add(ev)
    session.flush()
    entries: list[Entry] = []
    for number, org in enumerate(units[:TEAMS], 1):
        entry = Entry(event_id=ev.id, number=number, team_name=f"{orgs[org]}工会", employer=orgs[org])
        session.add(entry)
        session.flush()
        for position, wid in enumerate(rng.sample(by_org[org], TEAM_SIZE), 1):
            session.add(TeamMember(entry_id=entry.id, worker_id=wid, position=position))
        strength = rng.random()
        session.add(Score(entry_id=entry.id, part=rules.ROUND_REQUIRED, judge=1,
                          value=float(10 * min(10, max(4, round(4 + 6 * strength + rng.gauss(0, 1.2)))))))
        session.add(Score(entry_id=entry.id, part=rules.ROUND_BUZZER, judge=1,
                          value=float(10 * min(6, max(0, round(6 * strength + rng.gauss(0, 1.5)))))))
        entries.append(entry)
    session.flush()
    outcomes = compute_event(session, ev.id)
    # 加赛 for the teams tied on a place that decides a prize.
    tied: dict[int, list[int]] = {}
    for o in outcomes.values():
        if o.rank is not None and o.prize is not None:
            tied.setdefault(o.rank, []).append(o.entry_id)
    for group in tied.values():
        if len(group) > 1:
            for entry_id, value in zip(group, rng.sample(range(0, 40, 10), len(group)) if len(group) <= 4
                                       else [rng.randrange(0, 40, 10) for _ in group], strict=True):
                session.add(Score(entry_id=entry_id, part=rules.ROUND_EXTRA, judge=1, value=float(value)))
    session.flush()
    compute_event(session, ev.id)
    return ev


def demo(session: Session, rng: random.Random, today: date) -> None:
    pool = [(int(w), t or "", e) for w, t, e in session.execute(select(Worker.id, Worker.trade, Worker.employer_id))]
    if len(pool) < 12:
        return
    orgs = {int(i): n for i, n in session.execute(select(Organisation.id, Organisation.name))}
    year = today.year

    end = _day(today, 45)
    county = Competition(title=f"{year}年宁海县“匠心杯”职工职业技能竞赛", organiser="宁海县总工会、宁海县人力资源和社会保障局",
                         level="county", kind="individual", start_date=max(end - timedelta(days=2), date(year, 1, 1)),
                         end_date=end, publicity_days=5, objection_phone="0574-65563219",
                         notes="按竞赛综合成绩确定名次；各项目第一名符合条件的，按程序推荐申报宁海县五一劳动奖章。")
    session.add(county)
    session.flush()
    milling = _individual_event(session, rng, county, "数控铣工", {
        "judges": 5, "theory_weight": 30, "practical_weight": 70, "drop_extremes": True,
        "first_count": 1, "second_count": 2, "third_count": 3, "merit_count": 4}, pool, orgs)
    _individual_event(session, rng, county, "电工", {
        "judges": 3, "theory_weight": 40, "practical_weight": 60, "drop_extremes": False,
        "first_count": 1, "second_count": 2, "third_count": 3, "merit_count": 0}, pool, orgs)
    _individual_event(session, rng, county, "中式烹调师", {
        "judges": 5, "theory_weight": 20, "practical_weight": 80, "drop_extremes": True,
        "prize_mode": rules.SHARE, "first_share": 10, "second_share": 20, "third_share": 30, "merit_share": 0},
        pool, orgs)
    winner = session.scalar(select(Entry.id).where(Entry.event_id == milling.id, Entry.rank == 1)
                            .order_by(Entry.number))
    if winner is not None:
        recommend_for_medal(session, winner)

    end = _day(today, 20)
    town = Competition(title=f"{year}年跃龙街道集体协商技能比武大赛", organiser="宁海县跃龙街道总工会", level="town",
                       kind=TEAM, start_date=end, end_date=end, publicity_days=5, objection_phone="0574-65128870",
                       notes="竞赛分团队必答、抢答题、加赛题 3 个环节，每队 3 名选手。")
    session.add(town)
    session.flush()
    _team_event(session, rng, town, pool, orgs)

    end = _day(today, 8)
    chain = Competition(title=f"{year}年宁海县医疗器械产业链职工技能比武", organiser="宁海县总工会", level="industry",
                        kind="individual", start_date=max(end - timedelta(days=1), date(year, 1, 1)),
                        end_date=end, publicity_days=7, objection_phone="0574-65563219")
    session.add(chain)
    session.flush()
    for trade in ("医疗装配工", "机电一体化"):
        _individual_event(session, rng, chain, trade, {
            "judges": 3, "theory_weight": 30, "practical_weight": 70, "drop_extremes": False,
            "prize_mode": rules.SHARE, "first_share": 10, "second_share": 20, "third_share": 30,
            "merit_share": 20}, pool, orgs)
