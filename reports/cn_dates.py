"""Chinese dates, numerals and money amounts as printed on certificates and reports.

>>> date_cn(date(2024, 10, 20))
'二〇二四年十月二十日'
>>> date_cn(date(2024, 10, 20), arabic=True)
'2024年10月20日'
>>> amount_yuan(1234.5)
'1,234.50 元'
>>> amount_cn_upper(1409.5)
'壹仟肆佰零玖元伍角'
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "amount_cn_upper",
    "amount_yuan",
    "date_cn",
    "day_cn",
    "digits_cn",
    "month_cn",
    "number_cn",
    "year_cn",
    "year_month_cn",
]

# U+3007 IDEOGRAPHIC NUMBER ZERO, the zero used in written years (二〇二四), not 零 or O.
_DIGITS = "〇一二三四五六七八九"
_COUNT_DIGITS = "零一二三四五六七八九"  # counted numbers use 零: 一百零五
_UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"


def digits_cn(n: int) -> str:
    """Read an integer digit by digit: 2024 -> 二〇二四 (as years are written)."""
    if n < 0:
        raise ValueError(f"负数不能按位读：{n}")
    return "".join(_DIGITS[int(c)] for c in str(n))


def _below_10000(n: int, digits: str, units: str, *, tens_one: bool) -> str:
    """0 < n < 10000 in counted form; ``tens_one`` keeps the 一 of 一十 (一百一十, not 一百十)."""
    out: list[str] = []
    zero = False
    for power in (3, 2, 1, 0):
        d = (n // 10**power) % 10
        if d == 0:
            if out:
                zero = True
            continue
        if zero:
            out.append(digits[0])
            zero = False
        if not (power == 1 and d == 1 and not out and not tens_one):
            out.append(digits[d])
        if power:
            out.append(units[power - 1])
    return "".join(out)


def _counted(n: int, digits: str, units: str, big: str, *, tens_one: bool) -> str:
    """Non-negative integer in counted form with 万/亿 groups."""
    if n == 0:
        return digits[0]
    groups: list[int] = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    if len(groups) > len(big) + 1:
        raise ValueError("数字太大")
    out: list[str] = []
    need_zero = False
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            need_zero = bool(out)
            continue
        if out and (need_zero or g < 1000):
            out.append(digits[0])
        out.append(_below_10000(g, digits, units, tens_one=tens_one or bool(out)))
        if i:
            out.append(big[i - 1])
        need_zero = False
    return "".join(out)


def number_cn(n: int) -> str:
    """An integer in everyday Chinese numerals: 10 -> 十, 21 -> 二十一, 105 -> 一百零五,
    110 -> 一百一十, 20000 -> 二万 (for 第十二届, 十一月, 三十一日 ...)."""
    if n < 0:
        return "负" + number_cn(-n)
    return _counted(n, _COUNT_DIGITS, "十百千", "万亿", tens_one=False)


def year_cn(year: int) -> str:
    """二〇二四年."""
    return digits_cn(year) + "年"


def month_cn(month: int) -> str:
    """一月 .. 十二月."""
    if not 1 <= month <= 12:
        raise ValueError(f"月份应为 1 至 12：{month}")
    return number_cn(month) + "月"


def day_cn(day: int) -> str:
    """一日 .. 三十一日."""
    if not 1 <= day <= 31:
        raise ValueError(f"日期应为 1 至 31：{day}")
    return number_cn(day) + "日"


def year_month_cn(year: int, month: int, arabic: bool = False) -> str:
    """二〇二四年十月, or 2024年10月 with ``arabic``."""
    if arabic:
        return f"{year}年{month}月"
    return year_cn(year) + month_cn(month)


def date_cn(d: date, arabic: bool = False) -> str:
    """二〇二四年十月二十日 (〇 is U+3007), or 2024年10月20日 with ``arabic``."""
    if arabic:
        return f"{d.year}年{d.month}月{d.day}日"
    return year_cn(d.year) + month_cn(d.month) + day_cn(d.day)


def _to_decimal(x: object) -> Decimal:
    if isinstance(x, Decimal):
        value = x
    elif isinstance(x, bool):
        raise TypeError("金额不能是布尔值")
    elif isinstance(x, int | float | str):
        try:
            value = Decimal(str(x).replace(",", "").strip())
        except InvalidOperation:
            raise ValueError(f"不是有效的金额：{x!r}") from None
    else:
        raise TypeError(f"不是有效的金额：{x!r}")
    if not value.is_finite():
        raise ValueError(f"不是有效的金额：{x!r}")
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def amount_yuan(x: object, unit: bool = True) -> str:
    """1234.5 -> '1,234.50 元' (``unit=False``: '1,234.50'); ``None`` -> ''. Rounds half up."""
    if x is None or x == "":
        return ""
    value = _to_decimal(x)
    text = f"{value:,.2f}"
    if text.startswith("-") and value == 0:
        text = text[1:]
    return f"{text} 元" if unit else text


def amount_cn_upper(x: object) -> str:
    """Money in capital numerals as written on receipts (中文大写金额):
    1409.50 -> 壹仟肆佰零玖元伍角, 6007.14 -> 陆仟零柒元壹角肆分, 10 -> 壹拾元整,
    0.5 -> 伍角, 0 -> 零元整; negative amounts get 负."""
    value = _to_decimal(x)
    if value < 0:
        return "负" + amount_cn_upper(-value)
    cents = int(value * 100)
    yuan, jiao, fen = cents // 100, (cents // 10) % 10, cents % 10
    out = ""
    if yuan:
        out = _counted(yuan, _UPPER_DIGITS, "拾佰仟", "万亿", tens_one=True) + "元"
    if not jiao and not fen:
        return (out or "零元") + "整"
    if jiao:
        if yuan and yuan % 10 == 0:
            out += "零"
        out += _UPPER_DIGITS[jiao] + "角"
    elif yuan:
        out += "零"
    if fen:
        out += _UPPER_DIGITS[fen] + "分"
    return out
