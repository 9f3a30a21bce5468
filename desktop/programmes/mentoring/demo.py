"""Demo data for 师徒结对: eight pairs over the last eighteen months, one master with three
apprentices (the 平凉 拜师会), a finished pair, half-yearly evaluations and a grade gained."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.core.registers import Worker
from desktop.programmes.core.cultivation import engaged_workers
from desktop.programmes.mentoring import pairs as svc
from desktop.programmes.mentoring import reports as rep

GOALS = (
    "一年内独立完成常用零件的编程与加工，取得{next}证书",
    "掌握设备日常点检与常见故障排除，能独立顶岗",
    "熟练掌握本岗位安全操作规程和质量标准，参加县级技能竞赛",
    "学会工艺改进方法，完成一项“五小”创新成果",
)
NEXT = {"junior": "中级工", "intermediate": "高级工", "senior": "技师", None: "初级工"}
UP = {None: "junior", "none": "junior", "junior": "intermediate", "intermediate": "senior", "senior": "technician"}


def demo(session: Session, rng: random.Random, today: date) -> None:
    # A generator of our own, seeded from the shared one without drawing from it: the programmes
    # after this one get the same demo data whatever this builder does.
    rng = random.Random(f"{rng.getstate()}mentoring")
    rows = session.execute(select(Worker.id, Worker.skill_grade, Worker.trade, Worker.employer_id, Worker.birth_date)
                           .where(Worker.trade.is_not(None))).all()
    busy = engaged_workers(session)  # already in another cultivation programme (红色工匠's mentors, pool)
    masters = [r for r in rows if r[1] in ("technician", "senior_technician", "senior") and r[0] not in busy]
    rng.shuffle(masters)
    masters.sort(key=lambda r: r[1] not in ("technician", "senior_technician"))

    # Young, unskilled workers by employer, gathered once (a scan of every row per master is
    # quadratic: minutes on a 100,000-worker demo).
    young_by_unit: dict[int | None, list[tuple]] = {}
    for r in rows:
        if r[1] in (None, "none", "junior", "intermediate") and (r[4] is None or r[4].year >= today.year - 32):
            young_by_unit.setdefault(r[3], []).append(r)

    def young(master: tuple) -> list[tuple]:
        return [r for r in young_by_unit.get(master[3], ()) if r[0] != master[0] and r[0] not in busy]

    # the 平凉 拜师会: the first master takes three apprentices, so choose one whose unit has them
    masters.sort(key=lambda r: len(young(r)) < 3)
    first_of_last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    plans = (  # (start, term in months, apprentices)
        (today - timedelta(days=200), 24, 3), (today - timedelta(days=430), 12, 1),
        (first_of_last_month + timedelta(days=15), 12, 1), (today - timedelta(days=300), 24, 2),
        ((today - timedelta(days=90)).replace(day=1), 12, 1), (today - timedelta(days=150), 12, 2),
        (today - timedelta(days=60), 12, 1), (today - timedelta(days=520), 12, 1),
    )
    made = 0
    for master in masters:
        if made >= len(plans):
            break
        start, term, want = plans[made]
        pool = young(master)
        if not pool:
            continue
        # new staff of the master's trade first, the youngest first (the 平凉 拜师会: 新职工拜师)
        pool.sort(key=lambda r: (r[2] != master[2], -(r[4].toordinal() if r[4] else 0)))
        apprentices = pool[:want]
        grade = apprentices[0][1]
        goals = rng.choice(GOALS).format(next=NEXT.get(grade, "中级工"))
        p = svc.save_pair(session, None, master[0], master[2], start, term, goals=goals, ceremony_on=start)
        for a in apprentices:
            busy.add(a[0])
            svc.add_apprentice(session, p.id, a[0], start)
        busy.add(master[0])
        end = rep.term_end(p)
        if end < today:
            svc.end_pair(session, p.id, end, "带徒期满")
        links = svc.links(session, p.id)
        d = start
        while True:  # half-yearly evaluations up to today (or the end of the pair)
            d = rep.add_months(d, 6)
            if d > min(today, end + timedelta(days=1)):
                break
            for i, lk in enumerate(links):
                of_mentee, of_mentor = rng.choice(((5, 5), (4, 5), (4, 4), (5, 4), (4, 4), (4, 3)))
                if made == 3 and i == 1:
                    of_mentee, of_mentor = 3, 2  # a weak pair: the apprentice rates the master 基本合格
                svc.evaluate(session, lk.id, svc.half_year(d - timedelta(days=1)), d - timedelta(days=1),
                             of_mentee, of_mentor)
        if end < today:
            lk = links[0]
            on = end - timedelta(days=10)
            if on > lk.started_on:
                svc.record_outcome(session, lk.id, on, UP.get(lk.mentee.skill_grade, "intermediate"),
                                   "通过职业技能等级认定")
        made += 1

