"""Masking of personal data in lists, exports, prints and messages (no Qt, nothing of ours outside db).

``mask(value, privacy_class)`` is what a view calls; the class is the ``privacy`` of the
column's :class:`db.fields.Field`. Revealing a value is the caller's decision (and audit).

The scheme, and why it holds: a masked ID number shows only its last 3 characters
(``***************234``), and beside it an output shows at most the sex and the year and month
of birth (``BIRTH``: ``1990-03``), never the day. What is hidden then is the county (about
2,800 codes), the day of birth (28-31) and one sequence digit, less the check digit's 1 in 11:
about 77,000 numbers fit what any masked output shows about one person. The older mask
(``330281********1234``) hid exactly the birth date, which the same outputs printed beside it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from db.fields import BIRTH, CONTACT, ID_NUMBER, PHONE, PUBLIC, SENSITIVE
from db.protected import PROTECTED_TEXT

#: What a masked value that cannot be masked in shape shows (a damaged date, an oversized number).
HIDDEN = "***"
#: What a field of the sensitive privacy class shows unless opened with the permission (db.protected).
SENSITIVE_MASK = PROTECTED_TEXT


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    try:
        return (value if isinstance(value, str) else str(value)).strip()
    except ValueError:  # an int too long for str()
        return HIDDEN


ID_VISIBLE = 3  # characters a masked ID number keeps, at its end


def mask_id(s: Any) -> str:
    """``330281199001011234`` -> ``***************234``: only the last 3 characters kept.

    A legacy 15-digit number keeps its last 3 as well; anything shorter than 12 characters
    (not an ID number, or a damaged one) keeps at most a quarter of itself.
    """
    text = _as_text(s)
    n = len(text)
    keep = ID_VISIBLE if n >= 12 else n // 4
    return "*" * (n - keep) + text[n - keep:]


_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-[0-9]{2}")


def mask_birth(value: Any) -> str:
    """A birth date as it may stand beside a masked ID: year and month only (``1990-03``)."""
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"
    m = _ISO_DAY.match(_as_text(value))
    return f"{m.group(1)}-{m.group(2)}" if m else HIDDEN


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


# The last line of defence against whole numbers in text that leaves the data layer (messages,
# logs, the audit note). An ID number: 18 characters (17 digits and a digit or X) or the old 15
# digits, standing alone (not part of a longer run of digits). A mobile number: 1[3-9] and 9
# digits, with an optional +86/86 in front.
ID_SHAPED = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9Xx])")
PHONE_SHAPED = re.compile(r"(?<![0-9])((?:\+?86[- ]?)?)(1[3-9][0-9]{9})(?![0-9])")


def mask_numbers(text: str) -> str:
    """``text`` with every ID-shaped and mobile-shaped number masked as the masked columns show them."""
    if not text or not any(c.isdigit() for c in text):
        return text
    text = ID_SHAPED.sub(lambda m: mask_id(m.group(0)), text)
    return PHONE_SHAPED.sub(lambda m: m.group(1) + mask_phone(m.group(2)), text)


def mask(value: Any, privacy_class: str) -> Any:
    """``value`` as it may be shown without revealing: PUBLIC unchanged, others masked
    (a BIRTH date to its year and month, a SENSITIVE value as 「（受保护）」).

    None and empty values stay as they are (there is nothing to hide).
    """
    if privacy_class == PUBLIC:
        return value
    if privacy_class not in (ID_NUMBER, PHONE, CONTACT, BIRTH, SENSITIVE):
        raise ValueError(f"unknown privacy class {privacy_class!r}")
    if value is None or (isinstance(value, str) and not value.strip()):
        return value
    if privacy_class == ID_NUMBER:
        return mask_id(value)
    if privacy_class in (PHONE, CONTACT):
        return mask_phone(value)
    if privacy_class == BIRTH:
        return mask_birth(value)
    return SENSITIVE_MASK


__all__ = ["HIDDEN", "ID_VISIBLE", "SENSITIVE_MASK", "mask", "mask_birth", "mask_id", "mask_numbers", "mask_phone"]
