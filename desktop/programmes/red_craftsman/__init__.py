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
    from desktop.programmes.red_craftsman.queries import PROGRAMME

    return PROGRAMME
