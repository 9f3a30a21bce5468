"""Labels of the cultivation records, read from the one description (db.fields), in each
programme's words. No Qt.

The shared models (``MentorLink``, ``MentorEvaluation``) say 导师 and 培育对象; 师徒结对 reads
the same labels with 师傅 and 徒弟 (``db.models.core.cultivation.ROLE_WORDS``). Forms, table
headers and report columns of both programmes take their headings from here, so a label is
typed once, on the field.
"""

from __future__ import annotations

from functools import cache

from db.fields import Column, describe
from db.models.core.cultivation import RED_CRAFTSMAN, ROLE_WORDS
from desktop.records import report_kind
from reports.spec import ColumnSpec


@cache
def _described(model: type) -> dict[str, Column]:
    return {c.name: c for c in describe(model)}


def in_words(text: str, programme: str = RED_CRAFTSMAN) -> str:
    """``text`` in the programme's words for the two sides (导师评培育对象 -> 师傅评徒弟)."""
    for ours, theirs in ROLE_WORDS.get(programme, ()):
        text = text.replace(ours, theirs)
    return text


def column(model: type, name: str) -> Column:
    return _described(model)[name]


def label(model: type, name: str, programme: str = RED_CRAFTSMAN) -> str:
    """The label of one described column, in the programme's words."""
    return in_words(column(model, name).label, programme)


def help_text(model: type, name: str, programme: str = RED_CRAFTSMAN) -> str:
    return in_words(column(model, name).field.help, programme)


def spec(model: type, name: str, *, key: str | None = None, width: int | None = None,
         programme: str = RED_CRAFTSMAN) -> ColumnSpec:
    """A report column for a described field: its label, width and kind (``key`` for the row's key)."""
    col = column(model, name)
    return ColumnSpec(key or name, label(model, name, programme), width or col.field.width, report_kind(col))


def labels(models: dict[str, type], programme: str = RED_CRAFTSMAN) -> dict[str, str]:
    """``{"Round.year": "年度", ...}`` for every described column of ``models`` (keyed by the
    given names): what a programme's queries hand the UI, which imports no model."""
    return {f"{key}.{c.name}": in_words(c.label, programme) for key, model in models.items()
            for c in describe(model)}


def helps(models: dict[str, type], programme: str = RED_CRAFTSMAN) -> dict[str, str]:
    """``{"Pair.trade": "师傅传授的工种（技艺）", ...}``: the fields' help lines (tooltips)."""
    return {f"{key}.{c.name}": in_words(c.field.help, programme) for key, model in models.items()
            for c in describe(model) if c.field.help}
