"""红色工匠 two-way cultivation (red_craftsman): rounds, nominations, the pool and its history.

- :class:`Round`: a yearly cultivation round with a quota per track (A 党员→技术能手, B 技术能手→党员).
- :class:`Nomination`: a nominee of a round (推荐人选), decided 已入库 / 未入选 at 1:2.
- :class:`Candidate`: a person in the programme across years (track, degree study, track-A outcome).
- :class:`Membership`: one stay of a candidate in one round's pool (培育库), from ``admitted_on``
  up to the day before ``left_on``; rows are never deleted, so the pool on any past date is the
  memberships open on that date. ``source`` is new / carried (上年结转) / replenished (补充入库);
  ``left_reason`` a removal (违纪违法, 调离, 其他), ``carried`` (the yearly adjustment moved it into
  the next round) or ``completed`` (培育完成).
- :class:`Training`: centralised training and other study; :class:`PartyStage`: track B's stages.

Mentors and the two-way evaluation are the shared mentoring core (db.models.core.cultivation).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db import validators as v
from db.base import Base, Timestamps
from db.fields import field
from db.models.core.registers import Worker

#: ``MentorLink.programme`` of this programme's mentor links (the programme key).
RED_CRAFTSMAN = "red_craftsman"


TRACK_A, TRACK_B = "a", "b"
NEW, CARRIED, REPLENISHED = "new", "carried", "replenished"
REMOVAL_REASONS = ("discipline", "transfer", "other")
LEFT_CARRIED, LEFT_COMPLETED = "carried", "completed"
PENDING, ADMITTED, NOT_SELECTED = "pending", "admitted", "not_selected"
CENTRAL = "central"


class Round(Timestamps, Base):
    __tablename__ = "rc_rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True, info=field("年度", "int", required=True, width=6))
    title: Mapped[str | None] = mapped_column(String(100), info=field("名称", width=30))
    quota_a: Mapped[int] = mapped_column(Integer, default=0, info=field("A类名额", "int", width=6))
    quota_b: Mapped[int] = mapped_column(Integer, default=0, info=field("B类名额", "int", width=6))
    announced_on: Mapped[date | None] = mapped_column(
        Date, info=field("入库公布日期", "date", validator=v.date_value, width=12)
    )
    notes: Mapped[str | None] = mapped_column(Text, info=field("备注", "multiline", in_table=False))

    nominations: Mapped[list[Nomination]] = relationship(back_populates="round", cascade="all, delete-orphan")
    memberships: Mapped[list[Membership]] = relationship(back_populates="round")


class Candidate(Timestamps, Base):
    __tablename__ = "rc_candidates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker_id: Mapped[int] = mapped_column(
        ForeignKey("workers.id"), unique=True, info=field("姓名", "ref", ref="workers", required=True, width=10)
    )
    track: Mapped[str] = mapped_column(
        String(8), info=field("培育类别", "choice", choices="rc_track", required=True, width=14)
    )
    # 学历提升 (农民工求学圆梦: tuition-subsidy priority)
    degree_level: Mapped[str | None] = mapped_column(
        String(16), info=field("在读学历", "choice", choices="degree_level", width=6)
    )
    degree_school: Mapped[str | None] = mapped_column(String(100), info=field("就读学校", width=20))
    degree_start: Mapped[date | None] = mapped_column(
        Date, info=field("入学日期", "date", validator=v.date_value, width=12)
    )
    # Track A's outcome: became a skill expert (成为技术能手).
    expert_on: Mapped[date | None] = mapped_column(
        Date, info=field("成为技术能手日期", "date", validator=v.date_value, width=12)
    )
    expert_how: Mapped[str | None] = mapped_column(
        String(16), info=field("成才途径", "choice", choices="rc_expert_how", width=10)
    )
    expert_detail: Mapped[str | None] = mapped_column(String(200), info=field("成效说明", width=24))
    note: Mapped[str | None] = mapped_column(Text, info=field("备注", "multiline", in_table=False))

    worker: Mapped[Worker] = relationship()
    memberships: Mapped[list[Membership]] = relationship(back_populates="candidate", order_by="Membership.admitted_on")
    trainings: Mapped[list[Training]] = relationship(back_populates="candidate", cascade="all, delete-orphan")
    stages: Mapped[list[PartyStage]] = relationship(back_populates="candidate", cascade="all, delete-orphan",
                                                    order_by="PartyStage.reached_on")


class Nomination(Timestamps, Base):
    __tablename__ = "rc_nominations"
    __table_args__ = (UniqueConstraint("round_id", "worker_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rc_rounds.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int] = mapped_column(
        ForeignKey("workers.id"), index=True, info=field("姓名", "ref", ref="workers", required=True, width=10)
    )
    track: Mapped[str] = mapped_column(
        String(8), info=field("培育类别", "choice", choices="rc_track", required=True, width=14)
    )
    nominated_on: Mapped[date] = mapped_column(
        Date, info=field("推荐日期", "date", validator=v.date_value, required=True, width=12)
    )
    recommender: Mapped[str | None] = mapped_column(String(100), info=field("推荐单位", width=20))
    decision: Mapped[str] = mapped_column(
        String(16), default=PENDING, info=field("结果", "choice", choices="rc_decision", width=8)
    )
    decided_on: Mapped[date | None] = mapped_column(
        Date, info=field("确定日期", "date", validator=v.date_value, width=12)
    )
    note: Mapped[str | None] = mapped_column(Text, info=field("推荐理由", "multiline", in_table=False))

    round: Mapped[Round] = relationship(back_populates="nominations")
    worker: Mapped[Worker] = relationship()


class Membership(Timestamps, Base):
    __tablename__ = "rc_memberships"
    __table_args__ = (UniqueConstraint("round_id", "candidate_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rc_rounds.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("rc_candidates.id"), index=True)
    source: Mapped[str] = mapped_column(
        String(16), info=field("入库方式", "choice", choices="rc_source", required=True, width=8)
    )
    admitted_on: Mapped[date] = mapped_column(
        Date, info=field("入库日期", "date", validator=v.date_value, required=True, width=12)
    )
    left_on: Mapped[date | None] = mapped_column(
        Date, info=field("出库日期", "date", validator=v.date_value, width=12)
    )
    left_reason: Mapped[str | None] = mapped_column(
        String(16), info=field("出库原因", "choice", choices="rc_leave_reason", width=10)
    )
    left_note: Mapped[str | None] = mapped_column(String(200), info=field("出库说明", width=24))
    note: Mapped[str | None] = mapped_column(String(200), info=field("入库说明", width=24))
    nomination_id: Mapped[int | None] = mapped_column(ForeignKey("rc_nominations.id", ondelete="SET NULL"))

    round: Mapped[Round] = relationship(back_populates="memberships")
    candidate: Mapped[Candidate] = relationship(back_populates="memberships")


class Training(Timestamps, Base):
    __tablename__ = "rc_trainings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("rc_candidates.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(
        Date, info=field("培训日期", "date", validator=v.date_value, required=True, width=12)
    )
    kind: Mapped[str] = mapped_column(
        String(16), default=CENTRAL, info=field("培训形式", "choice", choices="rc_training_kind", width=8)
    )
    content: Mapped[str] = mapped_column(String(200), info=field("培训内容", required=True, width=30))
    hours: Mapped[Decimal | None] = mapped_column(Numeric(5, 1), info=field("学时", width=5))
    organiser: Mapped[str | None] = mapped_column(String(100), info=field("组织单位", width=20))

    candidate: Mapped[Candidate] = relationship(back_populates="trainings")


class PartyStage(Timestamps, Base):
    __tablename__ = "rc_party_stages"
    __table_args__ = (UniqueConstraint("candidate_id", "stage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("rc_candidates.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(
        String(32), info=field("党建阶段", "choice", choices="party_stage", required=True, width=10)
    )
    reached_on: Mapped[date] = mapped_column(
        Date, info=field("日期", "date", validator=v.date_value, required=True, width=12)
    )
    # The worker's political status before this stage set it (restored if the stage is deleted).
    status_before: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(200), info=field("说明", width=24))

    candidate: Mapped[Candidate] = relationship(back_populates="stages")
