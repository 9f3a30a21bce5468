"""星级工会's writes for the UI: each opens one transaction and returns what it changed
(:class:`desktop.changes.Changes`, or :class:`~desktop.changes.Done`). Refusals are
:class:`~db.errors.ValidationError` with a Chinese message, and nothing is written. The work
itself is in ``applications`` and ``standard``, over a session.

A change of a union's level also names the unit's row of ``organisations``: the register's
星级 column and the unit's page refresh.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from db.models.core.selection import Candidacy
from desktop.changes import Changes, Done
from desktop.programmes.star_unions import applications, rules, standard
from desktop.programmes.star_unions.rules import WORKFLOW

if TYPE_CHECKING:
    from desktop.context import App

ROUNDS, CANDIDATES, MOVES, HOLDINGS = "selection_rounds", "selection_candidates", "selection_moves", "selection_holdings"
LEVELS, ITEMS, SCORES, ORGANISATIONS = "sr_levels", "sr_items", "sr_scores", "organisations"
#: Everything the tab shows: it refreshes on a change to any of these.
TABLES = (ROUNDS, CANDIDATES, MOVES, HOLDINGS, LEVELS, ITEMS, SCORES, ORGANISATIONS, "settings")


def _unit(c: Candidacy) -> str:
    return rules.union_name(c.organisation.name) if c.organisation is not None else ""


def apply(app: App, year: int, organisation_id: int | None, level: str | None, on: date, *,
          materials: str | None = None, note: str | None = None) -> Done[int]:
    """新增申报: the new application's id."""
    with app.db.session() as s:
        c = applications.apply(s, year, organisation_id, level, on, materials=materials, note=note)
        cid, unit, title = c.id, _unit(c), applications.level_of(s, c.award).title
    return Done(cid, Changes.of(ROUNDS, CANDIDATES, MOVES, rows=[(CANDIDATES, cid)],
                                message=f"已登记{unit}申报{year}年度{title}"))


def save_scores(app: App, candidate_id: int, stage: str, values: dict[int, tuple[object, object]], *,
                advance_on: date | None = None) -> Changes:
    """One assessment's scores; with ``advance_on`` the application then reaches that stage
    (all in one transaction: refused together)."""
    with app.db.session() as s:
        c = applications.save_scores(s, candidate_id, stage, values)
        moved = ""
        if advance_on is not None and c.stage != stage:
            applications.advance(s, candidate_id, stage, advance_on)
            moved = f"，已进入“{WORKFLOW.label(stage)}”"
        unit, score = _unit(c), rules.fmt(c.score)
    return Changes.of(SCORES, CANDIDATES, MOVES, rows=[(CANDIDATES, candidate_id)],
                      message=f"已保存{unit}的{WORKFLOW.label(stage)}评分（合计 {score} 分）{moved}")


def advance(app: App, candidate_id: int, target: str, on: date, reason: str | None = None, *,
            document: str | None = None) -> Changes:
    """推进 to the next stage, 未通过 with a reason, or 命名 (the level held from ``on``)."""
    with app.db.session() as s:
        c = applications.advance(s, candidate_id, target, on, reason, document=document)
        unit, org = _unit(c), c.organisation_id
        title = applications.level_of(s, c.award).title
    if target == rules.NAMED:
        return Changes.of(CANDIDATES, MOVES, HOLDINGS, ROUNDS, ORGANISATIONS,
                          rows=[(CANDIDATES, candidate_id), (ORGANISATIONS, int(org or 0))],
                          message=f"{unit}被命名为{title}")
    return Changes.of(CANDIDATES, MOVES, rows=[(CANDIDATES, candidate_id)],
                      message=f"{unit}：{WORKFLOW.label(target)}")


def review(app: App, candidate_id: int, on: date, result: str, reason: str | None) -> Changes:
    """回头看: 保持, 降级 or 撤销."""
    with app.db.session() as s:
        c = applications.review(s, candidate_id, on, result, reason)
        unit, org = _unit(c), int(c.organisation_id or 0)
        now = applications.level_on(s, org, on)
    said = {rules.KEEP: "保持星级", rules.LOWER: f"降为{now.title if now else ''}", rules.REVOKE: "撤销星级"}[result]
    return Changes.of(CANDIDATES, MOVES, HOLDINGS, ORGANISATIONS,
                      rows=[(CANDIDATES, candidate_id), (ORGANISATIONS, org)],
                      message=f"回头看：{unit}{said}")


def delete(app: App, candidate_id: int) -> Changes:
    with app.db.session() as s:
        unit = applications.delete(s, candidate_id)
    return Changes.of(CANDIDATES, MOVES, SCORES, rows=[(CANDIDATES, candidate_id)], message=f"已删除{unit}的申报")


# -- the standard ------------------------------------------------------------------------------------------


def save_level(app: App, code: str, title: object, threshold: object) -> Changes:
    with app.db.session() as s:
        lv = standard.save_level(s, code, title, threshold)
        text = f"已保存{lv.title}（达标分数 {lv.threshold} 分）"
    return Changes.of(LEVELS, message=text)


def save_item(app: App, item_id: int | None, dimension: object, item: object, max_score: object, evidence: object,
              *, retired: bool = False) -> Done[int]:
    with app.db.session() as s:
        it = standard.save_item(s, item_id, dimension, item, max_score, evidence, retired=retired)
        iid, text, full = it.id, it.item, standard.full_marks(s)
    return Done(iid, Changes.of(ITEMS, rows=[(ITEMS, iid)], message=f"已保存“{text}”，评分标准满分 {full} 分"))


def delete_item(app: App, item_id: int) -> Changes:
    with app.db.session() as s:
        text = standard.delete_item(s, item_id)
    return Changes.of(ITEMS, rows=[(ITEMS, item_id)], message=text)
