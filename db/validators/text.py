"""Text helpers every validator shares: folding what clerks paste, quoting a value in a message."""

from __future__ import annotations

import math
from typing import Any

# Full-width ASCII (U+FF01..U+FF5E) to ASCII, ideographic space to a plain space.
FULL_WIDTH = {0xFF01 + i: 0x21 + i for i in range(94)}
FULL_WIDTH[0x3000] = 0x20
# Invisible characters that come along when text is copied from web pages or Word.
INVISIBLE = {cp: None for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)}
TEXT_TABLE = {**FULL_WIDTH, **INVISIBLE}


def is_number(raw: Any) -> bool:
    return isinstance(raw, int | float) and not isinstance(raw, bool)


def show(raw: Any, limit: int = 30) -> str:
    """The value as it can be quoted in a message (short, never raising)."""
    try:
        text = raw if isinstance(raw, str) else str(raw)
    except ValueError:  # an int too long for str()
        return "超长数字"
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"


def clean_text(raw: Any) -> str:
    """``raw`` as text: full-width ASCII folded, invisible characters dropped, stripped."""
    if raw is None:
        return ""
    text = raw if isinstance(raw, str) else str(raw)
    return text.translate(TEXT_TABLE).strip()


def compact(text: str) -> str:
    """``text`` without any whitespace (str.split knows NBSP and U+3000)."""
    return "".join(text.split())


def integral(value: float | int) -> int | None:
    """The integer a numeric cell holds, or None when it has a fraction (or is inf/nan)."""
    if isinstance(value, int):
        return value
    if not math.isfinite(value) or not value.is_integer():
        return None
    return int(value)

