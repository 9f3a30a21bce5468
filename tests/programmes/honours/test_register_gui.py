"""The 劳模工匠选树 title and holder pages through real widgets: a new title, retire vs delete, a
person and a team registered as holders, a holding ended, a benefit given to several people from
the 本年待落实 list, an outreach session, and the prints opened with the page's filters."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt

from db.models.core.registers import Organisation
from desktop.context import App
from desktop.programmes.honours import register_queries, titles
from tests.support import add_workers, quiet, submit
from ui.kit.cultivation import FormDialog
from ui.programmes.honours.holders_page import HoldersPage
from ui.programmes.honours.titles_page import TitlesPage

LEFT = Qt.MouseButton.LeftButton
YEAR = date.today().year

pytestmark = pytest.mark.usefixtures("look")


@pytest.fixture
def people(app_ctx: App) -> dict[str, int]:
    with app_ctx.db.session() as s:
        titles.seed_titles(s)
        org = Organisation(name="宁海县跃龙模具有限公司", ownership="non_public", kind="enterprise")
        s.add(org)
        ids = add_workers(s, org, "周国全", "姚正新", "赵刚", skill_grade="technician", trade="数控铣工")
        ids["unit"] = org.id
    return ids


def page(qtbot: Any, cls: type, app: App) -> Any:
    p = cls(app)
    qtbot.addWidget(p)
    p.resize(1280, 760)
    p.show()
    p.load()
    p.warned = []
    return quiet(p, p.warned)


def tid(app: App, name: str) -> int:
    return next(t.id for t in register_queries.titles(app) if t.name == name)


def test_titles_page_new_retire_delete(qtbot: Any, app_ctx: App, people: dict[str, int], tmp_path: Any) -> None:
    p = page(qtbot, TitlesPage, app_ctx)
    assert p.table.rowCount() == len(titles.SEEDS)
    qtbot.mouseClick(p.new_button, LEFT)
    dlg = submit(p.dialog, name="镇级技术标兵", level="town", recipient="person", quota=10, reward=500, benefits=False)
    assert dlg.result() == FormDialog.DialogCode.Accepted
    assert p.table.rowCount() == len(titles.SEEDS) + 1  # refreshed through the change hub
    assert "镇级技术标兵" in p.message.text()
    assert p.table.select_id(tid(app_ctx, "镇级技术标兵"))
    assert p.delete_button.isEnabled()
    qtbot.mouseClick(p.delete_button, LEFT)
    assert p.table.rowCount() == len(titles.SEEDS)

    # a used title: delete is greyed out, retire works and reverses
    medal = tid(app_ctx, titles.COUNTY_MEDAL)
    from desktop.programmes.honours import register_service

    register_service.add_holder(app_ctx, medal, named_on=date(YEAR - 1, 4, 28), worker_id=people["周国全"])
    p.load()
    p.table.select_id(medal)
    assert not p.delete_button.isEnabled()
    assert p.delete_title() is False and "不能删除" in p.warned[-1]
    qtbot.mouseClick(p.retire_button, LEFT)
    assert next(t for t in register_queries.titles(app_ctx) if t.id == medal).retired
    assert p.table.select_id(medal) and p.retire_button.text() == "重新启用"
    qtbot.mouseClick(p.retire_button, LEFT)
    assert not next(t for t in register_queries.titles(app_ctx) if t.id == medal).retired
    # a refusal stays in the dialog
    p.table.select_id(medal)
    dlg = submit(p.edit_title(), name="卓越工程师")
    assert dlg.isVisible() and "已有名为“卓越工程师”" in dlg.error.text()
    dlg.reject()
    p.grab().save(str(tmp_path / "titles.png"))


def test_holders_page_register_end_benefits_outreach(qtbot: Any, app_ctx: App, people: dict[str, int],
                                                     tmp_path: Any) -> None:
    p = page(qtbot, HoldersPage, app_ctx)
    assert p.holders.rowCount() == 0
    qtbot.mouseClick(p.add_button, LEFT)
    submit(p.dialog, title=tid(app_ctx, "县级劳动模范"), worker=people["周国全"], year=YEAR - 2,
           named_on=date(YEAR - 2, 4, 28), document="县总工〔2024〕12号")
    qtbot.mouseClick(p.add_button, LEFT)
    dlg = p.dialog
    dlg.set("title", tid(app_ctx, "工人先锋号"))
    assert dlg.widgets["worker"].isHidden() and not dlg.widgets["organisation"].isHidden()
    submit(dlg, organisation=people["unit"], team="数控车间一班", year=YEAR - 1, named_on=date(YEAR - 1, 4, 28))
    qtbot.mouseClick(p.add_button, LEFT)
    submit(p.dialog, title=tid(app_ctx, "卓越工程师"), worker=people["姚正新"], year=YEAR - 1,
           named_on=date(YEAR - 1, 5, 8))
    qtbot.mouseClick(p.add_button, LEFT)
    submit(p.dialog, title=tid(app_ctx, titles.COUNTY_MEDAL), worker=people["赵刚"], year=YEAR - 1,
           named_on=date(YEAR - 1, 4, 28))
    assert p.holders.rowCount() == 4
    team = next(r for r in p.holders.rows if r.data.collective)
    assert team.data.holder == "宁海县跃龙模具有限公司数控车间一班"

    # end 赵刚's medal: gone from 仍持有, there under 已终止
    zhao = next(r.id for r in p.holders.rows if r.data.worker_id == people["赵刚"])
    p.holders.select_id(zhao)
    qtbot.mouseClick(p.end_button, LEFT)
    submit(p.dialog, on=date.today(), reason="调离本地")
    assert p.holders.rowCount() == 3
    p.state_filter.setCurrentIndex(p.state_filter.findData("ended"))
    assert [r.data.holder for r in p.holders.rows] == ["赵刚"]
    p.state_filter.setCurrentIndex(p.state_filter.findData("held"))
    p.title_filter.setCurrentIndex(p.title_filter.findText("卓越工程师"))
    assert [r.data.holder for r in p.holders.rows] == ["姚正新"]
    p.title_filter.setCurrentIndex(0)

    # 本年待落实: both 劳模 are owed everything; give 体检 to both at once
    p.pages.setCurrentIndex(1)
    assert {r.data.name for r in p.due.rows} == {"周国全", "姚正新"}
    p.due.selectAll()
    qtbot.mouseClick(p.benefit_button, LEFT)
    submit(p.dialog, kind="checkup", given_on=date(YEAR, 1, 1) if date.today() < date(YEAR, 5, 8) else date(YEAR, 5, 8),
           place="县人民医院")
    assert all(r.data.given == ("checkup",) for r in p.due.rows)
    assert "已登记 2 人" in p.message.text()

    # a holder's outreach and benefits show under the list
    p.pages.setCurrentIndex(0)
    p.holders.select_id(next(r.id for r in p.holders.rows if r.data.worker_id == people["周国全"]))
    assert p.benefits.rowCount() == 1
    qtbot.mouseClick(p.outreach_button, LEFT)
    submit(p.dialog, kind="school", held_on=date.today(), place="县职业教育中心", topic="劳模工匠进校园", audience=120)
    assert p.outreach.rowCount() == 1 and p.outreach.item(0, 2).text() == "县职业教育中心"
    p.grab().save(str(tmp_path / "holders.png"))

    # a collective has no benefits or outreach
    p.holders.select_id(team.id)
    assert not p.benefit_button.isEnabled() and not p.outreach_button.isEnabled()

    # the prints open with the page's filters
    p.title_filter.setCurrentIndex(p.title_filter.findText("卓越工程师"))
    dlg = p.print_roster()
    assert dlg.values()["title"] == tid(app_ctx, "卓越工程师")
    dlg.close()
    p.pages.setCurrentIndex(1)
    p.year.setValue(YEAR - 1)
    dlg = p.print_benefits()
    assert dlg.values()["year"] == YEAR - 1
    dlg.close()
