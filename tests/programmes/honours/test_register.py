"""劳模工匠选树's register side without Qt: the seeded titles, retire vs delete, holders and the
history on a past date, the 本年待落实 list, worker and organisation facts (and 红色工匠's hint),
certificate records (a collective's too) and the three reports read back."""

from __future__ import annotations

import random
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from db.errors import ValidationError
from db.models.core.registers import Organisation, Worker
from db.models.core.selection import SelectionRound
from db.models.honours import HonourTitle
from db.models.red_craftsman import TRACK_B
from desktop import registry
from desktop.context import App
from desktop.programmes.core import selection as core
from desktop.programmes.honours import (
    certificates,
    facts,
    holders,
    register_queries,
    register_service,
    titles,
)
from desktop.programmes.honours.register_reports import report_specs
from desktop.report_runner import write_report
from tests.support import valid_id

YEAR = date.today().year


@pytest.fixture
def people(app_ctx: App) -> dict[str, int]:
    """Two units and four workers; the seeded titles."""
    with app_ctx.db.session() as s:
        titles.seed_titles(s)
        a = Organisation(name="宁海县跃龙模具有限公司", ownership="non_public", kind="enterprise")
        b = Organisation(name="宁波天锋汽车零部件有限公司", ownership="non_public", kind="enterprise")
        s.add_all([a, b])
        ids: dict[str, int] = {"跃龙": 0, "天锋": 0}
        for i, (name, grade, status) in enumerate((("周国全", "technician", "masses"), ("姚正新", "senior", "party_member"),
                                                   ("李春成", "senior_technician", "masses"), ("赵刚", "junior", "masses"))):
            w = Worker(name=name, id_number=valid_id(seq=i + 1), skill_grade=grade, political_status=status,
                       trade="数控铣工", employer=a if i < 2 else b)
            s.add(w)
            s.flush()
            ids[name] = w.id
        ids["跃龙"], ids["天锋"] = a.id, b.id
    return ids


def title_id(app: App, name: str) -> int:
    with app.db.session() as s:
        t = titles.by_name(s, name)
        assert t is not None, name
        return t.id


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The honours programme in the registry (until the lead adds it to PROGRAMMES)."""
    import desktop.programmes as progs

    if "desktop.programmes.honours" not in progs.PROGRAMMES:
        monkeypatch.setattr(progs, "PROGRAMMES", (*progs.PROGRAMMES, "desktop.programmes.honours"))
    registry._entries.cache_clear()
    registry.programme.cache_clear()
    yield
    registry._entries.cache_clear()
    registry.programme.cache_clear()


# -- titles ----------------------------------------------------------------------------------------


def test_seeded_titles_carry_the_seeds_figures(app_ctx: App) -> None:
    with app_ctx.db.session() as s:
        titles.seed_titles(s)
        titles.seed_titles(s)  # only into an empty table
        rows = {t.name: t for t in s.scalars(select(HonourTitle))}
    assert len(rows) == len(titles.SEEDS)
    e = rows["卓越工程师"]
    assert (e.level, e.quota, e.reward, e.cycle_years, e.benefits) == ("city", 20, 2000, 1, True)
    assert "市级劳动模范" in (e.priority or "") and "003" in (e.source or "")
    assert (rows["河洛工匠"].quota, rows["河洛大工匠"].cycle_years, rows["河洛大工匠"].quota_note) == (50, 2, "5至10名")
    assert {rows[n].level for n in ("县级五一劳动奖章", "省级五一劳动奖章", "全国五一劳动奖章")} == {
        "county", "province", "national"}
    for name in ("五一劳动奖状", "工人先锋号", "劳动和技能竞赛先进单位", "模范集体"):
        assert rows[name].recipient == "collective", name
    for name in ("港城工匠", "首席工人", "市级技术能手", "县级劳动模范"):
        assert name in rows
    assert titles.COUNTY_MEDAL in rows


def test_title_rules_retire_not_delete_once_used(app_ctx: App, people: dict[str, int]) -> None:
    done = register_service.save_title(app_ctx, None, {"name": "  镇级技术标兵 ", "level": "town", "recipient": "person",
                                                       "cycle_years": 1, "quota": 10, "reward": 500})
    new = done.value
    with pytest.raises(ValidationError, match="已有名为“镇级技术标兵”"):
        register_service.save_title(app_ctx, None, {"name": "镇级技术标兵", "level": "town", "recipient": "person"})
    with pytest.raises(ValidationError, match="荣誉称号"):
        register_service.save_title(app_ctx, None, {"name": "", "level": "town", "recipient": "person"})
    with pytest.raises(ValidationError, match="评选周期"):
        register_service.save_title(app_ctx, new, {"name": "镇级技术标兵", "level": "town", "recipient": "person",
                                                   "cycle_years": 30})
    register_service.delete_title(app_ctx, new)  # unused: deleted
    assert not any(t.name == "镇级技术标兵" for t in register_queries.titles(app_ctx))

    medal = title_id(app_ctx, titles.COUNTY_MEDAL)
    register_service.add_holder(app_ctx, medal, named_on=date(YEAR - 1, 4, 28), worker_id=people["周国全"])
    with pytest.raises(ValidationError, match=r"不能删除.*停用"):
        register_service.delete_title(app_ctx, medal)
    with pytest.raises(ValidationError, match="不能改变授予对象"):
        register_service.save_title(app_ctx, medal, {"name": titles.COUNTY_MEDAL, "level": "county",
                                                     "recipient": "collective"})
    engineer = title_id(app_ctx, "卓越工程师")
    with app_ctx.db.session() as s:
        s.add(SelectionRound(programme="honours", year=YEAR, name=f"{YEAR}年度卓越工程师推荐", award_id=engineer))
    with pytest.raises(ValidationError, match="1 次评选"):
        register_service.delete_title(app_ctx, engineer)
    register_service.retire_title(app_ctx, medal)
    row = next(t for t in register_queries.titles(app_ctx) if t.id == medal)
    assert row.retired and row.holders == 1 and row.in_use
    # renaming keeps what the holder was named with
    register_service.save_title(app_ctx, medal, {**row.values(), "name": "县五一劳动奖章"})
    assert register_queries.holders_list(app_ctx)[0].title == titles.COUNTY_MEDAL
    register_service.retire_title(app_ctx, medal, False)
    assert not next(t for t in register_queries.titles(app_ctx) if t.id == medal).retired


# -- holders and history -------------------------------------------------------------------------------


def test_holders_history_on_a_past_date(app_ctx: App, people: dict[str, int]) -> None:
    medal, pioneer = title_id(app_ctx, titles.COUNTY_MEDAL), title_id(app_ctx, "工人先锋号")
    first = register_service.add_holder(app_ctx, medal, named_on=date(2022, 4, 28), worker_id=people["周国全"],
                                        document="县总工〔2022〕12号").value
    with pytest.raises(ValidationError, match="已登记为2022年度"):
        register_service.add_holder(app_ctx, medal, named_on=date(2022, 4, 29), worker_id=people["周国全"])
    with pytest.raises(ValidationError, match="授予集体，请选择"):
        register_service.add_holder(app_ctx, pioneer, named_on=date(2023, 4, 28), worker_id=people["周国全"])
    with pytest.raises(ValidationError, match="授予个人"):
        register_service.add_holder(app_ctx, medal, named_on=date(2023, 4, 28), organisation_id=people["跃龙"])
    team = register_service.add_holder(app_ctx, pioneer, named_on=date(2023, 4, 28), organisation_id=people["跃龙"],
                                       team="数控车间一班").value
    register_service.end_holding(app_ctx, first, date(2024, 6, 1), "因违纪被撤销称号")
    with pytest.raises(ValidationError, match="已于 2024-06-01 终止"):
        register_service.end_holding(app_ctx, first, date(2024, 7, 1), "重复")
    with app_ctx.db.session() as s:
        then = {(h.title, h.worker_id or h.organisation_id) for h in core.held_on(s, "honours", date(2023, 12, 31))}
        now = {h.title for h in core.held_on(s, "honours", date.today())}
    assert then == {(titles.COUNTY_MEDAL, people["周国全"]), ("工人先锋号", people["跃龙"])}
    assert now == {"工人先锋号"}
    rows = {r.id: r for r in register_queries.holders_list(app_ctx)}
    assert rows[team].holder == "宁海县跃龙模具有限公司数控车间一班" and rows[team].collective
    assert rows[first].ended_on == date(2024, 6, 1) and rows[first].id_number.endswith(valid_id(seq=1)[-3:])
    assert valid_id(seq=1) not in rows[first].id_number  # masked
    register_service.delete_holding(app_ctx, team)
    assert team not in {r.id for r in register_queries.holders_list(app_ctx)}


def test_benefits_and_the_still_due_list(app_ctx: App, people: dict[str, int]) -> None:
    today = date(YEAR, 6, 30)
    model = title_id(app_ctx, "县级劳动模范")
    register_service.add_holder(app_ctx, model, named_on=date(YEAR - 2, 4, 28), worker_id=people["周国全"])
    register_service.add_holder(app_ctx, title_id(app_ctx, "卓越工程师"), named_on=date(YEAR - 1, 4, 28),
                                worker_id=people["姚正新"])
    ended = register_service.add_holder(app_ctx, model, named_on=date(YEAR - 3, 4, 28), worker_id=people["李春成"]).value
    register_service.end_holding(app_ctx, ended, date(YEAR - 1, 1, 5), "去世")
    register_service.add_holder(app_ctx, title_id(app_ctx, "首席工人"), named_on=date(YEAR - 1, 4, 28),
                                worker_id=people["赵刚"])  # no 劳模待遇
    with app_ctx.db.session() as s:
        due = {d.name: d for d in holders.due(s, YEAR, today)}
    assert set(due) == {"周国全", "姚正新"}
    assert due["周国全"].missing == ("sanatorium", "checkup", "mutual_aid")
    register_service.give_benefit(app_ctx, [people["周国全"], people["姚正新"]], YEAR, "mutual_aid", date(YEAR, 1, 20))
    register_service.give_benefit(app_ctx, [people["周国全"]], YEAR, "checkup", date(YEAR, 5, 8), "县人民医院")
    register_service.give_benefit(app_ctx, [people["周国全"]], YEAR, "sanatorium", None)
    with pytest.raises(ValidationError, match="已登记"):
        register_service.give_benefit(app_ctx, [people["姚正新"], people["周国全"]], YEAR, "checkup", date(YEAR, 5, 9))
    with pytest.raises(ValidationError, match="不是享受劳模待遇"):
        register_service.give_benefit(app_ctx, [people["赵刚"]], YEAR, "checkup", date(YEAR, 5, 9))
    with pytest.raises(ValidationError, match=r"不在 .* 年度内"):
        register_service.give_benefit(app_ctx, [people["姚正新"]], YEAR, "checkup", date(YEAR - 1, 12, 9))
    with app_ctx.db.session() as s:
        due = {d.name: d for d in holders.due(s, YEAR, today)}
    assert set(due) == {"姚正新"}  # the refused batch wrote nothing
    assert due["姚正新"].missing == ("sanatorium", "checkup") and due["姚正新"].given == ("mutual_aid",)
    # outreach only by holders
    register_service.add_outreach(app_ctx, people["周国全"], "school", date(YEAR, 3, 22), "县职业教育中心",
                                  "劳模工匠进校园", 120)
    with pytest.raises(ValidationError, match="不在劳模档案中"):
        register_service.add_outreach(app_ctx, people["跃龙"] and _worker(app_ctx, "无称号"), "school",
                                      date(YEAR, 3, 22), "某地")
    with pytest.raises(ValidationError, match="宣讲地点"):
        register_service.add_outreach(app_ctx, people["周国全"], "school", date(YEAR, 3, 22), " ")
    assert [o.place for o in register_queries.outreach(app_ctx, worker_id=people["周国全"])] == ["县职业教育中心"]


def _worker(app: App, name: str) -> int:
    with app.db.session() as s:
        w = Worker(name=name, id_number=valid_id(seq=90))
        s.add(w)
        s.flush()
        return w.id


# -- facts, 红色工匠's hint, certificates ---------------------------------------------------------------------


def test_facts_reach_red_craftsman_hints(app_ctx: App, people: dict[str, int], registered: None) -> None:
    from desktop.programmes.red_craftsman import rounds as rc_rounds

    medal = title_id(app_ctx, titles.COUNTY_MEDAL)
    register_service.add_holder(app_ctx, medal, named_on=date(YEAR, 4, 28), worker_id=people["周国全"])
    old = register_service.add_holder(app_ctx, title_id(app_ctx, "首席工人"), named_on=date(2020, 4, 28),
                                      worker_id=people["周国全"]).value
    register_service.end_holding(app_ctx, old, date(2023, 1, 1), "称号到期")
    register_service.add_holder(app_ctx, title_id(app_ctx, "五一劳动奖状"), named_on=date(YEAR, 4, 28),
                                organisation_id=people["跃龙"])
    with app_ctx.db.session() as s:
        mine = facts.worker_facts(s, people["周国全"])
        org = facts.organisation_facts(s, people["跃龙"])
        through = [f for f in registry.worker_facts(s, people["周国全"]) if f.programme == "honours"]
        hints = rc_rounds.hints_for(s, people["周国全"], TRACK_B)
    labels = {f.label: f.kind for f in mine}
    assert labels[f"{titles.COUNTY_MEDAL}（{YEAR}年）"] == "honour"
    assert labels["首席工人（2020年）"] == "honour_ended"
    assert [f.label for f in org] == [f"五一劳动奖状（{YEAR}年）"]
    assert through == mine
    texts = [h.text for h in hints]
    assert f"荣誉：{titles.COUNTY_MEDAL}（{YEAR}年）" in texts
    assert not any("首席工人" in t for t in texts)  # an ended title is no priority


def test_certificate_records_for_people_and_a_collective(app_ctx: App, people: dict[str, int], registered: None) -> None:
    from desktop.certificates import sources

    medal, pioneer = title_id(app_ctx, titles.COUNTY_MEDAL), title_id(app_ctx, "工人先锋号")
    register_service.add_holder(app_ctx, medal, named_on=date(YEAR, 4, 28), worker_id=people["周国全"])
    register_service.add_holder(app_ctx, medal, named_on=date(YEAR - 1, 4, 28), worker_id=people["姚正新"])
    register_service.add_holder(app_ctx, pioneer, named_on=date(YEAR, 4, 29), organisation_id=people["天锋"],
                                team="装配车间")
    with app_ctx.db.session() as s:
        recs = certificates.certificate_records(s, {"year": YEAR})
        only = certificates.certificate_records(s, {"year": YEAR, "title": pioneer})
        chosen = sources.from_source(s, "honours", {"year": YEAR})
    by_name = {r["name"]: r for r in recs}
    assert set(by_name) == {"周国全", "宁波天锋汽车零部件有限公司装配车间"}
    person = by_name["周国全"]
    assert (person["award"], person["unit"], person["collective"], person["worker_id"]) == (
        titles.COUNTY_MEDAL, "宁海县跃龙模具有限公司", False, people["周国全"])
    assert person["id_number"] == valid_id(seq=1) and person["date"] == date(YEAR, 4, 28)
    team = by_name["宁波天锋汽车零部件有限公司装配车间"]
    assert (team["collective"], team["organisation_id"], team["unit"], team["team"], team["award"]) == (
        True, people["天锋"], "宁波天锋汽车零部件有限公司", "装配车间", "工人先锋号")
    assert [r["award"] for r in only] == ["工人先锋号"]
    assert chosen.programme == "honours" and len(chosen.records) == 2


# -- reports ------------------------------------------------------------------------------------------


@pytest.fixture
def demo_register(app_ctx: App, people: dict[str, int]) -> App:
    from desktop.programmes.honours.demo_register import demo_register

    with app_ctx.db.session() as s:
        for i in range(30):
            s.add(Worker(name=f"职工{chr(0x4e00 + i)}", id_number=valid_id(seq=20 + i), skill_grade="senior",
                         employer_id=people["跃龙"] if i % 2 else people["天锋"]))
        s.flush()
        demo_register(s, random.Random(7), date.today())
    return app_ctx


def _spec(key: str) -> Any:
    return next(r for r in report_specs() if r.key == key)


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _sheet(path: Path) -> list[list[Any]]:
    ws = load_workbook(path).active
    return [[c for c in row] for row in ws.iter_rows(values_only=True)]


def test_roster_report_masked(demo_register: App, tmp_path: Path, fontset: Any) -> None:
    app = demo_register
    held = [r for r in register_queries.holders_list(app) if r.held(date.today())]
    ended = [r for r in register_queries.holders_list(app) if r.ended_on]
    write_report(app, _spec("honours.roster"), {}, tmp_path / "roster.xlsx")
    write_report(app, _spec("honours.roster"), {}, tmp_path / "roster.pdf")
    rows = _sheet(tmp_path / "roster.xlsx")
    flat = [str(c) for row in rows for c in row if c is not None]
    assert any("劳模工匠名册" in c for c in flat)
    assert all((r.team or r.unit if r.collective else r.holder) in flat for r in held)
    with demo_register.db.session() as s:
        numbers = [w.id_number for w in s.scalars(select(Worker))]
    assert not any(n in flat for n in numbers)  # masked
    text = _pdf_text(tmp_path / "roster.pdf")
    assert "劳模工匠名册" in text and "已终止称号" in text and ended[0].holder in text
    write_report(app, _spec("honours.roster"), {"level": "county"}, tmp_path / "county.xlsx")
    county = [str(c) for row in _sheet(tmp_path / "county.xlsx") for c in row if c is not None]
    assert "县级劳动模范" in county and "卓越工程师" not in county


def test_benefits_and_by_year_reports(demo_register: App, tmp_path: Path, fontset: Any) -> None:
    app = demo_register
    due = register_queries.due(app, YEAR)
    write_report(app, _spec("honours.benefits"), {"year": YEAR}, tmp_path / "benefits.xlsx")
    write_report(app, _spec("honours.benefits"), {"year": YEAR}, tmp_path / "benefits.pdf")
    rows = _sheet(tmp_path / "benefits.xlsx")
    flat = [str(c) for row in rows for c in row if c is not None]
    assert any(f"{YEAR}年度劳模工匠疗休养、体检等待遇落实名单" in c for c in flat)
    assert any(f"尚有 {len(due)} 人待落实" in c for c in flat)
    for d in due:
        line = next(row for row in rows if d.name in [str(c) for c in row])
        assert any(str(c).startswith("待落实：") for c in line if c)
    assert "待落实" in _pdf_text(tmp_path / "benefits.pdf")

    write_report(app, _spec("honours.by_year"), {"year": YEAR}, tmp_path / "years.xlsx")
    write_report(app, _spec("honours.by_year"), {"year": YEAR}, tmp_path / "years.pdf")
    rows = _sheet(tmp_path / "years.xlsx")
    header = next(row for row in rows if "合计" in [str(c) for c in row] and "序号" in [str(c) for c in row])
    total = next(row for row in rows if row and row[0] == "合计")
    assert total[-1] == len(register_queries.holders_list(app))  # every holding, ended ones too
    assert f"{YEAR - 1}年" in [str(c) for c in header]
    assert "劳模工匠获得者统计表" in _pdf_text(tmp_path / "years.pdf")
