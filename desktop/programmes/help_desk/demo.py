"""Demo data for 劳模工匠助企行, from the seeds' figures:

- three teams: 宁海县劳模工匠帮帮团 (002: founded 2017, honour holders and skilled workers of the
  register plus two outside experts named only: 周国全, 002's 大工匠 (浙江工匠), is not in the township's
  register), a 金蓝领 team and a 技术服务队 of six (004 盐城: 6名劳模工匠);
- last year's and this year's demands of every kind, channel and region (对口协作 四川省普格县 and
  浙江省景宁县, 跨地区 浙江省丽水市: 002), about one in ten a 急诊单, accepted on average about five
  minutes after dispatch (002: 平均用时5分钟), most solved, a few 未解决 and 转办, most revisited,
  with visits, benefits (actual and expected) and trainees; 周国全's three 派工单 of 002 last
  spring; the 技术服务队's four problems this year (004 盐城: 解决问题4个, 55人次, 产生或预期产生效益45万元);
- the year's targets (建湖's measures, 004, at the scale of the township's own last year).

Every time lies before now. Records are written as ORM objects with one flush a year: the demo
database of the tests is built hundreds of times (at most about 250 demands).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.core.cases import Case, CaseAttachment, CaseMove, CaseParty
from db.models.core.registers import Organisation, Worker
from db.models.core.selection import Holding
from db.models.help_desk import Demand, Member, Target, Team, Visit
from desktop.programmes.core.cases import number
from desktop.programmes.core.selection import actor
from desktop.programmes.help_desk import rules as r
from desktop.programmes.help_desk.demands import summary_of
from desktop.programmes.help_desk.demo_text import (
    EXPERTS,
    PROBLEMS,
    SOLUTIONS,
    TRANSFER_TO,
    UNSOLVED,
    VISITS,
    ZHOU_SLIPS,
    contact_name,
    specialty,
)

PAIRED, CROSS = ("四川省普格县", "浙江省景宁县"), "浙江省丽水市"
KINDS = (("research", 15), ("breakdown", 25), ("process", 18), ("automation", 12), ("training", 10),
         ("consulting", 10), ("apprentice", 5), ("management", 5))
CHANNELS = (("online", 55), ("visit", 25), ("enterprise", 20))
SKILLED = ("senior", "technician", "senior_technician")
MAKERS = ("制造", "模具", "维修", "加工", "塑料", "设备", "纺织", "零部件", "电机", "五金")
RESULTS = (("获实用新型专利1项", 1), ("形成先进操作法1项", 1), ("获实用新型专利1项、形成操作法1项", 2))
# 建湖's plan (004: 不少于30人次, 30个, 200人次, 2个) is a county's first year; the demo township served
# 109 enterprises last year (宁海 2023: 100余家次), so this year's targets follow its own last year.
TARGETS_THIS = (("craftsmen", 200), ("problems", 90), ("trained", 400), ("results", 5), ("enterprises", 110),
                ("benefit", 1000))
TARGETS_LAST = (("craftsmen", 150), ("problems", 90), ("trained", 300), ("results", 5), ("enterprises", 100))


def _office_hours(at: datetime) -> datetime:
    """``at``, or the next morning's office hours when it falls in the night (acceptance is minutes
    after dispatch, whenever that is)."""
    if at.hour < 8:
        return at.replace(hour=8)
    if at.hour >= 18:
        return (at + timedelta(days=1)).replace(hour=8)
    return at


def _pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _w in table], [w for _c, w in table])[0]


def _wan(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(str(round(rng.uniform(low, high), 1))).quantize(Decimal("0.01"))


@dataclass
class Plan:
    """One demand as planned: what it is, who goes, and its timeline (cut at ``limit``)."""

    org: Organisation
    team: Team
    received: datetime
    kind: str
    problem: str
    urgency: str = "normal"
    channel: str = "online"
    region: str = "local"
    place: str | None = None
    crew: list[Member] = field(default_factory=list)
    outcome: str = r.SOLVED
    trained: int | None = None
    actual: Decimal | None = None
    expected: Decimal | None = None
    solution: str | None = None
    fixed: bool = False  # the benefits are as planned (None: none), not drawn
    steps: dict[str, float] = field(default_factory=dict)  # hours after the previous stage (override)


@dataclass
class Writer:
    session: Session
    rng: random.Random
    limit: datetime  # nothing happens at or after this
    by: tuple[str, str]
    seqs: dict[int, int] = field(default_factory=dict)

    def write(self, plans: list[Plan]) -> None:
        for p in sorted(plans, key=lambda x: x.received):
            if p.received < self.limit:
                self.demand(p)
        self.session.flush()

    def times(self, p: Plan) -> list[tuple[str, datetime]]:
        rng, emergency = self.rng, p.urgency == r.EMERGENCY
        hours = {
            r.DISPATCHED: rng.uniform(0.1, 0.6) if emergency else rng.uniform(0.3, 20),
            r.ACCEPTED: (rng.randint(1, 3) if emergency else 1 + min(int(rng.expovariate(1 / 4.8)), 25)) / 60,
            r.SERVING: rng.uniform(1, 6) if emergency else rng.uniform(2, 72),
            "close": rng.uniform(20, 160) if emergency else rng.uniform(48, 720),
            r.REVISITED: rng.uniform(120, 480),
        } | p.steps
        at, out = p.received, []
        for stage in (r.DISPATCHED, r.ACCEPTED, r.SERVING, "close", r.REVISITED):
            at = at + timedelta(hours=hours[stage])
            at = (at if stage == r.ACCEPTED else _office_hours(at)).replace(second=0, microsecond=0)
            if at >= self.limit:
                break
            if stage == r.REVISITED and (p.outcome == r.TRANSFERRED or rng.random() < 0.15):
                break
            out.append((p.outcome if stage == "close" else stage, at))
        return out

    def demand(self, p: Plan) -> None:
        rng, year = self.rng, p.received.year
        self.seqs[year] = self.seqs.get(year, 0) + 1
        seq = self.seqs[year]
        case = Case(programme=r.FLOW.programme, year=year, seq=seq, number=number(year, r.FLOW.code, seq),
                    opened_at=p.received, summary=summary_of(p.org.name, p.problem))
        moves = [(r.PENDING, p.received), *self.times(p)]
        for stage, at in moves:
            case.moves.append(CaseMove(stage=stage, at=at, by=self.by[0], account=self.by[1]))
        case.stage, case.stage_at = moves[-1]
        reached = dict(moves)
        closed = r.FLOW.is_closed(case.stage)
        if closed:
            case.closed_at = reached[p.outcome]
            case.outcome = p.outcome
        sent = len(moves) > 1
        if sent:
            for m in p.crew:
                case.parties.append(CaseParty(role=r.CRAFTSMAN, worker_id=m.worker_id, name=m.name,
                                              phone=None if m.worker_id else m.phone,
                                              organisation_id=m.worker.employer_id if m.worker else None,
                                              capacity=(m.specialty or "")[:40] or None,
                                              note=None if m.worker_id else m.expert_from))
        d = Demand(case=case, organisation=p.org, problem=p.problem, kind=p.kind, urgency=p.urgency,
                   channel=p.channel, region=p.region, place=p.place, received_at=p.received,
                   deadline=(p.received + timedelta(days=3 if p.urgency == r.EMERGENCY else rng.choice((15, 20, 30))))
                   .date(), contact_name=contact_name(rng), contact_phone=f"13{rng.randint(5, 9)}{rng.randint(0, 99999999):08d}",
                   team=p.team if sent or rng.random() < 0.5 else None)
        self.session.add(d)
        if r.SERVING in reached:
            self.visits(d, p, reached[r.SERVING], case.closed_at or self.limit)
        if closed:
            self.outcome(d, p, case)

    def visits(self, d: Demand, p: Plan, start: datetime, end: datetime) -> None:
        rng = self.rng
        n = 1 if (end - start).days < 3 else rng.choice((1, 1, 2, 2, 3))
        for i in range(n):
            on = (start + (end - start) * (i / n)).date()
            people = len(p.crew) if rng.random() < 0.8 else None
            d.visits.append(Visit(visited_on=on, people=people,
                                  content=rng.choice(VISITS[p.kind] if p.kind in VISITS else VISITS["any"])))

    def outcome(self, d: Demand, p: Plan, case: Case) -> None:
        rng = self.rng
        if p.outcome == r.SOLVED:
            d.solution = p.solution or rng.choice(SOLUTIONS.get(p.kind, SOLUTIONS["any"]))
            d.benefit_actual = p.actual if p.fixed else (_wan(rng, 1, 30) if rng.random() < 0.75 else None)
            d.benefit_expected = p.expected if p.fixed else (_wan(rng, 5, 80) if rng.random() < 0.3 else None)
            d.cost_saved = _wan(rng, 1, 20) if rng.random() < 0.6 else None
            d.orders = _wan(rng, 20, 300) if rng.random() < 0.1 else None
            d.rating = _pick(rng, (("very_satisfied", 60), ("satisfied", 32), ("fair", 8)))
            if rng.random() < 0.08 and p.kind in ("research", "process", "automation"):
                d.results, d.result_count = rng.choice(RESULTS)
        elif p.outcome == r.UNSOLVED:
            d.solution = rng.choice(UNSOLVED)
            d.rating = rng.choice(("fair", "unsatisfied"))
        else:
            d.transferred_to = rng.choice(TRANSFER_TO)
            d.solution = f"超出帮帮团服务范围，已转{d.transferred_to}办理"
        if p.trained is not None:
            d.trained = p.trained
        elif p.outcome == r.SOLVED and (p.kind in ("training", "apprentice") or rng.random() < 0.25):
            d.trained = rng.randint(8, 40) if p.kind in ("training", "apprentice") else rng.randint(2, 10)
        if rng.random() < 0.2:
            assert case.closed_at is not None
            case.attachments.append(CaseAttachment(name=rng.choice(("派工单（企业签字）", "现场照片", "技术改进方案")),
                                                   added_on=case.closed_at.date(), by=self.by[0]))


def _teams(session: Session, rng: random.Random, today: date) -> list[Team] | None:
    holders = list(dict.fromkeys(session.scalars(
        select(Holding.worker_id).where(Holding.worker_id.is_not(None), Holding.named_on <= today,
                                        Holding.ended_on.is_(None)).order_by(Holding.id))))
    skilled = list(session.scalars(select(Worker.id).where(Worker.skill_grade.in_(SKILLED),
                                                           Worker.employer_id.is_not(None)).order_by(Worker.id)))
    rng.shuffle(skilled)
    skilled = [w for w in skilled if w not in holders]
    if len(holders) + len(skilled) < 8:
        return None
    workers = {w.id: w for w in session.scalars(select(Worker).where(Worker.id.in_([*holders, *skilled])))}
    last = today.year - 1
    teams = [Team(name="宁海县劳模工匠帮帮团", kind="helpers", area="全县", founded_on=date(2017, 5, 1),
                  note="县总工会牵头，劳模工匠组成“帮帮团”，将技术共享给全县企业"),
             Team(name="宁海县金蓝领技术服务队", kind="golden_collar", area="西店片区", founded_on=date(last - 2, 3, 18)),
             Team(name="跃龙街道劳模工匠技术服务队", kind="tech_service", area="跃龙片区", founded_on=date(last, 4, 26),
                  note="企业下单、劳模接单、工会送单")]
    helpers = holders[:8] + skilled[:6]
    rest = [w for w in [*holders[8:], *skilled[6:]] if w not in helpers]
    crews = (helpers, rest[:5], rest[5:11] if len(rest) >= 11 else (rest + helpers)[5:11])
    for team, crew in zip(teams, crews, strict=True):
        joined = max(team.founded_on or date(last, 1, 1), date(last - 3, 1, 1))
        for i, wid in enumerate(dict.fromkeys(crew)):
            w = workers[wid]
            town = w.employer.township if w.employer is not None else None
            team.members.append(Member(worker_id=w.id, worker=w, name=w.name, trade=w.trade,
                                       specialty=specialty(w.trade), area=_area(town) or team.area,
                                       joined_on=joined if i < 10 else min(date(today.year, 1, 6), today)))
    for name, unit, spec, phone in EXPERTS:
        teams[0].members.append(Member(name=name, expert_from=unit, specialty=spec, phone=phone,
                                       joined_on=date(2017, 5, 1)))
    early = [m for m in teams[0].members if m.worker_id and m.joined_on and m.joined_on < date(last, 1, 1)]
    if len(early) > 6:  # one skilled worker left last autumn (changed employer)
        early[-1].left_on = date(last, 10, 31)
    session.add_all(teams)
    session.flush()
    return teams


def _area(township: str | None) -> str | None:
    """``西店镇`` → ``西店片区`` (002: 西店片区)."""
    if not township:
        return None
    for suffix in ("街道", "镇", "乡"):
        if township.endswith(suffix) and len(township) > len(suffix) + 1:
            return township[: -len(suffix)] + "片区"
    return township + "片区"


def _serving(team: Team, on: date) -> list[Member]:
    return [m for m in team.members if (m.joined_on or on) <= on and (m.left_on is None or m.left_on > on)]


def _plan(rng: random.Random, orgs: list[Organisation], teams: list[Team], received: datetime) -> Plan:
    kind = _pick(rng, KINDS)
    region = "local" if rng.random() < 0.86 else ("paired" if rng.random() < 0.7 else "cross")
    team = teams[0] if region != "local" else rng.choices(teams, (60, 20, 20))[0]
    if not _serving(team, received.date()):
        team = teams[0]
    crew = _serving(team, received.date())
    p = Plan(org=rng.choice(orgs), team=team, received=received, kind=kind,
             problem=rng.choice(PROBLEMS[kind]), channel=_pick(rng, CHANNELS), region=region,
             place=None if region == "local" else (rng.choice(PAIRED) if region == "paired" else CROSS),
             crew=rng.sample(crew, min(len(crew), rng.choice((1, 1, 2)))))
    if rng.random() < (0.2 if kind == "breakdown" else 0.06):
        p.urgency = r.EMERGENCY
    roll = rng.random()
    p.outcome = r.SOLVED if roll < 0.86 else (r.UNSOLVED if roll < 0.93 else r.TRANSFERRED)
    return p


def _received(rng: random.Random, start: datetime, end: datetime) -> datetime:
    at = start + (end - start) * rng.random()
    return at.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59), second=0, microsecond=0)


def demo(session: Session, rng: random.Random, today: date) -> None:
    rng = random.Random(f"{rng.getstate()}help_desk")  # our own draws: later builders see the same data
    now = datetime.now() if today == date.today() else datetime.combine(today, time(17, 30))
    limit = now.replace(second=0, microsecond=0) - timedelta(minutes=5)
    orgs = list(session.scalars(select(Organisation).where(Organisation.kind == "enterprise").order_by(Organisation.id)))
    makers = [o for o in orgs if any(w in (o.industry or "") for w in MAKERS)] or orgs
    teams = _teams(session, rng, today) if makers else None
    if teams is None:
        return
    this, last = today.year, today.year - 1
    w = Writer(session, rng, limit, actor(session))
    start_this = datetime(this, 1, 1)
    share = max((limit - start_this) / (datetime(this + 1, 1, 1) - start_this), 0.0)
    plans = [_plan(rng, makers, teams, _received(rng, datetime(last, 1, 2), datetime(last, 12, 31)))
             for _ in range(106)]
    plans += _zhou(rng, makers, teams[0], last)
    w.write(plans)
    _targets(session, last, TARGETS_LAST)
    this_plans = [_plan(rng, makers, teams, _received(rng, start_this, limit)) for _ in range(round(72 * share))]
    this_plans += _yancheng(rng, makers, teams[2], start_this, limit)
    w.write([p for p in this_plans if p.received < limit])
    _targets(session, this, TARGETS_THIS)
    session.flush()


def _zhou(rng: random.Random, orgs: list[Organisation], team: Team, year: int) -> list[Plan]:
    """周国全's three 派工单 of 002, last spring: a mould 急诊单, a cutter's design, a 丽水 enterprise."""
    zhou = next((m for m in team.members if m.name == EXPERTS[0][0]), None)
    moulds = [o for o in orgs if "模具" in (o.industry or "") or "零部件" in (o.industry or "")] or orgs
    plans = []
    for i, (kind, urgency, region, problem, solution) in enumerate(ZHOU_SLIPS):
        p = Plan(org=moulds[i % len(moulds)], team=team, received=datetime(year, 2, 11 + 4 * i, 9, 20 + i),
                 kind=kind, problem=problem, urgency=urgency, channel="online", region=region,
                 place=CROSS if region == "cross" else None, crew=[zhou] if zhou else [], solution=solution,
                 actual=_wan(rng, 20, 60), expected=Decimal("100.00") if i == 0 else None, fixed=True,
                 steps={r.ACCEPTED: 4 / 60, r.SERVING: 5.0} if i == 0 else {})
        plans.append(p)
    return plans


def _yancheng(rng: random.Random, orgs: list[Organisation], team: Team, start: datetime,
              limit: datetime) -> list[Plan]:
    """The 技术服务队's four problems this year (004 盐城): six craftsmen, 55 trainees, 45万元."""
    crew = team.members[:6]
    if len(crew) < 6 or limit - start < timedelta(days=6):
        return []
    span = (limit - timedelta(days=5) - start) / 4
    groups = (crew[0:2], crew[2:4], crew[4:5], crew[5:6])
    trained = (20, 15, 12, 8)
    money = ((Decimal("12.00"), Decimal("15.00")), (Decimal("8.00"), None), (None, Decimal("10.00")), (None, None))
    plans = []
    for i, kind in enumerate(("process", "training", "apprentice", "management")):
        p = Plan(org=orgs[(7 * i + 3) % len(orgs)], team=team, received=_received(rng, start + span * i, start + span * i
                                                                                   + timedelta(hours=12)),
                 kind=kind, problem=rng.choice(PROBLEMS[kind]), channel="enterprise", crew=list(groups[i]),
                 trained=trained[i], actual=money[i][0], expected=money[i][1], fixed=True,
                 steps={r.SERVING: 3.0, "close": 30.0, r.REVISITED: 40.0})
        plans.append(p)
    return plans


def _targets(session: Session, year: int, targets: tuple[tuple[str, int], ...]) -> None:
    session.add_all(Target(year=year, measure=m, target=Decimal(t)) for m, t in targets)
