"""The ``star-unions [--json]`` listing (CLI.md): the unions holding a star level today."""

from __future__ import annotations

from typing import Any

from desktop.cli.common import Items, Listing


def _unions(session: Any) -> Items:
    from datetime import date

    from desktop.programmes.star_unions.queries import roll_rows

    return [{"organisation": r.organisation_id, "unit": r.unit, "township": r.township, "level": r.level,
             "title": r.title, "named_on": r.named_on.isoformat() if r.named_on else None}
            for r in roll_rows(session, date.today(), with_past=False)]


LISTING = Listing(
    "star-unions", "列出现有星级工会（单位编号、工会名称、星级、命名日期）",
    "以 JSON 输出：organisation、unit、township、level、title、named_on", _unions,
    lambda u: f"{u['organisation']}\t{u['unit']}\t{u['township']}\t{u['title']}\t{u['named_on']}",
    "还没有星级工会。")
