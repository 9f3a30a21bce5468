"""劳动和技能竞赛 (competitions): a competition, its events (trades), entries, team members, scores.

Results live on the entry (total, rank, prize code, the 五一劳动奖章 recommendation) once the
event is ranked by ``desktop.programmes.competitions.rules``. Choice columns hold the codes of
``db.choices`` (``competition_level``, ``competition_kind``, ``prize_mode``, ``prize``,
``score_part``).

Flags (``drop_extremes``, ``recommended_for_medal``) are Boolean columns; the record
description has no boolean kind, so they are described as ``int`` (0/1) and the forms show a
check box for a Boolean column.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from db import validators as v
from db.base import Base, Timestamps
from db.fields import field
from db.models.core.registers import Worker

INDIVIDUAL, TEAM = "individual", "team"


class Competition(Timestamps, Base):
    __tablename__ = "competitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(
        String(120), index=True,
        info=field("竞赛名称", required=True, synonyms=("竞赛", "比赛名称", "赛事名称", "活动名称"), width=40),
    )
    organiser: Mapped[str | None] = mapped_column(
        String(120), info=field("主办单位", synonyms=("主办方", "主办", "承办单位"), width=24)
    )
    level: Mapped[str | None] = mapped_column(
        String(32), info=field("竞赛级别", "choice", choices="competition_level", synonyms=("级别",), width=8)
    )
    kind: Mapped[str] = mapped_column(
        String(16), default=INDIVIDUAL, server_default=INDIVIDUAL,
        info=field("竞赛形式", "choice", choices="competition_kind", required=True, synonyms=("形式",), width=8),
    )
    start_date: Mapped[date | None] = mapped_column(
        Date, info=field("开始日期", "date", validator=v.date_value, synonyms=("开赛日期", "比赛日期"), width=12)
    )
    end_date: Mapped[date | None] = mapped_column(
        Date, info=field("结束日期", "date", validator=v.date_value, synonyms=("闭赛日期", "颁奖日期"), width=12,
                         help="证书落款日期和按年份查找都用结束日期")
    )
    publicity_days: Mapped[int] = mapped_column(
        Integer, default=5, server_default="5",
        info=field("公示天数", "int", synonyms=("公示期",), width=8, help="成绩公示期（天），印在成绩公示上"),
    )
    objection_phone: Mapped[str | None] = mapped_column(
        String(20), info=field("异议受理电话", "phone", validator=v.phone, synonyms=("监督电话", "受理电话"),
                               width=14, help="公开的办公电话，印在成绩公示上")
    )
    notes: Mapped[str | None] = mapped_column(Text, info=field("备注", "multiline", in_table=False))

    # The report dialog lists records of a register by ``name``.
    name = synonym("title")

    events: Mapped[list[Event]] = relationship(
        back_populates="competition", cascade="all, delete-orphan", order_by="Event.id"
    )


class Event(Timestamps, Base):
    """One event (项目, usually a trade) of a competition, with its scoring and prize rules."""

    __tablename__ = "competition_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    trade: Mapped[str] = mapped_column(
        String(60), info=field("竞赛项目", required=True, synonyms=("项目", "工种", "赛项", "比赛项目"), width=16)
    )
    judges: Mapped[int] = mapped_column(
        Integer, default=3, server_default="3",
        info=field("评委人数", "int", synonyms=("评委数",), width=6, help="每位选手由几位评委打分（1–9）"),
    )
    theory_weight: Mapped[int] = mapped_column(
        Integer, default=30, server_default="30", info=field("理论权重（%）", "int", width=8)
    )
    practical_weight: Mapped[int] = mapped_column(
        Integer, default=70, server_default="70", info=field("实操权重（%）", "int", width=8)
    )
    drop_extremes: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(),
        info=field("去掉最高分和最低分", "int", width=8, help="评委不少于 3 人时，各去掉一个最高分和一个最低分再取平均"),
    )
    prize_mode: Mapped[str] = mapped_column(
        String(16), default="count", server_default="count",
        info=field("奖项设定方式", "choice", choices="prize_mode", width=8),
    )
    first_count: Mapped[int] = mapped_column(Integer, default=1, server_default="1",
                                             info=field("一等奖名额", "int", width=6))
    second_count: Mapped[int] = mapped_column(Integer, default=2, server_default="2",
                                              info=field("二等奖名额", "int", width=6))
    third_count: Mapped[int] = mapped_column(Integer, default=3, server_default="3",
                                             info=field("三等奖名额", "int", width=6))
    merit_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0",
                                             info=field("优秀奖名额", "int", width=6))
    first_share: Mapped[int] = mapped_column(Integer, default=10, server_default="10",
                                             info=field("一等奖比例（%）", "int", width=6))
    second_share: Mapped[int] = mapped_column(Integer, default=20, server_default="20",
                                              info=field("二等奖比例（%）", "int", width=6))
    third_share: Mapped[int] = mapped_column(Integer, default=30, server_default="30",
                                             info=field("三等奖比例（%）", "int", width=6))
    merit_share: Mapped[int] = mapped_column(Integer, default=0, server_default="0",
                                             info=field("优秀奖比例（%）", "int", width=6))
    notes: Mapped[str | None] = mapped_column(Text, info=field("备注", "multiline", in_table=False))

    competition: Mapped[Competition] = relationship(back_populates="events")
    entries: Mapped[list[Entry]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Entry.number"
    )


class Entry(Timestamps, Base):
    """A contestant (individual events) or a team (team events) in one event, with the result."""

    __tablename__ = "competition_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("competition_events.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(
        Integer, info=field("参赛号", "int", synonyms=("选手编号", "编号", "参赛编号", "抽签号"), width=6)
    )
    worker_id: Mapped[int | None] = mapped_column(
        ForeignKey("workers.id"), index=True,
        info=field("选手", "ref", ref="workers", synonyms=("姓名", "选手姓名"), width=10),
    )
    team_name: Mapped[str | None] = mapped_column(
        String(100), info=field("队名", synonyms=("代表队", "团队名称", "参赛队"), width=20)
    )
    employer: Mapped[str | None] = mapped_column(
        String(100), info=field("单位", synonyms=("工作单位", "参赛单位", "推荐单位"), width=26,
                                help="报名时的单位（保存当时的名称）")
    )
    total: Mapped[float | None] = mapped_column(Float, info=field("总成绩", editable=False, width=8))
    rank: Mapped[int | None] = mapped_column(Integer, info=field("名次", "int", editable=False, width=6))
    prize: Mapped[str | None] = mapped_column(
        String(32), info=field("奖项", "choice", choices="prize", editable=False, synonyms=("获奖等次",), width=8)
    )
    recommended_for_medal: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(),
        info=field("推荐五一劳动奖章", "int", width=8, help="本项目第一名可推荐申报五一劳动奖章（荣誉评选读取此标记）"),
    )

    event: Mapped[Event] = relationship(back_populates="entries")
    worker: Mapped[Worker | None] = relationship()
    members: Mapped[list[TeamMember]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="TeamMember.position"
    )
    scores: Mapped[list[Score]] = relationship(back_populates="entry", cascade="all, delete-orphan")


class TeamMember(Base):
    __tablename__ = "competition_team_members"
    __table_args__ = (UniqueConstraint("entry_id", "worker_id", name="uq_competition_team_members_entry_worker"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("competition_entries.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int] = mapped_column(
        ForeignKey("workers.id"), index=True, info=field("队员", "ref", ref="workers", required=True, width=10)
    )
    position: Mapped[int] = mapped_column(Integer, default=1, info=field("序号", "int", width=4))

    entry: Mapped[Entry] = relationship(back_populates="members")
    worker: Mapped[Worker] = relationship()


class Score(Base):
    """One judge's mark for one part (theory, practical) or one team round (必答, 抢答, 加赛)."""

    __tablename__ = "competition_scores"
    __table_args__ = (UniqueConstraint("entry_id", "part", "judge", name="uq_competition_scores_entry_part_judge"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("competition_entries.id", ondelete="CASCADE"), index=True)
    part: Mapped[str] = mapped_column(
        String(16), info=field("成绩部分", "choice", choices="score_part", required=True, width=6)
    )
    judge: Mapped[int] = mapped_column(
        Integer, default=1, info=field("评委", "int", synonyms=("评委编号", "评委号"), width=4,
                                       help="评委序号；团体赛轮次为 1")
    )
    value: Mapped[float] = mapped_column(Float, info=field("分数", required=True, synonyms=("得分", "成绩"), width=6))

    entry: Mapped[Entry] = relationship(back_populates="scores")


__all__ = ["INDIVIDUAL", "TEAM", "Competition", "Entry", "Event", "Score", "TeamMember"]
