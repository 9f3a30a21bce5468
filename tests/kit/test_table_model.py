"""The register table model without a window (like vorta's archive table model tests)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from sqlalchemy import func, select

from db.fields import Column
from db.models.core.registers import Organisation, Worker
from db.models.system import AuditEntry
from desktop.context import App
from desktop.records import RecordTable, load_table, table_columns
from ui.kit.table_model import RawValueRole, RecordIdRole, RecordTableModel

DISPLAY = Qt.ItemDataRole.DisplayRole


def worker_table(app: App) -> RecordTable:
    with app.db.session() as s:
        return load_table(s, Worker, app.labels())


def make_model(app: App) -> RecordTableModel:
    table = worker_table(app)
    model = RecordTableModel("workers", table.columns)
    model.set_table(table)
    return model


def col(model: RecordTableModel, name: str) -> int:
    return [c.name for c in model.columns].index(name)


def cell(model: RecordTableModel, row: int, name: str, role: int = DISPLAY) -> Any:
    return model.data(model.index(row, col(model, name)), role)


def test_model_is_generated_from_the_record_description(demo_app: App, qtmodeltester: Any) -> None:
    model = make_model(demo_app)
    columns = table_columns(Worker)
    assert model.rowCount() == model.total() == 300
    assert model.columnCount() == len(columns)
    assert [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())] == \
        [("出生年月" if c.name == "birth_date" else c.label) for c in columns]  # masked rows: year and month
    assert model.headerData(0, Qt.Orientation.Vertical) == "1"
    assert model.rowCount(model.index(0, 0)) == 0  # a table, not a tree
    qtmodeltester.check(model)


def test_id_and_phone_masked_raw_and_id_roles(demo_app: App) -> None:
    model = make_model(demo_app)
    table = model.table
    shown = cell(model, 0, "id_number")
    raw = cell(model, 0, "id_number", RawValueRole)
    assert raw == table.rows[0][col(model, "id_number")] and len(raw) == 18
    assert shown == "*" * 15 + raw[-3:]  # only the last 3 characters (issue 10)
    phone = cell(model, 0, "phone", RawValueRole)
    if phone:
        assert cell(model, 0, "phone") == phone[:3] + "****" + phone[7:]
    assert cell(model, 0, "name") == table.rows[0][0]
    assert cell(model, 0, "name", RecordIdRole) == table.ids[0] == model.record_id(0)
    assert cell(model, 0, "id_number", Qt.ItemDataRole.TextAlignmentRole) == Qt.AlignmentFlag.AlignCenter
    assert model.data(QModelIndex(), DISPLAY) is None


def test_choice_cells_show_labels_not_codes(demo_app: App) -> None:
    model = make_model(demo_app)
    genders = {cell(model, r, "gender") for r in range(model.rowCount())}
    assert genders <= {"男", "女", ""}
    assert "男" in genders


def test_filter_by_name_initials_employer_and_several_words(demo_app: App) -> None:
    model = make_model(demo_app)
    name = cell(model, 5, "name")
    model.set_filter(name)
    assert 1 <= model.rowCount() < 300
    assert all(name in cell(model, r, "name") for r in range(model.rowCount()))

    with demo_app.db.session() as s:
        initials = s.scalar(select(Worker.name_initials).where(Worker.name == name))
    model.set_filter(initials.upper())  # case-insensitive
    assert name in {cell(model, r, "name") for r in range(model.rowCount())}

    model.set_filter("")
    employer = cell(model, 5, "employer_id")
    model.set_filter(employer)
    n_employer = model.rowCount()
    assert n_employer >= 1 and all(cell(model, r, "employer_id") == employer for r in range(n_employer))
    model.set_filter(f"  {employer}   {name} ")
    assert 1 <= model.rowCount() <= n_employer

    model.set_filter("没有这个人xyz")
    assert model.rowCount() == 0
    model.set_filter("")
    assert model.rowCount() == 300


def test_filter_matches_full_id_number_even_though_it_is_masked(demo_app: App) -> None:
    model = make_model(demo_app)
    raw = cell(model, 7, "id_number", RawValueRole)
    model.set_filter(raw[-8:])
    assert model.record_id(0) == model.table.ids[7] or model.row_of(model.table.ids[7]) is not None


def test_sort_ascending_descending_empty_last_and_natural_order(demo_app: App) -> None:
    model = make_model(demo_app)
    c = col(model, "birth_date")
    model.sort(c, Qt.SortOrder.AscendingOrder)
    values = [cell(model, r, "birth_date") for r in range(model.rowCount())]
    present = [v for v in values if v]
    assert present == sorted(present) and values[: len(present)] == present
    model.sort(c, Qt.SortOrder.DescendingOrder)
    values = [cell(model, r, "birth_date") for r in range(model.rowCount())]
    present = [v for v in values if v]
    assert present == sorted(present, reverse=True)
    assert model.sort_state() == (c, True)
    model.sort(-1)
    assert model.visible_ids() == model.table.ids


def test_filter_keeps_the_sort_and_sort_keeps_the_filter(demo_app: App) -> None:
    model = make_model(demo_app)
    employer = cell(model, 0, "employer_id")
    model.sort(col(model, "name"), Qt.SortOrder.DescendingOrder)
    model.set_filter(employer)
    names = [cell(model, r, "name") for r in range(model.rowCount())]
    assert names == sorted(names, reverse=True)
    model.sort(col(model, "name"), Qt.SortOrder.AscendingOrder)
    assert [cell(model, r, "name") for r in range(model.rowCount())] == sorted(names)
    assert all(cell(model, r, "employer_id") == employer for r in range(model.rowCount()))


def test_set_filter_resets_the_model(demo_app: App, qtbot: Any) -> None:
    model = make_model(demo_app)
    with qtbot.waitSignals([model.modelAboutToBeReset, model.modelReset]):
        model.set_filter("宁波")
    with qtbot.assertNotEmitted(model.modelReset):
        model.set_filter(" 宁波 ")  # the same words: nothing to do


def test_reveal_unmasks_one_row_and_is_audit_logged(demo_app: App) -> None:
    model = make_model(demo_app)
    masked_before = cell(model, 1, "id_number")
    shown = model.reveal(0, demo_app)
    raw = cell(model, 0, "id_number", RawValueRole)
    assert shown["id_number"] == raw
    assert cell(model, 0, "id_number") == raw and model.is_revealed(0)
    assert cell(model, 1, "id_number") == masked_before and not model.is_revealed(1)
    with demo_app.db.session() as s:
        entries = s.execute(select(AuditEntry.action, AuditEntry.table_name, AuditEntry.record_id, AuditEntry.note)
                            .where(AuditEntry.action == "reveal")).all()
    assert ("reveal", "workers", model.record_id(0), "id_number") in entries
    assert ("reveal", "workers", model.record_id(0), "phone") in entries
    model.hide_revealed()
    assert "*" in cell(model, 0, "id_number")


def test_upsert_and_remove_keep_filter(demo_app: App) -> None:
    from desktop.programmes.core import registers
    from tests.support import valid_id

    model = make_model(demo_app)
    model.set_filter("欧阳")
    before = model.rowCount()
    with demo_app.db.session() as s:
        rid = registers.save(s, "workers", None, {"name": "欧阳娜娜", "id_number": valid_id(seq=401)})
        part = load_table(s, Worker, demo_app.labels(), where=Worker.id == rid)
    model.upsert(part)
    assert model.rowCount() == before + 1 and model.total() == 301
    assert model.row_of(rid) is not None
    with demo_app.db.session() as s:
        registers.save(s, "workers", rid, {"name": "欧阳菲菲"})
        part = load_table(s, Worker, demo_app.labels(), where=Worker.id == rid)
    model.upsert(part)
    assert model.total() == 301
    assert cell(model, model.row_of(rid), "name") == "欧阳菲菲"
    model.remove(rid)
    assert model.total() == 300 and model.row_of(rid) is None


def test_set_table_keeps_filter_sort_and_reveals(demo_app: App) -> None:
    model = make_model(demo_app)
    model.sort(col(model, "name"), Qt.SortOrder.AscendingOrder)
    model.set_filter("宁")
    rows = model.rowCount()
    model.reveal(0, demo_app)
    rid = model.record_id(0)
    model.set_table(worker_table(demo_app))
    assert model.rowCount() == rows and model.filter_text() == "宁"
    assert model.record_id(0) == rid and model.is_revealed(0)


def test_organisations_and_an_empty_register(app_ctx: App, demo_app: App) -> None:
    with demo_app.db.session() as s:
        table = load_table(s, Organisation, demo_app.labels())
        n = s.scalar(select(func.count()).select_from(Organisation))
    model = RecordTableModel("organisations", table.columns)
    model.set_table(table)
    assert model.rowCount() == n
    empty = RecordTableModel("organisations", table.columns)
    assert empty.rowCount() == 0 and empty.columnCount() == len(table.columns)
    empty.set_filter("x")
    assert empty.rowCount() == 0


@pytest.mark.parametrize("text", ["", "z", "zs 1990", "330226"])
def test_filter_on_synthetic_rows(text: str) -> None:
    columns: list[Column] = table_columns(Worker)
    n = 2000
    rows = [tuple(f"v{i}-{c}" for c in range(len(columns))) for i in range(n)]
    keys = [("zs 1990" if i % 7 == 0 else "ls 1985") + (" 330226" if i % 2 else "") for i in range(n)]
    model = RecordTableModel("workers", columns)
    model.set_table(RecordTable(columns, list(range(1, n + 1)), rows, keys))
    model.set_filter(text)
    words = text.split()
    assert model.rowCount() == sum(all(w in k for w in words) for k in keys)
