"""红色工匠 over a session: rounds, nominations, the pool and its yearly adjustment. No Qt.

The UI writes through ``service`` (which opens the session and says what changed); tests, the
demo and the reports call these directly on a session.

Every change is a row or a date set on a row (never a deletion of history): the pool on any
past date is :func:`pool` with that date. Hints come back with the result; refusals are
:class:`ValidationError` with a Chinese message naming the person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from db.errors import ValidationError
from db.models.core.cultivation import MentorLink
from db.models.core.registers import Worker
from db.models.red_craftsman import (
    ADMITTED,
    CARRIED,
    LEFT_CARRIED,
    LEFT_COMPLETED,
    NEW,
    NOT_SELECTED,
    PENDING,
    RED_CRAFTSMAN,
    REPLENISHED,
    Candidate,
    Membership,
    Nomination,
    Round,
)
from desktop import registry
from desktop.programmes.core import cultivation as core
from desktop.programmes.red_craftsman import rules
from desktop.programmes.red_craftsman.rules import TRACKS, Hint, Person

DECISIONS = (PENDING, ADMITTED, NOT_SELECTED)


def _worker(session: Session, worker_id: int) -> Worker:
    w = session.get(Worker, worker_id)
    if w is None:
        raise ValidationError("not_found", "职工已不存在（可能已被删除）")
    return w


def _round(session: Session, round_id: int) -> Round:
    r = session.get(Round, round_id)
    if r is None:
        raise ValidationError("not_found", "培育年度已不存在（可能已被删除）")
    return r


def _track(track: str) -> str:
    if track not in TRACKS:
        raise ValidationError("track_invalid", "请选择培育类别（A类 党员→技术能手 或 B类 技术能手→党员）")
    return track


def person(w: Worker) -> Person:
    return Person(w.name, w.political_status, w.skill_grade, w.trade,
                  w.employer.ownership if w.employer is not None else None, w.member_status, w.employer_id)


def other_facts(session: Session, worker_id: int) -> list[registry.WorkerFact]:
    """What the other programmes know about a worker (prizes, honours), through the registry."""
    return [f for f in registry.worker_facts(session, worker_id) if f.programme != RED_CRAFTSMAN]


def hints_for(session: Session, worker_id: int, track: str,
              labels: dict[str, dict[str, str]] | None = None) -> list[Hint]:
    w = _worker(session, worker_id)
    return rules.eligibility(track, person(w), other_facts(session, worker_id), labels)


# -- rounds -------------------------------------------------------------------------------------------


def rounds(session: Session) -> list[Round]:
    return list(session.scalars(select(Round).order_by(Round.year.desc())))


def round_for(session: Session, year: int) -> Round | None:
    return session.scalars(select(Round).where(Round.year == year)).first()


def save_round(session: Session, year: int, quota_a: int, quota_b: int, *, title: str | None = None,
               announced_on: date | None = None, notes: str | None = None, round_id: int | None = None) -> Round:
    if not 2000 <= int(year) <= 2100:
        raise ValidationError("year_invalid", f"年度 {year} 无效")
    if int(quota_a) < 0 or int(quota_b) < 0:
        raise ValidationError("quota_invalid", "名额不能为负数")
    other = round_for(session, int(year))
    if other is not None and other.id != round_id:
        raise ValidationError("duplicate", f"{year}年度的培育工作已建立")
    r = _round(session, round_id) if round_id is not None else Round()
    r.year, r.quota_a, r.quota_b = int(year), int(quota_a), int(quota_b)
    r.title = (title or "").strip() or f"{year}年度“红色工匠”培育"
    r.announced_on, r.notes = announced_on, notes
    if round_id is None:
        session.add(r)
    session.flush()
    return r


def quota(r: Round, track: str) -> int:
    return int(r.quota_a if track == rules.TRACK_A else r.quota_b)


# -- nominations ------------------------------------------------------------------------------------------


def _open_membership(session: Session, worker_id: int) -> Membership | None:
    return session.scalars(select(Membership).join(Candidate).where(
        Candidate.worker_id == worker_id, Membership.left_on.is_(None))).first()


def nominate(session: Session, round_id: int, worker_id: int, track: str, on: date, *,
             recommender: str | None = None, note: str | None = None,
             labels: dict[str, dict[str, str]] | None = None) -> tuple[Nomination, list[Hint]]:
    """Enter a nominee from the workers register; the eligibility hints come back (never a refusal)."""
    r = _round(session, round_id)
    w = _worker(session, worker_id)
    _track(track)
    if session.scalars(select(Nomination).where(Nomination.round_id == r.id, Nomination.worker_id == w.id)).first():
        raise ValidationError("duplicate", f"{w.name}已在{r.year}年度推荐名单中")
    stay = _open_membership(session, w.id)
    if stay is not None:
        raise ValidationError("in_pool", f"{w.name}已在培育库中（{stay.round.year}年度），不必再推荐")
    n = Nomination(round_id=r.id, worker_id=w.id, track=track, nominated_on=on, decision=PENDING,
                   recommender=(recommender or "").strip() or (w.employer.name if w.employer else None),
                   note=(note or "").strip() or None)
    session.add(n)
    session.flush()
    return n, hints_for(session, w.id, track, labels)


def delete_nomination(session: Session, nomination_id: int) -> None:
    n = session.get(Nomination, nomination_id)
    if n is None:
        return
    if n.decision == ADMITTED:
        raise ValidationError("admitted", f"{n.worker.name}已入库，请先撤销入库（改为“待定”）再删除推荐")
    session.delete(n)
    session.flush()


def _candidate(session: Session, worker_id: int, track: str) -> Candidate:
    c = session.scalars(select(Candidate).where(Candidate.worker_id == worker_id)).first()
    if c is None:
        c = Candidate(worker_id=worker_id, track=track)
        session.add(c)
        session.flush()
    elif c.track != track:
        c.track = track  # the person is cultivated on the other track from now on
    return c


def _admit(session: Session, r: Round, worker_id: int, track: str, on: date, source: str,
           nomination: Nomination | None = None) -> Membership:
    w = _worker(session, worker_id)
    stay = _open_membership(session, worker_id)
    if stay is not None:
        raise ValidationError("in_pool", f"{w.name}已在培育库中（{stay.round.year}年度）")
    c = _candidate(session, worker_id, track)
    if session.scalars(select(Membership).where(Membership.round_id == r.id, Membership.candidate_id == c.id)).first():
        raise ValidationError("duplicate", f"{w.name}本年度曾在培育库中（已出库），不能再次入库")
    m = Membership(round_id=r.id, candidate_id=c.id, source=source, admitted_on=on,
                   nomination_id=nomination.id if nomination else None)
    session.add(m)
    session.flush()
    return m


def decide(session: Session, nomination_id: int, decision: str, on: date) -> Membership | None:
    """已入库 admits the nominee into the round's pool; 未入选 / 待定 undo an admission made by mistake
    (refused once the candidate has a mentor, training or stage recorded, or has left the pool)."""
    n = session.get(Nomination, nomination_id)
    if n is None:
        raise ValidationError("not_found", "推荐记录已不存在（可能已被删除）")
    if decision not in DECISIONS:
        raise ValidationError("decision_invalid", f"结果 {decision} 无效")
    if decision == n.decision:
        return None
    m = session.scalars(select(Membership).where(Membership.nomination_id == n.id)).first()
    if decision == ADMITTED:
        if on < n.nominated_on:
            raise ValidationError("date_order", f"入库日期不能早于推荐日期（{n.nominated_on:%Y-%m-%d}）")
        m = _admit(session, n.round, n.worker_id, n.track, on, NEW, n)
    elif m is not None:
        _undo_admission(session, m)
        m = None
    n.decision, n.decided_on = decision, on
    session.flush()
    return m


def _undo_admission(session: Session, m: Membership) -> None:
    c = m.candidate
    name = c.worker.name
    if m.left_on is not None:
        raise ValidationError("left", f"{name}已出库，不能撤销入库")
    links = session.scalar(select(func.count()).select_from(MentorLink).where(
        MentorLink.programme == RED_CRAFTSMAN, MentorLink.ref_id == c.id, MentorLink.started_on >= m.admitted_on))
    since = [t for t in c.trainings if t.held_on >= m.admitted_on] + [s for s in c.stages if s.reached_on >= m.admitted_on]
    if links or since:
        raise ValidationError("in_use", f"{name}已登记导师、培训或党建阶段，不能撤销入库；如需出库请用“移出培育库”")
    session.delete(m)
    session.flush()
    session.expire(c, ["memberships"])
    if not c.memberships and not c.trainings and not c.stages:
        session.delete(c)
    session.flush()


# -- the pool -------------------------------------------------------------------------------------------------


def remove(session: Session, membership_id: int, on: date, reason: str, note: str | None = None) -> Membership:
    """移出培育库 with a reason (违纪违法, 调离, 其他); the candidate's mentor links end that day."""
    m = session.get(Membership, membership_id)
    if m is None:
        raise ValidationError("not_found", "培育库记录已不存在（可能已被删除）")
    name = m.candidate.worker.name
    if m.left_on is not None:
        raise ValidationError("left", f"{name}已于 {m.left_on:%Y-%m-%d} 出库")
    if reason in (LEFT_CARRIED, LEFT_COMPLETED) or not reason:
        raise ValidationError("reason_missing", "请选择移出原因（违纪违法、调离或其他）")
    if reason == "other" and not (note or "").strip():
        raise ValidationError("note_missing", "移出原因为“其他”时请写明具体原因")
    if on < m.admitted_on:
        raise ValidationError("date_order", f"移出日期不能早于入库日期（{m.admitted_on:%Y-%m-%d}）")
    m.left_on, m.left_reason, m.left_note = on, reason, (note or "").strip() or None
    core.end_all(session, RED_CRAFTSMAN, m.candidate_id, on, "移出培育库")
    session.flush()
    return m


def replenish(session: Session, round_id: int, worker_id: int, track: str, on: date, *,
              note: str | None = None, labels: dict[str, dict[str, str]] | None = None
              ) -> tuple[Membership, list[Hint]]:
    """补充入库: a newly found candidate joins the round's pool during the year."""
    r = _round(session, round_id)
    _track(track)
    n = session.scalars(select(Nomination).where(Nomination.round_id == r.id, Nomination.worker_id == worker_id)).first()
    m = _admit(session, r, worker_id, track, on, REPLENISHED, n)
    if n is not None:
        n.decision, n.decided_on = ADMITTED, on
    m.note = (note or "").strip() or None
    session.flush()
    return m, hints_for(session, worker_id, track, labels)


def is_removal(reason: str | None) -> bool:
    """A removal (违纪违法, 调离, 其他 or a reason the clerk added), not the yearly adjustment."""
    return bool(reason) and reason not in (LEFT_CARRIED, LEFT_COMPLETED)


def goal_reached(c: Candidate, on: date | None = None) -> bool:
    """Track A became a skill expert; track B was admitted to the party (预备党员 or 正式党员)."""
    if c.track == rules.TRACK_A:
        return c.expert_on is not None and (on is None or c.expert_on <= on)
    return any(s.stage in rules.B_GOAL_STAGES and (on is None or s.reached_on <= on) for s in c.stages)


@dataclass(frozen=True)
class CarryResult:
    round: Round
    carried: int
    completed: int


def carry_over(session: Session, from_year: int, on: date, *, quota_a: int | None = None,
               quota_b: int | None = None) -> CarryResult:
    """The yearly adjustment (一年一调整): candidates still in ``from_year``'s pool move into the next
    year's round (created when missing) as carried-over places; those who reached their goal leave
    as 培育完成. Mentor links continue. Running it twice changes nothing."""
    src = round_for(session, from_year)
    if src is None:
        raise ValidationError("not_found", f"没有{from_year}年度的培育工作")
    dst = round_for(session, from_year + 1)
    if dst is None:
        dst = save_round(session, from_year + 1, src.quota_a if quota_a is None else quota_a,
                         src.quota_b if quota_b is None else quota_b)
    carried = completed = 0
    stays = session.scalars(select(Membership).where(Membership.round_id == src.id, Membership.left_on.is_(None))
                            .options(selectinload(Membership.candidate).selectinload(Candidate.stages))).all()
    for m in stays:
        if on < m.admitted_on:
            raise ValidationError("date_order", f"调整日期不能早于{m.candidate.worker.name}的入库日期（{m.admitted_on:%Y-%m-%d}）")
        m.left_on = on
        if goal_reached(m.candidate, on):
            m.left_reason = LEFT_COMPLETED
            completed += 1
            core.end_all(session, RED_CRAFTSMAN, m.candidate_id, on, "培育完成")
            continue
        m.left_reason = LEFT_CARRIED
        session.add(Membership(round_id=dst.id, candidate_id=m.candidate_id, source=CARRIED, admitted_on=on))
        carried += 1
    session.flush()
    return CarryResult(dst, carried, completed)


@dataclass(frozen=True)
class TrackFigures:
    track: str
    quota: int
    carried: int
    nominees: int
    admitted_new: int
    replenished: int
    removed: int
    in_pool: int
    check: rules.RatioCheck


def figures(session: Session, r: Round, day: date) -> dict[str, TrackFigures]:
    """Per track: quota, carried over, nominees, the 1:2 check, admissions, removals, pool on ``day``."""
    stays = session.execute(select(Membership, Candidate.track).join(Candidate)
                            .where(Membership.round_id == r.id)).all()
    noms = dict(session.execute(select(Nomination.track, func.count()).where(Nomination.round_id == r.id)
                                .group_by(Nomination.track)).all())
    out = {}
    for t in TRACKS:
        mine = [m for m, track in stays if track == t]
        carried = sum(1 for m in mine if m.source == CARRIED)
        nominees = int(noms.get(t, 0))
        out[t] = TrackFigures(
            t, quota(r, t), carried, nominees, sum(1 for m in mine if m.source == NEW),
            sum(1 for m in mine if m.source == REPLENISHED),
            sum(1 for m in mine if is_removal(m.left_reason)),
            len(rules.pool_on(mine, day)), rules.RatioCheck(quota(r, t), carried, nominees))
    return out
