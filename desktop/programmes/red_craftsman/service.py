"""红色工匠's writes for the UI: each opens one transaction and returns what it changed
(:class:`desktop.changes.Changes`, or :class:`~desktop.changes.Done` with the hints to show).

Refusals are :class:`~db.errors.ValidationError` with a Chinese message, and nothing is
written. The work itself is in ``rounds`` (rounds, nominations, the pool) and ``cultivation``
(mentors, training, degree study, evaluation, outcomes), over a session.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from db.errors import ValidationError
from db.models.red_craftsman import Candidate
from desktop.changes import Changes, Done
from desktop.programmes.red_craftsman import cultivation as cult
from desktop.programmes.red_craftsman import rounds, rules
from desktop.programmes.red_craftsman.queries import stage_id
from desktop.programmes.red_craftsman.rules import Hint

if TYPE_CHECKING:
    from desktop.context import App

ROUNDS, NOMINATIONS, CANDIDATES, MEMBERSHIPS = "rc_rounds", "rc_nominations", "rc_candidates", "rc_memberships"
TRAININGS, STAGES, LINKS, EVALUATIONS = "rc_trainings", "rc_party_stages", "mentor_links", "mentor_evaluations"
WORKERS = "workers"
#: Everything the tab shows: it refreshes on a change to any of these.
TABLES = (ROUNDS, NOMINATIONS, CANDIDATES, MEMBERSHIPS, TRAININGS, STAGES, LINKS, EVALUATIONS, WORKERS)
POOL = (NOMINATIONS, CANDIDATES, MEMBERSHIPS, LINKS)

HintsDone = Done[list[Hint]]


def _missing(worker_id: int | None, message: str) -> int:
    if not worker_id:
        raise ValidationError("worker_missing", message)
    return int(worker_id)


def save_round(app: App, year: int, quota_a: int, quota_b: int, *, title: str | None = None,
               announced_on: date | None = None, round_id: int | None = None) -> Changes:
    with app.db.session() as s:
        r = rounds.save_round(s, year, quota_a, quota_b, title=title, announced_on=announced_on, round_id=round_id)
        rid = r.id
    return Changes.of(ROUNDS, rows=[(ROUNDS, rid)], message=f"已保存{year}年度的培育工作")


def carry_over(app: App, from_year: int, on: date, quota_a: int, quota_b: int) -> Changes:
    with app.db.session() as s:
        result = rounds.carry_over(s, from_year, on, quota_a=quota_a, quota_b=quota_b)
        rid = result.round.id
    return Changes.of(ROUNDS, MEMBERSHIPS, LINKS, rows=[(ROUNDS, rid)],
                      message=f"年度调整完成：{result.carried} 人结转到{from_year + 1}年度，"
                              f"{result.completed} 人培育完成出库")


def nominate(app: App, round_id: int, worker_id: int | None, track: str, on: date, *,
             recommender: str | None = None, note: str | None = None) -> HintsDone:
    wid = _missing(worker_id, "请从职工名册中选择被推荐人")
    with app.db.session() as s:
        n, hints = rounds.nominate(s, round_id, wid, track, on, recommender=recommender, note=note,
                                   labels=app.labels())
        nid, name = n.id, n.worker.name
    return Done(hints, Changes.of(NOMINATIONS, rows=[(NOMINATIONS, nid)], message=f"已推荐 {name}"))


def decide(app: App, nomination_ids: Sequence[int], decision: str, on: date) -> Changes:
    """The same decision for several nominees (已入库 admits them), all or none."""
    with app.db.session() as s:
        for nid in nomination_ids:
            rounds.decide(s, nid, decision, on)
    label = app.labels().get("rc_decision", {}).get(decision, decision)
    return Changes.of(*POOL, rows=[(NOMINATIONS, i) for i in nomination_ids],
                      message=f"{len(nomination_ids)} 人：{label}")


def delete_nominations(app: App, nomination_ids: Sequence[int]) -> Changes:
    with app.db.session() as s:
        for nid in nomination_ids:
            rounds.delete_nomination(s, nid)
    return Changes.of(NOMINATIONS, rows=[(NOMINATIONS, i) for i in nomination_ids],
                      message=f"已删除 {len(nomination_ids)} 条推荐记录")


def remove(app: App, membership_id: int, on: date, reason: str, note: str | None = None) -> Changes:
    with app.db.session() as s:
        m = rounds.remove(s, membership_id, on, reason, note)
        name = m.candidate.worker.name
    return Changes.of(MEMBERSHIPS, LINKS, rows=[(MEMBERSHIPS, membership_id)], message=f"{name} 已移出培育库")


def replenish(app: App, round_id: int, worker_id: int | None, track: str, on: date, *,
              note: str | None = None) -> HintsDone:
    wid = _missing(worker_id, "请选择补充入库的人员")
    with app.db.session() as s:
        m, hints = rounds.replenish(s, round_id, wid, track, on, note=note, labels=app.labels())
        mid, name = m.id, m.candidate.worker.name
    return Done(hints, Changes.of(*POOL, rows=[(MEMBERSHIPS, mid)], message=f"{name} 已补充入库"))


def assign_mentor(app: App, candidate_id: int, mentor_id: int | None, on: date, name: str) -> HintsDone:
    """结对帮带 for the candidate ``name`` (re-pairing when another mentor is chosen)."""
    mid = _missing(mentor_id, "请从职工名册中选择导师")
    with app.db.session() as s:
        link, hints = cult.assign_mentor(s, candidate_id, mid, on, app.labels())
        lid, mentor = link.id, link.mentor.name
    return Done(hints, Changes.of(LINKS, rows=[(LINKS, lid)], message=f"{name} 的导师：{mentor}"))


def add_training(app: App, candidate_ids: Sequence[int], held_on: date, content: str, *, kind: str,
                 hours: object = None, organiser: str | None = None) -> Changes:
    with app.db.session() as s:
        done = cult.add_training(s, candidate_ids, held_on, content, kind=kind, hours=hours or None,
                                 organiser=organiser)
        ids = [t.id for t in done]
    return Changes.of(TRAININGS, rows=[(TRAININGS, i) for i in ids], message=f"已登记培训：{content}，{len(ids)} 人")


def delete_training(app: App, training_ids: Sequence[int]) -> Changes:
    with app.db.session() as s:
        for tid in training_ids:
            cult.delete_training(s, tid)
    return Changes.of(TRAININGS, rows=[(TRAININGS, i) for i in training_ids], message="已删除培训记录")


def set_degree(app: App, candidate_id: int, name: str, level: str | None, school: str | None,
               start: date | None) -> Changes:
    with app.db.session() as s:
        cult.set_degree(s, candidate_id, level, school, start if level else None)
    message = f"{name}：学历提升已登记（学费补贴优先）" if level else "已清除学历提升记录"
    return Changes.of(CANDIDATES, rows=[(CANDIDATES, candidate_id)], message=message)


def evaluate(app: App, link_id: int, year: int, on: date, rating_of_mentee: object, rating_of_mentor: object,
             note: str | None, who: str) -> HintsDone:
    """师徒双向评议 of ``year``; the flags (建议调整结对, 导师评先评优优先) come back as warnings."""
    with app.db.session() as s:
        flags, hints = cult.evaluate(s, link_id, year, on, rating_of_mentee, rating_of_mentor, note)
    shown = [*hints, *(Hint(rules.WARNING, f) for f in flags)]
    return Done(shown, Changes.of(EVALUATIONS, rows=[(LINKS, link_id)], message=f"{year}年度评议已录入：{who}"))


def record_expert(app: App, candidate_id: int, name: str, on: date, how: str, detail: str | None,
                  new_grade: str | None) -> HintsDone:
    with app.db.session() as s:
        hints = cult.record_expert(s, candidate_id, on, how, detail, new_grade if how == "grade" else None)
        worker_id = s.get(Candidate, candidate_id).worker_id  # type: ignore[union-attr]
    return Done(hints, Changes.of(CANDIDATES, WORKERS, rows=[(CANDIDATES, candidate_id), (WORKERS, worker_id)],
                                  message=f"{name} 已登记为技术能手"))


def record_stage(app: App, candidate_id: int, name: str, stage: str, on: date, note: str | None) -> HintsDone:
    """A party stage; the worker's political status follows (``rules.STAGE_STATUS``)."""
    labels = app.labels()
    with app.db.session() as s:
        row, hints = cult.record_stage(s, candidate_id, stage, on, note)
        sid, worker_id = row.id, row.candidate.worker_id
    after = labels.get("political_status", {}).get(rules.STAGE_STATUS[stage] or "", "")
    message = f"{name}：{labels.get('party_stage', {}).get(stage, stage)}" + (f"，政治面貌改为{after}" if after else "")
    return Done(hints, Changes.of(STAGES, WORKERS, rows=[(STAGES, sid), (WORKERS, worker_id)], message=message))


def undo_stage(app: App, candidate_id: int, name: str, stage: str) -> Changes:
    """Undo the latest stage (a mistake): the political status goes back to what it was."""
    label = rules.STAGE_LABELS[stage]
    with app.db.session() as s:
        sid = stage_id(s, candidate_id, stage)
        if sid is None:
            raise ValidationError("not_found", f"{name}的“{label}”已不存在（可能已被撤销）")
        worker_id = s.get(Candidate, candidate_id).worker_id  # type: ignore[union-attr]
        cult.delete_stage(s, sid)
    return Changes.of(STAGES, WORKERS, rows=[(STAGES, sid), (WORKERS, worker_id)],
                      message=f"已撤销 {name} 的“{label}”")

