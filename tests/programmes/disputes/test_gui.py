"""The 劳动争议 tab through real widgets: a dispute registered at 预警 with a worker named only, moved
协商 → 调解 → 结案 (调解成功, amounts) through the dialogs, its 调解协议书 printed and read back; a
named-only worker and unit linked to the registers, a handler and a paper added; the sensitive
fields by account (「（受保护）」 and greyed buttons for 只读, editable with the permission, never
overwritten by the placeholder); every bar button named at laptop sizes."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit
from sqlalchemy import select

from db.models.core.registers import Organisation
from desktop import protected_fields
from desktop.accounts.roles import ADMIN, CLERK, READONLY, SignedIn
from desktop.context import App
from desktop.programmes.disputes import queries, service
from tests.support import add_workers, quiet, submit
from ui.kit.filter_bar import BarButton
from ui.programmes.disputes.detail import LINKED, NAME, ROLE
from ui.programmes.disputes.tab import EMPLOYER, NUMBER, STAGE, WORKERS, DisputesTab

LEFT = Qt.MouseButton.LeftButton
UNIT = "杭州临安某科技有限公司"
SECRET = "左手食指骨折，住院治疗二十天"
pytestmark = pytest.mark.usefixtures("look")


def minute(days: float = 0, hours: float = 0) -> datetime:
    """Now to the minute, ``days`` and ``hours`` ago."""
    return datetime.now().replace(second=0, microsecond=0) - timedelta(days=days, hours=hours)


@pytest.fixture
def unit(app_ctx: App) -> int:
    with app_ctx.db.session() as s:
        org = Organisation(name=UNIT, kind="enterprise")
        s.add(org)
        s.flush()
        return org.id


@pytest.fixture
def tab(open_tab: Any, app_ctx: App, unit: int) -> Iterator[DisputesTab]:
    yield quiet(open_tab(DisputesTab, app_ctx, (1280, 760), wait=False))


def cells(tab: DisputesTab, row: int = 0) -> list[str]:
    return [tab.table.item(row, c).text() for c in range(tab.table.columnCount())]


def column(table: Any, col: int) -> list[str]:
    return [table.item(r, col).text() for r in range(table.rowCount())]


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def advance(tab: DisputesTab, qtbot: Any, **values: Any) -> Any:
    qtbot.mouseClick(tab.advance_button, LEFT)
    dlg = submit(tab.dialog, **values)
    assert not dlg.isVisible(), dlg.error.text()
    return dlg


def test_a_dispute_from_warning_to_mediation_and_its_agreement(
        tab: DisputesTab, qtbot: Any, app_ctx: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ui.dialogs.reports.offer_open", lambda *_a, **_k: None)
    start = minute(days=3)
    assert tab.table.rowCount() == 0 and not tab.advance_button.isEnabled()

    # 登记争议: the worker named only (name and phone), the employer from the register.
    qtbot.mouseClick(tab.add_button, LEFT)
    dlg = tab.dialog
    workers = dlg.widgets["workers"]
    workers.name.setText("张某")  # typed through the input method (keyClicks sends Latin keys only)
    qtbot.keyClicks(workers.phone, "13812345678")
    qtbot.mouseClick(workers.add_button, LEFT)
    assert workers.names() == ["张某　13812345678（只记姓名，未入名册）"] and workers.name.text() == ""
    dlg.widgets["employer"].set_text(UNIT)
    dlg.set("claim", "")
    dlg.accept()  # the claim is required: refused, nothing written
    assert dlg.isVisible() and "请求事项" in dlg.error.text()
    assert "张某只记姓名" in dlg.hints.text() and "单位名册中没有" not in dlg.hints.text()
    submit(dlg, source="warning", kind="injury", opened_at=start, claim="支付工伤治疗期间的医疗费和工资",
           claim_amount="30000")
    assert not dlg.isVisible(), dlg.error.text()
    assert cells(tab)[NUMBER] == f"{start.year}-TJ-0001" and cells(tab)[STAGE] == "预警"
    assert (cells(tab)[WORKERS], cells(tab)[EMPLOYER]) == ("张某", UNIT)
    assert tab.current() is not None and tab.delete_button.isEnabled()
    parties = tab.detail.parties
    assert column(parties, ROLE) == ["劳动者", "用人单位"] and column(parties, LINKED) == ["只记名称", "已关联"]
    assert "138****5678" in column(parties, 2)

    # 办理: 协商, then 调解 (the legal period shows), then 结案 with the outcome and amounts.
    dlg = advance(tab, qtbot, to="negotiation", at=start + timedelta(hours=1), note="约双方到矛盾调处中心协商")
    assert dlg.form.labels["outcome"].isHidden()  # asked only at 结案
    assert cells(tab)[STAGE] == "协商" and not tab.delete_button.isEnabled()
    advance(tab, qtbot, to="mediation", at=start + timedelta(hours=2))
    assert cells(tab)[STAGE] == "调解"
    assert "调解期限 15 日（法律规定" in tab.detail.deadline.text() and "还剩" in tab.detail.deadline.text()
    qtbot.mouseClick(tab.advance_button, LEFT)
    dlg = tab.dialog
    dlg.set("to", "closed")
    assert not dlg.form.labels["outcome"].isHidden()
    submit(dlg, at=start + timedelta(hours=3), outcome="mediated", agreed_amount="28,000", paid_amount="30000")
    assert dlg.isVisible() and "不能大于" in dlg.error.text()  # paid above agreed: refused, still at 调解
    assert cells(tab)[STAGE] == "调解"
    submit(dlg, paid_amount="20000", note="双方签订调解协议")
    assert not dlg.isVisible(), dlg.error.text()
    assert cells(tab)[STAGE] == "结案·调解成功" and not tab.advance_button.isEnabled()
    assert column(tab.detail.moves, 0) == ["预警", "协商", "调解", "结案"]
    assert column(tab.detail.moves, 3)[1] == "约双方到矛盾调处中心协商"
    assert "28,000" in tab.detail.amounts.text() and "20,000" in tab.detail.amounts.text()
    assert "调解成功" in tab.detail.stage.text()

    # 编辑: the agreement's terms and the 仲裁确认 date; no account may open the sensitive fields here.
    qtbot.mouseClick(tab.edit_button, LEFT)
    dlg = tab.dialog
    assert dlg.value("agreed_amount") == "28000"
    injury = dlg.widgets["injury"]
    assert isinstance(injury, QLabel) and injury.text() == "（受保护）" and "敏感信息权限" in dlg.findChild(
        QLabel, "infoLabel").text()
    submit(dlg, terms="一、被申请人于调解协议签订之日起十日内支付申请人医疗费、停工留薪期工资合计28000元。\n"
                      "二、申请人放弃其他请求。", confirmed_on=date.today().isoformat())
    assert not dlg.isVisible(), dlg.error.text()
    assert "仲裁确认日期" in tab.detail.facts.text() and "申请人放弃其他请求" in tab.detail.facts.text()

    # 打印 ▾ 调解协议书, to a file, read back.
    assert tab.agreement_print in tab.print_button.menu().actions()
    tab.agreement_print.trigger()
    report = tab.dialog
    assert report.spec.key == "disputes.agreement" and report.values()["dispute"] == tab.current().id
    job = report.run_report(tmp_path / "调解协议书.pdf")
    assert job is not None and job.wait(60_000)
    text = pdf_text(tmp_path / "调解协议书.pdf")
    assert "调解协议书" in text and "张某" in text and UNIT in text
    assert f"〔{start.year}〕TJ-0001号" in text and "申请人放弃其他请求" in text and "28,000.00" in text


def test_named_parties_are_linked_and_handlers_and_papers_added(
        tab: DisputesTab, qtbot: Any, app_ctx: App) -> None:
    done = service.open_dispute(app_ctx, {"source": "walk_in", "kind": "wages", "claim": "支付拖欠工资"},
                                minute(days=1), workers=[{"name": "李明", "phone": "13900001111"}],
                                employer={"name": "临安某建筑劳务有限公司"})
    with app_ctx.db.session() as s:  # both come to the registers afterwards
        org = Organisation(name="临安某建筑劳务有限公司", kind="enterprise")
        s.add(org)
        s.flush()
        worker = add_workers(s, org, "李明")["李明"]
        org_id = org.id
    tab.reload()
    assert tab.table.select_id(done.value)
    parties = tab.detail.parties
    assert column(parties, LINKED) == ["只记名称", "只记名称"]
    parties.selectRow(0)
    assert tab.link_action.isEnabled()
    tab.link_action.trigger()  # 当事人 ▾ 关联名册…
    dlg = tab.dialog
    assert dlg.widgets["worker"].search.text() == "李明" and dlg.widgets["worker"].hits
    submit(dlg, worker=worker)
    assert not dlg.isVisible(), dlg.error.text()
    parties.selectRow(1)
    tab.link_action.trigger()
    dlg = submit(tab.dialog)  # the unit of the same name is offered
    assert not dlg.isVisible(), dlg.error.text()
    assert column(parties, LINKED) == ["已关联", "已关联"]
    with app_ctx.db.session() as s:
        assert {p.organisation_id for p in queries.detail(s, done.value).employers} == {org_id}

    tab.add_handler_action.trigger()
    dlg = submit(tab.dialog, capacity="lawyer", name="王律师", phone="13900002222")
    assert not dlg.isVisible(), dlg.error.text()
    assert column(parties, ROLE)[-1] == "律师" and column(parties, NAME)[-1] == "王律师"
    assert "王律师（律师）" in tab.detail.facts.text()

    qtbot.mouseClick(tab.attachment_button, LEFT)  # 附件…: the button registers a paper
    dlg = submit(tab.dialog, name="调解申请书")
    assert not dlg.isVisible(), dlg.error.text()
    papers = tab.detail.attachments
    assert column(papers, 0) == ["调解申请书"] and tab.detail.pages.tabText(3) == "附件（1）"
    papers.selectRow(0)
    assert tab.remove_attachment_action.isEnabled()
    tab.remove_attachment_action.trigger()
    assert papers.rowCount() == 0 and "已删除附件" in tab.message.text()

    qtbot.mouseClick(tab.delete_button, LEFT)  # still at 预警: a mistake may go
    assert tab.table.rowCount() == 0 and "已删除" in tab.message.text()


# -- the sensitive fields by account ----------------------------------------------------------------------------


@pytest.fixture
def signed(app_ctx: App) -> dict[str, Any]:
    """An administrator (the sensitive permission) signed in, and a dispute holding an injury."""
    from desktop.accounts import service as accounts

    accounts.create_account(app_ctx, "admin", "王管理", "admin-pass-1", ADMIN)
    assert protected_fields.can_open(app_ctx)
    done = service.open_dispute(app_ctx, {"source": "hotline", "kind": "injury", "claim": "支付工伤待遇",
                                          "injury": SECRET}, minute(days=2),
                                workers=[{"name": "张某", "phone": "13812345678"}], employer={"name": UNIT})
    return {"dispute": done.value, "admin": app_ctx.user}


def sign_in(app: App, role: str) -> None:
    app.user = SignedIn(99, "li", "李经办", role, sensitive=False)
    protected_fields.apply(app)


def write_buttons(tab: DisputesTab) -> list[Any]:
    return [tab.add_button, tab.advance_button, tab.party_button, tab.edit_button, tab.attachment_button,
            tab.delete_button]


def test_a_readonly_account_sees_the_sensitive_fields_protected_and_cannot_write(
        open_tab: Any, app_ctx: App, signed: dict[str, Any]) -> None:
    sign_in(app_ctx, READONLY)
    tab = quiet(open_tab(DisputesTab, app_ctx, (1280, 760)))
    assert tab.table.select_id(signed["dispute"])
    facts = tab.detail.facts.text()
    assert "工伤情况：</b>（受保护）" in facts and SECRET not in facts and "敏感信息权限" in facts
    assert not any(b.isEnabled() for b in write_buttons(tab))
    assert tab.print_button.isEnabled() and tab.ledger_print.isEnabled()
    tab.ledger_print.trigger()  # 台账: the year's ledger, for a reader too
    report = tab.dialog
    assert report.spec.key == "disputes.ledger" and not report.full_check.isEnabled()
    report.reject()


def test_without_the_permission_the_placeholder_is_never_written_back(
        open_tab: Any, app_ctx: App, signed: dict[str, Any]) -> None:
    sign_in(app_ctx, CLERK)
    tab = quiet(open_tab(DisputesTab, app_ctx, (1280, 760)))
    assert tab.table.select_id(signed["dispute"]) and tab.edit_button.isEnabled()
    tab.edit_dialog()
    dlg = tab.dialog
    assert all(isinstance(dlg.widgets[n], QLabel) and dlg.widgets[n].text() == "（受保护）"
               for n in ("injury", "health", "income"))
    submit(dlg, agencies="区人社局、区矛盾调处中心")
    assert not dlg.isVisible(), dlg.error.text()
    app_ctx.user = signed["admin"]
    protected_fields.apply(app_ctx)
    d = queries.dispute(app_ctx, signed["dispute"])
    assert d.values["injury"] == SECRET and d.values["agencies"] == "区人社局、区矛盾调处中心"


def test_the_sensitive_permission_shows_and_edits_them(open_tab: Any, app_ctx: App, signed: dict[str, Any],
                                                       qtbot: Any) -> None:
    tab = quiet(open_tab(DisputesTab, app_ctx, (1280, 760)))
    assert tab.table.select_id(signed["dispute"])
    assert SECRET in tab.detail.facts.text() and "敏感信息权限" not in tab.detail.facts.text()
    qtbot.mouseClick(tab.edit_button, LEFT)
    dlg = tab.dialog
    assert isinstance(dlg.widgets["injury"], QPlainTextEdit) and dlg.value("injury") == SECRET
    submit(dlg, injury=SECRET + "，已做工伤认定", income="4200")
    assert not dlg.isVisible(), dlg.error.text()
    assert "已做工伤认定" in tab.detail.facts.text() and "月收入：</b>4200" in tab.detail.facts.text()
    tab.agreement_print.trigger()
    assert not tab.dialog.full_check.isHidden() and tab.dialog.full_check.isEnabled()  # whole ID numbers: permitted
    tab.dialog.reject()


# -- laptop sizes -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(1112, 740), (1198, 708)], ids=["1280x800", "1366x768"])
def test_at_a_laptop_size_every_button_has_its_name(open_tab: Any, demo_app: App, size: tuple[int, int]) -> None:
    """The tab's room in a 1280×800 and a 1366×768 window (the side bar takes the rest)."""
    with demo_app.db.session() as s:
        assert s.scalar(select(Organisation.id).limit(1)) is not None
    tab = open_tab(DisputesTab, demo_app, size)
    assert tab.table.rowCount() > 0
    tab.table.selectRow(0)
    QApplication.processEvents()
    buttons = [b for b in tab.findChildren(BarButton) if b.isVisibleTo(tab)]
    assert len(buttons) == 7
    for b in buttons:
        assert b.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon, b.text()
    assert not tab.table.horizontalScrollBar().isVisible()
    assert tab.table.columnWidth(EMPLOYER) >= 120
