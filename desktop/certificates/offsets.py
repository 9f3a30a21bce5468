"""Printer offsets for certificates: finite millimetres within ±50 (CLI.md, Certificates).

One check for the CLI (exit 2), the certificate centre and the printer settings (a field
error), so a clerk typing 15 for 1.5 or ``nan`` is told before any stock is printed.
"""

from __future__ import annotations

import math

from db.errors import ValidationError

__all__ = ["AXIS_LABELS", "LIMIT_MM", "check_offset", "check_offsets"]

LIMIT_MM = 50.0
AXIS_LABELS = {"x": "水平偏移", "y": "垂直偏移"}


def check_offset(value: object, axis: str = "x") -> float:
    """``value`` as millimetres, or :class:`ValidationError` naming the field in Chinese."""
    label = AXIS_LABELS.get(axis, axis)
    if isinstance(value, bool):
        value = None
    try:
        number = float(str(value).strip()) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationError("offset_invalid", f"{label}“{value}”不是数字，请填写毫米数，如 1.5 或 -2") from None
    if not math.isfinite(number):
        raise ValidationError("offset_invalid", f"{label}“{value}”不是有效的数字，请填写毫米数，如 1.5 或 -2")
    if abs(number) > LIMIT_MM:
        raise ValidationError(
            "offset_range", f"{label} {number:g} 毫米超出范围：只能在 -{LIMIT_MM:g} 到 {LIMIT_MM:g} 毫米之间"
            "（请检查是否多输了一位，如 1.5 写成了 15）")
    return number


def check_offsets(x: object, y: object) -> tuple[float, float]:
    return check_offset(x, "x"), check_offset(y, "y")
