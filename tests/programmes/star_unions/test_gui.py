"""The 星级工会 tab through real widgets: a union rated 三星 one year and 四星 the next, then
lowered at 回头看; a unit without a union refused; the roll on a past date; the standard edited;
the prints opened on the chosen application."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.context import App
from desktop.programmes.star_unions import rules
from tests.programmes.star_unions.support import make_units
from tests.support import quiet, submit
from ui.programmes.star_unions.scores import ScoreDialog
from ui.programmes.star_unions.tab import StarUnionsTab

LEFT = Qt.MouseButton.LeftButton
A = "宁波甬海模具有限公司"
pytestmark = pytest.mark.usefixtures("look")


@pytest.fixture
def units(app_ctx: App) -> dict[str, int]:
    return make_units(app_ctx)


@pytest.fixture
def tab(open_tab: Any, app_ctx: App, units: dict[str, int]) -> Iterator[StarUnionsTab]:
    yield quiet(open_tab(StarUnionsTab, app_ctx, (1280, 760), wait=False))


def cells(tab: StarUnionsTab, row: int) -> list[str]:
    return [tab.table.item(row, c).text() for c in range(tab.table.columnCount())]


def score(tab: StarUnionsTab, qtbot: Any, on: date, share: float, *, advance: bool = True) -> ScoreDialog:
    """录入评分… for the chosen application: every item at ``share`` of its maximum, then reach the
    stage (``advance=False``: scores of the stage reached, corrected)."""
    qtbot.mouseClick(tab.score_button, LEFT)
    dlg = tab.dialog
    assert isinstance(dlg, ScoreDialog) and dlg.advance.isChecked() == advance
    for r, line in enumerate(dlg.sheet.lines):
        dlg.set_score(r, int(line.max_score * share), "已查阅")
    dlg.on.setDate(on)
    dlg.accept()
    assert not dlg.isVisible(), dlg.error.text()
    return dlg


def climb(tab: StarUnionsTab, qtbot: Any, unit: int, level: str, dates: list[date], share: float) -> None:
    qtbot.mouseClick(tab.apply_button, LEFT)
    dlg = submit(tab.dialog, unit=unit, on=dates[0])
    assert dlg.value("level") == level  # the next level up is offered
    assert not dlg.isVisible(), dlg.error.text()
    assert tab.current() is not None and tab.current().applied == level
    for on, stage in zip(dates[1:4], ("自评", "镇初审", "县评定"), strict=True):
        score(tab, qtbot, on, share)
        assert cells(tab, tab.table.currentRow())[4] == stage
    assert tab.name_button.isEnabled()
    qtbot.mouseClick(tab.name_button, LEFT)
    dlg = submit(tab.dialog, on=dates[4], document="宁工〔2025〕21号")
    assert not dlg.isVisible(), dlg.error.text()


def test_three_stars_then_four_then_lowered(tab: StarUnionsTab, qtbot: Any, units: dict[str, int],
                                            app_ctx: App) -> None:
    today = date.today()
    y = today.year
    tab.year.choose(y - 1)
    assert tab.table.rowCount() == 0 and not tab.score_button.isEnabled()
    qtbot.mouseClick(tab.apply_button, LEFT)
    dlg = submit(tab.dialog, unit=units["宁海县小作坊服装厂"], level="three", on=date(y - 1, 3, 1))
    assert dlg.isVisible() and "宁海县小作坊服装厂尚未建立工会" in dlg.error.text()  # nothing written
    assert "未建会" in dlg.widgets["unit"].currentText()  # type: ignore[attr-defined]
    dlg.reject()

    climb(tab, qtbot, units[A], "three", [date(y - 1, m, d) for m, d in ((3, 1), (4, 1), (6, 1), (9, 1), (11, 20))],
          0.7)
    row = cells(tab, tab.table.currentRow())
    assert row[0] == f"{A}工会" and row[3] == "三星级规范达标工会" and row[4] == "命名"
    assert "被命名为三星级规范达标工会" in tab.message.text()

    tab.year.choose(y)
    days = [today - timedelta(days=n) for n in (5, 4, 3, 2, 1)]
    # 县评定 below the four-star pass mark: naming refused, nothing written
    qtbot.mouseClick(tab.apply_button, LEFT)
    submit(tab.dialog, unit=units[A], on=days[0])
    assert cells(tab, tab.table.currentRow())[2] == "三星级规范达标工会"
    for on in days[1:4]:
        score(tab, qtbot, on, 0.72)
    qtbot.mouseClick(tab.name_button, LEFT)
    dlg = submit(tab.dialog, on=days[4])
    assert dlg.isVisible() and "低于四星级规范活力工会的达标分数 75 分" in dlg.error.text()
    dlg.reject()
    score(tab, qtbot, days[3], 0.9, advance=False)  # the county corrects its scores
    qtbot.mouseClick(tab.name_button, LEFT)
    dlg = submit(tab.dialog, on=days[4])
    assert not dlg.isVisible(), dlg.error.text()
    assert cells(tab, tab.table.currentRow())[4] == "命名"
    assert tab.review_button.isEnabled() and not tab.delete_button.isEnabled()

    qtbot.mouseClick(tab.review_button, LEFT)
    dlg = submit(tab.dialog, result=rules.LOWER, on=today, reason="")
    assert dlg.isVisible() and "须填写原因" in dlg.error.text()
    submit(dlg, reason="职工之家挪作仓库")
    assert not dlg.isVisible()
    row = cells(tab, tab.table.currentRow())
    assert row[4] == "回头看" and row[9] == "降级：职工之家挪作仓库" and row[2] == "三星级规范达标工会"

    tab.pages.setCurrentWidget(tab.roll)
    roll = tab.roll
    assert roll.table.rowCount() == 1 and roll.table.item(0, 2).text() == "三星级规范达标工会"
    roll.table.selectRow(0)
    assert roll.history.rowCount() == 3 and roll.history.item(1, 3).text() == "回头看降级：职工之家挪作仓库"
    roll.set_day(days[2])  # a past date: the history answers
    assert roll.table.item(0, 2).text() == "三星级规范达标工会"
    roll.set_day(today - timedelta(days=1))
    assert roll.table.item(0, 2).text() == "四星级规范活力工会"
    roll.set_day(date(y - 1, 6, 1))
    assert roll.table.rowCount() == 0 and "没有星级工会" in roll.info.text()

    # the prints open on what is chosen
    tab.pages.setCurrentIndex(0)
    qtbot.mouseClick(tab.sheet_button, LEFT)
    assert tab.dialog.spec.key == "star_unions.score_sheet"
    assert tab.dialog.values() == {"year": y, "organisation": units[A]}
    tab.dialog.reject()
    qtbot.mouseClick(tab.summary_button, LEFT)
    assert tab.dialog.spec.key == "star_unions.applications" and tab.dialog.values() == {"year": y}
    tab.dialog.reject()


def test_the_standard_page_edits_levels_and_items(tab: StarUnionsTab, qtbot: Any) -> None:
    page = tab.standard
    tab.pages.setCurrentWidget(page)
    assert page.levels.rowCount() == 3 and "满分 <span style='color:#047857'>100</span> 分" in page.total.text()
    page.levels.selectRow(1)
    qtbot.mouseClick(page.level_button, LEFT)
    dlg = submit(tab.dialog, threshold=95)
    assert dlg.isVisible() and "不能高于五星级示范工会（90）" in dlg.error.text()
    submit(dlg, threshold=78)
    assert page.levels.item(1, 2).text() == "78"
    qtbot.mouseClick(page.add_button, LEFT)
    submit(tab.dialog, dimension="工会阵地打造", item="建有户外劳动者服务站点", max_score=3, evidence="现场照片")
    assert "103" in page.total.text()
    found = [r for r in range(page.items.rowCount()) if page.items.item(r, 1).text() == "建有户外劳动者服务站点"]
    assert found
    page.items.selectRow(found[0])
    page.delete_item()
    assert "100" in page.total.text()
