"""What 劳模工匠选树 tells other programmes about a worker or an organisation, as registry facts:
kind ``honour`` for a title held (红色工匠's eligibility hints read it as a priority reason, the
worker's page lists it), ``honour_ended`` for one that has ended (shown, never a priority),
``honour_benefit`` for 劳模待遇 received and ``outreach`` for 宣讲 given. No Qt.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from db.models.core.selection import Holding
from desktop.programmes.honours import holders
from desktop.programmes.honours.titles import HONOURS
from desktop.registry import WorkerFact
from desktop.settings import choice_labels

HONOUR, ENDED, BENEFIT, OUTREACH = "honour", "honour_ended", "honour_benefit", "outreach"


def label(h: Holding) -> str:
    """``县级五一劳动奖章（2026年）``."""
    return f"{h.title}（{h.year}年）"


def _detail(h: Holding, extra: str = "") -> str:
    parts = [extra, h.body or "", h.document or ""]
    if h.ended_on is not None:
        parts.append(f"{h.ended_on:%Y-%m-%d} 终止：{h.end_reason or ''}")
    return "　".join(p for p in parts if p)


def _fact(h: Holding, extra: str = "") -> WorkerFact:
    return WorkerFact(HONOURS, label(h), _detail(h, extra), h.named_on, ENDED if h.ended_on else HONOUR)


def worker_facts(session: Session, worker_id: int) -> list[WorkerFact]:
    """The worker's honours (held and ended), benefits received and outreach sessions given."""
    facts = [_fact(h) for h in holdings_oldest(session, worker_id=worker_id)]
    if not facts:
        return facts
    labels = choice_labels(session)
    kinds, places = labels.get("benefit_kind", {}), labels.get("outreach_kind", {})
    for b in holders.benefits(session, worker_id=worker_id):
        facts.append(WorkerFact(HONOURS, f"{b.year}年劳模待遇：{kinds.get(b.kind, b.kind)}", b.place or "",
                                b.given_on, BENEFIT))
    for o in holders.outreach(session, worker_id=worker_id):
        facts.append(WorkerFact(HONOURS, f"劳模宣讲（{places.get(o.kind, o.kind)}）", "　".join(
            x for x in (o.place, o.topic or "", f"{o.audience} 人" if o.audience else "") if x), o.held_on, OUTREACH))
    return facts


def organisation_facts(session: Session, organisation_id: int) -> list[WorkerFact]:
    """Titles the unit or one of its teams holds or held (五一劳动奖状, 工人先锋号 …)."""
    return [_fact(h, f"授予{h.team}" if h.team else "") for h in
            holdings_oldest(session, organisation_id=organisation_id)]


def holdings_oldest(session: Session, **where: int) -> list[Holding]:
    return sorted(holders.holdings(session, **where), key=lambda h: (h.named_on, h.id))
