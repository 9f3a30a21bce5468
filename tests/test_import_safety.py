"""Issue 10, the smaller falls of the importer: a used range bounded by its real cells, text
lengths from the record description, organisations created once under concurrent imports,
an ID registered under another name, invisible characters in names, formula cells without a
cached value, and counts that are true when rows are skipped."""

from __future__ import annotations

import io
import logging
import threading
import tracemalloc
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import create_engine, func, inspect, select, text

from db import migrate
from db.database import Database, sqlite_url
from db.errors import ValidationError
from db.models.core.registers import Organisation, Worker, organisation_name_key
from db.validators import person_name
from desktop.context import App, open_app
from desktop.importing import importer, service
from desktop.importing.readers import read_sheet
from desktop.programmes.core import registers
from tests.support import valid_id, write_workbook

HEADER = ["序号", "姓名", "身份证号", "工作单位", "工种"]
XFD = 16_384


def _pid(n: int) -> str:
    """The n-th of many distinct valid ID numbers (male, born from 1970 on)."""
    born = date(1970, 1, 1) + timedelta(days=n // 400)
    return valid_id(birth=born.strftime("%Y%m%d"), seq=n % 400)


def _peak_mb(fn: Any) -> tuple[Any, float]:
    tracemalloc.start()
    try:
        result = fn()
        return result, tracemalloc.get_traced_memory()[1] / (1024 * 1024)
    finally:
        tracemalloc.stop()


# ------------------------------------------------------------------ a: the used range


def _xfd_workbook(path: Path, rows: int = 1_200, *, data: bool = False) -> Path:
    """A header, then ``rows`` rows each holding a cell in column XFD (and, with ``data``, a worker)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(HEADER)
    for n in range(rows):
        row: list[object] = [None] * (XFD - 1) + [f"x{n}"]
        if data:
            row[:5] = [n + 1, "王素兰" if n else "吴", _pid(n), "宁海县跃龙模具有限公司", "数控铣工"]
        ws.append(row)
    wb.save(path)
    return path


def test_a_stray_cell_in_column_xfd_does_not_widen_every_row(tmp_path: Path) -> None:
    path = _xfd_workbook(tmp_path / "xfd.xlsx")
    assert path.stat().st_size < 64 * 1024
    data, peak = _peak_mb(lambda: read_sheet(path))
    assert peak < 50, f"{peak:.0f} MB"
    assert len(data.rows) == 1_201
    assert max(len(values) for _, values in data.rows) <= len(HEADER) + 1  # not 16,384 wide
    assert data.columns is not None and data.columns[-1] == XFD and data.column_number(len(HEADER)) == XFD
    assert data.rows[1] == (2, (None, None, None, None, None, "x0"))


def test_import_dry_run_of_the_xfd_workbook_is_bounded(app_ctx: App, tmp_path: Path) -> None:
    path = _xfd_workbook(tmp_path / "xfd-data.xlsx", data=True)
    report, peak = _peak_mb(lambda: service.import_file(app_ctx, "workers", path, dry_run=True))
    assert peak < 50, f"{peak:.0f} MB"
    assert report.data_rows == 1_200 and [(p.row, p.code) for p in report.rejected] == [(2, "name_length")]
    assert report.rejected_rows[0][1]["第16384列"] == "x0"  # the clerk's cell, under its real column
    with app_ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Worker)) == 0


def test_a_csv_line_of_endless_separators_is_bounded(tmp_path: Path) -> None:
    line = "王素兰,{id}" + "," * (XFD - 2) + "x\n"
    body = "姓名,身份证号\n" + "".join(line.format(id=_pid(n)) for n in range(1_200))
    path = tmp_path / "wide.csv"
    path.write_text(body, encoding="utf-8")
    data = read_sheet(path)  # (the text is held whole while it is parsed: bounded by MAX_TEXT_BYTES)
    assert sum(len(values) for _, values in data.rows) == 2 + 3 * 1_200  # cells kept, not 16,384 a row
    assert max(len(values) for _, values in data.rows) == 3
    assert data.rows[1][1][:2] == ("王素兰", _pid(0)) and data.column_number(2) == XFD


def test_merged_title_still_fills_when_far_columns_are_left_out(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["2026年花名册"])
    ws.merge_cells("A1:C1")
    ws.append(["姓名", "身份证号", "单位"])
    ws.append(["王素兰", _pid(1), "一厂"])
    ws.cell(row=3, column=XFD, value="stray")
    wb.save(tmp_path / "m.xlsx")
    data = read_sheet(tmp_path / "m.xlsx")
    rows = dict(data.rows)
    assert rows[1] == ("2026年花名册",) * 3
    assert rows[3] == ("王素兰", _pid(1), "一厂", "stray")
    assert data.columns == [1, 2, 3, XFD]


# ------------------------------------------------------------------ b: text lengths


def _length_file(tmp_path: Path) -> Path:
    rows = [HEADER]
    for n in range(1, 6):
        rows.append([n, "王素兰", _pid(n), "宁海县跃龙模具有限公司", "数控铣工"])
    rows[3][4] = "工" * 5000  # sheet row 4 (header on row 1)
    rows[5][3] = "单" * 101  # sheet row 6: an employer name no organisation name can hold
    return write_workbook(tmp_path / "long.xlsx", rows)


def _check_length_import(app: App, tmp_path: Path) -> None:
    report = service.import_file(app, "workers", _length_file(tmp_path))
    rejected = {p.row: p for p in report.rejected}
    assert set(rejected) == {4, 6}, report.as_json()
    assert rejected[4].code == "too_long" and rejected[4].reason == "工种（岗位）超过 40 个字（5000 个字）"
    assert rejected[6].code == "too_long" and rejected[6].reason == "工作单位超过 100 个字（101 个字）"
    assert report.imported == 3
    with app.db.session() as s:
        assert s.scalar(select(func.max(func.length(Worker.trade)))) == 4
        assert s.scalar(select(func.count()).select_from(Worker)) == 3


def test_an_over_long_cell_rejects_its_row_on_sqlite(app_ctx: App, tmp_path: Path) -> None:
    _check_length_import(app_ctx, tmp_path)


@pytest.mark.postgres
def test_an_over_long_cell_rejects_its_row_on_postgres(pg_url: str, tmp_path: Path) -> None:
    app = open_app(pg_url, daily_backup=False)
    try:
        _check_length_import(app, tmp_path)
    finally:
        app.close()


def test_the_form_checks_lengths_too(app_ctx: App) -> None:
    _clean, errors = registers.validate("workers", {"name": "王素兰", "id_number": _pid(1), "trade": "工" * 41})
    assert errors == {"trade": "工种（岗位）超过 40 个字（41 个字）"}
    with app_ctx.db.session() as s, pytest.raises(ValidationError) as info:
        registers.save(s, "organisations", None, {"name": "单" * 101})
    assert "单位名称超过 100 个字" in info.value.message


# ------------------------------------------------------------------ c: organisations once


EMPLOYERS = [f"宁海县第{n}精密机械有限公司" for n in range(40)]


def _concurrent_csv(path: Path, first: int, rows: int = 3_000) -> Path:
    lines = ["姓名,身份证号,工作单位"]
    for n in range(rows):
        employer = EMPLOYERS[n % len(EMPLOYERS)]
        if n % 7 == 0:  # the same unit as other rows write it: full-width brackets, spaces
            employer = employer.replace("宁海县", "宁海县 ")
        lines.append(f"王素兰,{_pid(first + n)},{employer}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _two_imports_at_once(url: str, tmp_path: Path) -> None:
    """Both imports plan against the register before either writes (the overlap that made
    duplicates), then write at the same moment from two threads with their own engines."""
    files = [_concurrent_csv(tmp_path / "a.csv", 0), _concurrent_csv(tmp_path / "b.csv", 10_000)]
    databases = [Database(url), Database(url)]
    try:
        plans = []
        for database, path in zip(databases, files, strict=True):
            data, match = importer.read_and_match(path, "workers")
            with database.session() as s:
                plans.append(importer.plan(s, "workers", data, match, {}))
        assert all(len(p.new_organisations) == len(EMPLOYERS) for p in plans)
        barrier = threading.Barrier(2)
        reports: list[Any] = [None, None]
        errors: list[BaseException] = []

        def run(i: int) -> None:
            try:
                barrier.wait()
                reports[i] = importer.write(databases[i], plans[i])
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not errors, errors
        with databases[0].session() as s:
            names = s.scalars(select(Organisation.name)).all()
            assert s.scalar(select(func.count()).select_from(Worker)) == 6_000
            linked = s.execute(select(Organisation.name_key, func.count()).join(Worker).group_by(Organisation.name_key))
            assert {k: c for k, c in linked} == {organisation_name_key(e): 150 for e in EMPLOYERS}
        assert len(names) == len(EMPLOYERS)
        assert {organisation_name_key(n) for n in names} == {organisation_name_key(e) for e in EMPLOYERS}
        assert reports[0].created_organisations + reports[1].created_organisations == len(EMPLOYERS)
    finally:
        for database in databases:
            database.dispose()


def test_two_imports_at_once_create_each_organisation_once_on_sqlite(app_ctx: App, tmp_path: Path) -> None:
    _two_imports_at_once(app_ctx.db.url, tmp_path)


@pytest.mark.postgres
def test_two_imports_at_once_create_each_organisation_once_on_postgres(pg_url: str, tmp_path: Path) -> None:
    open_app(pg_url, daily_backup=False).close()  # the schema
    _two_imports_at_once(pg_url, tmp_path)


def test_employer_matched_on_its_normalised_name(app_ctx: App, tmp_path: Path) -> None:
    with app_ctx.db.session() as s:
        registers.save(s, "organisations", None, {"name": "宁波拓锋精密机械有限公司（宁海）"})
    path = write_workbook(tmp_path / "w.xlsx", [HEADER, [1, "王素兰", _pid(1), "宁波拓锋 精密机械有限公司(宁海)", ""]])
    report = service.import_file(app_ctx, "workers", path)
    assert report.imported == 1 and report.created_organisations == 0
    with app_ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Organisation)) == 1


def test_registers_keep_the_key_and_refuse_a_second_unit_of_one_name(app_ctx: App) -> None:
    with app_ctx.db.session() as s:
        rid = registers.save(s, "organisations", None, {"name": "跃龙模具厂"})
        assert registers.ensure_organisation(s, "跃龙 模具厂") == (rid, False)
        other, created = registers.ensure_organisation(s, "跃龙五金厂")
        assert created and registers.ensure_organisation(s, "跃龙五金厂") == (other, False)
        with pytest.raises(ValidationError, match="单位名称与已有单位「跃龙模具厂」相同"):
            registers.save(s, "organisations", None, {"name": "跃龙模具厂 "})
        registers.save(s, "organisations", rid, {"name": "跃龙精密模具厂"})
        assert s.scalar(select(Organisation.name_key).where(Organisation.id == rid)) == "跃龙精密模具厂"


def test_migration_keys_existing_names_and_leaves_duplicates_alone(tmp_path: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    url = sqlite_url(tmp_path / "old.sqlite3")
    engine = create_engine(url)
    try:
        migrate.upgrade(engine, "0004")
        with engine.begin() as conn:
            for name in ("宁波拓锋", "宁波 拓锋", "ＡＢＣ公司", "abc公司", "跃龙模具厂"):
                conn.execute(text("INSERT INTO organisations (name) VALUES (:n)"), {"n": name})
            conn.execute(text("INSERT INTO workers (name, id_number, employer_id) VALUES ('王素兰', :i, 2)"),
                         {"i": _pid(1)})
        with caplog.at_level(logging.WARNING):
            migrate.upgrade(engine)
        with engine.connect() as conn:
            keys = dict(conn.execute(text("SELECT id, name_key FROM organisations ORDER BY id")).all())
            assert keys == {1: "宁波拓锋", 2: None, 3: "abc公司", 4: None, 5: "跃龙模具厂"}
            assert conn.execute(text("SELECT employer_id FROM workers")).scalar() == 2  # nothing merged
            index = next(i for i in inspect(conn).get_indexes("organisations") if i["name"] == "ix_organisations_name_key")
            assert index["unique"] and index["column_names"] == ["name_key"]
        assert "id 2 (same as id 1)" in caplog.text and "id 4 (same as id 3)" in caplog.text
        from alembic import command

        with engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), "0004")
        with engine.connect() as conn:
            assert "name_key" not in {c["name"] for c in inspect(conn).get_columns("organisations")}
            assert conn.execute(text("SELECT count(*) FROM organisations")).scalar() == 5
    finally:
        engine.dispose()


# ------------------------------------------------------------------ d: an ID under another name


def test_an_id_registered_under_another_name_is_a_conflict(app_ctx: App, tmp_path: Path) -> None:
    first = write_workbook(tmp_path / "a.xlsx", [HEADER, [1, "王素兰", _pid(1), "", "钳工"],
                                                 [2, "李四", _pid(2), "", "钳工"]])
    assert service.import_file(app_ctx, "workers", first).imported == 2
    second = write_workbook(tmp_path / "b.xlsx", [HEADER, [1, "王素芬", _pid(1), "", "电工"],
                                                  [2, "李 四", _pid(2), "", "电工"], [3, "赵六", _pid(3), "", ""]])
    for mode in ("skip", "update"):
        report = service.import_file(app_ctx, "workers", second, on_duplicate=mode)
        assert [(p.row, p.code) for p in report.rejected] == [(2, "id_name_conflict")], mode
        reason = report.rejected[0].reason
        assert "“王素兰”" in reason and "“王素芬”" in reason and "未导入" in reason
        assert _pid(1) not in reason and _pid(1)[6:14] not in reason  # never the whole number
    with app_ctx.db.session() as s:
        people = dict(s.execute(select(Worker.id_number, Worker.name)).all())
        trades = dict(s.execute(select(Worker.name, Worker.trade)).all())
    assert people[_pid(1)] == "王素兰" and trades["王素兰"] == "钳工"  # never overwritten
    assert trades["李四"] == "电工"  # the same person (spacing aside): updated


# ------------------------------------------------------------------ e: invisible characters


@pytest.mark.parametrize("name", ["王\u034f素兰", "王素兰\u034f", "\u034f王素兰", "王\u200e素兰", "王\u2062素兰",
                                  "王\ufe0f素兰", "王\u0301素兰", "王\u20dd素兰", "张\u3164三", "王\u00ad素兰",
                                  "王\U000e0041素兰", "John\ufe0f Smith"])
def test_names_refuse_characters_that_render_as_nothing(name: str) -> None:
    with pytest.raises(ValidationError) as info:
        person_name(name)
    assert info.value.code == "name_format" and "不可见字符" in info.value.message


@pytest.mark.parametrize(("raw", "expected"), [
    ("王\u200b素兰", "王素兰"),  # pasted from a web page: dropped, never stored
    ("葛\U000e0100明", "葛\U000e0100明"),  # an ideographic variation selector on its ideograph
    ("Jose\u0301 Garci\u0301a", "Jose\u0301 Garci\u0301a"),  # an accent on a Latin letter
    ("阿卜杜·热合曼", "阿卜杜·热合曼"),
])
def test_names_keep_what_is_visible(raw: str, expected: str) -> None:
    assert person_name(raw) == expected


def test_an_invisible_character_rejects_the_imported_row(app_ctx: App, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "n.xlsx", [HEADER, [1, "王\u034f素兰", _pid(1), "", ""], [2, "王素兰", _pid(2), "", ""]])
    report = service.import_file(app_ctx, "workers", path)
    assert [(p.row, p.code) for p in report.rejected] == [(2, "name_format")] and report.imported == 1


# ------------------------------------------------------------------ f: formulas without a value


def _set_cell_xml(path: Path, old: bytes, new: bytes) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                assert old in data
                data = data.replace(old, new)
            dst.writestr(info, data)
    path.write_bytes(buf.getvalue())


def test_a_formula_without_a_cached_value_is_a_warning(app_ctx: App, tmp_path: Path) -> None:
    rows = [HEADER]
    for n in range(1, 5):
        rows.append([n, "王素兰", _pid(n), "", "钳工"])
    rows[4][4] = '=IF(A5>0,"数控铣工","")'  # sheet row 5, column E: written by a script, never calculated
    rows[2][4] = '=""'  # sheet row 3: patched below into a formula whose cached result is ""
    path = write_workbook(tmp_path / "f.xlsx", rows)
    _set_cell_xml(path, b'<c r="E3"><f>""</f><v /></c>', b'<c r="E3" t="str"><f>""</f><v></v></c>')
    data = read_sheet(path)
    assert data.formula_cells == [(5, "E5")]
    report = service.import_file(app_ctx, "workers", path)
    formula = [p for p in report.warnings if p.code == "formula_no_value"]
    assert [(p.row, p.reason) for p in formula] == [(5, "E5 单元格是公式但没有计算结果（请在 Excel 中打开并保存后再导入）")]
    assert report.imported == 4


# ------------------------------------------------------------------ g: true counts


def test_counts_are_true_when_every_row_is_skipped(app_ctx: App, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "s.xlsx", [HEADER, [1, "王素兰", _pid(1), "跃龙模具厂", ""],
                                                [2, "李四", _pid(2), "跃龙五金厂", ""]])
    first = service.import_file(app_ctx, "workers", path)
    assert first.imported == 2 and first.created_organisations == 2
    with app_ctx.db.session() as s:  # a unit removed since: a skipped row must not bring it back
        s.execute(Worker.__table__.update().values(employer_id=None))
        s.execute(Organisation.__table__.delete().where(Organisation.name == "跃龙五金厂"))
    again = service.import_file(app_ctx, "workers", path)
    assert again.skipped == 2 and again.imported == 0 and again.created_organisations == 0
    assert again.as_json()["created_organisations"] == 0
    assert not [p for p in again.warnings if p.code == "organisation_created"]
    with app_ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Organisation)) == 1


def test_created_count_is_what_the_transaction_created(app_ctx: App, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "c.xlsx", [HEADER, [1, "王素兰", _pid(1), "跃龙模具厂", ""],
                                                [2, "李四", _pid(2), "跃龙五金厂", ""]])
    data, match = importer.read_and_match(path, "workers")
    with app_ctx.db.session() as s:
        p = importer.plan(s, "workers", data, match, app_ctx.labels())
    assert p.report.created_organisations == 2
    with app_ctx.db.session() as s:  # another import created one of them meanwhile
        registers.ensure_organisation(s, "跃龙模具厂")
    report = importer.write(app_ctx.db, p)
    assert report.imported == 2 and report.created_organisations == 1


def test_organisation_import_matches_and_refuses_on_the_normalised_name(app_ctx: App, tmp_path: Path) -> None:
    from db.validators import credit_check_char

    def code(body: str) -> str:
        return body + credit_check_char(body)

    a, b = code("91330226MA2AAAAA0"), code("91330226MA2BBBBB0")
    with app_ctx.db.session() as s:
        registers.save(s, "organisations", None, {"name": "跃龙模具厂", "credit_code": a})
        registers.save(s, "organisations", None, {"name": "跃龙五金厂"})
    path = write_workbook(tmp_path / "o.xlsx", [
        ["单位名称", "统一社会信用代码", "地址"],
        ["跃龙 模具厂", b, "跃龙街道"],  # row 2: the name of a unit with another credit code
        ["跃龙五金厂", "", "新地址"],  # row 3: the same unit by name: skipped, or updated
        ["跃龙电器厂", "", ""],  # row 4: new
        ["跃龙电器厂 ", "", ""],  # row 5: the same name again in the file
    ])
    report = service.import_file(app_ctx, "organisations", path, on_duplicate="update")
    assert [(p.row, p.code) for p in report.rejected] == [(2, "organisation_conflict"), (5, "duplicate_in_file")]
    assert report.imported == 1 and report.updated == 1
    with app_ctx.db.session() as s:
        rows = dict(s.execute(select(Organisation.name, Organisation.address)).all())
    assert rows == {"跃龙模具厂": None, "跃龙五金厂": "新地址", "跃龙电器厂": None}
