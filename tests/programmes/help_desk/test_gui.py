"""The 助企行 tab through real widgets: a demand taken from 线上点单 through 登记需求, dispatched to a
craftsman, accepted (the minutes shown), solved with its outcome figures, and the month's
statistics against the year's target changing; a team gaining a worker and an outside expert; a
只读 account's buttons greyed out; every bar button keeping its name at laptop sizes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

from db.models.core.registers import Organisation
from desktop.context import App
from desktop.programmes.help_desk import queries, service
from tests.support import add_workers, quiet
from ui.kit.changes import announce
from ui.kit.cultivation import FILLS
from ui.programmes.help_desk.demands_page import CRAFTSMEN, MINUTES, NUMBER, STAGE, URGENCY
from ui.programmes.help_desk.statistics_page import MEASURE, MONTH, RATE, TARGET, YEAR
from ui.programmes.help_desk.tab import HelpDeskTab

LEFT = Qt.MouseButton.LeftButton
pytestmark = pytest.mark.usefixtures("look")


@pytest.fixture
def people(app_ctx: App) -> dict[str, int]:
    with app_ctx.db.session() as s:
        org = Organisation(name="宁海县跃龙模具有限公司", kind="enterprise")
        other = Organisation(name="宁海县甲机械有限公司", kind="enterprise")
        s.add_all([org, other])
        ids = add_workers(s, org, "周国全", "王建国", "李小明", trade="数控铣工", member_status="active")
        s.flush()
        ids["unit"], ids["other"] = org.id, other.id
    ids["team"] = service.save_team(app_ctx, None, {"name": "宁海县劳模工匠帮帮团", "kind": "helpers"}).value
    ids["member"] = service.add_member(app_ctx, ids["team"], {"worker_id": ids["周国全"], "specialty": "模具设计",
                                                               "area": "西店片区"}).value
    return ids


@pytest.fixture
def tab(open_tab: Any, app_ctx: App, people: dict[str, int]) -> Iterator[HelpDeskTab]:
    yield quiet(open_tab(HelpDeskTab, app_ctx, (1280, 800), wait=False))


def click_ok(qtbot: Any, dlg: QWidget) -> QWidget:
    """Click the dialog's 确定 (or its renamed OK button) as the clerk would."""
    box = dlg.findChild(QDialogButtonBox)
    assert box is not None
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), LEFT)
    return dlg


def cells(page: Any, column: int) -> list[str]:
    t = page.table
    return [t.item(r, column).text() for r in range(t.rowCount())]


def moments() -> tuple[datetime, ...]:
    """Received, dispatched, accepted, solved: today, within the last half hour (never before midnight)."""
    start = max(datetime.now().replace(second=0, microsecond=0) - timedelta(minutes=30),
                datetime.combine(date.today(), time(0, 0)))
    return start, start + timedelta(minutes=5), start + timedelta(minutes=10), start + timedelta(minutes=25)


def measure_row(page: Any, code: str) -> int:
    return next(r for r in range(page.measures.rowCount()) if page.measures.rows[r].data.measure == code)


def test_a_demand_from_online_order_to_the_months_statistics(tab: HelpDeskTab, qtbot: Any, people: dict[str, int],
                                                             app_ctx: App) -> None:
    received, sent, accepted, solved = moments()
    stats = tab.statistics
    stats.set_period(solved.year, solved.month)
    problems = measure_row(stats, "problems")
    assert stats.measures.item(problems, YEAR).text() == "0"
    assert stats.measures.item(problems, TARGET).text() == "未设定"

    # An ordinary demand registered earlier, then the 急诊单 from 线上点单 through the dialog.
    announce(service.add_demand(app_ctx, {"organisation_id": people["other"], "problem": "数控车床精度下降",
                                          "kind": "process", "channel": "visit",
                                          "received_at": received - timedelta(minutes=1)}).changes)
    page = tab.demands
    assert page.table.rowCount() == 1
    qtbot.mouseClick(page.add_button, LEFT)
    dlg = tab.dialog
    assert dlg.value("channel") == "online" and dlg.value("organisation_id") is None
    dlg.set("problem", "注塑机液压系统漏油，急需上门")
    click_ok(qtbot, dlg)
    assert dlg.isVisible() and "企业" in dlg.error.text()  # nothing written without the enterprise
    unit = dlg.widgets["organisation_id"]
    unit.setEditText("跃龙模具")  # part of the name, not chosen from the list
    click_ok(qtbot, dlg)
    assert dlg.isVisible() and "没有名为“跃龙模具”的企业" in dlg.error.text()
    unit.setEditText("宁海县跃龙模具有限公司")  # the whole name
    for key, value in {"kind": "breakdown", "urgency": "emergency", "received_at": received, "contact_name": "陈师傅",
                       "contact_phone": "13805741234"}.items():
        dlg.set(key, value)
    click_ok(qtbot, dlg)
    assert not dlg.isVisible()
    assert page.table.rowCount() == 2 and page.current() is not None
    assert page.current().organisation_id == people["unit"]
    number = page.current().number
    assert cells(page, NUMBER)[0] == number  # the open 急诊单 first, highlighted
    assert cells(page, URGENCY)[0] == "急诊单" and cells(page, STAGE)[0] == "待派"
    assert page.table.item(0, NUMBER).background().color() == FILLS["carried"]
    assert page.table.item(1, NUMBER).background().style() == Qt.BrushStyle.NoBrush
    assert "138****1234" in page.detail.about.text() and "13805741234" not in page.detail.about.text()
    assert "已登记企业需求" in page.message.text()

    # 派单 to the craftsman: his specialty, trade and 片区 are in the list.
    assert page.dispatch_button.text() == "派单…"
    qtbot.mouseClick(page.dispatch_button, LEFT)
    dlg = tab.dialog
    assert [dlg.table.item(r, 0).text() for r in range(dlg.table.rowCount())] == ["周国全"]
    assert dlg.table.item(0, 2).text() == "模具设计" and dlg.table.item(0, 3).text() == "数控铣工"
    click_ok(qtbot, dlg)
    assert dlg.isVisible() and "请选择派单的工匠" in dlg.error.text()
    dlg.choose(people["member"])
    dlg.set_at(sent)
    click_ok(qtbot, dlg)
    assert not dlg.isVisible()
    assert cells(page, STAGE)[0] == "已派" and cells(page, CRAFTSMEN)[0] == "周国全"
    assert page.dispatch_button.text() == "加派…"

    # 办理 offers only what may come next: 接单, then the minutes from 派单 are shown.
    qtbot.mouseClick(page.advance_button, LEFT)
    dlg = tab.dialog
    offered = [dlg.widgets["to"].itemText(i) for i in range(dlg.widgets["to"].count())]
    assert offered[0] == "已接单" and "待派" not in offered and "已派" not in offered
    dlg.set("at", accepted)
    click_ok(qtbot, dlg)
    assert cells(page, STAGE)[0] == "已接单" and cells(page, MINUTES)[0] == "5 分钟"
    assert "接单用时 <b>5 分钟</b>" in page.detail.figures.text()
    assert "派单后 5 分钟接单" in page.message.text()

    # 上门服务 with two craftsmen (人次).
    qtbot.mouseClick(page.visit_button, LEFT)
    dlg = tab.dialog
    assert dlg.value("visited_on") == date.today()
    dlg.set("people", 2)
    click_ok(qtbot, dlg)
    assert dlg.isVisible() and "服务内容" in dlg.error.text()
    dlg.set("content", "现场检查液压管路，更换密封圈")
    click_ok(qtbot, dlg)
    assert page.detail.visits.rowCount() == 1 and page.detail.lists.tabText(2) == "上门服务（1）"

    # 办结: 已解决, then the outcome figures.
    qtbot.mouseClick(page.advance_button, LEFT)
    dlg = tab.dialog
    dlg.set("to", "solved")
    dlg.set("at", solved)
    dlg.set("note", "更换密封圈后试机正常")
    click_ok(qtbot, dlg)
    assert cells(page, STAGE)[0] == "已解决" and page.table.item(0, NUMBER).text() == number
    assert [page.detail.moves.item(r, 1).text() for r in range(page.detail.moves.rowCount())] == [
        "待派", "已派", "已接单", "已解决"]
    qtbot.mouseClick(page.outcome_button, LEFT)
    dlg = tab.dialog
    dlg.set("benefit_actual", "abc")
    click_ok(qtbot, dlg)
    assert dlg.isVisible() and "实际效益" in dlg.error.text()
    for key, value in {"benefit_actual": "45", "benefit_expected": "60", "trained": 20, "result_count": 1,
                       "rating": "very_satisfied", "solution": "更换液压密封圈，培训操作工"}.items():
        dlg.set(key, value)
    click_ok(qtbot, dlg)
    assert not dlg.isVisible()
    about = page.detail.about.text()
    assert "45" in about and "非常满意" in about and "更换液压密封圈" in about

    # The month against the year's target.
    tab.pages.setCurrentWidget(stats)
    assert stats.measures.item(problems, MONTH).text() == "1" and stats.measures.item(problems, YEAR).text() == "1"
    stats.measures.selectRow(problems)
    qtbot.mouseClick(stats.target_button, LEFT)
    dlg = tab.dialog
    dlg.set("target", "30")
    click_ok(qtbot, dlg)
    assert stats.measures.item(problems, TARGET).text() == "30" and stats.measures.item(problems, RATE).text() == "3.3%"
    assert stats.measures.item(measure_row(stats, "benefit"), YEAR).text() == "45"
    assert stats.measures.item(measure_row(stats, "trained"), MONTH).text() == "20"
    assert stats.measures.item(measure_row(stats, "craftsmen"), MONTH).text() == "2"
    figures = {stats.figures.item(r, 0).text(): stats.figures.item(r, 2).text()
               for r in range(stats.figures.rowCount())}
    assert figures["其中已解决"] == "1" and figures["平均接单用时"] == "5 分钟" and figures["解决率（已解决÷办结）"] == "100.0%"
    qtbot.mouseClick(stats.print_button, LEFT)
    assert tab.dialog.spec.key == "help_desk.statistics" and tab.dialog.values()["year"] == solved.year
    tab.dialog.reject()


def test_prints_open_on_the_chosen_demand_and_the_rare_things_sit_in_menus(tab: HelpDeskTab, people: dict[str, int],
                                                                        app_ctx: App) -> None:
    done = service.add_demand(app_ctx, {"organisation_id": people["unit"], "problem": "模具设计咨询",
                                        "kind": "consulting", "channel": "enterprise", "received_at": moments()[0]})
    announce(done.changes)
    page = tab.demands
    assert page.current() is not None and page.current().id == done.value
    menu = page.print_button.menu().actions()
    assert [a.text() for a in menu if a.text()] == ["派工单", "急诊单", "统计表", "企业需求库"]
    assert page.slip_print in page.row_actions() and page.delete_action in page.row_actions()
    page.slip_print.trigger()
    report = tab.dialog
    assert report.spec.key == "help_desk.slip" and report.values()["demand"] == done.value
    report.reject()
    page.register_print.trigger()
    assert tab.dialog.spec.key == "help_desk.demands" and tab.dialog.values()["year"] == moments()[0].year
    tab.dialog.reject()
    assert page.delete_action.isEnabled()  # 待派: a mistake may be deleted
    page.delete_action.trigger()
    assert page.table.rowCount() == 0 and "已删除企业需求" in page.message.text()


def test_a_team_gains_a_worker_and_an_outside_expert(tab: HelpDeskTab, qtbot: Any, people: dict[str, int]) -> None:
    page = tab.teams
    tab.pages.setCurrentWidget(page)
    assert page.heading.text() == "宁海县劳模工匠帮帮团" and page.members.rowCount() == 1
    qtbot.mouseClick(page.add_member_button, LEFT)
    dlg = tab.dialog
    picker = dlg.widgets["worker_id"]
    picker.search.setText("王建国")
    picker.refresh()
    assert picker.value() == people["王建国"]
    dlg.set("specialty", "数控编程")
    click_ok(qtbot, dlg)
    assert not dlg.isVisible()
    qtbot.mouseClick(page.add_member_button, LEFT)
    dlg = tab.dialog
    dlg.set("source", "expert")
    assert not dlg.widgets["name"].isHidden() and dlg.widgets["worker_id"].isHidden()
    for key, value in {"name": "林教授", "phone": "13905741111", "expert_from": "宁波职业技术学院",
                       "specialty": "注塑工艺"}.items():
        dlg.set(key, value)
    click_ok(qtbot, dlg)
    names = [page.members.item(r, 0).text() for r in range(page.members.rowCount())]
    assert names == ["周国全", "王建国", "林教授"]
    assert page.members.item(2, 6).text() == "139****1111"
    page.members.selectRow(2)
    qtbot.mouseClick(page.remove_member_button, LEFT)  # never sent: deleted
    assert [page.members.item(r, 0).text() for r in range(page.members.rowCount())] == ["周国全", "王建国"]


def test_a_readonly_account_sees_but_cannot_write(open_tab: Any, app_ctx: App, people: dict[str, int]) -> None:
    from desktop.accounts.roles import READONLY, SignedIn

    service.add_demand(app_ctx, {"organisation_id": people["unit"], "problem": "设备异响", "kind": "breakdown",
                                 "channel": "online", "received_at": moments()[0]})
    app_ctx.has_accounts = True
    app_ctx.user = SignedIn(2, "du", "杜会计", READONLY)
    t = open_tab(HelpDeskTab, app_ctx, (1280, 800), wait=False)
    page = t.demands
    assert page.current() is not None
    for button in (page.add_button, page.edit_button, page.dispatch_button, page.advance_button, page.visit_button,
                   page.outcome_button, page.attach_button, t.teams.new_button, t.teams.add_member_button,
                   t.statistics.target_button):
        assert not button.isEnabled(), button.text()
    assert not page.dispatch_action.isEnabled() and not page.delete_action.isEnabled()
    assert page.print_button.isEnabled() and page.slip_print.isEnabled()  # 只读 may print


def test_a_write_elsewhere_refreshes_the_tab(tab: HelpDeskTab, people: dict[str, int], app_ctx: App) -> None:
    assert tab.record_count() == 0
    done = service.add_demand(app_ctx, {"organisation_id": people["unit"], "problem": "工艺改进", "kind": "process",
                                        "channel": "visit", "received_at": moments()[0]})
    announce(done.changes)
    assert tab.record_count() == 1 and tab.demands.table.rowCount() == 1
    assert queries.demand(app_ctx, done.value).row.number == cells(tab.demands, NUMBER)[0]


def shown_buttons(page: QWidget) -> list[Any]:
    from ui.kit.filter_bar import BarButton

    return [b for b in page.findChildren(BarButton) if b.isVisibleTo(page)]


@pytest.mark.parametrize("size", [(1112, 740), (1198, 708)], ids=["1280x800", "1366x768"])
def test_at_a_laptop_size_every_button_has_its_name_and_no_list_scrolls_sideways(
        open_tab: Any, demo_app: App, size: tuple[int, int]) -> None:
    """The tab's room in a 1280×800 and a 1366×768 window (the side bar takes the rest)."""
    t = open_tab(HelpDeskTab, demo_app, size)
    assert t.demands.table.rowCount() > 5
    for page in (t.demands, t.teams, t.statistics):
        t.pages.setCurrentWidget(page)
        QApplication.processEvents()
        buttons = shown_buttons(page)
        assert len(buttons) >= 3
        for b in buttons:
            assert b.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon, b.text()
    t.pages.setCurrentWidget(t.demands)
    QApplication.processEvents()
    assert not t.demands.table.horizontalScrollBar().isVisible()
    t.pages.setCurrentWidget(t.teams)
    QApplication.processEvents()
    assert not t.teams.members.horizontalScrollBar().isVisible()
    t.pages.setCurrentWidget(t.statistics)
    QApplication.processEvents()
    assert not t.statistics.measures.horizontalScrollBar().isVisible()
    assert t.statistics.measures.columnWidth(MEASURE) >= t.statistics.measures.sizeHintForColumn(MEASURE)


def test_editing_a_demand_keeps_the_masked_contact_phone(tab: HelpDeskTab, qtbot: Any, people: dict[str, int],
                                                         app_ctx: App) -> None:
    from db.models.help_desk import Demand

    done = service.add_demand(app_ctx, {"organisation_id": people["unit"], "problem": "设备异响", "kind": "breakdown",
                                        "channel": "online", "received_at": moments()[0], "contact_phone": "13805741234"})
    announce(done.changes)
    page = tab.demands
    qtbot.mouseClick(page.edit_button, LEFT)
    dlg = tab.dialog
    assert dlg.value("contact_phone") == "138****1234" and dlg.value("organisation_id") == people["unit"]
    dlg.set("problem", "设备异响，主轴温升过高")
    click_ok(qtbot, dlg)
    assert not dlg.isVisible()
    with app_ctx.db.session() as s:
        d = s.get(Demand, done.value)
        assert d is not None and d.contact_phone == "13805741234" and d.problem == "设备异响，主轴温升过高"
    qtbot.mouseClick(page.edit_button, LEFT)
    submit_phone = tab.dialog
    submit_phone.set("contact_phone", "0574-65551234")
    click_ok(qtbot, submit_phone)
    with app_ctx.db.session() as s:
        assert s.get(Demand, done.value).contact_phone == "0574-65551234"  # type: ignore[union-attr]


def test_a_demand_list_imported_from_the_tab(tab: HelpDeskTab, qtbot: Any, tmp_path: Any) -> None:
    from tests.support import write_workbook

    page = tab.demands
    assert page.import_action.isEnabled()
    sheet = write_workbook(tmp_path / "需求清单.xlsx", [
        ["企业名称", "需求内容", "需求类型", "紧急程度", "来源渠道", "接收时间"],
        ["宁海县甲机械有限公司", "数控车床主轴异响", "设备故障", "急诊", "线上点单", "2026年3月5日 14时30分"],
        ["宁海县甲机械有限公司", "", "工艺改进", "", "走访", "2026-03-06 09:00"],
    ], title="2026年企业技术需求清单")
    job = page.import_file(sheet)
    assert job is not None and job.wait(30_000)
    qtbot.waitUntil(lambda: "导入完成" in page.message.text(), timeout=10_000)
    said = page.message.text()
    assert "导入 1 条" in said and "第 4 行" in said and "需求内容" in said, said
    page.year.choose(2026)
    qtbot.waitUntil(lambda: "数控车床主轴异响" in " ".join(r.problem for r in page.rows), timeout=5_000)
