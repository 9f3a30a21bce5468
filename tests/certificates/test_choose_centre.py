"""Choosing and previewing in the certificate centre with the demo competitions, through real
widgets: opened from the 电工 event it lists that event's winners; a tick removed is a
certificate not printed; the prize and event filters; the preview pages through every page.
``UNIONDESK_TEST_SHOTS=/folder`` keeps a PNG of the centre."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QStyle, QStyleOptionViewItem
from sqlalchemy import select

from db.models.certificates import Certificate
from db.models.competitions import Competition, Event
from desktop.context import App
from ui.certificates.centre import CertificateCentre

pytestmark = [pytest.mark.usefixtures("look"), pytest.mark.filterwarnings("ignore::DeprecationWarning")]


@pytest.fixture
def electric(qtbot: Any, demo_app: App, monkeypatch: pytest.MonkeyPatch) -> Iterator[CertificateCentre]:
    """The centre as 打印获奖证书 opens it with the 匠心杯's 电工 event shown in the competitions tab."""
    from ui.main_window import MainWindow

    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda *_a, **_k: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "exec", lambda _box: 0)  # 证书已生成 (offer to open the file)
    with demo_app.db.session() as s:
        cid, eid = s.execute(select(Competition.id, Event.id).join(Event, Event.competition_id == Competition.id)
                             .where(Competition.title.contains("匠心杯"), Event.trade == "电工")).one()
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    win.attach_app(demo_app)
    tab: Any = win.show_tab("competitions") or win.tabs["competitions"]
    qtbot.waitUntil(lambda: tab.is_loaded, timeout=20_000)
    tab.reload_keep(cid, eid)
    qtbot.waitUntil(lambda: tab.event_id == eid and tab.grid is not None, timeout=10_000)
    before = set(QApplication.topLevelWidgets())
    qtbot.mouseClick(tab.certificates_button, Qt.MouseButton.LeftButton)
    centre = next(w for w in QApplication.topLevelWidgets() if isinstance(w, CertificateCentre) and w not in before)
    qtbot.addWidget(centre)
    centre.resize(1280, 800)
    assert centre._load_job is not None and centre._load_job.wait()
    qtbot.waitUntil(centre.preview.ready, timeout=30_000)
    centre.event_id = eid  # type: ignore[attr-defined]
    yield centre
    for job in (centre.job, centre.preview.job, centre._load_job):
        if job is not None:
            job.wait()
    win.detach_app()


def click_tick(qtbot: Any, centre: CertificateCentre, row: int) -> None:
    """Click the tick box of ``row`` as the clerk does."""
    table = centre.records_table
    index = table.model().index(row, 0)
    table.scrollTo(index)
    option = QStyleOptionViewItem()
    option.initFrom(table)
    option.rect = table.visualRect(index)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    box = table.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, table)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=box.center())


def shown_rows(centre: CertificateCentre) -> list[int]:
    table = centre.records_table
    return [r for r in range(table.rowCount()) if not table.isRowHidden(r)]


def row_name(centre: CertificateCentre, row: int) -> str:
    item = centre.records_table.item(row, 0)
    assert item is not None
    return item.text()


def test_opened_from_the_electricians_event_it_prints_only_those_ticked(qtbot: Any, demo_app: App,
                                                                       electric: CertificateCentre,
                                                                       tmp_path: Path) -> None:
    centre = electric
    everyone = centre.all_records()
    mine = [r for r in everyone if r["event_id"] == centre.event_id]  # type: ignore[attr-defined]
    assert len(everyone) > len(mine) >= 4
    assert "电工" in centre.chooser.event_combo.currentText()
    assert [row_name(centre, r) for r in shown_rows(centre)] == [r["name"] for r in mine]
    assert centre.chooser.count_label.text() == f"已选 {len(mine)} 人（筛选出 {len(mine)} 人，共 {len(everyone)} 人）"
    assert centre.preview.total == len(mine)

    dropped = row_name(centre, shown_rows(centre)[1])
    click_tick(qtbot, centre, shown_rows(centre)[1])
    assert centre.records_table.item(shown_rows(centre)[1], 0).checkState() == Qt.CheckState.Unchecked  # type: ignore[union-attr]
    assert len(centre.records()) == len(mine) - 1 and dropped not in [r["name"] for r in centre.records()]
    assert centre.chooser.count_label.text().startswith(f"已选 {len(mine) - 1} 人")
    qtbot.waitUntil(centre.preview.ready, timeout=30_000)
    assert centre.preview.total == len(mine) - 1
    if os.environ.get("UNIONDESK_TEST_SHOTS"):
        centre.grab().save(str(Path(os.environ["UNIONDESK_TEST_SHOTS"]) / "ud_cert_centre_choose.png"))

    out = tmp_path / "电工.pdf"
    job = centre.save_pdf(out)
    assert job is not None and job.wait(60_000)
    with pymupdf.open(out) as doc:
        assert doc.page_count == len(mine) - 1
        text = "".join("".join(page.get_text().split()) for page in doc)
    assert dropped not in text and all(r["name"] in text for r in mine if r["name"] != dropped)
    with demo_app.db.session() as s:
        assert sorted(s.execute(select(Certificate.name)).scalars()) == sorted(
            r["name"] for r in mine if r["name"] != dropped)

    click_tick(qtbot, centre, shown_rows(centre)[1])  # ticked again
    assert len(centre.records()) == len(mine)


def test_filters_by_prize_and_event_and_select_all(qtbot: Any, electric: CertificateCentre) -> None:
    centre, chooser = electric, electric.chooser
    third = chooser.award_combo.findText("三等奖")
    assert third > 0 and chooser.award_combo.count() - 1 == len({r["award"] for r in centre.records()})
    chooser.award_combo.setCurrentIndex(third)
    assert centre.records() and all(r["award"] == "三等奖" and "电工" in r["event"] for r in centre.records())
    assert len(shown_rows(centre)) == len(centre.records())
    qtbot.mouseClick(chooser.none_button, Qt.MouseButton.LeftButton)
    assert centre.records() == [] and not centre.print_button.isEnabled() and not centre.save_button.isEnabled()
    chooser.award_combo.setCurrentIndex(0)  # 全部: the electricians' other prizes are still ticked
    assert centre.records() and all(r["award"] != "三等奖" for r in centre.records())
    chooser.event_combo.setCurrentIndex(0)  # every event of the competition
    assert len(shown_rows(centre)) == len(centre.all_records())
    assert {r["event"] for r in centre.records()} == {r["event"] for r in centre.all_records()}
    qtbot.mouseClick(chooser.all_button, Qt.MouseButton.LeftButton)
    assert centre.records() == centre.all_records() and centre.print_button.isEnabled()
    labels = [chooser.event_combo.itemText(i) for i in range(1, chooser.event_combo.count())]
    assert labels == ["数控铣工项目", "电工项目", "中式烹调师项目"]  # the trade, not the competition's name again


def test_the_preview_pages_through_every_certificate_on_demand(qtbot: Any, electric: CertificateCentre) -> None:
    centre, preview = electric, electric.preview
    centre.chooser.event_combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: preview.ready() and preview.total == len(centre.all_records()), timeout=30_000)
    total = preview.total
    assert total > 20 and preview.page_label.text() == f"/ 共 {total} 页"
    assert len(preview.pages) < total  # rendered on demand, not all up front
    assert not preview.prev_button.isEnabled()
    qtbot.mouseClick(preview.next_button, Qt.MouseButton.LeftButton)
    assert preview.page == 1 and preview.page_spin.value() == 2 and preview.prev_button.isEnabled()
    qtbot.waitUntil(preview.ready, timeout=30_000)
    first, second = preview.pages[0], preview.pages[1]
    assert first != second
    preview.page_spin.setFocus()
    preview.page_spin.lineEdit().selectAll()
    qtbot.keyClicks(preview.page_spin.lineEdit(), str(total))  # jump to the last page
    qtbot.keyClick(preview.page_spin.lineEdit(), Qt.Key.Key_Return)
    assert preview.page == total - 1
    assert centre.job is None  # Enter jumped; it did not press 保存 PDF…
    qtbot.waitUntil(preview.ready, timeout=30_000)
    assert preview.current_image() is not None and not preview.next_button.isEnabled()
    pixmap = preview.label.pixmap()
    assert pixmap is not None and not pixmap.isNull()
    with centre.app.db.session() as s:
        assert s.execute(select(Certificate.id)).first() is None  # a preview assigns no serial


def test_template_names_are_chinese_only(electric: CertificateCentre) -> None:
    combo = electric.template_combo
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert "荣誉证书" in texts and "获奖证书" in texts
    assert not any(ch.isascii() and ch.isalpha() for t in texts for ch in t), texts
    keys = [combo.itemData(i) for i in range(combo.count())]
    assert "honour" in keys  # the key is the item's data, never its text


def test_view_the_centre(electric: CertificateCentre, tmp_path: Path) -> None:
    """Item 5: the centre with the demo competition, as a PNG (kept under UNIONDESK_TEST_SHOTS)."""
    folder = Path(os.environ.get("UNIONDESK_TEST_SHOTS") or tmp_path)
    path = folder / "ud_cert_centre_demo.png"
    assert electric.grab().save(str(path))
    assert path.stat().st_size > 10_000
