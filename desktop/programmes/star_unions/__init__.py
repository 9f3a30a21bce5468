"""星级工会 (star_unions): base unions rated 三星 → 四星 → 五星 on a scored standard, a yearly
application round, 回头看 that can lower or revoke a level, and the level shown on the unit.

This module is the programme's registry entry: ``ENTRY`` is cheap to import (no SQLAlchemy, no
Qt); ``declare()`` loads the rest of the declaration on demand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.registry import Entry

if TYPE_CHECKING:
    from desktop.registry import Programme

ENTRY = Entry("star_unions", "星级工会", "star_unions.svg", 35, "XJ", "ui.programmes.star_unions.tab:StarUnionsTab",
              cli="desktop.programmes.star_unions.cli:LISTING",
              defaults="desktop.programmes.star_unions.standard:defaults")


def declare() -> Programme:
    """The programme's models, standard, reports, plaque source, unit facts and demo (loaded lazily)."""
    from db.models.star_unions import StarItem, StarLevel, StarScore
    from desktop.programmes.star_unions import reports
    from desktop.programmes.star_unions.demo import demo
    from desktop.programmes.star_unions.facts import level_column, organisation_facts
    from desktop.programmes.star_unions.rules import LEVEL_LABEL
    from desktop.registry import CertificateSource, FactColumn, Programme, ReportParam, ReportSpec

    year = ReportParam("year", "年度", "year")
    unit = ReportParam("organisation", "申报单位（不选则打印空白表）", "ref", ref="organisations")
    return Programme(
        key="star_unions",
        models=(StarLevel, StarItem, StarScore),
        reports=(
            ReportSpec("star_unions.roll", "星级工会名册", reports.roll, ("pdf", "xlsx"), (year,)),
            ReportSpec("star_unions.counts", "星级工会统计表（分乡镇、分年度）", reports.counts, ("pdf", "xlsx"), (year,)),
            ReportSpec("star_unions.applications", "星级工会申报汇总表", reports.summary, ("pdf", "xlsx"), (year,)),
            ReportSpec("star_unions.score_sheet", "星级工会评分表", reports.score_sheet, ("pdf", "xlsx"),
                       (year, unit)),
            ReportSpec("star_unions.review", "星级工会“回头看”名单", reports.review_list, ("pdf", "xlsx"), (year,)),
        ),
        certificate_sources=(
            CertificateSource(key="star_unions", title="星级工会牌匾", records=reports.plaque_records,
                              params=(year,), collective_template="plaque"),
        ),
        organisation_facts=organisation_facts,
        columns=(FactColumn("organisations", LEVEL_LABEL, level_column),),
        demo=demo,
        standard=(StarLevel, StarItem),
    )
