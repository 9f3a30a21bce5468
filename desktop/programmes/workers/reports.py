"""The workers register's printed list: 职工花名册."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_
from sqlalchemy.orm import Session

from db.fields import column
from db.models.core.registers import Organisation, Worker
from desktop.records import column_specs, load_table, sequence_column
from desktop.registry import ReportContext
from reports.spec import TableReport


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
        subtitle.append(column(Worker, "member_status").label + "："
                        + ctx.labels.get("member_status", {}).get(params["status"], params["status"]))
    table = load_table(session, Worker, ctx.labels, where=and_(*conditions) if conditions else None)
    rows = [(i + 1, *table.masked_row(i, ctx.full)) for i in range(len(table.rows))]
    return TableReport(
        title="职工花名册",
        columns=[sequence_column(), *column_specs(table.columns, full=ctx.full)],
        rows=rows,
        union_name=ctx.union_name,
        subtitle="　".join(subtitle) + (f"　共 {len(rows)} 人" if rows else "　无记录"),
        printed_on=ctx.today,
    )
