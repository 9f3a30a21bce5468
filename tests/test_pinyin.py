"""The shipped pinyin-initials table matches pypinyin, and the search initials read right."""

from __future__ import annotations

from importlib import resources

import pytest

from desktop.pinyin import TABLE, build_table, initials


def test_table_is_what_pypinyin_gives() -> None:
    pytest.importorskip("pypinyin")
    shipped = (resources.files("resources") / TABLE).read_text(encoding="utf-8")
    assert shipped == build_table(), "regenerate with: python -m desktop.pinyin"


@pytest.mark.parametrize(("name", "expected"), [
    ("张三", "zs"), ("欧阳娜娜", "oynn"), ("曾志伟", "zzw"), ("单雄信", "sxx"),
    ("阿卜杜·热合曼", "abdrhm"), ("Anna李", "annal"), ("", ""),
])
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_rare_characters_do_not_break_initials() -> None:
    assert initials("𠮷祥").endswith("x")
    assert initials("王䶮").startswith("w")
