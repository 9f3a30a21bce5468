"""Certificate serials (CLI.md, Certificates; the printed verification: desktop.certificates.signing).

A serial is ``{prefix}-{year}-{code}-{counter:05d}``: the prefix from Settings (``UD``), the
year of issue, the programme's short upper-case code (:func:`desktop.registry.serial_code`:
JS 竞赛, HS 红色工匠, ST 师徒结对; MD a list read from a spreadsheet) and a counter per prefix,
year and code. No programme key is ever printed. Serials issued under the older form (the
programme's key where the code is now) were given the new form by migration 0006 and kept as
an alias that :func:`desktop.certificates.register.verify` accepts. No Qt.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models.certificates import Certificate

__all__ = ["DEFAULT_PREFIX", "GENERAL", "OTHER_CODE", "PREVIEW_MARK", "SHEET_CODE", "code_of", "format_serial",
           "next_counter", "preview_serial", "serial_prefix", "verification_on"]

DEFAULT_PREFIX = "UD"
PREVIEW_MARK = "（预览）"
GENERAL = "general"  # the programme key of a list read from a spreadsheet (never printed)
SHEET_CODE = "MD"  # 名单: its code in serials
OTHER_CODE = "QT"  # 其他: a programme key no programme declares (a removed one)
_CODE = re.compile(r"[A-Z]{2,8}")


def code_of(programme: str | None) -> str:
    """The code a programme's serials carry (the registry's ``serial_code``; :data:`GENERAL` → ``MD``).

    A code given already is returned as it is; a key no programme declares gives ``QT``.
    """
    key = str(programme or GENERAL)
    if key == GENERAL:
        return SHEET_CODE
    if _CODE.fullmatch(key):
        return key
    from desktop import registry

    try:
        return registry.serial_code(key)
    except KeyError:
        return OTHER_CODE


def serial_prefix(settings: dict[str, Any]) -> str:
    prefix = str(settings.get("serial_prefix") or "").strip()
    return prefix if prefix.isascii() and prefix.isalnum() else DEFAULT_PREFIX


def format_serial(prefix: str, year: int, programme: str, counter: int) -> str:
    """``UD-2026-JS-00001``: five digits, more when needed (``programme`` a key or a code)."""
    return f"{prefix}-{year}-{code_of(programme)}-{counter:05d}"


def preview_serial(prefix: str, year: int, programme: str) -> str:
    """``UD-2026-JS-（预览）``: what a preview prints where the serial will be."""
    return f"{prefix}-{year}-{code_of(programme)}-{PREVIEW_MARK}"


def next_counter(session: Session, prefix: str, year: int, programme: str) -> int:
    """The next counter of a prefix, year and code (continuing from the certificates issued
    under the older form: migration 0006 gave them their code and kept their counters)."""
    last = session.execute(select(func.max(Certificate.counter)).where(
        Certificate.prefix == prefix, Certificate.year == year, Certificate.code == code_of(programme))).scalar()
    return int(last or 0) + 1


def verification_on(settings: dict[str, Any], template: Any) -> bool:
    try:
        on = int(settings.get("certificate_verify") or 0) == 1
    except (TypeError, ValueError):
        on = False
    return on or bool(getattr(template, "verify", False))
