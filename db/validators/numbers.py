"""Amounts (元, 万元) and other decimal figures typed by a clerk or read from a cell."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from db.errors import ValidationError
from db.validators.text import clean_text, show

_UNIT = re.compile(r"\s*(万元|元|万)$")
LIMIT = Decimal("1000000000")


def amount(raw: Any) -> Decimal | None:
    """A non-negative amount with at most two decimals: ``45``, ``1,234.5``, ``45万元`` (the unit is
    the column's own; a trailing 元/万元 is dropped, not converted); empty gives None."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, float) and not math.isfinite(raw):
        raise ValidationError("amount_invalid", f"金额无效（{show(raw)}）")
    text = raw if isinstance(raw, Decimal) else clean_text(str(raw) if isinstance(raw, int | float) else raw)
    if isinstance(text, str):
        text = _UNIT.sub("", text.replace(",", "").replace("，", "")).strip()
        if not text:
            return None
    try:
        value = Decimal(str(text))
    except InvalidOperation:
        raise ValidationError("amount_invalid", f"金额无效（{show(raw)}），请填写数字") from None
    if not value.is_finite() or value < 0 or value >= LIMIT:
        raise ValidationError("amount_invalid", f"金额无效（{show(raw)}），应为不小于 0 的数字")
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
