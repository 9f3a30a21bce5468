"""职工（会员）名册 (workers): the people every programme looks up.

This module is the programme's registry entry: ``ENTRY`` is cheap to import (no SQLAlchemy, no
Qt); ``declare()`` loads the rest of the declaration on demand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.registry import Entry

if TYPE_CHECKING:
    from desktop.registry import Programme

ENTRY = Entry("workers", "职工", "workers.svg", 10, "ZG", "ui.programmes.workers.tab:WorkersTab")


def declare() -> Programme:
    from db.fields import column
    from db.models.core.registers import Worker
    from desktop.programmes.workers.reports import roster
    from desktop.registry import Programme, ReportParam, ReportSpec

    return Programme(
        key="workers",
        models=(Worker,),
        reports=(
            ReportSpec("workers.roster", "职工花名册", roster, ("pdf", "xlsx"), (
                ReportParam("employer", column(Worker, "employer_id").label, "ref", ref="organisations"),
                ReportParam("status", column(Worker, "member_status").label, "choice", choices="member_status"),
            )),
        ),
        ref_models={"workers": Worker},
    )
