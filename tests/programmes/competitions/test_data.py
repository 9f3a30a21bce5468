"""Competitions over a real database: the 0002 migration (SQLite and PostgreSQL), registration,
marks and ranking, the 五一劳动奖章 flag, certificate records, worker facts, reports, import."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import func, inspect, select, text

from db import migrate
from db.database import Database, sqlite_url
from db.errors import ValidationError
from db.models.competitions import Competition, Entry, Event, Score
from db.models.core.registers import Worker
from desktop import registry
from desktop.context import App
from desktop.programmes.competitions import reports, service
from desktop.programmes.competitions.importing import import_sheet
from desktop.programmes.core import registers
from desktop.registry import ReportContext
from tests.support import valid_id, write_workbook

TABLES = {"competitions", "competition_events", "competition_entries", "competition_team_members",
          "competition_scores"}


def _flow(db: Database) -> dict[str, Any]:
    """A small individual and a small team competition, scored and ranked."""
    with db.session() as s:
        org = registers.save(s, "organisations", None, {"name": "宁海县跃龙模具有限公司"})
        people = [registers.save(s, "workers", None, {"name": n, "id_number": valid_id(seq=i + 1),
                                                       "employer_id": org})
                  for i, n in enumerate(("张三", "李四", "王五", "赵六", "𠮷祥", "孙七"))]
        cid = service.save_competition(s, None, {"title": "2026年宁海县职工职业技能竞赛", "level": "county",
                                                  "kind": "individual", "end_date": "2026-05-20",
                                                  "objection_phone": "0574-65551234"})
        eid = service.save_event(s, cid, None, {"trade": "数控铣工", "judges": 3, "drop_extremes": True})
        entries = [service.register_worker(s, eid, w) for w in people[:4]]
        marks = {entries[0]: (80, 90), entries[1]: (70, 92), entries[2]: (90, 70), entries[3]: (60, 60)}
        for entry_id, (theory, practical) in marks.items():
            for judge in (1, 2, 3):
                service.set_score(s, entry_id, "theory", judge, theory)
                service.set_score(s, entry_id, "practical", judge, practical + judge - 2)
        service.set_prize_tiers(s, eid, "count", (1, 1, 1, 0), (0, 0, 0, 0))
        tid = service.save_competition(s, None, {"title": "2026年跃龙街道集体协商技能比武大赛", "kind": "team",
                                                  "end_date": "2026-06-01"})
        teid = service.save_event(s, tid, None, {"trade": "集体协商"})
        t1 = service.register_team(s, teid, "古荡街道总工会", "古荡街道", people[:3])
        t2 = service.register_team(s, teid, "三墩镇总工会", None, people[3:6])
        service.set_score(s, t1, "round_required", 1, 100)
        service.set_score(s, t1, "round_buzzer", 1, 60)
        service.set_score(s, t2, "round_required", 1, 90)
        service.set_prize_tiers(s, teid, "count", (1, 1, 0, 0), (0, 0, 0, 0))
    return {"people": people, "competition": cid, "event": eid, "entries": entries, "team_competition": tid,
            "teams": (t1, t2)}


def _check_flow(db: Database, ids: dict[str, Any]) -> None:
    with db.session() as s:
        ranked = {e.id: (e.rank, e.prize, e.total) for e in s.scalars(select(Entry).where(Entry.event_id == ids["event"]))}
        a, b, c, d = ids["entries"]
        assert ranked[a] == (1, "first", 87.0)  # 80 × 30% + 90 × 70%
        assert ranked[b][:2] == (2, "second") and ranked[c][:2] == (3, "third") and ranked[d][:2] == (4, None)
        records = reports.certificate_records(s, {"competition": ids["team_competition"]})
        assert sorted(r["name"] for r in records) == sorted(["张三", "李四", "王五", "赵六", "𠮷祥", "孙七"])
        assert {r["team"] for r in records} == {"古荡街道总工会", "三墩镇总工会"}
        first = [r for r in records if r["team"] == "古荡街道总工会"]
        assert len(first) == 3 and {r["award"] for r in first} == {"团体一等奖"} and first[0]["unit"] == "古荡街道"
        assert first[0]["event"] == "2026年跃龙街道集体协商技能比武大赛" and first[0]["date"] == date(2026, 6, 1)
        assert first[0]["source_ref"] == f"competitions:entry:{ids['teams'][0]}"


def test_migration_0001_to_0002_on_sqlite(tmp_path: Path) -> None:
    database = Database(sqlite_url(tmp_path / "m.sqlite3"))
    migrate.upgrade(database.engine, "0001")
    with database.engine.begin() as conn:
        conn.execute(text("INSERT INTO workers (name, id_number) VALUES ('张三', :i)"), {"i": valid_id(seq=99)})
    migrate.upgrade(database.engine, "0002")
    with database.engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) >= TABLES
        assert migrate.current_revision(database.engine) == "0002"
        columns = {c["name"] for c in inspect(conn).get_columns("competition_entries")}
        assert {"rank", "prize", "recommended_for_medal", "team_name", "employer"} <= columns
    migrate.upgrade(database.engine, "head")  # today's models need today's schema (0005: name_key)
    ids = _flow(database)
    _check_flow(database, ids)
    with database.engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0001")
    with database.engine.connect() as conn:
        assert not TABLES & set(inspect(conn).get_table_names())
        assert conn.execute(text("SELECT count(*) FROM workers")).scalar() == 7
    database.dispose()


@pytest.mark.postgres
def test_migration_0001_to_0002_on_postgres(pg_url: str) -> None:
    database = Database(pg_url)
    migrate.upgrade(database.engine, "0001")
    migrate.upgrade(database.engine, "0002")
    with database.engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) >= TABLES
    migrate.upgrade(database.engine, "head")  # today's models need today's schema (0005: name_key)
    ids = _flow(database)
    _check_flow(database, ids)
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(Score)) == 27
        summary = reports.summary(s)
        assert [c["prize_winners"] for c in summary] == [3, 6]
    with database.engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0001")
    with database.engine.connect() as conn:
        assert not TABLES & set(inspect(conn).get_table_names())
    database.dispose()


def test_registration_refusals_and_new_worker(app_ctx: App) -> None:
    ids = _flow(app_ctx.db)
    with app_ctx.db.session() as s:
        with pytest.raises(ValidationError, match="已报名本项目"):
            service.register_worker(s, ids["event"], ids["people"][0])
        team_event = s.scalar(select(Event.id).where(Event.competition_id == ids["team_competition"]))
        with pytest.raises(ValidationError, match="团体赛请按队报名"):
            service.register_worker(s, team_event, ids["people"][0])
        with pytest.raises(ValidationError, match="已是“古荡街道总工会”的队员"):
            service.register_team(s, team_event, "灵隐街道总工会", None, [ids["people"][0]])
        with pytest.raises(ValidationError, match="之和应为 100%"):
            service.save_event(s, ids["competition"], ids["event"], {"theory_weight": 50})
        worker_id, entry_id = service.register_new_worker(s, ids["event"], {"name": "周新", "id_number": valid_id(seq=40)})
        entry = s.get(Entry, entry_id)
        assert entry is not None and entry.number == 5 and s.get(Worker, worker_id) is not None
        with pytest.raises(ValidationError, match="超出范围"):
            service.set_score(s, entry_id, "theory", 1, "101")
        assert s.scalar(select(func.count()).select_from(Score).where(Score.entry_id == entry_id)) == 0


def test_medal_flag_only_on_first_place_and_dropped_when_the_place_is_lost(app_ctx: App) -> None:
    ids = _flow(app_ctx.db)
    a, b, *_ = ids["entries"]
    with app_ctx.db.session() as s:
        with pytest.raises(ValidationError, match="只有本项目第一名"):
            service.recommend_for_medal(s, b)
        service.recommend_for_medal(s, a)
        assert s.get(Entry, a).recommended_for_medal is True  # type: ignore[union-attr]
    with app_ctx.db.session() as s:
        for judge in (1, 2, 3):
            service.set_score(s, b, "practical", judge, 100)  # b now leads
        assert s.get(Entry, b).rank == 1  # type: ignore[union-attr]
        assert s.get(Entry, a).recommended_for_medal is False  # type: ignore[union-attr]


def test_certificate_source_worker_facts_and_deletion_refused(app_ctx: App) -> None:
    ids = _flow(app_ctx.db)
    source = next(c for c in registry.certificate_sources() if c.key == "competitions")
    assert source.title == "竞赛获奖证书" and [p.name for p in source.params] == ["year", "competition"]
    with app_ctx.db.session() as s:
        one = source.records(s, {"competition": ids["competition"]})
        assert [(r["name"], r["award"]) for r in one] == [("张三", "一等奖"), ("李四", "二等奖"), ("王五", "三等奖")]
        assert one[0]["event"] == "2026年宁海县职工职业技能竞赛\u200b数控铣工项目"  # a line may break at U+200B
        assert one[0]["unit"] == "宁海县跃龙模具有限公司" and one[0]["team"] == ""
        assert one[0]["id_number"] == valid_id(seq=1) and one[0]["worker_id"] == ids["people"][0]
        assert len(source.records(s, {"year": 2026})) == 9
        assert source.records(s, {"year": 2025}) == []
        facts = registry.worker_facts(s, ids["people"][0])
        prizes = sorted(f.label for f in facts if f.programme == "competitions" and f.kind == "prize")
        assert prizes == ["2026年宁海县职工职业技能竞赛数控铣工项目 一等奖", "2026年跃龙街道集体协商技能比武大赛 一等奖"]
        assert any(f.kind == "entry" for f in registry.worker_facts(s, ids["people"][3]))  # 4th: no prize
        with pytest.raises(ValidationError, match="技能竞赛"):
            registers.delete(s, "workers", ids["people"][3])


def test_reports_show_results_and_never_id_numbers(app_ctx: App) -> None:
    ids = _flow(app_ctx.db)
    ctx = ReportContext(union_name="宁海县跃龙街道总工会", today=date(2026, 5, 21), labels=app_ctx.labels())
    with app_ctx.db.session() as s:
        table = reports.results(s, {"competition": ids["competition"]}, ctx)
        table.check()
        flat = " ".join(str(v) for row in table.rows for v in row)
        assert "张三" in flat and "一等奖" in flat and "宁海县跃龙模具有限公司" in flat
        assert valid_id(seq=1) not in flat and not any(c.label.startswith("身份证") for c in table.columns)
        assert "公示期 5 天" in table.subtitle and "0574-65551234" in table.footnote
        sheet = reports.score_sheet(s, {"competition": ids["competition"], "event": ids["event"]}, ctx)
        sheet.check()
        assert [r[0] for r in sheet.rows] == [1, 2, 3, 4] and all(v is None for v in sheet.rows[0][3:])
        assert "去掉一个最高分和一个最低分" in sheet.footnote
        team = reports.results(s, {"competition": ids["team_competition"]}, ctx)
        assert team.rows[0][1] == "古荡街道总工会" and "张三" in team.rows[0][3]
        with pytest.raises(ValidationError, match="找不到编号为 999 的竞赛"):
            reports.results(s, {"competition": 999}, ctx)


def test_import_entries_and_scores_with_rejected_rows(app_ctx: App, tmp_path: Path) -> None:
    ids = _flow(app_ctx.db)
    rows = [
        ["序号", "姓名", "身份证号", "单位", "项目", "评委", "理论", "实操", "联系电话"],
        [1, "张三", valid_id(seq=1), "", "数控铣工", 4, 85, 92, ""],  # existing entry, a 4th judge
        # A new worker and unit; a landline is not stored as the worker's (mobile) phone: a warning.
        [2, "陈新", valid_id(seq=50), "宁海新创模具厂", "数控铣工", 1, 70, 80, "0574-65551234"],
        [3, "刘无证", None, "", "数控铣工", 1, 70, 80, ""],  # not in the register, no ID
        [4, "李四", valid_id(seq=2), "", "数控铣工", 1, "九十", 80, ""],  # not a number
        [5, "王五", valid_id(seq=3), "", "电工", 1, 70, 80, ""],  # no such event
        [6, "赵六", valid_id(seq=4), "", "数控铣工", 2, 70, 120, ""],  # out of range
    ]
    path = write_workbook(tmp_path / "scores.xlsx", rows, title="数控铣工评分表")
    with app_ctx.db.session() as s:
        result = import_sheet(s, ids["competition"], path)
    assert [(p.row, p.code) for p in result.rejected] == [
        (5, "id_missing"), (6, "score_not_number"), (7, "event_unknown"), (8, "score_out_of_range")]
    assert "第" not in result.rejected[0].reason and "身份证号" in result.rejected[0].reason
    assert (result.entries, result.workers, result.scores) == (1, 1, 4)
    assert sorted(w.code for w in result.warnings) == ["organisation_created", "phone_format"]
    assert "65551234" not in next(w.reason for w in result.warnings if w.code == "phone_format")
    with app_ctx.db.session() as s:
        ev = s.get(Event, ids["event"])
        assert ev is not None and ev.judges == 4
        new = s.scalar(select(Entry).join(Worker).where(Worker.name == "陈新"))
        assert new is not None and new.rank is not None and new.employer == "宁海新创模具厂"
        assert s.scalar(select(func.count()).select_from(Score).where(Score.entry_id == ids["entries"][2])) == 6
    dry = tmp_path / "dry.csv"
    dry.write_text("参赛号,实操\n1,99\n", encoding="utf-8")
    with app_ctx.db.session() as s:
        before = s.scalar(select(func.count()).select_from(Score))
        result = import_sheet(s, ids["competition"], dry, event_id=ids["event"], judge=2, dry_run=True)
        assert result.scores == 1 and s.scalar(select(func.count()).select_from(Score)) == before


def test_demo_builds_competitions_with_prizes_in_the_current_year(demo_app: App) -> None:
    with demo_app.db.session() as s:
        comps = s.scalars(select(Competition)).all()
        assert len(comps) == 3 and all(str(date.today().year) in c.title for c in comps)
        assert all(c.end_date is not None and c.end_date.year == date.today().year for c in comps)
        summary = reports.summary(s)
        assert all(c["events"] and c["entries"] and c["prize_winners"] for c in summary)
        team = next(c for c in comps if c.kind == "team")
        assert len(team.events[0].entries) == 13 and all(len(e.members) == 3 for e in team.events[0].entries)
        assert s.scalar(select(func.count()).select_from(Entry).where(Entry.recommended_for_medal.is_(True))) == 1
        assert len(reports.certificate_records(s, {"year": date.today().year})) == sum(
            c["prize_winners"] for c in summary)
