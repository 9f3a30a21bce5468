"""The selection core shared by 劳模工匠选树 (honours) and 星级工会 (star_unions).

A :class:`SelectionRound` is one year's call for one thing (a title, a star rating) with a quota,
a call period, a publicity period and the naming. A :class:`Candidacy` puts forward a worker, an
organisation or a team (班组, named within an organisation) and moves through the programme's
stages; every move is a :class:`StageMove` with its date, who moved it and, for a rejection, the
reason. A named candidate becomes a :class:`Holding`: who held what from when until when, which
answers "who held what on a given date" and outlives later edits of the title.

``programme`` is the key of the programme a row belongs to; ``award_id`` is that programme's
award record (honours: ``hn_titles.id``) and ``award`` a code (star unions: the level applied for
or held). The workflows (stage codes, labels, order) are in ``desktop.programmes.core.selection``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db import validators as v
from db.base import Base, Timestamps
from db.fields import field
from db.models.core.registers import Organisation, Worker


class SelectionRound(Timestamps, Base):
    __tablename__ = "selection_rounds"
    __table_args__ = (Index("ix_selection_rounds_programme_year", "programme", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer, info=field("年度", "int", required=True, width=6))
    name: Mapped[str] = mapped_column(
        String(100), info=field("评选名称", required=True, width=28, help="如：2026年度县五一劳动奖章推荐")
    )
    award_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    quota: Mapped[int | None] = mapped_column(
        Integer, info=field("评选名额", "int", width=6, help="超出名额时提醒，不拒绝")
    )
    call_start: Mapped[date | None] = mapped_column(
        Date, info=field("征集开始", "date", validator=v.date_value, width=11)
    )
    call_end: Mapped[date | None] = mapped_column(
        Date, info=field("征集截止", "date", validator=v.date_value, width=11)
    )
    publicity_start: Mapped[date | None] = mapped_column(
        Date, info=field("公示开始", "date", validator=v.date_value, width=11, editable=False)
    )
    publicity_end: Mapped[date | None] = mapped_column(
        Date, info=field("公示结束", "date", validator=v.date_value, width=11, editable=False)
    )
    named_on: Mapped[date | None] = mapped_column(
        Date, info=field("命名日期", "date", validator=v.date_value, width=11, editable=False)
    )
    document: Mapped[str | None] = mapped_column(
        String(60), info=field("命名文号", width=16, help="如：甬工〔2026〕12号")
    )
    note: Mapped[str | None] = mapped_column(Text, info=field("备注", "multiline", in_table=False))

    candidates: Mapped[list[Candidacy]] = relationship(back_populates="round", order_by="Candidacy.id")


class Candidacy(Timestamps, Base):
    """One nomination (推荐/自荐) or application (申报) in a round."""

    __tablename__ = "selection_candidates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("selection_rounds.id"), index=True)
    worker_id: Mapped[int | None] = mapped_column(
        ForeignKey("workers.id"), index=True, info=field("推荐对象", "ref", ref="workers", width=10)
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), index=True, info=field("单位", "ref", ref="organisations", width=20)
    )
    team: Mapped[str | None] = mapped_column(
        String(60), info=field("集体（班组）", width=16, help="授予单位内的班组、车间、团队时填写，如：数控车间一班")
    )
    channel: Mapped[str | None] = mapped_column(
        String(16), info=field("推荐方式", "choice", choices="nomination_channel", width=8)
    )
    recommender: Mapped[str | None] = mapped_column(
        String(100), info=field("推荐单位", width=20, synonyms=("推荐单位（盖章）",))
    )
    award: Mapped[str | None] = mapped_column(
        String(32), info=field("申报星级", "choice", choices="star_level", width=8)
    )
    deeds: Mapped[str | None] = mapped_column(
        Text, info=field("主要事迹", "multiline", width=40, synonyms=("先进事迹", "事迹简介", "主要事迹简介"))
    )
    materials: Mapped[str | None] = mapped_column(
        Text, info=field("申报材料", "multiline", in_table=False, help="已收到的材料，如：推荐表、事迹材料、获奖证书复印件")
    )
    stage: Mapped[str] = mapped_column(String(16), info=field("阶段", width=8, editable=False))
    stage_on: Mapped[date | None] = mapped_column(
        Date, info=field("阶段日期", "date", validator=v.date_value, width=11, editable=False)
    )
    reason: Mapped[str | None] = mapped_column(
        String(200), info=field("未通过原因", width=20, editable=False)
    )
    score: Mapped[Decimal | None] = mapped_column(
        Numeric(6, 1), info=field("评定得分", width=6, editable=False)
    )
    review: Mapped[str | None] = mapped_column(
        String(16), info=field("回头看结果", "choice", choices="star_review", width=8, editable=False)
    )
    # Where the candidacy came from ("competition_entries:12"): shown, and stops a second one.
    source: Mapped[str | None] = mapped_column(String(60), index=True)
    note: Mapped[str | None] = mapped_column(Text, info=field("备注", "multiline", in_table=False))

    round: Mapped[SelectionRound] = relationship(back_populates="candidates")
    worker: Mapped[Worker | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    moves: Mapped[list[StageMove]] = relationship(
        back_populates="candidate", cascade="all, delete-orphan", order_by="StageMove.id"
    )


class StageMove(Base):
    """One step of a candidacy: the stage reached, on which date, by whom, and why (rejections)."""

    __tablename__ = "selection_moves"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("selection_candidates.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(16), info=field("阶段", editable=False))
    on: Mapped[date] = mapped_column(Date, info=field("日期", "date", editable=False))
    at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    by: Mapped[str] = mapped_column(String(40), default="")  # the account's name, else the 经办人 setting
    account: Mapped[str] = mapped_column(String(40), default="")
    reason: Mapped[str | None] = mapped_column(String(200))

    candidate: Mapped[Candidacy] = relationship(back_populates="moves")


class Holding(Timestamps, Base):
    """A title or rating held: by a worker, an organisation or a team, from ``named_on`` until
    ``ended_on`` (exclusive; none: still held)."""

    __tablename__ = "selection_holdings"
    __table_args__ = (Index("ix_selection_holdings_programme_award", "programme", "award_id", "award"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme: Mapped[str] = mapped_column(String(32))
    award_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    award: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(100), info=field("荣誉称号", required=True, width=18))
    level: Mapped[str | None] = mapped_column(
        String(16), info=field("级别", "choice", choices="honour_level", width=6)
    )
    worker_id: Mapped[int | None] = mapped_column(
        ForeignKey("workers.id"), index=True, info=field("获得者", "ref", ref="workers", width=10)
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), index=True, info=field("单位", "ref", ref="organisations", width=20)
    )
    team: Mapped[str | None] = mapped_column(String(60), info=field("集体（班组）", width=16))
    year: Mapped[int] = mapped_column(Integer, info=field("年度", "int", required=True, width=6))
    named_on: Mapped[date] = mapped_column(
        Date, info=field("命名日期", "date", validator=v.date_value, required=True, width=11)
    )
    body: Mapped[str | None] = mapped_column(String(60), info=field("命名单位", width=16))
    document: Mapped[str | None] = mapped_column(String(60), info=field("命名文号", width=16))
    ended_on: Mapped[date | None] = mapped_column(
        Date, info=field("终止日期", "date", validator=v.date_value, width=11)
    )
    end_reason: Mapped[str | None] = mapped_column(String(200), info=field("终止原因", width=16))
    candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("selection_candidates.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str | None] = mapped_column(Text, info=field("备注", "multiline", in_table=False))

    worker: Mapped[Worker | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
