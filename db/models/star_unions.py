"""星级工会 (star_unions): the standard as data and each application's scores.

Applications are candidacies of the selection core (``db.models.core.selection``), one round a
year, the level applied for in ``Candidacy.award`` (choice list ``star_level``); a rating held is
a ``Holding`` (``award`` = the level). :class:`StarLevel` holds each level's pass mark and the
words its plaque prints; :class:`StarItem` is one scored item of the standard (a dimension such
as 组织机构建立健全, the item, the most it scores and the evidence asked for); :class:`StarScore`
one application's scores on one item at each of the three assessments.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, Timestamps
from db.fields import field


class StarLevel(Timestamps, Base):
    __tablename__ = "sr_levels"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)  # a star_level choice code
    rank: Mapped[int] = mapped_column(Integer, info=field("星数", "int", required=True, width=4))
    title: Mapped[str] = mapped_column(
        String(40), info=field("称号", required=True, width=18, help="印在牌匾上，如：四星级规范活力工会")
    )
    threshold: Mapped[int] = mapped_column(
        Integer, info=field("达标分数", "int", required=True, width=6, help="县评定得分不低于此分方可命名")
    )


class StarItem(Timestamps, Base):
    __tablename__ = "sr_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dimension: Mapped[str] = mapped_column(String(40), info=field("评分项目", required=True, width=16))
    item: Mapped[str] = mapped_column(String(200), info=field("评分内容", required=True, width=36))
    max_score: Mapped[int] = mapped_column(Integer, info=field("分值", "int", required=True, width=4))
    evidence: Mapped[str | None] = mapped_column(String(200), info=field("佐证材料", width=24))
    retired: Mapped[bool] = mapped_column(Boolean, default=False, info=field("不再使用", width=4))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class StarScore(Timestamps, Base):
    __tablename__ = "sr_scores"
    __table_args__ = (UniqueConstraint("candidate_id", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("selection_candidates.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("sr_items.id"), index=True)
    self_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 1), info=field("自评", width=5))
    town_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 1), info=field("镇初审", width=5))
    county_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 1), info=field("县评定", width=5))
    evidence: Mapped[str | None] = mapped_column(Text, info=field("佐证说明", "multiline", width=24))

    item: Mapped[StarItem] = relationship()
