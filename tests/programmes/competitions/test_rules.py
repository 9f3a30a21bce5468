"""The competition rules without Qt or a database: marks, totals, ties, prize tiers, messages."""

from __future__ import annotations

import pytest

from db.errors import ValidationError
from desktop.programmes.competitions import rules as r
from desktop.programmes.competitions.rules import EntryScores, EventRules


def test_weighted_total_uses_the_event_weights() -> None:
    assert r.weighted_total(80, 90) == 87.0  # 30/70 by default
    assert r.weighted_total(80, 90, 40, 60) == 86.0
    assert r.weighted_total(80, 90, 0, 100) == 90.0
    assert r.weighted_total(None, 90, 0, 100) == 90.0  # a part without weight need not be marked
    assert r.weighted_total(None, 90) is None  # still waiting for the theory mark
    assert r.weighted_total(85.55, 90.45) == 88.98  # 25.665 + 63.315, half up
    with pytest.raises(ValidationError) as info:
        r.check_weights(30, 60)
    assert "之和应为 100%" in info.value.message and "30% + 60%" in info.value.message
    assert r.check_weights("40", "60") == (40, 60)


def test_judges_averaged_and_extremes_dropped_only_with_three_or_more() -> None:
    assert r.judge_average([70, 90, 95]) == 85.0
    assert r.judge_average([70, 90, 95], drop_extremes=True) == 90.0
    assert r.judge_average([80, 90], drop_extremes=True) == 85.0  # two judges: nothing dropped
    assert r.judge_average([88], drop_extremes=True) == 88.0
    assert r.judge_average([60, 80, 80, 100, 90], drop_extremes=True) == 83.33  # one high, one low only
    assert r.judge_average([]) is None
    assert r.judge_average([None, 80, None]) == 80.0
    rules = EventRules(drop_extremes=True)
    o = r.score_entry(rules, EntryScores(1, {r.THEORY: [50, 80, 100], r.PRACTICAL: [70, 90]}))
    assert (o.theory, o.practical, o.total) == (80.0, 80.0, 80.0)


def test_individual_ties_practical_then_theory_then_shared_place() -> None:
    entries = [
        EntryScores(1, {r.THEORY: [90], r.PRACTICAL: [80]}),  # 83.0
        EntryScores(2, {r.THEORY: [76], r.PRACTICAL: [86]}),  # 83.0, better practical
        EntryScores(3, {r.THEORY: [90], r.PRACTICAL: [80]}),  # 83.0, same as 1 in every part
        EntryScores(4, {r.THEORY: [100], r.PRACTICAL: [100]}),
        EntryScores(5, {r.THEORY: [60]}),  # no practical mark: no place
    ]
    out = r.compute(EventRules(counts=(1, 1, 1, 0)), entries)
    assert {i: o.rank for i, o in out.items()} == {4: 1, 2: 2, 1: 3, 3: 3, 5: None}
    assert out[4].prize == "first" and out[2].prize == "second"
    assert out[1].prize == out[3].prize == "third"  # tied at the boundary: both get it
    assert out[5].prize is None and out[5].total is None


def test_theory_decides_when_total_and_practical_are_equal() -> None:
    # Same total and practical needs the same theory with these weights, so use 0/100 weights.
    rules = EventRules(theory_weight=0, practical_weight=100)
    out = r.compute(rules, [EntryScores(1, {r.THEORY: [70], r.PRACTICAL: [88]}),
                            EntryScores(2, {r.THEORY: [75], r.PRACTICAL: [88]})])
    assert out[2].rank == 1 and out[1].rank == 2


def test_team_total_is_required_plus_buzzer_and_the_extra_round_breaks_ties() -> None:
    rules = EventRules(kind=r.TEAM, counts=(1, 2, 5, 0))
    entries = [
        EntryScores(1, {r.ROUND_REQUIRED: [90], r.ROUND_BUZZER: [50], r.ROUND_EXTRA: [10]}),
        EntryScores(2, {r.ROUND_REQUIRED: [100], r.ROUND_BUZZER: [40], r.ROUND_EXTRA: [30]}),
        EntryScores(3, {r.ROUND_REQUIRED: [100], r.ROUND_BUZZER: [60]}),
        EntryScores(4, {r.ROUND_REQUIRED: [80], r.ROUND_BUZZER: [20]}),
        EntryScores(5, {r.ROUND_REQUIRED: [80], r.ROUND_BUZZER: [20]}),
    ]
    out = r.compute(rules, entries)
    assert out[3].total == 160 and out[1].total == out[2].total == 140  # 加赛 not added
    assert [out[i].rank for i in (3, 2, 1, 4, 5)] == [1, 2, 3, 4, 4]  # no 加赛 between 4 and 5: shared
    assert [out[i].prize for i in (3, 2, 1, 4, 5)] == ["first", "second", "second", "third", "third"]
    assert r.team_total({r.ROUND_EXTRA: [30]}) is None


def test_tiers_by_share_round_down_but_at_least_one() -> None:
    assert r.tier_sizes(13, r.SHARE, (0, 0, 0, 0), (10, 20, 30, 0)) == (1, 2, 3, 0)
    assert r.tier_sizes(5, r.SHARE, (0, 0, 0, 0), (10, 15, 30, 20)) == (1, 1, 1, 1)  # 0.5, 0.75 -> 1
    assert r.tier_sizes(39, r.SHARE, (0, 0, 0, 0), (5, 10, 20, 0)) == (1, 3, 7, 0)
    assert r.tier_sizes(2, r.SHARE, (0, 0, 0, 0), (10, 10, 10, 10)) == (1, 1, 0, 0)  # never more than entries
    assert r.tier_sizes(0, r.SHARE, (0, 0, 0, 0), (10, 20, 30, 0)) == (0, 0, 0, 0)
    assert r.tier_sizes(13, r.COUNT, (1, 2, 5, 0), (0, 0, 0, 0)) == (1, 2, 5, 0)
    assert r.tier_sizes(4, r.COUNT, (1, 2, 5, 0), (0, 0, 0, 0)) == (1, 2, 1, 0)
    with pytest.raises(ValidationError) as info:
        r.tier_sizes(10, r.SHARE, (0, 0, 0, 0), (50, 40, 20, 0))
    assert "不能超过 100%" in info.value.message
    with pytest.raises(ValidationError):
        r.tier_sizes(10, r.COUNT, (-1, 0, 0, 0), (0, 0, 0, 0))


def test_everyone_tied_at_a_boundary_gets_the_higher_prize() -> None:
    # places 1, 2, 2, 2, 5, 6: two second prizes planned, three tie for them.
    ranks = {1: 1, 2: 2, 3: 2, 4: 2, 5: 5, 6: 6}
    prizes = r.assign_prizes(ranks, (1, 2, 2, 0))
    assert prizes == {1: "first", 2: "second", 3: "second", 4: "second", 5: "third", 6: None}
    # a tie for first place: both first; the tie used up place 2, so place 3 is the next tier's
    assert r.assign_prizes({1: 1, 2: 1, 3: 3, 4: 4}, (1, 1, 0, 1)) == {1: "first", 2: "first", 3: "merit", 4: None}
    # an empty tier is skipped, not a gap in places
    assert r.assign_prizes({1: 1, 2: 2}, (1, 0, 1, 0)) == {1: "first", 2: "third"}


def test_ranks_are_shared_places() -> None:
    assert r.rank({1: (90.0,), 2: (95.0,), 3: (90.0,), 4: (80.0,)}) == {2: 1, 1: 2, 3: 2, 4: 4}


@pytest.mark.parametrize(("raw", "part", "code", "words"), [
    ("abc", r.THEORY, "score_not_number", "理论成绩“abc”不是数字"),
    ("8５.5.1", r.PRACTICAL, "score_not_number", "不是数字"),
    ("nan", r.THEORY, "score_not_number", "不是数字"),
    (True, r.THEORY, "score_not_number", "不是数字"),
    ("105", r.PRACTICAL, "score_out_of_range", "实操成绩 105 超出范围，应在 0–100 分之间"),
    (-0.5, r.THEORY, "score_out_of_range", "超出范围"),
    ("-10", r.ROUND_BUZZER, "score_negative", "抢答得分 -10 不能为负数"),
])
def test_invalid_marks_refused_with_a_chinese_message(raw: object, part: str, code: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        r.parse_score(raw, part)
    assert info.value.code == code
    assert words in info.value.message


def test_marks_accepted_in_the_forms_clerks_type() -> None:
    assert r.parse_score("85.5", r.THEORY) == 85.5
    assert r.parse_score("８５．５", r.THEORY) == 85.5  # full-width digits and point
    assert r.parse_score(" 90分 ", r.PRACTICAL) == 90.0
    assert r.parse_score("88.456", r.PRACTICAL) == 88.46
    assert r.parse_score(100, r.PRACTICAL) == 100.0
    assert r.parse_score("", r.THEORY) is None and r.parse_score(None, r.THEORY) is None
    assert r.parse_score("150", r.ROUND_REQUIRED) == 150.0  # rounds are not capped at 100
    assert r.parse_score(0, r.ROUND_EXTRA) == 0.0


def test_medal_only_for_an_individual_first_place() -> None:
    assert r.medal_problem(r.INDIVIDUAL, 1) is None
    assert "第一名" in (r.medal_problem(r.INDIVIDUAL, 2) or "")
    assert "团体" in (r.medal_problem(r.TEAM, 1) or "")


def test_event_title_and_summary() -> None:
    assert r.event_title("2026年宁海县职工职业技能竞赛", "数控铣工") == "2026年宁海县职工职业技能竞赛数控铣工项目"
    assert r.event_title("2026年跃龙街道集体协商技能比武大赛", "集体协商") == "2026年跃龙街道集体协商技能比武大赛"
    out = r.compute(EventRules(counts=(1, 1, 0, 0)), [EntryScores(i, {r.THEORY: [v], r.PRACTICAL: [v]})
                                                     for i, v in ((1, 90), (2, 80), (3, 70))])
    assert r.prize_summary(out) == "一等奖 1 名，二等奖 1 名"
