"""Pinyin initials for the search box (张三 -> zs), cached per character."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=20000)
def _initial(ch: str) -> str:
    if ch.isascii():
        return ch.lower() if ch.isalnum() else ""
    from pypinyin import Style, lazy_pinyin

    out = lazy_pinyin(ch, style=Style.FIRST_LETTER, errors="ignore")
    return out[0][:1].lower() if out and out[0] else ""


def initials(name: str | None) -> str:
    return "".join(_initial(ch) for ch in name or "")
