"""The selection core: rounds, candidacies, stages, the quota, the publicity period and the
holdings, for 劳模工匠选树 (honours) and 星级工会 (star_unions); later the 五小 and 书香 awards. No Qt.

A programme describes its stages as a :class:`Workflow`; the functions here work inside the
caller's transaction (a programme's ``service`` opens it) and raise
:class:`~db.errors.ValidationError` with a Chinese message when a rule refuses, before anything
is written. The rules:

- a candidacy moves one stage forward at a time, never back and never past its last stage;
- it can fail (未通过, 未获命名) at any stage before it is named, with a reason;
- a move's date is not before the previous move's;
- the publicity stage needs the round's publicity period (``start_publicity``) and naming comes
  after that period has ended;
- the quota warns (the message says by how many it is exceeded) and never refuses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from db.errors import ValidationError
from db.models.core.selection import Candidacy, Holding, SelectionRound, StageMove
from desktop.programmes.core import working_days
from desktop.programmes.core.records import get_or_refuse, where_given

FAILED = "failed"
NOT_FOUND = "记录已不存在（可能已被删除）"


@dataclass(frozen=True)
class Stage:
    code: str
    label: str


@dataclass(frozen=True)
class Workflow:
    """A programme's stages in order (the first is where a candidacy starts); ``named`` is the
    stage that makes a holding, ``publicity`` the one that opens the publicity period (if any)."""

    stages: tuple[Stage, ...]
    named: str = "named"
    publicity: str | None = "publicity"
    failed_label: str = "未通过"
    quota_from: str | None = None  # counted against the quota from this stage on (default: named)

    @property
    def first(self) -> str:
        return self.stages[0].code

    def codes(self) -> list[str]:
        return [s.code for s in self.stages]

    def label(self, code: str | None) -> str:
        if code == FAILED:
            return self.failed_label
        return next((s.label for s in self.stages if s.code == code), code or "")

    def index(self, code: str) -> int:
        return self.codes().index(code) if code in self.codes() else -1

    def next(self, code: str) -> Stage | None:
        i = self.index(code)
        return self.stages[i + 1] if 0 <= i < len(self.stages) - 1 else None

    def reached(self, code: str, stage: str) -> bool:
        """``code`` is ``stage`` or past it (failed candidacies reach nothing)."""
        return code != FAILED and self.index(code) >= self.index(stage) >= 0


def actor(session: Session) -> tuple[str, str]:
    """(the name recorded as who moved a stage, the account's login) from the session's actor."""
    who = session.info.get("actor")
    return (getattr(who, "clerk", "") or "", getattr(who, "account", "") or "")


def check_move(flow: Workflow, current: str, target: str, reason: str | None = None) -> None:
    """Refuse a move the stage rules forbid (pure: the tests call it directly)."""
    if current == FAILED:
        raise ValidationError("stage_closed", f"已{flow.failed_label}，不能再推进")
    if flow.next(current) is None and target != FAILED:
        raise ValidationError("stage_closed", f"已到“{flow.label(current)}”，没有下一阶段")
    if target == FAILED:
        if flow.reached(current, flow.named):
            raise ValidationError("stage_closed", "已命名，不能再设为未通过（如需撤销请登记终止）")
        if not (reason or "").strip():
            raise ValidationError("reason_missing", f"请填写{flow.failed_label}的原因")
        return
    if flow.index(target) < 0:
        raise ValidationError("stage_unknown", f"未知的阶段：{target}")
    if target == current:  # two clerks at once, or a double click: the first one moved it
        raise ValidationError("stage_same", f"已是“{flow.label(current)}”（可能刚由他人推进），无需重复操作")
    nxt = flow.next(current)
    if nxt is None or nxt.code != target:
        if flow.index(target) <= flow.index(current):
            raise ValidationError("stage_back", f"当前已是“{flow.label(current)}”，不能退回“{flow.label(target)}”")
        raise ValidationError("stage_skip", f"请按顺序推进：当前为“{flow.label(current)}”，下一步是“{nxt.label if nxt else ''}”")


def last_date(c: Candidacy) -> date | None:
    return max((m.on for m in c.moves), default=None)


def record_move(session: Session, c: Candidacy, stage: str, on: date, reason: str | None = None) -> StageMove:
    by, account = actor(session)
    move = StageMove(stage=stage, on=on, by=by[:40], account=account[:40], reason=(reason or "").strip()[:200] or None)
    c.moves.append(move)
    c.stage, c.stage_on = stage, on
    if stage == FAILED:
        c.reason = move.reason
    session.flush()
    return move


def move(session: Session, flow: Workflow, candidate_id: int, target: str, on: date,
         reason: str | None = None) -> Candidacy:
    """One step of a candidacy (the programme then makes the holding when ``target`` is named)."""
    c = get_or_refuse(session, Candidacy, candidate_id, NOT_FOUND, lock=True)
    check_move(flow, c.stage, target, reason)
    last = last_date(c)
    if last is not None and on < last:
        raise ValidationError("date_order", f"日期不能早于上一阶段的日期（{last:%Y-%m-%d}）")
    r = c.round
    if target == flow.publicity and (r.publicity_start is None or r.publicity_end is None):
        raise ValidationError("publicity_missing", "请先“开始公示”：设定公示开始日期，结束日期按工作日计算")
    if target == flow.named and flow.publicity is not None and r.publicity_end is not None and on <= r.publicity_end:
        raise ValidationError("publicity_running",
                              f"公示期至 {r.publicity_end:%Y-%m-%d} 结束，公示期满后方可命名（命名日期应晚于公示结束日期）")
    record_move(session, c, target, on, reason)
    return c


def start(session: Session, flow: Workflow, c: Candidacy, on: date) -> Candidacy:
    """A new candidacy's first stage (推荐 / 申报), recorded like every later move."""
    session.add(c)
    record_move(session, c, flow.first, on)  # one flush writes both (an import of 2,000 rows: 2,000 flushes)
    return c


def start_publicity(session: Session, flow: Workflow, round_id: int, first_day: date, days: int
                    ) -> tuple[SelectionRound, list[Candidacy]]:
    """公示: the round's period (``days`` working days from ``first_day``, over the holiday table)
    and every candidacy at the stage before publicity moved into it."""
    assert flow.publicity is not None
    r = get_or_refuse(session, SelectionRound, round_id, NOT_FOUND, lock=True)
    before = flow.stages[flow.index(flow.publicity) - 1].code
    ready = [c for c in r.candidates if c.stage == before]
    if not ready:
        raise ValidationError("nobody_ready", f"没有处于“{flow.label(before)}”阶段的对象，无法开始公示")
    for c in ready:
        last = last_date(c)
        if last is not None and first_day < last:
            raise ValidationError("date_order", f"公示开始日期不能早于{name_of(c)}的上一阶段日期（{last:%Y-%m-%d}）")
    r.publicity_start = first_day
    r.publicity_end = working_days.add_working_days(first_day, days, working_days.calendar(session))
    for c in ready:
        record_move(session, c, flow.publicity, first_day)
    return r, ready


def name_of(c: Candidacy) -> str:
    """How a candidacy is named in lists and messages: the worker, or the unit (and team)."""
    if c.worker is not None:
        return c.worker.name
    unit = c.organisation.name if c.organisation is not None else ""
    return f"{unit}{c.team or ''}" if unit or c.team else "（未填写）"


def counted(flow: Workflow, candidates: Sequence[Candidacy]) -> int:
    """Candidacies that count against the quota: from ``quota_from`` (default: named) on."""
    stage = flow.quota_from or flow.named
    return sum(1 for c in candidates if flow.reached(c.stage, stage))


def quota_warning(quota: int | None, count: int, what: str = "已命名") -> str | None:
    """The quota's warning (never a refusal): ``已命名 6 名，超出名额 1 名（名额 5 名）``."""
    if quota is None or count <= quota:
        return None
    return f"{what} {count} 名，超出名额 {count - quota} 名（名额 {quota} 名），请核实"


def hold(session: Session, programme: str, c: Candidacy | None, *, title: str, year: int, named_on: date,
         award_id: int | None = None, award: str | None = None, level: str | None = None,
         body: str | None = None, document: str | None = None, worker_id: int | None = None,
         organisation_id: int | None = None, team: str | None = None) -> Holding:
    """A title or rating held from ``named_on`` (by the candidacy's subject when one is given)."""
    h = Holding(programme=programme, award_id=award_id, award=award, title=title, level=level, year=year,
                named_on=named_on, body=body, document=document,
                worker_id=c.worker_id if c is not None else worker_id,
                organisation_id=c.organisation_id if c is not None else organisation_id,
                team=c.team if c is not None else team, candidate_id=c.id if c is not None else None)
    session.add(h)
    session.flush()
    return h


def end_holding(session: Session, holding_id: int, on: date, reason: str) -> Holding:
    h = get_or_refuse(session, Holding, holding_id, NOT_FOUND, lock=True)
    if not (reason or "").strip():
        raise ValidationError("reason_missing", "请填写终止原因")
    if h.ended_on is not None:
        raise ValidationError("already_ended", f"该称号已于 {h.ended_on:%Y-%m-%d} 终止")
    if on < h.named_on:
        raise ValidationError("date_order", f"终止日期不能早于命名日期（{h.named_on:%Y-%m-%d}）")
    h.ended_on, h.end_reason = on, reason.strip()[:200]
    session.flush()
    return h


def held_on(session: Session, programme: str | None, on: date, *, worker_id: int | None = None,
            organisation_id: int | None = None) -> list[Holding]:
    """Who held what on ``on``: holdings named on or before it and not ended by then."""
    q = select(Holding).where(Holding.named_on <= on, or_(Holding.ended_on.is_(None), Holding.ended_on > on))
    q = where_given(q, (Holding.programme, programme), (Holding.worker_id, worker_id),
                    (Holding.organisation_id, organisation_id))
    return list(session.scalars(q.order_by(Holding.named_on, Holding.id)))


def delete_candidacy(session: Session, flow: Workflow, candidate_id: int) -> None:
    """Delete a candidacy entered by mistake: refused once it is named (the holding stays)."""
    c = session.get(Candidacy, candidate_id)
    if c is None:
        return
    if flow.reached(c.stage, flow.named):
        raise ValidationError("in_use", "已命名的对象不能删除（如需撤销请在名册中登记终止）")
    session.delete(c)
    session.flush()


def delete_round(session: Session, round_id: int) -> None:
    n = session.scalar(select(func.count()).select_from(Candidacy).where(Candidacy.round_id == round_id)) or 0
    if n:
        raise ValidationError("in_use", f"该评选还有 {n} 名对象，请先删除这些对象")
    r = session.get(SelectionRound, round_id)
    if r is not None:
        session.delete(r)
        session.flush()
