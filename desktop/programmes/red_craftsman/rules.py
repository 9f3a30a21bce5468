"""红色工匠 rules over plain values: the 1:2 ratio, eligibility hints, mentor rules, party stages.

No session, no Qt: everything here takes codes and dates and is unit-tested alone. Rules compare
choice codes (``party_member``), never labels; the hints are warnings, never refusals (only a
track-B mentor who is not a party member is refused, by the service).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar

from db.models.red_craftsman import TRACK_A, TRACK_B

TRACKS = (TRACK_A, TRACK_B)
TRACK_SHORT = {TRACK_A: "A类", TRACK_B: "B类"}
TRACK_GOAL = {TRACK_A: "党员→技术能手", TRACK_B: "技术能手→党员"}
PARTY = ("party_member", "probationary_member")  # 中共党员, 中共预备党员
GRADES = ("junior", "intermediate", "senior", "technician", "senior_technician")
SKILLED_MENTOR_GRADES = ("technician", "senior_technician")  # 技师 or above
RATIO = 2  # 1:2: twice as many nominees as open places

# -- party stages (track B) -------------------------------------------------------------------------

STAGES = ("application", "activist", "development_target", "probationary", "full_member")
#: The one mapping from a party stage to the political status it gives the worker
#: (PROGRAMMES.md section 0). ``None``: the stage keeps the status as it is (入党申请).
STAGE_STATUS: dict[str, str | None] = {
    "application": None,  # 入党申请: keeps it
    "activist": "activist",  # 入党积极分子
    "development_target": "development_target",  # 发展对象
    "probationary": "probationary_member",  # 预备党员 -> 中共预备党员
    "full_member": "party_member",  # 正式党员 -> 中共党员
}
STAGE_LABELS = {"application": "入党申请", "activist": "入党积极分子", "development_target": "发展对象",
                "probationary": "预备党员", "full_member": "正式党员"}
#: Track B's goal (发展入党) is reached when the candidate is admitted as a probationary member.
B_GOAL_STAGES = ("probationary", "full_member")


def status_after_stage(stage: str, current: str | None) -> str | None:
    """The worker's political status once ``stage`` is reached."""
    if stage not in STAGE_STATUS:
        raise KeyError(stage)
    mapped = STAGE_STATUS[stage]
    return current if mapped is None else mapped


@dataclass(frozen=True)
class Hint:
    """A hint shown beside a nominee or a choice: ``warning`` (does not fit the rule),
    ``priority`` (a reason to prefer: prize, honour) or ``note`` (for information)."""

    level: str
    text: str

    def __str__(self) -> str:
        return self.text


WARNING, PRIORITY, NOTE = "warning", "priority", "note"


def warnings(hints: Iterable[Hint]) -> list[Hint]:
    return [h for h in hints if h.level == WARNING]


def months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


def stage_hints(stage: str, on: date, reached: dict[str, date]) -> list[Hint]:
    """Hints for recording ``stage`` on ``on`` given the stages already reached (code -> date).

    Dates out of order are errors (returned as ``error`` hints for the service to refuse)."""
    out: list[Hint] = []
    i = STAGES.index(stage)
    for earlier in STAGES[:i]:
        when = reached.get(earlier)
        if when is not None and on < when:
            out.append(Hint("error", f"“{STAGE_LABELS[stage]}”的日期（{on:%Y-%m-%d}）不能早于"
                                     f"“{STAGE_LABELS[earlier]}”（{when:%Y-%m-%d}）"))
    for later in STAGES[i + 1:]:
        when = reached.get(later)
        if when is not None and on > when:
            out.append(Hint("error", f"“{STAGE_LABELS[stage]}”的日期（{on:%Y-%m-%d}）不能晚于"
                                     f"“{STAGE_LABELS[later]}”（{when:%Y-%m-%d}）"))
    if i > 0 and STAGES[i - 1] not in reached:
        out.append(Hint(NOTE, f"尚未登记上一阶段“{STAGE_LABELS[STAGES[i - 1]]}”"))
    if stage == "development_target" and "activist" in reached and months_between(reached["activist"], on) < 12:
        out.append(Hint(WARNING, "入党积极分子一般经过一年以上培养教育和考察，方可列为发展对象"))
    if stage == "full_member" and "probationary" in reached and months_between(reached["probationary"], on) < 12:
        out.append(Hint(WARNING, "预备党员的预备期为一年，预备期未满"))
    return out


# -- the 1:2 ratio ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatioCheck:
    quota: int
    carried: int
    nominees: int

    @property
    def open_places(self) -> int:
        """Places left for new admissions: the quota minus those carried over (never below 0)."""
        return max(self.quota - self.carried, 0)

    @property
    def needed(self) -> int:
        return RATIO * self.open_places

    @property
    def ratio_text(self) -> str:
        """``1:2.5``: open places to nominees, as the notices print it."""
        if self.open_places == 0:
            return "—"
        r = self.nominees / self.open_places
        return f"1:{r:.2f}".rstrip("0").rstrip(".")

    @property
    def level(self) -> str:
        """``warning`` (too few nominees), ``note`` (more than 1:2, or no open place) or ``ok``."""
        if self.open_places == 0:
            return NOTE if self.nominees else "ok"
        if self.nominees < self.needed:
            return WARNING
        return NOTE if self.nominees > self.needed else "ok"

    @property
    def message(self) -> str:
        if self.open_places == 0:
            if self.quota == 0:
                return "未设名额"
            return "名额已被上年结转人员占满" + (f"，推荐的 {self.nominees} 人无名额可入库" if self.nominees else "")
        if self.nominees < self.needed:
            return (f"推荐 {self.nominees} 人，少于 1:2 所需的 {self.needed} 人（还差 {self.needed - self.nominees} 人），"
                    "请补充推荐人选")
        if self.nominees > self.needed:
            return f"推荐 {self.nominees} 人，多于 1:2 所需的 {self.needed} 人，按“好中选优”择优确定"
        return f"推荐 {self.nominees} 人，符合 1:2 比例"


# -- eligibility ------------------------------------------------------------------------------------

NON_TECHNICAL_WORDS = ("服务员", "销售", "客服", "管理员", "文员", "会计", "出纳", "行政", "骑手", "快递员",
                       "保洁", "保安", "营销", "主播", "收银", "司机", "教师", "医生", "护士", "保育")
TECHNICAL_WORDS = ("工", "师", "技术", "机电", "数控", "焊", "钳", "维修", "装配", "检验")


def has_grade(grade: str | None) -> bool:
    return grade in GRADES


def is_technical(trade: str | None, grade: str | None) -> bool:
    """A technical worker: a skill grade, or a trade that is a skilled trade (数控铣工, 电工...)."""
    if has_grade(grade):
        return True
    text = (trade or "").strip()
    if not text or any(w in text for w in NON_TECHNICAL_WORDS):
        return False
    return any(w in text for w in TECHNICAL_WORDS)


class FactLike(Protocol):
    label: str
    kind: str
    programme: str


def priority_facts(facts: Iterable[FactLike]) -> list[Hint]:
    """Competition prizes and honours (any programme's worker facts) as priority reasons."""
    out = []
    for f in facts:
        if f.kind == "prize":
            out.append(Hint(PRIORITY, f"竞赛获奖：{f.label}"))
        elif f.kind == "honour":
            out.append(Hint(PRIORITY, f"荣誉：{f.label}"))
    return out


@dataclass(frozen=True)
class Person:
    """What the hints look at, as codes (labels only for the messages)."""

    name: str
    political_status: str | None
    skill_grade: str | None
    trade: str | None
    ownership: str | None
    member_status: str | None = "active"
    employer_id: int | None = None


def _label(labels: dict[str, dict[str, str]], key: str, code: str | None, empty: str = "未登记") -> str:
    if not code:
        return empty
    return labels.get(key, {}).get(code, code)


def eligibility(track: str, p: Person, facts: Sequence[FactLike],
                labels: dict[str, dict[str, str]] | None = None) -> list[Hint]:
    """Warnings where a nominee does not fit the track's criteria, then priority reasons."""
    labels = labels or {}
    out: list[Hint] = []
    status = _label(labels, "political_status", p.political_status)
    prizes = priority_facts(facts)
    has_prize = any(f.kind == "prize" for f in facts)
    if track == TRACK_A:
        if p.political_status not in PARTY:
            out.append(Hint(WARNING, f"A类应为中共党员或中共预备党员，现为{status}"))
        if not is_technical(p.trade, p.skill_grade):
            trade = f"工种“{p.trade}”" if p.trade else "未登记工种"
            out.append(Hint(WARNING, f"A类应为技术工人：{trade}，且无技能等级"))
        if p.ownership != "non_public":
            owner = _label(labels, "ownership", p.ownership, "未登记所有制")
            out.append(Hint(NOTE, f"A类优先非公企业的党员职工（所在单位：{owner}）"))
    elif track == TRACK_B:
        if p.political_status in PARTY:
            out.append(Hint(WARNING, f"B类面向非党员技术能手，现为{status}"))
        if not has_grade(p.skill_grade) and not has_prize:
            out.append(Hint(WARNING, "B类应有技能等级或竞赛获奖，现均未登记"))
    else:
        raise KeyError(track)
    if p.member_status not in (None, "active"):
        out.append(Hint(WARNING, f"会籍状态为{_label(labels, 'member_status', p.member_status)}"))
    return out + prizes


def mentor_problem(track: str, mentor: Person, labels: dict[str, dict[str, str]] | None = None) -> str | None:
    """Why a mentor cannot be chosen (a refusal), or None: track B needs a party-member mentor."""
    if track == TRACK_B and mentor.political_status not in PARTY:
        status = _label(labels or {}, "political_status", mentor.political_status)
        return (f"B类（技术能手→党员）培育对象须由党员导师进行政治帮带：{mentor.name}的政治面貌为{status}，"
                "不是中共党员或中共预备党员，请另选党员导师")
    return None


def mentor_hints(track: str, mentor: Person, mentee: Person, facts: Sequence[FactLike],
                 labels: dict[str, dict[str, str]] | None = None, load: int = 0) -> list[Hint]:
    """Hints for a mentor choice: track A wants a skilled mentor (技师 or above, or a prize)."""
    labels = labels or {}
    out: list[Hint] = []
    if track == TRACK_A and mentor.skill_grade not in SKILLED_MENTOR_GRADES and not any(
            f.kind == "prize" for f in facts):
        grade = _label(labels, "skill_grade", mentor.skill_grade)
        out.append(Hint(WARNING, f"A类导师应为技术骨干（技师及以上或竞赛获奖），{mentor.name}的技能等级为{grade}"))
    if mentor.employer_id is not None and mentee.employer_id is not None and mentor.employer_id != mentee.employer_id:
        out.append(Hint(NOTE, "导师与培育对象不在同一单位"))
    if load:
        out.append(Hint(NOTE, f"{mentor.name}已带教 {load} 名培育对象"))
    return out + priority_facts(facts)


# -- the pool on a date ----------------------------------------------------------------------------


class Stay(Protocol):
    admitted_on: date
    left_on: date | None


S = TypeVar("S", bound=Stay)


def in_pool(stay: Stay, day: date) -> bool:
    """A stay counts from its admission day up to the day before it left."""
    return stay.admitted_on <= day and (stay.left_on is None or stay.left_on > day)


def pool_on(stays: Iterable[S], day: date) -> list[S]:
    return [s for s in stays if in_pool(s, day)]
