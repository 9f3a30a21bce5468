"""劳动争议调解 (disputes): one labour dispute per case of the case core.

The case (``db.models.core.cases``) holds the number (``2026-TJ-0001``), the stages (预警 → 协商
→ 调解 → 仲裁 → 诉讼 → 执行, any may be skipped, see ``desktop.programmes.disputes.rules``), the
outcome and the parties: the worker(s) (role ``worker``, named only until linked to the register),
the employer (role ``employer``) and the handlers (role ``handler``: 劳动法律监督员, 法律援助志愿者,
律师). :class:`Dispute` holds the rest. Injury, health and the worker's income are fields of the
sensitive privacy class, stored encrypted (``db.protected``); the agreed and paid amounts are not,
since the statistics sum them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db import validators as v
from db.base import Base, Timestamps
from db.fields import SENSITIVE, field
from db.models.core.cases import Case
from db.protected import Protected

YUAN = "（元）"


class Dispute(Timestamps, Base):
    __tablename__ = "dp_disputes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(
        String(16), info=field("争议类型", "choice", choices="dp_kind", required=True, width=8)
    )
    collective: Mapped[bool] = mapped_column(
        Boolean, default=False, info=field("集体争议", width=5, help="劳动者一方在十人以上、有共同请求的争议")
    )
    headcount: Mapped[int | None] = mapped_column(Integer, info=field("涉及人数", "int", width=5))
    source: Mapped[str] = mapped_column(
        String(16), info=field("来源", "choice", choices="dp_source", required=True, width=8)
    )
    claim: Mapped[str] = mapped_column(
        Text, info=field("请求事项", "multiline", required=True, width=32, help="劳动者的诉求，如：支付拖欠工资")
    )
    claim_amount: Mapped[Decimal | None] = mapped_column(
        Numeric(12, 2), info=field("请求金额" + YUAN, validator=v.amount, width=10)
    )
    facts: Mapped[str | None] = mapped_column(
        Text, info=field("争议事实", "multiline", in_table=False, help="印在调解协议书上；伤情、病情写在敏感信息栏")
    )
    agencies: Mapped[str | None] = mapped_column(
        String(100), info=field("告知部门", width=14, help="已告知或移送的部门，如：人社局、法院、矛盾调处中心")
    )
    injury: Mapped[str | None] = mapped_column(
        Protected(), info=field("工伤情况", "multiline", privacy=SENSITIVE, in_table=False,
                                help="敏感信息，加密保存，只有有敏感信息权限的账户能查看和填写")
    )
    health: Mapped[str | None] = mapped_column(
        Protected(), info=field("健康状况", "multiline", privacy=SENSITIVE, in_table=False,
                                help="敏感信息，加密保存，只有有敏感信息权限的账户能查看和填写")
    )
    income: Mapped[str | None] = mapped_column(
        Protected(), info=field("月收入", privacy=SENSITIVE, width=10, in_table=False,
                                help="敏感信息，加密保存，只有有敏感信息权限的账户能查看和填写")
    )
    terms: Mapped[str | None] = mapped_column(
        Text, info=field("协议内容", "multiline", in_table=False, help="调解达成的协议条款，逐条填写，印在调解协议书上")
    )
    agreed_amount: Mapped[Decimal | None] = mapped_column(
        Numeric(12, 2), info=field("协议金额" + YUAN, validator=v.amount, width=10)
    )
    paid_amount: Mapped[Decimal | None] = mapped_column(
        Numeric(12, 2), info=field("已履行金额" + YUAN, validator=v.amount, width=10)
    )
    confirmed_on: Mapped[date | None] = mapped_column(
        Date, info=field("仲裁确认日期", "date", validator=v.date_value, width=11,
                         help="调解协议经劳动人事争议仲裁委员会审查确认的日期")
    )

    case: Mapped[Case] = relationship()
