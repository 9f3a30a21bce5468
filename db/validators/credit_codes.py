"""Unified social credit codes (统一社会信用代码, GB 32100) and their check character."""

from __future__ import annotations

from typing import Any

from db.errors import ValidationError
from db.validators.text import clean_text, compact, integral, is_number, show

_CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUE = {c: i for i, c in enumerate(_CREDIT_CHARSET)}
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_check_char(body17: str) -> str:
    """The GB 32100 check character of the first 17 characters of a credit code."""
    if not (isinstance(body17, str) and len(body17) == 17 and all(c in _CREDIT_VALUE for c in body17)):
        raise ValidationError("credit_code_invalid", f"统一社会信用代码前17位含无效字符（{show(body17)}）")
    total = sum(_CREDIT_VALUE[c] * w for c, w in zip(body17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARSET[(31 - total % 31) % 31]


def credit_code(raw: Any) -> str | None:
    """Validate a unified social credit code (GB 32100); empty gives None."""
    if is_number(raw):
        whole = integral(raw)
        text = str(whole) if whole is not None and 0 <= whole < 10**18 else show(raw)
    else:
        text = compact(clean_text(raw)).upper()
    if not text:
        return None
    if len(text) != 18:
        raise ValidationError("credit_code_invalid", f"统一社会信用代码应为18位（{show(text)}，{len(text)}位）")
    bad = [c for c in text if c not in _CREDIT_VALUE]
    if bad:
        raise ValidationError(
            "credit_code_invalid", f"统一社会信用代码含无效字符“{bad[0]}”（{text}）"
        )
    if credit_check_char(text[:17]) != text[17]:
        raise ValidationError("credit_code_invalid", f"统一社会信用代码校验位错误（{text}）")
    return text
