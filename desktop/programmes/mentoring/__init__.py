"""师徒结对 (mentoring): master-apprentice pairs, evaluations, allowances and 拜师帖.

This module is the programme's registry entry: ``ENTRY`` is cheap to import (no SQLAlchemy, no
Qt); ``declare()`` loads the rest of the declaration on demand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.registry import Entry

if TYPE_CHECKING:
    from desktop.registry import Programme

ENTRY = Entry("mentoring", "师徒结对", "mentoring.svg", 60, "ST", "ui.programmes.mentoring.tab:MentoringTab",
              cli="desktop.programmes.mentoring.cli:LISTING")


def declare() -> Programme:
    """The programme's models, reports, worker facts, demo and reference model (loaded lazily)."""
    from db.models.core.cultivation import MentorEvaluation, MentorLink
    from db.models.mentoring import Pair
    from desktop.programmes.mentoring.demo import demo
    from desktop.programmes.mentoring.reports import (
        allowance_report,
        letter_report,
        worker_facts,
        write_letter,
    )
    from desktop.registry import Programme, ReportParam, ReportSpec

    return Programme(
        key="mentoring",
        models=(Pair, MentorLink, MentorEvaluation),
        reports=(
            ReportSpec("mentoring.allowance", "师傅带徒津贴发放表", allowance_report, ("xlsx", "pdf"),
                       (ReportParam("month", "月份", "month", required=True),)),
            ReportSpec("mentoring.letter", "拜师帖", letter_report, ("pdf",),
                       (ReportParam("pair", ENTRY.title, "ref", required=True, ref="mentoring_pairs"),),
                       write=write_letter),
        ),
        worker_facts=worker_facts,
        demo=demo,
        ref_models={"mentoring_pairs": Pair},
    )
