"""Dates from date cells, Excel serial numbers and text such as 2024.3.5 or 2024年3月."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from typing import Any

from db.errors import ValidationError
from db.validators.text import clean_text, compact, is_number, show

_EXCEL_EPOCH = date(1899, 12, 30)
_MIN_YEAR, _MAX_YEAR = 1900, 2100
_TIME_SUFFIX = re.compile(r"(?:(?:\s+|T)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)$")
_YMD = re.compile(r"([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})[日号]?")
_YMD_PACKED = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_YM = re.compile(r"([0-9]{4})[-/.年]([0-9]{1,2})月?")
_YM_PACKED = re.compile(r"([0-9]{4})([0-9]{2})")


def _checked_date(shown: str, year: int, month: int, day: int) -> date:
    try:
        value = date(year, month, day)
    except ValueError:
        raise ValidationError("date_invalid", f"日期无效（{shown}）") from None
    return _in_range(value, shown)


def _in_range(value: date, shown: str) -> date:
    if not _MIN_YEAR <= value.year <= _MAX_YEAR:
        raise ValidationError("date_invalid", f"日期无效（{shown}，年份应在{_MIN_YEAR}-{_MAX_YEAR}之间）")
    return value


def _date_from_number(raw: int | float) -> date:
    shown = show(raw)
    if isinstance(raw, float) and not math.isfinite(raw):
        raise ValidationError("date_invalid", f"日期无效（{shown}）")
    whole = math.floor(raw)  # the fraction of an Excel serial is the time of day
    if whole == raw and _MIN_YEAR <= whole <= _MAX_YEAR:  # 2019 alone is a year, not serial 2019
        raise ValidationError("date_invalid", f"只有年份（{shown}），请填写完整日期，如 {whole}-01-01")
    if 1 <= whole <= 80000:  # Excel serial, 1900 date system
        if whole == 60:  # Excel's 1900-02-29, a day that did not exist
            raise ValidationError("date_invalid", f"日期无效（{shown}，即1900-02-29）")
        if whole < 60:
            return _in_range(date(1899, 12, 31) + timedelta(days=whole), shown)
        return _in_range(_EXCEL_EPOCH + timedelta(days=whole), shown)
    if whole == raw and 10**5 <= whole < 10**8:  # 20240305 or 202403 typed as a number
        digits = str(whole)
        if m := _YMD_PACKED.fullmatch(digits):
            return _checked_date(shown, int(m[1]), int(m[2]), int(m[3]))
        if m := _YM_PACKED.fullmatch(digits):
            return _checked_date(shown, int(m[1]), int(m[2]), 1)
    raise ValidationError("date_invalid", f"日期无效（{shown}）")


def date_value(raw: Any) -> date | None:
    """A date from a date, an Excel serial number or text such as 2024.3.5 / 2024年3月; empty gives None."""
    if isinstance(raw, datetime):
        return _in_range(raw.date(), show(raw))
    if isinstance(raw, date):
        return _in_range(raw, show(raw))
    if is_number(raw):
        return _date_from_number(raw)
    if isinstance(raw, bool):
        raise ValidationError("date_invalid", f"日期无效（{raw}）")
    text = clean_text(raw)
    if not text:
        return None
    shown = show(text)
    text = compact(_TIME_SUFFIX.sub("", text, count=1))
    if (m := _YMD.fullmatch(text)) or (m := _YMD_PACKED.fullmatch(text)):
        return _checked_date(shown, int(m[1]), int(m[2]), int(m[3]))
    if (m := _YM.fullmatch(text)) or (m := _YM_PACKED.fullmatch(text)):
        return _checked_date(shown, int(m[1]), int(m[2]), 1)
    raise ValidationError("date_invalid", f"日期无效（{shown}）")


_TIME = re.compile(r"(?:\s+|T)([0-9]{1,2})[:：]([0-9]{2})(?:[:：]([0-9]{2})(?:\.[0-9]+)?)?$")
_CN_TIME = re.compile(r"\s*([0-9]{1,2})[时点]([0-9]{1,2})分?$")


def datetime_value(raw: Any) -> datetime | None:
    """A time to the minute from a datetime, an Excel serial (its fraction is the time of day) or
    text such as ``2026-03-05 14:30`` / ``2026年3月5日 14时30分``; a date alone is its midnight;
    empty gives None."""
    if isinstance(raw, datetime):
        _in_range(raw.date(), show(raw))
        return raw.replace(second=0, microsecond=0)
    if is_number(raw) and not isinstance(raw, bool):
        day = _date_from_number(raw)
        minutes = round((float(raw) - math.floor(raw)) * 24 * 60)
        return datetime(day.year, day.month, day.day) + timedelta(minutes=minutes)
    text = clean_text(raw) if not isinstance(raw, date) else ""
    if isinstance(raw, date):
        return datetime(raw.year, raw.month, raw.day)
    if not text:
        return None
    hour = minute = 0
    m = _TIME.search(text) or _CN_TIME.search(text)
    if m:
        hour, minute = int(m[1]), int(m[2])
        if hour > 23 or minute > 59:
            raise ValidationError("date_invalid", f"时间无效（{show(text)}）")
        text = text[:m.start()].strip()
    day = date_value(text)
    if day is None:
        raise ValidationError("date_invalid", f"时间无效（{show(raw)}）")
    return datetime(day.year, day.month, day.day, hour, minute)
