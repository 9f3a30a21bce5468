"""星级工会's rules as pure functions: the stages, who may apply for which level, the scores. No
Qt, no session: the tests call them directly and ``applications`` calls them before it writes.

- Stages (``WORKFLOW``): 申报 → 自评 → 镇初审 → 县评定 → 命名 → 回头看, or 未通过 with a reason
  before naming. Reaching 自评, 镇初审 or 县评定 means that assessment is done: its score for
  every item of the standard is entered.
- Only a union that has been founded (建会情况 单独建会 or 联合会覆盖) may apply.
- Levels climb one at a time: a union with no level applies for 三星 first, a 三星 union for
  四星, a 四星 union for 五星 (000: 从“三星级规范达标工会”开始不断升级至“五星级示范工会”).
- A score is a number from 0 to the item's maximum, in steps of 0.5 or 0.1 (one decimal).
- Naming needs the county's total at or above the level's pass mark.
- 回头看 keeps a level (保持), lowers it one level (降级) or revokes it (撤销), the last two with a
  reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from db.errors import ValidationError
from desktop.programmes.core.selection import FAILED, Stage, Workflow

PROGRAMME = "star_unions"
APPLY, SELF, TOWN, COUNTY, NAMED, REVIEW = "apply", "self", "town", "county", "named", "review"
WORKFLOW = Workflow(
    stages=(Stage(APPLY, "申报"), Stage(SELF, "自评"), Stage(TOWN, "镇初审"), Stage(COUNTY, "县评定"),
            Stage(NAMED, "命名"), Stage(REVIEW, "回头看")),
    named=NAMED, publicity=None, failed_label="未通过")
#: The assessments and the score column each fills (StarScore).
SCORED: dict[str, str] = {SELF: "self_score", TOWN: "town_score", COUNTY: "county_score"}
KEEP, LOWER, REVOKE = "keep", "lower", "revoke"
#: How a holding ended at 回头看 starts (Holding.end_reason: 回头看降级：原因).
LOWERED, REVOKED = "回头看降级", "回头看撤销"
FOUNDED = ("own", "federation")
#: What a unit's level is called in lists (the organisations register's column, the roll).
LEVEL_LABEL = "星级"


@dataclass(frozen=True)
class Level:
    """A level as the rules see it (from StarLevel)."""

    code: str
    rank: int
    title: str
    threshold: int


def fmt(value: Decimal | float | int | None) -> str:
    """A score as printed: 12, 12.5 (never 12.0); empty for none."""
    if value is None:
        return ""
    d = Decimal(str(value)).quantize(Decimal("0.1"))
    return f"{d:f}".removesuffix(".0")


def union_name(organisation: str) -> str:
    """The union's own name: 宁波某某有限公司 -> 宁波某某有限公司工会 (unless it ends with 工会)."""
    name = organisation.strip()
    return name if name.endswith("工会") else f"{name}工会"


def check_founded(organisation: str, union_form: str | None) -> None:
    if union_form not in FOUNDED:
        raise ValidationError("not_founded", f"{organisation}尚未建立工会（建会情况：未建会），不能申报星级工会；"
                                             "请先在“单位”名册中登记建会情况")


def next_level(levels: Sequence[Level], current: Level | None) -> Level | None:
    """The only level a union may apply for: 三星 with none yet, else the one above (None at the top)."""
    ordered = sorted(levels, key=lambda lv: lv.rank)
    if current is None:
        return ordered[0] if ordered else None
    return next((lv for lv in ordered if lv.rank > current.rank), None)


def level_below(levels: Sequence[Level], current: Level) -> Level | None:
    lower = [lv for lv in levels if lv.rank < current.rank]
    return max(lower, key=lambda lv: lv.rank) if lower else None


def check_climb(unit: str, levels: Sequence[Level], current: Level | None, wanted: Level,
                when: str = "申报") -> None:
    """Refuse a level that is not the next one up (the message names the unit and both levels)."""
    allowed = next_level(levels, current)
    if allowed is not None and allowed.code == wanted.code:
        return
    held = f"现为{current.title}" if current is not None else "尚未评定星级"
    if allowed is None:
        raise ValidationError("level_top", f"{unit}{held}，已是最高星级，不能{when}{wanted.title}")
    if current is not None and wanted.rank <= current.rank:
        raise ValidationError("level_held", f"{unit}{held}，不能{when}{wanted.title}（星级逐级晋升，只能申报{allowed.title}）")
    raise ValidationError("level_skip", f"{unit}{held}，不能{when}{wanted.title}：星级工会须逐级创建，"
                                        f"只能申报{allowed.title}")


def parse_score(value: object, most: int, item: str) -> Decimal | None:
    """A score typed for ``item``: empty is none; refused outside 0..most or with two decimals."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        d = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError("score_invalid", f"“{item}”的得分“{value}”不是数字") from None
    if not d.is_finite():
        raise ValidationError("score_invalid", f"“{item}”的得分“{value}”不是数字")
    if d < 0:
        raise ValidationError("score_range", f"“{item}”的得分不能为负数（{fmt(d)}）")
    if d > most:
        raise ValidationError("score_range", f"“{item}”的得分 {fmt(d)} 超过该项分值 {most} 分")
    if d != d.quantize(Decimal("0.1")):
        raise ValidationError("score_invalid", f"“{item}”的得分最多保留一位小数（{value}）")
    return d.quantize(Decimal("0.1"))


def missing(items: Iterable[tuple[str, Decimal | None]]) -> list[str]:
    """The items (their text) with no score."""
    return [text for text, score in items if score is None]


def check_complete(stage_label: str, unscored: Sequence[str]) -> None:
    if unscored:
        shown = "、".join(f"“{t}”" for t in unscored[:3]) + ("等" if len(unscored) > 3 else "")
        raise ValidationError("scores_missing", f"{stage_label}评分尚未完成：{len(unscored)} 项未评分（{shown}）")


def check_threshold(unit: str, level: Level, total: Decimal | None) -> None:
    if total is None or total < level.threshold:
        got = f"{fmt(total)} 分" if total is not None else "（未评分）"
        raise ValidationError("below_threshold", f"{unit}县评定得分 {got}，低于{level.title}的达标分数 {level.threshold} 分，"
                                                 "不能命名（可设为未通过）")


def scoring_stages(stage: str) -> list[str]:
    """The assessments whose scores may be entered now: the next one, and the one just reached
    (to correct it) until a later one is done; none once named or failed."""
    if stage == FAILED or WORKFLOW.reached(stage, NAMED):
        return []
    order = [APPLY, SELF, TOWN, COUNTY]
    i = order.index(stage) if stage in order else -1
    out = [order[i]] if order[i] in SCORED else []
    if i + 1 < len(order):
        out.append(order[i + 1])
    return out


def check_review(result: str, reason: str | None, level: Level, below: Level | None) -> None:
    if result not in (KEEP, LOWER, REVOKE):
        raise ValidationError("review_unknown", f"未知的回头看结果：{result}")
    if result != KEEP and not (reason or "").strip():
        raise ValidationError("reason_missing", "降级或撤销须填写原因")
    if result == LOWER and below is None:
        raise ValidationError("review_lowest", f"{level.title}已是最低星级，不能降级，请选择撤销")
