"""劳模工匠助企行 / 帮帮团 (help_desk): service teams of model workers and craftsmen, the enterprise
demand register (企业需求库), 派工单 and 急诊单, visits, results and the year's targets.

This module is the programme's registry entry: ``ENTRY`` is cheap to import (no SQLAlchemy, no
Qt); ``declare()`` loads the rest of the declaration on demand. A demand is a case of the case core
(``desktop.programmes.core.cases``); its states are in ``rules``. The parts: ``teams`` and
``demands`` (the writes over a session), ``service`` (the UI's writes), ``queries`` (the tab's
reads), ``figures`` (counts, rates, targets against actuals), ``facts``, ``cli``, ``demo``.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from desktop.registry import Entry

if TYPE_CHECKING:
    from desktop.registry import Programme

ENTRY = Entry("help_desk", "助企行", "help_desk.svg", 50, "BB", "ui.programmes.help_desk.tab:HelpDeskTab",
              cli="desktop.programmes.help_desk.cli:LISTING")


@cache
def help_desk_demands() -> Any:
    """The ``help_desk_demands`` reference: each demand (by its id) with a ``name`` such as
    ``2026-BB-0012 宁海县甲机械有限公司``, for a report's demand picker (派工单). A read-only class
    mapped over a SELECT in a registry of its own (no table of its own, not in the metadata)."""
    from sqlalchemy import select
    from sqlalchemy.orm import registry

    from db.models.core.cases import Case
    from db.models.core.registers import Organisation
    from db.models.help_desk import Demand

    view = (select(Demand.id.label("id"), (Case.number + " " + Organisation.name).label("name"),
                   Case.year.label("year"), Case.stage.label("stage"))
            .join(Case, Demand.case_id == Case.id).join(Organisation, Demand.organisation_id == Organisation.id)
            .subquery("help_desk_demands"))

    class DemandChoice:
        """One demand as a picker names it (read-only)."""

        id: int
        name: str

    registry().map_imperatively(DemandChoice, view, primary_key=[view.c.id])
    return DemandChoice


def declare() -> Programme:
    """The programme's models, worker facts, demo and reference models (loaded lazily)."""
    from db.models.core.cases import Case, CaseAttachment, CaseMove, CaseParty
    from db.models.help_desk import Demand, Member, Target, Team, Visit
    from desktop.programmes.help_desk.demo import demo
    from desktop.programmes.help_desk.facts import worker_facts
    from desktop.programmes.help_desk.reports import report_specs
    from desktop.registry import Programme

    return Programme(
        key="help_desk",
        models=(Team, Member, Demand, Visit, Target, Case, CaseMove, CaseParty, CaseAttachment),
        reports=report_specs(),
        worker_facts=worker_facts,
        demo=demo,
        ref_models={"help_desk_teams": Team, "help_desk_demands": help_desk_demands()},
    )
