"""劳动和技能竞赛 (competitions): events, entries, marks, ranks and prizes.

This module is the programme's registry entry: ``ENTRY`` is cheap to import (no SQLAlchemy, no
Qt); ``declare()`` loads the rest of the declaration on demand. The parts live beside it:
``rules`` (scoring, ranking, prizes: pure), ``service`` (every write), ``queries`` (what the tab
shows), ``importing`` (entry lists and score sheets), ``reports`` (评分表, 成绩公示, certificate
records, worker facts, the CLI list) and ``demo``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.registry import Entry

if TYPE_CHECKING:
    from desktop.registry import Programme

ENTRY = Entry("competitions", "技能竞赛", "competitions.svg", 40, "JS", "ui.programmes.competitions.tab:CompetitionsTab",
              cli="desktop.programmes.competitions.cli:LISTING")


def declare() -> Programme:
    from db.fields import column
    from db.models import competitions as m
    from desktop.programmes.competitions.demo import demo
    from desktop.programmes.competitions.reports import (
        certificate_records,
        results,
        score_sheet,
        worker_facts,
    )
    from desktop.registry import CertificateSource, Programme, ReportParam, ReportSpec

    competition = ReportParam("competition", "竞赛", "ref", required=True, ref="competitions")
    event = ReportParam("event", column(m.Event, "trade").label, "ref", ref="competition_events")
    return Programme(
        key="competitions",
        models=(m.Competition, m.Event, m.Entry, m.TeamMember, m.Score),
        reports=(
            ReportSpec("competitions.score_sheet", "竞赛评分表", score_sheet, ("pdf", "xlsx"), (competition, event)),
            ReportSpec("competitions.results", "竞赛成绩公示", results, ("pdf", "xlsx"), (competition,)),
        ),
        certificate_sources=(
            CertificateSource(key="competitions", title="竞赛获奖证书", records=certificate_records, params=(
                ReportParam("year", "年份", "year"),
                ReportParam("competition", "竞赛", "ref", ref="competitions"),
            )),
        ),
        worker_facts=worker_facts,
        demo=demo,
        ref_models={"competitions": m.Competition},
    )
