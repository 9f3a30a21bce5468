"""The mentoring core shared by 红色工匠 (red_craftsman) and 师徒结对 (mentoring).

A :class:`MentorLink` pairs one mentor (导师/师傅) with one mentee (培育对象/徒弟) for a
programme record (``programme`` + ``ref_id``: a red-craftsman candidate or an apprenticeship
pair); ending a link and starting another is re-pairing, and both stay as history. A
:class:`MentorEvaluation` is one period's two-way evaluation (师徒双向评议) of a link on the
five levels 优秀 5, 良好 4, 合格 3, 基本合格 2, 不合格 1 (choice list ``evaluation_level``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db import validators as v
from db.base import Base, Timestamps
from db.fields import field
from db.models.core.registers import Worker

#: The labels below call the two sides 导师 and 培育对象; a programme with other words for them
#: (师徒结对: 师傅 and 徒弟) declares its own and reads the labels through
#: ``desktop.programmes.core.cultivation_fields``: one description, each programme's words.


class MentorLink(Timestamps, Base):
    __tablename__ = "mentor_links"
    __table_args__ = (Index("ix_mentor_links_programme_ref", "programme", "ref_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme: Mapped[str] = mapped_column(String(32))  # the key of the programme the link belongs to
    ref_id: Mapped[int] = mapped_column(Integer)  # rc_candidates.id or ap_pairs.id
    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("workers.id"), index=True, info=field("导师", "ref", ref="workers", required=True, width=10)
    )
    mentee_id: Mapped[int] = mapped_column(
        ForeignKey("workers.id"), index=True,
        info=field("培育对象", "ref", ref="workers", required=True, width=10),
    )
    started_on: Mapped[date] = mapped_column(
        Date, info=field("结对日期", "date", validator=v.date_value, required=True, width=12)
    )
    ended_on: Mapped[date | None] = mapped_column(
        Date, info=field("结束日期", "date", validator=v.date_value, width=12)
    )
    end_reason: Mapped[str | None] = mapped_column(
        String(100), info=field("结束原因", width=16, help="调岗、离职、重新结对等")
    )
    # 师徒结对's outcome (结对成效): the grade the apprentice gained, which updates the register.
    outcome_on: Mapped[date | None] = mapped_column(
        Date, info=field("晋级日期", "date", validator=v.date_value, width=12)
    )
    outcome_grade: Mapped[str | None] = mapped_column(
        String(32), info=field("取得技能等级", "choice", choices="skill_grade", width=10)
    )
    outcome_note: Mapped[str | None] = mapped_column(String(200), info=field("成效说明", width=24))
    note: Mapped[str | None] = mapped_column(Text, info=field("备注", "multiline", in_table=False))

    mentor: Mapped[Worker] = relationship(foreign_keys=[mentor_id])
    mentee: Mapped[Worker] = relationship(foreign_keys=[mentee_id])
    evaluations: Mapped[list[MentorEvaluation]] = relationship(
        back_populates="link", cascade="all, delete-orphan", order_by="MentorEvaluation.evaluated_on"
    )


class MentorEvaluation(Timestamps, Base):
    __tablename__ = "mentor_evaluations"
    __table_args__ = (UniqueConstraint("link_id", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("mentor_links.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(
        String(20), info=field("评议期", required=True, help="如 2026（年度）或 2026年上半年", width=12)
    )
    evaluated_on: Mapped[date] = mapped_column(
        Date, info=field("评议日期", "date", validator=v.date_value, required=True, width=12)
    )
    rating_of_mentee: Mapped[int] = mapped_column(
        Integer, info=field("导师评培育对象", "int", choices="evaluation_level", required=True, help="5 优秀、4 良好、3 合格、2 基本合格、1 不合格")
    )
    rating_of_mentor: Mapped[int] = mapped_column(
        Integer, info=field("培育对象评导师", "int", choices="evaluation_level", required=True, help="5 优秀、4 良好、3 合格、2 基本合格、1 不合格")
    )
    note: Mapped[str | None] = mapped_column(Text, info=field("评议意见", "multiline", in_table=False))

    link: Mapped[MentorLink] = relationship(back_populates="evaluations")
