"""Printed reports (PDF) and Excel workbooks from a TableReport; fonts. No Qt.

The PDF checks read the files back with poppler (``pdffonts``, ``pdftotext``, ``pdfinfo``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from reports import Cancelled
from reports.cn_dates import date_cn
from reports.fonts import (
    BadFontFile,
    FontMissing,
    FontSet,
    char_map,
    covers,
    fallback_names,
    find_fonts,
    inspect_font_file,
    register_fonts,
    split_runs,
)
from reports.spec import ColumnSpec, TableReport, column_units, display_width, format_cell

BASE14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")

TITLE = "青石镇总工会会员花名册"
UNION = "青石镇总工会"
PRINTED = date(2026, 11, 20)
LONG_NOTE = "家庭困难，已纳入帮扶台账，每季度走访一次，并协助申请医疗互助补贴和子女助学金，跟踪落实情况"
RARE_NAMES = ("𠮷祥", "李䶮")  # U+20BB7 (outside the BMP) and U+4DAE (Extension A)
# candidates for a character the body font lacks but a rare-character font has
FALLBACK_PROBES = "\U0002a6a5\U00030edd\U0002b81d\U00020000\u9fd0\U0002ceb0"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} not found: sudo apt install poppler-utils")
    return path


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, encoding="utf-8").stdout


@pytest.fixture(scope="module")
def fallback_char(fontset: FontSet) -> str | None:
    """A character the body font lacks and a fallback font has (None if there is none)."""
    names = register_fonts(fontset)
    for ch in FALLBACK_PROBES:
        if not covers(names["body"], ch) and any(covers(f, ch) for f in fallback_names(fontset)):
            return ch
    return None


COLUMNS = [
    ColumnSpec("no", "序号", 4, "int"),
    ColumnSpec("name", "姓名", 8),
    ColumnSpec("sex", "性别", 4),
    ColumnSpec("id_number", "身份证号", 20, "id"),
    ColumnSpec("unit", "工作单位", 24),
    ColumnSpec("joined", "入会日期", 10, "date"),
    ColumnSpec("phone", "联系电话", 12, "id"),
    ColumnSpec("note", "备注", 16),
]


def make_report(n: int = 120, extra_name: str | None = None, **kw: object) -> TableReport:
    rows: list[list[object]] = []
    surnames, given = "王李张刘陈杨黄赵吴周", "伟芳娜秀英敏静丽强磊军洋"
    for i in range(n):
        name = surnames[i % 10] + given[(i * 7) % 12] + given[(i * 5) % 12]
        if i < len(RARE_NAMES):
            name = RARE_NAMES[i]
        elif i == 2 and extra_name:
            name = extra_name
        rows.append(
            [
                i + 1,
                name,
                "男女"[i % 2],
                f"32010219{70 + i % 30}0{1 + i % 9}1{i % 10}****",
                "青石镇社区卫生服务中心（东片区）" if i % 5 == 0 else "青石镇人民政府",
                date(2010 + i % 15, 1 + i % 12, 1 + i % 28),
                f"138****{1000 + i}",
                LONG_NOTE if i % 6 == 0 else None,
            ]
        )
    fields: dict[str, object] = {
        "subtitle": "（截至二〇二六年十月）",
        "printed_on": PRINTED,
        "footnote": "注：身份证号、联系电话已按规定隐去部分数字。",
    }
    fields.update(kw)
    return TableReport(TITLE, list(COLUMNS), rows, UNION, **fields)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def roster_pdf(
    tmp_path_factory: pytest.TempPathFactory, fontset: FontSet, fallback_char: str | None
) -> tuple[Path, int]:
    from reports.pdf_table import write_table_pdf

    path = tmp_path_factory.mktemp("pdf") / "花名册.pdf"
    pages = write_table_pdf(
        make_report(extra_name=f"王{fallback_char}" if fallback_char else None), path, fonts=fontset
    )
    return path, pages


# ----------------------------------------------------------------------------- PDF


def test_pdf_fonts_embedded_cjk_truetype_only(roster_pdf: tuple[Path, int]) -> None:
    path, _ = roster_pdf
    out = _run(_tool("pdffonts"), str(path)).splitlines()
    header = out[0].split()
    assert header[:2] == ["name", "type"]
    rows = [line for line in out[2:] if line.strip()]
    assert rows, "no fonts listed"
    for line in rows:
        name = line.split()[0]
        assert not any(b in name for b in BASE14), f"base-14 font in the PDF: {line}"
        assert "TrueType" in line, line
        # columns: name type encoding emb sub uni object ID
        emb, sub = line.split()[-5], line.split()[-4]
        assert (emb, sub) == ("yes", "yes"), f"font not embedded as a subset: {line}"


def test_pdf_text_extractable(roster_pdf: tuple[Path, int]) -> None:
    path, pages = roster_pdf
    assert pages >= 2
    text = _run(_tool("pdftotext"), "-raw", str(path), "-")
    assert TITLE in text
    assert UNION in text
    assert date_cn(PRINTED) == "二〇二六年十一月二十日"
    assert "二〇二六年十一月二十日" in text
    assert "（截至二〇二六年十月）" in text
    assert f"第 1 页 共 {pages} 页" in text
    assert f"第 {pages} 页 共 {pages} 页" in text
    assert "李䶮" in text
    ordinary = make_report().rows[10][1]
    assert isinstance(ordinary, str) and ordinary in text  # an ordinary name
    assert "2010-01-01" in text  # dates as 2024-03-05
    assert "32010219700110****" in text
    assert "注：身份证号、联系电话已按规定隐去部分数字。" in text
    # long text wraps inside its cell, nothing is lost
    assert LONG_NOTE in re.sub(r"\s+", "", text)
    info = _run(_tool("pdfinfo"), str(path))
    assert re.search(rf"Pages:\s+{pages}\b", info)
    assert "青石镇总工会会员花名册" in info  # document title


def test_pdf_text_outside_bmp_extractable(roster_pdf: tuple[Path, int]) -> None:
    path, _ = roster_pdf
    text = _run(_tool("pdftotext"), "-raw", str(path), "-")
    assert "𠮷祥" in text


def test_pdf_header_row_on_every_page(roster_pdf: tuple[Path, int]) -> None:
    path, pages = roster_pdf
    for page in (2, pages):
        text = _run(_tool("pdftotext"), "-raw", "-f", str(page), "-l", str(page), str(path), "-")
        for col in COLUMNS:
            assert col.label in text, f"header {col.label} missing on page {page}"
        assert f"第 {page} 页 共 {pages} 页" in text
        assert TITLE not in text  # the title block is on page one only


def test_pdf_rare_character_drawn_from_fallback_font(
    roster_pdf: tuple[Path, int], fontset: FontSet, fallback_char: str | None
) -> None:
    if fallback_char is None:
        pytest.skip("no rare-character font (sudo apt install fonts-hanazono)")
    names = register_fonts(fontset)
    runs = split_runs(f"王{fallback_char}", names["body"], fallback_names(fontset))
    assert runs[0] == (names["body"], "王")
    assert runs[1][1] == fallback_char and runs[1][0] != names["body"]
    face = {f.font_name: f for f in (fontset.title, fontset.name, fontset.body, *fontset.rare)}[runs[1][0]]
    listed = _run(_tool("pdffonts"), str(roster_pdf[0]))
    ps_name = Path(face.path).stem.replace(" ", "")
    assert any(ps_name.lower()[:6] in line.lower() for line in listed.splitlines()[2:]), listed


def test_pdf_render_page(roster_pdf: tuple[Path, int], tmp_path: Path) -> None:
    """Rasterises cleanly (the page was also inspected by eye at 60 dpi)."""
    path, _ = roster_pdf
    subprocess.run(
        [_tool("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
        capture_output=True,
    )
    pngs = list(tmp_path.glob("page*.png"))
    assert len(pngs) == 1 and pngs[0].stat().st_size > 10_000


def _page_size(path: Path) -> tuple[float, float]:
    info = _run(_tool("pdfinfo"), str(path))
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert m, info
    return float(m.group(1)), float(m.group(2))


def test_pdf_orientation(tmp_path: Path, fontset: FontSet) -> None:
    from reports.pdf_table import write_table_pdf

    narrow = TableReport(
        "名单", [ColumnSpec("n", "姓名", 8), ColumnSpec("u", "单位", 20)], [["张三", "青石镇"]], UNION
    )
    write_table_pdf(narrow, tmp_path / "narrow.pdf", fonts=fontset)
    w, h = _page_size(tmp_path / "narrow.pdf")
    assert w < h  # portrait A4
    assert round(w) == 595 and round(h) == 842

    write_table_pdf(make_report(5), tmp_path / "wide.pdf", fonts=fontset)
    w, h = _page_size(tmp_path / "wide.pdf")
    assert w > h  # the roster is too wide for portrait

    write_table_pdf(make_report(5, landscape=False), tmp_path / "forced.pdf", fonts=fontset)
    w, h = _page_size(tmp_path / "forced.pdf")
    assert w < h


def test_pdf_empty_report(tmp_path: Path, fontset: FontSet) -> None:
    from reports.pdf_table import write_table_pdf

    path = tmp_path / "empty.pdf"
    assert write_table_pdf(make_report(0), path, fonts=fontset) == 1
    text = _run(_tool("pdftotext"), "-raw", str(path), "-")
    assert "无记录" in text and "身份证号" in text and "第 1 页 共 1 页" in text


def test_pdf_giant_cell_is_cut_to_fit_a_page(tmp_path: Path, fontset: FontSet) -> None:
    from reports.pdf_table import write_table_pdf

    report = make_report(3)
    report.rows[1][7] = "很长的情况说明。" * 800  # taller than a page when wrapped
    pages = write_table_pdf(report, tmp_path / "giant.pdf", fonts=fontset)
    assert 1 <= pages <= 3
    assert "……" in _run(_tool("pdftotext"), "-raw", str(tmp_path / "giant.pdf"), "-")


def test_pdf_markup_characters_are_text(tmp_path: Path, fontset: FontSet) -> None:
    from reports.pdf_table import write_table_pdf

    report = make_report(2)
    report.rows[0][7] = "<b>不是标签</b> & 5 > 3 " + "说明" * 20  # long: goes through a Paragraph
    write_table_pdf(report, tmp_path / "markup.pdf", fonts=fontset)
    text = re.sub(r"\s+", "", _run(_tool("pdftotext"), "-raw", str(tmp_path / "markup.pdf"), "-"))
    assert "<b>不是标签</b>&5>3" in text


def test_pdf_progress_and_cancel(tmp_path: Path, fontset: FontSet) -> None:
    from reports.pdf_table import write_table_pdf

    calls: list[tuple[int, int]] = []
    path = tmp_path / "p.pdf"
    write_table_pdf(make_report(300), path, fonts=fontset, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (300, 300)
    assert all(t == 300 for _, t in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)

    # cancelled while drawing: Cancelled, the old file untouched, no temporary left behind
    path.write_bytes(b"old")
    polls = iter(range(10_000))
    with pytest.raises(Cancelled):
        write_table_pdf(make_report(300), path, fonts=fontset, cancelled=lambda: next(polls) > 3)
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.pdf"]

    # cancelled at once: nothing is written at all
    with pytest.raises(Cancelled):
        write_table_pdf(make_report(10), tmp_path / "new.pdf", fonts=fontset, cancelled=lambda: True)
    assert not (tmp_path / "new.pdf").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.pdf"]


def test_pdf_bad_row_names_the_row(tmp_path: Path, fontset: FontSet) -> None:
    from reports.pdf_table import write_table_pdf

    report = make_report(5)
    report.rows[3] = report.rows[3][:-1]
    with pytest.raises(ValueError, match="第 4 行"):
        write_table_pdf(report, tmp_path / "bad.pdf", fonts=fontset)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------- xlsx


def test_xlsx_round_trip(tmp_path: Path) -> None:
    import openpyxl

    from reports.xlsx import write_table_xlsx

    report = make_report(30)
    tricky = ["=1+1", "+8613800000000", "-5", "@SUM(A1:A2)", '=HYPERLINK("http://x")']
    for i, value in enumerate(tricky):
        report.rows[5 + i][7] = value
    report.rows[10][3] = 320102197001011234  # an ID handed over as a number stays text
    path = tmp_path / "花名册.xlsx"
    write_table_xlsx(report, path)

    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert ws.title == TITLE
    assert ws["A1"].value == TITLE and ws["A1"].font.b and ws["A1"].font.sz > 11
    assert "A1:H1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "（截至二〇二六年十月）"
    assert ws["A3"].value == UNION
    assert date_cn(PRINTED) in [c.value for c in ws[3]]
    header = [c.value for c in ws[4]]
    assert header == [c.label for c in COLUMNS]
    assert all(c.font.b for c in ws[4])
    assert ws.freeze_panes == "A5"
    assert ws.print_title_rows == "$4:$4"
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0

    first = [c for c in ws[5]]
    assert first[0].value == 1 and first[0].data_type == "n"
    assert first[1].value == "𠮷祥"
    assert first[3].value == "32010219700110****" and first[3].data_type == "s"
    assert first[3].number_format == "@"
    assert isinstance(first[5].value, datetime) and first[5].value.date() == date(2010, 1, 1)
    assert first[5].number_format == "yyyy-mm-dd"
    assert first[7].value == LONG_NOTE

    for i, value in enumerate(tricky):
        cell = ws.cell(row=5 + 5 + i, column=8)
        assert cell.value == value and cell.data_type == "s", (value, cell.value, cell.data_type)
    id_cell = ws.cell(row=5 + 10, column=4)
    assert id_cell.value == "320102197001011234" and id_cell.data_type == "s"

    widths = column_units(report)
    assert ws.column_dimensions["D"].width >= widths[3] >= 20
    assert ws.column_dimensions["B"].width >= display_width("姓名")
    # the footnote sits under the table
    assert ws.cell(row=4 + 30 + 2, column=1).value == "注：身份证号、联系电话已按规定隐去部分数字。"


def test_xlsx_formulas_never_written(tmp_path: Path) -> None:
    import zipfile

    from reports.xlsx import write_table_xlsx

    report = make_report(3)
    report.rows[0][1] = "=1+1"
    write_table_xlsx(report, tmp_path / "f.xlsx")
    with zipfile.ZipFile(tmp_path / "f.xlsx") as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet


def test_xlsx_portrait_small_table_and_control_characters(tmp_path: Path) -> None:
    import openpyxl

    from reports.xlsx import write_table_xlsx

    report = TableReport("名单：第[1]批", [ColumnSpec("n", "姓名", 8)], [["张\x07三"], [None]], UNION)
    write_table_xlsx(report, tmp_path / "s.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    assert ws.title == "名单：第 1 批"
    assert ws.page_setup.orientation == "portrait"
    assert ws.freeze_panes == "A4"  # no subtitle row
    assert ws["A4"].value == "张三"


def test_xlsx_progress_and_cancel(tmp_path: Path) -> None:
    from reports.xlsx import write_table_xlsx

    calls: list[tuple[int, int]] = []
    path = tmp_path / "x.xlsx"
    write_table_xlsx(make_report(1200), path, progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (0, 1200) and calls[-1] == (1200, 1200)

    path.write_bytes(b"old")
    polls = iter(range(100))
    with pytest.raises(Cancelled):
        write_table_xlsx(make_report(1200), path, cancelled=lambda: next(polls) >= 2)
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.xlsx"]


# --------------------------------------------------------------------------- spec


def test_spec_formatting() -> None:
    assert format_cell(date(2024, 3, 5), "date") == "2024-03-05"
    assert format_cell(datetime(2024, 3, 5, 9, 7)) == "2024-03-05 09:07"
    assert format_cell(None) == ""
    assert format_cell(1234.5, "amount") == "1,234.50"
    assert format_cell(3.0) == "3"
    assert format_cell(True) == "是"
    assert display_width("张三ab") == 6
    with pytest.raises(ValueError, match="类型"):
        ColumnSpec("x", "某列", kind="money")


def test_column_units_grow_to_label_and_contents() -> None:
    report = TableReport(
        "表",
        [ColumnSpec("a", "很长很长的列标题", 4), ColumnSpec("b", "号", 2, "int"), ColumnSpec("c", "说明", 4)],
        [["x", i, "短"] for i in range(5000)] + [["x", 123456, "一" * 100]],
        UNION,
    )
    units = column_units(report)
    assert units[0] >= display_width("很长很长的列标题")
    assert units[1] >= 6  # the last row's number was sampled
    assert units[2] <= 30  # long contents widen a column only so far


# -------------------------------------------------------------------------- fonts


def test_fonts_are_truetype_with_roles(fontset: FontSet) -> None:
    for face in (fontset.title, fontset.name, fontset.body, *fontset.rare):
        with open(face.path, "rb") as f:
            assert f.read(4) in (b"\x00\x01\x00\x00", b"true", b"ttcf")
    names = register_fonts(fontset)
    assert set(names) == {"title", "name", "body", "rare"}
    assert register_fonts(fontset) == names  # registered once, same names
    assert covers(names["body"], "张") and covers(names["body"], "〇")
    assert char_map(names["body"])
    assert fontset.describe()


def test_split_runs_keeps_primary_and_variation_selectors(fontset: FontSet) -> None:
    names = register_fonts(fontset)
    body = names["body"]
    assert split_runs("", body, []) == []
    assert split_runs("张三 ABC", body, fallback_names(fontset)) == [(body, "张三 ABC")]
    # a variation selector stays with the character before it
    runs = split_runs("葛\U000e0100张", body, fallback_names(fontset))
    assert "".join(t for _, t in runs) == "葛\U000e0100张"
    assert runs[0][1].startswith("葛\U000e0100")


def test_override_wins_and_bad_files_are_refused(fontset: FontSet, tmp_path: Path) -> None:
    chosen = fontset.rare[0].path if fontset.rare else fontset.title.path
    fs = find_fonts({"body": chosen, "title": ""})
    assert fs.body.path == chosen and "body" in fs.overridden

    otf = tmp_path / "NotoSansCJK.otf"
    otf.write_bytes(b"OTTO" + b"\0" * 200)
    with pytest.raises(BadFontFile, match="TrueType"):
        inspect_font_file(otf)
    with pytest.raises(BadFontFile, match="TrueType"):
        find_fonts({"body": str(otf)})
    with pytest.raises(BadFontFile, match="找不到"):
        find_fonts({"name": str(tmp_path / "missing.ttf")})


def test_font_missing_names_the_package(tmp_path: Path) -> None:
    (tmp_path / "NotoSansCJK-Regular.ttc").write_bytes(
        b"ttcf\x00\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x10OTTO"
    )
    with pytest.raises(FontMissing) as err:
        find_fonts(search_dirs=[tmp_path])
    message = str(err.value)
    assert "字体" in message
    import sys

    if sys.platform == "win32":
        assert "宋体" in message
    else:
        assert "sudo apt install fonts-lxgw-wenkai" in message


def test_write_pdf_without_fonts_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reports.pdf_table as pdf_table

    def no_fonts(*_a: object, **_k: object) -> FontSet:
        raise FontMissing()

    monkeypatch.setattr(pdf_table, "find_fonts", no_fonts)
    with pytest.raises(FontMissing, match="字体"):
        pdf_table.write_table_pdf(make_report(2), tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == []


def test_output_file_mode_and_missing_folder(tmp_path: Path) -> None:
    import os
    import stat

    from reports import atomic_output
    from reports.xlsx import write_table_xlsx

    path = tmp_path / "m.xlsx"
    write_table_xlsx(make_report(2), path)
    if os.name == "posix":
        umask = os.umask(0o022)
        os.umask(umask)
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask  # not mkstemp's 0600
    with pytest.raises(FileNotFoundError, match="文件夹不存在"), atomic_output(tmp_path / "no" / "x.pdf"):
        pass
