"""The organisations register (单位、基层工会)."""

from __future__ import annotations

from db.models.core.registers import Organisation
from desktop.registry import Programme

PROGRAMME = Programme(key="organisations", models=(Organisation,), ref_models={"organisations": Organisation})
