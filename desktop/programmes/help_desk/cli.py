"""The ``help-desk [--json]`` listing of enterprise demands and their 派工单 (CLI.md), declared by
the programme (the ``import help_desk.demands`` import is added beside it as ``IMPORTS``). Cheap to
import: the CLI reads it while parsing. No phone number is listed."""

from __future__ import annotations

from typing import Any

from desktop.cli.common import ImportCommand, Items, Listing


def _demands(session: Any) -> Items:
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from db.models.core.cases import Case
    from db.models.help_desk import Demand
    from desktop.programmes.help_desk.rules import EMERGENCY, FLOW
    from desktop.settings import choice_labels

    kinds = choice_labels(session).get("hd_kind", {})
    found = session.scalars(select(Demand).join(Case, Demand.case_id == Case.id)
                            .where(Case.programme == FLOW.programme)
                            .options(selectinload(Demand.case), selectinload(Demand.organisation))
                            .order_by(Case.year.desc(), Case.seq.desc()))
    rows = sorted(found, key=lambda d: d.urgency != EMERGENCY or FLOW.is_closed(d.case.stage))  # open 急诊单 first
    return [{"id": d.id, "number": d.case.number, "enterprise": d.organisation.name if d.organisation else "",
             "kind": kinds.get(d.kind, d.kind), "stage": FLOW.label(d.case.stage),
             "received_at": d.received_at.isoformat(sep=" ", timespec="minutes")} for d in rows]


LISTING = Listing(
    "help-desk", "列出助企行企业需求与派工单（编号、企业、需求类型、状态、接收时间）",
    "以 JSON 输出：id、number、enterprise、kind、stage、received_at", _demands,
    lambda d: f"{d['id']}\t{d['number']}\t{d['enterprise']}\t{d['kind']}\t{d['stage']}\t{d['received_at']}",
    "还没有助企行企业需求。")

IMPORTS = (
    ImportCommand(
        "help_desk.demands",
        "企业需求（企业名称或统一社会信用代码、需求内容、需求类型、紧急程度、来源渠道、接收时间…），每行登记为待派的派工单；"
        "名册中没有的企业自动新建",
        "desktop.programmes.help_desk.importing:run_cli"),
)
