"""The workers register (职工、会员): its roster report and what it knows about a worker."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_
from sqlalchemy.orm import Session

from db.models.core.registers import Organisation, Worker
from desktop.records import column_specs, load_table
from desktop.registry import Programme, ReportContext, ReportParam, ReportSpec
from reports.spec import ColumnSpec, TableReport


def roster(session: Session, params: dict[str, Any], ctx: ReportContext) -> TableReport:
    """职工花名册, optionally for one employer and one member status."""
    conditions = []
    subtitle = []
    if params.get("employer"):
        employer_id = int(params["employer"])
        conditions.append(Worker.employer_id == employer_id)
        org = session.get(Organisation, employer_id)
        subtitle.append(f"单位：{org.name if org else employer_id}")
    if params.get("status"):
        conditions.append(Worker.member_status == params["status"])
        subtitle.append("会籍状态：" + ctx.labels.get("member_status", {}).get(params["status"], params["status"]))
    table = load_table(session, Worker, ctx.labels, where=and_(*conditions) if conditions else None)
    rows = [(i + 1, *table.masked_row(i, ctx.full)) for i in range(len(table.rows))]
    return TableReport(
        title="职工花名册",
        columns=[ColumnSpec("seq", "序号", 5, "int"), *column_specs(table.columns, full=ctx.full)],
        rows=rows,
        union_name=ctx.union_name,
        subtitle="　".join(subtitle) + (f"　共 {len(rows)} 人" if rows else "　无记录"),
        printed_on=ctx.today,
    )


PROGRAMME = Programme(
    key="workers",
    models=(Worker,),
    reports=(
        ReportSpec("workers.roster", "职工花名册", roster, ("pdf", "xlsx"), (
            ReportParam("employer", "工作单位", "ref", ref="organisations"),
            ReportParam("status", "会籍状态", "choice", choices="member_status"),
        )),
    ),
    ref_models={"workers": Worker},
)
