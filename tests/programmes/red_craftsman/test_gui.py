"""The 红色工匠 tab through real widgets: a round walked from nomination to outcome and adjustment."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt

from db.models.core.registers import Organisation, Worker
from desktop.context import App
from tests.support import add_workers, quiet, submit
from ui.kit.cultivation import IdRole
from ui.programmes.red_craftsman.tab import RedCraftsmanTab

LEFT = Qt.MouseButton.LeftButton
Y = date.today().year

PEOPLE = (  # name, political status, grade, trade
    ("陈建国", "party_member", "senior", "数控铣工"),
    ("王海燕", "probationary_member", "intermediate", "电工"),
    ("周文", "masses", None, "客服专员"),  # track A would not fit: hinted, never refused
    ("李小明", "masses", "technician", "钳工"),
    ("赵强", "league_member", "senior", "焊工"),
    ("吴刚", "masses", "senior_technician", "数控铣工"),  # a skilled mentor, but not a party member
    ("郑华", "party_member", "technician", "数控铣工"),  # a party-member technician: mentor for both tracks
)


pytestmark = pytest.mark.usefixtures("look")


@pytest.fixture
def people(app_ctx: App) -> dict[str, int]:
    with app_ctx.db.session() as s:
        org = Organisation(name="宁海县跃龙模具有限公司", ownership="non_public")
        s.add(org)
        ids = add_workers(s, org, *({"name": n, "political_status": st, "skill_grade": g, "trade": t}
                                    for n, st, g, t in PEOPLE), member_status="active", gender="male")
    return ids


@pytest.fixture
def tab(open_tab: Any, app_ctx: App, people: dict[str, int]) -> Iterator[RedCraftsmanTab]:
    t = open_tab(RedCraftsmanTab, app_ctx, (1180, 760), wait=False)
    t.warnings: list[str] = []  # type: ignore[misc]
    yield quiet(t, t.warnings)


def texts(table: Any, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount()) if not table.isRowHidden(r)]


def test_round_from_nomination_to_outcome(tab: RedCraftsmanTab, qtbot: Any, people: dict[str, int],
                                          app_ctx: App) -> None:
    assert tab.empty.isVisible() and not tab.edit_button.isEnabled()
    qtbot.mouseClick(tab.new_button, LEFT)
    submit(tab.dialog, year=Y, quota_a=1, quota_b=2, announced_on=date(Y, 4, 20))
    assert tab.round is not None and tab.round.year == Y and tab.cards[0].isVisible()
    tab.day.setDate(QDate(Y, 12, 31))  # the pool as of the year's end, whatever day the test runs
    assert tab.cards[1].message.text().count("少于 1:2 所需的 4 人")  # no nominee yet

    # nominations from the register, with live hints in the dialog
    for name, track in (("陈建国", "a"), ("周文", "a"), ("李小明", "b"), ("赵强", "b"), ("王海燕", "b")):
        qtbot.mouseClick(tab.p.nominate_button, LEFT)
        dlg = tab.dialog
        dlg.set("worker", people[name])
        dlg.set("track", track)
        if name == "周文":
            assert "A类应为中共党员" in dlg.hints.text()
        if name == "陈建国":
            assert "符合该类别的推荐条件" in dlg.hints.text()
        submit(dlg, on=date(Y, 3, 10))
        assert not dlg.isVisible()
    assert "B类面向非党员技术能手" in tab.message.text()  # the last nominee's hint, under the pages
    assert tab.figures["a"].nominees == 2 and tab.figures["b"].check.level == "warning"  # 3 of 4
    assert "1:1.5" in tab.cards[1].numbers[4].text()
    rows = {tab.p.nominees.item(r, 1).text(): r for r in range(tab.p.nominees.rowCount())}
    assert "B类面向非党员技术能手" in tab.p.nominees.item(rows["王海燕"], 7).text()

    # admit three (multi-select), one not selected
    tab.p.nominees.clearSelection()
    for name in ("陈建国", "李小明", "赵强"):
        tab.p.nominees.selectionModel().select(
            tab.p.nominees.model().index(rows[name], 0),
            tab.p.nominees.selectionModel().SelectionFlag.Select | tab.p.nominees.selectionModel().SelectionFlag.Rows)
    qtbot.mouseClick(tab.p.admit_button, LEFT)
    submit(tab.dialog)
    assert tab.figures["a"].in_pool == 1 and tab.figures["b"].in_pool == 2
    assert tab.p.pool.rowCount() == 3

    # mentors: a track-B mentor who is not a party member is refused with a clear message
    tab.pages.setCurrentIndex(1)
    tab.p.pool.select_id(next(r.id for r in tab.p.pool.rows if r.data.name == "李小明"))
    qtbot.mouseClick(tab.p.mentor_button, LEFT)
    dlg = tab.dialog
    dlg.set("mentor", people["吴刚"])
    assert "不是中共党员或中共预备党员" in dlg.hints.text()
    dlg.accept()
    assert dlg.isVisible() and "请另选党员导师" in dlg.error.text()
    submit(dlg, mentor=people["郑华"], on=date(Y, 4, 25))
    for name in ("赵强", "陈建国"):
        tab.p.pool.select_id(next(r.id for r in tab.p.pool.rows if r.data.name == name))
        qtbot.mouseClick(tab.p.mentor_button, LEFT)
        submit(tab.dialog, mentor=people["郑华"], on=date(Y, 4, 25))
    assert set(texts(tab.p.pool, 8)) == {"郑华"}

    # training: 赵强 misses it and is listed
    qtbot.mouseClick(tab.p.training_button, LEFT)
    dlg = tab.dialog
    cands = {r.data.name: r.data.candidate_id for r in tab.p.pool.rows}
    submit(dlg, who=[cands["陈建国"], cands["李小明"]], on=date(Y, 6, 18), hours=16)
    assert texts(tab.p.untrained, 1) == ["赵强"]
    assert "1 人未训" in tab.pages.tabText(3)

    # the two-way evaluation: a weak pair is flagged, a mentor rated 优秀 too
    tab.pages.setCurrentIndex(2)
    flags = {}
    for name, of_mentee, of_mentor in (("李小明", 4, 5), ("赵强", 2, 4)):
        link = next(r for r in tab.p.evaluations.rows if r.data.row.mentee == name)
        tab.p.evaluations.select_id(link.id)
        qtbot.mouseClick(tab.p.evaluate_button, LEFT)
        submit(tab.dialog, of_mentee=of_mentee, of_mentor=of_mentor, on=date(Y, 12, 1))
        flags[name] = next(r.data.row.flags for r in tab.p.evaluations.rows if r.data.row.mentee == name)
    assert flags == {"李小明": ["导师评先评优优先"], "赵强": ["建议调整结对"]}

    # outcomes: a party stage sets the political status; a new grade updates the register
    tab.pages.setCurrentIndex(4)
    tab.p.outcomes.select_id(next(r.id for r in tab.p.outcomes.rows if r.data.name == "李小明"))
    qtbot.mouseClick(tab.p.stage_button, LEFT)
    submit(tab.dialog, stage="activist", on=date(Y, 7, 1))
    assert "政治面貌改为入党积极分子" in tab.message.text()
    tab.p.outcomes.select_id(next(r.id for r in tab.p.outcomes.rows if r.data.name == "陈建国"))
    qtbot.mouseClick(tab.p.expert_button, LEFT)
    submit(tab.dialog, how="grade", grade="technician", on=date(Y, 10, 1), detail="通过技能等级认定")
    with app_ctx.db.session() as s:
        assert s.get(Worker, people["李小明"]).political_status == "activist"
        assert s.get(Worker, people["陈建国"]).skill_grade == "technician"

    # removal with a reason; the pool on an earlier date still shows the person
    tab.pages.setCurrentIndex(1)
    tab.p.pool.select_id(next(r.id for r in tab.p.pool.rows if r.data.name == "赵强"))
    qtbot.mouseClick(tab.p.remove_button, LEFT)
    submit(tab.dialog, reason="transfer", on=date(Y, 9, 1), note="调往外地分公司")
    tab.day.setDate(QDate(Y, 12, 31))
    assert sorted(texts(tab.p.pool, 1)) == ["李小明", "陈建国"]
    tab.day.setDate(QDate(Y, 8, 31))
    assert sorted(texts(tab.p.pool, 1)) == ["李小明", "赵强", "陈建国"]
    assert "移出（调离）" in texts(tab.p.history, 4)
    tab.bar.search.setText("赵强")
    tab.pages.setCurrentIndex(5)
    assert set(texts(tab.p.history, 2)) == {"赵强"}
    tab.bar.search.clear()

    # the yearly adjustment: 李小明 is carried into next year; 陈建国 became an expert and leaves
    qtbot.mouseClick(tab.carry_button, LEFT)
    submit(tab.dialog, on=date(Y + 1, 1, 8), quota_a=2, quota_b=3)
    assert tab.round is not None and tab.round.year == Y + 1
    assert tab.figures["b"].carried == 1 and tab.figures["b"].check.open_places == 2
    assert tab.figures["a"].carried == 0
    assert tab.chosen_day() == date(Y + 1, 12, 31)
    assert [(r.data.name, r.data.source) for r in tab.p.pool.rows] == [("李小明", "carried")]
    assert tab.years.count() == 2


def test_prints_open_on_the_round(tab: RedCraftsmanTab, qtbot: Any) -> None:
    qtbot.mouseClick(tab.new_button, LEFT)
    submit(tab.dialog, year=Y, quota_a=10, quota_b=10)
    qtbot.mouseClick(tab.roster_button, LEFT)
    dlg = tab.dialog
    assert dlg.spec.key == "red_craftsman.roster" and dlg.params["year"].widget.value() == Y
    dlg.reject()
    qtbot.mouseClick(tab.summary_button, LEFT)
    assert tab.dialog.spec.key == "red_craftsman.summary"
    tab.dialog.reject()


def test_a_write_elsewhere_shows_its_round(tab: RedCraftsmanTab, app_ctx: App) -> None:
    """The tab listens to the change hub: a round saved by a service (announced by anyone) is
    listed and chosen; the evaluation headings are the core fields' labels."""
    from db.models.core.cultivation import MentorEvaluation
    from desktop.programmes.core.cultivation_fields import label
    from desktop.programmes.red_craftsman import service
    from ui.kit.changes import announce

    announce(service.save_round(app_ctx, Y - 1, 3, 4))
    announce(service.save_round(app_ctx, Y, 5, 6))
    assert tab.years.count() == 2 and tab.round is not None and tab.round.year == Y
    announce(service.save_round(app_ctx, Y - 1, 3, 5, round_id=next(
        tab.years.item(i).data(IdRole + 1).id for i in range(2) if tab.years.item(i).data(IdRole + 1).year == Y - 1)))
    assert tab.round.year == Y - 1 and tab.round.quota_b == 5
    heads = [tab.p.evaluations.horizontalHeaderItem(c).text() for c in range(tab.p.evaluations.columnCount())]
    assert label(MentorEvaluation, "rating_of_mentee") in heads and "导师评培育对象" in heads
