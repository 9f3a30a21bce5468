"""Chinese dates, numerals and amounts (reports.cn_dates); no Qt."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from reports.cn_dates import (
    amount_cn_upper,
    amount_yuan,
    date_cn,
    day_cn,
    digits_cn,
    month_cn,
    number_cn,
    year_cn,
    year_month_cn,
)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2024, 10, 20), "二〇二四年十月二十日"),
        (date(2026, 11, 20), "二〇二六年十一月二十日"),
        (date(2001, 1, 1), "二〇〇一年一月一日"),
        (date(2030, 12, 31), "二〇三〇年十二月三十一日"),
        (date(2024, 3, 10), "二〇二四年三月十日"),
        (date(2024, 3, 11), "二〇二四年三月十一日"),
        (date(2024, 3, 20), "二〇二四年三月二十日"),
        (date(2024, 3, 21), "二〇二四年三月二十一日"),
        (date(2024, 3, 30), "二〇二四年三月三十日"),
        (date(2024, 3, 31), "二〇二四年三月三十一日"),
        (date(2000, 2, 29), "二〇〇〇年二月二十九日"),
    ],
)
def test_date_cn(d: date, expected: str) -> None:
    assert date_cn(d) == expected


def test_zero_is_ideographic_number_zero() -> None:
    text = date_cn(date(2001, 1, 1))
    assert "\u3007" in text
    assert "零" not in text and "O" not in text and "０" not in text


def test_date_cn_arabic() -> None:
    assert date_cn(date(2024, 10, 20), arabic=True) == "2024年10月20日"
    assert date_cn(date(2024, 3, 5), arabic=True) == "2024年3月5日"


def test_parts() -> None:
    assert digits_cn(2024) == "二〇二四"
    assert year_cn(2030) == "二〇三〇年"
    assert [month_cn(m) for m in (1, 10, 11, 12)] == ["一月", "十月", "十一月", "十二月"]
    assert [day_cn(d) for d in (1, 10, 11, 20, 21, 30, 31)] == [
        "一日",
        "十日",
        "十一日",
        "二十日",
        "二十一日",
        "三十日",
        "三十一日",
    ]
    assert year_month_cn(2024, 10) == "二〇二四年十月"
    assert year_month_cn(2024, 10, arabic=True) == "2024年10月"
    with pytest.raises(ValueError):
        month_cn(13)
    with pytest.raises(ValueError):
        day_cn(0)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "零"),
        (7, "七"),
        (10, "十"),
        (15, "十五"),
        (20, "二十"),
        (99, "九十九"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (1005, "一千零五"),
        (1010, "一千零一十"),
        (20000, "二万"),
        (100005, "十万零五"),
        (-3, "负三"),
    ],
)
def test_number_cn(n: int, expected: str) -> None:
    assert number_cn(n) == expected


def test_amount_yuan() -> None:
    assert amount_yuan(1234.5) == "1,234.50 元"
    assert amount_yuan(Decimal("0.125")) == "0.13 元"  # half up, not banker's rounding
    assert amount_yuan(1234.5, unit=False) == "1,234.50"
    assert amount_yuan(None) == ""
    assert amount_yuan(-20) == "-20.00 元"
    with pytest.raises(ValueError):
        amount_yuan("abc")


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (0, "零元整"),
        (10, "壹拾元整"),
        (0.5, "伍角"),
        (0.05, "伍分"),
        (1.05, "壹元零伍分"),
        (1409.50, "壹仟肆佰零玖元伍角"),
        (6007.14, "陆仟零柒元壹角肆分"),
        (1680.32, "壹仟陆佰捌拾元零叁角贰分"),
        (107000.53, "壹拾万柒仟元零伍角叁分"),
        ("1,234.56", "壹仟贰佰叁拾肆元伍角陆分"),
    ],
)
def test_amount_cn_upper(x: object, expected: str) -> None:
    assert amount_cn_upper(x) == expected
