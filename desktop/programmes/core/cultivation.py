"""The mentoring core both 红色工匠 and 师徒结对 use: pairing and the two-way evaluation. No Qt.

A link pairs a mentor with a mentee for one programme record (``programme`` + ``ref_id``).
Pairing a mentee again ends the open link (重新结对) and starts a new one; both stay as history.
The evaluation (师徒双向评议) rates both ways on five levels; a link where either rating is 2
(基本合格) or lower is *weak* (flagged for re-pairing), and a mentor the mentee rated 5 (优秀)
is *strong* (flagged as priority for honours, 评先评优优先).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.errors import ValidationError
from db.models.core.cultivation import MentorEvaluation, MentorLink
from db.models.core.registers import Worker

#: The five levels: score, code (choice list ``evaluation_level``), default label.
LEVELS: tuple[tuple[int, str, str], ...] = (
    (5, "excellent", "优秀"), (4, "good", "良好"), (3, "pass", "合格"), (2, "basic", "基本合格"), (1, "fail", "不合格"),
)
SCORE_CODES = {score: code for score, code, _label in LEVELS}
WEAK_AT = 2  # either rating at or below this: re-pair
STRONG = 5  # the mentee rated the mentor 优秀: priority for honours
REPAIR_FLAG = "建议调整结对"
HONOUR_FLAG = "导师评先评优优先"


def level_label(score: int | None, labels: dict[str, dict[str, str]] | None = None) -> str:
    """优秀 for 5 ... 不合格 for 1 (the clerk's label if renamed); empty when not rated."""
    if score is None:
        return ""
    code = SCORE_CODES.get(int(score))
    if code is None:
        return str(score)
    names = (labels or {}).get("evaluation_level") or {}
    return names.get(code) or next(label for s, _c, label in LEVELS if s == score)


def check_score(score: object, what: str) -> int:
    try:
        value = int(score)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise ValidationError("rating_invalid", f"{what}请选择评议等次（优秀、良好、合格、基本合格、不合格）") from None
    if value not in SCORE_CODES:
        raise ValidationError("rating_invalid", f"{what}的等次应为 1–5（不合格 1 至 优秀 5），不是 {value}")
    return value


def is_weak(rating_of_mentee: int | None, rating_of_mentor: int | None) -> bool:
    """Either side rated 基本合格 or lower: the pair is flagged for re-pairing."""
    return any(r is not None and r <= WEAK_AT for r in (rating_of_mentee, rating_of_mentor))


def is_strong(rating_of_mentor: int | None) -> bool:
    """The mentee rated the mentor 优秀: the mentor is flagged as priority for honours."""
    return rating_of_mentor is not None and rating_of_mentor >= STRONG


def flags(rating_of_mentee: int | None, rating_of_mentor: int | None) -> list[str]:
    out = []
    if is_weak(rating_of_mentee, rating_of_mentor):
        out.append(REPAIR_FLAG)
    if is_strong(rating_of_mentor):
        out.append(HONOUR_FLAG)
    return out


# -- links ------------------------------------------------------------------------------------------


def open_links(session: Session, programme: str, ref_ids: Iterable[int] | None = None,
               on: date | None = None) -> list[MentorLink]:
    """Links of a programme (optionally of some records) open on ``on`` (default: open now)."""
    stmt = (select(MentorLink).where(MentorLink.programme == programme)
            .options(selectinload(MentorLink.mentor).selectinload(Worker.employer),
                     selectinload(MentorLink.mentee).selectinload(Worker.employer),
                     selectinload(MentorLink.evaluations))
            .order_by(MentorLink.ref_id, MentorLink.started_on, MentorLink.id))
    if ref_ids is not None:
        stmt = stmt.where(MentorLink.ref_id.in_(list(ref_ids)))
    links = list(session.scalars(stmt))
    if on is None:
        return [lk for lk in links if lk.ended_on is None]
    return [lk for lk in links if lk.started_on <= on and (lk.ended_on is None or lk.ended_on >= on)]


def current_link(session: Session, programme: str, ref_id: int, mentee_id: int) -> MentorLink | None:
    return session.scalars(select(MentorLink).where(
        MentorLink.programme == programme, MentorLink.ref_id == ref_id, MentorLink.mentee_id == mentee_id,
        MentorLink.ended_on.is_(None)).order_by(MentorLink.id.desc())).first()


def pair(session: Session, programme: str, ref_id: int, mentor_id: int, mentee_id: int, started_on: date,
         *, note: str | None = None) -> MentorLink:
    """Pair a mentee with a mentor. An open link of the same mentee and record ends the day before
    (重新结对; ``ended_on`` is the link's last day); pairing with the same mentor again changes nothing."""
    if mentor_id == mentee_id:
        raise ValidationError("mentor_self", "导师（师傅）不能是本人")
    if session.get(Worker, mentor_id) is None or session.get(Worker, mentee_id) is None:
        raise ValidationError("not_found", "职工已不存在（可能已被删除）")
    old = current_link(session, programme, ref_id, mentee_id)
    if old is not None:
        if old.mentor_id == mentor_id:
            return old
        if started_on < old.started_on:
            raise ValidationError("date_order", f"新的结对日期不能早于原结对日期（{old.started_on:%Y-%m-%d}）")
        if started_on == old.started_on and not old.evaluations:
            old.mentor_id = mentor_id  # a correction on the same day, not a re-pairing
            session.flush()
            return old
        old.ended_on = max(old.started_on, started_on - timedelta(days=1))
        old.end_reason = "重新结对"
    link = MentorLink(programme=programme, ref_id=ref_id, mentor_id=mentor_id, mentee_id=mentee_id,
                      started_on=started_on, note=note)
    session.add(link)
    session.flush()
    return link


def end_link(session: Session, link_id: int, on: date, reason: str) -> MentorLink:
    link = session.get(MentorLink, link_id)
    if link is None:
        raise ValidationError("not_found", "结对记录已不存在（可能已被删除）")
    if on < link.started_on:
        raise ValidationError("date_order", f"结束日期不能早于结对日期（{link.started_on:%Y-%m-%d}）")
    link.ended_on = on
    link.end_reason = reason.strip() or "结束结对"
    session.flush()
    return link


def end_all(session: Session, programme: str, ref_id: int, on: date, reason: str) -> int:
    """End every open link of a record (a candidate leaves the pool, a pair ends)."""
    links = session.scalars(select(MentorLink).where(MentorLink.programme == programme, MentorLink.ref_id == ref_id,
                                                     MentorLink.ended_on.is_(None))).all()
    for link in links:
        link.ended_on = max(on, link.started_on)
        link.end_reason = reason
    session.flush()
    return len(links)


# -- the two-way evaluation -----------------------------------------------------------------------------


def evaluate(session: Session, link_id: int, period: str, evaluated_on: date, rating_of_mentee: object,
             rating_of_mentor: object, note: str | None = None) -> MentorEvaluation:
    """Record (or correct) one period's two-way evaluation of a link."""
    link = session.get(MentorLink, link_id)
    if link is None:
        raise ValidationError("not_found", "结对记录已不存在（可能已被删除）")
    period = (period or "").strip()
    if not period:
        raise ValidationError("period_missing", "请填写评议期（如 2026 或 2026年上半年）")
    of_mentee = check_score(rating_of_mentee, "导师（师傅）对培育对象（徒弟）的评议")
    of_mentor = check_score(rating_of_mentor, "培育对象（徒弟）对导师（师傅）的评议")
    if evaluated_on < link.started_on:
        raise ValidationError("date_order", f"评议日期不能早于结对日期（{link.started_on:%Y-%m-%d}）")
    ev = session.scalars(select(MentorEvaluation).where(MentorEvaluation.link_id == link_id,
                                                        MentorEvaluation.period == period)).first()
    if ev is None:
        ev = MentorEvaluation(link_id=link_id, period=period)
        session.add(ev)
    ev.evaluated_on = evaluated_on
    ev.rating_of_mentee = of_mentee
    ev.rating_of_mentor = of_mentor
    ev.note = (note or "").strip() or None
    session.flush()
    return ev


@dataclass(frozen=True)
class EvaluationRow:
    """One link with its evaluation for a period (ratings None when not yet evaluated)."""

    link_id: int
    ref_id: int
    mentor_id: int
    mentor: str
    mentee_id: int
    mentee: str
    started_on: date
    ended_on: date | None
    evaluated_on: date | None
    rating_of_mentee: int | None
    rating_of_mentor: int | None
    note: str

    @property
    def evaluated(self) -> bool:
        return self.rating_of_mentee is not None

    @property
    def weak(self) -> bool:
        return is_weak(self.rating_of_mentee, self.rating_of_mentor)

    @property
    def strong(self) -> bool:
        return is_strong(self.rating_of_mentor)

    @property
    def flags(self) -> list[str]:
        return flags(self.rating_of_mentee, self.rating_of_mentor)


def evaluation_rows(session: Session, programme: str, period: str, links: Iterable[MentorLink]) -> list[EvaluationRow]:
    rows = []
    for link in links:
        ev = next((e for e in link.evaluations if e.period == period), None)
        rows.append(EvaluationRow(
            link.id, link.ref_id, link.mentor_id, link.mentor.name, link.mentee_id, link.mentee.name,
            link.started_on, link.ended_on, ev.evaluated_on if ev else None,
            ev.rating_of_mentee if ev else None, ev.rating_of_mentor if ev else None, (ev.note or "") if ev else ""))
    return rows


def strong_mentors(rows: Iterable[EvaluationRow]) -> list[tuple[int, str]]:
    """Mentors rated 优秀 by a mentee (each once): (worker id, name)."""
    seen: dict[int, str] = {}
    for r in rows:
        if r.strong:
            seen.setdefault(r.mentor_id, r.mentor)
    return list(seen.items())


def engaged_workers(session: Session) -> set[int]:
    """Workers on either side of a link of any cultivation programme (a demo does not reuse them)."""
    rows = session.execute(select(MentorLink.mentor_id, MentorLink.mentee_id)).all()
    return {w for row in rows for w in row}
