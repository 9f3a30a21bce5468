"""劳动争议调解 (disputes): labour disputes from 预警 to 执行, the 调解协议书, the case ledger (台账)
and the monthly counts.

This module is the programme's registry entry: ``ENTRY`` is cheap to import (no SQLAlchemy, no
Qt); ``declare()`` loads the rest of the declaration on demand. A dispute is a case of the case
core (``desktop.programmes.core.cases``); its stages are in ``rules``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.registry import Entry

if TYPE_CHECKING:
    from desktop.registry import Programme

ENTRY = Entry("disputes", "劳动争议", "disputes.svg", 90, "TJ", "ui.programmes.disputes.tab:DisputesTab",
              cli="desktop.programmes.disputes.cli:LISTING")


def declare() -> Programme:
    """The programme's models, reports, demo (loaded lazily)."""
    from db.models.core.cases import Case, CaseAttachment, CaseMove, CaseParty
    from db.models.disputes import Dispute
    from desktop.registry import Programme

    return Programme(
        key="disputes",
        models=(Dispute, Case, CaseMove, CaseParty, CaseAttachment),
    )
