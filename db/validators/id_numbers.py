"""Resident ID numbers (身份证号): 18 digits with the GB 11643 check, or an old 15-digit one;
the birth date and sex they hold, and the damage Excel does to them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from db.errors import ValidationError
from db.validators.text import clean_text, compact, integral, is_number, show


@dataclass(frozen=True)
class IdInfo:
    number: str  # normalised 18-digit number, upper-case X
    birth_date: date
    gender: str  # "male" | "female"


_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))  # 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, ...
_ID_CHECK = "10X98765432"
_ID18 = re.compile(r"[0-9]{17}[0-9X]")
_ID15 = re.compile(r"[0-9]{15}")
_DIGITS = re.compile(r"[0-9]+")
# Text Excel made of a long number: 3.30281E+17, 330281199001011234.0, 330,281,199,001,011,000.
_EXCEL_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:E[+-]?[0-9]+)?|[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")


def id_check_digit(body17: str) -> str:
    """The GB 11643 check character ("0"-"9" or "X") of the first 17 digits."""
    if not (isinstance(body17, str) and len(body17) == 17 and _DIGITS.fullmatch(body17)):
        raise ValidationError("id_format", f"身份证号前17位应为数字（{_show_id(body17)}）")
    total = sum(int(c) * w for c, w in zip(body17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _show_id(raw: Any) -> str:
    """An ID number (or what was typed for one) as a message may quote it: masked, the last 3
    characters at most (db.privacy), so no message, log or ``--json`` holds a whole number."""
    from db.privacy import mask_id

    return mask_id(show(raw, limit=40))


def _excel_shown(raw: Any) -> str:
    """A number Excel damaged, as Excel shows it (``3.30281E+17``: six digits, never the whole)."""
    try:
        return f"{float(clean_text(raw).replace(',', '')):.5E}"
    except (TypeError, ValueError, OverflowError):
        return _show_id(raw)


def _excel_damage(shown: str) -> ValidationError:
    return ValidationError(
        "id_damaged_by_excel",
        f"身份证号被 Excel 当成了数字，末几位已丢失（{shown}）；请把该列单元格格式设为“文本”后重新录入",
    )


def _birth_date(digits8: str) -> date:
    """The birth date written in an ID number (YYYYMMDD), checked."""
    shown = f"{digits8[:4]}-{digits8[4:6]}-{digits8[6:]}"
    try:
        born = date(int(digits8[:4]), int(digits8[4:6]), int(digits8[6:]))
    except ValueError:
        raise ValidationError("id_birth_date", f"出生日期无效（{shown}）") from None
    if born.year < 1900:
        raise ValidationError("id_birth_date", f"出生日期无效（{shown}，早于1900年）")
    if born > date.today():
        raise ValidationError("id_birth_date", f"出生日期无效（{shown}，晚于今天）")
    return born


def _id_text(raw: Any) -> str:
    """The ID number as text, refusing what Excel damaged."""
    if is_number(raw):
        whole = integral(raw)
        if whole is None:
            raise _excel_damage(_excel_shown(raw))
        if whole < 0:
            raise ValidationError("id_format", f"身份证号格式错误（{_show_id(raw)}）")
        if whole >= 10**15:  # 16+ digits: Excel keeps only 15 significant digits
            raise _excel_damage(_excel_shown(raw))
        return str(whole)
    # A leading apostrophe is Excel's "keep as text" mark; a CSV or a copy from WPS keeps it as a character.
    return compact(clean_text(raw)).upper().lstrip("'‘’`")


def id_info(raw: Any) -> IdInfo:
    """Validate a resident ID number (GB 11643); 15-digit legacy numbers are converted."""
    if raw is None:
        raise ValidationError("id_missing", "缺少身份证号")
    text = _id_text(raw)
    if not text:
        raise ValidationError("id_missing", "缺少身份证号")
    if (
        _EXCEL_NUMBER.fullmatch(text)
        and any(c in text for c in ".E,")
        and float(text.replace(",", "")) >= 1e14
    ):
        raise _excel_damage(_excel_shown(text))
    if _ID15.fullmatch(text):
        born = _birth_date("19" + text[6:12])
        body = text[:6] + "19" + text[6:]
        number = body + id_check_digit(body)
    elif _ID18.fullmatch(text):
        born = _birth_date(text[6:14])
        if id_check_digit(text[:17]) != text[17]:
            raise ValidationError("id_checksum", f"身份证号校验位错误（{_show_id(text)}）")
        number = text
    else:
        raise ValidationError(
            "id_format", f"身份证号应为18位数字（最后一位可为X）或15位数字（{_show_id(text)}，{len(text)}位）"
        )
    gender = "male" if int(number[16]) % 2 else "female"
    return IdInfo(number, born, gender)


def id_number(raw: Any) -> str:
    return id_info(raw).number


_GENDER_CODES = {"male": "male", "female": "female", "男": "male", "女": "female"}
_GENDER_LABELS = {"male": "男", "female": "女"}


def check_gender(info: IdInfo, gender: str | None) -> None:
    """Raise ``sex_mismatch`` when ``gender`` ("male"/"female") contradicts the ID number.

    None, "" and values that are not a gender code are not checked (the choice column
    reports those itself).
    """
    code = _GENDER_CODES.get(gender.strip()) if isinstance(gender, str) else None
    if code is None or code == info.gender:
        return
    raise ValidationError(
        "sex_mismatch",
        f"性别（{_GENDER_LABELS[code]}）与身份证号不符：身份证号显示为{_GENDER_LABELS[info.gender]}"
        f"（{_show_id(info.number)}）",
    )
