"""Issue 12: the Chinese line breaker of certificate fields (reports/certificates/breaking.py).

Each case is a field ``k`` ems wide at 10 pt with a fixed size, so the lines are the breaker's
choice alone; the old greedy breaker (GLUE_MAX = 8, no widow control, tracked quotes) failed them.
"""

from __future__ import annotations

import pytest

from reports.certificates.layout import NAME_GAP, Placed
from reports.certificates.model import Template, TextField
from reports.certificates.render import Job
from reports.fonts import FontSet
from reports.linebreak import NO_END, NO_START, SOFT

PT_PER_MM = 72 / 25.4
PUNCT = NO_START | NO_END | {"\u3000", " "}


def _job(fontset: FontSet, text: str, ems: float, **kw: object) -> Job:
    em = 10 / PT_PER_MM  # 10 pt in mm
    field = TextField("p", text, 0, 0, ems * em + 0.01, 60, size=10, min_size=10, align="left", valign="top",
                      **kw)  # type: ignore[arg-type]
    return Job(Template(key="t", title="t", page=(200, 100), fields=[field]), fontset)


def lines_of(placed: Placed) -> list[str]:
    out: dict[int, str] = {}
    for r in placed.runs:
        out[r.line] = out.get(r.line, "") + r.text
    return [out[k] for k in sorted(out)]


def lay(fontset: FontSet, text: str, ems: float, record: dict[str, object] | None = None, **kw: object) -> list[str]:
    job = _job(fontset, text, ems, **kw)
    return lines_of(job.place(job.fitters[0], record or {}))


def _rules_kept(lines: list[str]) -> None:
    for line in lines:
        assert line[0] not in NO_START, lines
        assert line[-1] not in NO_END, lines


def test_a_value_longer_than_eight_characters_stays_whole_where_it_fits(fontset: FontSet) -> None:
    unit = "宁波舜威精密模具有限公司"  # 12 characters: the old code glued only values of <= 8
    got = lay(fontset, "甲乙丙{unit}", 14, {"unit": unit})
    assert got == ["甲乙丙", unit]


def test_a_value_wider_than_a_line_breaks_at_soft_first(fontset: FontSet) -> None:
    event = "二〇二六年宁海县职工职业技能竞赛" + SOFT + "数控铣工项目"
    got = lay(fontset, "在{event}中荣获{award}", 19, {"event": event, "award": "一等奖"})
    assert got[0] == "在二〇二六年宁海县职工职业技能竞赛", got
    assert "数控铣工项目" in got[1] and "一等奖" in got[-1]
    assert SOFT not in "".join(got)  # never drawn


def test_quoted_title_and_literal_words_stay_whole(fontset: FontSet) -> None:
    deed = "被确定为二〇二六年度“红色工匠”培育对象"
    for ems in (11, 13, 15, 17):
        got = lay(fontset, "　　{deed}，特发此证，以资鼓励。", ems, {"deed": deed})
        text = "".join(got)
        assert text == "\u3000\u3000" + deed + "，特发此证，以资鼓励。"
        _rules_kept(got)
        assert any("“红色工匠”" in line for line in got), (ems, got)
        assert any("特发此证" in line for line in got) and any("以资鼓励" in line for line in got), (ems, got)
    # the template's own words: 成绩优 / 异 and 项目中荣 / 获 were the old breaks
    got = lay(fontset, "一二三四五六七，成绩优异，特发此证", 10)
    assert got == ["一二三四五六七，", "成绩优异，特发此证"], got
    got = lay(fontset, "{event}项目中荣获三等奖", 10, {"event": "甲乙丙丁戊己"})
    assert any("中荣获三等奖" in line for line in got), got


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(fontset: FontSet) -> None:
    text = "评分保留两位小数，（含）平均分《规程》“工匠”……合计：一二三四五六七八九十！"
    for ems in range(4, 20):
        _rules_kept(lay(fontset, text, ems))


def test_widow_control_last_line_has_three_characters(fontset: FontSet) -> None:
    text = "一二三四五六七八九十甲乙"  # a long run of literal text may break anywhere
    got = lay(fontset, text, 10)
    assert "".join(got) == text and len(got) == 2
    assert sum(ch not in PUNCT for ch in got[-1]) >= 3, got  # the old breaker left 甲乙
    got = lay(fontset, "　　{deed}，以资鼓励。", 12, {"deed": "在二〇二六年宁海县职工技能竞赛中表现突出"})
    assert sum(ch not in PUNCT for ch in got[-1]) >= 3, got


def test_the_name_is_never_broken_and_latin_words_stay_whole(fontset: FontSet) -> None:
    name = "阿卜杜·热合曼·买买提"
    for ems in range(12, 30):
        got = lay(fontset, "{unit}{name}同志：", ems, {"unit": "宁波恒拓五金工具有限公司工会", "name": name})
        assert any(name in line for line in got), (ems, got)
        _rules_kept(got)
    assert lay(fontset, "一二三UD-01", 5) == ["一二三", "UD-01"]


def test_tracked_quotes_stay_tight(fontset: FontSet) -> None:
    job = _job(fontset, "“红色工匠”称号", 40, tracking=0.5)
    placed = job.place(job.fitters[0], {})
    spacing = {}
    for r in placed.runs:
        for ch in r.text:
            spacing[ch] = r.char_space
    assert spacing["“"] == 0 and spacing["匠"] == 0  # after the opening, before the closing quote
    assert spacing["红"] == pytest.approx(5.0) and spacing["”"] == pytest.approx(5.0)


def test_two_character_name_gets_a_full_width_gap(fontset: FontSet) -> None:
    job = _job(fontset, "{name}同志：", 40, spaced_name=True)
    placed = job.place(job.fitters[0], {"name": "张三"})
    first = next(r for r in placed.runs if r.text.startswith("张"))
    assert NAME_GAP == 1.0 and first.char_space == pytest.approx(10.0)  # 1 em at 10 pt
