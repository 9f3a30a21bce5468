"""劳动和技能竞赛 (competitions): events, entries, marks, ranks and prizes.

This module is the programme's registry entry: ``ENTRY`` is cheap to import (no SQLAlchemy, no
Qt); ``declare()`` loads the rest of the declaration on demand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.registry import Entry

if TYPE_CHECKING:
    from desktop.registry import Programme

ENTRY = Entry("competitions", "技能竞赛", "competitions.svg", 40, "JS", "ui.programmes.competitions.tab:CompetitionsTab",
              cli="desktop.programmes.competitions.cli:LISTING")


def declare() -> Programme:
    from desktop.programmes.competitions.queries import PROGRAMME

    return PROGRAMME
