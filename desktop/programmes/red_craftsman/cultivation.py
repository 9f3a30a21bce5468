"""红色工匠 cultivation of the candidates in the pool: mentors (结对帮带), training, degree study,
the yearly two-way evaluation and the outcomes (track A: 成为技术能手; track B: party stages). No Qt.

A new skill grade (track A's outcome) updates the worker's skill grade; each party stage sets the
worker's political status through ``rules.STAGE_STATUS``, the one mapping.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.errors import ValidationError
from db.models.core.cultivation import MentorLink
from db.models.core.registers import Worker
from db.models.red_craftsman import CENTRAL, RED_CRAFTSMAN, Candidate, PartyStage, Training
from desktop.programmes.core import cultivation as core
from desktop.programmes.red_craftsman import rules
from desktop.programmes.red_craftsman.rounds import other_facts, person
from desktop.programmes.red_craftsman.rules import STAGE_LABELS, STAGES, Hint


def _candidate(session: Session, candidate_id: int) -> Candidate:
    c = session.get(Candidate, candidate_id)
    if c is None:
        raise ValidationError("not_found", "培育对象已不存在（可能已被删除）")
    return c


# -- mentors ------------------------------------------------------------------------------------------


def mentor_load(session: Session, mentor_id: int, *, besides: int | None = None) -> int:
    links = core.open_links(session, RED_CRAFTSMAN)
    return sum(1 for lk in links if lk.mentor_id == mentor_id and lk.ref_id != besides)


def check_mentor(session: Session, candidate_id: int, mentor_id: int,
                 labels: dict[str, dict[str, str]] | None = None) -> list[Hint]:
    """The hints for a mentor choice; raises ValidationError for a track-B mentor who is not a party member."""
    c = _candidate(session, candidate_id)
    mentor = session.get(Worker, mentor_id)
    if mentor is None:
        raise ValidationError("not_found", "职工已不存在（可能已被删除）")
    if mentor.id == c.worker_id:
        raise ValidationError("mentor_self", "导师不能是培育对象本人")
    problem = rules.mentor_problem(c.track, person(mentor), labels)
    if problem:
        raise ValidationError("mentor_not_party_member", problem)
    return rules.mentor_hints(c.track, person(mentor), person(c.worker), other_facts(session, mentor.id), labels,
                              mentor_load(session, mentor.id, besides=c.id))


def assign_mentor(session: Session, candidate_id: int, mentor_id: int, on: date,
                  labels: dict[str, dict[str, str]] | None = None) -> tuple[MentorLink, list[Hint]]:
    """结对帮带: track B a party-member mentor (refused otherwise), track A a skilled mentor (hinted).
    A second call with another mentor is re-pairing: the old link ends, both stay as history."""
    hints = check_mentor(session, candidate_id, mentor_id, labels)
    c = _candidate(session, candidate_id)
    return core.pair(session, RED_CRAFTSMAN, c.id, mentor_id, c.worker_id, on), hints


def mentor_of(links: Iterable[MentorLink], candidate_id: int) -> MentorLink | None:
    return next((lk for lk in links if lk.ref_id == candidate_id and lk.ended_on is None), None)


# -- training and degree study -----------------------------------------------------------------------------


def hours_value(raw: object) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw)).quantize(Decimal("0.1"))
    except InvalidOperation:
        raise ValidationError("hours_invalid", f"学时“{raw}”不是数字") from None
    if value < 0 or value > 1000:
        raise ValidationError("hours_invalid", "学时应在 0–1000 之间")
    return value


def add_training(session: Session, candidate_ids: Sequence[int], held_on: date, content: str, *,
                 kind: str = CENTRAL, hours: object = None, organiser: str | None = None) -> list[Training]:
    """One training session attended by several candidates (one record each)."""
    content = (content or "").strip()
    if not content:
        raise ValidationError("content_missing", "请填写培训内容")
    if not candidate_ids:
        raise ValidationError("nobody", "请选择参加培训的培育对象")
    h = hours_value(hours)
    out = []
    for cid in dict.fromkeys(candidate_ids):
        _candidate(session, cid)
        t = Training(candidate_id=cid, held_on=held_on, kind=kind or CENTRAL, content=content, hours=h,
                     organiser=(organiser or "").strip() or None)
        session.add(t)
        out.append(t)
    session.flush()
    return out


def delete_training(session: Session, training_id: int) -> None:
    t = session.get(Training, training_id)
    if t is not None:
        session.delete(t)
        session.flush()


def central_trainings(c: Candidate, year: int) -> list[Training]:
    return [t for t in c.trainings if t.kind == CENTRAL and t.held_on.year == year]


def set_degree(session: Session, candidate_id: int, level: str | None, school: str | None,
               start: date | None) -> Candidate:
    """学历提升 (大专/本科): a recorded degree study flags tuition-subsidy priority (农民工求学圆梦)."""
    c = _candidate(session, candidate_id)
    if level and not (school or "").strip():
        raise ValidationError("school_missing", "请填写就读学校")
    c.degree_level = level or None
    c.degree_school = (school or "").strip() or None if level else None
    c.degree_start = start if level else None
    session.flush()
    return c


def subsidy_priority(c: Candidate) -> bool:
    return bool(c.degree_level)


# -- outcomes ------------------------------------------------------------------------------------------------


def record_expert(session: Session, candidate_id: int, on: date, how: str, detail: str | None = None,
                  new_grade: str | None = None) -> list[Hint]:
    """Track A became a skill expert (成为技术能手): by a prize or a new grade (which updates the
    worker's skill grade in the register)."""
    c = _candidate(session, candidate_id)
    hints: list[Hint] = []
    if c.track != rules.TRACK_A:
        hints.append(Hint(rules.NOTE, "“成为技术能手”是A类的培育成效；B类请登记党建阶段"))
    if how not in ("prize", "grade", "other"):
        raise ValidationError("how_missing", "请选择成才途径（竞赛获奖、晋升技能等级或其他）")
    if how == "grade":
        if new_grade not in rules.GRADES:
            raise ValidationError("grade_missing", "请选择新取得的技能等级")
        old = c.worker.skill_grade
        if old in rules.GRADES and rules.GRADES.index(new_grade) <= rules.GRADES.index(old):
            hints.append(Hint(rules.WARNING, "新技能等级不高于原等级"))
        c.worker.skill_grade = new_grade
    if how != "grade" and not (detail or "").strip():
        raise ValidationError("detail_missing", "请写明获奖情况或成效说明")
    c.expert_on, c.expert_how, c.expert_detail = on, how, (detail or "").strip() or None
    session.flush()
    return hints


def clear_expert(session: Session, candidate_id: int) -> None:
    c = _candidate(session, candidate_id)
    c.expert_on = c.expert_how = c.expert_detail = None
    session.flush()


def record_stage(session: Session, candidate_id: int, stage: str, on: date,
                 note: str | None = None) -> tuple[PartyStage, list[Hint]]:
    """Track B reached a party stage; the worker's political status follows ``STAGE_STATUS``."""
    c = _candidate(session, candidate_id)
    if stage not in STAGES:
        raise ValidationError("stage_invalid", "请选择党建阶段")
    reached = {s.stage: s.reached_on for s in c.stages}
    if stage in reached:
        raise ValidationError("duplicate", f"{c.worker.name}已登记“{STAGE_LABELS[stage]}”（{reached[stage]:%Y-%m-%d}）")
    hints = rules.stage_hints(stage, on, reached)
    errors = [h.text for h in hints if h.level == "error"]
    if errors:
        raise ValidationError("date_order", errors[0])
    if c.track != rules.TRACK_B:
        hints.append(Hint(rules.NOTE, "党建阶段是B类的培育成效"))
    w = c.worker
    later = [s for s in c.stages if STAGES.index(s.stage) > STAGES.index(stage)]
    row = PartyStage(candidate_id=c.id, stage=stage, reached_on=on, status_before=w.political_status,
                     note=(note or "").strip() or None)
    if not later:  # an earlier stage entered afterwards leaves the status of the later one
        w.political_status = rules.status_after_stage(stage, w.political_status)
    session.add(row)
    session.flush()
    session.expire(c, ["stages"])
    return row, [h for h in hints if h.level != "error"]


def delete_stage(session: Session, stage_id: int) -> None:
    """Undo the latest stage (a mistake): the worker's status goes back to what it was before it."""
    row = session.get(PartyStage, stage_id)
    if row is None:
        return
    c = row.candidate
    later = [s for s in c.stages if STAGES.index(s.stage) > STAGES.index(row.stage)]
    if later:
        raise ValidationError("not_latest", f"请先删除后面的阶段“{STAGE_LABELS[later[-1].stage]}”")
    if rules.STAGE_STATUS[row.stage] is not None:
        c.worker.political_status = row.status_before
    session.delete(row)
    session.flush()
    session.expire(c, ["stages"])


def latest_stage(c: Candidate) -> PartyStage | None:
    stages = sorted(c.stages, key=lambda s: STAGES.index(s.stage))
    return stages[-1] if stages else None


# -- the yearly two-way evaluation ------------------------------------------------------------------------


def evaluate(session: Session, link_id: int, year: int, on: date, rating_of_mentee: object,
             rating_of_mentor: object, note: str | None = None) -> tuple[list[str], list[Hint]]:
    """师徒双向评议 for ``year``: returns the flags (建议调整结对, 导师评先评优优先)."""
    link = session.get(MentorLink, link_id)
    if link is None or link.programme != RED_CRAFTSMAN:
        raise ValidationError("not_found", "结对记录已不存在（可能已被删除）")
    hints = []
    if on.year != year:
        hints.append(Hint(rules.NOTE, f"评议日期不在{year}年内"))
    ev = core.evaluate(session, link_id, str(year), on, rating_of_mentee, rating_of_mentor, note)
    return core.flags(ev.rating_of_mentee, ev.rating_of_mentor), hints


def links_in_year(session: Session, year: int, candidate_ids: Iterable[int] | None = None) -> list[MentorLink]:
    """Mentor links open at some time in ``year`` (the ones that year's evaluation covers)."""
    stmt = (select(MentorLink).where(MentorLink.programme == RED_CRAFTSMAN, MentorLink.started_on <= date(year, 12, 31))
            .options(selectinload(MentorLink.mentor).selectinload(Worker.employer),
                     selectinload(MentorLink.mentee).selectinload(Worker.employer),
                     selectinload(MentorLink.evaluations)))
    if candidate_ids is not None:
        stmt = stmt.where(MentorLink.ref_id.in_(list(candidate_ids)))
    links = session.scalars(stmt.order_by(MentorLink.ref_id, MentorLink.started_on)).all()
    return [lk for lk in links if lk.ended_on is None or lk.ended_on >= date(year, 1, 1)]
