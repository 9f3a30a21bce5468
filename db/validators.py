"""Plain validation functions (no Qt, nothing of ours outside db).

Every function takes what a clerk typed or what a spreadsheet cell held (text, int, float,
date, None) and returns the normalised value, or raises :class:`ValidationError` with a
stable ``code`` (CLI.md, "Registers") and a short Chinese message naming the value.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from db.errors import ValidationError

# --------------------------------------------------------------------------- helpers

# Full-width ASCII (U+FF01..U+FF5E) to ASCII, ideographic space to a plain space.
_FULL_WIDTH = {0xFF01 + i: 0x21 + i for i in range(94)}
_FULL_WIDTH[0x3000] = 0x20
# Invisible characters that come along when text is copied from web pages or Word.
_INVISIBLE = {cp: None for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)}
_TEXT_TABLE = {**_FULL_WIDTH, **_INVISIBLE}


def _is_number(raw: Any) -> bool:
    return isinstance(raw, int | float) and not isinstance(raw, bool)


def _show(raw: Any, limit: int = 30) -> str:
    """The value as it can be quoted in a message (short, never raising)."""
    try:
        text = raw if isinstance(raw, str) else str(raw)
    except ValueError:  # an int too long for str()
        return "超长数字"
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"


def _text(raw: Any) -> str:
    """``raw`` as text: full-width ASCII folded, invisible characters dropped, stripped."""
    if raw is None:
        return ""
    text = raw if isinstance(raw, str) else str(raw)
    return text.translate(_TEXT_TABLE).strip()


def _compact(text: str) -> str:
    """``text`` without any whitespace (str.split knows NBSP and U+3000)."""
    return "".join(text.split())


def _integral(value: float | int) -> int | None:
    """The integer a numeric cell holds, or None when it has a fraction (or is inf/nan)."""
    if isinstance(value, int):
        return value
    if not math.isfinite(value) or not value.is_integer():
        return None
    return int(value)


# --------------------------------------------------------------------------- ID numbers

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

    return mask_id(_show(raw, limit=40))


def _excel_shown(raw: Any) -> str:
    """A number Excel damaged, as Excel shows it (``3.30281E+17``: six digits, never the whole)."""
    try:
        return f"{float(_text(raw).replace(',', '')):.5E}"
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
    if _is_number(raw):
        whole = _integral(raw)
        if whole is None:
            raise _excel_damage(_excel_shown(raw))
        if whole < 0:
            raise ValidationError("id_format", f"身份证号格式错误（{_show_id(raw)}）")
        if whole >= 10**15:  # 16+ digits: Excel keeps only 15 significant digits
            raise _excel_damage(_excel_shown(raw))
        return str(whole)
    return _compact(_text(raw)).upper()


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


# --------------------------------------------------------------------------- credit codes

_CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUE = {c: i for i, c in enumerate(_CREDIT_CHARSET)}
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_check_char(body17: str) -> str:
    """The GB 32100 check character of the first 17 characters of a credit code."""
    if not (isinstance(body17, str) and len(body17) == 17 and all(c in _CREDIT_VALUE for c in body17)):
        raise ValidationError("credit_code_invalid", f"统一社会信用代码前17位含无效字符（{_show(body17)}）")
    total = sum(_CREDIT_VALUE[c] * w for c, w in zip(body17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARSET[(31 - total % 31) % 31]


def credit_code(raw: Any) -> str | None:
    """Validate a unified social credit code (GB 32100); empty gives None."""
    if _is_number(raw):
        whole = _integral(raw)
        text = str(whole) if whole is not None and 0 <= whole < 10**18 else _show(raw)
    else:
        text = _compact(_text(raw)).upper()
    if not text:
        return None
    if len(text) != 18:
        raise ValidationError("credit_code_invalid", f"统一社会信用代码应为18位（{_show(text)}，{len(text)}位）")
    bad = [c for c in text if c not in _CREDIT_VALUE]
    if bad:
        raise ValidationError(
            "credit_code_invalid", f"统一社会信用代码含无效字符“{bad[0]}”（{text}）"
        )
    if credit_check_char(text[:17]) != text[17]:
        raise ValidationError("credit_code_invalid", f"统一社会信用代码校验位错误（{text}）")
    return text


# --------------------------------------------------------------------------- phones

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
    numeric = _is_number(raw)
    if numeric:
        whole = _integral(raw)
        if whole is None or whole < 0:
            raise ValidationError("phone_format", f"电话号码格式错误（{_show(raw)}）")
        if whole >= 10**15:
            raise ValidationError("phone_format", f"电话号码过长（{_show(raw)}）")
        text = str(whole)
    else:
        text = _compact(_text(raw).translate(_DASHES))
        if re.fullmatch(r"[0-9]+\.0+", text):  # a numeric cell saved as text: 13812345678.0
            text = text.split(".")[0]
        text = re.sub(r"^\((\+?[0-9]{1,4})\)", r"\1-", text)  # (+86)138..., (0572)1234567
    if not text:
        return None
    if _PHONE_SEPARATORS.search(text):
        raise ValidationError("phone_format", f"电话号码只能填一个（{_show(text)}）")
    if not _PHONE_CHARS.fullmatch(text):
        raise ValidationError("phone_format", f"电话号码含无效字符（{_show(text)}）")
    plus = text.startswith("+")
    digits = re.sub(r"[^0-9]", "", text)
    if not 7 <= len(digits) <= 15:
        raise ValidationError("phone_format", f"电话号码位数不对（{_show(text)}，{len(digits)}位数字）")

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
        raise ValidationError("phone_format", f"电话号码过长（{_show(text)}）")
    return out


# --------------------------------------------------------------------------- names

# Dots clerks type between the parts of a minority or foreign name; all become U+00B7.
_NAME_DOTS = {cp: "·" for cp in (0x2022, 0x30FB, 0x2027, 0xFF0E, 0xFF65, 0x2219, 0x22C5, 0x0387, 0x2E31, 0x2E)}
_NAME_TABLE = {**_TEXT_TABLE, **_NAME_DOTS}


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return 0x2E80 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF


def _is_latin_letter(ch: str) -> bool:
    """A letter of an alphabet (Latin, Cyrillic, ...), i.e. a letter of a space-separated script."""
    return ch.isalpha() and not _is_cjk(ch) and ord(ch) < 0x2E80


def _last_base(text: str) -> str:
    """The last character of ``text`` that is not a combining mark."""
    for ch in reversed(text):
        if not _is_mark(ch):
            return ch
    return ""


# Code points that render as nothing (Unicode Default_Ignorable_Code_Point, beside the Cf
# format characters): in a name they make two records that look the same but differ.
_IGNORABLE_RANGES = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)


def _ignorable(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _IGNORABLE_RANGES)


def _selector_allowed(text: str, i: int) -> bool:
    """A variation selector is kept only right after the character it selects a glyph of:
    an ideograph (葛 + U+E0100, rare characters in names) or a Mongolian letter (U+180B-U+180F)."""
    cp = ord(text[i])
    prev = text[i - 1] if i else ""
    if 0xFE00 <= cp <= 0xFE02 or 0xE0100 <= cp <= 0xE01EF:  # the selectors defined for ideographs
        return bool(prev) and _is_cjk(prev)
    if 0x180B <= cp <= 0x180F and cp != 0x180E:
        return bool(prev) and 0x1820 <= ord(prev) <= 0x18AF
    return False


def _invisible(text: str) -> str | None:
    """The first character of a name that renders as nothing, or None.

    Refused: every format character (Cf: zero-width and direction marks, U+2060-U+2064, soft
    hyphen, tags), every other default-ignorable code point (U+034F COMBINING GRAPHEME JOINER,
    Hangul fillers), enclosing marks (Me), a variation selector that does not follow the
    character it varies, and a combining mark (Mn) that is not on a letter of an alphabetic
    script (Chinese names never carry one; José keeps its accent). The invisible characters
    pasted text brings along (``_INVISIBLE``) were already dropped before this check.
    """
    for i, ch in enumerate(text):
        cp = ord(ch)
        if cp < 0x00AD:
            continue
        category = unicodedata.category(ch)
        if category[0] not in "CM" and not _ignorable(cp):
            continue
        if _selector_allowed(text, i):
            continue
        if category in ("Cf", "Me") or _ignorable(cp):
            return ch
        if category == "Mn" and not _is_latin_letter(_last_base(text[:i])):
            return ch
    return None


def person_name(raw: Any) -> str:
    """Normalise a person's name: 2-20 code points, CJK without spaces, dots as ``·``.

    Characters that render as nothing are refused (``_invisible``), so two names that look
    the same are the same text."""
    if _is_number(raw) or isinstance(raw, bool):
        raise ValidationError("name_format", f"姓名不能是数字（{_show(raw)}）")
    text = "" if raw is None else raw if isinstance(raw, str) else str(raw)
    text = text.translate(_NAME_TABLE)
    parts = text.split()  # any whitespace run, NBSP and U+3000 included
    if not parts:
        raise ValidationError("name_missing", "缺少姓名")
    # Keep one space only between two letters of a space-separated script (John Smith).
    out = parts[0]
    for part in parts[1:]:
        out += " " + part if _is_latin_letter(_last_base(out)) and _is_latin_letter(part[0]) else part
    out = re.sub(r"·+", "·", out)
    hidden = _invisible(out)
    if hidden is not None:
        raise ValidationError(
            "name_format",
            f"姓名含不可见字符（U+{ord(hidden):04X}），请删除后重新输入（{_show(out.replace(hidden, ''))}）")
    for i, ch in enumerate(out):
        if ch.isalpha() or ch == "〇":
            continue
        prev = out[i - 1] if i else ""
        nxt = out[i + 1] if i + 1 < len(out) else ""
        if ch in "· " and prev and nxt:
            continue
        if ch == "-" and _is_latin_letter(prev) and _is_latin_letter(nxt):
            continue
        if ch.isdigit() or ch.isnumeric():
            raise ValidationError("name_format", f"姓名不能含数字（{_show(out)}）")
        if _is_mark(ch) and prev and (prev.isalpha() or _is_mark(prev)):
            continue  # accents, variation selectors of rare characters
        if ch == "·":
            raise ValidationError("name_format", f"姓名不能以“·”开头或结尾（{_show(out)}）")
        raise ValidationError("name_format", f"姓名含无效字符“{ch}”（{_show(out)}）")
    if not 2 <= len(out) <= 20:
        raise ValidationError("name_length", f"姓名应为2-20个字（{_show(out)}，{len(out)}个字）")
    return out


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


# --------------------------------------------------------------------------- dates

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
    shown = _show(raw)
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
        return _in_range(raw.date(), _show(raw))
    if isinstance(raw, date):
        return _in_range(raw, _show(raw))
    if _is_number(raw):
        return _date_from_number(raw)
    if isinstance(raw, bool):
        raise ValidationError("date_invalid", f"日期无效（{raw}）")
    text = _text(raw)
    if not text:
        return None
    shown = _show(text)
    text = _compact(_TIME_SUFFIX.sub("", text, count=1))
    if (m := _YMD.fullmatch(text)) or (m := _YMD_PACKED.fullmatch(text)):
        return _checked_date(shown, int(m[1]), int(m[2]), int(m[3]))
    if (m := _YM.fullmatch(text)) or (m := _YM_PACKED.fullmatch(text)):
        return _checked_date(shown, int(m[1]), int(m[2]), 1)
    raise ValidationError("date_invalid", f"日期无效（{shown}）")


__all__ = [
    "IdInfo",
    "ValidationError",
    "check_gender",
    "credit_check_char",
    "credit_code",
    "date_value",
    "id_check_digit",
    "id_info",
    "id_number",
    "is_mobile",
    "person_name",
    "phone",
]
