"""师徒结对's writes for the UI: each opens one transaction and returns what it changed
(:class:`desktop.changes.Changes`, or :class:`~desktop.changes.Done` with the lines to show).

Refusals are :class:`~db.errors.ValidationError` with a Chinese message, and nothing is
written. The work itself is in ``pairs``, over a session.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from db.errors import ValidationError
from db.models.core.cultivation import MentorLink
from db.models.core.registers import Worker
from desktop.changes import Changes, Done
from desktop.programmes.core.cultivation import flags
from desktop.programmes.mentoring import pairs

if TYPE_CHECKING:
    from desktop.context import App

PAIRS, LINKS, EVALUATIONS, WORKERS = "ap_pairs", "mentor_links", "mentor_evaluations", "workers"
#: Everything the tab shows: it refreshes on a change to any of these (settings: the allowance rate).
TABLES = (PAIRS, LINKS, EVALUATIONS, WORKERS, "settings")


def save_pair(app: App, pair_id: int | None, master_id: int | None, trade: str, started_on: date,
              term_months: int, *, goals: str | None = None, ceremony_on: date | None = None,
              apprentice_id: int | None = None) -> Done[int]:
    """A new pair with its first apprentice, or a pair's details changed; an empty trade is the
    master's own. The pair's id comes back."""
    if not master_id:
        raise ValidationError("worker_missing", "请从职工名册中选择师傅")
    if pair_id is None and not apprentice_id:
        raise ValidationError("worker_missing", "请选择徒弟（其他徒弟可随后添加）")
    with app.db.session() as s:
        master = s.get(Worker, master_id)
        trade = (trade or "").strip() or (master.trade if master is not None else "") or ""
        p = pairs.save_pair(s, pair_id, master_id, trade, started_on, term_months, goals=goals,
                            ceremony_on=ceremony_on)
        rows = [(PAIRS, p.id)]
        if pair_id is None and apprentice_id:
            rows.append((LINKS, pairs.add_apprentice(s, p.id, apprentice_id, started_on).id))
        pid = p.id
    return Done(pid, Changes.of(PAIRS, LINKS, rows=rows, message="已保存师徒结对"))


def add_apprentice(app: App, pair_id: int, worker_id: int | None, on: date) -> Changes:
    if not worker_id:
        raise ValidationError("worker_missing", "请选择徒弟")
    with app.db.session() as s:
        lk = pairs.add_apprentice(s, pair_id, worker_id, on)
        lid, mentee, mentor = lk.id, lk.mentee.name, lk.mentor.name
    return Changes.of(LINKS, rows=[(PAIRS, pair_id), (LINKS, lid)], message=f"{mentee} 拜 {mentor} 为师")


def evaluate(app: App, link_id: int, period: str, on: date, rating_of_mentee: object, rating_of_mentor: object,
             note: str | None, mentee: str) -> Done[list[str]]:
    """One period's two-way evaluation; the flags (建议调整结对, 导师评先评优优先) come back."""
    with app.db.session() as s:
        ev = pairs.evaluate(s, link_id, period, on, rating_of_mentee, rating_of_mentor, note)
        shown = flags(ev.rating_of_mentee, ev.rating_of_mentor)
        period = ev.period
    return Done(shown, Changes.of(EVALUATIONS, rows=[(LINKS, link_id)], message=f"已录入 {mentee} 的评议：{period}"))


def record_outcome(app: App, link_id: int, on: date, grade: str, note: str | None) -> Done[list[str]]:
    """The grade the apprentice gained; the workers register follows."""
    labels = app.labels().get("skill_grade", {})
    with app.db.session() as s:
        hints = pairs.record_outcome(s, link_id, on, grade, note)
        link = s.get(MentorLink, link_id)
        assert link is not None  # record_outcome refused a missing one
        name, worker_id = link.mentee.name, link.mentee_id
    return Done(hints, Changes.of(LINKS, WORKERS, rows=[(LINKS, link_id), (WORKERS, worker_id)],
                                  message=f"{name} 取得{labels.get(grade, grade)}，职工名册已更新"))


def end_apprentice(app: App, link_id: int, on: date, reason: str) -> Changes:
    with app.db.session() as s:
        lk = pairs.end_apprentice(s, link_id, on, reason)
        name = lk.mentee.name
    return Changes.of(LINKS, rows=[(LINKS, link_id)], message=f"{name} 的师徒关系已于 {on:%Y-%m-%d} 结束")


def end_pair(app: App, pair_id: int, on: date, reason: str) -> Changes:
    with app.db.session() as s:
        p = pairs.end_pair(s, pair_id, on, reason)
        master = p.master.name
    return Changes.of(PAIRS, LINKS, rows=[(PAIRS, pair_id)], message=f"{master} 师傅的结对已于 {on:%Y-%m-%d} 结束")


def delete_pair(app: App, pair_id: int) -> Changes:
    with app.db.session() as s:
        pairs.delete_pair(s, pair_id)
    return Changes.of(PAIRS, LINKS, rows=[(PAIRS, pair_id)], message="已删除结对")
