"""劳模工匠选树 (honours): the titles as data, and what honour holders receive and give.

Rounds, nominations, stages and the holdings themselves are the selection core
(``db.models.core.selection``); a round's ``award_id`` and a holding's ``award_id`` are a
:class:`HonourTitle`'s id. :class:`Benefit` is one benefit given to a holder in a year (疗休养,
免费体检, 职工医疗互助); :class:`Outreach` one 宣讲 session a holder gave.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db import validators as v
from db.base import Base, Timestamps
from db.fields import field
from db.models.core.registers import Worker


class HonourTitle(Timestamps, Base):
    __tablename__ = "hn_titles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(
        String(60), unique=True, info=field("荣誉称号", required=True, width=18, synonyms=("称号", "荣誉名称"))
    )
    level: Mapped[str] = mapped_column(
        String(16), info=field("级别", "choice", choices="honour_level", required=True, width=6)
    )
    body: Mapped[str | None] = mapped_column(
        String(60), info=field("命名单位", width=18, help="授予称号的机关，如：洛阳市总工会")
    )
    recipient: Mapped[str] = mapped_column(
        String(16), info=field("授予对象", "choice", choices="recipient_kind", required=True, width=6)
    )
    cycle_years: Mapped[int] = mapped_column(
        Integer, default=1, info=field("评选周期（年）", "int", width=6, help="1 为每年评选，2 为每两年一次")
    )
    quota: Mapped[int | None] = mapped_column(Integer, info=field("每次名额", "int", width=6))
    quota_note: Mapped[str | None] = mapped_column(String(40), info=field("名额说明", width=10, help="如：5至10名"))
    reward: Mapped[int | None] = mapped_column(Integer, info=field("一次性奖励（元）", "int", width=8))
    benefits: Mapped[bool] = mapped_column(
        Boolean, default=False, info=field("享受劳模待遇", width=6, help="疗休养、免费体检、职工医疗互助")
    )
    priority: Mapped[str | None] = mapped_column(
        String(100), info=field("优先推荐", width=20, help="持有者优先推荐的称号，如：市级劳动模范、五一劳动奖章")
    )
    source: Mapped[str | None] = mapped_column(String(100), info=field("依据", width=20, in_table=False))
    retired: Mapped[bool] = mapped_column(Boolean, default=False, info=field("不再评选", width=4))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Benefit(Timestamps, Base):
    __tablename__ = "hn_benefits"
    __table_args__ = (UniqueConstraint("worker_id", "year", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker_id: Mapped[int] = mapped_column(
        ForeignKey("workers.id"), index=True, info=field("劳模", "ref", ref="workers", required=True, width=10)
    )
    year: Mapped[int] = mapped_column(Integer, info=field("年度", "int", required=True, width=6))
    kind: Mapped[str] = mapped_column(
        String(16), info=field("待遇", "choice", choices="benefit_kind", required=True, width=10)
    )
    given_on: Mapped[date | None] = mapped_column(
        Date, info=field("落实日期", "date", validator=v.date_value, width=11)
    )
    place: Mapped[str | None] = mapped_column(String(60), info=field("地点（机构）", width=16))
    note: Mapped[str | None] = mapped_column(Text, info=field("备注", "multiline", in_table=False))

    worker: Mapped[Worker] = relationship()


class Outreach(Timestamps, Base):
    __tablename__ = "hn_outreach"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker_id: Mapped[int] = mapped_column(
        ForeignKey("workers.id"), index=True, info=field("宣讲人", "ref", ref="workers", required=True, width=10)
    )
    kind: Mapped[str] = mapped_column(
        String(16), info=field("宣讲类别", "choice", choices="outreach_kind", required=True, width=8)
    )
    held_on: Mapped[date] = mapped_column(
        Date, info=field("宣讲日期", "date", validator=v.date_value, required=True, width=11)
    )
    place: Mapped[str] = mapped_column(String(100), info=field("宣讲地点", required=True, width=20))
    topic: Mapped[str | None] = mapped_column(String(100), info=field("主题", width=20))
    audience: Mapped[int | None] = mapped_column(Integer, info=field("听众人数", "int", width=6))
    note: Mapped[str | None] = mapped_column(Text, info=field("备注", "multiline", in_table=False))

    worker: Mapped[Worker] = relationship()
