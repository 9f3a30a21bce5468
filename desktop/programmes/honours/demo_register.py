"""Demo data for the 劳模档案, from the seeds' figures: earlier 劳动模范, 五一劳动奖章, 工匠 and
卓越工程师 holders among the demo workers (one of them since ended), collectives among the demo
organisations (a 工人先锋号 to a team), this year's 劳模待遇 partly given (医疗互助 early in the
year, 体检 for some, 疗休养 for a few: the rest is the 本年待落实 list) and 宣讲 sessions
(进企业、进社区、进学校)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import ValidationError
from db.models.core.registers import Organisation, Worker
from db.models.honours import HonourTitle
from desktop.programmes.honours import holders

#: (title, years before this one, how many): persons.
PEOPLE = (("县级劳动模范", 3, 2), ("市级劳动模范", 4, 1), ("县级五一劳动奖章", 1, 2), ("县级五一劳动奖章", 2, 2),
          ("省级五一劳动奖章", 3, 1), ("卓越工程师", 1, 3), ("河洛工匠", 1, 2), ("河洛大工匠", 2, 1),
          ("港城工匠", 2, 2), ("首席工人", 1, 3), ("市级技术能手", 2, 2))
#: (title, years before, team or None): collectives.
UNITS = (("工人先锋号", 1, "数控车间一班"), ("五一劳动奖状", 2, None), ("劳动和技能竞赛先进单位", 1, None),
         ("劳动和技能竞赛先进单位", 1, None), ("模范集体", 4, None))
DOCS = {"national": "总工发", "province": "省总工", "city": "市总工", "county": "县总工", "town": "镇总工"}
PLACES = {"enterprise": ("{unit}", "县经济开发区职工之家"), "community": ("跃龙街道城东社区", "桃源街道新城社区"),
          "school": ("县职业教育中心", "县第二中学")}
TOPICS = ("不忘初心，在奋斗中前行", "劳模精神进校园：一颗螺丝钉的坚守", "数控加工中的质量控制经验分享",
          "从学徒到工匠：我的成长之路", "安全生产与岗位创新")


def _named_on(year: int, rng: random.Random, today: date) -> date:
    day = date(year, 4, 20) + timedelta(days=rng.randint(0, 10))  # named before 五一
    return min(day, today)


def _doc(t: HonourTitle, year: int, docs: dict[tuple[int, int], str], rng: random.Random) -> str:
    return docs.setdefault((t.id, year), f"{DOCS.get(t.level, '县总工')}〔{year}〕{rng.randint(5, 40)}号")


def demo_register(session: Session, rng: random.Random, today: date) -> None:
    rng = random.Random(f"{rng.getstate()}honours-register")  # our own, not drawing from the shared one
    titles = {t.name: t for t in session.scalars(select(HonourTitle))}
    people = [r for r in session.execute(select(Worker.id, Worker.skill_grade).where(
        Worker.employer_id.is_not(None))).all()]
    skilled = [r[0] for r in people if r[1] in ("senior", "technician", "senior_technician")]
    rest = [r[0] for r in people if r[0] not in set(skilled)]
    rng.shuffle(skilled)
    rng.shuffle(rest)
    pool = skilled + rest
    if not pool:
        return
    docs: dict[tuple[int, int], str] = {}  # one naming document per title and year
    made: list[int] = []
    ended: list[int] = []
    n = 0
    for name, back, count in PEOPLE:
        t = titles.get(name)
        if t is None:
            continue
        year = today.year - back
        for _ in range(count):
            # the second 县级五一劳动奖章 of a year goes to an earlier 县级劳动模范 (one person, two titles)
            wid = made[0] if name == "县级五一劳动奖章" and back == 2 and made and n % 2 else pool[n % len(pool)]
            n += 1
            try:
                h = holders.add_holder(session, t.id, named_on=_named_on(year, rng, today), year=year, worker_id=wid,
                                       document=_doc(t, year, docs, rng))
            except ValidationError:  # the same person and title twice (a tiny demo): refused before writing
                continue
            made.append(wid)
            if name == "县级五一劳动奖章" and back == 2 and wid != made[0] and not ended:
                ended.append(h.id)
                holders.end_holding(session, h.id, min(today, h.named_on + timedelta(days=400)), "调离本地，称号转出")
    orgs = list(session.scalars(select(Organisation.id).where(Organisation.kind == "enterprise")
                                .order_by(Organisation.id)))
    rng.shuffle(orgs)
    for i, (name, back, team) in enumerate(UNITS):
        t = titles.get(name)
        if t is None or i >= len(orgs):
            continue
        year = today.year - back
        holders.add_holder(session, t.id, named_on=_named_on(year, rng, today), year=year, organisation_id=orgs[i],
                           team=team, document=_doc(t, year, docs, rng))
    _benefits(session, rng, today)
    _outreach(session, rng, today, made)


def _benefits(session: Session, rng: random.Random, today: date) -> None:
    """Last year all given; this year 医疗互助 to most, 体检 to half, 疗休养 to a few."""
    last = today.year - 1
    for wid, held in holders.entitled_on(session, date(last, 12, 31)).items():
        since = min(h.named_on for h in held)  # a holder named during the year: from then on
        for kind, month in (("mutual_aid", 1), ("checkup", 5), ("sanatorium", 9)):
            on = max(date(last, month, 10 + rng.randint(0, 15)), since + timedelta(days=20 + rng.randint(0, 30)))
            holders.give_benefit(session, wid, last, kind, min(on, date(last, 12, 28)),
                                 "县总工会职工疗休养基地" if kind == "sanatorium" else None)
    first = date(today.year, 1, 1)
    entitled = holders.entitled_on(session, today)
    for i, wid in enumerate(sorted(entitled)):
        since = min(h.named_on for h in entitled[wid])
        plan = [("mutual_aid", 0.85, 20), ("checkup", 0.5, 120), ("sanatorium", 0.2, 200)]
        for kind, share, offset in plan:
            if rng.random() < share or (i == 0 and kind == "mutual_aid"):
                on = max(first + timedelta(days=offset + rng.randint(0, 20)), since + timedelta(days=15))
                if on > today:
                    continue
                holders.give_benefit(session, wid, today.year, kind, on,
                                     "县人民医院体检中心" if kind == "checkup" else None)


def _outreach(session: Session, rng: random.Random, today: date, speakers: list[int]) -> None:
    speakers = list(dict.fromkeys(speakers))[:6]
    units = dict(session.execute(select(Worker.id, Organisation.name).join(
        Organisation, Organisation.id == Worker.employer_id).where(Worker.id.in_(speakers))).all())
    for i in range(min(8, len(speakers) * 2)):
        wid = speakers[i % len(speakers)]
        kind = ("school", "enterprise", "community")[i % 3]
        place = rng.choice(PLACES[kind]).format(unit=units.get(wid, "县经济开发区职工之家"))
        holders.add_outreach(session, wid, kind, today - timedelta(days=15 + 40 * i + rng.randint(0, 20)), place,
                             TOPICS[i % len(TOPICS)], rng.randint(4, 30) * 10)
