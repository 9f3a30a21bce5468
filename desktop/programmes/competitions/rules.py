"""The rules of a skills competition: scores, totals, ranking, prizes. Pure Python: no Qt, no database.

- A part's score (theory, practical) is the judges' average; with ``drop_extremes`` and at
  least 3 judges, one highest and one lowest mark are dropped first.
- An individual total is ``theory × theory_weight% + practical × practical_weight%``
  (weights per event, default 30/70). A team total is the sum of its 必答 and 抢答 rounds;
  the 加赛 round only breaks ties.
- Ranking, best first, with a shared place for a tie that is left (1, 2, 2, 4):
  individual: total, then practical, then theory; team: total, then 加赛.
- Prize tiers (一等奖, 二等奖, 三等奖, 优秀奖) by count, or by share of the ranked entries
  (rounded down, but at least one for a tier whose share is above 0). The tiers are places:
  everyone tied at a boundary gets the higher prize.

Scores carry at most two decimals; averages and totals are rounded half up to two decimals
(成绩保留两位小数) and compared at that precision.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from db.errors import ValidationError

THEORY, PRACTICAL = "theory", "practical"
ROUND_REQUIRED, ROUND_BUZZER, ROUND_EXTRA = "round_required", "round_buzzer", "round_extra"
INDIVIDUAL_PARTS = (THEORY, PRACTICAL)
TEAM_PARTS = (ROUND_REQUIRED, ROUND_BUZZER, ROUND_EXTRA)
PARTS = INDIVIDUAL_PARTS + TEAM_PARTS
PART_LABELS = {THEORY: "理论", PRACTICAL: "实操", ROUND_REQUIRED: "必答", ROUND_BUZZER: "抢答", ROUND_EXTRA: "加赛"}

INDIVIDUAL, TEAM = "individual", "team"
PRIZES = ("first", "second", "third", "merit")
PRIZE_LABELS = {"first": "一等奖", "second": "二等奖", "third": "三等奖", "merit": "优秀奖"}
COUNT, SHARE = "count", "share"

MAX_SCORE = 100
MAX_ROUND = 10_000
MAX_JUDGES = 9
_CENT = Decimal("0.01")


def _round(value: Decimal) -> float:
    return float(value.quantize(_CENT, rounding=ROUND_HALF_UP))


def _show(raw: object) -> str:
    text = str(raw).strip()
    return text if len(text) <= 20 else text[:20] + "…"


def parse_score(raw: object, part: str) -> float | None:
    """A typed or imported mark as a number, None when blank; a clear Chinese error otherwise.

    Theory and practical marks are 0–100; team rounds any non-negative number. Full-width
    digits and a trailing 分 are accepted; more than two decimals are rounded.
    """
    if part not in PARTS:
        raise ValueError(f"unknown score part {part!r}")
    label = PART_LABELS[part]
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValidationError("score_not_number", f"{label}成绩“{raw}”不是数字，请输入数字")
    if isinstance(raw, int | float | Decimal):
        number = float(raw)
    else:
        text = unicodedata.normalize("NFKC", str(raw)).strip().replace("。", ".")
        if not text:
            return None
        if text.endswith("分"):
            text = text[:-1].strip()
        try:
            number = float(Decimal(text))
        except (ArithmeticError, ValueError):
            raise ValidationError("score_not_number", f"{label}成绩“{_show(raw)}”不是数字，请输入数字") from None
    if math.isnan(number) or math.isinf(number):
        raise ValidationError("score_not_number", f"{label}成绩“{_show(raw)}”不是数字，请输入数字")
    if part in INDIVIDUAL_PARTS:
        if not 0 <= number <= MAX_SCORE:
            raise ValidationError("score_out_of_range",
                                  f"{label}成绩 {_show(raw)} 超出范围，应在 0–{MAX_SCORE} 分之间")
    else:
        if number < 0:
            raise ValidationError("score_negative", f"{label}得分 {_show(raw)} 不能为负数")
        if number > MAX_ROUND:
            raise ValidationError("score_out_of_range", f"{label}得分 {_show(raw)} 过大")
    return _round(Decimal(repr(number)))


def check_judges(count: object) -> int:
    try:
        n = int(count)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise ValidationError("judges_invalid", f"评委人数“{count}”不是整数") from None
    if not 1 <= n <= MAX_JUDGES:
        raise ValidationError("judges_invalid", f"评委人数应在 1–{MAX_JUDGES} 人之间")
    return n


def check_weights(theory_weight: object, practical_weight: object) -> tuple[int, int]:
    """Both 0–100 and adding up to 100."""
    try:
        t, p = int(theory_weight), int(practical_weight)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise ValidationError("weights_invalid", "理论和实操权重必须是整数（百分比）") from None
    if not (0 <= t <= 100 and 0 <= p <= 100) or t + p != 100:
        raise ValidationError("weights_invalid", f"理论和实操权重之和应为 100%（现为 {t}% + {p}% = {t + p}%）")
    return t, p


def judge_average(values: Sequence[float | None], drop_extremes: bool = False) -> float | None:
    """The judges' average of one part; drops the highest and lowest mark only with 3+ judges."""
    marks = sorted(Decimal(repr(float(v))) for v in values if v is not None)
    if not marks:
        return None
    if drop_extremes and len(marks) >= 3:
        marks = marks[1:-1]
    return _round(sum(marks, Decimal(0)) / len(marks))


def weighted_total(theory: float | None, practical: float | None,
                   theory_weight: int = 30, practical_weight: int = 70) -> float | None:
    """theory × w_t% + practical × w_p%; None while a part with a weight has no score."""
    if (theory_weight and theory is None) or (practical_weight and practical is None):
        return None
    t = Decimal(repr(float(theory or 0))) * theory_weight
    p = Decimal(repr(float(practical or 0))) * practical_weight
    return _round((t + p) / 100)


def round_sum(values: Sequence[float | None]) -> float | None:
    marks = [Decimal(repr(float(v))) for v in values if v is not None]
    return _round(sum(marks, Decimal(0))) if marks else None


def team_total(rounds: Mapping[str, Sequence[float | None]]) -> float | None:
    """必答 + 抢答 (加赛 only breaks ties); None when neither round has a score."""
    marks = [*rounds.get(ROUND_REQUIRED, ()), *rounds.get(ROUND_BUZZER, ())]
    return round_sum(marks)


# -- prizes -----------------------------------------------------------------------------------


def check_prize_config(mode: str, counts: Sequence[int], shares: Sequence[int]) -> None:
    if mode not in (COUNT, SHARE):
        raise ValidationError("prize_mode_invalid", f"奖项设定方式 {mode} 无效")
    if len(counts) != len(PRIZES) or len(shares) != len(PRIZES):
        raise ValueError("four tiers expected")
    for code, n in zip(PRIZES, counts, strict=True):
        if n is None or int(n) < 0 or int(n) > 9999:
            raise ValidationError("prize_count_invalid", f"{PRIZE_LABELS[code]}名额应为 0–9999 之间的整数")
    for code, s in zip(PRIZES, shares, strict=True):
        if s is None or not 0 <= int(s) <= 100:
            raise ValidationError("prize_share_invalid", f"{PRIZE_LABELS[code]}比例应在 0–100% 之间")
    if mode == SHARE and sum(int(s) for s in shares) > 100:
        raise ValidationError("prize_share_invalid", f"各奖项比例之和为 {sum(int(s) for s in shares)}%，不能超过 100%")


def tier_sizes(ranked: int, mode: str, counts: Sequence[int], shares: Sequence[int]) -> tuple[int, ...]:
    """Places per tier for ``ranked`` entries: counts as given, or shares rounded down with at
    least one for a share above 0; never more places in all than entries."""
    check_prize_config(mode, counts, shares)
    if mode == COUNT:
        wanted = [int(n) for n in counts]
    else:
        wanted = [max(1, ranked * int(s) // 100) if int(s) > 0 else 0 for s in shares]
    sizes: list[int] = []
    left = max(ranked, 0)
    for n in wanted:
        take = min(n, left)
        sizes.append(take)
        left -= take
    return tuple(sizes)


def assign_prizes(ranks: Mapping[int, int], sizes: Sequence[int]) -> dict[int, str | None]:
    """Prize code per entry from its place: tier k covers places up to the sum of the first k
    sizes, so a tie that starts inside a tier gets that (higher) prize."""
    bounds: list[tuple[int, str]] = []
    total = 0
    for code, size in zip(PRIZES, sizes, strict=True):
        total += size
        if size > 0:
            bounds.append((total, code))
    out: dict[int, str | None] = {}
    for entry_id, rank in ranks.items():
        out[entry_id] = next((code for bound, code in bounds if rank <= bound), None)
    return out


# -- one event --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventRules:
    kind: str = INDIVIDUAL
    theory_weight: int = 30
    practical_weight: int = 70
    drop_extremes: bool = False
    prize_mode: str = COUNT
    counts: tuple[int, ...] = (1, 2, 3, 0)
    shares: tuple[int, ...] = (10, 20, 30, 0)


@dataclass(frozen=True)
class EntryScores:
    """One entry's marks: part -> the judges' marks (or a team's round scores)."""

    entry_id: int
    scores: Mapping[str, Sequence[float | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    entry_id: int
    theory: float | None = None
    practical: float | None = None
    required: float | None = None
    buzzer: float | None = None
    extra: float | None = None
    total: float | None = None
    rank: int | None = None
    prize: str | None = None


def _key(rules: EventRules, o: Outcome) -> tuple[float, ...]:
    """Sort key, best first when sorted descending; a missing tiebreaker counts lowest."""
    low = -math.inf
    assert o.total is not None
    if rules.kind == TEAM:
        return (o.total, o.extra if o.extra is not None else low)
    return (o.total, o.practical if o.practical is not None else low, o.theory if o.theory is not None else low)


def rank(keys: Mapping[int, tuple[float, ...]]) -> dict[int, int]:
    """Places by descending key; equal keys share the place of the first (1, 2, 2, 4)."""
    order = sorted(keys, key=lambda k: keys[k], reverse=True)
    places: dict[int, int] = {}
    previous: tuple[float, ...] | None = None
    place = 0
    for position, entry_id in enumerate(order, 1):
        if keys[entry_id] != previous:
            place = position
            previous = keys[entry_id]
        places[entry_id] = place
    return places


def score_entry(rules: EventRules, entry: EntryScores) -> Outcome:
    s = entry.scores
    if rules.kind == TEAM:
        required = round_sum(s.get(ROUND_REQUIRED, ()))
        buzzer = round_sum(s.get(ROUND_BUZZER, ()))
        extra = round_sum(s.get(ROUND_EXTRA, ()))
        return Outcome(entry.entry_id, required=required, buzzer=buzzer, extra=extra, total=team_total(s))
    theory = judge_average(s.get(THEORY, ()), rules.drop_extremes)
    practical = judge_average(s.get(PRACTICAL, ()), rules.drop_extremes)
    total = weighted_total(theory, practical, rules.theory_weight, rules.practical_weight)
    return Outcome(entry.entry_id, theory=theory, practical=practical, total=total)


def compute(rules: EventRules, entries: Sequence[EntryScores]) -> dict[int, Outcome]:
    """Totals, places and prizes of one event. Entries without a complete total get no place."""
    scored = {e.entry_id: score_entry(rules, e) for e in entries}
    complete = {i: o for i, o in scored.items() if o.total is not None}
    places = rank({i: _key(rules, o) for i, o in complete.items()})
    sizes = tier_sizes(len(places), rules.prize_mode, rules.counts, rules.shares)
    prizes = assign_prizes(places, sizes)
    out: dict[int, Outcome] = {}
    for entry_id, o in scored.items():
        out[entry_id] = Outcome(o.entry_id, o.theory, o.practical, o.required, o.buzzer, o.extra, o.total,
                                places.get(entry_id), prizes.get(entry_id))
    return out


def prize_summary(outcomes: Mapping[int, Outcome] | Sequence[Outcome],
                  labels: Mapping[str, str] | None = None) -> str:
    """一等奖 1 名，二等奖 2 名… (tiers without winners left out)."""
    items = outcomes.values() if isinstance(outcomes, Mapping) else outcomes
    names = labels or PRIZE_LABELS
    counts = {code: 0 for code in PRIZES}
    for o in items:
        if o.prize in counts:
            counts[o.prize] += 1
    parts = [f"{names.get(code, PRIZE_LABELS[code])} {n} 名" for code, n in counts.items() if n]
    return "，".join(parts) if parts else "暂无获奖"


def medal_problem(kind: str, rank_: int | None) -> str | None:
    """Why an entry cannot be recommended for the 五一劳动奖章, or None when it can."""
    if kind == TEAM:
        return "五一劳动奖章推荐的是个人，团体赛的队伍不能推荐"
    if rank_ != 1:
        return "只有本项目第一名可以推荐申报五一劳动奖章"
    return None


def event_title(competition_title: str, trade: str) -> str:
    """The event as a certificate names it: 2026年宁海县职工职业技能竞赛数控铣工项目.

    An event whose name the title already holds (a one-event contest) is the title itself.
    """
    title = (competition_title or "").strip()
    name = (trade or "").strip()
    if not name or name in title:
        return title
    return f"{title}{name}" if name.endswith(("项目", "赛", "比武")) else f"{title}{name}项目"
