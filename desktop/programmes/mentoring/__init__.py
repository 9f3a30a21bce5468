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
    from desktop.programmes.mentoring.queries import PROGRAMME

    return PROGRAMME
