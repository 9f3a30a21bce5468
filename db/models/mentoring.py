"""师徒结对 / 名师带徒 (mentoring): a pair is one master with one or more apprentices.

The apprentices are the pair's mentoring-core links (``MentorLink`` with programme
``mentoring`` and ``ref_id`` = the pair's id): each has its own start, end, evaluations and
outcome. The master's monthly allowance is computed from those links (not stored).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Date, ForeignKey, Integer, String, Text, select
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db import validators as v
from db.base import Base, Timestamps
from db.fields import field
from db.models.core.registers import Worker

#: ``MentorLink.programme`` of this programme's mentor links (the programme key).
MENTORING = "mentoring"
#: 师徒结对's words for the two sides the shared labels call 导师 and 培育对象.
ROLE_WORDS: tuple[tuple[str, str], ...] = (("导师", "师傅"), ("培育对象", "徒弟"))



class Pair(Timestamps, Base):
    __tablename__ = "ap_pairs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    master_id: Mapped[int] = mapped_column(
        ForeignKey("workers.id"), index=True, info=field("师傅", "ref", ref="workers", required=True, width=10)
    )
    trade: Mapped[str] = mapped_column(
        String(40), info=field("工种（技艺）", required=True, width=12, help="师傅传授的工种（技艺）")
    )
    started_on: Mapped[date] = mapped_column(
        Date, info=field("结对日期", "date", validator=v.date_value, required=True, width=12)
    )
    term_months: Mapped[int] = mapped_column(Integer, default=12, info=field("带徒期限（月）", "int", width=6))
    goals: Mapped[str | None] = mapped_column(Text, info=field("带徒目标", "multiline", width=30))
    ceremony_on: Mapped[date | None] = mapped_column(
        Date, info=field("拜师日期", "date", validator=v.date_value, width=12)
    )
    ended_on: Mapped[date | None] = mapped_column(
        Date, info=field("结束日期", "date", validator=v.date_value, width=12)
    )
    note: Mapped[str | None] = mapped_column(Text, info=field("备注", "multiline", in_table=False))

    master: Mapped[Worker] = relationship()

    # What the report dialog lists for the 拜师帖's ``pair`` parameter: 王建国（数控铣工）.
    @hybrid_property
    def name(self) -> str:
        return f"{self.master.name}（{self.trade}）"

    @name.inplace.expression
    @classmethod
    def _name_expression(cls) -> ColumnElement[str]:
        master = select(Worker.name).where(Worker.id == cls.master_id).correlate_except(Worker).scalar_subquery()
        return master + "（" + cls.trade + "）"
