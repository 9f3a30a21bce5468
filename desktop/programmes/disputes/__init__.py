"""劳动争议调解 (disputes): labour disputes from 预警 to 执行, the 调解协议书, the case ledger (台账)
and the monthly counts.

This module is the programme's registry entry: ``ENTRY`` is cheap to import (no SQLAlchemy, no
Qt); ``declare()`` loads the rest of the declaration on demand. A dispute is a case of the case
core (``desktop.programmes.core.cases``); its stages are in ``rules``, the work over a session in
``casework``, the writes in ``service``, the reads in ``queries``, the prints in ``reports``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desktop.registry import Entry

if TYPE_CHECKING:
    from desktop.registry import Programme

ENTRY = Entry("disputes", "劳动争议", "disputes.svg", 90, "TJ", "ui.programmes.disputes.tab:DisputesTab",
              cli="desktop.programmes.disputes.cli:LISTING")


def disputes_cases() -> Any:
    """The ``disputes_cases`` reference: each dispute's id and a ``name`` the report's picker lists,
    ``2026-TJ-0003 张三 诉 宁海县甲公司 欠薪`` (the case number and its summary)."""
    from sqlalchemy import select

    from db.models.core.cases import Case
    from db.models.disputes import Dispute

    found = select(Dispute.id.label("id"), (Case.number + " " + Case.summary).label("name")).join(
        Case, Case.id == Dispute.case_id).subquery("disputes_cases")
    return found.c


def declare() -> Programme:
    """The programme's models, reports, demo and the dispute reference (loaded lazily)."""
    from db.models.core.cases import Case, CaseAttachment, CaseMove, CaseParty
    from db.models.disputes import Dispute
    from desktop.programmes.disputes import reports
    from desktop.programmes.disputes.demo import demo
    from desktop.registry import Programme, ReportParam, ReportSpec

    return Programme(
        key="disputes",
        models=(Dispute, Case, CaseMove, CaseParty, CaseAttachment),
        reports=(
            ReportSpec("disputes.agreement", "劳动争议调解协议书", reports.agreement, ("pdf",),
                       (ReportParam("dispute", "争议案件", "ref", required=True, ref="disputes_cases"),),
                       write=reports.write_agreement, full_numbers=True),
            ReportSpec("disputes.ledger", "劳动争议调解台账", reports.ledger, ("pdf", "xlsx"),
                       (ReportParam("year", "年度", "year"),
                        ReportParam("stage", "阶段（如：调解；填“逾期”只列逾期案件）"))),
            ReportSpec("disputes.monthly", "劳动争议月度统计表", reports.monthly, ("pdf", "xlsx"),
                       (ReportParam("month", "月份", "month", required=True),)),
        ),
        demo=demo,
        ref_models={"disputes_cases": disputes_cases()},
    )
