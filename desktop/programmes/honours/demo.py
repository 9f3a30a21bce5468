"""Demo data for 劳模工匠选树's selection, from the seeds' figures, then the register's
(``demo_register``: holders, benefits, outreach).

- Last year's 卓越工程师 round (003: 洛阳 names 20 a year, 2000 元 each): the township's four
  nominees went through 公示 and 上报; two were named by the city, one 未获命名, one 未通过 初审.
- This year's 县级五一劳动奖章 round (004: 竞赛综合成绩第一名…可申报县五一劳动奖章), three places:
  a 公示 in progress (one nominee a 卓越工程师 holder, shown as 优先), one turned down at 初审.
- This year's 卓越工程师 round at its first stages (组织推荐 and 个人自荐), and a 工人先锋号 round
  for two teams.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.core.registers import Organisation, Worker
from db.models.honours import HonourTitle
from desktop.programmes.core import working_days
from desktop.programmes.honours import rounds
from desktop.programmes.honours.demo_register import demo_register

DEEDS = (
    "扎根数控加工一线{years}年，主持完成{n}项工艺改进，产品一次合格率由92%提高到99.3%，年节约成本{money}万元；"
    "带徒{m}名，其中{k}名取得高级工证书。",
    "牵头攻克设备关键部件国产化难题，获实用新型专利{n}项，为企业新增产值{money}万元；"
    "在县职工技能大赛中获一等奖，所在班组获评“工人先锋号”。",
    "立足岗位创新，完成“五小”成果{n}项，其中1项获市职工优秀技术创新成果奖；参与劳模工匠助企行，"
    "为{m}家企业解决技术难题，累计创造效益{money}万元。",
    "从事焊接工作{years}年，先后参加{n}项重点工程建设，焊缝一次探伤合格率保持100%；"
    "创办职工创新工作室，培训青年职工{m}人次。",
)
TEAM_DEEDS = "班组{m}名职工，近三年完成技术攻关{n}项，安全生产无事故，班组劳动竞赛连续两年获县级一等奖。"
MATERIALS = "推荐表、事迹材料、获奖证书复印件"


def _deeds(rng: random.Random, i: int) -> str:
    return DEEDS[i % len(DEEDS)].format(years=rng.randint(8, 25), n=rng.randint(2, 9), money=rng.randint(30, 480),
                                        m=rng.randint(3, 30), k=rng.randint(1, 3))


def _working(day: date, cal: dict[date, bool], back: bool = False) -> date:
    while not working_days.is_working(day, cal):
        day += timedelta(days=-1 if back else 1)
    return day


def _title(session: Session, name: str) -> HonourTitle | None:
    return session.scalar(select(HonourTitle).where(HonourTitle.name == name))


def demo(session: Session, rng: random.Random, today: date) -> None:
    rng = random.Random(f"{rng.getstate()}honours")  # our own, not drawing from the shared one
    cal = working_days.calendar(session)
    skilled = list(session.scalars(select(Worker.id).where(
        Worker.skill_grade.in_(("senior", "technician", "senior_technician")), Worker.employer_id.is_not(None))
        .order_by(Worker.id)))
    rng.shuffle(skilled)
    engineer, medal, vanguard = _title(session, "卓越工程师"), _title(session, "县级五一劳动奖章"), _title(session, "工人先锋号")
    if len(skilled) >= 10 and engineer is not None:
        _last_years_engineers(session, rng, engineer, skilled[:4], today, cal)
    if len(skilled) >= 10 and medal is not None:
        _medal_round(session, rng, medal, [skilled[0], *skilled[4:8]], today, cal)
    if len(skilled) >= 12 and engineer is not None:
        r = rounds.save_round(session, None, year=today.year, title_id=engineer.id,
                              call_start=today - timedelta(days=20), call_end=today + timedelta(days=25))
        for i, wid in enumerate(skilled[8:11]):
            c = rounds.nominate(session, r.id, today - timedelta(days=12 - 3 * i), worker_id=wid,
                                channel="self" if i == 2 else "organisation", deeds=_deeds(rng, i + 1),
                                materials=MATERIALS)
            if i == 0:
                rounds.advance(session, c.id, today - timedelta(days=2))
    if vanguard is not None:
        units = list(session.scalars(select(Organisation.id).where(Organisation.kind == "enterprise")
                                     .order_by(Organisation.id).limit(12)))
        if len(units) >= 2:
            r = rounds.save_round(session, None, year=today.year, title_id=vanguard.id, quota=1)
            for i, (oid, team) in enumerate(((units[-1], "数控车间一班"), (units[-2], "质检中心"))):
                c = rounds.nominate(session, r.id, today - timedelta(days=30 - i), organisation_id=oid, team=team,
                                    deeds=TEAM_DEEDS.format(m=rng.randint(8, 30), n=rng.randint(3, 12)),
                                    materials="推荐表、班组事迹材料")
                rounds.advance(session, c.id, today - timedelta(days=18))
    demo_register(session, rng, today)


def _last_years_engineers(session: Session, rng: random.Random, title: HonourTitle, workers: list[int], today: date,
                          cal: dict[date, bool]) -> None:
    """Nominated in March, 公示 in April, 上报 in May, the city's result in June (003)."""
    y = today.year - 1
    r = rounds.save_round(session, None, year=y, title_id=title.id, quota=3, call_start=date(y, 3, 1),
                          call_end=date(y, 3, 31), document=f"洛工〔{y}〕{rng.randint(10, 40)}号")
    cands = [rounds.nominate(session, r.id, date(y, 3, 10 + i), worker_id=w, deeds=_deeds(rng, i),
                             materials=MATERIALS, channel="self" if i == 3 else "organisation")
             for i, w in enumerate(workers)]
    for c in cands:
        rounds.advance(session, c.id, date(y, 3, 25))
    rounds.reject(session, cands[3].id, date(y, 3, 25), "申报材料不全，未提供近三年业绩证明")
    for c in cands[:3]:
        rounds.advance(session, c.id, date(y, 4, 10))
    start = _working(date(y, 4, 20), cal)
    rounds.start_publicity(session, r.id, start, 5)
    for c in cands[:3]:
        rounds.advance(session, c.id, date(y, 5, 12))  # 上报
    rounds.advance(session, cands[0].id, date(y, 6, 18))
    rounds.advance(session, cands[1].id, date(y, 6, 18))
    rounds.reject(session, cands[2].id, date(y, 6, 18), "市级评审未入选")


def _medal_round(session: Session, rng: random.Random, title: HonourTitle, workers: list[int], today: date,
                 cal: dict[date, bool]) -> None:
    """This year's 县级五一劳动奖章: a 公示 in progress (started two working days ago)."""
    start = _working(today - timedelta(days=2), cal, back=True)
    r = rounds.save_round(session, None, year=today.year, title_id=title.id, quota=3,
                          call_start=start - timedelta(days=50), call_end=start - timedelta(days=30))
    cands = [rounds.nominate(session, r.id, start - timedelta(days=45 - i), worker_id=w, deeds=_deeds(rng, i + 2),
                             materials=MATERIALS) for i, w in enumerate(workers)]
    for c in cands:
        rounds.advance(session, c.id, start - timedelta(days=25))
    rounds.reject(session, cands[-1].id, start - timedelta(days=25), "近三年未参加县级以上技能竞赛，不符合推荐条件")
    for c in cands[:-1]:
        rounds.advance(session, c.id, start - timedelta(days=12))
    rounds.reject(session, cands[-2].id, start - timedelta(days=5), "评审得分未进入前三名")
    rounds.start_publicity(session, r.id, start, 5)
