"""The issue register (发证登记簿): every certificate printed, with its serial.

A serial is ``{prefix}-{year}-{code}-{counter:05d}`` (CLI.md): ``code`` is the programme's
short upper-case code (JS 竞赛, HS 红色工匠, MD a spreadsheet list), the counter running per
prefix, year and code. ``programme`` keeps the programme key the certificate came from (never
printed). A serial issued under the older form (``UD-2026-competitions-00001``) is kept in
``alias``, which ``verify`` accepts. A certificate is never deleted: a void keeps the row with
the time and reason; a reprint keeps the serial and counts the printing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.fields import ID_NUMBER, field


class Certificate(Base):
    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("prefix", "year", "code", "counter", name="uq_certificates_code_counter"),
        Index("ix_certificates_person", "award", "event", "name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    serial: Mapped[str] = mapped_column(String(80), unique=True, info=field("证书编号", width=28))
    prefix: Mapped[str] = mapped_column(String(12))
    year: Mapped[int] = mapped_column(Integer)
    programme: Mapped[str] = mapped_column(String(32), info=field("来源", width=12))
    code: Mapped[str] = mapped_column(String(8))
    counter: Mapped[int] = mapped_column(Integer)
    # The serial as first issued under the older form (UD-2026-competitions-00001), if any.
    alias: Mapped[str | None] = mapped_column(String(80), unique=True, info=field("原证书编号", in_table=False))
    name: Mapped[str] = mapped_column(String(100), index=True, info=field("姓名", "name", width=10))
    unit: Mapped[str | None] = mapped_column(String(100), info=field("单位", width=26))
    award: Mapped[str] = mapped_column(String(100), default="", info=field("奖项", width=12))
    event: Mapped[str] = mapped_column(String(200), default="", info=field("项目", width=24))
    team: Mapped[str | None] = mapped_column(String(100), info=field("团队", width=14))
    worker_id: Mapped[int | None] = mapped_column(
        ForeignKey("workers.id", ondelete="SET NULL"), index=True,
        info=field("职工", "ref", ref="workers", in_table=False),
    )
    # Only to recognise the same person again in a later list; never printed.
    id_number: Mapped[str | None] = mapped_column(
        String(18), index=True, info=field("身份证号", "id_number", privacy=ID_NUMBER, in_table=False)
    )
    template: Mapped[str] = mapped_column(String(64), default="honour", info=field("模板", width=10))
    source_ref: Mapped[str | None] = mapped_column(String(100), info=field("来源记录", in_table=False))
    # The date printed on the certificate (its year is the serial's year); when the serial was given.
    issued_on: Mapped[date] = mapped_column(Date, info=field("证书日期", "date", width=12))
    issued_at: Mapped[datetime] = mapped_column(DateTime, info=field("发证时间", width=17))
    printed_count: Mapped[int] = mapped_column(Integer, default=1, info=field("打印次数", "int", width=6))
    last_printed_at: Mapped[datetime | None] = mapped_column(DateTime, info=field("最近打印", width=17))
    # Ed25519 signature (the database's signing key) over the row's canonical content
    # (desktop.certificates.signing); None until a process that can unwrap the master key signs it.
    signature: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    # SHA-256 hex of each verification code printable for the row before signatures (HMAC era).
    legacy_codes: Mapped[Any] = mapped_column(JSON, nullable=True)
    voided_at: Mapped[datetime | None] = mapped_column(DateTime, info=field("作废时间", width=17))
    void_reason: Mapped[str | None] = mapped_column(Text, info=field("作废原因", "multiline", width=20))

    @property
    def voided(self) -> bool:
        return self.voided_at is not None
