"""星级工会's rules without a database: the stages, the one-step climb, scores, 回头看."""

from __future__ import annotations

from decimal import Decimal

import pytest

from db.errors import ValidationError
from desktop.programmes.core.selection import FAILED, check_move
from desktop.programmes.star_unions import rules
from desktop.programmes.star_unions.rules import WORKFLOW, Level

THREE, FOUR, FIVE = Level("three", 3, "三星级规范达标工会", 60), Level("four", 4, "四星级规范活力工会", 75), \
    Level("five", 5, "五星级示范工会", 90)
LEVELS = [FIVE, THREE, FOUR]  # any order


def test_stages_in_order_and_failure_before_naming_only() -> None:
    assert [s.label for s in WORKFLOW.stages] == ["申报", "自评", "镇初审", "县评定", "命名", "回头看"]
    assert WORKFLOW.publicity is None
    check_move(WORKFLOW, rules.APPLY, rules.SELF)
    check_move(WORKFLOW, rules.NAMED, rules.REVIEW)
    with pytest.raises(ValidationError, match="请按顺序推进"):
        check_move(WORKFLOW, rules.APPLY, rules.TOWN)
    with pytest.raises(ValidationError, match="不能退回"):
        check_move(WORKFLOW, rules.COUNTY, rules.SELF)
    with pytest.raises(ValidationError, match="原因"):
        check_move(WORKFLOW, rules.TOWN, FAILED, "  ")
    check_move(WORKFLOW, rules.TOWN, FAILED, "经费未足额拨缴")
    with pytest.raises(ValidationError, match="已命名"):
        check_move(WORKFLOW, rules.NAMED, FAILED, "x")
    with pytest.raises(ValidationError, match="没有下一阶段"):
        check_move(WORKFLOW, rules.REVIEW, rules.NAMED)


def test_only_founded_unions_apply() -> None:
    rules.check_founded("甲公司", "own")
    rules.check_founded("乙公司", "federation")
    for form in ("none", None, ""):
        with pytest.raises(ValidationError, match="丙公司尚未建立工会"):
            rules.check_founded("丙公司", form)


def test_levels_climb_one_at_a_time() -> None:
    assert rules.next_level(LEVELS, None) == THREE
    assert rules.next_level(LEVELS, THREE) == FOUR
    assert rules.next_level(LEVELS, FOUR) == FIVE
    assert rules.next_level(LEVELS, FIVE) is None
    rules.check_climb("甲工会", LEVELS, None, THREE)
    rules.check_climb("甲工会", LEVELS, THREE, FOUR)
    with pytest.raises(ValidationError, match=r"甲工会尚未评定星级.*须逐级创建.*只能申报三星级规范达标工会") as e:
        rules.check_climb("甲工会", LEVELS, None, FOUR)
    assert e.value.code == "level_skip"
    with pytest.raises(ValidationError, match="只能申报五星级示范工会"):
        rules.check_climb("甲工会", LEVELS, FOUR, FOUR)
    with pytest.raises(ValidationError, match="已是最高星级"):
        rules.check_climb("甲工会", LEVELS, FIVE, FIVE)
    with pytest.raises(ValidationError, match="不能命名五星级"):
        rules.check_climb("甲工会", LEVELS, THREE, FIVE, "命名")
    assert rules.level_below(LEVELS, FIVE) == FOUR and rules.level_below(LEVELS, THREE) is None


def test_scores_and_the_pass_mark() -> None:
    assert rules.parse_score("4.5", 5, "有牌子") == Decimal("4.5")
    assert rules.parse_score(" ", 5, "有牌子") is None and rules.parse_score(None, 5, "x") is None
    with pytest.raises(ValidationError, match="“有牌子”的得分 6 超过该项分值 5 分"):
        rules.parse_score("6", 5, "有牌子")
    with pytest.raises(ValidationError, match="不能为负数"):
        rules.parse_score(-1, 5, "有牌子")
    with pytest.raises(ValidationError, match="不是数字"):
        rules.parse_score("五", 5, "有牌子")
    with pytest.raises(ValidationError, match="一位小数"):
        rules.parse_score("4.25", 5, "有牌子")
    rules.check_threshold("甲工会", FOUR, Decimal(75))
    with pytest.raises(ValidationError, match=r"甲工会县评定得分 74\.5 分，低于四星级规范活力工会的达标分数 75 分"):
        rules.check_threshold("甲工会", FOUR, Decimal("74.5"))
    with pytest.raises(ValidationError, match="未评分"):
        rules.check_threshold("甲工会", THREE, None)
    with pytest.raises(ValidationError, match="2 项未评分"):
        rules.check_complete("镇初审", rules.missing([("a", None), ("b", Decimal(1)), ("c", None)]))
    assert rules.fmt(Decimal("87.0")) == "87" and rules.fmt(Decimal("87.5")) == "87.5" and rules.fmt(None) == ""


def test_which_assessment_may_be_scored() -> None:
    assert rules.scoring_stages(rules.APPLY) == [rules.SELF]
    assert rules.scoring_stages(rules.SELF) == [rules.SELF, rules.TOWN]
    assert rules.scoring_stages(rules.TOWN) == [rules.TOWN, rules.COUNTY]
    assert rules.scoring_stages(rules.COUNTY) == [rules.COUNTY]
    assert rules.scoring_stages(rules.NAMED) == [] == rules.scoring_stages(FAILED) == rules.scoring_stages(rules.REVIEW)


def test_review_results() -> None:
    rules.check_review(rules.KEEP, None, FOUR, THREE)
    with pytest.raises(ValidationError, match="须填写原因"):
        rules.check_review(rules.LOWER, "", FOUR, THREE)
    with pytest.raises(ValidationError, match="最低星级"):
        rules.check_review(rules.LOWER, "阵地关闭", THREE, None)
    rules.check_review(rules.REVOKE, "工会已撤销", THREE, None)


def test_union_names() -> None:
    assert rules.union_name("宁波某某有限公司") == "宁波某某有限公司工会"
    assert rules.union_name("桃源街道总工会") == "桃源街道总工会"
