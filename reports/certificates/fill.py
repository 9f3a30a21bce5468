"""Placeholder substitution: each ``{key}`` replaced by its variable's text (:mod:`.variables`),
with optional parts in square brackets."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .variables import value_of

if TYPE_CHECKING:
    from .model import Template

__all__ = ["CLOSE", "MARKS", "NAME_OPEN", "OPEN", "fill", "placeholders_in", "value_of"]

#: Unicode noncharacters (reserved for a program's internal use, never in real text) that
#: ``fill(..., glue=True)`` puts around each placeholder's value, so the layout keeps a value
#: whole where it fits on a line (:mod:`.layout`); the recipient's name has its own opener and
#: is never broken. The layout drops them before drawing.
OPEN = "\ufdd0"
NAME_OPEN = "\ufdd1"
CLOSE = "\ufdd2"
MARKS = frozenset((OPEN, NAME_OPEN, CLOSE))
_NAME_KEYS = frozenset(("name",))

_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")
_GROUP = re.compile(r"\[([^\[\]]*)\]")
_NAME = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _marked(key: str, value: str) -> str:
    if not value:
        return value
    if OPEN in value or NAME_OPEN in value or CLOSE in value:
        value = "".join(ch for ch in value if ch not in MARKS)
    return (NAME_OPEN if key in _NAME_KEYS else OPEN) + value + CLOSE


def _substitute(text: str, record: Mapping[str, object], arabic: bool, glue: bool = False) -> str:
    def one(m: re.Match[str]) -> str:
        whole = m.group(0)
        if whole == "{{":
            return "{"
        if whole == "}}":
            return "}"
        value = value_of(m.group(1), record, arabic)
        return _marked(m.group(1), value) if glue else value

    return _TOKEN.sub(one, text)


def fill(text: str, record: Mapping[str, object], template: Template | None = None, *, glue: bool = False) -> str:
    """``text`` with its placeholders replaced from ``record``.

    A placeholder the record lacks becomes ``""`` (never ``KeyError``). ``{date_cn}`` is
    ``record["date"]`` as 二〇二六年五月一日 (2026年5月1日 when the template has
    ``arabic_date``); ``{salutation}`` is 周国全同志：. A part in square brackets holding
    a placeholder, ``[（{team}）]``, is kept (without the brackets) only when every
    placeholder in it has a value; brackets around plain text stay as they are.
    ``glue`` (for the renderer): each value is put between :data:`OPEN` (:data:`NAME_OPEN` for
    the name) and :data:`CLOSE`, so the layout keeps it whole where it fits.
    """
    arabic = bool(template is not None and template.arabic_date)
    if "[" not in text:
        return _substitute(text, record, arabic, glue)
    out: list[str] = []
    pos = 0
    for m in _GROUP.finditer(text):
        out.append(_substitute(text[pos:m.start()], record, arabic, glue))
        pos = m.end()
        inner = m.group(1)
        keys = placeholders_in(inner)
        if not keys:
            out.append("[" + _substitute(inner, record, arabic, glue) + "]")
        elif all(value_of(k, record, arabic) for k in keys):
            out.append(_substitute(inner, record, arabic, glue))
    out.append(_substitute(text[pos:], record, arabic, glue))
    return "".join(out)


def placeholders_in(text: str) -> list[str]:
    """The placeholder names used in ``text``, in order, without repeats."""
    out: list[str] = []
    for name in _NAME.findall(text.replace("{{", "").replace("}}", "")):
        if name not in out:
            out.append(name)
    return out
