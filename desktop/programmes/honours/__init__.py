"""劳模工匠选树 (honours): honour titles, selection rounds and the honour-holder register (劳模档案).

This module is the programme's registry entry: ``ENTRY`` is cheap to import (no SQLAlchemy, no
Qt); ``declare()`` loads the rest of the declaration on demand. The parts live beside it:

- selection: ``workflow`` (the two stage sequences), ``rounds`` (rounds, nominations, stages, the
  competition action), ``service`` (its writes), ``queries`` (the 评选 page), ``reports``
  (推荐对象汇总表, 公示名单, 推荐表), ``importing`` (推荐名单 from Excel), ``cli``, ``demo``;
- titles and holders: ``titles``, ``holders``, ``register_service``, ``register_queries``,
  ``register_reports``, ``facts``, ``certificates``, ``demo_register``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desktop.registry import Entry

if TYPE_CHECKING:
    from desktop.registry import Programme

ENTRY = Entry("honours", "劳模工匠", "honours.svg", 45, "RY", "ui.programmes.honours.tab:HonoursTab",
              cli="desktop.programmes.honours.cli:LISTING", defaults="desktop.programmes.honours.titles:seed_titles")


def honours_rounds() -> Any:
    """The ``honours_rounds`` reference: the selection rounds of this programme only (a report's
    round picker lists no star-union round)."""
    from sqlalchemy import select
    from sqlalchemy.orm import aliased

    from db.models.core.selection import SelectionRound

    return aliased(SelectionRound, select(SelectionRound).where(SelectionRound.programme == "honours").subquery(),
                   name="honours_rounds")


def declare() -> Programme:
    """The programme's models, reports, certificate source, facts, action, demo and defaults (the
    register's parts come from ``register_reports``, ``certificates``, ``facts`` and ``titles``)."""
    from db.models.core.selection import Candidacy, Holding, SelectionRound, StageMove
    from db.models.honours import Benefit, HonourTitle, Outreach
    from desktop.programmes.honours import register_reports
    from desktop.programmes.honours import reports as selection_reports
    from desktop.programmes.honours.certificates import certificate_records
    from desktop.programmes.honours.demo import demo
    from desktop.programmes.honours.facts import organisation_facts, worker_facts
    from desktop.programmes.honours.service import competition_action
    from desktop.registry import Action, CertificateSource, Programme, ReportParam, ReportSpec

    chosen = ReportParam("round", selection_reports.round_label(), "ref", required=True, ref="honours_rounds")
    selection = (
        ReportSpec("honours.nominations", "推荐对象汇总表", selection_reports.nominations_report, ("xlsx", "pdf"),
                   (chosen,)),
        ReportSpec("honours.publicity", "公示名单", selection_reports.publicity_report, ("pdf", "xlsx"),
                   (chosen, ReportParam("phone", "联系电话"), ReportParam("watch", "监督电话"))),
        ReportSpec("honours.form", "推荐表", selection_reports.form_report, ("pdf",),
                   (chosen, ReportParam("nomination", "推荐对象编号", "int")), write=selection_reports.write_forms,
                   full_numbers=True),
    )
    year = ReportParam("year", "年份", "year")
    return Programme(
        key="honours",
        models=(HonourTitle, SelectionRound, Candidacy, StageMove, Holding, Benefit, Outreach),
        reports=selection + register_reports.report_specs(),
        certificate_sources=(
            CertificateSource(key="honours", title="荣誉称号证书", records=certificate_records, params=(
                year, ReportParam("title", "荣誉称号", "ref", ref="hn_titles"))),
        ),
        worker_facts=worker_facts,
        organisation_facts=organisation_facts,
        demo=demo,
        ref_models={"honours_rounds": honours_rounds(), "hn_titles": HonourTitle},
        actions=(Action(target="competition_entries", label="推荐评选荣誉（五一劳动奖章）", run=competition_action),),
        standard=(HonourTitle,),
    )
