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
from desktop.records import report_kind
from reports.spec import ColumnSpec


@cache
def _described(model: type) -> dict[str, Column]:
    return {c.name: c for c in describe(model)}


#: A programme's words for the two sides: pairs (the shared label's word, the programme's word).
Words = tuple[tuple[str, str], ...]


def in_words(text: str, words: Words = ()) -> str:
    """``text`` in a programme's words for the two sides (导师评培育对象 -> 师傅评徒弟)."""
    for ours, theirs in words:
        text = text.replace(ours, theirs)
    return text


def column(model: type, name: str) -> Column:
    return _described(model)[name]


def label(model: type, name: str, words: Words = ()) -> str:
    """The label of one described column, in the programme's words."""
    return in_words(column(model, name).label, words)


def help_text(model: type, name: str, words: Words = ()) -> str:
    return in_words(column(model, name).field.help, words)


def spec(model: type, name: str, *, key: str | None = None, width: int | None = None,
         words: Words = ()) -> ColumnSpec:
    """A report column for a described field: its label, width and kind (``key`` for the row's key)."""
    col = column(model, name)
    return ColumnSpec(key or name, label(model, name, words), width or col.field.width, report_kind(col))


def labels(models: dict[str, type], words: Words = ()) -> dict[str, str]:
    """``{"Round.year": "年度", ...}`` for every described column of ``models`` (keyed by the
    given names): what a programme's queries hand the UI, which imports no model."""
    return {f"{key}.{c.name}": in_words(c.label, words) for key, model in models.items()
            for c in describe(model)}


def helps(models: dict[str, type], words: Words = ()) -> dict[str, str]:
    """``{"Pair.trade": "师傅传授的工种（技艺）", ...}``: the fields' help lines (tooltips)."""
    return {f"{key}.{c.name}": in_words(c.field.help, words) for key, model in models.items()
            for c in describe(model) if c.field.help}
