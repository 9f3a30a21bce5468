"""单位和基层工会 (organisations): the units every programme names.

This module is the programme's registry entry: ``ENTRY`` is cheap to import (no SQLAlchemy, no
Qt); ``declare()`` loads the rest of the declaration on demand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.registry import Entry

if TYPE_CHECKING:
    from desktop.registry import Programme

ENTRY = Entry("organisations", "单位", "organisations.svg", 20, "DW", "ui.programmes.organisations.tab:OrganisationsTab")


def declare() -> Programme:
    from db.models.core.registers import Organisation
    from desktop.registry import Programme

    return Programme(key="organisations", models=(Organisation,), ref_models={"organisations": Organisation})
