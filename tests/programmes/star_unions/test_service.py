"""星级工会 over a database: applying (founded only, once a year, one level up), scores per item,
the pass mark, naming, 回头看 lowering and revoking, the history on a past date, the standard
edits, and what the unit's screens see (the register's 星级 column, the unit's facts)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from db.errors import ValidationError
from db.models.core.selection import Holding, StageMove
from db.models.star_unions import StarItem, StarLevel
from desktop import registry
from desktop.context import App
from desktop.programmes.core import register_queries
from desktop.programmes.star_unions import applications, queries, rules, service, standard
from tests.programmes.star_unions.support import make_units, rate, score_all, year_dates

A, B, C = "宁波甬海模具有限公司", "梅林街道岭口新村社区居民委员会", "宁海县小作坊服装厂"


@pytest.fixture
def units(app_ctx: App) -> dict[str, int]:
    return make_units(app_ctx)


def level_on(app: App, org: int, on: date) -> str | None:
    with app.db.session() as s:
        lv = applications.level_on(s, org, on)
        return lv.code if lv else None


def test_the_default_standard_is_seeded(app_ctx: App) -> None:
    with app_ctx.db.session() as s:
        levels = standard.levels(s)
        assert [(lv.title, lv.threshold) for lv in levels] == [
            ("三星级规范达标工会", 60), ("四星级规范活力工会", 75), ("五星级示范工会", 90)]
        assert standard.full_marks(s) == 100
        dims = list(dict.fromkeys(i.dimension for i in standard.items(s)))
        assert dims == ["组织机构建立健全", "工会阵地打造", "和谐劳动关系构建", "丰富多彩活动开展", "职工权益真正落地",
                        "经费管理有道"]
        assert all(i.evidence for i in standard.items(s))
        standard.defaults(s)  # only into empty tables
        assert s.scalar(select(func.count()).select_from(StarItem)) == len(standard.items(s))


def test_founded_only_once_a_year_and_three_stars_first(app_ctx: App, units: dict[str, int]) -> None:
    with pytest.raises(ValidationError, match=f"{C}尚未建立工会") as e:
        service.apply(app_ctx, 2026, units[C], "three", date(2026, 3, 1))
    assert e.value.code == "not_founded"
    with pytest.raises(ValidationError, match=r"须逐级创建.*只能申报三星级规范达标工会"):
        service.apply(app_ctx, 2026, units[A], "four", date(2026, 3, 1))
    done = service.apply(app_ctx, 2026, units[B], "three", date(2026, 3, 1))
    assert "梅林街道岭口新村社区居民委员会工会" in done.changes.message
    with pytest.raises(ValidationError, match=r"已有2026年度的申报.*每个工会每年只能申报一次"):
        service.apply(app_ctx, 2026, units[B], "three", date(2026, 5, 1))
    with app_ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(StageMove)) == 1  # nothing half-written


def test_scores_are_checked_item_by_item_and_stages_need_them(app_ctx: App, units: dict[str, int]) -> None:
    cid = service.apply(app_ctx, 2026, units[A], "three", date(2026, 3, 1)).value
    n = len(queries.score_sheet(app_ctx, cid).lines)
    with pytest.raises(ValidationError, match=f"自评评分尚未完成：{n} 项未评分"):
        service.advance(app_ctx, cid, rules.SELF, date(2026, 4, 1))
    sheet = queries.score_sheet(app_ctx, cid)
    first = sheet.lines[0]
    with pytest.raises(ValidationError, match=f"“{first.item}”的得分 9 超过该项分值 5 分"):
        service.save_scores(app_ctx, cid, rules.SELF, {first.item_id: ("9", "")})
    with pytest.raises(ValidationError, match="不能再录入镇初审评分"):
        service.save_scores(app_ctx, cid, rules.TOWN, {first.item_id: ("4", "")})
    service.save_scores(app_ctx, cid, rules.SELF, {first.item_id: ("4.5", "建会批复已查阅")})
    with pytest.raises(ValidationError, match=f"{n - 1} 项未评分"):
        service.advance(app_ctx, cid, rules.SELF, date(2026, 4, 1))
    score_all(app_ctx, cid, rules.SELF, 0.8, date(2026, 4, 1))
    row = queries.year_view(app_ctx, 2026).rows[0]
    assert row.stage == rules.SELF and row.totals[rules.SELF] == row.score and row.score is not None
    assert queries.score_sheet(app_ctx, cid).lines[0].evidence == "已查阅"
    with pytest.raises(ValidationError, match="请按顺序推进"):
        service.advance(app_ctx, cid, rules.NAMED, date(2026, 5, 1))
    score_all(app_ctx, cid, rules.TOWN, 0.5, date(2026, 6, 1))
    score_all(app_ctx, cid, rules.COUNTY, 0.5, date(2026, 9, 1))
    with pytest.raises(ValidationError, match=r"县评定得分 5\d(\.5)? 分，低于三星级规范达标工会的达标分数 60 分"):
        service.advance(app_ctx, cid, rules.NAMED, date(2026, 11, 20))
    with pytest.raises(ValidationError, match="不能再录入自评评分"):
        service.save_scores(app_ctx, cid, rules.SELF, {first.item_id: ("4", "")})
    service.advance(app_ctx, cid, "failed", date(2026, 11, 20), "县评定未达标")
    row = queries.year_view(app_ctx, 2026).rows[0]
    assert row.stage_label == "未通过" and row.reason == "县评定未达标" and row.scoring == ()
    assert level_on(app_ctx, units[A], date(2026, 12, 1)) is None


def test_rate_three_then_four_then_lower_at_review(app_ctx: App, units: dict[str, int]) -> None:
    org = units[A]
    first = rate(app_ctx, 2024, org, "three", year_dates(2024), share=0.7)
    assert level_on(app_ctx, org, date(2024, 11, 20)) == "three"
    assert level_on(app_ctx, org, date(2024, 11, 19)) is None
    with pytest.raises(ValidationError, match="只能申报四星级规范活力工会"):
        service.apply(app_ctx, 2025, org, "five", date(2025, 3, 1))
    second = rate(app_ctx, 2025, org, "four", year_dates(2025), share=0.9)
    with app_ctx.db.session() as s:
        hs = s.scalars(select(Holding).where(Holding.organisation_id == org).order_by(Holding.named_on)).all()
        assert [(h.award, h.ended_on, h.end_reason) for h in hs] == [
            ("three", date(2025, 11, 20), "晋升为四星级规范活力工会"), ("four", None, None)]
        assert hs[1].title == "四星级规范活力工会" and hs[1].document == "宁工〔2025〕21号" and hs[1].candidate_id == second
    # the history on a past date
    assert level_on(app_ctx, org, date(2025, 6, 1)) == "three"
    assert level_on(app_ctx, org, date(2026, 1, 1)) == "four"
    with pytest.raises(ValidationError, match="此次命名的星级已终止（现为四星级规范活力工会）"):
        service.review(app_ctx, first, date(2026, 4, 1), rules.KEEP, None)
    with pytest.raises(ValidationError, match="须填写原因"):
        service.review(app_ctx, second, date(2026, 4, 1), rules.LOWER, "")
    done = service.review(app_ctx, second, date(2026, 4, 1), rules.LOWER, "职工之家关闭")
    assert done.touches("organisations") and ("organisations", org) in done.rows
    assert "降为三星级规范达标工会" in done.message
    assert level_on(app_ctx, org, date(2026, 3, 31)) == "four"
    assert level_on(app_ctx, org, date(2026, 4, 1)) == "three"
    roll = {r.organisation_id: r for r in queries.roll(app_ctx, date(2026, 5, 1))}
    assert roll[org].title == "三星级规范达标工会"
    assert [(h.award, h.end_reason) for h in roll[org].history] == [
        ("three", "晋升为四星级规范活力工会"), ("four", "回头看降级：职工之家关闭"), ("three", "")]
    past = {r.organisation_id: r for r in queries.roll(app_ctx, date(2026, 1, 1))}
    assert past[org].title == "四星级规范活力工会"
    row = next(r for r in queries.year_view(app_ctx, 2025).rows if r.id == second)
    assert row.stage_label == "回头看" and row.review == rules.LOWER and row.reason == "职工之家关闭"
    with pytest.raises(ValidationError, match="没有下一阶段"):
        service.review(app_ctx, second, date(2026, 6, 1), rules.REVOKE, "再查")
    # the lowered union climbs again: four stars is the next level
    with pytest.raises(ValidationError, match="只能申报四星级规范活力工会"):
        service.apply(app_ctx, 2026, org, "five", date(2026, 5, 1))


def test_naming_checks_the_climb_again_and_revoking(app_ctx: App, units: dict[str, int]) -> None:
    org = units[B]
    first = rate(app_ctx, 2024, org, "three", year_dates(2024))
    cid = service.apply(app_ctx, 2025, org, "four", date(2025, 3, 1)).value
    for stage, on in ((rules.SELF, date(2025, 4, 1)), (rules.TOWN, date(2025, 5, 1)), (rules.COUNTY, date(2025, 6, 1))):
        score_all(app_ctx, cid, stage, 0.95, on)
    service.review(app_ctx, first, date(2025, 7, 1), rules.REVOKE, "工会组织长期不运转")
    assert level_on(app_ctx, org, date(2025, 7, 1)) is None
    with pytest.raises(ValidationError, match="尚未评定星级，不能命名四星级规范活力工会"):
        service.advance(app_ctx, cid, rules.NAMED, date(2025, 11, 20))
    with pytest.raises(ValidationError, match="已命名的对象不能删除"):
        service.delete(app_ctx, first)
    service.delete(app_ctx, cid)
    assert [r.id for r in queries.year_view(app_ctx, 2025).rows] == []


def test_the_register_column_and_the_units_facts(app_ctx: App, units: dict[str, int]) -> None:
    org = units[A]
    today = date.today()
    rate(app_ctx, today.year - 1, org, "three", year_dates(today.year - 1))
    service.apply(app_ctx, today.year, units[B], "three", today - timedelta(days=1))
    column = next(c for c in registry.fact_columns("organisations") if c.label == rules.LEVEL_LABEL)
    with app_ctx.db.session() as s:
        assert column.values(s, list(units.values())) == {org: "三星级"}
        facts = registry.organisation_facts(s, org)
        assert [(f.label, f.kind) for f in facts if f.programme == "star_unions"] == [("三星级规范达标工会", "star")]
        pending = [f for f in registry.organisation_facts(s, units[B]) if f.programme == "star_unions"]
        assert [(f.label, f.detail, f.kind) for f in pending] == [(f"{today.year}年度申报三星级工会", "申报",
                                                                  "star_application")]
    table = register_queries.register_table(app_ctx, "organisations", app_ctx.labels())
    col = [c.label for c in table.columns].index("星级")
    shown = {rid: row[col] for rid, row in zip(table.ids, table.rows, strict=True)}
    assert shown[org] == "三星级" and shown[units[C]] in (None, "")


def test_the_standard_is_edited(app_ctx: App, units: dict[str, int]) -> None:
    view = queries.standard_view(app_ctx)
    with pytest.raises(ValidationError, match="不能高于四星级规范活力工会（75）"):
        service.save_level(app_ctx, "three", "三星级规范达标工会", 80)
    service.save_level(app_ctx, "three", "三星级规范达标工会", 65)
    with app_ctx.db.session() as s:
        assert s.get(StarLevel, "three").threshold == 65
    new = service.save_item(app_ctx, None, "工会阵地打造", "建有户外劳动者服务站点", 3, "现场照片").value
    after = queries.standard_view(app_ctx)
    assert after.full_marks == 103
    dims = [i.dimension for i in after.items]
    assert dims.index("工会阵地打造") < [i.id for i in after.items].index(new) < dims.index("和谐劳动关系构建")
    with pytest.raises(ValidationError, match="分值应在 1～100 之间"):
        service.save_item(app_ctx, new, "工会阵地打造", "建有户外劳动者服务站点", 0, "")
    assert "已删除" in service.delete_item(app_ctx, new).message
    cid = service.apply(app_ctx, 2026, units[A], "three", date(2026, 3, 1)).value
    used = view.items[0]
    service.save_scores(app_ctx, cid, rules.SELF, {used.id: ("5", "")})
    with pytest.raises(ValidationError, match="分值不能低于此分"):
        service.save_item(app_ctx, used.id, used.dimension, used.item, 4, used.evidence)
    assert "已停用" in service.delete_item(app_ctx, used.id).message
    with app_ctx.db.session() as s:
        assert s.get(StarItem, used.id).retired and standard.full_marks(s) == 95
    lines = queries.score_sheet(app_ctx, cid).lines
    assert lines[0].item_id == used.id and lines[0].retired and lines[0].scores[rules.SELF] == Decimal(5)
