"""劳模工匠选树: the honour titles as data (level, awarding body, person or collective, cycle, quota,
reward, 劳模待遇), seeded with the seeds' own and edited by the clerk. No Qt.

A title used by a round or a holding is never deleted, only retired (停用): rounds and the
register keep pointing at it, and a holding keeps the name and level it was named with.
Functions here work inside the caller's transaction; ``register_service`` opens it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from db.choices import CHOICES
from db.errors import ValidationError
from db.fields import check_length, describe
from db.models.core.selection import Holding, SelectionRound
from db.models.honours import HonourTitle
from desktop.programmes.core.records import get_or_refuse, in_order

HONOURS = "honours"
#: The title a competition's first place is nominated for (004: 竞赛综合成绩第一名可申报县五一劳动奖章).
COUNTY_MEDAL = "县级五一劳动奖章"
#: Title codes of the choice lists a title uses.
LEVELS = tuple(code for code, _label in CHOICES["honour_level"])
RECIPIENTS = tuple(code for code, _label in CHOICES["recipient_kind"])
PERSON, COLLECTIVE = "person", "collective"


@dataclass(frozen=True)
class Seed:
    name: str
    level: str
    body: str
    recipient: str = PERSON
    cycle_years: int = 1
    quota: int | None = None
    quota_note: str | None = None
    reward: int | None = None
    benefits: bool = False
    priority: str | None = None
    source: str | None = None


#: The seeds' titles (seeds/000, 001, 002, 003, 004); the clerk edits them in 称号设置.
SEEDS: tuple[Seed, ...] = (
    Seed("卓越工程师", "city", "洛阳市总工会", quota=20, reward=2000, benefits=True,
         priority="市级劳动模范、五一劳动奖章、河洛大工匠",
         source="003：洛阳市总工会等命名首届20名卓越工程师，每人一次性奖励2000元，每年选树1次"),
    Seed("河洛工匠", "city", "洛阳市总工会", quota=50, benefits=True,
         source="003：每年选树50名河洛工匠（组织推荐+个人自荐）"),
    Seed("河洛大工匠", "city", "洛阳市总工会", cycle_years=2, quota=10, quota_note="5至10名", benefits=True,
         source="003：每两年评选5名到10名河洛大工匠"),
    Seed("港城工匠", "city", "宁波市总工会", benefits=True, source="000：宁波市第四批“港城工匠”公布"),
    Seed("首席工人", "county", "江北区总工会", source="000：江北区首席工人12名"),
    Seed("市级技术能手", "city", "市人力资源和社会保障局", source="000：江北区市级技术能手3名"),
    Seed(COUNTY_MEDAL, "county", "县总工会", benefits=True,
         source="004：竞赛综合成绩第一名选手，按程序可申报“阜宁县五一劳动奖章”"),
    Seed("省级五一劳动奖章", "province", "省总工会", benefits=True, source="004：省五一劳动奖章获得者"),
    Seed("全国五一劳动奖章", "national", "中华全国总工会", benefits=True, source="002：获评全国五一劳动奖章"),
    Seed("县级劳动模范", "county", "县人民政府", cycle_years=5, benefits=True,
         source="001：阜宁县劳动模范"),
    Seed("市级劳动模范", "city", "市人民政府", cycle_years=5, benefits=True,
         source="000、004：台州市、盐城市劳动模范"),
    Seed("全国劳动模范", "national", "中共中央、国务院", cycle_years=5, benefits=True,
         source="001：全国劳动模范"),
    Seed("模范集体", "city", "市人民政府", COLLECTIVE, cycle_years=5, source="000：台州市劳动模范和模范集体颁奖大会"),
    Seed("五一劳动奖状", "province", "省总工会", COLLECTIVE, source="004：省、市五一劳动奖状优先推荐对象"),
    Seed("工人先锋号", "city", "市总工会", COLLECTIVE, source="004：省、市工人先锋号优先推荐对象"),
    Seed("劳动和技能竞赛先进单位", "county", "县总工会", COLLECTIVE,
         source="004：对取得突出业绩的集体授予“劳动和技能竞赛先进单位”荣誉称号"),
)

#: The fields a title form edits, in order (all described on HonourTitle).
EDITABLE = ("name", "level", "body", "recipient", "cycle_years", "quota", "quota_note", "reward", "benefits",
            "priority", "source")


def seed_titles(session: Session) -> None:
    """The seeds' titles into an empty ``hn_titles`` (``Entry.defaults``: new or upgraded
    databases, after a demo wipe); a table with any title is left alone."""
    if session.scalar(select(func.count()).select_from(HonourTitle)):
        return
    # Standard data, not a clerk's edit: written without audit rows (as the star standard is).
    session.execute(insert(HonourTitle), [
        {"name": s.name, "level": s.level, "body": s.body, "recipient": s.recipient, "cycle_years": s.cycle_years,
         "quota": s.quota, "quota_note": s.quota_note, "reward": s.reward, "benefits": s.benefits,
         "priority": s.priority, "source": s.source, "retired": False, "sort_order": i * 10}
        for i, s in enumerate(SEEDS, 1)])


def all_titles(session: Session, *, include_retired: bool = True) -> list[HonourTitle]:
    return in_order(session, HonourTitle, HonourTitle.retired, HonourTitle.sort_order, HonourTitle.id,
                    with_retired=include_retired)


def get_title(session: Session, title_id: int | None) -> HonourTitle:
    return get_or_refuse(session, HonourTitle, title_id or None, "荣誉称号已不存在（可能已被删除），请重新选择")


def by_name(session: Session, name: str) -> HonourTitle | None:
    return session.scalar(select(HonourTitle).where(HonourTitle.name == name.strip()))


def _text(value: Any) -> str | None:
    text = " ".join(str(value or "").split())
    return text or None


def _number(value: Any, label: str, low: int, high: int) -> int | None:
    if value in (None, ""):
        return None
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise ValidationError("not_a_number", f"{label}应为整数（{value}）") from None
    if not low <= n <= high:
        raise ValidationError("out_of_range", f"{label}应在 {low}–{high} 之间（{n}）")
    return n


def clean(values: dict[str, Any]) -> dict[str, Any]:
    """A title's values checked and normalised: the message names the field (its described label)."""
    cols = {c.name: c for c in describe(HonourTitle)}
    out: dict[str, Any] = {}
    for name in EDITABLE:
        col = cols[name]
        raw = values.get(name)
        if name in ("cycle_years", "quota", "reward"):
            out[name] = _number(raw, col.label, 1 if name == "cycle_years" else 0,
                                10 if name == "cycle_years" else 10_000_000)
        elif name == "benefits":
            out[name] = bool(raw)
        else:
            out[name] = _text(raw)
            check_length(col, out[name])
        if col.field.required and out[name] in (None, ""):
            raise ValidationError("required", f"请填写“{col.label}”")
    if out["level"] not in LEVELS:
        raise ValidationError("choice_unknown", f"“{cols['level'].label}”无效：{out['level']}")
    if out["recipient"] not in RECIPIENTS:
        raise ValidationError("choice_unknown", f"“{cols['recipient'].label}”无效：{out['recipient']}")
    out["cycle_years"] = out["cycle_years"] or 1
    return out


def save_title(session: Session, title_id: int | None, values: dict[str, Any]) -> HonourTitle:
    """A new title, or a title's details changed. Holdings keep the name they were named with."""
    v = clean(values)
    other = by_name(session, v["name"])
    if other is not None and other.id != title_id:
        raise ValidationError("duplicate", f"已有名为“{v['name']}”的荣誉称号")
    if title_id is None:
        last = session.scalar(select(func.max(HonourTitle.sort_order))) or 0
        t = HonourTitle(retired=False, sort_order=last + 10)
        session.add(t)
    else:
        t = get_title(session, title_id)
        if t.recipient != v["recipient"] and holdings_of(session, t.id):
            raise ValidationError("in_use", f"“{t.name}”已有获得者，不能改变授予对象（个人/集体）")
    for name, value in v.items():
        setattr(t, name, value)
    session.flush()
    return t


def holdings_of(session: Session, title_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Holding).where(
        Holding.programme == HONOURS, Holding.award_id == title_id)) or 0


def rounds_of(session: Session, title_id: int) -> int:
    return session.scalar(select(func.count()).select_from(SelectionRound).where(
        SelectionRound.programme == HONOURS, SelectionRound.award_id == title_id)) or 0


def retire_title(session: Session, title_id: int, retired: bool = True) -> HonourTitle:
    """停用 (no new rounds or holders; history stays) or 启用 again."""
    t = get_title(session, title_id)
    t.retired = bool(retired)
    session.flush()
    return t


def delete_title(session: Session, title_id: int) -> str:
    """Delete a title entered by mistake: refused once a round or a holding uses it (retire it)."""
    t = get_title(session, title_id)
    rounds, holders = rounds_of(session, t.id), holdings_of(session, t.id)
    if rounds or holders:
        used = "、".join(x for x in (f"{rounds} 次评选" if rounds else "", f"{holders} 名获得者" if holders else "")
                        if x)
        raise ValidationError("in_use", f"“{t.name}”已用于{used}，不能删除；不再评选的称号请“停用”")
    name = t.name
    session.delete(t)
    session.flush()
    return name


def usable(t: HonourTitle, *, collective: bool | None = None) -> bool:
    """Offered for a new round or holder: not retired, and (when asked) for that kind of recipient."""
    if t.retired:
        return False
    return collective is None or (t.recipient == COLLECTIVE) == collective
