"""Phone numbers: mobiles and landlines as clerks write them, normalised."""

from __future__ import annotations

import re
from typing import Any

from db.errors import ValidationError
from db.validators.text import clean_text, compact, integral, is_number, show

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_DASHES = {cp: "-" for cp in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE63, 0x8F6C)}  # 转 = ext.
_PHONE_CHARS = re.compile(r"\+?[0-9()\-]+")
_PHONE_SEPARATORS = re.compile(r"[/,，、;；|]")


def is_mobile(value: str | None) -> bool:
    """True for an 11-digit mainland mobile number (1[3-9] and 9 digits), as ``phone`` returns it."""
    return isinstance(value, str) and _MOBILE.fullmatch(value) is not None


def _landline(digits: str) -> str | None:
    """``0572-1234567`` when ``digits`` is an area code (010, 02x, 0xxx) and a 7-8 digit number."""
    if len(digits) < 10 or digits[0] != "0" or digits[1] == "0":
        return None
    split = 3 if digits[1] in "12" else 4
    local = digits[split:]
    if len(local) in (7, 8) and local[0] != "0":
        return f"{digits[:split]}-{local}"
    return None


def phone(raw: Any) -> str | None:
    """Normalise a phone number: a mobile as 11 digits, a landline as ``0572-1234567``.

    Empty gives None. Other numbers of 7-15 digits (extensions, hotlines, foreign numbers)
    are kept with dashes between their groups; ``is_mobile`` tells a mobile apart.
    """
    numeric = is_number(raw)
    if numeric:
        whole = integral(raw)
        if whole is None or whole < 0:
            raise ValidationError("phone_format", f"电话号码格式错误（{show(raw)}）")
        if whole >= 10**15:
            raise ValidationError("phone_format", f"电话号码过长（{show(raw)}）")
        text = str(whole)
    else:
        text = compact(clean_text(raw).translate(_DASHES))
        if re.fullmatch(r"[0-9]+\.0+", text):  # a numeric cell saved as text: 13812345678.0
            text = text.split(".")[0]
        text = re.sub(r"^\((\+?[0-9]{1,4})\)", r"\1-", text)  # (+86)138..., (0572)1234567
    if not text:
        return None
    if _PHONE_SEPARATORS.search(text):
        raise ValidationError("phone_format", f"电话号码只能填一个（{show(text)}）")
    if not _PHONE_CHARS.fullmatch(text):
        raise ValidationError("phone_format", f"电话号码含无效字符（{show(text)}）")
    plus = text.startswith("+")
    digits = re.sub(r"[^0-9]", "", text)
    if not 7 <= len(digits) <= 15:
        raise ValidationError("phone_format", f"电话号码位数不对（{show(text)}，{len(digits)}位数字）")

    china_rest: str | None = None  # the number after a +86 / 0086 prefix
    if plus and digits.startswith("86"):
        china_rest = digits[2:]
    elif not plus and digits.startswith("0086"):
        china_rest = digits[4:]
    elif not plus and len(digits) == 13 and digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
        china_rest = digits[2:]
    if china_rest is not None:
        if _MOBILE.fullmatch(china_rest):
            return china_rest
        found = _landline(china_rest if china_rest.startswith("0") else "0" + china_rest)
        if found:
            return found
    elif not plus:
        if _MOBILE.fullmatch(digits):
            return digits
        found = _landline(digits)
        if found:
            return found
        if numeric:  # Excel dropped the leading 0 of a landline: 5721234567
            found = _landline("0" + digits)
            if found:
                return found
    groups = [g for g in re.split(r"[()\-+]+", text) if g]
    out = ("+" if plus else "") + "-".join(groups)
    if len(out) > 20:
        raise ValidationError("phone_format", f"电话号码过长（{show(text)}）")
    return out


def mobile(raw: Any) -> str | None:
    """A mainland mobile number (11 digits, ``1[3-9]…``), normalised as ``phone`` does; anything
    else that is not empty raises ``phone_format`` (the same rule the importer warns with).

    The validator of a field that holds a mobile (a worker's 手机号码): the edit form, the
    services and the importer all judge it by this one function.
    """
    from db.privacy import mask_phone

    number = phone(raw)
    if number is None or is_mobile(number):
        return number
    raise ValidationError("phone_format", f"不是手机号码（{mask_phone(number)}）：手机号码应为以 1 开头的 11 位数字")
