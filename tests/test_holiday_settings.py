"""Settings → 节假日: the working-day calendar publicity periods are counted over (issue 14), through
real widgets; the desktop functions it saves through (one transaction, the settings permission,
Chinese messages naming the row). ``UNIONDESK_TEST_SHOTS=/folder`` keeps PNGs of the page."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QSpinBox, QWidget

from db.errors import ValidationError
from desktop.accounts.roles import PermissionDenied
from desktop.context import App
from desktop.programmes.core import working_days as wd

pytestmark = pytest.mark.usefixtures("look")


def shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("UNIONDESK_TEST_SHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / f"ud_holidays_{name}.png"))


@pytest.fixture
def dialog(qtbot: Any, app_ctx: App, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from ui.dialogs.settings import SettingsDialog

    monkeypatch.setattr(QMessageBox, "warning", lambda *_a, **_k: pytest.fail("no message box expected"))
    parent = QWidget()  # the dialog deletes itself when saved: qtbot closes its parent
    qtbot.addWidget(parent)
    dlg = SettingsDialog(parent, app_ctx)
    dlg.resize(760, 640)
    dlg.show()
    dlg.tabs.setCurrentWidget(dlg.holiday_page)
    yield dlg
    parent.close()


def listed(app: App) -> list[tuple[date, bool, str]]:
    return wd.calendar_rows(app)


def test_the_publicity_days_setting_is_on_the_general_page(dialog: Any) -> None:
    spin = dialog.tabs.widget(0).findChild(QSpinBox, "publicity_days")
    assert spin is not None and spin.value() == 5


def test_the_page_lists_the_shipped_days_in_order_with_the_note(dialog: Any, app_ctx: App) -> None:
    page = dialog.holiday_page
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())][:3] == ["常规", "选项", "节假日"]
    heads = [page.table.horizontalHeaderItem(i).text() for i in range(3)]
    assert heads == ["节假日日期", "放假/调休", "节日名称"]  # the model's description
    assert "每年11月国务院公布次年节假日安排后请在此补充" in page.findChild(QWidget, "holidayNote").text()
    rows = page.rows()
    assert rows == [(f"{d:%Y-%m-%d}", w, n) for d, w, n in wd.default_days()]
    assert ("2026-10-01", False, "国庆节") in rows and ("2026-10-10", True, "国庆节调休") in rows
    assert page._kind(rows.index(("2026-10-10", True, "国庆节调休"))).currentText() == "调休上班"
    assert not page.is_changed()
    shot(dialog, "page")


def test_a_holiday_added_by_range_and_a_worked_weekend_are_saved_sorted(qtbot: Any, dialog: Any,
                                                                        app_ctx: App) -> None:
    page = dialog.holiday_page
    before = len(page.rows())
    from ui.dialogs.holiday_page import HolidayRangeDialog

    page.range_button.click()
    range_dialog = page.findChild(HolidayRangeDialog)
    assert range_dialog is not None and range_dialog.isVisible()
    range_dialog.first.setDate(range_dialog.first.date().fromString("2027-10-01", "yyyy-MM-dd"))
    range_dialog.last.setDate(range_dialog.last.date().fromString("2027-10-07", "yyyy-MM-dd"))
    range_dialog.name.setText("国庆节")
    shot(range_dialog, "range")
    range_dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert not range_dialog.isVisible()
    rows = page.rows()
    assert len(rows) == before + 7 and rows[-7:] == [(f"2027-10-0{i}", False, "国庆节") for i in range(1, 8)]
    # a worked weekend typed in a new row, before the holiday: shown in date order once saved
    page.add_button.click()
    r = page.table.rowCount() - 1
    page.table.item(r, 0).setText("2027-09-26")
    page._kind(r).setCurrentIndex(page._kind(r).findText("调休上班"))
    page.table.item(r, 2).setText("国庆节调休")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert not dialog.isVisible()
    saved = listed(app_ctx)
    assert (date(2027, 9, 26), True, "国庆节调休") in saved and (date(2027, 10, 7), False, "国庆节") in saved
    assert saved == sorted(saved) and len(saved) == before + 8
    with app_ctx.db.session() as s:
        cal = wd.calendar(s)
    assert wd.add_working_days(date(2027, 9, 30), 2, cal) == date(2027, 10, 8)  # the holiday is skipped


def test_a_range_needs_a_name_and_an_order(qtbot: Any, dialog: Any) -> None:
    range_dialog = dialog.holiday_page.choose_range()
    ok = range_dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    ok.click()
    assert range_dialog.isVisible() and "请填写节日名称" in range_dialog.error.text()
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        wd.holiday_range(date(2027, 2, 10), date(2027, 2, 1), "春节")
    range_dialog.reject()


@pytest.mark.parametrize(("day", "said"), [
    ("2026-10-01", "第 {n} 行：2026-10-01 与第 {first} 行重复"),
    ("2027-02-30", "第 {n} 行：“2027-02-30”不是有效的日期，请写成 2027-01-01"),
    ("2027年2月", "第 {n} 行：“2027年2月”不是有效的日期，请写成 2027-01-01"),
    ("", "第 {n} 行：缺少节假日日期"),
])
def test_bad_rows_are_named_and_nothing_is_saved(qtbot: Any, dialog: Any, app_ctx: App, day: str, said: str) -> None:
    page = dialog.holiday_page
    before = listed(app_ctx)
    first = [r[0] for r in page.rows()].index("2026-10-01") + 1
    dialog.tabs.setCurrentIndex(0)
    page.add_button.click()
    n = page.table.rowCount()
    page.table.item(n - 1, 0).setText(day)
    page.table.item(n - 1, 2).setText("补充")
    assert not dialog.save()
    assert dialog.tabs.currentWidget() is page and page.error.isVisible()
    assert page.error.text() == said.format(n=n, first=first)
    assert [i.row() for i in page.table.selectionModel().selectedRows()] == [n - 1]
    shot(dialog, f"bad_row_{len(day)}")
    assert listed(app_ctx) == before
    page.remove_selected()
    assert dialog.save() and listed(app_ctx) == before


def test_removing_rows_saves_through_one_desktop_call(qtbot: Any, dialog: Any, app_ctx: App) -> None:
    page = dialog.holiday_page
    keep = [r for r in page.rows() if not r[0].startswith("2025")]
    first_2026 = len(page.rows()) - len(keep)
    page.table.selectRow(0)  # the 2025 days are the first rows: select them all and remove them
    for r in range(1, first_2026):
        page.table.selectionModel().select(page.table.model().index(r, 0),
                                           page.table.selectionModel().SelectionFlag.Select
                                           | page.table.selectionModel().SelectionFlag.Rows)
    page.remove_button.click()
    assert page.rows() == keep and page.is_changed()
    changes = page.save()
    assert changes.touches("calendar_days") and "已保存节假日" in changes.message
    assert [f"{d:%Y-%m-%d}" for d, _w, _n in listed(app_ctx)] == [r[0] for r in keep]


def test_saving_the_calendar_needs_the_settings_permission(app_ctx: App, monkeypatch: pytest.MonkeyPatch) -> None:
    before = listed(app_ctx)
    monkeypatch.setattr(app_ctx, "can", lambda _permission: False)
    with pytest.raises(PermissionDenied, match="修改节假日"):
        wd.save_calendar(app_ctx, [("2027-01-01", False, "元旦")])
    monkeypatch.undo()
    assert listed(app_ctx) == before
    with pytest.raises(ValidationError, match="第 2 行：2027-01-01 与第 1 行重复"):
        wd.save_calendar(app_ctx, [("2027-01-01", "放假", "元旦"), ("2027/1/1", "调休上班", "")])
    assert listed(app_ctx) == before
    wd.save_calendar(app_ctx, [("2027年1月2日", "放假", "元旦"), (date(2027, 1, 1), False, " 元旦 ")])
    assert listed(app_ctx) == [(date(2027, 1, 1), False, "元旦"), (date(2027, 1, 2), False, "元旦")]
