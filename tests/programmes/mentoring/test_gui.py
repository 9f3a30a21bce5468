"""The 师徒结对 tab through real widgets: a pair, a second apprentice, an evaluation, the grade gained,
the month's allowance, and the prints opened on the pair."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt

from db.models.core.registers import Organisation, Worker
from desktop.context import App
from tests.support import add_workers, quiet, submit
from ui.programmes.mentoring.tab import MentoringTab

LEFT = Qt.MouseButton.LeftButton


pytestmark = pytest.mark.usefixtures("look")


@pytest.fixture
def people(app_ctx: App) -> dict[str, int]:
    with app_ctx.db.session() as s:
        org = Organisation(name="宁海县跃龙模具有限公司", ownership="non_public")
        s.add(org)
        ids = add_workers(s, org, *({"name": name, "skill_grade": grade} for name, grade in (
            ("王建国", "technician"), ("李小明", "junior"), ("张伟", None))), trade="数控铣工")
    return ids


@pytest.fixture
def tab(open_tab: Any, app_ctx: App, people: dict[str, int]) -> Iterator[MentoringTab]:
    yield quiet(open_tab(MentoringTab, app_ctx, (1180, 760), wait=False))


def test_pair_apprentices_evaluation_outcome_allowance(tab: MentoringTab, qtbot: Any, people: dict[str, int],
                                                       app_ctx: App) -> None:
    assert "还没有师徒结对" in tab.info.text()
    start = date.today().replace(day=1) - timedelta(days=40)
    start = start.replace(day=16)
    qtbot.mouseClick(tab.new_button, LEFT)
    dlg = submit(tab.dialog, apprentice=people["李小明"], trade="", start=start, term=12, ceremony=start,
                 goals="一年内取得数控铣工中级工证书")
    assert dlg.isVisible() and "请从职工名册中选择师傅" in dlg.error.text()  # nothing written
    submit(dlg, master=people["王建国"])
    assert not dlg.isVisible() and tab.pairs.rowCount() == 1
    assert tab.heading.text() == "王建国 师傅（数控铣工）"
    qtbot.mouseClick(tab.add_button, LEFT)
    submit(tab.dialog, who=people["张伟"], on=start + timedelta(days=20))
    assert [tab.apprentices.item(r, 0).text() for r in range(tab.apprentices.rowCount())] == ["李小明", "张伟"]
    qtbot.mouseClick(tab.add_button, LEFT)
    dlg = submit(tab.dialog, who=people["王建国"])
    assert dlg.isVisible() and "徒弟不能是师傅本人" in dlg.error.text()
    dlg.reject()

    tab.apprentices.select_id(tab.apprentices.rows[1].id)
    qtbot.mouseClick(tab.evaluate_button, LEFT)
    submit(tab.dialog, period="试用评议", of_mentee=4, of_mentor=2, on=date.today())
    assert tab.apprentices.item(1, 5).text() == "建议调整结对"
    tab.apprentices.select_id(tab.apprentices.rows[0].id)
    qtbot.mouseClick(tab.outcome_button, LEFT)
    submit(tab.dialog, grade="intermediate", on=date.today())
    with app_ctx.db.session() as s:
        assert s.get(Worker, people["李小明"]).skill_grade == "intermediate"

    # the allowance of the month the pair started: 李小明 from the 16th, 张伟 from 20 days later
    tab.pages.setCurrentIndex(1)
    tab.month.setDate(QDate(start.year, start.month, 1))
    rows = {tab.allowance.item(r, 3).text(): tab.allowance.item(r, 7).text() for r in range(tab.allowance.rowCount())}
    assert set(rows) <= {"李小明", "张伟"} and "李小明" in rows and rows["李小明"] != "300.00"
    assert "*" in tab.allowance.item(0, 1).text()  # ID masked

    qtbot.mouseClick(tab.letter_button, LEFT)
    assert tab.dialog.spec.key == "mentoring.letter" and tab.dialog.values() == {"pair": tab.pairs.rows[0].id}
    assert tab.dialog.full_check.isHidden()  # the 拜师帖 prints no ID number to unmask
    tab.dialog.reject()
    qtbot.mouseClick(tab.allowance_button, LEFT)
    assert tab.dialog.values() == {"month": f"{start.year:04d}-{start.month:02d}"}
    assert not tab.dialog.full_check.isHidden()
    tab.dialog.reject()


def test_labels_come_from_the_description_and_headers_fit(tab: MentoringTab, qtbot: Any,
                                                           people: dict[str, int]) -> None:
    """One description: 师傅评徒弟 is the core's 导师评培育对象 in 师徒结对's words, the pair's trade is
    the field's label (not the dialog's own 传授工种（技艺）), and no heading is clipped."""
    from db.models.core.cultivation import MentorEvaluation
    from db.models.mentoring import ROLE_WORDS, Pair
    from desktop.programmes.core.cultivation_fields import label

    heads = [tab.evaluations.horizontalHeaderItem(c).text() for c in range(tab.evaluations.columnCount())]
    assert heads[2:4] == ["师傅评徒弟", "徒弟评师傅"]
    assert heads[2] == label(MentorEvaluation, "rating_of_mentee", ROLE_WORDS)
    for table in (tab.pairs, tab.apprentices, tab.evaluations, tab.allowance):
        metrics = table.horizontalHeader().fontMetrics()
        for c in range(table.columnCount() - 1):  # the last column stretches
            text = table.horizontalHeaderItem(c).text()
            assert table.columnWidth(c) >= metrics.horizontalAdvance(text) + 8, text
    dlg = tab.pair_dialog(False)
    assert dlg is not None
    assert dlg.form.labels["trade"].text() == f"{label(Pair, 'trade')}："  # not 传授工种（技艺）
    dlg.reject()


def test_a_write_elsewhere_refreshes_the_tab(tab: MentoringTab, people: dict[str, int], app_ctx: App) -> None:
    """The tab listens to the change hub: a service's result announced by anyone shows at once,
    on the pair it wrote."""
    from desktop.programmes.mentoring import service
    from ui.kit.changes import announce

    assert tab.pairs.rowCount() == 0
    done = service.save_pair(app_ctx, None, people["王建国"], "", date.today(), 12, apprentice_id=people["李小明"])
    announce(done.changes)
    assert tab.pairs.rowCount() == 1 and tab.current() is not None and tab.current().id == done.value
    assert tab.heading.text() == "王建国 师傅（数控铣工）"
    assert [tab.apprentices.item(r, 0).text() for r in range(tab.apprentices.rowCount())] == ["李小明"]
