"""People's names: CJK without spaces, dots as ``·``, nothing that renders as nothing."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from db.errors import ValidationError
from db.validators.text import TEXT_TABLE, is_number, show

# Dots clerks type between the parts of a minority or foreign name; all become U+00B7.
_NAME_DOTS = {cp: "·" for cp in (0x2022, 0x30FB, 0x2027, 0xFF0E, 0xFF65, 0x2219, 0x22C5, 0x0387, 0x2E31, 0x2E)}
_NAME_TABLE = {**TEXT_TABLE, **_NAME_DOTS}


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
    pasted text brings along (``INVISIBLE``) were already dropped before this check.
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
    if is_number(raw) or isinstance(raw, bool):
        raise ValidationError("name_format", f"姓名不能是数字（{show(raw)}）")
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
            f"姓名含不可见字符（U+{ord(hidden):04X}），请删除后重新输入（{show(out.replace(hidden, ''))}）")
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
            raise ValidationError("name_format", f"姓名不能含数字（{show(out)}）")
        if _is_mark(ch) and prev and (prev.isalpha() or _is_mark(prev)):
            continue  # accents, variation selectors of rare characters
        if ch == "·":
            raise ValidationError("name_format", f"姓名不能以“·”开头或结尾（{show(out)}）")
        raise ValidationError("name_format", f"姓名含无效字符“{ch}”（{show(out)}）")
    if not 2 <= len(out) <= 20:
        raise ValidationError("name_length", f"姓名应为2-20个字（{show(out)}，{len(out)}个字）")
    return out


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")
