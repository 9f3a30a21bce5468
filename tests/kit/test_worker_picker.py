"""The one worker search and picker: labels from the description, masked IDs, the keyboard."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from db.fields import describe
from db.models.core.registers import Worker
from desktop.context import App
from desktop.programmes.core import worker_search
from tests.conftest import insert_handful
from ui.kit.worker_picker import PickWorkerDialog, WorkerPicker


def test_columns_are_the_worker_fields_labels() -> None:
    labels = {c.name: c.label for c in describe(Worker)}
    cols = worker_search.columns(("name", "id_number", "employer_id", "trade", "skill_grade"))
    assert [c.label for c in cols] == [labels[n] for n in ("name", "id_number", "employer_id", "trade", "skill_grade")]


def test_search_by_name_initials_id_tail_and_employer(app_ctx: App) -> None:
    insert_handful(app_ctx)
    with app_ctx.db.session() as s:
        workers = {w.name: w.id_number for w in s.query(Worker)}
    by_name = worker_search.search(app_ctx, "王小燕")
    assert [h.name for h in by_name] == ["王小燕"]
    hit = by_name[0]
    assert hit.id_masked == "*" * 15 + workers["王小燕"][-3:] and hit.id_tail == workers["王小燕"][-3:]
    assert workers["王小燕"] not in repr(hit)  # the whole number never leaves the search
    assert hit.employer == "宁海县跃龙模具有限公司" and hit.cell("employer_id") == hit.employer
    assert [h.name for h in worker_search.search(app_ctx, "wxy")] == ["王小燕"]
    tail = workers["孙伟"][-4:]
    assert "孙伟" in [h.name for h in worker_search.search(app_ctx, tail)]
    unit = [h.name for h in worker_search.search(app_ctx, "卫生服务中心")]
    assert sorted(unit) == ["孙伟", "钱芳芳"]
    assert [h.name for h in worker_search.hits(app_ctx, [by_name[0].id, 99_999])] == ["王小燕"]


def test_search_puts_the_exact_name_first(app_ctx: App) -> None:
    insert_handful(app_ctx)
    from desktop.programmes.core import registers
    from tests.support import valid_id

    with app_ctx.db.session() as s:
        registers.save(s, "workers", None, {"name": "王小", "id_number": valid_id(seq=40)})
    assert [h.name for h in worker_search.search(app_ctx, "王小")] == ["王小", "王小燕"]


def test_picker_keyboard_and_choice_labels(qtbot: Any, app_ctx: App) -> None:
    insert_handful(app_ctx)
    picker = WorkerPicker(app_ctx, columns=("name", "id_number", "member_status"))
    qtbot.addWidget(picker)
    assert [picker.table.horizontalHeaderItem(c).text() for c in range(3)] == ["姓名", "身份证号", "会籍状态"]
    assert picker.table.rowCount() == 6
    assert all(picker.table.item(r, 1).text().startswith("*" * 15) for r in range(6))
    assert picker.table.item(0, 2).text() not in ("", "active")  # the choice's label, not its code
    chosen: list[int] = []
    picker.chosen.connect(chosen.append)
    picker.show()
    picker.search.setFocus()
    qtbot.keyClicks(picker.search, "zq")
    qtbot.waitUntil(lambda: picker.table.rowCount() == 1)
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)  # from the box into the list
    assert picker.table.hasFocus() and picker.selected() is not None and picker.selected().name == "赵强"
    qtbot.keyClick(picker.table, Qt.Key.Key_Return)
    assert chosen == [picker.selected().id]


def test_picker_shows_a_worker_outside_the_hits(qtbot: Any, app_ctx: App) -> None:
    insert_handful(app_ctx)
    picker = WorkerPicker(app_ctx, limit=2)
    qtbot.addWidget(picker)
    last = worker_search.search(app_ctx, "")[-1]
    assert picker.hit(last.id) is not None and all(h.id != last.id for h in picker.hits)
    assert picker.set_worker(last.id) and picker.value() == last.id


def test_pick_dialog_returns_the_selected_ids(qtbot: Any, app_ctx: App) -> None:
    insert_handful(app_ctx)
    dlg = PickWorkerDialog(None, app_ctx, "选择队员", multi=True)
    qtbot.addWidget(dlg)
    dlg.picker.table.selectAll()
    dlg.accept()
    assert dlg.result() == QDialog.DialogCode.Accepted and len(dlg.chosen_ids()) == 6
    dlg2 = PickWorkerDialog(None, app_ctx, "选择职工")
    qtbot.addWidget(dlg2)
    dlg2.reject()
    assert dlg2.chosen_ids() == []
