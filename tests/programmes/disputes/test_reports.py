"""劳动争议调解's prints read back: the 调解协议书 (pdftotext: parties, masked ID beside the year and
month of birth only, numbered terms with 大写 amounts, the law, the signature lines, the 〇 date;
refused before 调解 or without 调解成功; no line starting with closing punctuation, no name broken),
the ledger (xlsx and PDF: path, 逾期, sums, the stage filter) and the monthly counts by kind, stage and
outcome; the amount helpers of reports.mediation_agreement."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from db.errors import ValidationError
from db.models.core.registers import Organisation
from desktop import registry
from desktop.context import App
from desktop.programmes.disputes import service
from desktop.report_runner import write_report
from reports.cn_dates import date_cn, year_cn, year_month_cn
from reports.linebreak import NO_START
from reports.mediation_agreement import amount_words, number_terms, tokens, with_capitals
from tests.programmes.disputes import ago, mediated, open_one
from tests.support import add_workers, valid_id

UNIT = "宁海县跃龙街道甲乙丙丁精密机械制造有限公司"  # long: it must not break across lines
WORKER = "艾尔肯·吐尔逊"


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (poppler-utils)")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def report(app: App, key: str, out: Path, **params: Any) -> Path:
    write_report(app, registry.report(key), params, out)
    return out


def sheet(path: Path) -> list[list[Any]]:
    return [list(r) for r in openpyxl.load_workbook(path).active.iter_rows(values_only=True)]


def by_header(rows: list[list[Any]]) -> list[dict[str, Any]]:
    """The table's rows under its header, to the 合计 row (the footnote below is not a row)."""
    head = next(i for i, r in enumerate(rows) if r[0] == "序号")
    out = []
    for r in rows[head + 1:]:
        out.append(dict(zip(rows[head], r, strict=True)))
        if r[0] == "合计":
            break
    return out


@pytest.fixture
def agreed(app_ctx: App) -> int:
    with app_ctx.db.session() as s:
        org = Organisation(name=UNIT, address="跃龙街道兴宁北路8号", contact="周经理")
        s.add(org)
        s.flush()
        ids = add_workers(s, org, {"name": WORKER, "gender": "male", "birth_date": date(1990, 1, 1)})
    did = mediated(app_ctx, days=40, kind="injury", workers=[{"worker_id": ids[WORKER]}],
                   employer={"organisation_id": org.id}, facts="申请人在工作中受到意外伤害，救治期间被申请人不愿支付其治疗费用。")
    service.add_handler(app_ctx, did, {"name": "胡建平", "capacity": "supervisor"})
    service.save_dispute(app_ctx, did, {"terms": "1. 被申请人于三日内支付申请人医疗费12000元\n2. 双方再无其他争议",
                                        "agreed_amount": "15000", "confirmed_on": ago(15).date()})
    return did


def test_the_agreement(app_ctx: App, agreed: int, tmp_path: Path) -> None:
    out = report(app_ctx, "disputes.agreement", tmp_path / "agreement.pdf", dispute=agreed)
    text = pdf_text(out)
    flat = text.replace(" ", "")
    year = ago(40).year
    for part in ("劳动争议调解协议书", f"〔{year}〕TJ-0001号", f"申请人：{WORKER}，男，1990年1月出生，公民身份号码",
                 "*" * 15 + valid_id(seq=1)[-3:], f"被申请人：{UNIT}，住所：跃龙街道兴宁北路8号", "联系人：周经理",
                 "调解员：胡建平", "争议事项", "申请人与被申请人因工伤发生劳动争议", "协议内容",
                 "一、被申请人于三日内支付申请人医疗费人民币12,000.00元（大写：壹万贰仟元整）",
                 "二、双方再无其他争议。", "三、以上款项合计人民币15,000.00元（大写：壹万伍仟元整）",
                 "《中华人民共和国劳动争议调解仲裁法》第十四条", "第十六条", "申请仲裁审查确认",
                 f"本协议已于{date_cn(ago(15).date())}经劳动人事争议仲裁委员会审查确认",
                 "申请人（签名）：", "被申请人（盖章）：", "调解员（签名）：", "调解组织（盖章）：",
                 date_cn(ago(20).date())):
        assert part in flat, part
    assert valid_id(seq=1) not in flat and "1990年1月1日" not in flat  # no whole number, no birth day
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    assert not [ln for ln in lines if ln[0] in NO_START]
    assert any(WORKER in ln for ln in lines) and any(UNIT in ln for ln in lines)  # never broken across lines
    assert not any(c.isascii() and c.isalpha() for c in flat.replace("TJ", ""))  # no English on paper
    sign = [ln for ln in text.splitlines() if "（签名）" in ln]
    assert len(sign) == 2 and sign[0].index("申请人") == sign[1].index("调解员")  # the lines start aligned
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(out), str(tmp_path / "page")], check=True)
        assert (tmp_path / "page-1.png").stat().st_size > 5000


def test_the_agreement_is_refused_before_mediation_or_without_success(app_ctx: App, tmp_path: Path) -> None:
    spec = registry.report("disputes.agreement")
    settled = open_one(app_ctx, days=30)
    service.advance(app_ctx, settled, "negotiation", ago(28))
    service.advance(app_ctx, settled, "closed", ago(25), outcome="mediated")  # settled without 调解
    failed = open_one(app_ctx, days=30)
    service.advance(app_ctx, failed, "mediation", ago(28))
    service.advance(app_ctx, failed, "arbitration", ago(10))
    withdrawn = mediated(app_ctx)
    with app_ctx.db.session() as s:
        from desktop.programmes.disputes.casework import dispute_of
        dispute_of(s, withdrawn).case.outcome = "withdrawn"
    for did, why in ((settled, "尚未进入调解"), (failed, "现为“仲裁”"), (withdrawn, "现为“撤回”")):
        with pytest.raises(ValidationError, match=why):
            write_report(app_ctx, spec, {"dispute": did}, tmp_path / "x.pdf")
    with pytest.raises(ValidationError, match="请选择"):
        write_report(app_ctx, spec, {}, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_the_collective_agreement_names_the_representatives(app_ctx: App, tmp_path: Path) -> None:
    did = mediated(app_ctx, collective=True, headcount=23, workers=[
        {"name": "张三", "id_number": valid_id(seq=3)}, {"name": "李四", "id_number": valid_id(seq=4, male=False)}])
    flat = pdf_text(report(app_ctx, "disputes.agreement", tmp_path / "a.pdf", dispute=did)).replace(" ", "")
    assert "申请人：张三等23名劳动者（集体劳动争议）" in flat
    assert "代表人：张三，男，1990年1月出生" in flat and "代表人：李四，女，1990年1月出生" in flat


def test_the_ledger(app_ctx: App, agreed: int, tmp_path: Path) -> None:
    late = open_one(app_ctx, days=30, workers=[{"name": "王五"}])
    service.advance(app_ctx, late, "mediation", ago(20))
    service.add_handler(app_ctx, late, {"name": "陈晓燕", "capacity": "volunteer"})
    service.save_dispute(app_ctx, agreed, {"paid_amount": "6000"})
    year = ago(30).year
    if ago(40).year != year:
        pytest.skip("the cases straddle the new year")
    rows = sheet(report(app_ctx, "disputes.ledger", tmp_path / "ledger.xlsx", year=year))
    assert rows[0][0] == f"{year_cn(year)}劳动争议调解台账"
    found = by_header(rows)
    first, second, total = found
    assert (first["编号"], first["劳动者"], first["用人单位"], first["争议类型"], first["办理结果"]) == (
        f"{year}-TJ-0001", WORKER, UNIT, "工伤", "调解成功")
    assert first["办理经过"].split("\n")[0].startswith("调解 ") and "仲裁确认" in first["办理经过"]
    assert (first["协议金额（元）"], first["已履行金额（元）"], first["调解期限"]) == (15000, 6000, None)
    assert (second["调解期限"], second["经办人"], second["办理天数"]) == ("逾期", "陈晓燕", 30)
    assert (total["序号"], total["编号"], total["协议金额（元）"], total["调解期限"]) == ("合计", "2 件", 15000, "1 件")
    only = by_header(sheet(report(app_ctx, "disputes.ledger", tmp_path / "l2.xlsx", year=year, stage="逾期")))
    assert [r["编号"] for r in only] == [second["编号"], "1 件"]
    assert len(by_header(sheet(report(app_ctx, "disputes.ledger", tmp_path / "l3.xlsx", year=year, stage="调解")))) == 2
    with pytest.raises(ValidationError, match="阶段“审判”无效"):
        report(app_ctx, "disputes.ledger", tmp_path / "l4.xlsx", year=year, stage="审判")
    text = pdf_text(report(app_ctx, "disputes.ledger", tmp_path / "ledger.pdf", year=year))
    assert "劳动争议调解台账" in text and "逾期" in text and second["编号"] in text and "15,000.00" in text


def test_the_monthly_counts(app_ctx: App, tmp_path: Path) -> None:
    first = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)  # last month
    at = lambda day: datetime.combine(first + timedelta(days=day - 1), datetime.min.time()).replace(hour=10)  # noqa: E731
    base = {"claim": "支付拖欠工资", "source": "hotline"}
    who, unit = [{"name": "张三"}], {"name": "宁海县甲公司"}
    a = service.open_dispute(app_ctx, {**base, "kind": "wages", "collective": True, "headcount": 12}, at(3),
                             workers=who, employer=unit).value
    service.advance(app_ctx, a, "mediation", at(5))
    service.advance(app_ctx, a, "closed", at(15), outcome="mediated")
    service.save_dispute(app_ctx, a, {"agreed_amount": "8000", "paid_amount": "5000"})
    b = service.open_dispute(app_ctx, {**base, "kind": "wages"}, at(10), workers=who, employer=unit).value
    service.advance(app_ctx, b, "mediation", at(12))
    service.open_dispute(app_ctx, {**base, "kind": "injury"}, at(20), workers=who, employer=unit)
    before = service.open_dispute(app_ctx, {**base, "kind": "wages"}, at(1) - timedelta(days=20), workers=who,
                                  employer=unit).value
    service.advance(app_ctx, before, "closed", at(2), outcome="withdrawn")
    service.advance(app_ctx, b, "arbitration", min(datetime.now(), at(1) + timedelta(days=40)))  # after the month
    month = f"{first:%Y-%m}"
    rows = by_header(sheet(report(app_ctx, "disputes.monthly", tmp_path / "m.xlsx", month=month)))
    wages, injury, total = rows[0], rows[1], rows[-1]
    assert (wages["争议类型"], wages["本月受理"], wages["其中集体争议"], wages["涉及劳动者（人）"]) == ("欠薪", 2, 1, 13)
    assert (wages["月末调解中"], wages["本月结案"], wages["结案：调解成功"], wages["结案：撤回"]) == (1, 2, 1, 1)
    assert (wages["协议金额（元）"], wages["已履行金额（元）"]) == (8000, 5000)
    assert (injury["本月受理"], injury["月末预警中"], injury["本月结案"]) == (1, 1, 0)
    assert (total["序号"], total["本月受理"], total["本月结案"], total["协议金额（元）"]) == ("合计", 3, 2, 8000)
    text = pdf_text(report(app_ctx, "disputes.monthly", tmp_path / "m.pdf", month=month)).replace(" ", "")
    assert f"{year_month_cn(first.year, first.month)}劳动争议月度统计表" in text and "调解成功率50%" in text
    with pytest.raises(ValidationError, match="月份"):
        report(app_ctx, "disputes.monthly", tmp_path / "m.xlsx")


def test_amount_helpers() -> None:
    assert amount_words(Decimal("12000")) == "人民币12,000.00元（大写：壹万贰仟元整）"
    assert with_capitals("支付工资3000.5元，押金500元") == \
        "支付工资人民币3,000.50元（大写：叁仟元零伍角），押金人民币500.00元（大写：伍佰元整）"
    once = with_capitals("支付1000元")
    assert with_capitals(once) == once  # an amount with its 大写 is left alone
    assert number_terms(["1. 支付工资", "（二）办理手续；", "", "三、再无争议。"]) == \
        ["一、支付工资。", "二、办理手续；", "三、再无争议。"]
    assert tokens("申请人艾尔肯·吐尔逊，", ["艾尔肯·吐尔逊"]) == ["申", "请", "人", "艾尔肯·吐尔逊", "，"]
    assert "人民币12,000.00元" in tokens("支付人民币12,000.00元", [])


def test_the_agreement_names_the_mediation_committee_when_set(app_ctx: App, agreed: int, tmp_path: Path) -> None:
    from desktop import settings

    body = "宁海县跃龙街道劳动争议调解委员会"
    assert body not in pdf_text(report(app_ctx, "disputes.agreement", tmp_path / "a.pdf", dispute=agreed)).replace(" ", "")
    with app_ctx.db.session() as s:
        settings.save(s, {"mediation_body": body})
    flat = pdf_text(report(app_ctx, "disputes.agreement", tmp_path / "b.pdf", dispute=agreed)).replace(" ", "")
    assert f"调解组织：{body}。" in flat
