"""What the 星级工会 tests share: three units (one without a union) and helpers that score and
move an application through the service, as the tab does."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from db.models.core.registers import Organisation
from desktop.context import App
from desktop.programmes.star_unions import queries, rules, service

UNITS = (("宁波甬海模具有限公司", "own", "桃源街道"), ("梅林街道岭口新村社区居民委员会", "federation", "梅林街道"),
         ("宁海县小作坊服装厂", "none", "桃源街道"))


def make_units(app: App) -> dict[str, int]:
    with app.db.session() as s:
        ids = {}
        for name, form, town in UNITS:
            o = Organisation(name=name, union_form=form, township=town, union_chair="陈建华")
            s.add(o)
            s.flush()
            ids[name] = o.id
    return ids


def score_all(app: App, cid: int, stage: str, share: float, on: date | None = None) -> None:
    """Score every item at ``share`` of its maximum (rounded down to 0.5) and, with ``on``, reach the stage."""
    sheet = queries.score_sheet(app, cid)
    values = {ln.item_id: (str((Decimal(ln.max_score * share) * 2).to_integral_value(rounding="ROUND_FLOOR") / 2),
                           "已查阅") for ln in sheet.lines}
    service.save_scores(app, cid, stage, values, advance_on=on)


def rate(app: App, year: int, org: int, level: str, dates: list[date], share: float = 0.95) -> int:
    """An application named at the end: 申报, three assessments, 命名 on ``dates[4]``."""
    cid = service.apply(app, year, org, level, dates[0]).value
    for stage, on in zip((rules.SELF, rules.TOWN, rules.COUNTY), dates[1:4], strict=True):
        score_all(app, cid, stage, share, on)
    service.advance(app, cid, rules.NAMED, dates[4], document=f"宁工〔{year}〕21号")
    return cid


def year_dates(year: int) -> list[date]:
    return [date(year, 3, 1), date(year, 4, 1), date(year, 6, 1), date(year, 9, 1), date(year, 11, 20)]
