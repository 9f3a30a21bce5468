"""Errors the data layer raises with a Chinese message a clerk can act on.

Also the last line of defence against whole personal numbers in text that leaves the data
layer (messages, logs, the audit note): :func:`mask_numbers`.
"""

from __future__ import annotations

import re


class ValidationError(ValueError):
    """A value a clerk typed or imported is not acceptable.

    ``code`` is stable (CLI.md: ``id_checksum``, ``name_length``...); ``message`` is Chinese.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class DatabaseProblem(RuntimeError):
    """The database cannot be used as asked (locked, read-only, corrupt, newer, full disk...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# An ID number: 18 characters (17 digits and a digit or X) or the old 15 digits, standing alone
# (not part of a longer run of digits). A mobile number: 1[3-9] and 9 digits, with an optional
# +86/86 in front.
ID_SHAPED = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9Xx])")
PHONE_SHAPED = re.compile(r"(?<![0-9])((?:\+?86[- ]?)?)(1[3-9][0-9])([0-9]{4})([0-9]{4})(?![0-9])")


def _id_stars(m: re.Match[str]) -> str:
    text = m.group(0)
    return "*" * (len(text) - 3) + text[-3:]


def mask_numbers(text: str) -> str:
    """``text`` with every ID-shaped and mobile-shaped number masked.

    IDs keep their last 3 characters (``***************234``), mobiles their first 3 and last
    4 (``138****1234``), as the masked columns show them.
    """
    if not text or not any(c.isdigit() for c in text):
        return text
    text = ID_SHAPED.sub(_id_stars, text)
    return PHONE_SHAPED.sub(lambda m: f"{m.group(1)}{m.group(2)}****{m.group(4)}", text)
