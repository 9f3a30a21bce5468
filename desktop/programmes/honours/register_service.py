"""劳模工匠选树's writes for the title settings and the holder register (劳模档案): each opens one
transaction and returns what it changed (:class:`desktop.changes.Changes`, or
:class:`~desktop.changes.Done` with the new record's id). A refusal is a
:class:`~db.errors.ValidationError` with a Chinese message, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from db.errors import ValidationError
from desktop.changes import Changes, Done
from desktop.programmes.honours import holders, titles

if TYPE_CHECKING:
    from desktop.context import App

TITLES, HOLDINGS, BENEFITS, OUTREACH = "hn_titles", "selection_holdings", "hn_benefits", "hn_outreach"
#: What the title and register pages show: they refresh on a change to any of these.
TABLES = (TITLES, HOLDINGS, BENEFITS, OUTREACH, "selection_rounds", "workers", "organisations", "settings")


# -- titles -----------------------------------------------------------------------------------------


def save_title(app: App, title_id: int | None, values: dict[str, Any]) -> Done[int]:
    with app.db.session() as s:
        t = titles.save_title(s, title_id, values)
        tid, name = t.id, t.name
    return Done(tid, Changes.of(TITLES, rows=[(TITLES, tid)], message=f"已保存荣誉称号：{name}"))


def retire_title(app: App, title_id: int, retired: bool = True) -> Changes:
    with app.db.session() as s:
        name = titles.retire_title(s, title_id, retired).name
    word = "停用" if retired else "重新启用"
    return Changes.of(TITLES, rows=[(TITLES, title_id)], message=f"已{word}荣誉称号：{name}")


def delete_title(app: App, title_id: int) -> Changes:
    with app.db.session() as s:
        name = titles.delete_title(s, title_id)
    return Changes.of(TITLES, rows=[(TITLES, title_id)], message=f"已删除荣誉称号：{name}")


# -- holders ----------------------------------------------------------------------------------------


def add_holder(app: App, title_id: int | None, *, named_on: date | None, year: int | None = None,
               worker_id: int | None = None, organisation_id: int | None = None, team: str | None = None,
               body: str | None = None, document: str | None = None, note: str | None = None) -> Done[int]:
    """登记获得者: a holder named before the program, or by an upper body."""
    with app.db.session() as s:
        h = holders.add_holder(s, title_id, named_on=named_on, year=year, worker_id=worker_id,
                               organisation_id=organisation_id, team=team, body=body, document=document, note=note)
        hid, text = h.id, f"{holders.holder_name(h)}（{h.year}年度{h.title}）"
    return Done(hid, Changes.of(HOLDINGS, rows=[(HOLDINGS, hid)], message=f"已登记获得者：{text}"))


def end_holding(app: App, holding_id: int, on: date, reason: str) -> Changes:
    with app.db.session() as s:
        h = holders.end_holding(s, holding_id, on, reason)
        text = f"{holders.holder_name(h)}的“{h.title}”"
    return Changes.of(HOLDINGS, rows=[(HOLDINGS, holding_id)], message=f"{text}已于 {on:%Y-%m-%d} 终止")


def delete_holding(app: App, holding_id: int) -> Changes:
    with app.db.session() as s:
        text = holders.delete_holding(s, holding_id)
    return Changes.of(HOLDINGS, rows=[(HOLDINGS, holding_id)], message=f"已删除：{text}")


# -- benefits and outreach ------------------------------------------------------------------------------


def give_benefit(app: App, worker_ids: Sequence[int], year: int, kind: str, given_on: date | None,
                 place: str | None = None, note: str | None = None) -> Done[list[int]]:
    """登记待遇 for one holder or several at once (the 本年待落实 list): all or nothing."""
    if not worker_ids:
        raise ValidationError("worker_missing", "请选择享受待遇的劳模")
    labels = app.labels().get("benefit_kind", {})
    with app.db.session() as s:
        ids = [holders.give_benefit(s, wid, year, kind, given_on, place, note).id for wid in worker_ids]
    what = f"{year}年度“{labels.get(kind, kind)}”"
    return Done(ids, Changes.of(BENEFITS, rows=[(BENEFITS, i) for i in ids],
                                message=f"已登记 {len(ids)} 人的{what}"))


def delete_benefit(app: App, benefit_id: int) -> Changes:
    with app.db.session() as s:
        text = holders.delete_benefit(s, benefit_id)
    return Changes.of(BENEFITS, rows=[(BENEFITS, benefit_id)], message=f"已删除{text}")


def add_outreach(app: App, worker_id: int | None, kind: str, held_on: date | None, place: str | None,
                 topic: str | None = None, audience: int | None = None, note: str | None = None) -> Done[int]:
    """登记宣讲: a session a holder gave in an enterprise, a community or a school."""
    with app.db.session() as s:
        o = holders.add_outreach(s, worker_id, kind, held_on, place, topic, audience, note)
        oid, text = o.id, f"{o.worker.name}（{o.place}）"
    return Done(oid, Changes.of(OUTREACH, rows=[(OUTREACH, oid)], message=f"已登记宣讲：{text}"))


def delete_outreach(app: App, outreach_id: int) -> Changes:
    with app.db.session() as s:
        holders.delete_outreach(s, outreach_id)
    return Changes.of(OUTREACH, rows=[(OUTREACH, outreach_id)], message="已删除宣讲记录")
