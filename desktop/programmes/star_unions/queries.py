"""星级工会: what its tab shows, as plain rows (no ORM object leaves a session). No Qt.

Writes are in ``service``; the work over a session in ``applications`` and ``standard``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from db.models.core.registers import Organisation
from db.models.core.selection import Candidacy, Holding, SelectionRound
from db.models.star_unions import StarItem, StarLevel, StarScore
from desktop.programmes.core import cultivation_fields as fields
from desktop.programmes.core.selection import FAILED
from desktop.programmes.star_unions import applications, rules, standard
from desktop.programmes.star_unions.rules import PROGRAMME, WORKFLOW

if TYPE_CHECKING:
    from desktop.context import App

MODELS: dict[str, type] = {"Candidacy": Candidacy, "Holding": Holding, "StarLevel": StarLevel, "StarItem": StarItem,
                           "StarScore": StarScore, "Organisation": Organisation, "SelectionRound": SelectionRound}


def field_labels() -> dict[str, str]:
    """``{"Candidacy.award": "申报星级", "StarScore.town_score": "镇初审", ...}`` (one description)."""
    return fields.labels(MODELS)


def field_helps() -> dict[str, str]:
    return fields.helps(MODELS)


# -- current levels -------------------------------------------------------------------------------------


def holdings_on(session: Session, on: date, organisation_ids: Sequence[int] | None = None) -> dict[int, Holding]:
    """Each union's level held on ``on`` (its holding), by organisation id."""
    q = select(Holding).where(Holding.programme == PROGRAMME, Holding.organisation_id.is_not(None),
                              Holding.named_on <= on, or_(Holding.ended_on.is_(None), Holding.ended_on > on))
    if organisation_ids is not None:
        q = q.where(Holding.organisation_id.in_(list(organisation_ids)))
    out: dict[int, Holding] = {}
    for h in session.scalars(q.order_by(Holding.named_on, Holding.id)):
        out[int(h.organisation_id or 0)] = h
    return out


def short_labels(session: Session) -> dict[str, str]:
    """Level code -> 三星级 (the star_level choice labels, as the clerk named them)."""
    from desktop.settings import choice_labels

    return choice_labels(session).get("star_level", {})


# -- 年度申报 ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationRow:
    id: int
    organisation_id: int
    unit: str  # the union's name (…工会)
    township: str
    union_form: str | None
    applied: str  # level code
    applied_title: str
    threshold: int
    held: str  # the level held now (its title), empty for none
    stage: str
    stage_label: str
    stage_on: date | None
    applied_on: date | None
    totals: dict[str, Decimal | None]  # by assessment stage (self, town, county)
    score: Decimal | None
    review: str | None
    reason: str  # 未通过 / 回头看 reason
    scoring: tuple[str, ...]  # assessments that can be scored now
    next_stage: str | None
    named: bool


@dataclass(frozen=True)
class YearView:
    year: int
    round_id: int | None
    rows: list[ApplicationRow]
    counts: dict[str, int]  # by stage label
    full_marks: int
    document: str = ""  # the round's 命名文号 (the naming dialog starts from it)


def years(app: App) -> list[int]:
    """The years with a round, and this year, newest first."""
    with app.db.session() as s:
        found = set(s.scalars(select(SelectionRound.year).where(SelectionRound.programme == PROGRAMME)))
    found.add(date.today().year)
    return sorted(found, reverse=True)


def year_rows(session: Session, year: int, today: date) -> YearView:
    r = applications.round_for(session, year)
    lv = {x.code: x for x in applications.levels(session)}
    if r is None:
        return YearView(year, None, [], {}, standard.full_marks(session))
    cands = list(session.scalars(select(Candidacy).where(Candidacy.round_id == r.id)
                                 .options(selectinload(Candidacy.organisation), selectinload(Candidacy.moves))
                                 .order_by(Candidacy.id)))
    items = {it.id: it for it in standard.items(session, with_retired=True)}
    scores: dict[int, list[StarScore]] = defaultdict(list)
    for sc in session.scalars(select(StarScore).where(StarScore.candidate_id.in_([c.id for c in cands]))):
        scores[sc.candidate_id].append(sc)
    held = holdings_on(session, today, [c.organisation_id for c in cands if c.organisation_id])
    rows = []
    counts: dict[str, int] = defaultdict(int)
    for c in cands:
        org = c.organisation
        level = lv.get(c.award or "")
        mine = scores.get(c.id, [])
        totals: dict[str, Decimal | None] = {}
        for st, column in rules.SCORED.items():
            vals = [getattr(x, column) for x in mine if getattr(x, column) is not None and x.item_id in items]
            totals[st] = sum(vals, Decimal("0")) if vals else None
        last = c.moves[-1] if c.moves else None
        nxt = WORKFLOW.next(c.stage) if c.stage != FAILED else None
        h = held.get(c.organisation_id or 0)
        rows.append(ApplicationRow(
            c.id, int(c.organisation_id or 0), rules.union_name(org.name) if org else "", (org.township or "") if org else "",
            org.union_form if org else None, c.award or "", level.title if level else (c.award or ""),
            level.threshold if level else 0, h.title if h is not None else "", c.stage, WORKFLOW.label(c.stage),
            c.stage_on, c.moves[0].on if c.moves else None, totals, c.score, c.review,
            (c.reason or (last.reason if last is not None and last.stage == rules.REVIEW else "") or ""),
            tuple(rules.scoring_stages(c.stage)), nxt.code if nxt else None,
            WORKFLOW.reached(c.stage, rules.NAMED)))
        counts[WORKFLOW.label(c.stage)] += 1
    return YearView(year, r.id, rows, dict(counts), standard.full_marks(session), r.document or "")


def year_view(app: App, year: int) -> YearView:
    with app.db.session() as s:
        return year_rows(s, year, date.today())


@dataclass(frozen=True)
class UnitChoice:
    id: int
    name: str
    founded: bool
    held: str  # level title held today
    next_level: str | None  # the level it may apply for (code)


def unit_choices(app: App) -> list[UnitChoice]:
    """Every unit for the 新增申报 picker: founded unions first, each with the level it may apply for."""
    today = date.today()
    with app.db.session() as s:
        lv = applications.levels(s)
        held = holdings_on(s, today)
        out = []
        for oid, name, form in s.execute(select(Organisation.id, Organisation.name, Organisation.union_form)
                                         .order_by(Organisation.name)):
            h = held.get(oid)
            current = next((x for x in lv if h is not None and x.code == h.award), None)
            nxt = rules.next_level(lv, current)
            out.append(UnitChoice(oid, name, form in rules.FOUNDED, h.title if h else "", nxt.code if nxt else None))
    out.sort(key=lambda u: not u.founded)
    return out


# -- 评分 ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreLine:
    item_id: int
    dimension: str
    item: str
    max_score: int
    asked: str  # the evidence the standard asks for
    scores: dict[str, Decimal | None]  # by stage
    evidence: str  # the note entered
    retired: bool


@dataclass(frozen=True)
class ScoreSheet:
    candidate_id: int
    unit: str
    applied_title: str
    threshold: int
    stage: str
    scoring: tuple[str, ...]
    lines: list[ScoreLine]


def score_sheet(app: App, candidate_id: int) -> ScoreSheet:
    with app.db.session() as s:
        c = applications.candidacy(s, candidate_id)
        lv = applications.level_of(s, c.award)
        lines = [ScoreLine(it.id, it.dimension, it.item, it.max_score, it.evidence or "",
                           {st: getattr(sc, col) if sc is not None else None for st, col in rules.SCORED.items()},
                           (sc.evidence or "") if sc is not None else "", it.retired)
                 for it, sc in applications.score_rows(s, c.id)]
        unit = rules.union_name(c.organisation.name) if c.organisation else ""
        return ScoreSheet(c.id, unit, lv.title, lv.threshold, c.stage, tuple(rules.scoring_stages(c.stage)), lines)


# -- 星级名册 -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeldLine:
    title: str
    award: str
    named_on: date
    ended_on: date | None
    end_reason: str
    document: str


@dataclass(frozen=True)
class RollRow:
    organisation_id: int
    unit: str
    township: str
    level: str  # code held on the day, empty for none
    title: str
    rank: int
    named_on: date | None
    history: tuple[HeldLine, ...]  # oldest first
    path: str  # 2023年三星级 → 2024年四星级 → 2026年降为三星级


def path_text(lines: Sequence[HeldLine], shorts: dict[str, str]) -> str:
    """How a union climbed and fell: 2023年三星级 → 2024年四星级 → 2026年降为三星级 → 2027年撤销."""
    out = []
    for i, h in enumerate(lines):
        lowered = i > 0 and lines[i - 1].end_reason.startswith(rules.LOWERED)
        out.append(f"{h.named_on.year}年{'降为' if lowered else ''}{shorts.get(h.award, h.title)}")
        if h.ended_on is not None and h.end_reason.startswith(rules.REVOKED):
            out.append(f"{h.ended_on.year}年撤销")
    return " → ".join(out)


def roll_rows(session: Session, on: date, *, with_past: bool = True) -> list[RollRow]:
    """Every union holding a level on ``on`` (highest level first), and with ``with_past`` those
    that held one before and hold none now (lowered to nothing or revoked)."""
    ranks = {x.code: x.rank for x in applications.levels(session)}
    shorts = short_labels(session)
    history: dict[int, list[Holding]] = defaultdict(list)
    for h in session.scalars(select(Holding).where(Holding.programme == PROGRAMME, Holding.named_on <= on,
                                                   Holding.organisation_id.is_not(None))
                             .order_by(Holding.named_on, Holding.id)):
        history[int(h.organisation_id or 0)].append(h)
    orgs = {o.id: o for o in session.scalars(select(Organisation).where(Organisation.id.in_(list(history))))}
    rows = []
    for oid, hs in history.items():
        current = next((h for h in reversed(hs) if h.ended_on is None or h.ended_on > on), None)
        if current is None and not with_past:
            continue
        org = orgs.get(oid)
        lines = tuple(HeldLine(h.title, h.award or "", h.named_on, h.ended_on if h.ended_on and h.ended_on <= on
                               else None, (h.end_reason or "") if h.ended_on and h.ended_on <= on else "",
                               h.document or "") for h in hs)
        rows.append(RollRow(oid, rules.union_name(org.name) if org else "", (org.township or "") if org else "",
                            current.award or "" if current else "", current.title if current else "",
                            ranks.get(current.award or "", 0) if current else 0,
                            current.named_on if current else None, lines, path_text(lines, shorts)))
    rows.sort(key=lambda r: (-r.rank, r.township, r.unit))
    return rows


def roll(app: App, on: date | None = None) -> list[RollRow]:
    with app.db.session() as s:
        return roll_rows(s, on or date.today())


# -- 评分标准 -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelRow:
    code: str
    rank: int
    title: str
    threshold: int


@dataclass(frozen=True)
class ItemRow:
    id: int
    dimension: str
    item: str
    max_score: int
    evidence: str
    retired: bool


@dataclass(frozen=True)
class StandardView:
    levels: list[LevelRow]
    items: list[ItemRow]
    full_marks: int
    dimensions: list[str]


def standard_view(app: App) -> StandardView:
    with app.db.session() as s:
        lv = [LevelRow(x.code, x.rank, x.title, x.threshold) for x in standard.levels(s)]
        its = [ItemRow(i.id, i.dimension, i.item, i.max_score, i.evidence or "", i.retired)
               for i in standard.items(s, with_retired=True)]
        dims = list(dict.fromkeys(i.dimension for i in its))
        return StandardView(lv, its, standard.full_marks(s), dims)
