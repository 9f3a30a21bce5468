"""劳模工匠助企行 / 帮帮团 (help_desk): service teams of model workers and craftsmen, the enterprise
demand register (企业需求库), 派工单 and 急诊单, visits, results and the year's targets.

This module is the programme's registry entry: ``ENTRY`` is cheap to import (no SQLAlchemy, no
Qt); ``declare()`` loads the rest of the declaration on demand. A demand is a case of the case core
(``desktop.programmes.core.cases``); its states are in ``rules``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.registry import Entry

if TYPE_CHECKING:
    from desktop.registry import Programme

ENTRY = Entry("help_desk", "助企行", "help_desk.svg", 50, "BB", "ui.programmes.help_desk.tab:HelpDeskTab",
              cli="desktop.programmes.help_desk.cli:LISTING")


def declare() -> Programme:
    """The programme's models, reports, worker facts, demo and reference models (loaded lazily)."""
    from db.models.core.cases import Case, CaseAttachment, CaseMove, CaseParty
    from db.models.help_desk import Demand, Member, Target, Team, Visit
    from desktop.registry import Programme

    return Programme(
        key="help_desk",
        models=(Team, Member, Demand, Visit, Target, Case, CaseMove, CaseParty, CaseAttachment),
        ref_models={"help_desk_teams": Team},
    )
