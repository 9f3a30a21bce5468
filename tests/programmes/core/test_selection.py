"""The selection core: stage order, rejections, the publicity period over the holiday table,
naming after it, the quota warning and who held what on a past date."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from db.errors import ValidationError
from db.models.core.registers import Organisation, Worker
from db.models.core.selection import Candidacy, Holding, SelectionRound
from db.models.system import CalendarDay
from desktop.programmes.core import selection as core
from desktop.programmes.core import working_days as wd

FLOW = core.Workflow((core.Stage("nominated", "推荐"), core.Stage("screened", "初审"), core.Stage("reviewed", "评审"),
                      core.Stage("publicity", "公示"), core.Stage("named", "命名")))
CLIMB = core.Workflow((core.Stage("applied", "申报"), core.Stage("named", "命名"), core.Stage("reviewed", "回头看")),
                      publicity=None)


def test_moves_go_one_stage_forward_at_a_time() -> None:
    core.check_move(FLOW, "nominated", "screened")
    with pytest.raises(ValidationError, match="请按顺序推进：当前为“推荐”，下一步是“初审”"):
        core.check_move(FLOW, "nominated", "reviewed")
    with pytest.raises(ValidationError, match="已是“初审”（可能刚由他人推进）"):
        core.check_move(FLOW, "screened", "screened")
    with pytest.raises(ValidationError, match="不能退回“推荐”"):
        core.check_move(FLOW, "screened", "nominated")
    with pytest.raises(ValidationError, match="没有下一阶段"):
        core.check_move(CLIMB, "reviewed", "named")
    core.check_move(CLIMB, "named", "reviewed")  # a stage after naming (回头看) is a move like any other


def test_a_rejection_needs_a_reason_and_ends_the_candidacy() -> None:
    with pytest.raises(ValidationError, match="请填写未通过的原因"):
        core.check_move(FLOW, "screened", core.FAILED, "  ")
    core.check_move(FLOW, "screened", core.FAILED, "材料不全")
    with pytest.raises(ValidationError, match="已未通过，不能再推进"):
        core.check_move(FLOW, core.FAILED, "reviewed")
    with pytest.raises(ValidationError, match="已命名"):
        core.check_move(FLOW, "named", core.FAILED, "撤销")


def test_publicity_counts_working_days_over_the_holidays() -> None:
    cal = {d: w for d, w, _n in wd.default_days()}
    # Monday 2026-04-20: five working days end on Friday.
    assert wd.add_working_days(date(2026, 4, 20), 5, cal) == date(2026, 4, 24)
    # From Tuesday 2026-09-29: 29, 30, (国庆 10-01..07 off), Thu 10-08, Fri 10-09, Sat 10-10 (调休上班).
    assert wd.add_working_days(date(2026, 9, 29), 5, cal) == date(2026, 10, 10)
    # A Sunday start is not counted.
    assert wd.add_working_days(date(2026, 4, 19), 1, cal) == date(2026, 4, 20)
    assert wd.working_days_between(date(2026, 9, 28), date(2026, 10, 11), cal) == 6
    with pytest.raises(ValidationError):
        wd.add_working_days(date(2026, 4, 20), 0, cal)


def _round(s, quota: int | None = 1) -> SelectionRound:  # type: ignore[no-untyped-def]
    r = SelectionRound(programme="test", year=2026, name="2026年度测试评选", quota=quota)
    s.add(r)
    s.flush()
    return r


def _worker(s, name: str, number: str) -> Worker:  # type: ignore[no-untyped-def]
    w = Worker(name=name, id_number=number, member_status="active")
    s.add(w)
    s.flush()
    return w


def test_a_round_from_nomination_to_naming(app_ctx) -> None:  # type: ignore[no-untyped-def]
    with app_ctx.db.session() as s:
        assert s.scalar(select(CalendarDay).where(CalendarDay.day == date(2026, 10, 1))) is not None  # seeded
        r = _round(s)
        a = core.start(s, FLOW, Candidacy(round=r, worker=_worker(s, "张三", "110101199003078515")), date(2026, 9, 1))
        b = core.start(s, FLOW, Candidacy(round=r, worker=_worker(s, "李四", "11010119900307125X")), date(2026, 9, 1))
        for c in (a, b):
            core.move(s, FLOW, c.id, "screened", date(2026, 9, 10))
            core.move(s, FLOW, c.id, "reviewed", date(2026, 9, 20))
        with pytest.raises(ValidationError, match="请先“开始公示”"):
            core.move(s, FLOW, a.id, "publicity", date(2026, 9, 29))
        with pytest.raises(ValidationError, match="不能早于"):
            core.start_publicity(s, FLOW, r.id, date(2026, 9, 19), 5)
        r, moved = core.start_publicity(s, FLOW, r.id, date(2026, 9, 29), 5)
        assert (r.publicity_start, r.publicity_end, len(moved)) == (date(2026, 9, 29), date(2026, 10, 10), 2)
        with pytest.raises(ValidationError, match="公示期满后方可命名"):
            core.move(s, FLOW, a.id, "named", date(2026, 10, 10))
        with pytest.raises(ValidationError, match="不能早于上一阶段"):
            core.move(s, FLOW, a.id, core.FAILED, date(2026, 9, 1), "公示有异议")
        for c in (a, b):
            core.move(s, FLOW, c.id, "named", date(2026, 10, 12))
            core.hold(s, "test", c, title="测试称号", year=2026, named_on=date(2026, 10, 12))
        assert core.quota_warning(r.quota, core.counted(FLOW, r.candidates)) == \
            "已命名 2 名，超出名额 1 名（名额 1 名），请核实"
        assert core.quota_warning(2, 2) is None
        moves = [(m.stage, m.on) for m in a.moves]
        assert moves[0] == ("nominated", date(2026, 9, 1)) and moves[-1] == ("named", date(2026, 10, 12))
        assert all(m.by == app_ctx.db.actor.clerk for m in a.moves)
        with pytest.raises(ValidationError, match="已命名的对象不能删除"):
            core.delete_candidacy(s, FLOW, a.id)
        with pytest.raises(ValidationError, match="还有 2 名对象"):
            core.delete_round(s, r.id)


def test_who_held_what_on_a_past_date(app_ctx) -> None:  # type: ignore[no-untyped-def]
    with app_ctx.db.session() as s:
        org = Organisation(name="宁波某某有限公司")
        s.add(org)
        s.flush()
        three = core.hold(s, "stars", None, title="三星级", award="three", year=2024, named_on=date(2024, 12, 1),
                          organisation_id=org.id)
        core.end_holding(s, three.id, date(2025, 12, 1), "晋升四星级")
        four = core.hold(s, "stars", None, title="四星级", award="four", year=2025, named_on=date(2025, 12, 1),
                         organisation_id=org.id)
        with pytest.raises(ValidationError, match="不能早于命名日期"):
            core.end_holding(s, four.id, date(2025, 1, 1), "降级")
        core.end_holding(s, four.id, date(2026, 6, 1), "回头看降级")
        with pytest.raises(ValidationError, match="已于 2026-06-01 终止"):
            core.end_holding(s, four.id, date(2026, 7, 1), "撤销")

        def on(d: date) -> list[str]:
            return [h.award or "" for h in core.held_on(s, "stars", d, organisation_id=org.id)]

        assert on(date(2024, 11, 30)) == []
        assert on(date(2025, 6, 1)) == ["three"]
        assert on(date(2025, 12, 1)) == ["four"]  # the day of the climb: the new level
        assert on(date(2026, 6, 1)) == []
        assert s.scalar(select(Holding.end_reason).where(Holding.id == three.id)) == "晋升四星级"


def test_saving_the_calendar_refuses_a_day_twice(app_ctx) -> None:  # type: ignore[no-untyped-def]
    with app_ctx.db.session() as s:
        with pytest.raises(ValidationError, match="2027-01-01 重复列出"):
            wd.save_days(s, [(date(2027, 1, 1), False, "元旦"), (date(2027, 1, 1), False, "元旦")])
        wd.save_days(s, [(date(2027, 1, 1), False, "元旦"), (date(2027, 1, 2), True, "调休")])
        assert wd.calendar(s) == {date(2027, 1, 1): False, date(2027, 1, 2): True}
