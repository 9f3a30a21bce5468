"""The plain-workbook reader (desktop.importing.readers.xlsx_plain) gives exactly what openpyxl's
path gives, or steps aside: messy workbooks read both ways and compared cell by cell."""

from __future__ import annotations

import random
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from desktop.importing.readers import SheetData, read_sheet, xlsx
from desktop.importing.readers.xlsx_plain import NotPlain, read_plain_cells


def both_ways(path: Path, monkeypatch: pytest.MonkeyPatch, sheet: str | None = None) -> tuple[SheetData, SheetData]:
    fast = read_sheet(path, sheet)
    with monkeypatch.context() as m:
        m.setattr(xlsx, "_read_plain", lambda *_a, **_k: None)
        slow = read_sheet(path, sheet)
    return fast, slow


def same(a: SheetData, b: SheetData) -> None:
    assert (a.name, a.sheet_names, a.columns) == (b.name, b.sheet_names, b.columns)
    assert len(a.rows) == len(b.rows)
    for (na, ra), (nb, rb) in zip(a.rows, b.rows, strict=True):
        assert na == nb
        assert [(type(x), x) for x in ra] == [(type(y), y) for y in rb], f"row {na}"


def took_plain_path(path: Path) -> bool:
    with zipfile.ZipFile(path) as zf:
        try:
            found = read_plain_cells(zf, lambda names, visible: visible.index(True))
            list(found.rows())
        except NotPlain:
            return False
    return True


def messy_book(path: Path, rng: random.Random) -> None:
    wb = Workbook()
    hidden = wb.active
    assert hidden is not None
    hidden.title = "说明"
    hidden["A1"] = "这张表不导入"
    hidden.sheet_state = "hidden"
    ws = wb.create_sheet("获奖名单")
    ws.append(["二〇二六年宁海县职工职业技能竞赛获奖人员名单"])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "姓名", " 身份证号 ", "工作单位", "奖项", "成绩"])
    names = ["阿卜杜·热合曼·买买提", "欧阳𠮷", "王　芳", " 李四 ", "张三\n", "䶮堃喆"]
    for i in range(1, 40):
        row: list[Any] = [
            i if rng.random() < 0.8 else f"{i}",
            rng.choice(names),
            rng.choice([110101199003077777, "11010119900307777X", "110101 19900307 7777", 1.10101199003077e17, None]),
            rng.choice(["宁海县跃龙模具有限公司", "x005F_x000D_ 单位", "", "   ", "&lt;单位&gt; & <b>"]),
            rng.choice(["一等奖", True, False, 0, -1.5, 3.14159265358979]),
            rng.choice([95.33, 1e-7, 12345678901234567890, "95.33", None]),
        ]
        ws.append(row)
        if rng.random() < 0.1:
            ws.append([])  # a blank row
    rich = CellRichText(TextBlock(InlineFont(b=True), "富"), "文本")
    ws.cell(row=60, column=2, value=rich)
    ws.cell(row=61, column=30, value="远处的格")
    wb.save(path)


@pytest.mark.parametrize("seed", range(8))
def test_messy_plain_workbooks_read_the_same_both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        seed: int) -> None:
    path = tmp_path / f"名单{seed}.xlsx"
    messy_book(path, random.Random(seed))
    assert took_plain_path(path)
    fast, slow = both_ways(path, monkeypatch)
    same(fast, slow)
    assert fast.name == "获奖名单" and fast.rows[0][1][0].startswith("二〇二六年")


def test_dates_and_formats_step_aside_to_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "出生日期", "入会时间", "比例"])
    ws.append(["张三", date(1990, 3, 7), datetime(2024, 10, 20, 9, 30), 0.25])
    ws["D2"].number_format = "0.0%"
    path = tmp_path / "日期.xlsx"
    wb.save(path)
    assert not took_plain_path(path)
    fast, slow = both_ways(path, monkeypatch)
    same(fast, slow)
    assert fast.rows[1][1][1] == date(1990, 3, 7) or fast.rows[1][1][1] == datetime(1990, 3, 7)


def test_a_named_sheet_and_a_missing_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "名单.xlsx"
    messy_book(path, random.Random(1))
    fast, slow = both_ways(path, monkeypatch, sheet="说明")
    same(fast, slow)
    from desktop.importing.readers import ReadError

    with pytest.raises(ReadError) as fast_error:
        read_sheet(path, "没有这张表")
    with monkeypatch.context() as m:
        m.setattr(xlsx, "_read_plain", lambda *_a, **_k: None)
        with pytest.raises(ReadError) as slow_error:
            read_sheet(path, "没有这张表")
    assert (fast_error.value.code, fast_error.value.message) == (slow_error.value.code, slow_error.value.message)


CT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""
STYLES = """<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="176" formatCode="@"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="176" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
</styleSheet>"""
#: as Excel and WPS write them: rich runs with phonetic hints, a space kept, an escaped control character
SHARED = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="6" uniqueCount="6">
<si><t>姓名</t></si><si><t>身份证号</t></si>
<si><r><rPr><b/><sz val="11"/></rPr><t>欧阳</t></r><r><t xml:space="preserve">𠮷 </t></r><rPh sb="0" eb="2"><t>オウヨウ</t></rPh><phoneticPr fontId="1"/></si>
<si><t>11010119900307777X</t></si><si><t>行一_x000D_行二</t></si><si><t xml:space="preserve">  </t></si>
</sst>"""
SHEET = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<dimension ref="A1:D3"/><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>成绩</t></is></c><c r="D1" t="str"><f>"备"&amp;"注"</f><v>备注</v></c></row>
<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" s="1" t="s"><v>3</v></c><c r="C2"><v>95.329999999999998</v></c><c r="D2" t="b"><v>1</v></c></row>
<row r="3"><c r="A3" t="s"><v>4</v></c><c r="B3" s="2"><v>1.10101199003078E+17</v></c><c r="C3" t="e"><v>#N/A</v></c><c r="D3" t="s"><v>5</v></c></row>
<row r="5"><c t="inlineStr"><is><t>无地址的格</t></is></c><c><v>7</v></c></row>
</sheetData><mergeCells count="1"><mergeCell ref="C3:D3"/></mergeCells></worksheet>"""


#: the same styles with the text format as the built-in 49 only: nothing makes the workbook not plain
PLAIN_STYLES = STYLES.replace('<numFmts count="1"><numFmt numFmtId="176" formatCode="@"/></numFmts>', "") \
    .replace('numFmtId="176"', 'numFmtId="49"')


@pytest.mark.parametrize(("styles", "plain"), [(STYLES, False), (PLAIN_STYLES, True)])
def test_a_workbook_as_excel_and_wps_write_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, styles: str,
                                              plain: bool) -> None:
    path = tmp_path / "excel.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("[Content_Types].xml", CT), ("_rels/.rels", RELS), ("xl/workbook.xml", WORKBOOK),
                           ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS), ("xl/styles.xml", styles),
                           ("xl/sharedStrings.xml", SHARED), ("xl/worksheets/sheet1.xml", SHEET)):
            zf.writestr(name, text)
    assert took_plain_path(path) is plain  # a custom number format anywhere: openpyxl reads it
    fast, slow = both_ways(path, monkeypatch)
    same(fast, slow)
    assert fast.rows[1][1][:2] == ("欧阳𠮷 ", "11010119900307777X")  # the phonetic hint is not part of the name
    assert fast.rows[-1] == (5, ("无地址的格", 7))  # cells without a reference follow on in their row
