"""Demo data for 星级工会: about half of the demo units with a union rated over the last four
years (义乌 had run its star rating four years running, 000), four-star and five-star unions in
义乌's proportion (142 : 135) besides the three-star ones, unions climbing a level a year, failed
attempts, this year's 回头看 (one five-star union lowered, others kept) and this year's
applications at every stage.

The records are planned so that every rule holds (founded unions only, one level up at a time,
one application a year, the county's total at or above the pass mark for a naming) and written as
ORM objects with a few flushes a year: the demo database of the tests is built hundreds of times.
``tests/programmes/star_unions`` checks the demo data against the rules.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.core.registers import Organisation
from db.models.core.selection import Candidacy, Holding, SelectionRound, StageMove
from db.models.star_unions import StarItem, StarScore
from desktop.programmes.core.selection import FAILED, actor
from desktop.programmes.star_unions import applications as svc
from desktop.programmes.star_unions import rules, standard
from desktop.programmes.star_unions.rules import PROGRAMME, Level

HALF = Decimal("0.5")
#: The final level of the rated unions: three, four and five stars (four : five as 142 : 135).
FINAL = (("three", 30), ("four", 36), ("five", 34))
QUALITY = {"three": 0.72, "four": 0.82, "five": 0.93}
LOWER_REASON = "职工之家长期关闭挪作他用，工会活动未正常开展"
ORDER = (rules.APPLY, rules.SELF, rules.TOWN, rules.COUNTY, rules.NAMED)


def _round_half(x: float) -> Decimal:
    return (Decimal(str(x)) / HALF).quantize(Decimal("1")) * HALF


def county_marks(items: list[StarItem], quality: float, rng: random.Random, *, at_least: int | None = None,
                 below: int | None = None) -> dict[int, Decimal]:
    """The county's scores: around ``quality`` of each maximum, raised to ``at_least`` in total or
    lowered under ``below``."""
    most = {it.id: Decimal(it.max_score) for it in items}
    marks = {it.id: min(most[it.id], max(Decimal(0), _round_half(
        it.max_score * min(1.0, max(0.3, quality + rng.gauss(0, 0.07)))))) for it in items}
    while at_least is not None and sum(marks.values()) < at_least and any(most[k] > v for k, v in marks.items()):
        k = max(marks, key=lambda i: most[i] - marks[i])
        marks[k] = min(most[k], marks[k] + 1)
    while below is not None and sum(marks.values()) >= below and any(marks.values()):
        k = max(marks, key=lambda i: marks[i])
        marks[k] = max(Decimal(0), marks[k] - 1)
    return marks


@dataclass
class Writer:
    """Writes planned applications and holdings; remembers each union's current holding."""

    session: Session
    rng: random.Random
    items: list[StarItem]
    levels: dict[str, Level]
    by: tuple[str, str]
    rounds: dict[int, SelectionRound] = field(default_factory=dict)
    held: dict[int, Holding] = field(default_factory=dict)
    #: applications whose scores are written once they have their ids: (application, scores, stages scored)
    pending: list[tuple[Candidacy, dict[str, dict[int, Decimal]], list[str]]] = field(default_factory=list)

    def round(self, year: int) -> SelectionRound:
        if year not in self.rounds:
            r = SelectionRound(programme=PROGRAMME, year=year, name=svc.round_name(year),
                               document=f"宁工〔{year}〕{20 + year % 7}号")
            self.session.add(r)
            self.rounds[year] = r
        return self.rounds[year]

    def move(self, c: Candidacy, stage: str, on: date, reason: str | None = None) -> None:
        c.moves.append(StageMove(stage=stage, on=on, by=self.by[0], account=self.by[1], reason=reason))
        c.stage, c.stage_on = stage, on
        if stage == FAILED:
            c.reason = reason

    def apply(self, year: int, org: int, level: str, dates: list[date], upto: str, quality: float, *,
              fail_at: str | None = None, reason: str = "") -> Candidacy:
        """One application from 申报 to ``upto`` (or failed on reaching ``fail_at``), with its scores."""
        lv = self.levels[level]
        r = self.round(year)
        c = Candidacy(organisation_id=org, award=level, materials="申报表、自评表、佐证材料")
        c.round = r
        self.session.add(c)
        if fail_at is None:
            county = county_marks(self.items, quality, self.rng, at_least=lv.threshold + self.rng.randint(1, 6))
        else:
            county = county_marks(self.items, quality, self.rng, below=lv.threshold - 2)
        town = {k: min(Decimal(it.max_score), county[k] + (HALF if self.rng.random() < 0.3 else 0))
                for k, it in zip(county, self.items, strict=True)}
        own = {k: min(Decimal(it.max_score), town[k] + (1 if self.rng.random() < 0.4 else 0))
               for k, it in zip(town, self.items, strict=True)}
        marks = {rules.SELF: own, rules.TOWN: town, rules.COUNTY: county}
        done: list[str] = []
        for i, stage in enumerate(ORDER):
            if stage == fail_at:
                self.move(c, FAILED, dates[i], reason)
                break
            self.move(c, stage, dates[i])
            done.append(stage)
            if stage == upto:
                break
        scored = [st for st in rules.SCORED if st in done]
        c.score = sum(marks[scored[-1]].values(), Decimal(0)) if scored else None
        self.pending.append((c, marks, scored))
        return c

    def scores(self) -> None:
        """The pending applications' scores (after a flush that gives them their ids)."""
        self.session.flush()
        for c, marks, scored in self.pending:
            for it in self.items if scored else ():
                values = {rules.SCORED[st]: marks[st][it.id] for st in scored}
                self.session.add(StarScore(candidate_id=c.id, item_id=it.id, **values))
        self.pending.clear()

    def name(self, c: Candidacy, on: date) -> None:
        lv = self.levels[c.award or ""]
        before = self.held.get(c.organisation_id or 0)
        if before is not None:
            before.ended_on, before.end_reason = on, f"晋升为{lv.title}"
        self.held[c.organisation_id or 0] = self.hold(c, lv, on, c.round.year)
        if c.round.named_on is None or on < c.round.named_on:
            c.round.named_on = on

    def hold(self, c: Candidacy, lv: Level, on: date, year: int, *, note: str | None = None) -> Holding:
        h = Holding(programme=PROGRAMME, award=lv.code, title=lv.title, level="county", year=year, named_on=on,
                    organisation_id=c.organisation_id, candidate_id=c.id,
                    document=None if note else c.round.document, note=note)
        self.session.add(h)
        return h


def _dates(year: int, rng: random.Random) -> list[date]:
    return [date(year, 3, rng.randint(1, 25)), date(year, 4, rng.randint(1, 28)), date(year, 6, rng.randint(1, 28)),
            date(year, 9, rng.randint(1, 28)), date(year, 11, 20)]


def _ladders(rated: list[int], rng: random.Random, first: int, this: int) -> list[tuple[int, list[tuple[int, str]]]]:
    """Each rated union's namings: (year, level), one level up at a time, the last before this year."""
    codes = [c for c, _w in FINAL]
    counts = {c: max(1, round(len(rated) * w / 100)) for c, w in FINAL if c != "three"}
    finals = [c for c in ("five", "four") for _ in range(counts[c])]
    finals = (finals + ["three"] * len(rated))[: len(rated)]
    rng.shuffle(finals)
    plans = []
    for org, final in zip(rated, finals, strict=True):
        steps = codes[: codes.index(final) + 1]
        year = rng.randint(first, this - len(steps))
        ladder = []
        for i, level in enumerate(steps):
            ladder.append((year, level))
            later = len(steps) - i - 2  # namings after the next one
            year += 2 if rng.random() < 0.25 and year + 2 + later < this else 1
        plans.append((org, ladder))
    return plans


def demo(session: Session, rng: random.Random, today: date) -> None:
    rng = random.Random(f"{rng.getstate()}star_unions")  # our own draws: later builders see the same data
    founded = list(session.scalars(select(Organisation.id).where(Organisation.union_form.in_(rules.FOUNDED))
                                   .order_by(Organisation.id)))
    items = standard.items(session)
    if len(founded) < 3 or not items:
        return
    w = Writer(session, rng, items, {lv.code: lv for lv in svc.levels(session)}, actor(session))
    rng.shuffle(founded)
    this, first = today.year, today.year - 4
    rated = founded[: max(3, round(len(founded) * 0.55))]
    plans = _ladders(rated, rng, first, this)
    # two three-star unions tried for four stars the next year and fell short at the county
    tried = [(org, lad[-1][0] + 1) for org, lad in plans if lad[-1][1] == "three" and lad[-1][0] + 1 < this][:2]
    for y in range(first, this):
        named = [w.apply(y, org, level, _dates(y, rng), rules.NAMED, QUALITY[level])
                 for org, ladder in plans for year, level in ladder if year == y]
        for org, year in tried:
            if year == y:
                w.apply(y, org, "four", _dates(y, rng), rules.NAMED, 0.62, fail_at=rules.NAMED,
                        reason="县评定得分未达到四星级达标分数")
        w.scores()
        for c in named:
            w.name(c, c.stage_on or date(y, 11, 20))
    # 回头看 this year: the first five-star union lowered a level, a few others kept
    fives = [org for org, lad in plans if lad[-1][1] == "five"] or list(w.held)
    start = min(today, date(this, 3, 1))
    reviewed: set[int] = set()
    for org in sorted(w.held, key=lambda o: o != fives[0]):
        h = w.held[org]
        on = max(h.named_on + timedelta(days=30), start + timedelta(days=rng.randint(0, 45)))
        lower = org == fives[0]
        if on > today or len(reviewed) >= max(3, len(w.held) // 4) or (not lower and rng.random() < 0.5):
            continue
        c = session.get(Candidacy, h.candidate_id)
        assert c is not None
        if lower:
            below = w.levels[{"five": "four", "four": "three"}.get(h.award or "", "three")]
            h.ended_on, h.end_reason = on, f"回头看降级：{LOWER_REASON}"
            w.held[org] = w.hold(c, below, on, on.year, note=svc.lowered_note(w.levels[h.award or ""].title))
        w.move(c, rules.REVIEW, on, LOWER_REASON if lower else "复查合格")
        c.review = rules.LOWER if lower else rules.KEEP
        reviewed.add(org)
    # this year's applications at every stage (one failed at the township)
    base = max(date(this, 1, 2), today - timedelta(days=75))
    plan = [base + timedelta(days=d) for d in (0, 12, 25, 40, 55)]
    stages = [rules.APPLY, rules.SELF, rules.TOWN, rules.COUNTY, rules.TOWN, rules.SELF, rules.COUNTY]
    applicants = founded[len(rated):] + [o for o, lad in plans if lad[-1][1] != "five" and o not in reviewed]
    rng.shuffle(applicants)
    for i, org in enumerate(applicants[: len(stages)]):
        dates = [min(today, d + timedelta(days=3 * i)) for d in plan]
        h = w.held.get(org)
        nxt = {None: "three", "three": "four", "four": "five"}.get(h.award if h is not None else None)
        if nxt is None:
            continue
        if i == 4:  # the township found the union's funds were not paid in full
            w.apply(this, org, nxt, dates, rules.TOWN, 0.55, fail_at=rules.TOWN, reason="工会经费未足额拨缴，镇初审未通过")
        else:
            w.apply(this, org, nxt, dates, stages[i], QUALITY[nxt] + 0.02)
    w.scores()
    session.flush()
