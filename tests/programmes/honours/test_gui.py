"""The 劳模工匠 tab's 评选 page through real widgets: a round, nominations (one imported from Excel),
stages one by one, a rejection that needs its reason, 公示 with its list printed, 上报 and the
county's naming; the prints open on the chosen round and nomination."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from db.models.core.registers import Organisation
from db.models.core.selection import Holding
from db.models.honours import HonourTitle
from desktop.context import App
from tests.support import add_workers, quiet, submit, valid_id, write_workbook
from ui.programmes.honours.rounds_page import NAME, REASON, STAGE, UNIT
from ui.programmes.honours.tab import HonoursTab

LEFT = Qt.MouseButton.LeftButton
pytestmark = pytest.mark.usefixtures("look")


@pytest.fixture
def people(app_ctx: App) -> dict[str, int]:
    with app_ctx.db.session() as s:
        org = Organisation(name="宁海县跃龙模具有限公司", kind="enterprise")
        s.add(org)
        ids = add_workers(s, org, "王建国", "李小明", "张伟", trade="数控铣工", member_status="active")
        ids["medal"] = s.scalar(select(HonourTitle.id).where(HonourTitle.name == "县级五一劳动奖章"))
    return ids


@pytest.fixture
def tab(open_tab: Any, app_ctx: App, people: dict[str, int]) -> Iterator[HonoursTab]:
    yield quiet(open_tab(HonoursTab, app_ctx, (1280, 800), wait=False))


def stages(page: Any) -> list[tuple[str, str]]:
    t = page.nominations
    return [(t.item(r, NAME).text(), t.item(r, STAGE).text()) for r in range(t.rowCount())]


def test_a_round_from_nomination_to_naming(tab: HonoursTab, qtbot: Any, people: dict[str, int], app_ctx: App,
                                           tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ui.dialogs.reports.offer_open", lambda *_a, **_k: None)
    page = tab.rounds
    assert [tab.pages.tabText(i) for i in range(tab.pages.count())] == ["评选", "劳模档案", "荣誉称号"]
    assert "还没有评选" in page.info.text()
    qtbot.mouseClick(page.new_button, LEFT)
    dlg = submit(page.dialog, year=date.today().year, title=people["medal"])
    assert not dlg.isVisible() and page.rounds.rowCount() == 1
    assert page.heading.text() == f"{date.today().year}年度县级五一劳动奖章推荐"
    assert "上报" in page.info.text()

    qtbot.mouseClick(page.add_button, LEFT)
    dlg = submit(page.dialog, deeds="带徒十名")
    assert dlg.isVisible() and "请从职工名册中选择推荐对象" in dlg.error.text()  # nothing written
    submit(dlg, worker=people["王建国"])
    qtbot.mouseClick(page.add_button, LEFT)
    dlg = submit(page.dialog, worker=people["王建国"])
    assert dlg.isVisible() and "只能推荐一次" in dlg.error.text()
    dlg.reject()
    sheet = write_workbook(tmp_path / "名单.xlsx", [["姓名", "身份证号", "推荐方式", "主要事迹"],
                                                   ["李小明", valid_id(seq=2), "个人自荐", "五小成果三项"],
                                                   ["无此人", valid_id(seq=50), "", ""]])
    job = page.import_file(sheet)
    assert job is not None and job.wait(30_000)
    qtbot.waitUntil(lambda: "导入完成" in page.message.text(), timeout=10_000)
    assert "第 3 行：职工名册中没有身份证号为" in page.message.text()
    assert stages(page) == [("王建国", "推荐"), ("李小明", "推荐")]

    page.nominations.selectRow(0)
    assert page.advance_button.text() == "推进到“初审”…"
    qtbot.mouseClick(page.advance_button, LEFT)
    submit(page.dialog, all=True)  # both at 推荐
    assert stages(page) == [("王建国", "初审"), ("李小明", "初审")]
    page.nominations.selectRow(1)
    qtbot.mouseClick(page.reject_button, LEFT)
    dlg = submit(page.dialog, reason="")
    assert dlg.isVisible() and "请填写未通过的原因" in dlg.error.text()
    submit(dlg, reason="材料不全")
    assert stages(page)[1] == ("李小明", "未通过") and page.nominations.item(1, REASON).text() == "材料不全"
    page.nominations.selectRow(0)
    qtbot.mouseClick(page.advance_button, LEFT)
    submit(page.dialog)
    assert stages(page)[0] == ("王建国", "评审")

    qtbot.mouseClick(page.publicity_button, LEFT)
    dlg = page.dialog
    assert "公示期：" in dlg.hints.text() and "个工作日" in dlg.hints.text()
    submit(dlg)
    view = page.view
    assert view is not None and view.round.publicity_start and view.round.publicity_end
    assert stages(page)[0] == ("王建国", "公示") and "开始公示" in page.message.text()
    assert not page.add_button.isEnabled()  # no nominations once the list is public

    assert page.publicity_print in page.print_button.menu().actions()  # 打印 ▾ 公示名单
    page.publicity_print.trigger()
    report = page.dialog
    assert report.spec.key == "honours.publicity" and report.values()["round"] == view.round.id
    job = report.run_report(tmp_path / "公示.pdf")
    assert job is not None and job.wait(60_000)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "公示.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "王建国" in text and "公示期：" in text and "李小明" not in text

    page.nominations.selectRow(0)
    qtbot.mouseClick(page.advance_button, LEFT)
    assert page.dialog.value("on") > view.round.publicity_end  # 上报 after the period by default
    submit(page.dialog)
    assert stages(page)[0] == ("王建国", "上报")
    qtbot.mouseClick(page.advance_button, LEFT)
    submit(page.dialog, document="县总工〔2026〕12号")
    assert stages(page)[0] == ("王建国", "上级命名") and not page.advance_button.isEnabled()
    with app_ctx.db.session() as s:
        h = s.scalar(select(Holding).where(Holding.worker_id == people["王建国"]))
        assert h is not None and h.document == "县总工〔2026〕12号"
    assert [page.history.item(r, 0).text() for r in range(page.history.rowCount())] == [
        "推荐", "初审", "评审", "公示", "上报", "上级命名"]

    assert page.form_print in page.nomination_actions()  # the right-click on a nomination offers it too
    page.form_print.trigger()
    form = page.dialog
    assert form.spec.key == "honours.form" and form.values()["nomination"] == page.nominations.rows[0].id
    assert not form.full_check.isHidden()  # the whole ID number: with the permission, logged
    form.reject()
    page.summary_print.trigger()
    assert page.dialog.spec.key == "honours.nominations"
    page.dialog.reject()


def test_a_write_elsewhere_refreshes_the_page(tab: HonoursTab, people: dict[str, int], app_ctx: App) -> None:
    from desktop.programmes.honours import service
    from ui.kit.changes import announce

    assert tab.rounds.rounds.rowCount() == 0
    done = service.save_round(app_ctx, None, year=2026, title_id=people["medal"])
    announce(done.changes)
    assert tab.rounds.rounds.rowCount() == 1 and tab.record_count() == 1


def shown_buttons(page: Any) -> list[Any]:
    """The bar buttons of a page the clerk sees (the kit's buttons that drop their name when short of room)."""
    from ui.kit.filter_bar import BarButton

    return [b for b in page.findChildren(BarButton) if b.isVisibleTo(page)]


@pytest.mark.parametrize("size", [(1112, 740), (1198, 708)], ids=["1280x800", "1366x768"])
def test_at_a_laptop_size_every_button_has_its_name_and_no_list_scrolls_sideways(
        open_tab: Any, demo_app: App, size: tuple[int, int]) -> None:
    """The tab's room in a 1280×800 and a 1366×768 window (the side bar takes the rest)."""
    from PySide6.QtWidgets import QApplication

    t = open_tab(HonoursTab, demo_app, size)
    for page in (t.rounds, t.holders, t.titles):
        t.pages.setCurrentWidget(page)
        QApplication.processEvents()
        buttons = shown_buttons(page)
        assert buttons
        for b in buttons:
            assert b.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon, b.text()
    assert not t.holders.holders.horizontalScrollBar().isVisible()
    assert not t.titles.table.horizontalScrollBar().isVisible()
    t.pages.setCurrentWidget(t.rounds)
    page = t.rounds
    assert [b.text() for b in shown_buttons(page.detail_bar)][:3] == ["添加推荐…", page.advance_button.text(), "未通过…"]
    assert page.rounds.rowCount() >= 2
    for row in range(page.rounds.rowCount()):
        page.rounds.selectRow(row)
        QApplication.processEvents()
        assert not page.rounds.horizontalScrollBar().isVisible()
        assert not page.nominations.horizontalScrollBar().isVisible()
        assert page.rounds.columnWidth(1) >= page.rounds.sizeHintForColumn(1), page.rounds.item(row, 1).text()
        if page.nominations.rowCount():
            assert page.nominations.columnWidth(NAME) >= page.nominations.sizeHintForColumn(NAME)
        for b in shown_buttons(page):
            assert b.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon, b.text()


def test_a_collective_nomination_names_its_team_once_and_rare_things_sit_in_menus(
        tab: HonoursTab, people: dict[str, int], app_ctx: App) -> None:
    from desktop.programmes.honours import service
    from ui.kit.changes import announce

    with app_ctx.db.session() as s:
        pioneer = s.scalar(select(HonourTitle.id).where(HonourTitle.name == "工人先锋号"))
        unit = s.scalar(select(Organisation.id).where(Organisation.name == "宁海县跃龙模具有限公司"))
    done = service.save_round(app_ctx, None, year=date.today().year, title_id=pioneer)
    announce(done.changes)
    announce(service.nominate(app_ctx, done.value, date.today(), organisation_id=unit, team="数控车间一班").changes)
    page = tab.rounds
    assert page.rounds.select_id(done.value)
    t = page.nominations
    assert t.horizontalHeaderItem(UNIT).text() == "单位"
    assert (t.item(0, NAME).text(), t.item(0, UNIT).text()) == ("数控车间一班", "宁海县跃龙模具有限公司")
    assert t.item(0, NAME).toolTip() == "宁海县跃龙模具有限公司数控车间一班"

    # 删除推荐 and 删除评选 are no bar buttons: the arrow of 修改材料 / 编辑评选 and the right-click offer them
    assert page.remove_action in page.materials_button.menu().actions() and page.remove_action in page.nomination_actions()
    assert page.delete_action in page.edit_button.menu().actions() and page.delete_action in page.round_actions()
    assert not page.delete_action.isEnabled()  # a round with nominations is not deleted
    page.remove_action.trigger()
    assert t.rowCount() == 0 and "已删除推荐对象" in page.message.text()
    assert page.delete_action.isEnabled()
    page.delete_action.trigger()
    assert page.rounds.rowCount() == 0 and "已删除评选" in page.message.text()


def test_a_new_nomination_is_dated_within_its_round() -> None:
    from types import SimpleNamespace

    from ui.programmes.honours.dialogs import nomination_day

    today = date(2026, 6, 1)
    this_year = SimpleNamespace(year=2026, call_start=date(2026, 7, 1), call_end=date(2026, 7, 31))
    last_year = SimpleNamespace(year=2025, call_start=date(2025, 3, 1), call_end=date(2025, 3, 31))
    undated = SimpleNamespace(year=2025, call_start=None, call_end=None)
    assert nomination_day(this_year, today) == date(2026, 7, 1)  # type: ignore[arg-type]
    assert nomination_day(last_year, today) == date(2025, 3, 31)  # type: ignore[arg-type]
    assert nomination_day(undated, today) == date(2025, 12, 31)  # type: ignore[arg-type]
