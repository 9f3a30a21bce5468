"""Issue 11: one variables registry for the placeholders; sources found through the registry; one
"id parameter or not found"; the centre's dialogs go through desktop functions and announce changes."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from desktop.changes import Changes
from desktop.context import App
from reports.certificates import variables as v
from reports.certificates.fill import fill
from tests.support import write_workbook

ROOT = Path(__file__).resolve().parents[2]


# -- the registry ---------------------------------------------------------------------------------


def test_each_placeholder_is_declared_once_with_label_and_a_way_to_compute_it() -> None:
    keys = [x.key for x in v.VARIABLES]
    assert len(keys) == len(set(keys))
    assert set(keys) >= {"name", "unit", "award", "event", "team", "issuer", "date_cn", "serial", "verify", "salutation"}
    assert {x.key: x.label for x in v.VARIABLES} == v.PLACEHOLDERS
    assert all(x.label and x.origin in (v.RECORD, v.ISSUE, v.DERIVED) for x in v.VARIABLES)
    sample = v.sample_record()
    assert {k: v.value_of(k, sample) for k in ("name", "date_cn", "year", "salutation", "date")} == {
        "name": "周国全", "date_cn": "二〇二六年五月一日", "year": "2026", "salutation": "周国全同志：",
        "date": "二〇二六年五月一日"}
    assert v.value_of("date_cn", sample, arabic_date=True) == "2026年5月1日"
    assert v.value_of("extra", {"extra": 3.0}) == "3"  # an undeclared key: the record's value as text
    assert fill("{name}[（{team}）]：{award}", sample) == "周国全：一等奖"


def test_a_source_supplies_the_record_variables_and_issuing_adds_the_rest() -> None:
    from desktop.certificates import issuing

    record = issuing.preview_sample("general")
    assert set(record) - {"programme"} == set(v.keys(v.RECORD)) == {"name", "unit", "team", "award", "title", "event"}
    printed = issuing.for_print({"name": "张三"}, {"union_name": "跃龙街道总工会"}, "UD-2026-general-00001", None,
                                today=date(2026, 7, 1))
    assert {k: printed[k] for k in ("unit", "issuer", "date", "serial")} == {
        "unit": "", "issuer": "跃龙街道总工会", "date": date(2026, 7, 1), "serial": "UD-2026-general-00001"}


def test_a_lists_headers_and_the_centres_columns_read_the_registry(qtbot: Any) -> None:
    from desktop.certificates.sources import SHEET_FIELDS
    from ui.certificates.selection import RecordsTable

    by_key = {f.key: f for f in SHEET_FIELDS}
    for key in ("award", "event", "team", "date"):
        variable = v.by_key(key)
        assert variable is not None and by_key[key].label == variable.column
    table = RecordsTable()
    qtbot.addWidget(table)
    headers = [table.horizontalHeaderItem(i).text() for i in range(table.columnCount())]
    assert headers == ["/".join(v.by_key(k).column for k in keys) for keys in RecordsTable.COLUMNS]  # type: ignore[union-attr]


def test_the_editor_lists_every_variable_with_its_sample(qtbot: Any) -> None:
    from PySide6.QtCore import Qt

    from ui.certificates.template_editor import TemplateEditor

    editor = TemplateEditor()
    qtbot.addWidget(editor)
    combo = editor.placeholder_combo
    listed = [combo.itemData(i) for i in range(1, combo.count())]
    assert listed == [x.key for x in v.VARIABLES]
    name = combo.findData("name")
    assert combo.itemText(name) == "姓名  {name}"
    assert combo.itemData(name, Qt.ItemDataRole.ToolTipRole) == "例：周国全"


# -- the structure --------------------------------------------------------------------------------


def test_nothing_in_the_certificate_engine_names_a_programme() -> None:
    from desktop import registry

    keys = [e.key for e in registry.entries() if e.key not in ("workers", "organisations")]
    folders = [ROOT / "desktop" / "certificates", ROOT / "ui" / "certificates", ROOT / "reports" / "certificates"]
    files = [p for folder in folders for p in folder.rglob("*.py")] + [ROOT / "desktop" / "cli" / "certificates.py"]
    for path in files:
        text = path.read_text(encoding="utf-8")  # a key as a string, a module path or in a serial
        assert not [k for k in keys if re.search(rf"[\"'./-]{k}\b", text)], path


def test_an_id_parameter_is_parsed_or_refused_in_one_place(app_ctx: App) -> None:
    from db.models.certificates import Certificate
    from desktop.certificates import sources
    from desktop.params import NotFound, parse_id, record_param

    assert parse_id(" 7 ", "竞赛") == 7
    with pytest.raises(NotFound, match="竞赛编号“abc”无效，应为数字"):
        parse_id("abc", "竞赛")
    with app_ctx.db.session() as s:
        with pytest.raises(NotFound, match="找不到编号为 9 的证书（见 x）"):
            record_param(s, Certificate, 9, "证书", "（见 x）")
        with pytest.raises(sources.UnknownSource):
            sources.from_reference(s, "no_such_parameter", 1)
        ref = next(p for src in sources.sources() for p in src.params if p.kind == "ref")
        with pytest.raises(sources.NotFound, match=f"找不到编号为 999 的{ref.label}"):
            sources.from_reference(s, ref.name, 999)


# -- writes announce what they changed ------------------------------------------------------------


def test_voiding_and_issuing_announce_the_register_and_open_registers_follow(
        qtbot: Any, app_ctx: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from ui.certificates.centre import open_certificate_centre
    from ui.certificates.register import open_register
    from ui.kit.changes import hub

    monkeypatch.setattr(QMessageBox, "exec", lambda _box: 0)
    heard: list[Changes] = []
    hub().changed.connect(heard.append)
    first, second = open_register(None, app_ctx), open_register(None, app_ctx)
    qtbot.addWidget(first)
    qtbot.addWidget(second)
    centre = open_certificate_centre(None, app_ctx)
    qtbot.addWidget(centre)
    sheet = write_workbook(tmp_path / "名单.xlsx", [["姓名", "奖项"], ["张三", "一等奖"], ["李四", "二等奖"]])
    job = centre.choose_sheet(sheet)
    assert job is not None and job.wait()
    job = centre.save_pdf(tmp_path / "a.pdf")
    assert job is not None and job.wait()
    qtbot.waitUntil(lambda: second.model.rowCount() == 2)  # the centre's write, heard by an open register
    assert heard[-1].touches("certificates") and len(heard[-1].ids("certificates")) == 2

    serial = first.model.rows[0]["serial"]
    first.select_serials([serial])
    assert first.void_selected("错发")
    assert heard[-1].touches("certificates") and heard[-1].ids("certificates") == {first.model.rows[0]["id"]}
    assert next(r for r in second.model.rows if r["serial"] == serial)["void_reason"] == "错发"
    qtbot.waitUntil(lambda: not centre.preview_busy(), timeout=30_000)
    for j in (centre.job, centre.preview.job, centre._load_job):
        if j is not None:
            j.wait()
