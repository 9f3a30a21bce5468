"""Pinyin initials for the search box (张三 -> zs).

The initials come from a compact table in ``resources/pinyin_initials.txt``, generated from
pypinyin's dictionary by :func:`build_table` (``python -m desktop.pinyin``): loading
pypinyin itself costs half a second, the table a millisecond. A test keeps the two equal.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path

TABLE = "pinyin_initials.txt"
BLOCK_START, BLOCK_END = 0x3400, 0x9FFF  # CJK Extension A and the URO, one letter each
# Surnames read differently from the character's first reading (曾 zēng, not céng).
SURNAMES = {"曾": "z", "单": "s", "解": "x", "仇": "q", "区": "o", "朴": "p", "查": "z", "盖": "g",
            "尉": "y", "乐": "y", "种": "c", "繁": "p", "员": "y", "覃": "q", "翟": "z", "缪": "m"}


@cache
def _table() -> tuple[str, dict[int, str]]:
    text = (resources.files("resources") / TABLE).read_text(encoding="utf-8")
    lines = text.splitlines()
    block = lines[0]
    extra = {int(cp, 16): letter for cp, letter in (line.split() for line in lines[1:] if line.strip())}
    return block, extra


def _initial(ch: str) -> str:
    if ch.isascii():
        return ch.lower() if ch.isalnum() else ""
    block, extra = _table()
    cp = ord(ch)
    if BLOCK_START <= cp <= BLOCK_END:
        letter = block[cp - BLOCK_START]
        return "" if letter == "-" else letter
    return extra.get(cp, "")


def initials(name: str | None) -> str:
    if not name:
        return ""
    first = SURNAMES.get(name[0])
    rest = "".join(_initial(ch) for ch in name[1:])
    return (first if first is not None else _initial(name[0])) + rest


def build_table() -> str:  # pragma: no cover - exercised by the table test
    """The table's text from pypinyin (a developer dependency)."""
    from pypinyin.pinyin_dict import pinyin_dict

    def letter(cp: int) -> str:
        reading = pinyin_dict.get(cp)
        if not reading:
            return "-"
        first = unicodedata.normalize("NFKD", reading.split(",")[0])[:1].lower()
        return first if first.isascii() and first.isalpha() else "-"

    block = "".join(letter(cp) for cp in range(BLOCK_START, BLOCK_END + 1))
    extra = [f"{cp:x} {letter(cp)}" for cp in sorted(pinyin_dict)
             if not BLOCK_START <= cp <= BLOCK_END and cp > 0x7F and letter(cp) != "-"]
    return "\n".join([block, *extra]) + "\n"


if __name__ == "__main__":  # pragma: no cover
    target = Path(str(resources.files("resources") / TABLE))
    target.write_text(build_table(), encoding="utf-8")
    print(f"wrote {target}")
