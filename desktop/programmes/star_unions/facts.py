"""What 星级工会 tells other screens about a unit: its level in the organisations register (a
:class:`~desktop.registry.FactColumn`) and on its page (facts of kind ``star``: the level held
now; ``star_past``: a level held before; ``star_application``: this year's application). No Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.models.core.selection import Candidacy, Holding, SelectionRound
from desktop.programmes.star_unions.queries import holdings_on, short_labels
from desktop.programmes.star_unions.rules import PROGRAMME, WORKFLOW
from desktop.registry import WorkerFact


def level_column(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """``{organisation id: 四星级}`` for the units of ``ids`` that hold a level today."""
    if not ids:
        return {}
    shorts = short_labels(session)
    held = holdings_on(session, date.today(), ids if len(ids) <= 900 else None)
    wanted = set(ids)
    return {oid: shorts.get(h.award or "", h.title) for oid, h in held.items() if oid in wanted}


def organisation_facts(session: Session, organisation_id: int) -> list[WorkerFact]:
    today = date.today()
    shorts = short_labels(session)
    facts: list[WorkerFact] = []
    for h in session.scalars(select(Holding).where(Holding.programme == PROGRAMME,
                                                   Holding.organisation_id == organisation_id)
                             .order_by(Holding.named_on, Holding.id)):
        if h.named_on > today:
            continue
        if h.ended_on is None or h.ended_on > today:
            detail = h.note or (f"{h.year}年度命名" + (f"（{h.document}）" if h.document else ""))
            facts.append(WorkerFact(PROGRAMME, h.title, detail, h.named_on, "star"))
        else:
            detail = f"{h.named_on:%Y-%m-%d} 至 {h.ended_on:%Y-%m-%d}" + (f"，{h.end_reason}" if h.end_reason else "")
            facts.append(WorkerFact(PROGRAMME, f"曾为{h.title}", detail, h.named_on, "star_past"))
    for c in session.scalars(select(Candidacy).join(SelectionRound)
                             .where(SelectionRound.programme == PROGRAMME, SelectionRound.year == today.year,
                                    Candidacy.organisation_id == organisation_id)
                             .options(selectinload(Candidacy.round), selectinload(Candidacy.moves))):
        if WORKFLOW.reached(c.stage, WORKFLOW.named):
            continue  # its holding says it
        first = c.moves[0].on if c.moves else None
        facts.append(WorkerFact(PROGRAMME, f"{c.round.year}年度申报{shorts.get(c.award or '', c.award or '')}工会",
                                WORKFLOW.label(c.stage) + (f"：{c.reason}" if c.reason else ""), first,
                                "star_application"))
    return facts
