"""The described fields 劳模工匠助企行's tab reads (its forms and headers), so the UI, which imports
no model, types no label a second time. No Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from db.fields import Column, describe
from db.models.core.cases import Case, CaseAttachment, CaseMove, CaseParty
from db.models.help_desk import Demand, Member, Target, Team, Visit
from desktop.programmes.core import cultivation_fields as fields

#: The described models by the names the UI uses ("Demand.problem" -> 需求内容).
MODELS: dict[str, type] = {"Team": Team, "Member": Member, "Demand": Demand, "Visit": Visit, "Target": Target,
                           "Case": Case, "CaseMove": CaseMove, "CaseParty": CaseParty,
                           "CaseAttachment": CaseAttachment}


@cache
def field_labels() -> dict[str, str]:
    """``{"Demand.problem": "需求内容", "Visit.people": "服务人次", ...}``."""
    return fields.labels(MODELS)


@cache
def field_helps() -> dict[str, str]:
    return fields.helps(MODELS)


def form_columns(model: str, names: Sequence[str]) -> list[Column]:
    """The described columns ``names`` of ``MODELS[model]``, in that order (a form's fields)."""
    by_name = {c.name: c for c in describe(MODELS[model])}
    return [by_name[n] for n in names]
