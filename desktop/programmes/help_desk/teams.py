"""Service teams (帮帮团, 金蓝领, 技术服务队) and their members, over a session: a member is a
worker of the register (name and trade from there) or an outside expert named with a phone.
Refusals are :class:`~db.errors.ValidationError` naming the field, before anything is written.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.errors import ValidationError
from db.models.core.cases import Case, CaseParty
from db.models.core.registers import Worker
from db.models.help_desk import Demand, Member, Team
from desktop.programmes.core.records import get_or_refuse
from desktop.programmes.help_desk.checking import clean, label
from desktop.programmes.help_desk.rules import CRAFTSMAN, FLOW

TEAM_GONE = "该服务队已不存在（可能已被删除）"
MEMBER_GONE = "该成员已不在服务队中（可能已被删除）"
MEMBER_FIELDS = ("worker_id", "name", "specialty", "trade", "area", "phone", "expert_from", "joined_on", "left_on")


def save_team(session: Session, team_id: int | None, values: dict[str, Any]) -> Team:
    clean_values = clean(session, Team, values)
    team = Team() if team_id is None else get_or_refuse(session, Team, team_id, TEAM_GONE)
    name = clean_values.get("name", team.name)
    if team_id is None:
        for required in ("name", "kind"):
            if not clean_values.get(required):
                raise ValidationError("field_invalid", f"请填写{label(Team, required)}")
    clash = session.scalar(select(Team.id).where(Team.name == name, Team.id != (team_id or 0)))
    if clash is not None:
        raise ValidationError("duplicate", f"已有名为“{name}”的服务队，请换一个{label(Team, 'name')}")
    for key, value in clean_values.items():
        setattr(team, key, value)
    if team_id is None:
        session.add(team)
    session.flush()
    return team


def delete_team(session: Session, team_id: int) -> str:
    team = get_or_refuse(session, Team, team_id, TEAM_GONE)
    used = session.scalar(select(func.count()).select_from(Demand).where(Demand.team_id == team_id)) or 0
    if used:
        raise ValidationError("in_use", f"“{team.name}”已有 {used} 张派工单，不能删除（成员可登记退出）")
    name = team.name
    session.delete(team)
    session.flush()
    return name


def _member_values(session: Session, member: Member, values: dict[str, Any]) -> None:
    """Fill ``member`` from checked values; a register worker's name comes from the register."""
    clean_values = clean(session, Member, values, only=MEMBER_FIELDS)
    if "worker_id" in values:
        wid = clean_values.get("worker_id")
        if wid is not None:
            worker = get_or_refuse(session, Worker, int(wid), "该职工已不在名册中")
            member.worker_id, member.name = worker.id, worker.name
            if not clean_values.get("trade") and not member.trade:
                member.trade = worker.trade
            clean_values.pop("name", None)
        else:
            member.worker_id = None
    if member.worker_id is not None:
        clean_values.pop("name", None)
        clean_values.pop("phone", None)  # a register worker's phone is the register's
    for key, value in clean_values.items():
        if key != "worker_id":
            setattr(member, key, value)
    if not (member.name or "").strip():
        raise ValidationError("field_invalid", f"请选择名册中的职工或填写外聘专家的{label(Member, 'name')}")
    if member.left_on is not None and member.joined_on is not None and member.left_on < member.joined_on:
        raise ValidationError("date_order", f"{label(Member, 'left_on')}不能早于{label(Member, 'joined_on')}")


def _no_twice(session: Session, member: Member) -> None:
    if member.worker_id is None:
        return
    clash = session.scalar(select(Member.id).where(Member.team_id == member.team_id,
                                                   Member.worker_id == member.worker_id,
                                                   Member.id != (member.id or 0)))
    if clash is not None:
        raise ValidationError("duplicate", f"{member.name}已是该服务队成员")


def add_member(session: Session, team_id: int, values: dict[str, Any]) -> Member:
    team = get_or_refuse(session, Team, team_id, TEAM_GONE)
    member = Member(team_id=team.id)
    _member_values(session, member, values)
    _no_twice(session, member)
    session.add(member)
    session.flush()
    return member


def save_member(session: Session, member_id: int, values: dict[str, Any]) -> Member:
    member = get_or_refuse(session, Member, member_id, MEMBER_GONE)
    _member_values(session, member, values)
    _no_twice(session, member)
    session.flush()
    return member


def served(session: Session, member: Member) -> int:
    """How many 派工单 the member has been sent on (a worker by register id, an expert by name)."""
    q = (select(func.count(func.distinct(CaseParty.case_id))).join(Case, CaseParty.case_id == Case.id)
         .where(Case.programme == FLOW.programme, CaseParty.role == CRAFTSMAN))
    if member.worker_id is not None:
        q = q.where(CaseParty.worker_id == member.worker_id)
    else:
        q = q.where(CaseParty.worker_id.is_(None), CaseParty.name == member.name)
    return session.scalar(q) or 0


def remove_member(session: Session, member_id: int, on: date) -> tuple[str, bool]:
    """退出: a member who served keeps the row with ``left_on`` (the 派工单 name them); one who
    never did is deleted. Returns (name, deleted)."""
    member = get_or_refuse(session, Member, member_id, MEMBER_GONE)
    name = member.name
    if served(session, member):
        if member.left_on is not None:
            raise ValidationError("already_left", f"{name}已于 {member.left_on:%Y-%m-%d} 退出服务队")
        if member.joined_on is not None and on < member.joined_on:
            raise ValidationError("date_order", f"{label(Member, 'left_on')}不能早于{label(Member, 'joined_on')}")
        member.left_on = on
        session.flush()
        return name, False
    session.delete(member)
    session.flush()
    return name, True
