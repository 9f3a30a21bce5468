"""Masking of personal data in lists, exports and prints (no Qt, nothing of ours outside db).

``mask(value, privacy_class)`` is what a view calls; the class is the ``privacy`` of the
column's :class:`db.fields.Field`. Revealing a value is the caller's decision (and audit).
"""

from __future__ import annotations

from typing import Any

from db.fields import ID_NUMBER, PHONE, PUBLIC, SENSITIVE

SENSITIVE_MASK = "***"


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    try:
        return (value if isinstance(value, str) else str(value)).strip()
    except ValueError:  # an int too long for str()
        return SENSITIVE_MASK


def _mask_middle(text: str, head: int, tail: int) -> str:
    """Keep ``head`` and ``tail`` characters around at least 8 stars; a shorter value keeps a quarter."""
    n = len(text)
    if n <= 2:
        return "*" * n
    if n < head + tail + 8:  # short or odd value: a quarter at each end, at most
        head = tail = n // 4
        if head == 0:
            return text[0] + "*" * (n - 1)
    return text[:head] + "*" * (n - head - tail) + text[n - tail:]


def mask_id(s: Any) -> str:
    """``330281199001011234`` -> ``330281********1234``: first 6 and last 4 kept."""
    return _mask_middle(_as_text(s), 6, 4)


def mask_phone(s: Any) -> str:
    """``13812345678`` -> ``138****5678``; ``0572-1234567`` -> ``0572-*****67``."""
    text = _as_text(s)
    if len(text) == 11 and text.isascii() and text.isdigit():
        return text[:3] + "****" + text[7:]
    area, dash, rest = text.partition("-")
    if dash and area.isascii() and area.isdigit() and area.startswith("0") and len(rest) > 2:
        # Landline: the area code stays, then every digit but the last two is hidden.
        hidden = "".join("*" if c.isdigit() else c for c in rest[:-2])
        return f"{area}-{hidden}{rest[-2:]}"
    if len(text) > 4:
        return "".join("*" if c.isdigit() else c for c in text[:-2]) + text[-2:]
    return "*" * len(text)


def mask(value: Any, privacy_class: str) -> Any:
    """``value`` as it may be shown without revealing: PUBLIC unchanged, others masked.

    None and empty values stay as they are (there is nothing to hide).
    """
    if privacy_class == PUBLIC:
        return value
    if privacy_class not in (ID_NUMBER, PHONE, SENSITIVE):
        raise ValueError(f"unknown privacy class {privacy_class!r}")
    if value is None or (isinstance(value, str) and not value.strip()):
        return value
    if privacy_class == ID_NUMBER:
        return mask_id(value)
    if privacy_class == PHONE:
        return mask_phone(value)
    return SENSITIVE_MASK


__all__ = ["SENSITIVE_MASK", "mask", "mask_id", "mask_phone"]
