"""星级工会's work over a session: the yearly round, applications, scores, naming and 回头看.

Every function works inside the caller's transaction (``service`` opens it) and refuses with a
:class:`~db.errors.ValidationError` before it writes (rules in ``rules``). A level held is a
core :class:`~db.models.core.selection.Holding` (programme ``star_unions``, ``award`` the level
code): naming ends the level below from that day and starts the new one, so on any date a union
holds at most one level (``level_on``). No Qt.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import ValidationError
from db.models.core.registers import Organisation
from db.models.core.selection import Candidacy, Holding, SelectionRound
from db.models.star_unions import StarItem, StarScore
from desktop.programmes.core import selection as core
from desktop.programmes.star_unions import rules, standard
from desktop.programmes.star_unions.rules import PROGRAMME, WORKFLOW, Level


def round_name(year: int) -> str:
    return f"{year}年度星级工会创建评定"


def round_for(session: Session, year: int) -> SelectionRound | None:
    return session.scalars(select(SelectionRound).where(SelectionRound.programme == PROGRAMME,
                                                        SelectionRound.year == year)
                           .order_by(SelectionRound.id)).first()


def ensure_round(session: Session, year: int) -> SelectionRound:
    """The year's round, made on first use."""
    r = round_for(session, year)
    if r is None:
        r = SelectionRound(programme=PROGRAMME, year=year, name=round_name(year))
        session.add(r)
        session.flush()
    return r


def levels(session: Session) -> list[Level]:
    return [Level(lv.code, lv.rank, lv.title, lv.threshold) for lv in standard.levels(session)]


def level_of(session: Session, code: str | None) -> Level:
    lv = standard.level(session, code)
    return Level(lv.code, lv.rank, lv.title, lv.threshold)


def holding_on(session: Session, organisation_id: int, on: date) -> Holding | None:
    """The star level a union held on ``on`` (its holding), or None."""
    held = core.held_on(session, PROGRAMME, on, organisation_id=organisation_id)
    return held[-1] if held else None


def level_on(session: Session, organisation_id: int, on: date) -> Level | None:
    """The level a union held on ``on`` (a past date answers from the history)."""
    h = holding_on(session, organisation_id, on)
    if h is None:
        return None
    known = {lv.code: lv for lv in levels(session)}
    return known.get(h.award or "") or Level(h.award or "", 0, h.title, 0)


def candidacy(session: Session, candidate_id: int) -> Candidacy:
    c = session.get(Candidacy, candidate_id)
    if c is None or c.round.programme != PROGRAMME:
        raise ValidationError("not_found", core.NOT_FOUND)
    return c


def _unit(c: Candidacy) -> str:
    return rules.union_name(c.organisation.name) if c.organisation is not None else "（未填写单位）"


# -- applying -------------------------------------------------------------------------------------


def apply(session: Session, year: int, organisation_id: int | None, level_code: str | None, on: date, *,
          materials: str | None = None, note: str | None = None) -> Candidacy:
    """A union's application for the year: founded unions only, one a year, one level up."""
    if not organisation_id:
        raise ValidationError("unit_missing", "请选择申报单位")
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise ValidationError("not_found", "申报单位已不存在（可能已被删除）")
    rules.check_founded(org.name, org.union_form)
    if not level_code:
        raise ValidationError("level_missing", f"请选择{org.name}申报的星级")
    wanted = level_of(session, level_code)
    rules.check_climb(rules.union_name(org.name), levels(session), level_on(session, org.id, on), wanted)
    r = ensure_round(session, year)
    session.get(SelectionRound, r.id, with_for_update=True)  # two clerks applying for one union take turns
    earlier = session.scalars(select(Candidacy).where(Candidacy.round_id == r.id,
                                                      Candidacy.organisation_id == org.id)).first()
    if earlier is not None:
        raise ValidationError("duplicate", f"{rules.union_name(org.name)}已有{year}年度的申报"
                                           f"（{wanted.title if earlier.award == wanted.code else earlier.award}，"
                                           f"{WORKFLOW.label(earlier.stage)}），每个工会每年只能申报一次")
    c = Candidacy(round_id=r.id, organisation_id=org.id, award=wanted.code, materials=(materials or "").strip() or None,
                  note=(note or "").strip() or None)
    return core.start(session, WORKFLOW, c, on)


# -- scores ---------------------------------------------------------------------------------------------


def score_rows(session: Session, candidate_id: int) -> list[tuple[StarItem, StarScore | None]]:
    """The items an application is scored on (those in use and any it was scored on before),
    with its scores, in the standard's order."""
    scored = {s.item_id: s for s in session.scalars(select(StarScore).where(StarScore.candidate_id == candidate_id))}
    shown = [it for it in standard.items(session, with_retired=True) if not it.retired or it.id in scored]
    return [(it, scored.get(it.id)) for it in shown]


def total(rows: list[tuple[StarItem, StarScore | None]], stage: str) -> Decimal | None:
    """The sum of one assessment's scores (None when nothing is scored yet)."""
    column = rules.SCORED[stage]
    values = [getattr(s, column) for _it, s in rows if s is not None and getattr(s, column) is not None]
    return sum(values, Decimal("0")) if values else None


def unscored(rows: list[tuple[StarItem, StarScore | None]], stage: str) -> list[str]:
    column = rules.SCORED[stage]
    return rules.missing((it.item, getattr(s, column) if s is not None else None) for it, s in rows if not it.retired)


def _refresh_score(session: Session, c: Candidacy) -> None:
    rows = score_rows(session, c.id)
    c.score = next((t for t in (total(rows, st) for st in (rules.COUNTY, rules.TOWN, rules.SELF)) if t is not None),
                   None)


def save_scores(session: Session, candidate_id: int, stage: str, values: dict[int, tuple[object, object]]) -> Candidacy:
    """One assessment's scores ``{item_id: (score, evidence note)}``; scores left empty are
    cleared. Refused when that assessment cannot be scored now, naming the item for a bad score."""
    c = candidacy(session, candidate_id)
    if stage not in rules.SCORED:
        raise ValidationError("stage_unknown", f"未知的评分阶段：{stage}")
    if stage not in rules.scoring_stages(c.stage):
        raise ValidationError("stage_closed", f"{_unit(c)}当前为“{WORKFLOW.label(c.stage)}”，"
                                              f"不能再录入{WORKFLOW.label(stage)}评分")
    column = rules.SCORED[stage]
    rows = {it.id: (it, s) for it, s in score_rows(session, c.id)}
    parsed: dict[int, tuple[Decimal | None, str | None]] = {}
    for item_id, (raw, evidence) in values.items():
        if item_id not in rows:
            raise ValidationError("not_found", "评分内容已不存在（可能已被删除），请重新打开评分")
        it = rows[item_id][0]
        note = " ".join(str(evidence or "").split()) or None
        parsed[item_id] = (rules.parse_score(raw, it.max_score, it.item), note)
    for item_id, (score, note) in parsed.items():
        s = rows[item_id][1]
        if s is None:
            if score is None and note is None:
                continue
            s = StarScore(candidate_id=c.id, item_id=item_id)
            session.add(s)
        setattr(s, column, score)
        s.evidence = note
    session.flush()
    session.expire(c)
    _refresh_score(session, c)
    session.flush()
    return c


# -- moving on ------------------------------------------------------------------------------------------


def advance(session: Session, candidate_id: int, target: str, on: date, reason: str | None = None, *,
            document: str | None = None) -> Candidacy:
    """One step: an assessment reached needs its scores complete; naming needs the climb and the
    pass mark checked again and makes the holding (the level below ends that day)."""
    c = candidacy(session, candidate_id)
    core.check_move(WORKFLOW, c.stage, target, reason)
    if target == rules.REVIEW:
        raise ValidationError("use_review", "回头看请使用“回头看…”登记结果")
    rows = score_rows(session, c.id)
    if target in rules.SCORED:
        rules.check_complete(WORKFLOW.label(target), unscored(rows, target))
    holding_before: Holding | None = None
    wanted: Level | None = None
    if target == rules.NAMED:
        wanted = level_of(session, c.award)
        rules.check_climb(_unit(c), levels(session), level_on(session, c.organisation_id or 0, on), wanted, "命名")
        rules.check_threshold(_unit(c), wanted, total(rows, rules.COUNTY))
        holding_before = holding_on(session, c.organisation_id or 0, on)
        if holding_before is not None and holding_before.named_on == on:
            raise ValidationError("date_order", f"{_unit(c)}于 {on:%Y-%m-%d} 刚命名{holding_before.title}，"
                                                "晋升的命名日期应晚于此日")
    core.move(session, WORKFLOW, c.id, target, on, reason)
    if target == rules.NAMED and wanted is not None:
        r = c.round
        doc = (document or "").strip() or r.document
        if document and document.strip():
            r.document = document.strip()[:60]
        if r.named_on is None or on < r.named_on:
            r.named_on = on
        if holding_before is not None:
            core.end_holding(session, holding_before.id, on, f"晋升为{wanted.title}")
        core.hold(session, PROGRAMME, c, title=wanted.title, year=r.year, named_on=on, award=wanted.code,
                  level="county", document=doc)
    return c


def review(session: Session, candidate_id: int, on: date, result: str, reason: str | None) -> Candidacy:
    """回头看 of a named union: 保持, 降级 (the level below from ``on``) or 撤销 (no level from ``on``)."""
    c = candidacy(session, candidate_id)
    core.check_move(WORKFLOW, c.stage, rules.REVIEW, reason)  # only a named union (命名 → 回头看)
    h = session.scalars(select(Holding).where(Holding.candidate_id == c.id, Holding.programme == PROGRAMME)
                        .order_by(Holding.named_on.desc(), Holding.id.desc())).first()
    if h is None or (h.ended_on is not None and h.ended_on <= on):
        later = holding_on(session, c.organisation_id or 0, on)
        now = f"（现为{later.title}）" if later is not None else ""
        raise ValidationError("holding_ended", f"{_unit(c)}此次命名的星级已终止{now}，请对最近一次命名进行回头看")
    current = level_of(session, h.award)
    below = rules.level_below(levels(session), current)
    rules.check_review(result, reason, current, below)
    if on < h.named_on:
        raise ValidationError("date_order", f"回头看日期不能早于命名日期（{h.named_on:%Y-%m-%d}）")
    why = (reason or "").strip()
    if result == rules.LOWER and below is not None:
        core.end_holding(session, h.id, on, f"{rules.LOWERED}：{why}")
        lowered = core.hold(session, PROGRAMME, c, title=below.title, year=on.year, named_on=on, award=below.code,
                            level="county")
        lowered.note = lowered_note(current.title)
    elif result == rules.REVOKE:
        core.end_holding(session, h.id, on, f"{rules.REVOKED}：{why}")
    core.move(session, WORKFLOW, c.id, rules.REVIEW, on, why or None)
    c.review = result
    session.flush()
    return c


def lowered_note(was: str) -> str:
    """The note on a level held after 回头看 lowered it: 回头看降级（原为五星级示范工会）."""
    return f"{rules.LOWERED}（原为{was}）"


def delete(session: Session, candidate_id: int) -> str:
    c = candidacy(session, candidate_id)
    unit = _unit(c)
    core.delete_candidacy(session, WORKFLOW, c.id)
    return unit
