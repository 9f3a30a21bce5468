"""劳动争议调解's service and queries over a temporary database: opening at 预警 with parties named
only or from the registers, collective cases, handlers, the stages (skipped, never back, 结案 with
an outcome), the amounts and the 仲裁确认 date, the mediation time limit (逾期) from the setting,
parties linked and removed, attachments, deletion, and sensitive fields without accounts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from db.errors import DatabaseProblem, ValidationError
from db.models.core.registers import Organisation
from db.models.disputes import Dispute
from db.protected import PROTECTED_TEXT
from desktop.context import App
from desktop.programmes.disputes import queries, service
from desktop.programmes.disputes.queries import OPEN, OVERDUE
from tests.programmes.disputes import EMPLOYER, ago, mediated, open_one
from tests.support import add_workers


@pytest.fixture
def registers(app_ctx: App) -> dict[str, int]:
    with app_ctx.db.session() as s:
        org = Organisation(name="宁海县乙电器有限公司", address="跃龙街道兴宁北路8号", contact="周经理")
        s.add(org)
        s.flush()
        ids = add_workers(s, org, "李四", "王小燕", gender="male")
        ids["org"] = org.id
    return ids


def test_open_named_only_numbers_and_summary(app_ctx: App) -> None:
    first = open_one(app_ctx, days=3)
    second = open_one(app_ctx, days=2, kind="injury", source="walk_in")
    rows = queries.disputes(app_ctx, ago(2).year)
    assert [r.id for r in rows] == [first, second]
    r = rows[1]
    assert r.number == f"{ago(2).year}-TJ-0002"
    assert r.summary == f"张三 诉 {EMPLOYER} 工伤"
    assert (r.workers, r.employer, r.kind_label, r.source_label, r.stage_label) == ("张三", EMPLOYER, "工伤", "窗口来访", "预警")
    assert r.claim_amount == Decimal("12000.00") and r.headcount == 1 and not r.closed
    d = queries.dispute(app_ctx, first)
    assert d.workers[0].phone == "138****5678" and not d.workers[0].linked  # masked, named only
    assert [m.label for m in d.moves] == ["预警"]
    assert [c for c, _ in d.next_stages] == ["negotiation", "mediation", "arbitration", "litigation", "enforcement",
                                             "closed"]


def test_open_from_the_registers(app_ctx: App, registers: dict[str, int]) -> None:
    did = open_one(app_ctx, workers=[{"worker_id": registers["李四"]}, {"worker_id": registers["王小燕"]}],
                   employer={"organisation_id": registers["org"]})
    r = queries.dispute(app_ctx, did)
    assert r.row.summary == "李四等2人 诉 宁海县乙电器有限公司 欠薪"
    assert [p.name for p in r.workers] == ["李四", "王小燕"] and all(p.linked for p in r.workers)
    assert r.workers[0].unit == "宁海县乙电器有限公司"
    assert r.workers[0].id_number.startswith("***") and len(r.workers[0].id_number) == 18
    assert r.employers[0].linked


def test_opening_refusals_write_nothing(app_ctx: App) -> None:
    with pytest.raises(ValidationError, match="劳动者"):
        service.open_dispute(app_ctx, {"kind": "wages", "source": "warning", "claim": "欠薪"}, ago(1), workers=[],
                             employer={"name": EMPLOYER})
    with pytest.raises(ValidationError, match="用人单位"):
        service.open_dispute(app_ctx, {"kind": "wages", "source": "warning", "claim": "欠薪"}, ago(1),
                             workers=[{"name": "张三"}], employer={})
    with pytest.raises(ValidationError, match="请求事项"):
        open_one(app_ctx, claim="")
    with pytest.raises(ValidationError, match="争议类型“bribe”"):
        open_one(app_ctx, kind="bribe")
    with pytest.raises(ValidationError, match="十人以上"):
        open_one(app_ctx, collective=True, headcount=5)
    with pytest.raises(ValidationError, match="晚于现在"):
        service.open_dispute(app_ctx, {"kind": "wages", "source": "hotline", "claim": "欠薪"}, ago(-2),
                             workers=[{"name": "张三"}], employer={"name": EMPLOYER})
    assert queries.disputes(app_ctx, None) == []


def test_collective_case(app_ctx: App) -> None:
    did = open_one(app_ctx, collective=True, headcount=23,
                   workers=[{"name": "张三", "phone": "13812345678"}, {"name": "李四"}])
    r = queries.dispute(app_ctx, did).row
    assert r.collective and r.headcount == 23 and r.summary.startswith("张三等23人 诉 ")


def test_stages_skip_forward_never_back_and_close_with_an_outcome(app_ctx: App) -> None:
    did = open_one(app_ctx, days=30)
    service.advance(app_ctx, did, "mediation", ago(25), note="组织调解")  # 协商 skipped
    with pytest.raises(ValidationError, match="不能退回"):
        service.advance(app_ctx, did, "negotiation", ago(24))
    with pytest.raises(ValidationError, match="早于上一环节"):
        service.advance(app_ctx, did, "arbitration", ago(26))
    with pytest.raises(ValidationError, match="办理结果"):
        service.advance(app_ctx, did, "closed", ago(20))
    with pytest.raises(ValidationError, match="不在选项中"):
        service.advance(app_ctx, did, "closed", ago(20), outcome="bribed")
    with pytest.raises(ValidationError, match="只有结案时"):
        service.advance(app_ctx, did, "arbitration", ago(20), outcome="mediated")
    service.advance(app_ctx, did, "arbitration", ago(9))
    service.advance(app_ctx, did, "closed", ago(2), outcome="arbitrated")
    d = queries.dispute(app_ctx, did)
    assert [m.label for m in d.moves] == ["预警", "调解", "仲裁", "结案"]
    assert d.moves[1].note == "组织调解"
    assert d.row.outcome_label == "仲裁" and d.row.closed and d.next_stages == []
    assert d.row.days_open == 28 and d.row.mediation_days == 16
    with pytest.raises(ValidationError):
        service.advance(app_ctx, did, "enforcement", ago(1))


def test_amounts_and_arbitration_confirmation(app_ctx: App) -> None:
    did = open_one(app_ctx, days=40)
    service.advance(app_ctx, did, "closed", ago(30), outcome="withdrawn")
    with pytest.raises(ValidationError, match="调解成功"):
        service.save_dispute(app_ctx, did, {"confirmed_on": ago(20).date()})
    did = mediated(app_ctx, days=40)  # mediation 30 days ago, closed 20 days ago
    with pytest.raises(ValidationError, match="不能大于"):
        service.save_dispute(app_ctx, did, {"agreed_amount": "9000", "paid_amount": "9500"})
    with pytest.raises(ValidationError, match="不能早于调解协议达成"):
        service.save_dispute(app_ctx, did, {"confirmed_on": ago(25).date()})
    with pytest.raises(ValidationError, match="不能早于进入调解"):
        service.save_dispute(app_ctx, did, {"confirmed_on": ago(35).date()})
    with pytest.raises(ValidationError, match="晚于今天"):
        service.save_dispute(app_ctx, did, {"confirmed_on": date.today() + timedelta(days=3)})
    service.save_dispute(app_ctx, did, {"agreed_amount": "9000", "paid_amount": "4500.5", "confirmed_on": ago(12).date(),
                                        "terms": "被申请人支付工资9000元", "facts": "拖欠三个月工资"})
    r = queries.dispute(app_ctx, did)
    assert (r.row.agreed_amount, r.row.paid_amount, r.row.confirmed_on) == (Decimal("9000.00"), Decimal("4500.50"),
                                                                            ago(12).date())
    assert r.values["terms"] == "被申请人支付工资9000元" and r.row.outcome_label == "调解成功"


def test_mediation_time_limit_from_the_setting(app_ctx: App) -> None:
    late = open_one(app_ctx, days=30)
    service.advance(app_ctx, late, "mediation", ago(20))
    fresh = open_one(app_ctx, days=12)
    service.advance(app_ctx, fresh, "mediation", ago(10))
    moved = open_one(app_ctx, days=60)
    service.advance(app_ctx, moved, "mediation", ago(50))
    service.advance(app_ctx, moved, "arbitration", ago(30))  # 20 days in 调解, then on to 仲裁
    rows = {r.id: r for r in queries.disputes(app_ctx, None)}
    assert rows[late].overdue and rows[late].mediation_days == 20
    assert not rows[fresh].overdue and not rows[fresh].lapsed
    assert not rows[moved].overdue and rows[moved].lapsed
    assert [r.id for r in queries.disputes(app_ctx, None, OVERDUE)] == [late]
    assert queries.counts(list(rows.values())) == {"调解": 2, "仲裁": 1, "逾期": 1}
    app_ctx.save_settings({"mediation_days": 25})
    assert not any(r.overdue for r in queries.disputes(app_ctx, None))
    assert queries.dispute(app_ctx, late).mediation_limit == 25


def test_filters_by_stage_and_text(app_ctx: App) -> None:
    a = open_one(app_ctx, days=5)
    b = mediated(app_ctx, days=40, kind="injury", workers=[{"name": "李某某"}])
    year = None
    assert [r.id for r in queries.disputes(app_ctx, year, OPEN)] == [a]
    assert [r.id for r in queries.disputes(app_ctx, year, "closed")] == [b]
    assert [r.id for r in queries.disputes(app_ctx, year, text="李某某 工伤")] == [b]
    assert queries.disputes(app_ctx, year, text="李某某 欠薪") == []
    assert queries.disputes(app_ctx, 1999) == []


def test_parties_handlers_link_and_remove(app_ctx: App, registers: dict[str, int]) -> None:
    did = open_one(app_ctx)
    d = queries.dispute(app_ctx, did)
    only = d.workers[0].id
    with pytest.raises(ValidationError, match="唯一的劳动者"):
        service.remove_party(app_ctx, only)
    with pytest.raises(ValidationError, match="已有用人单位"):
        service.add_party(app_ctx, did, "employer", {"name": "另一家公司"})
    second = service.add_party(app_ctx, did, "worker", {"name": "赵六", "phone": "13900001111"}).value
    assert queries.dispute(app_ctx, did).row.summary.startswith("张三等2人")
    service.link_party(app_ctx, only, worker_id=registers["李四"])
    service.link_party(app_ctx, d.employers[0].id, organisation_id=registers["org"])
    service.remove_party(app_ctx, second)
    with pytest.raises(ValidationError, match="身份"):
        service.add_handler(app_ctx, did, {"name": "胡建平"})
    service.add_handler(app_ctx, did, {"name": "胡建平", "capacity": "supervisor"})
    service.add_handler(app_ctx, did, {"name": "王立新", "capacity": "lawyer", "phone": "13700002222"})
    d = queries.dispute(app_ctx, did)
    assert d.row.summary == "李四 诉 宁海县乙电器有限公司 欠薪"
    assert d.row.handlers == "胡建平（劳动法律监督员）、王立新（律师）"
    assert [h.capacity_label for h in d.handlers] == ["劳动法律监督员", "律师"]
    service.remove_party(app_ctx, d.handlers[0].id)  # a handler may always go
    assert [h.name for h in queries.dispute(app_ctx, did).handlers] == ["王立新"]


def test_attachments_and_deletion(app_ctx: App) -> None:
    did = open_one(app_ctx)
    aid = service.add_attachment(app_ctx, did, "调解申请书", ago(1).date(), "职工本人提交").value
    assert [a.name for a in queries.dispute(app_ctx, did).attachments] == ["调解申请书"]
    service.remove_attachment(app_ctx, aid)
    assert queries.dispute(app_ctx, did).attachments == []
    other = open_one(app_ctx, days=3)
    service.advance(app_ctx, other, "negotiation", ago(2))
    with pytest.raises(ValidationError, match="不能删除"):
        service.delete_dispute(app_ctx, other)
    service.delete_dispute(app_ctx, did)
    assert [r.id for r in queries.disputes(app_ctx, None)] == [other]
    with pytest.raises(ValidationError, match="已不存在"):
        queries.dispute(app_ctx, did)


def test_without_accounts_sensitive_fields_cannot_be_filled(app_ctx: App) -> None:
    did = open_one(app_ctx)
    with pytest.raises(DatabaseProblem, match="「工伤情况」是敏感信息") as info:
        service.save_dispute(app_ctx, did, {"injury": "左手食指骨折", "facts": "不应写入"})
    assert info.value.code == "sensitive_locked"
    with pytest.raises(DatabaseProblem, match="「月收入」"):
        open_one(app_ctx, income="5200")
    # the placeholder and empty fields from a form that could not show them are left alone
    service.save_dispute(app_ctx, did, {"injury": PROTECTED_TEXT, "health": "", "income": None, "facts": "写入"})
    d = queries.dispute(app_ctx, did)
    assert d.values["facts"] == "写入" and not d.sensitive_open
    assert (d.values["injury"], d.values["health"], d.values["income"]) == (None, None, None)
    with app_ctx.db.session() as s:
        assert s.scalar(select(Dispute.injury).where(Dispute.id == did)) is None
    assert len(queries.disputes(app_ctx, None)) == 2 - 1  # the refused opening wrote nothing
