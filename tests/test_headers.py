"""desktop.importing.headers: finding the header row in clerks' tables and mapping its columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from desktop.importing.headers import (
    HeaderField,
    HeaderMatch,
    apply_mapping,
    effective_mapping,
    find_header,
    header_signature,
    normalise_header,
)
from desktop.importing.readers import read_sheet

# Mirrors the worker register's description (db/models/core/registers.py) closely enough to be realistic.
WORKER_FIELDS = [
    HeaderField("name", "姓名", ("姓 名", "职工姓名", "会员姓名", "名字"), True),
    HeaderField("gender", "性别", ("性 别",), False),
    HeaderField("id_number", "身份证号", ("身份证号码", "公民身份号码", "身份证", "证件号码", "身份证件号码",
                                         "居民身份证号"), True),
    HeaderField("birth_date", "出生日期", ("出生年月",), False),
    HeaderField("phone", "手机号码", ("手机", "联系电话", "电话", "手机号", "联系方式", "电话号码"), False),
    HeaderField("employer_id", "工作单位", ("单位", "所在单位", "工作单位名称", "单位名称", "用人单位"), True),
    HeaderField("post", "工种（岗位）", ("工种", "岗位", "职务", "工种岗位"), False),
    HeaderField("joined_on", "入会时间", ("入会日期", "入会年月"), False),
    HeaderField("card_no", "会员证号", ("会员卡号", "会员证编号"), False),
    HeaderField("status", "会籍状态", ("会员状态", "状态"), False),
]

ORG_FIELDS = [
    HeaderField("name", "单位名称", ("单位", "企业名称", "名称", "单位全称", "企业"), True),
    HeaderField("credit_code", "统一社会信用代码", ("信用代码", "社会信用代码", "统一代码", "组织机构代码"), False),
    HeaderField("contact", "联系人", ("联系人姓名",), False),
    HeaderField("phone", "联系电话", ("电话", "手机", "联系方式"), False),
    HeaderField("chairman", "工会主席", ("主席", "工会负责人"), False),
    HeaderField("town", "所在乡镇（街道）", ("乡镇", "街道", "镇街", "所属镇街", "所在镇街"), False),
]

TITLE = "2024年XX镇职工花名册"


def messy_rows() -> list[tuple[int, tuple[object, ...]]]:
    header = ("序号", "姓 名", "公民身份号码", "工作\n单位", "入会时间", "联系电话（手机）", "备注")
    return [
        (1, (TITLE,) * 7),  # merged title, copied across the columns by the reader
        (2, ("填报单位：XX镇总工会", None, None, None, "填报日期：2024年3月")),
        (3, header),
        (4, (1, "张三", 3.302811990010112e17, "甲公司", "2024.3.5", "13800000000", None)),
        (5, (2, "李四", "33028119900202123X", "甲公司")),
        (7, (None, None, None, None, None, None, "表格下方的说明文字")),  # only an unmapped column
        (9, header),  # the header printed again (a second page)
        (10, (3, "王五", "330281199003031234", "乙公司", 45356, None, "x")),
    ]


# ------------------------------------------------------------------------------------------
# normalisation
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    ("姓 名", "姓名"),
    ("姓\u3000\u3000名", "姓名"),
    ("身份证\n号码", "身份证号码"),
    (" *姓名： ", "姓名"),
    ("＊姓名:", "姓名"),
    ("身份证号（18位）", "身份证号"),
    ("身份证号(必填)", "身份证号"),
    ("手机【11位】", "手机"),
    ("ＩＤ　Ｎｏ．", "idno."),
    ("入会时间\r\n（年.月.日）", "入会时间"),
    ("（备注）", "(备注)"),  # nothing but a note: the note is the header
    ("\ufeff姓名\u200b", "姓名"),
    (None, ""),
    (2024, "2024"),
])
def test_normalise_header(raw: object, expected: str) -> None:
    assert normalise_header(raw) == expected


# ------------------------------------------------------------------------------------------
# find_header
# ------------------------------------------------------------------------------------------


def test_messy_header_found_below_title_and_subtitle() -> None:
    match = find_header(messy_rows(), WORKER_FIELDS)
    assert isinstance(match, HeaderMatch)
    assert (match.row_number, match.index) == (3, 2)
    assert match.mapping == {1: "name", 2: "id_number", 3: "employer_id", 4: "joined_on", 5: "phone"}
    assert match.unmapped == [(6, "备注")]  # 序号 is neither mapped nor reported
    assert match.missing_required == []
    assert match.headers[3] == "工作 单位"


def test_title_row_counts_once_even_when_it_names_fields() -> None:
    rows = [
        (1, ("职工姓名及身份证号码登记表",) * 4),  # merged title mentioning two fields
        (2, ("姓名", "身份证", "单位", "性别")),
    ]
    assert find_header(rows, WORKER_FIELDS).row_number == 2
    assert find_header([rows[0]], WORKER_FIELDS).mapping == {0: "id_number"}


def test_missing_required_and_unmapped() -> None:
    match = find_header([(1, ("姓名", "性别", "爱好", None, "  "))], WORKER_FIELDS)
    assert match.mapping == {0: "name", 1: "gender"}
    assert match.unmapped == [(2, "爱好")]
    assert match.missing_required == ["id_number", "employer_id"]


def test_exact_match_beats_containment() -> None:
    match = find_header([(1, ("单位名称", "工作单位", "姓名"))], WORKER_FIELDS)
    # both are exact names of the employer field: the first column takes it, the other is unmapped
    assert match.mapping == {0: "employer_id", 2: "name"}
    assert match.unmapped == [(1, "工作单位")]


@pytest.mark.parametrize(("header", "key"), [
    ("身份证号码（18位，必填）", "id_number"),
    ("职工身份证号", "id_number"),          # contains a name
    ("身份", "id_number"),                 # contained in one field's names only
    ("所在单位名称", "employer_id"),
    ("本人手机号码", "phone"),
    ("岗位/工种", "post"),
    ("工种（岗位）", "post"),
    ("会员证号码", "card_no"),
    ("入会时间（年月）", "joined_on"),
])
def test_containment_matches(header: str, key: str) -> None:
    assert find_header([(1, (header,))], WORKER_FIELDS).mapping == {0: key}


def test_name_at_the_end_wins_containment() -> None:
    match = find_header([(1, ("单位", "联系人电话", "单位联系人", "工会主席姓名"))], ORG_FIELDS)
    assert match.mapping == {0: "name", 1: "phone", 2: "contact", 3: "chairman"}


def test_ambiguous_short_header_left_unmapped() -> None:
    match = find_header([(1, ("姓名", "号码"))], WORKER_FIELDS)  # 号码: ID, phone or card number?
    assert match.mapping == {0: "name"} and match.unmapped == [(1, "号码")]


def test_field_never_matched_twice() -> None:
    match = find_header([(1, ("手机", "电话", "联系电话", "姓名"))], WORKER_FIELDS)
    assert list(match.mapping.values()).count("phone") == 1
    assert match.mapping[3] == "name"


def test_english_keys_match_exactly_only() -> None:
    match = find_header([(1, ("name", "ID_Number", "username", "employer_id"))], WORKER_FIELDS)
    assert match.mapping == {0: "name", 1: "id_number", 3: "employer_id"}


def test_label_with_a_note_matches_itself() -> None:
    match = find_header([(1, ("所在乡镇（街道）", "单位名称"))], ORG_FIELDS)
    assert match.mapping == {0: "town", 1: "name"}


def test_most_matches_wins_and_ties_go_to_the_earlier_row() -> None:
    rows = [(1, ("姓名", "单位")), (2, ("姓名", "单位", "身份证")), (3, ("姓名", "单位", "身份证"))]
    assert find_header(rows, WORKER_FIELDS).row_number == 2


def test_scan_limit() -> None:
    rows = [(i, (f"说明{i}",)) for i in range(1, 21)] + [(21, ("姓名", "身份证号", "单位"))]
    assert find_header(rows, WORKER_FIELDS).row_number == 1  # beyond the default 15 rows: nothing found
    assert find_header(rows, WORKER_FIELDS, scan=25).row_number == 21


def test_no_header_at_all() -> None:
    match = find_header([(5, ("a", "b")), (6, ("c", "d"))], WORKER_FIELDS)
    assert (match.row_number, match.index, match.mapping) == (5, 0, {})
    assert match.unmapped == [(0, "a"), (1, "b")]
    assert match.missing_required == ["name", "id_number", "employer_id"]
    empty = find_header([], WORKER_FIELDS)
    assert (empty.row_number, empty.index) == (0, -1)
    assert apply_mapping([], empty) == []


# ------------------------------------------------------------------------------------------
# apply_mapping
# ------------------------------------------------------------------------------------------


def test_apply_mapping_rows_after_header() -> None:
    rows = messy_rows()
    match = find_header(rows, WORKER_FIELDS)
    out = apply_mapping(rows, match)
    assert [n for n, _ in out] == [4, 5, 10]  # row 7 has nothing mapped, row 9 repeats the header
    assert out[0][1] == {"name": "张三", "id_number": 3.302811990010112e17, "employer_id": "甲公司",
                         "joined_on": "2024.3.5", "phone": "13800000000"}
    assert out[1][1] == {"name": "李四", "id_number": "33028119900202123X", "employer_id": "甲公司",
                         "joined_on": None, "phone": None}  # short row: every mapped key present


def test_apply_mapping_override() -> None:
    rows = messy_rows()
    match = find_header(rows, WORKER_FIELDS)
    override: dict[int, str | None] = {5: None, 6: "phone", 0: "card_no"}
    assert effective_mapping(match, override) == {0: "card_no", 1: "name", 2: "id_number", 3: "employer_id",
                                                  4: "joined_on", 6: "phone"}
    out = dict(apply_mapping(rows, match, override))
    assert out[10]["phone"] == "x" and out[10]["card_no"] == 3
    assert 7 in out  # column 6 is mapped now, so row 7 has data
    # giving a field to another column takes it from the first
    moved = effective_mapping(match, {6: "name"})
    assert moved[6] == "name" and 1 not in moved
    assert match.mapping[1] == "name"  # the match itself is untouched


def test_apply_mapping_reads_a_real_messy_workbook(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append([TITLE])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "姓 名", "身份证号码\n（18位）", "单位", "出生年月", "备注"])
    ws.append([1, "张三", "330281199001011234", "甲公司", "1990.01", None])
    ws.append([2, "李四", "33028119900202123X", None, None, None])
    ws.append([None] * 6)
    ws.append([3, "王五", "330281199003031234", None, None, "调入"])
    ws.merge_cells("D3:D6")
    wb.save(tmp_path / "r.xlsx")
    data = read_sheet(tmp_path / "r.xlsx")
    match = find_header(data.rows, WORKER_FIELDS)
    assert match.row_number == 2
    out = apply_mapping(data.rows, match)
    assert [(n, r["name"], r["employer_id"]) for n, r in out] == [(3, "张三", "甲公司"), (4, "李四", "甲公司"),
                                                                 (6, "王五", "甲公司")]


# ------------------------------------------------------------------------------------------
# header_signature
# ------------------------------------------------------------------------------------------


def test_header_signature_is_stable_across_spelling() -> None:
    a = header_signature(["序号", "姓 名", "身份证号码（18位）", "单位", None, ""])
    b = header_signature(["序号", "姓名", "身份证号码(18位)", "单位"])
    c = header_signature(["序号", "姓\n名", "身份证号码（１８位）", "  单位  "])
    assert a == b == c
    assert a != header_signature(["姓名", "序号", "身份证号码（18位）", "单位"])  # order matters
    assert a != header_signature(["序号", "姓名", "身份证号码", "单位"])  # notes kept: a different layout
    assert len(a) == 20 and a == header_signature(["序号", "姓 名", "身份证号码（18位）", "单位"])


# ------------------------------------------------------------------------------------------
# property: any arrangement of the fields' own names is recognised
# ------------------------------------------------------------------------------------------


@st.composite
def header_rows(draw: st.DrawFn) -> tuple[list[object], dict[int, str]]:
    chosen = draw(st.lists(st.sampled_from(WORKER_FIELDS), min_size=1, unique_by=lambda f: f.key))
    cells: list[object] = []
    expected: dict[int, str] = {}
    for f in chosen:
        name = draw(st.sampled_from((f.label, *f.synonyms)))
        decorate = draw(st.sampled_from(["{}", "*{}", "{}：", " {} ", "{}\n", "{}（必填）", "　{}"]))
        if draw(st.booleans()):
            cells.append(draw(st.sampled_from([None, "", "序号", "备注栏"])))
        expected[len(cells)] = f.key
        cells.append(decorate.format(name))
    return cells, expected


@settings(max_examples=200, deadline=None)
@given(header_rows(), st.integers(min_value=0, max_value=3))
def test_any_arrangement_of_names_is_recognised(row: tuple[list[object], dict[int, str]], title_rows: int) -> None:
    cells, expected = row
    rows: list[tuple[int, tuple[object, ...]]] = [(i + 1, (TITLE,) * max(1, len(cells))) for i in range(title_rows)]
    rows.append((title_rows + 1, tuple(cells)))
    match = find_header(rows, WORKER_FIELDS)
    if len(expected) >= 2:  # a single field could tie with the title row
        assert match.row_number == title_rows + 1
    if match.row_number == title_rows + 1:
        assert match.mapping == expected


# ------------------------------------------------------------------------------------------
# the names a column goes by are declared once, on the model's field
# ------------------------------------------------------------------------------------------


def test_register_header_list_comes_from_the_field_declarations() -> None:
    from db.fields import describe
    from db.models.core.registers import Organisation, Worker
    from desktop.importing.headers import header_fields

    for model in (Worker, Organisation):
        fields = header_fields(model)
        assert [(f.key, f.label, f.required) for f in fields] == [
            (c.name, c.label, c.field.required) for c in describe(model)]
        for f, c in zip(fields, describe(model), strict=True):
            assert (f.label, *f.synonyms) == c.field.names  # the label first, then the declared synonyms
    id_field = next(f for f in header_fields(Worker) if f.key == "id_number")
    assert len(id_field.synonyms) == 6 and "公民身份号码" in id_field.synonyms


def test_header_field_for_another_importer_adds_its_own_words() -> None:
    from db.models.core.registers import Worker
    from desktop.importing.headers import header_field, header_fields

    unit = header_field(Worker, "employer_id", key="unit", extra=("推荐单位", "单位"), required=False)
    assert unit.key == "unit" and unit.label == "工作单位" and not unit.required
    assert unit.synonyms[-1] == "推荐单位" and unit.synonyms.count("单位") == 1
    assert header_field(Worker, "id_number").required  # the register requires it unless told otherwise
    assert [f.key for f in header_fields(Worker, ["phone", "name"])] == ["phone", "name"]
    match = find_header([(1, ("推荐单位", "公民身份号码", "姓名"))], [
        unit, header_field(Worker, "id_number", required=False), header_field(Worker, "name")])
    assert match.mapping == {0: "unit", 1: "id_number", 2: "name"}


def test_every_importer_reads_the_worker_columns_from_the_register() -> None:
    """身份证号 had 6, 5 and 4 synonyms in three importers; now every one reads the field's."""
    from db.fields import column
    from db.models.core.registers import Worker
    from desktop.certificates import sources
    from desktop.programmes.competitions import importing

    declared = column(Worker, "id_number").field.names
    for fields in (sources.SHEET_FIELDS, importing.SHEET_FIELDS):
        by_key = {f.key: f for f in fields}
        assert (by_key["id_number"].label, *by_key["id_number"].synonyms) == declared
        assert set(column(Worker, "name").field.names) <= {by_key["name"].label, *by_key["name"].synonyms}
        assert set(column(Worker, "employer_id").field.names) <= {by_key["unit"].label, *by_key["unit"].synonyms}
        assert not by_key["id_number"].required


def test_no_worker_synonym_is_typed_outside_its_field() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    declared_in = root / "db" / "models" / "core" / "registers.py"
    found = [str(p.relative_to(root)) for folder in ("desktop", "ui", "db", "reports")
             for p in (root / folder).rglob("*.py")
             if p != declared_in and any(w in p.read_text(encoding="utf-8") for w in ('"公民身份号码"', '"居民身份证号"'))]
    assert found == []


def test_synonyms_must_be_a_tuple_of_text() -> None:
    from db.fields import field

    assert field("姓名", synonyms=["名字"])["field"].synonyms == ("名字",)
    assert field("姓名", synonyms=("姓名", "名字"))["field"].names == ("姓名", "名字")
    with pytest.raises(TypeError):
        field("姓名", synonyms="名字")  # a bare string would be read as the synonyms 名 and 字
