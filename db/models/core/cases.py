"""The case core shared by 劳模工匠助企行 (help_desk) and 劳动争议调解 (disputes).

A :class:`Case` is one matter that moves through a programme's stages: an enterprise's demand
and its 派工单, a labour dispute. It has a number (``2026-BB-0001``: year, the programme's serial
code, a counter per programme and year), the stage it has reached and when, when it was opened
and closed, and its outcome (a code of the programme's outcome list). Every stage reached is a
:class:`CaseMove` with its time, who moved it and a note; stages may be skipped, never undone.
:class:`CaseParty` is a person or unit in the case (a worker, an employer, a craftsman sent, a
handler): a register record, or only a name and phone until it is linked to one.
:class:`CaseAttachment` notes a paper or file by name (the file itself stays in the office's
folders). The programme's own record (``hd_demands``, ``dp_disputes``) holds the rest, one row
per case.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db import validators as v
from db.base import Base, Timestamps
from db.fields import ID_NUMBER, PHONE, field
from db.models.core.registers import Organisation, Worker


class Case(Timestamps, Base):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("programme", "year", "seq", name="uq_cases_programme_year_seq"),
        Index("ix_cases_programme_stage", "programme", "stage"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(24), unique=True, info=field("编号", width=13, editable=False))
    stage: Mapped[str] = mapped_column(String(16), info=field("办理状态", width=7, editable=False))
    stage_at: Mapped[datetime] = mapped_column(DateTime, info=field("状态时间", "datetime", width=16, editable=False))
    opened_at: Mapped[datetime] = mapped_column(
        DateTime, index=True, info=field("登记时间", "datetime", width=16, editable=False)
    )
    closed_at: Mapped[datetime | None] = mapped_column(
        DateTime, info=field("办结时间", "datetime", width=16, editable=False)
    )
    outcome: Mapped[str | None] = mapped_column(String(32))
    summary: Mapped[str] = mapped_column(String(200), default="")  # what lists and messages name it by

    moves: Mapped[list[CaseMove]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseMove.id"
    )
    parties: Mapped[list[CaseParty]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseParty.id"
    )
    attachments: Mapped[list[CaseAttachment]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseAttachment.id"
    )


class CaseMove(Base):
    """One stage reached: when (to the minute), recorded by whom, with a note."""

    __tablename__ = "case_moves"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(16), info=field("阶段", width=8, editable=False))
    at: Mapped[datetime] = mapped_column(DateTime, info=field("办理时间", "datetime", width=16))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    by: Mapped[str] = mapped_column(String(40), default="", info=field("记录人", width=8, editable=False))
    account: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str | None] = mapped_column(String(200), info=field("说明", width=24))

    case: Mapped[Case] = relationship(back_populates="moves")


class CaseParty(Timestamps, Base):
    """A person or unit in a case, in a role the programme names (``worker``, ``employer``,
    ``craftsman``, ``handler``): linked to the register, or only named until it is."""

    __tablename__ = "case_parties"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    worker_id: Mapped[int | None] = mapped_column(
        ForeignKey("workers.id"), index=True, info=field("职工", "ref", ref="workers", width=10)
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), index=True, info=field("单位", "ref", ref="organisations", width=20)
    )
    name: Mapped[str] = mapped_column(String(100), info=field("姓名（名称）", required=True, width=12))
    phone: Mapped[str | None] = mapped_column(
        String(20), info=field("联系电话", "phone", validator=v.phone, privacy=PHONE, width=13)
    )
    id_number: Mapped[str | None] = mapped_column(
        String(18), info=field("身份证号码", "id_number", validator=v.id_number, privacy=ID_NUMBER, width=20,
                               in_table=False)
    )
    capacity: Mapped[str | None] = mapped_column(
        String(40), info=field("身份（专长）", width=12, help="如：劳动法律监督员、律师；数控维修")
    )
    note: Mapped[str | None] = mapped_column(String(200), info=field("备注", width=16, in_table=False))

    case: Mapped[Case] = relationship(back_populates="parties")
    worker: Mapped[Worker | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


class CaseAttachment(Base):
    """A paper or file of the case, noted by name (申请书、调解笔录、现场照片)."""

    __tablename__ = "case_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), info=field("附件名称", required=True, width=24))
    added_on: Mapped[date] = mapped_column(Date, info=field("登记日期", "date", validator=v.date_value, width=11))
    by: Mapped[str] = mapped_column(String(40), default="", info=field("记录人", width=8, editable=False))
    note: Mapped[str | None] = mapped_column(Text, info=field("说明", "multiline", in_table=False))

    case: Mapped[Case] = relationship(back_populates="attachments")
