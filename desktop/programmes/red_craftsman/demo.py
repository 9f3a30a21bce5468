"""Demo data for 红色工匠: last year's round carried into this year's (quota 10 + 10, 40 nominees),
mentors, training, degree study, evaluations, a removal with its replenishment, outcomes.

Everything goes through the session-level functions (rounds, cultivation), so the demo obeys the same rules as the clerk.
Dates of this year fall between 1 January and ``today`` (a lived-in tab on any day of the year).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.core.registers import Organisation, Worker
from db.models.red_craftsman import ADMITTED, NOT_SELECTED, TRACK_A, TRACK_B, Membership
from desktop.programmes.red_craftsman import cultivation as cult
from desktop.programmes.red_craftsman import rounds, rules
from desktop.programmes.red_craftsman.queries import evaluation_lines, pool

CENTRAL_COURSES = ("“红色工匠”培育对象集中培训班", "红领学院专题培训：党的创新理论与工匠精神",
                   "工会大讲堂：技能成才与劳模精神")
OTHER_COURSES = ("“技能强国”平台线上学习", "劳模创新工作室跟岗实训")
SCHOOLS = (("college", "宁波职业技术学院"), ("bachelor", "浙江工业大学（成人高等教育）"))


def _suitability(track: str, w: tuple) -> int:
    _id, status, grade, trade, ownership, member, _emp = w
    score = 0
    party = status in rules.PARTY
    if track == TRACK_A:
        score += 8 if party else 0
        score += 4 if rules.is_technical(trade, grade) else 0
        score += 2 if ownership == "non_public" else 0
    else:
        score += 8 if not party else 0
        score += 4 if grade in ("senior", "technician", "senior_technician") else (2 if rules.has_grade(grade) else 0)
        score += 1 if rules.is_technical(trade, grade) else 0
    return score + (1 if member == "active" else 0)


def demo(session: Session, rng: random.Random, today: date) -> None:
    # A generator of our own, seeded from the shared one without drawing from it: the programmes
    # after this one get the same demo data whatever this builder does.
    rng = random.Random(f"{rng.getstate()}red_craftsman")
    workers = [tuple(r) for r in session.execute(
        select(Worker.id, Worker.political_status, Worker.skill_grade, Worker.trade, Organisation.ownership,
               Worker.member_status, Worker.employer_id).outerjoin(Organisation, Organisation.id == Worker.employer_id))]
    if len(workers) < 120:
        return
    candidates: set[int] = set()
    mentors: set[int] = set()

    def pick(track: str, n: int) -> list[int]:
        pool = [w for w in workers if w[0] not in candidates and w[0] not in mentors]
        rng.shuffle(pool)
        pool.sort(key=lambda w: -_suitability(track, w))
        chosen = [w[0] for w in pool[:n]]
        candidates.update(chosen)
        return chosen

    by_id = {w[0]: w for w in workers}
    year = today.year
    jan1 = date(year, 1, 1)

    def when(f: float) -> date:
        """A date this year, a fraction ``f`` of the way from 1 January to today."""
        return jan1 + timedelta(days=int((today - jan1).days * f))

    def mentor_for(candidate_id: int, worker_id: int, track: str, on: date) -> None:
        emp = by_id[worker_id][6]

        def fits(w: tuple) -> bool:
            if w[0] == worker_id:
                return False
            if track == TRACK_B:
                return w[1] == "party_member"
            return w[2] in rules.SKILLED_MENTOR_GRADES or (w[2] == "senior" and rng.random() < 0.1)

        options = [w for w in workers if fits(w) and w[0] not in candidates]
        same = [w for w in options if w[6] == emp]
        choice = rng.choice(same or options) if options else None
        if choice is not None:
            mentors.add(choice[0])
            cult.assign_mentor(session, candidate_id, choice[0], on)

    # -- last year's round: 4 + 4 at 1:2, two experts, a transfer, carried into this year
    prev = rounds.save_round(session, year - 1, 4, 4, announced_on=date(year - 1, 4, 20))
    prev_ids: dict[str, list[int]] = {}
    for track in rules.TRACKS:
        ids = pick(track, 8)
        for i, wid in enumerate(ids):
            n, _ = rounds.nominate(session, prev.id, wid, track, date(year - 1, 3, 10 + i))
            if i < 4:
                m = rounds.decide(session, n.id, ADMITTED, date(year - 1, 4, 20))
                assert m is not None
                prev_ids.setdefault(track, []).append(m.candidate_id)
                mentor_for(m.candidate_id, wid, track, date(year - 1, 5, 6))
            else:
                rounds.decide(session, n.id, NOT_SELECTED, date(year - 1, 4, 20))
    everyone = prev_ids[TRACK_A] + prev_ids[TRACK_B]
    cult.add_training(session, everyone, date(year - 1, 6, 18), CENTRAL_COURSES[0], hours=16,
                      organiser="县总工会、县“两新”工委")
    a_prev, b_prev = prev_ids[TRACK_A], prev_ids[TRACK_B]
    cult.record_expert(session, a_prev[0], date(year - 1, 10, 28), "prize", "县职工职业技能大赛数控铣工项目一等奖")
    cult.record_expert(session, a_prev[1], date(year - 1, 11, 30), "grade", "通过技能等级认定", "technician")
    b_first = session.scalars(select(Membership).where(Membership.round_id == prev.id,
                                                       Membership.candidate_id == b_prev[0])).one()
    rounds.remove(session, b_first.id, date(year - 1, 9, 15), "transfer", "调往外地分公司")
    cult.record_stage(session, b_prev[1], "activist", date(year - 3, 9, 20))
    cult.record_stage(session, b_prev[1], "development_target", date(year - 2, 10, 12))
    cult.record_stage(session, b_prev[1], "probationary", date(year - 1, 11, 8))
    cult.record_stage(session, b_prev[2], "application", date(year - 1, 5, 20))
    cult.record_stage(session, b_prev[2], "activist", date(year - 1, 11, 8))
    for line in evaluation_lines(session, year - 1):
        if line.row.ended_on is not None:
            continue
        cult.evaluate(session, line.row.link_id, year - 1, date(year - 1, 12, 12), rng.choice((4, 4, 5, 5, 3)),
                      rng.choice((4, 5, 5)))

    # -- this year's round: the adjustment, 20 + 20 nominees for 8 + 8 open places
    rounds.carry_over(session, year - 1, when(0.02), quota_a=10, quota_b=10)
    cur = rounds.round_for(session, year)
    assert cur is not None
    figures = rounds.figures(session, cur, when(0.02))
    cur.announced_on = when(0.3)
    admitted: dict[str, list[tuple[int, int]]] = {}
    spare_b: list[int] = []
    for track in rules.TRACKS:
        places = figures[track].check.open_places
        for i, wid in enumerate(pick(track, 20)):
            n, _ = rounds.nominate(session, cur.id, wid, track, when(0.1 + i * 0.004))
            if i < places:
                m = rounds.decide(session, n.id, ADMITTED, when(0.3))
                assert m is not None
                admitted.setdefault(track, []).append((m.candidate_id, wid))
                mentor_for(m.candidate_id, wid, track, when(0.33))
            else:
                rounds.decide(session, n.id, NOT_SELECTED, when(0.3))
                if track == TRACK_B:
                    spare_b.append(wid)
    current = pool(session, when(0.45), cur)
    attended = [p.candidate_id for p in current][:-3]  # three still without a centralised training
    cult.add_training(session, attended, when(0.5), CENTRAL_COURSES[1], hours=8, organiser="县总工会")
    cult.add_training(session, [p.candidate_id for p in current][::3], when(0.55), OTHER_COURSES[0], kind="other",
                      hours=4)
    for (level, school), p in zip(SCHOOLS, current[1::5], strict=False):
        cult.set_degree(session, p.candidate_id, level, school, date(year - 1, 9, 1))

    # a removal (调离) and its replenishment from the nominees not selected
    b_now = admitted.get(TRACK_B, [])
    if b_now and spare_b:
        gone = next(p for p in current if p.candidate_id == b_now[-1][0])
        rounds.remove(session, gone.membership_id, when(0.6), "transfer", "调离本镇，到外地分公司工作")
        repl, _ = rounds.replenish(session, cur.id, spare_b[0], TRACK_B, when(0.65), note="补充入库，递补调离人员")
        mentor_for(repl.candidate_id, spare_b[0], TRACK_B, when(0.66))
    for cid, _wid in admitted.get(TRACK_B, [])[:5]:
        cult.record_stage(session, cid, "application", when(0.4))
    for cid, _wid in admitted.get(TRACK_B, [])[:2]:
        cult.record_stage(session, cid, "activist", when(0.85))
    if admitted.get(TRACK_A):
        cult.record_expert(session, admitted[TRACK_A][0][0], when(0.8), "grade", "通过企业技能等级自主评价",
                           "senior_technician" if by_id[admitted[TRACK_A][0][1]][2] == "technician" else "technician")
    for i, line in enumerate(evaluation_lines(session, year)):
        if line.row.ended_on is not None:
            continue
        of_mentee, of_mentor = rng.choice(((5, 5), (4, 5), (4, 4), (5, 4), (3, 4), (4, 3)))
        if i == 4:
            of_mentee, of_mentor = 3, 2  # a weak pair: flagged for re-pairing
        cult.evaluate(session, line.row.link_id, year, when(0.9), of_mentee, of_mentor)
