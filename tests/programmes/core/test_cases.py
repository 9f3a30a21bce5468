"""The case core: numbers, forward-only stages that may be skipped, closing, parties named before
they are in the register, and the figures the stages imply."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from db.errors import ValidationError
from db.models.core.cases import Case
from desktop.context import App
from desktop.programmes.core import cases
from desktop.programmes.core.cases import CaseFlow, CaseStage
from tests.support import add_workers

FLOW = CaseFlow("help_desk", "BB", (
    CaseStage("pending", "待派", 0), CaseStage("dispatched", "已派", 1), CaseStage("accepted", "已接单", 2),
    CaseStage("serving", "服务中", 3), CaseStage("solved", "已解决", 4, closes=True),
    CaseStage("unsolved", "未解决", 4, closes=True), CaseStage("revisited", "已回访", 5),
))
DISPUTE = CaseFlow("disputes", "TJ", (CaseStage("warning", "预警", 0), CaseStage("mediation", "调解", 2),
                                      CaseStage("closed", "结案", 6, closes=True)), outcome_choices="dp_outcome")
T0 = datetime(2026, 3, 2, 9, 0)


def test_stage_rules_are_forward_only_and_allow_skipping() -> None:
    cases.check_move(FLOW, "pending", "dispatched")
    cases.check_move(FLOW, "pending", "serving")  # skipped 已派 and 已接单
    cases.check_move(FLOW, "solved", "revisited")
    with pytest.raises(ValidationError, match="不能退回“已派”") as e:
        cases.check_move(FLOW, "accepted", "dispatched")
    assert e.value.code == "stage_back"
    with pytest.raises(ValidationError, match="无需重复操作"):
        cases.check_move(FLOW, "accepted", "accepted")
    with pytest.raises(ValidationError, match="已“已解决”，不能再改为“未解决”"):
        cases.check_move(FLOW, "solved", "unsolved")
    with pytest.raises(ValidationError, match="没有下一阶段"):
        cases.check_move(FLOW, "revisited", "solved")
    with pytest.raises(ValidationError, match="须选择办理结果"):
        cases.check_move(DISPUTE, "mediation", "closed")
    cases.check_move(DISPUTE, "warning", "closed", outcome="mediated")
    assert FLOW.is_closed("revisited") and FLOW.is_closed("unsolved") and not FLOW.is_closed("serving")
    assert [s.code for s in FLOW.next_stages("serving")] == ["solved", "unsolved", "revisited"]


def test_numbers_moves_figures_and_parties(app_ctx: App) -> None:
    with app_ctx.db.session() as s:
        a = cases.open_case(s, FLOW, T0, "数控机床故障")
        b = cases.open_case(s, FLOW, T0 + timedelta(hours=1), "培训")
        c = cases.open_case(s, FLOW, datetime(2025, 12, 30, 8, 0), "去年的")
        other = cases.open_case(s, DISPUTE, T0, "欠薪")
        assert [a.number, b.number, c.number, other.number] == ["2026-BB-0001", "2026-BB-0002", "2025-BB-0001",
                                                                "2026-TJ-0001"]
        cases.move(s, FLOW, a.id, "dispatched", T0 + timedelta(minutes=3))
        cases.move(s, FLOW, a.id, "accepted", T0 + timedelta(minutes=8))
        with pytest.raises(ValidationError, match="不能早于上一环节的时间"):
            cases.move(s, FLOW, a.id, "serving", T0)
        with pytest.raises(ValidationError, match="不能晚于现在"):
            cases.move(s, FLOW, a.id, "serving", datetime.now() + timedelta(days=2))
        cases.move(s, FLOW, a.id, "solved", datetime(2026, 3, 6, 17, 0), note="更换主轴轴承")
        assert a.closed_at == datetime(2026, 3, 6, 17, 0) and a.outcome == "solved"
        cases.move(s, FLOW, a.id, "revisited", datetime(2026, 3, 20, 10, 0))
        assert a.closed_at == datetime(2026, 3, 6, 17, 0)  # 回访 after closing keeps the closing time
        assert cases.minutes_between(a, "dispatched", "accepted") == 5
        assert cases.minutes_between(b, "dispatched", "accepted") is None
        assert cases.days_open(a, date(2026, 12, 1)) == 4
        assert cases.days_open(b, date(2026, 3, 12)) == 10
        assert [m.stage for m in a.moves] == ["pending", "dispatched", "accepted", "solved", "revisited"]
        cases.move(s, DISPUTE, other.id, "closed", T0 + timedelta(days=3), outcome="mediated")
        assert other.outcome == "mediated"
        with pytest.raises(ValidationError, match="不存在"):  # a case of the other programme
            cases.move(s, FLOW, other.id, "dispatched", T0)
        with pytest.raises(ValidationError, match="不能删除"):
            cases.delete_case(s, FLOW, a.id)
        assert cases.delete_case(s, FLOW, b.id) == "2026-BB-0002"

        p = cases.add_party(s, other.id, "worker", name="李四", phone="13812345678")
        assert p.worker_id is None and p.name == "李四"
        with pytest.raises(ValidationError, match="请填写姓名"):
            cases.add_party(s, other.id, "worker", name="  ")
        from db.models.core.registers import Organisation

        org = Organisation(name="宁海县甲机械有限公司")
        s.add(org)
        s.flush()
        ids = add_workers(s, org, "李四")
        cases.link_party(s, p.id, worker_id=ids["李四"])
        assert p.worker_id == ids["李四"] and p.organisation_id == org.id
        with pytest.raises(ValidationError, match="已在本案中"):
            cases.add_party(s, other.id, "worker", worker_id=ids["李四"])
        cases.add_attachment(s, other.id, "调解申请书", date(2026, 3, 2))
        assert [x.name for x in other.attachments] == ["调解申请书"]
    with app_ctx.db.session() as s:
        assert s.get(Case, a.id).stage == "revisited"
