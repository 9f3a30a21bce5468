"""The case core: numbered cases moving through a programme's stages, for 劳模工匠助企行
(help_desk: a demand and its 派工单) and 劳动争议调解 (disputes). No Qt.

A programme describes its stages as a :class:`CaseFlow`. The functions here work inside the
caller's transaction (a programme's ``service`` opens it) and raise
:class:`~db.errors.ValidationError` with a Chinese message when a rule refuses, before anything
is written. The rules:

- a case moves forward only: to any later stage (stages may be skipped: a dispute settled at
  协商 never reaches 调解), never back, never to the stage it is at;
- a closing stage (已解决 / 未解决 / 转办, 结案) closes the case; after it only the stages ranked
  after it (已回访) remain; a flow whose closing stage names no outcome asks for one (调解成功 …);
- a move's time is not before the previous move's, nor more than an hour ahead of now;
- every move is a :class:`~db.models.core.cases.CaseMove` naming who recorded it (the signed-in
  account, else the 经办人 setting), and like every write it is in the chained audit log.

Numbers are ``{year}-{code}-{0001}`` per programme and year (``2026-BB-0001``); two clerks opening a
case at once on PostgreSQL both get a number (the second retries on the unique constraint).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db import validators as v
from db.errors import ValidationError
from db.models.core.cases import Case, CaseAttachment, CaseMove, CaseParty
from db.models.core.registers import Organisation, Worker
from desktop.programmes.core.records import delete_or_refuse, get_or_refuse
from desktop.programmes.core.selection import actor

NOT_FOUND = "案件已不存在（可能已被删除）"
AHEAD = timedelta(hours=1)  # a time typed ahead of the clock (a wrong year) is refused beyond this


@dataclass(frozen=True)
class CaseStage:
    code: str
    label: str
    rank: int  # stages of one rank are alternatives (已解决 / 未解决 / 转办)
    closes: bool = False  # reaching it closes the case


@dataclass(frozen=True)
class CaseFlow:
    """A programme's stages (the first is where a case opens) and, when its closing stage does not
    say how the case ended, the choice list of outcomes a closing move must name."""

    programme: str
    code: str  # the programme's serial code in case numbers: BB, TJ
    stages: tuple[CaseStage, ...]
    outcome_choices: str | None = None  # "dp_outcome": the closing move names one of these codes

    @property
    def first(self) -> str:
        return self.stages[0].code

    def stage(self, code: str | None) -> CaseStage | None:
        return next((s for s in self.stages if s.code == code), None)

    def label(self, code: str | None) -> str:
        s = self.stage(code)
        return s.label if s is not None else (code or "")

    def rank(self, code: str | None) -> int:
        s = self.stage(code)
        return s.rank if s is not None else -1

    def codes(self) -> list[str]:
        return [s.code for s in self.stages]

    def closing(self) -> list[CaseStage]:
        return [s for s in self.stages if s.closes]

    def is_closed(self, code: str | None) -> bool:
        """Whether a case at ``code`` is closed (at a closing stage or past one)."""
        ranks = [s.rank for s in self.closing()]
        return bool(ranks) and self.rank(code) >= min(ranks)

    def next_stages(self, code: str) -> list[CaseStage]:
        """Where a case at ``code`` may go: every later stage, skipping allowed (none once at the last)."""
        here = self.rank(code)
        return [s for s in self.stages if s.rank > here]


def number(year: int, code: str, seq: int) -> str:
    return f"{year}-{code}-{seq:04d}"


def check_move(flow: CaseFlow, current: str, target: str, *, outcome: str | None = None) -> None:
    """Refuse a move the stage rules forbid (pure: the tests call it directly)."""
    goal = flow.stage(target)
    if goal is None:
        raise ValidationError("stage_unknown", f"未知的阶段：{target}")
    if target == current:  # two clerks at once, or a double click: the first one moved it
        raise ValidationError("stage_same", f"已是“{flow.label(current)}”（可能刚由他人办理），无需重复操作")
    if goal.rank <= flow.rank(current):
        if flow.is_closed(current) and goal.rank == flow.rank(current):
            raise ValidationError("stage_closed", f"已“{flow.label(current)}”，不能再改为“{goal.label}”")
        if not flow.next_stages(current):
            raise ValidationError("stage_closed", f"已到“{flow.label(current)}”，没有下一阶段")
        raise ValidationError("stage_back", f"当前已是“{flow.label(current)}”，不能退回“{goal.label}”")
    if goal.closes and flow.outcome_choices and not (outcome or "").strip():
        raise ValidationError("outcome_missing", f"“{goal.label}”须选择办理结果")


def _check_time(at: datetime, after: datetime | None, *, now: datetime | None = None) -> None:
    if after is not None and at < after:
        raise ValidationError("date_order", f"时间不能早于上一环节的时间（{after:%Y-%m-%d %H:%M}）")
    if at > (now or datetime.now()) + AHEAD:
        raise ValidationError("date_future", f"时间不能晚于现在（{at:%Y-%m-%d %H:%M}）")


def record_move(session: Session, case: Case, stage: str, at: datetime, note: str | None = None) -> CaseMove:
    by, account = actor(session)
    m = CaseMove(stage=stage, at=at, by=by[:40], account=account[:40], note=(note or "").strip()[:200] or None)
    case.moves.append(m)
    case.stage, case.stage_at = stage, at
    return m


def open_case(session: Session, flow: CaseFlow, at: datetime, summary: str, *, note: str | None = None) -> Case:
    """A new case at the flow's first stage, numbered within its programme and year; flushed (it has
    an id). Two clerks at once on PostgreSQL: the second's number collides, and it takes the next."""
    _check_time(at, None)
    for _attempt in range(8):
        seq = (session.scalar(select(func.max(Case.seq)).where(Case.programme == flow.programme,
                                                                 Case.year == at.year)) or 0) + 1
        case = Case(programme=flow.programme, year=at.year, seq=seq, number=number(at.year, flow.code, seq),
                    stage=flow.first, stage_at=at, opened_at=at, summary=(summary or "").strip()[:200])
        try:
            with session.begin_nested():
                session.add(case)
                session.flush()
        except IntegrityError:
            continue
        record_move(session, case, flow.first, at, note)
        session.flush()
        return case
    raise ValidationError("number_busy", "生成编号时与他人同时登记，请稍后重试")


def move(session: Session, flow: CaseFlow, case_id: int, target: str, at: datetime, *, note: str | None = None,
         outcome: str | None = None, now: datetime | None = None) -> Case:
    """One step of a case (read under a row lock: two clerks moving one case take turns)."""
    case = get_or_refuse(session, Case, case_id, NOT_FOUND, lock=True)
    if case.programme != flow.programme:
        raise ValidationError("not_found", NOT_FOUND)
    check_move(flow, case.stage, target, outcome=outcome)
    _check_time(at, last_time(case), now=now)
    goal = flow.stage(target)
    assert goal is not None
    record_move(session, case, target, at, note)
    if goal.closes:
        case.closed_at = at
        case.outcome = (outcome or "").strip() or target if flow.outcome_choices else target
    session.flush()
    return case


def last_time(case: Case) -> datetime | None:
    return max((m.at for m in case.moves), default=None)


def delete_case(session: Session, flow: CaseFlow, case_id: int) -> str:
    """Delete a case entered by mistake: only while it is at its first stage (its number is not reused
    while a later one exists). Returns its number."""
    case = get_or_refuse(session, Case, case_id, NOT_FOUND, lock=True)
    if case.stage != flow.first:
        raise ValidationError("in_use", f"{case.number}已“{flow.label(case.stage)}”，不能删除（只能删除误登记、尚未办理的案件）")
    num = case.number
    session.delete(case)
    session.flush()
    return num


# -- parties and attachments ----------------------------------------------------------------------------------


def _text(value: object, label: str, limit: int, *, required: bool = False) -> str | None:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ValidationError("field_invalid", f"请填写{label}")
    if len(text) > limit:
        raise ValidationError("too_long", f"{label}超过 {limit} 个字（{len(text)} 个字）")
    return text or None


def add_party(session: Session, case_id: int, role: str, *, worker_id: int | None = None,
              organisation_id: int | None = None, name: object = None, phone: object = None,
              id_number: object = None, capacity: object = None, note: object = None) -> CaseParty:
    """A person or unit in the case: a register record (its name taken from there), or only named."""
    case = get_or_refuse(session, Case, case_id, NOT_FOUND)
    party = CaseParty(role=role, capacity=_text(capacity, "身份（专长）", 40), note=_text(note, "备注", 200))
    _fill(session, party, worker_id, organisation_id, name)
    party.phone = v.phone(phone) if phone not in (None, "") else None
    party.id_number = v.id_number(id_number) if id_number not in (None, "") else None
    if worker_id is not None and any(p.worker_id == worker_id and p.role == role for p in case.parties):
        raise ValidationError("duplicate", f"{party.name}已在本案中")
    case.parties.append(party)
    session.flush()
    return party


def _fill(session: Session, party: CaseParty, worker_id: int | None, organisation_id: int | None,
          name: object) -> None:
    if worker_id is not None:
        w = get_or_refuse(session, Worker, worker_id, "该职工已不在名册中")
        party.worker_id, party.name = w.id, w.name
        party.organisation_id = organisation_id if organisation_id is not None else w.employer_id
    elif organisation_id is not None:
        o = get_or_refuse(session, Organisation, organisation_id, "该单位已不在名册中")
        party.organisation_id, party.name = o.id, o.name
    else:
        party.name = _text(name, "姓名（名称）", 100, required=True) or ""


def link_party(session: Session, party_id: int, *, worker_id: int | None = None,
               organisation_id: int | None = None) -> CaseParty:
    """Link a party named only (at 预警, an outside expert) to its register record, once it is there."""
    party = get_or_refuse(session, CaseParty, party_id, "该当事人已不存在")
    if worker_id is None and organisation_id is None:
        raise ValidationError("field_invalid", "请选择名册中的职工或单位")
    _fill(session, party, worker_id, organisation_id, party.name)
    if worker_id is not None:
        party.id_number = None  # the register's number is the one that counts from now on
    session.flush()
    return party


def remove_party(session: Session, party_id: int) -> str:
    return delete_or_refuse(session, CaseParty, party_id, "该当事人已不存在").name


def add_attachment(session: Session, case_id: int, name: object, on: date, note: object = None) -> CaseAttachment:
    case = get_or_refuse(session, Case, case_id, NOT_FOUND)
    by, _account = actor(session)
    a = CaseAttachment(name=_text(name, "附件名称", 200, required=True), added_on=on, by=by[:40],
                       note=_text(note, "说明", 2000))
    case.attachments.append(a)
    session.flush()
    return a


def remove_attachment(session: Session, attachment_id: int) -> str:
    return delete_or_refuse(session, CaseAttachment, attachment_id, "该附件记录已不存在").name


def parties(case: Case, role: str) -> list[CaseParty]:
    return [p for p in case.parties if p.role == role]


def party_names(case: Case, role: str, sep: str = "、") -> str:
    return sep.join(p.name for p in parties(case, role))


# -- the figures the stages imply ------------------------------------------------------------------------------


def reached_at(case: Case, stage: str) -> datetime | None:
    """When ``case`` first reached ``stage`` (None: never)."""
    return min((m.at for m in case.moves if m.stage == stage), default=None)


def minutes_between(case: Case, start: str, end: str) -> int | None:
    """Whole minutes from the first move into ``start`` to the first into ``end`` (派单 → 接单)."""
    a, b = reached_at(case, start), reached_at(case, end)
    if a is None or b is None or b < a:
        return None
    return int((b - a).total_seconds() // 60)


def days_open(case: Case, today: date) -> int:
    """Calendar days from opening to closing (or to ``today`` while open)."""
    return days_between(case.opened_at, case.closed_at, today)


def days_between(opened_at: datetime, closed_at: datetime | None, today: date) -> int:
    end = closed_at.date() if closed_at is not None else today
    return max((end - opened_at.date()).days, 0)


def first_times(session: Session, case_ids: Select[Any], stages: Iterable[str]) -> dict[tuple[int, str], datetime]:
    """When each case of ``case_ids`` (a SELECT of case ids) first reached each of ``stages``, in one
    query (a list of thousands of cases shows minutes between stages without loading their logs)."""
    q = (select(CaseMove.case_id, CaseMove.stage, func.min(CaseMove.at))
         .where(CaseMove.case_id.in_(case_ids), CaseMove.stage.in_(list(stages)))
         .group_by(CaseMove.case_id, CaseMove.stage))
    return {(cid, stage): at for cid, stage, at in session.execute(q)}


def party_names_of(session: Session, case_ids: Select[Any], role: str, sep: str = "、") -> dict[int, str]:
    """Each case's parties in ``role``, named in the order added, in one query."""
    found: dict[int, list[str]] = {}
    q = (select(CaseParty.case_id, CaseParty.name).where(CaseParty.case_id.in_(case_ids), CaseParty.role == role)
         .order_by(CaseParty.id))
    for cid, name in session.execute(q):
        found.setdefault(cid, []).append(name)
    return {cid: sep.join(names) for cid, names in found.items()}


def average(values: Iterable[int | None]) -> float | None:
    found = [x for x in values if x is not None]
    return sum(found) / len(found) if found else None


def by_programme(session: Session, flow: CaseFlow, year: int | None = None) -> list[Case]:
    q = select(Case).where(Case.programme == flow.programme)
    if year is not None:
        q = q.where(Case.year == year)
    return list(session.scalars(q.order_by(Case.year, Case.seq)))


# -- what a case's page shows ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MoveRow:
    stage: str
    label: str
    at: datetime
    by: str
    note: str


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    name: str
    added_on: date
    by: str
    note: str


def move_rows(case: Case, flow: CaseFlow) -> list[MoveRow]:
    """The stage log, oldest first: stage, when, recorded by whom, the note."""
    return [MoveRow(m.stage, flow.label(m.stage), m.at, m.by or "", m.note or "") for m in case.moves]


def attachment_rows(case: Case) -> list[AttachmentRow]:
    return [AttachmentRow(a.id, a.name, a.added_on, a.by or "", a.note or "") for a in case.attachments]
