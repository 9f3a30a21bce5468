"""Settings stored in the database (they travel with the data) and the audit log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.fields import field


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)


class AuditEntry(Base):
    """One insert, update, delete, reveal or full export: who, when, old and new values."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp(), index=True)
    clerk: Mapped[str] = mapped_column(String(40), default="")
    # The signed-in account's login name ("" for a database without accounts).
    account: Mapped[str] = mapped_column(String(40), default="", server_default="")
    os_user: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(16))  # insert update delete reveal export_full ...
    table_name: Mapped[str] = mapped_column(String(64), default="")
    record_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    old: Mapped[Any] = mapped_column(JSON, nullable=True)
    new: Mapped[Any] = mapped_column(JSON, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    # The hash chain (db.audit_chain): ``seq`` is 1, 2, 3... in chain order (assigned under a lock),
    # ``row_hash`` the SHA-256 hex over the previous row's hash and this row's canonical content.
    seq: Mapped[int | None] = mapped_column(Integer, nullable=True, unique=True)
    row_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)


class CalendarDay(Base):
    """A public holiday (放假) or a weekend worked in exchange (调休上班): the working-day
    calendar that publicity periods and other time limits are counted over. Weekdays not listed
    are working days, weekends not listed are not."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True, info=field("节假日日期", "date", width=12))
    # True: 调休上班 (a weekend worked); False: 放假
    working: Mapped[bool] = mapped_column(default=False, info=field("放假/调休", width=10))
    name: Mapped[str] = mapped_column(String(40), default="", info=field("节日名称", width=16))  # 春节, 国庆节 ...
