"""劳模工匠选树's writes for the UI (the selection side: rounds, nominations, stages): each checks the
account may write, opens one transaction and returns what it changed
(:class:`desktop.changes.Changes`, or :class:`~desktop.changes.Done` with the new record's id).

Refusals are :class:`~db.errors.ValidationError` with a Chinese message, and nothing is written.
The quota never refuses: its warning comes back in the message. The work itself is in ``rounds``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from db.errors import ValidationError
from desktop.accounts.roles import WRITE
from desktop.changes import Changes, Done
from desktop.programmes.core import selection as core
from desktop.programmes.honours import rounds
from desktop.programmes.honours.workflow import NAMED, REPORTED

App = Any  # desktop.context.App (not imported: the registry loads this module for the Action)

ROUNDS, CANDIDATES, MOVES, HOLDINGS = "selection_rounds", "selection_candidates", "selection_moves", "selection_holdings"
TITLES, WORKERS, ORGANISATIONS = "hn_titles", "workers", "organisations"
#: Everything the 评选 page shows: it refreshes on a change to any of these.
TABLES = (ROUNDS, CANDIDATES, MOVES, HOLDINGS, TITLES, WORKERS, ORGANISATIONS, "calendar_days", "settings")
NOMINATIONS = (CANDIDATES, MOVES)


def _with_quota(message: str, warning: str | None) -> str:
    return f"{message}；{warning}" if warning else message


def save_round(app: App, round_id: int | None, *, year: int, title_id: int | None, quota: int | None = None,
               call_start: date | None = None, call_end: date | None = None, name: str | None = None,
               document: str | None = None, note: str | None = None) -> Done[int]:
    """新建评选 / 编辑评选: the round's id comes back."""
    app.require(WRITE, "保存评选")
    with app.db.session() as s:
        r = rounds.save_round(s, round_id, year=year, title_id=title_id, quota=quota, call_start=call_start,
                              call_end=call_end, name=name, document=document, note=note)
        rid, text = r.id, r.name
    return Done(rid, Changes.of(ROUNDS, rows=[(ROUNDS, rid)], message=f"已保存评选：{text}"))


def delete_round(app: App, round_id: int) -> Changes:
    app.require(WRITE, "删除评选")
    with app.db.session() as s:
        name = rounds.delete_round(s, round_id)
    return Changes.of(ROUNDS, rows=[(ROUNDS, round_id)], message=f"已删除评选：{name}")


def nominate(app: App, round_id: int, on: date, *, worker_id: int | None = None, organisation_id: int | None = None,
             team: str | None = None, channel: str | None = "organisation", recommender: str | None = None,
             deeds: str | None = None, materials: str | None = None, note: str | None = None) -> Done[int]:
    """添加推荐 (组织推荐 or 个人自荐): the nomination's id comes back."""
    app.require(WRITE, "添加推荐对象")
    with app.db.session() as s:
        c = rounds.nominate(s, round_id, on, worker_id=worker_id, organisation_id=organisation_id, team=team,
                            channel=channel, recommender=recommender, deeds=deeds, materials=materials, note=note)
        cid, name = c.id, core.name_of(c)
    return Done(cid, Changes.of(*NOMINATIONS, rows=[(ROUNDS, round_id), (CANDIDATES, cid)], message=f"已推荐 {name}"))


def edit_nomination(app: App, candidate_id: int, *, channel: str | None, recommender: str | None, deeds: str | None,
                    materials: str | None, note: str | None, team: str | None = None) -> Changes:
    app.require(WRITE, "修改推荐材料")
    with app.db.session() as s:
        c = rounds.edit_nomination(s, candidate_id, channel=channel, recommender=recommender, deeds=deeds,
                                   materials=materials, note=note, team=team)
        name = core.name_of(c)
    return Changes.of(CANDIDATES, rows=[(CANDIDATES, candidate_id)], message=f"已保存 {name} 的推荐材料")


def delete_nomination(app: App, candidate_id: int) -> Changes:
    app.require(WRITE, "删除推荐对象")
    with app.db.session() as s:
        name = rounds.delete_nomination(s, candidate_id)
    return Changes.of(*NOMINATIONS, rows=[(CANDIDATES, candidate_id)], message=f"已删除推荐对象：{name}")


def advance(app: App, candidate_ids: Sequence[int], on: date, *, document: str | None = None) -> Changes:
    """推进到下一阶段 for one or several nominations, all or none; naming makes the holdings and the
    quota's warning (never a refusal) comes back in the message."""
    if not candidate_ids:
        raise ValidationError("nothing_chosen", "请先选中推荐对象")
    app.require(WRITE, "推进评选阶段")
    with app.db.session() as s:
        names, labels, named, round_ids = [], set(), [], set()
        warning = None
        for cid in candidate_ids:
            c, h = rounds.advance(s, cid, on, document=document)
            names.append(core.name_of(c))
            labels.add(rounds.flow_of(s, c.round).label(c.stage))
            round_ids.add(c.round_id)
            if h is not None:
                named.append(h.id)
        for rid in round_ids:
            r = rounds.get_round(s, rid)
            if any(cand.stage in (NAMED, REPORTED) for cand in r.candidates):
                warning = rounds.quota_message(s, r) or warning
    tables = [*NOMINATIONS, ROUNDS] + ([HOLDINGS] if named else [])
    rows = [(CANDIDATES, i) for i in candidate_ids] + [(HOLDINGS, i) for i in named]
    who = "、".join(names[:5]) + (f" 等 {len(names)} 人" if len(names) > 5 else "")
    return Changes.of(*tables, rows=rows, message=_with_quota(f"{who}：{'、'.join(sorted(labels))}", warning))


def reject(app: App, candidate_id: int, on: date, reason: str) -> Changes:
    """未通过 (or, after 上报, 未获命名) with the reason."""
    app.require(WRITE, "登记未通过")
    with app.db.session() as s:
        c = rounds.reject(s, candidate_id, on, reason)
        name, reason_ = core.name_of(c), c.reason
    return Changes.of(*NOMINATIONS, rows=[(CANDIDATES, candidate_id)], message=f"{name} 未通过：{reason_}")


def start_publicity(app: App, round_id: int, first_day: date, days: int | None = None) -> Changes:
    """开始公示: ``days`` working days (the ``publicity_days`` setting by default) from ``first_day``,
    counted over the holiday table; every nomination at 评审 moves into 公示."""
    app.require(WRITE, "开始公示")
    days = int(days if days is not None else app.settings.get("publicity_days") or 5)
    with app.db.session() as s:
        r, moved = rounds.start_publicity(s, round_id, first_day, days)
        start, end = r.publicity_start, r.publicity_end
        assert start is not None and end is not None
    return Changes.of(*NOMINATIONS, ROUNDS, rows=[(ROUNDS, round_id)] + [(CANDIDATES, c.id) for c in moved],
                      message=f"{len(moved)} 名对象开始公示：{start:%Y-%m-%d} 至 {end:%Y-%m-%d}（{days} 个工作日）")


def nominate_from_entry(app: App, entry_id: int, facts: dict[str, Any], on: date | None = None) -> Changes:
    """推荐评选荣誉（五一劳动奖章）on a competition entry (its RecordRef id and published facts)."""
    app.require(WRITE, "推荐评选荣誉")
    with app.db.session() as s:
        made = rounds.nominate_from_entry(s, entry_id, facts, on or date.today())
        names = "、".join(core.name_of(c) for c in made)
        r = made[0].round
        rid, rname = r.id, r.name
        ids = [c.id for c in made]
    return Changes.of(*NOMINATIONS, ROUNDS, rows=[(ROUNDS, rid)] + [(CANDIDATES, i) for i in ids],
                      message=f"已将 {names} 推荐到“{rname}”")


def competition_action(app: App, ref: Any, facts: dict[str, Any]) -> Changes:
    """The Action honours offers on competition entries (``desktop.registry.Action.run``)."""
    return nominate_from_entry(app, int(ref.id), facts)
