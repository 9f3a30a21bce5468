"""师徒结对 / 名师带徒 (mentoring) over a session: pairs of one master and one or more apprentices.
No Qt.

A pair has a trade, a start, a term in months and goals; each apprentice is a link of the shared
cultivation core (``desktop.programmes.core.cultivation``), with its own start and end, periodic
two-way evaluations and an outcome (the grade gained, which updates the workers register). The UI
writes through ``service`` and reads through ``queries``; the master's allowance, the 拜师帖 and
the CLI list live in ``reports``; the demo in ``demo``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.errors import ValidationError
from db.models.core.cultivation import MentorEvaluation, MentorLink
from db.models.core.registers import Worker
from db.models.mentoring import MENTORING, Pair
from desktop.programmes.core import cultivation as core

GRADES = ("junior", "intermediate", "senior", "technician", "senior_technician")


def _pair(session: Session, pair_id: int) -> Pair:
    p = session.get(Pair, pair_id)
    if p is None:
        raise ValidationError("not_found", "师徒结对记录已不存在（可能已被删除）")
    return p


def links(session: Session, pair_id: int | None = None) -> list[MentorLink]:
    stmt = (select(MentorLink).where(MentorLink.programme == MENTORING)
            .options(selectinload(MentorLink.mentee).selectinload(Worker.employer),
                     selectinload(MentorLink.mentor).selectinload(Worker.employer),
                     selectinload(MentorLink.evaluations)).order_by(MentorLink.started_on, MentorLink.id))
    if pair_id is not None:
        stmt = stmt.where(MentorLink.ref_id == pair_id)
    return list(session.scalars(stmt))


def save_pair(session: Session, pair_id: int | None, master_id: int, trade: str, started_on: date,
              term_months: int = 12, *, goals: str | None = None, ceremony_on: date | None = None,
              note: str | None = None) -> Pair:
    master = session.get(Worker, master_id)
    if master is None:
        raise ValidationError("not_found", "请选择师傅（职工名册中的职工）")
    trade = (trade or "").strip()
    if not trade:
        raise ValidationError("trade_missing", "请填写传授的工种（技艺）")
    if not 1 <= int(term_months) <= 120:
        raise ValidationError("term_invalid", "带徒期限应为 1–120 个月")
    p = _pair(session, pair_id) if pair_id is not None else Pair()
    mine = links(session, pair_id) if pair_id is not None else []
    if pair_id is not None and p.master_id != master_id:
        if any(lk.evaluations for lk in mine):
            raise ValidationError("in_use", "已有评议记录，不能更换师傅；请结束本结对后新建")
        if any(lk.mentee_id == master_id for lk in mine):
            raise ValidationError("mentor_self", "师傅不能同时是本结对的徒弟")
        for lk in mine:
            lk.mentor_id = master_id
    if any(lk.started_on < started_on for lk in mine):
        raise ValidationError("date_order", "结对日期不能晚于徒弟的拜师日期")
    p.master_id, p.trade, p.started_on, p.term_months = master_id, trade, started_on, int(term_months)
    p.goals, p.ceremony_on, p.note = (goals or "").strip() or None, ceremony_on, (note or "").strip() or None
    if pair_id is None:
        session.add(p)
    session.flush()
    return p


def add_apprentice(session: Session, pair_id: int, worker_id: int, started_on: date | None = None) -> MentorLink:
    p = _pair(session, pair_id)
    w = session.get(Worker, worker_id)
    if w is None:
        raise ValidationError("not_found", "职工已不存在（可能已被删除）")
    if worker_id == p.master_id:
        raise ValidationError("mentor_self", "徒弟不能是师傅本人")
    start = started_on or p.started_on
    if start < p.started_on:
        raise ValidationError("date_order", f"拜师日期不能早于结对日期（{p.started_on:%Y-%m-%d}）")
    if core.current_link(session, MENTORING, p.id, worker_id) is not None:
        raise ValidationError("duplicate", f"{w.name}已是本结对的徒弟")
    return core.pair(session, MENTORING, p.id, p.master_id, worker_id, start)


def end_apprentice(session: Session, link_id: int, on: date, reason: str) -> MentorLink:
    return core.end_link(session, link_id, on, reason or "解除师徒关系")


def end_pair(session: Session, pair_id: int, on: date, reason: str = "带徒期满") -> Pair:
    p = _pair(session, pair_id)
    if on < p.started_on:
        raise ValidationError("date_order", f"结束日期不能早于结对日期（{p.started_on:%Y-%m-%d}）")
    p.ended_on = on
    core.end_all(session, MENTORING, p.id, on, reason)
    session.flush()
    return p


def delete_pair(session: Session, pair_id: int) -> None:
    """Delete a pair entered by mistake (refused once evaluations or outcomes are recorded)."""
    p = _pair(session, pair_id)
    mine = links(session, p.id)
    if any(lk.evaluations or lk.outcome_on for lk in mine):
        raise ValidationError("in_use", "已有评议或成效记录，不能删除；带徒结束请用“结束结对”")
    for lk in mine:
        session.delete(lk)
    session.delete(p)
    session.flush()


def evaluate(session: Session, link_id: int, period: str, on: date, rating_of_mentee: object,
             rating_of_mentor: object, note: str | None = None) -> MentorEvaluation:
    """Periodic two-way evaluation (师傅评徒弟, 徒弟评师傅) on the shared core."""
    link = session.get(MentorLink, link_id)
    if link is None or link.programme != MENTORING:
        raise ValidationError("not_found", "师徒记录已不存在（可能已被删除）")
    return core.evaluate(session, link_id, period, on, rating_of_mentee, rating_of_mentor, note)


def record_outcome(session: Session, link_id: int, on: date, new_grade: str, note: str | None = None) -> list[str]:
    """The apprentice's grade gained (出师): updates the worker's skill grade in the register."""
    link = session.get(MentorLink, link_id)
    if link is None or link.programme != MENTORING:
        raise ValidationError("not_found", "师徒记录已不存在（可能已被删除）")
    if new_grade not in GRADES:
        raise ValidationError("grade_missing", "请选择徒弟取得的技能等级")
    if on < link.started_on:
        raise ValidationError("date_order", f"晋级日期不能早于拜师日期（{link.started_on:%Y-%m-%d}）")
    hints = []
    old = link.mentee.skill_grade
    if old in GRADES and GRADES.index(new_grade) <= GRADES.index(old):
        hints.append("新技能等级不高于原等级")
    link.outcome_on, link.outcome_grade, link.outcome_note = on, new_grade, (note or "").strip() or None
    link.mentee.skill_grade = new_grade
    session.flush()
    return hints


def half_year(d: date) -> str:
    """The default evaluation period for a date: 2026年上半年 / 2026年下半年."""
    return f"{d.year}年{'上' if d.month <= 6 else '下'}半年"
