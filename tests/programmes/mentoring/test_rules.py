"""师徒结对 without Qt: the monthly allowance (part months, February, 31-day months, rounding to the
fen half up), terms, pairs and apprentices, evaluations on the shared core, the grade gained."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from sqlalchemy.orm import Session

from db.errors import ValidationError
from db.models.core.registers import Organisation, Worker
from db.models.mentoring import Pair
from desktop import settings as app_settings
from desktop.programmes.core import cultivation as core
from desktop.programmes.mentoring import pairs as svc
from desktop.programmes.mentoring import reports as rep
from desktop.registry import ReportContext
from tests.support import valid_id

if TYPE_CHECKING:
    from desktop.context import App

D = Decimal


# -- pure arithmetic --------------------------------------------------------------------------------


@pytest.mark.parametrize(("monthly", "days", "month_days", "amount"), [
    (300, 31, 31, "300.00"),  # a whole month is the whole allowance
    (300, 28, 28, "300.00"),
    (300, 16, 31, "154.84"),  # 154.8387...
    (300, 1, 31, "9.68"),  # 9.677...
    (300, 10, 31, "96.77"),  # 96.774...
    (300, 15, 28, "160.71"),  # February 2026: 160.714...
    (300, 14, 28, "150.00"),
    (300, 10, 29, "103.45"),  # February 2028 (leap): 103.448...
    (300, 15, 30, "150.00"),
    (300, 0, 30, "0.00"),
    ("0.70", 1, 28, "0.03"),  # exactly 0.025: half up, not to even
    ("1.26", 1, 28, "0.05"),  # exactly 0.045
    (250, 7, 31, "56.45"),  # 56.451...
])
def test_prorate_rounds_to_the_fen_half_up(monthly: object, days: int, month_days: int, amount: str) -> None:
    got = rep.prorate(D(str(monthly)), days, month_days)
    assert got == D(amount) and str(got) == amount


def test_month_and_term_arithmetic() -> None:
    assert rep.month_bounds("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    assert rep.month_bounds("2028-02") == (date(2028, 2, 1), date(2028, 2, 29))
    assert rep.month_bounds("2026-12") == (date(2026, 12, 1), date(2026, 12, 31))
    with pytest.raises(ValidationError):
        rep.month_bounds("2026-13")
    assert rep.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert rep.add_months(date(2027, 3, 1), 12) == date(2028, 3, 1)
    p = Pair(started_on=date(2027, 3, 1), term_months=12)
    assert rep.term_end(p) == date(2028, 2, 29)  # a leap February is the term's last month
    assert rep.term_end(Pair(started_on=date(2026, 1, 16), term_months=6)) == date(2026, 7, 15)
    assert rep.days_in(date(2026, 1, 16), date(2026, 7, 15), date(2026, 1, 1), date(2026, 1, 31)) == 16
    assert rep.days_in(date(2026, 1, 16), date(2026, 7, 15), date(2026, 8, 1), date(2026, 8, 31)) == 0


def test_weak_and_strong_pairs() -> None:
    assert core.flags(5, 5) == [core.HONOUR_FLAG]
    assert core.flags(2, 5) == [core.REPAIR_FLAG, core.HONOUR_FLAG]
    assert core.flags(3, 3) == [] and core.flags(4, 1) == [core.REPAIR_FLAG]
    assert core.level_label(5) == "优秀" and core.level_label(2) == "基本合格"
    assert core.level_label(4, {"evaluation_level": {"good": "较好"}}) == "较好"


# -- over a session -----------------------------------------------------------------------------------


@pytest.fixture
def s(app_ctx: App) -> Iterator[Session]:
    with app_ctx.db.session() as session:
        yield session


@pytest.fixture
def people(s: Session) -> dict[str, int]:
    org = Organisation(name="宁海县跃龙模具有限公司", ownership="non_public")
    s.add(org)
    out = {}
    for i, (name, grade) in enumerate((("王建国", "technician"), ("李小明", "junior"), ("张伟", None),
                                       ("陈静", "intermediate"))):
        w = Worker(name=name, id_number=valid_id(seq=i + 1), skill_grade=grade, trade="数控铣工", employer=org)
        s.add(w)
        s.flush()
        out[name] = w.id
    return out


def test_allowance_over_part_months_and_the_term(s: Session, people: dict[str, int]) -> None:
    p = svc.save_pair(s, None, people["王建国"], "数控铣工", date(2026, 1, 16), 12, goals="取得中级工证书")
    first = svc.add_apprentice(s, p.id, people["李小明"])
    second = svc.add_apprentice(s, p.id, people["张伟"], date(2026, 2, 15))
    third = svc.add_apprentice(s, p.id, people["陈静"], date(2026, 3, 1))
    svc.end_apprentice(s, third.id, date(2026, 3, 10), "调岗")

    def month(m: str) -> dict[str, Decimal]:
        return {a.apprentice: a.amount for a in rep.allowance(s, m)}

    assert month("2026-01") == {"李小明": D("154.84")}  # 16 of 31 days
    assert month("2026-02") == {"李小明": D("300.00"), "张伟": D("150.00")}  # 14 of 28 days
    assert month("2026-03") == {"李小明": D("300.00"), "张伟": D("300.00"), "陈静": D("96.77")}  # 10 of 31
    assert month("2027-01") == {"李小明": D("145.16"), "张伟": D("145.16")}  # the term ends 15 January
    assert month("2027-02") == {}
    app_settings.save(s, {"apprentice_allowance": 250})
    assert month("2026-02") == {"李小明": D("250.00"), "张伟": D("125.00")}
    svc.end_pair(s, p.id, date(2026, 4, 20))
    assert month("2026-04") == {"李小明": D("166.67"), "张伟": D("166.67")}  # 20 of 30 days at 250
    assert month("2026-05") == {}
    ctx = ReportContext("宁海县跃龙街道总工会", date(2026, 5, 3), labels={})
    report = rep.allowance_report(s, {"month": "2026-03"}, ctx)
    assert report.title == "2026年3月师傅带徒津贴发放表"
    assert report.rows[-1][0] == "合计" and report.rows[-1][9] == D("580.65")  # 250 + 250 + 80.65 (10/31 × 250)
    assert "*" in str(report.rows[0][2])
    full = rep.allowance_report(s, {"month": "2026-03"}, ReportContext("", date(2026, 5, 3), full=True))
    assert "*" not in str(full.rows[0][2])
    assert [a.link_id for a in rep.allowance(s, "2026-03")] == [first.id, second.id, third.id]


def test_pairs_apprentices_outcome_and_letter(s: Session, people: dict[str, int]) -> None:
    with pytest.raises(ValidationError, match="工种"):
        svc.save_pair(s, None, people["王建国"], " ", date(2026, 3, 1))
    p = svc.save_pair(s, None, people["王建国"], "数控铣工", date(2026, 3, 1), 24, ceremony_on=date(2026, 3, 1))
    with pytest.raises(ValidationError, match="师傅本人"):
        svc.add_apprentice(s, p.id, people["王建国"])
    lk = svc.add_apprentice(s, p.id, people["李小明"])
    with pytest.raises(ValidationError, match="已是本结对的徒弟"):
        svc.add_apprentice(s, p.id, people["李小明"])
    with pytest.raises(ValidationError, match="不能早于结对日期"):
        svc.add_apprentice(s, p.id, people["张伟"], date(2026, 2, 1))
    svc.evaluate(s, lk.id, "2026年上半年", date(2026, 6, 28), 4, 5)
    svc.evaluate(s, lk.id, "2026年下半年", date(2026, 12, 28), 2, 4)
    rows = core.evaluation_rows(s, "mentoring", "2026年下半年", svc.links(s, p.id))
    assert rows[0].weak and not rows[0].strong
    assert svc.record_outcome(s, lk.id, date(2027, 1, 20), "intermediate", "通过技能等级认定") == []
    assert s.get(Worker, people["李小明"]).skill_grade == "intermediate"  # the register follows
    assert svc.record_outcome(s, lk.id, date(2027, 1, 21), "junior") == ["新技能等级不高于原等级"]
    with pytest.raises(ValidationError, match="已有评议"):
        svc.delete_pair(s, p.id)
    assert rep.pairs_json(s) == [{"id": p.id, "master": "王建国", "apprentices": ["李小明"], "trade": "数控铣工",
                                  "start": "2026-03-01"}]
    letters = rep.letter_report(s, {"pair": str(p.id)}, ReportContext("宁海县跃龙街道总工会", date(2026, 3, 1)))
    assert [(x.master, x.apprentice, x.trade, x.on, x.term_months) for x in letters] == [
        ("王建国", "李小明", "数控铣工", date(2026, 3, 1), 24)]
    with pytest.raises(ValidationError, match="找不到编号为 999"):
        rep.letter_report(s, {"pair": "999"}, ReportContext("", date(2026, 3, 1)))
    facts = [f.label for f in rep.worker_facts(s, people["王建国"])]
    assert facts == ["师傅（数控铣工）"]
    assert "拜王建国为师（数控铣工）" in [f.label for f in rep.worker_facts(s, people["李小明"])]
    assert svc.half_year(date(2026, 6, 30)) == "2026年上半年" and svc.half_year(date(2026, 7, 1)) == "2026年下半年"


def test_migration_0004_on_postgres(pg_url: str) -> None:
    """0003 -> 0004 on PostgreSQL, a pair, its allowance and the pair names the report dialog lists; back down."""
    from alembic import command
    from sqlalchemy import inspect, select

    from db import migrate
    from db.database import Database

    tables = {"rc_rounds", "rc_nominations", "rc_candidates", "rc_memberships", "rc_trainings", "rc_party_stages",
              "mentor_links", "mentor_evaluations", "ap_pairs"}
    database = Database(pg_url)
    migrate.upgrade(database.engine, "0003")
    migrate.upgrade(database.engine, "0004")
    with database.engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) >= tables
    migrate.upgrade(database.engine, "head")  # today's models need today's schema (0005: name_key)
    with database.session() as s:
        org = Organisation(name="宁海县跃龙模具有限公司")
        master = Worker(name="王建国", id_number=valid_id(seq=1), employer=org, skill_grade="technician")
        apprentice = Worker(name="李小明", id_number=valid_id(seq=2), employer=org)
        s.add_all([org, master, apprentice])
        s.flush()
        p = svc.save_pair(s, None, master.id, "数控铣工", date(2026, 1, 16), 12)
        link = svc.add_apprentice(s, p.id, apprentice.id)
        svc.evaluate(s, link.id, "2026年上半年", date(2026, 6, 30), 5, 5)
        assert [a.amount for a in rep.allowance(s, "2026-01")] == [D("154.84")]
        assert s.execute(select(Pair.id, Pair.name)).all() == [(p.id, "王建国（数控铣工）")]
    with database.engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0003")
    with database.engine.connect() as conn:
        assert not tables & set(inspect(conn).get_table_names())
    database.dispose()
