"""劳模工匠助企行 / 帮帮团 (help_desk): service teams, the enterprise demand register and 派工单.

A demand (:class:`Demand`) is a case of the case core (``db.models.core.cases``): its number is
the 派工单's number (``2026-BB-0001``), its stages the 派工单's states (待派 → 已派 → 已接单 →
服务中 → 已解决 / 未解决 / 转办 → 已回访, see ``desktop.programmes.help_desk.rules``), and the
craftsmen sent are the case's parties (role ``craftsman``). :class:`Team` is a 帮帮团 / 金蓝领 /
技术服务队 with its :class:`Member` s (a worker of the register, or an outside expert named only);
:class:`Visit` one visit to the enterprise; :class:`Target` one of the year's targets (建湖:
不少于30个技术问题).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db import validators as v
from db.base import Base, Timestamps
from db.fields import CONTACT, PHONE, field
from db.models.core.cases import Case
from db.models.core.registers import Organisation, Worker

WAN = "（万元）"


class Team(Timestamps, Base):
    __tablename__ = "hd_teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(
        String(60), unique=True, info=field("服务队名称", required=True, width=18, help="如：宁海县劳模工匠帮帮团")
    )
    kind: Mapped[str] = mapped_column(
        String(16), info=field("服务队类型", "choice", choices="hd_team_kind", required=True, width=10)
    )
    area: Mapped[str | None] = mapped_column(String(40), info=field("服务片区", width=12, help="如：西店片区"))
    founded_on: Mapped[date | None] = mapped_column(
        Date, info=field("成立日期", "date", validator=v.date_value, width=11)
    )
    note: Mapped[str | None] = mapped_column(Text, info=field("备注", "multiline", in_table=False))

    members: Mapped[list[Member]] = relationship(back_populates="team", cascade="all, delete-orphan",
                                                 order_by="Member.id")


class Member(Timestamps, Base):
    """A craftsman on a team: a worker of the register, or an outside expert (name and phone)."""

    __tablename__ = "hd_members"
    __table_args__ = (UniqueConstraint("team_id", "worker_id", name="uq_hd_members_team_worker"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("hd_teams.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int | None] = mapped_column(
        ForeignKey("workers.id"), index=True, info=field("职工", "ref", ref="workers", width=10)
    )
    name: Mapped[str] = mapped_column(String(40), info=field("姓名", required=True, width=8))
    specialty: Mapped[str | None] = mapped_column(
        String(100), info=field("专长", width=20, help="如：数控设备维修、模具设计、PLC 自动化改造")
    )
    trade: Mapped[str | None] = mapped_column(String(40), info=field("工种", width=10))
    area: Mapped[str | None] = mapped_column(String(40), info=field("片区", width=10))
    phone: Mapped[str | None] = mapped_column(
        String(20), info=field("联系电话", "phone", validator=v.phone, privacy=PHONE, width=13,
                               help="不在职工名册中的专家填写；名册中的职工用名册的电话")
    )
    expert_from: Mapped[str | None] = mapped_column(
        String(100), info=field("外聘单位", width=16, help="外聘专家的单位，如：宁波职业技术学院")
    )
    joined_on: Mapped[date | None] = mapped_column(Date, info=field("加入日期", "date", validator=v.date_value, width=11))
    left_on: Mapped[date | None] = mapped_column(Date, info=field("退出日期", "date", validator=v.date_value, width=11))

    team: Mapped[Team] = relationship(back_populates="members")
    worker: Mapped[Worker | None] = relationship()


class Demand(Timestamps, Base):
    """An enterprise's demand (企业需求) and its 派工单: one case of the case core."""

    __tablename__ = "hd_demands"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id"), index=True,
        info=field("企业", "ref", ref="organisations", required=True, width=20,
                   synonyms=("企业名称", "需求企业", "单位名称", "单位"))
    )
    problem: Mapped[str] = mapped_column(
        Text, info=field("需求内容", "multiline", required=True, width=36,
                         synonyms=("问题描述", "技术需求", "需求描述", "存在问题", "难题"))
    )
    kind: Mapped[str] = mapped_column(
        String(16), info=field("需求类型", "choice", choices="hd_kind", required=True, width=9,
                               synonyms=("类型", "问题类型", "需求类别"))
    )
    urgency: Mapped[str] = mapped_column(
        String(16), default="normal",
        info=field("紧急程度", "choice", choices="hd_urgency", required=True, width=7, synonyms=("是否急诊", "急诊"))
    )
    channel: Mapped[str] = mapped_column(
        String(16), info=field("来源渠道", "choice", choices="hd_channel", required=True, width=9,
                               synonyms=("渠道", "需求来源", "来源"))
    )
    region: Mapped[str] = mapped_column(
        String(16), default="local",
        info=field("服务地域", "choice", choices="hd_region", required=True, width=8, synonyms=("地域",))
    )
    place: Mapped[str | None] = mapped_column(
        String(40), info=field("协作地区", width=10, help="对口协作、跨地区服务时填写，如：四川省普格县",
                               synonyms=("地区", "服务地区"))
    )
    received_at: Mapped[datetime] = mapped_column(
        DateTime, info=field("接收时间", "datetime", validator=v.datetime_value, required=True, width=16,
                             synonyms=("需求时间", "提交时间", "登记时间", "日期"))
    )
    deadline: Mapped[date | None] = mapped_column(
        Date, info=field("办结期限", "date", validator=v.date_value, width=11, synonyms=("期限", "要求完成时间"))
    )
    contact_name: Mapped[str | None] = mapped_column(
        String(40), info=field("企业联系人", width=8, synonyms=("联系人",))
    )
    contact_phone: Mapped[str | None] = mapped_column(
        String(20), info=field("联系人电话", "phone", validator=v.phone, privacy=CONTACT, width=13,
                               synonyms=("联系电话", "电话", "手机"),
                               help="企业联系人的工作电话：列表中隐去中间数字，印在派工单、急诊单上（记入日志）")
    )
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("hd_teams.id", ondelete="SET NULL"), index=True,
        info=field("服务队", "ref", ref="help_desk_teams", width=14)
    )
    solution: Mapped[str | None] = mapped_column(
        Text, info=field("解决情况", "multiline", width=30, in_table=False)
    )
    benefit_actual: Mapped[Decimal | None] = mapped_column(
        Numeric(12, 2), info=field("实际效益" + WAN, validator=v.amount, width=9, in_table=False)
    )
    benefit_expected: Mapped[Decimal | None] = mapped_column(
        Numeric(12, 2), info=field("预期效益" + WAN, validator=v.amount, width=9, in_table=False)
    )
    cost_saved: Mapped[Decimal | None] = mapped_column(
        Numeric(12, 2), info=field("节约成本" + WAN, validator=v.amount, width=9, in_table=False)
    )
    orders: Mapped[Decimal | None] = mapped_column(
        Numeric(12, 2), info=field("争取订单" + WAN, validator=v.amount, width=9, in_table=False)
    )
    trained: Mapped[int | None] = mapped_column(
        Integer, info=field("培训人次", "int", width=6, in_table=False)
    )
    results: Mapped[str | None] = mapped_column(
        String(200), info=field("成果", width=20, in_table=False, help="如：获实用新型专利1项、形成操作法1项")
    )
    result_count: Mapped[int | None] = mapped_column(
        Integer, info=field("成果数", "int", width=5, in_table=False, help="专利、工法、操作法等成果的个数")
    )
    rating: Mapped[str | None] = mapped_column(
        String(16), info=field("企业评价", "choice", choices="hd_rating", width=7, in_table=False)
    )
    feedback: Mapped[str | None] = mapped_column(
        Text, info=field("企业意见", "multiline", in_table=False)
    )
    transferred_to: Mapped[str | None] = mapped_column(
        String(100), info=field("转办单位", width=14, in_table=False, help="转办时填写，如：县科技局")
    )

    case: Mapped[Case] = relationship()
    organisation: Mapped[Organisation] = relationship()
    team: Mapped[Team | None] = relationship()
    visits: Mapped[list[Visit]] = relationship(back_populates="demand", cascade="all, delete-orphan",
                                               order_by="Visit.visited_on")


class Visit(Timestamps, Base):
    """One visit to the enterprise (上门服务) under a 派工单."""

    __tablename__ = "hd_visits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("hd_demands.id", ondelete="CASCADE"), index=True)
    visited_on: Mapped[date] = mapped_column(
        Date, info=field("服务日期", "date", validator=v.date_value, required=True, width=11)
    )
    people: Mapped[int | None] = mapped_column(Integer, info=field("服务人次", "int", width=6,
                                                                   help="本次上门的工匠人次"))
    content: Mapped[str] = mapped_column(Text, info=field("服务内容", "multiline", required=True, width=36))

    demand: Mapped[Demand] = relationship(back_populates="visits")


class Target(Timestamps, Base):
    """One yearly target (建湖: 服务企业不少于30人次) against which the year's actuals are shown."""

    __tablename__ = "hd_targets"
    __table_args__ = (UniqueConstraint("year", "measure", name="uq_hd_targets_year_measure"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, info=field("年度", "int", required=True, width=6))
    measure: Mapped[str] = mapped_column(
        String(16), info=field("指标", "choice", choices="hd_measure", required=True, width=14)
    )
    target: Mapped[Decimal] = mapped_column(
        Numeric(12, 2), info=field("目标值", validator=v.amount, required=True, width=8, help="不少于多少")
    )
