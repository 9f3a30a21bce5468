"""“红色工匠”培育 (red_craftsman): rounds, the cultivation pool, mentors and evaluations.

This module is the programme's registry entry: ``ENTRY`` is cheap to import (no SQLAlchemy, no
Qt); ``declare()`` loads the rest of the declaration on demand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.registry import Entry

if TYPE_CHECKING:
    from desktop.registry import Programme

ENTRY = Entry("red_craftsman", "红色工匠", "red_craftsman.svg", 30, "HS", "ui.programmes.red_craftsman.tab:RedCraftsmanTab")


def declare() -> Programme:
    """The programme's models, reports, certificate source, worker facts and demo (loaded lazily)."""
    from db.models.red_craftsman import Candidate, Membership, Nomination, PartyStage, Round, Training
    from desktop.programmes.core.cultivation_fields import label
    from desktop.programmes.red_craftsman.demo import demo
    from desktop.programmes.red_craftsman.reports import (
        certificate_records,
        evaluation_sheet,
        roster,
        summary,
        worker_facts,
    )
    from desktop.registry import CertificateSource, Programme, ReportParam, ReportSpec

    year = ReportParam("year", label(Round, "year"), "year")
    return Programme(
        key="red_craftsman",
        models=(Round, Nomination, Candidate, Membership, Training, PartyStage),
        reports=(
            ReportSpec("red_craftsman.roster", "“红色工匠”培育库名册", roster, ("pdf", "xlsx"), (year,)),
            ReportSpec("red_craftsman.summary", "“红色工匠”培育工作年度汇总表", summary, ("pdf", "xlsx"), (year,)),
            ReportSpec("red_craftsman.evaluation_sheet", "“红色工匠”师徒双向评议表", evaluation_sheet,
                       ("pdf", "xlsx"), (year,)),
        ),
        certificate_sources=(
            CertificateSource(key="red_craftsman", title="“红色工匠”培育对象证书", records=certificate_records,
                              params=(year,)),
        ),
        worker_facts=worker_facts,
        demo=demo,
    )
