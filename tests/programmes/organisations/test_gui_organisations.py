"""The 单位 tab: Enter and double-click open the unit's page (its fields, workers, facts, history)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from db.models.core.registers import Worker
from db.models.system import AuditEntry
from desktop.context import App
from desktop.programmes.core import registers
from ui.kit.changes import announce
from ui.kit.form import RecordForm
from ui.programmes.organisations.page import OrganisationPageDialog
from ui.programmes.organisations.tab import OrganisationsTab

LEFT = Qt.MouseButton.LeftButton


pytestmark = pytest.mark.usefixtures("look")


@pytest.fixture
def tab(open_tab: Any, demo_app: App) -> OrganisationsTab:
    return open_tab(OrganisationsTab, demo_app, (1200, 700))


def busiest_unit(app: App) -> tuple[int, int]:
    with app.db.session() as s:
        return tuple(s.execute(select(Worker.employer_id, func.count()).where(Worker.employer_id.is_not(None))
                               .group_by(Worker.employer_id).order_by(func.count().desc()).limit(1)).one())  # type: ignore[return-value]


def test_double_click_opens_the_units_page_with_its_workers(tab: OrganisationsTab, qtbot: Any,
                                                            demo_app: App) -> None:
    org_id, count = busiest_unit(demo_app)
    assert tab.select_id(org_id)
    row = tab.model.row_of(org_id)
    rect = tab.view.visualRect(tab.model.index(row, 0))
    qtbot.mouseClick(tab.view.viewport(), LEFT, pos=rect.center())
    qtbot.mouseDClick(tab.view.viewport(), LEFT, pos=rect.center())
    assert not [f for f in tab.findChildren(RecordForm) if f.isVisible()]
    pages = [p for p in tab.findChildren(OrganisationPageDialog) if p.isVisible()]
    assert len(pages) == 1
    page = pages[0]
    assert page.heading.text() == tab.model.value(row, 0)
    assert page.windowTitle() == f"单位详情 — {page.heading.text()}"
    assert page.workers.rowCount() == count and f"职工 {count} 人" in page.subheading.text()
    assert page.workers.horizontalHeaderItem(0).text() == "姓名"
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [f"本单位职工（{count}）", "各项目记录", "修改历史"]
    page.grab().save("/tmp/ud_organisation_page.png")
    page.reject()


def test_enter_opens_the_page_which_masks_the_phone_and_logs_its_reveal(tab: OrganisationsTab, qtbot: Any,
                                                                       demo_app: App) -> None:
    org_id = registers.save_record(demo_app, "organisations", None,
                                   {"name": "跃龙测试厂", "contact_phone": "13905746688"}).value
    tab.refresh_record(org_id)
    assert tab.select_id(org_id)
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_Return)
    page = next(p for p in tab.findChildren(OrganisationPageDialog) if p.isVisible())
    assert page.value_labels["contact_phone"].text() == "139****6688"
    assert page.workers.rowCount() == 0 and "职工 0 人" in page.subheading.text()
    page.reveal_buttons["contact_phone"].click()
    assert page.value_labels["contact_phone"].text() == "13905746688"
    with demo_app.db.session() as s:
        assert s.scalars(select(AuditEntry.note).where(AuditEntry.action == "reveal",
                                                       AuditEntry.record_id == org_id)).all() == ["contact_phone"]
    done = registers.save_record(demo_app, "organisations", org_id, {"name": "跃龙测试二厂"})
    announce(done.changes)  # the open page follows the change
    assert page.heading.text() == "跃龙测试二厂"
    assert page.value_labels["contact_phone"].text() == "139****6688"  # masked again after an edit
    assert tab.model.value(tab.model.row_of(org_id), 0) == "跃龙测试二厂"
    page.reject()
