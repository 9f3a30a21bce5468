"""What 劳模工匠助企行 tells other screens about a worker, as registry facts: kind ``service`` for
each 派工单 the worker was sent on (``助企行：2026-BB-0012 宁海县甲机械有限公司 设备故障（已解决）``),
kind ``service_team`` for the service teams the worker serves on. No Qt.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.models.core.cases import Case, CaseParty
from db.models.help_desk import Demand, Member
from desktop.programmes.core.cases import reached_at
from desktop.programmes.help_desk.rules import CRAFTSMAN, DISPATCHED, FLOW
from desktop.registry import WorkerFact
from desktop.settings import choice_labels

PROGRAMME = FLOW.programme
SERVICE, TEAM = "service", "service_team"
WORD = "助企行"


def worker_facts(session: Session, worker_id: int) -> list[WorkerFact]:
    q = (select(Demand).join(Case, Demand.case_id == Case.id).join(CaseParty, CaseParty.case_id == Case.id)
         .where(Case.programme == PROGRAMME, CaseParty.role == CRAFTSMAN, CaseParty.worker_id == worker_id)
         .options(selectinload(Demand.case).selectinload(Case.moves), selectinload(Demand.organisation))
         .order_by(Case.opened_at, Case.id))
    slips = list(session.scalars(q).unique())
    teams = list(session.scalars(select(Member).where(Member.worker_id == worker_id)
                                 .options(selectinload(Member.team)).order_by(Member.id)))
    if not slips and not teams:
        return []
    kinds = choice_labels(session).get("hd_kind", {})
    facts = []
    for m in teams:
        detail = "　".join(x for x in (m.specialty or "", m.area or "",
                                       f"{m.left_on:%Y-%m-%d} 退出" if m.left_on else "") if x)
        facts.append(WorkerFact(PROGRAMME, f"{WORD}服务队成员：{m.team.name}", detail, m.joined_on, TEAM))
    for d in slips:
        case = d.case
        unit = d.organisation.name if d.organisation is not None else ""
        label = f"{WORD}：{case.number} {unit} {kinds.get(d.kind, d.kind)}（{FLOW.label(case.stage)}）"
        sent = reached_at(case, DISPATCHED) or case.opened_at
        facts.append(WorkerFact(PROGRAMME, label, " ".join((d.problem or "").split())[:80], sent.date(), SERVICE))
    return facts
