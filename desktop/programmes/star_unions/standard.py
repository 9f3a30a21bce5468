"""星级工会's standard as data: the three levels (with their pass marks and plaque words) and the
scored items under the six areas of the 000 five-star exhibition. No Qt.

The seeds name the areas and the "六有"/"五好" idea but never list the items; the defaults here
are a starting point the clerk edits on the 评分标准 page to match the county union's own
standard (the pass marks too). Writes work inside the caller's transaction.
"""

from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from db.errors import ValidationError
from db.models.star_unions import StarItem, StarLevel, StarScore
from desktop.programmes.core.records import get_or_refuse, in_order

#: (code of the star_level choice list, rank, title printed on the plaque, default pass mark)
LEVELS: tuple[tuple[str, int, str, int], ...] = (
    ("three", 3, "三星级规范达标工会", 60),
    ("four", 4, "四星级规范活力工会", 75),
    ("five", 5, "五星级示范工会", 90),
)

#: The six areas (000: 组织机构建立健全、工会阵地打造、和谐劳动关系构建、丰富多彩活动开展、
#: 职工权益真正落地、经费管理有道), each with its items: (item, most it scores, evidence asked).
#: The maximum scores add up to 100.
ITEMS: tuple[tuple[str, tuple[tuple[str, int, str], ...]], ...] = (
    ("组织机构建立健全", (
        ("依法建立工会组织并按期换届（有组织）", 5, "建会批复、换届选举批复"),
        ("配备工会主席，工会委员会、经费审查委员会、女职工委员会健全（有主席）", 5, "主席任职文件、委员分工名单"),
        ("会员入会率达到90%以上，会员信息实名录入", 5, "会员名册、入会申请书"),
        ("工作有计划有总结，重要事项集体研究（有制度）", 5, "年度计划、工作总结、会议记录"),
    )),
    ("工会阵地打造", (
        ("在醒目位置悬挂工会标牌（有牌子）", 3, "现场照片"),
        ("有固定的工会办公场所（有阵地）", 5, "现场查看"),
        ("建有职工之家（活动室、阅览室、母婴室等）并正常开放", 8, "照片、开放记录"),
        ("规章制度上墙，会务公开", 4, "制度文本、公开栏照片"),
    )),
    ("和谐劳动关系构建", (
        ("建立职工代表大会制度，每年至少召开一次", 5, "职代会会议记录、决议"),
        ("开展工资集体协商，签订集体合同或工资专项集体合同", 6, "集体合同文本、备案表"),
        ("建立劳动争议调解组织，无重大劳资纠纷", 4, "调解委员会名单、调解台账"),
    )),
    ("丰富多彩活动开展", (
        ("每年组织文体活动不少于4次（有活动）", 5, "活动通知、照片"),
        ("开展劳动和技能竞赛、岗位练兵或“五小”创新", 5, "竞赛方案、获奖名单"),
        ("开展职工书屋、读书分享等职工文化活动", 5, "活动记录"),
    )),
    ("职工权益真正落地", (
        ("开展送温暖、金秋助学等帮扶，建立困难职工档案", 5, "帮扶台账"),
        ("组织健康体检、疗休养或职工医疗互助保障", 5, "体检名单、参保名单"),
        ("签订女职工特殊权益保护专项集体合同", 5, "专项合同文本"),
    )),
    ("经费管理有道", (
        ("按规定足额拨缴工会经费", 6, "拨缴凭证"),
        ("独立设立经费账户（或由联合会代管），财务制度健全", 5, "账户证明、财务制度"),
        ("经费收支公开，经审会审查，资料归档（有档案）", 4, "审查报告、档案目录"),
    )),
)

def defaults(session: Session) -> None:
    """The default standard, into empty tables only (a new or upgraded database, after a demo
    wipe). Standard data, not a clerk's change: written without audit entries, so a new database
    holds no log until someone works in it."""
    if not session.scalar(select(func.count()).select_from(StarLevel)):
        session.execute(insert(StarLevel), [{"code": code, "rank": rank, "title": title, "threshold": threshold}
                                            for code, rank, title, threshold in LEVELS])
    if not session.scalar(select(func.count()).select_from(StarItem)):
        rows = [{"dimension": dimension, "item": item, "max_score": most, "evidence": evidence, "retired": False}
                for dimension, items_ in ITEMS for item, most, evidence in items_]
        session.execute(insert(StarItem), [{**row, "sort_order": i * 10} for i, row in enumerate(rows, 1)])


def levels(session: Session) -> list[StarLevel]:
    """The levels, lowest first (三星 → 五星)."""
    return list(session.scalars(select(StarLevel).order_by(StarLevel.rank)))


def items(session: Session, *, with_retired: bool = False) -> list[StarItem]:
    return in_order(session, StarItem, StarItem.sort_order, StarItem.id, with_retired=with_retired)


def level(session: Session, code: str | None) -> StarLevel:
    return get_or_refuse(session, StarLevel, code or None, f"未知的星级：{code or '（未填写）'}，请在“评分标准”页设置星级",
                         "level_unknown")


def full_marks(session: Session) -> int:
    """The standard's total (the sum of the items in use)."""
    return int(session.scalar(select(func.coalesce(func.sum(StarItem.max_score), 0))
                              .where(StarItem.retired.is_(False))) or 0)


# -- the clerk's edits --------------------------------------------------------------------------------


def _text(value: object, what: str, limit: int, *, required: bool = True) -> str | None:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise ValidationError("value_missing", f"请填写{what}")
    if len(text) > limit:
        raise ValidationError("value_length", f"{what}不能超过 {limit} 个字（现有 {len(text)} 个字）")
    return text or None


def _int(value: object, what: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError("value_invalid", f"{what}“{value}”不是整数") from None
    if not low <= number <= high:
        raise ValidationError("value_range", f"{what}应在 {low}～{high} 之间（现为 {number}）")
    return number


def save_level(session: Session, code: str, title: object, threshold: object) -> StarLevel:
    """A level's plaque words and pass mark (its code and rank are fixed: 三星 → 五星)."""
    lv = level(session, code)
    lv.title = _text(title, "称号", 40) or lv.title
    lv.threshold = _int(threshold, f"{lv.title}的达标分数", 0, 1000)
    others = {o.rank: o for o in levels(session) if o.code != lv.code}
    below, above = others.get(lv.rank - 1), others.get(lv.rank + 1)
    if below is not None and lv.threshold < below.threshold:
        raise ValidationError("threshold_order", f"{lv.title}的达标分数（{lv.threshold}）不能低于{below.title}（{below.threshold}）")
    if above is not None and lv.threshold > above.threshold:
        raise ValidationError("threshold_order", f"{lv.title}的达标分数（{lv.threshold}）不能高于{above.title}（{above.threshold}）")
    session.flush()
    return lv


def save_item(session: Session, item_id: int | None, dimension: object, item: object, max_score: object,
              evidence: object, *, retired: bool = False) -> StarItem:
    """A new scored item (at the end of its area) or an item changed."""
    dim = _text(dimension, "评分项目", 40)
    text = _text(item, "评分内容", 200)
    most = _int(max_score, f"“{text}”的分值", 1, 100)
    if item_id is None:
        it = StarItem(dimension=dim, item=text, max_score=most)
        ordered = items(session, with_retired=True)
        at = max((i for i, o in enumerate(ordered) if o.dimension == dim), default=len(ordered) - 1) + 1
        ordered.insert(at, it)  # after the last item of its area (a new area: at the end)
        for i, o in enumerate(ordered, 1):
            o.sort_order = i * 10
        session.add(it)
    else:
        it = get_or_refuse(session, StarItem, item_id, "评分内容已不存在（可能已被删除）")
        given = [v for row in session.execute(select(StarScore.self_score, StarScore.town_score,
                                                      StarScore.county_score).where(StarScore.item_id == it.id))
                 for v in row if v is not None]
        if given and max(given) > most:
            raise ValidationError("max_below_scores",
                                  f"已有申报在“{text}”得 {max(given):g} 分，分值不能低于此分")
        it.dimension, it.item, it.max_score = dim, text, most
    it.evidence = _text(evidence, "佐证材料", 200, required=False)
    it.retired = bool(retired)
    session.flush()
    return it


def delete_item(session: Session, item_id: int) -> str:
    """Delete an item no application has scored; one already scored is retired instead (old
    forms keep it). The message says which."""
    it = session.get(StarItem, item_id)
    if it is None:
        return "评分内容已不存在"
    used = session.scalar(select(func.count()).select_from(StarScore).where(StarScore.item_id == item_id)) or 0
    if used:
        it.retired = True
        session.flush()
        return f"“{it.item}”已有 {used} 份申报评分，已停用（以往评分表保留此项）"
    session.delete(it)
    session.flush()
    return f"已删除“{it.item}”"
