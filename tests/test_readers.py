"""desktop.importing.readers: every format, messy layouts, and hostile or broken files.

Fixtures are built here: workbooks with openpyxl, .xls files with a small BIFF8 writer inside
an OLE2 compound-file writer (xlwt is not a dependency), zip and XML bombs by hand.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import struct
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from desktop.importing import readers
from desktop.importing.readers import ReadError, SheetData, read_sheet

# ------------------------------------------------------------------------------------------
# fixture builders
# ------------------------------------------------------------------------------------------

TITLE = "2024年XX镇职工花名册"
HEADER = ["序号", "姓 名", "公民身份号码", "工作\n单位", "入会时间", "手机", "备注"]


def messy_workbook(path: Path) -> Path:
    """A roster as clerks make them: hidden first sheet, merged title, subtitle, blank rows."""
    wb = Workbook()
    notes = wb.active
    notes.title = "填表说明"
    notes.append(["请勿修改本表格式"])
    notes.sheet_state = "hidden"
    ws = wb.create_sheet("花名册")
    ws.append([TITLE])                                           # row 1, merged A1:G1
    ws.merge_cells("A1:G1")
    ws.append(["填报单位：XX镇总工会", None, None, None, "填报日期：2024年3月"])  # row 2
    ws.append(HEADER)                                            # row 3
    ws.append([1, "张三", 330281199001011234, "甲公司", "2024.3.5", "13800000000", None])  # row 4
    ws.append([2, "李四", "33028119900202123X", None, datetime(2024, 3, 5), None, None])    # row 5
    ws.append([None, None, None, None, None, None, None])        # row 6: blank
    ws.append([None, "  ", "\u3000", None, None, None, None])    # row 7: whitespace only
    ws.append([3, "王五", 3.30281199003031e17, None, 45356, 13900000000, "ID 被 Excel 改成了数字"])  # row 8
    ws.merge_cells("D4:D8")                                      # employer merged over rows 4-8
    ws.append([4, "赵六", "330281199004041234", "乙公司", date(2023, 1, 2), None, True])  # row 9
    wb.save(path)
    return path


def rewrite_zip_member(src: Path, dst: Path, member: str, data: bytes) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, data if info.filename == member else zin.read(info.filename))


def simple_xlsx(path: Path, rows: Iterable[Iterable[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_RNS = b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_PKG = b"http://schemas.openxmlformats.org/package/2006"
_OFFICE_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def minimal_xlsx(path: Path, *, shared_strings: bytes | None = None, sheet_data: bytes | None = None) -> Path:
    """A hand-written workbook: one sheet, shared strings; parts replaceable for attacks."""
    sst = shared_strings if shared_strings is not None else (
        b'<?xml version="1.0" encoding="UTF-8"?><sst ' + _NS + b'><si><t>\xe5\xa7\x93\xe5\x90\x8d</t></si>'
        b"<si><t>\xe5\xbc\xa0\xe4\xb8\x89</t></si></sst>")
    data = sheet_data if sheet_data is not None else (
        b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>42</v></c></row>'
        b'<row r="3"><c r="A3" t="s"><v>1</v></c></row>')
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="' + _PKG + b'/content-types">'
        b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sheet.main+xml"/>'
        b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.worksheet+xml"/>'
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="' + _PKG
        + b'/relationships"><Relationship Id="rId1" Type="' + _OFFICE_REL
        + b'/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook ' + _NS + b" " + _RNS
        + b'><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="' + _PKG
        + b'/relationships"><Relationship Id="rId1" Type="' + _OFFICE_REL
        + b'/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="' + _OFFICE_REL
        + b'/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + _NS
        + b"><sheetData>" + data + b"</sheetData></worksheet>",
        "xl/sharedStrings.xml": sst,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, payload in parts.items():
            z.writestr(name, payload)
    return path


# --- OLE2 compound file writer (version 3, 512-byte sectors, mini stream for small streams) ---

ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def make_cfb(streams: dict[str, bytes]) -> bytes:
    """A compound file holding ``streams`` (all in the root storage)."""
    sec = 512
    names = list(streams)
    big = {n: d for n, d in streams.items() if len(d) >= 4096}
    small = {n: d for n, d in streams.items() if len(d) < 4096}
    # mini stream: 64-byte mini sectors
    mini_data = b""
    mini_start: dict[str, int] = {}
    minifat: list[int] = []
    for n, d in small.items():
        count = max(1, -(-len(d) // 64))
        mini_start[n] = len(minifat)
        minifat.extend(range(len(minifat) + 1, len(minifat) + count))
        minifat.append(ENDOFCHAIN)
        mini_data += d.ljust(count * 64, b"\0")
    # regular sectors: [FAT...][directory][minifat][mini stream container][big streams]
    n_entries = 1 + len(names)
    dir_secs = -(-n_entries * 128 // sec)
    minifat_secs = -(-len(minifat) * 4 // sec) if minifat else 0
    container_secs = -(-len(mini_data) // sec) if mini_data else 0
    big_secs = {n: -(-len(d) // sec) for n, d in big.items()}
    body = dir_secs + minifat_secs + container_secs + sum(big_secs.values())
    fat_secs = 1
    while fat_secs * (sec // 4) < fat_secs + body:
        fat_secs += 1
    fat = [FATSECT] * fat_secs
    sectors: list[bytes] = []

    def chain(count: int) -> int:
        start = len(fat)
        fat.extend(range(start + 1, start + count))
        fat.append(ENDOFCHAIN)
        return start

    dir_start = chain(dir_secs)
    minifat_start = chain(minifat_secs) if minifat_secs else ENDOFCHAIN
    container_start = chain(container_secs) if container_secs else ENDOFCHAIN
    big_start = {n: chain(c) for n, c in big_secs.items()}

    def entry(name: str, kind: int, start: int, size: int, right: int = NOSTREAM, child: int = NOSTREAM) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
                + struct.pack("<III", NOSTREAM, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
                + struct.pack("<III", start, size, 0))

    entries = [entry("Root Entry", 5, container_start, len(mini_data), child=1 if names else NOSTREAM)]
    for i, n in enumerate(names):
        right = i + 2 if i + 1 < len(names) else NOSTREAM
        if n in big:
            entries.append(entry(n, 2, big_start[n], len(big[n]), right=right))
        else:
            entries.append(entry(n, 2, mini_start[n], len(small[n]), right=right))
    directory = b"".join(entries).ljust(dir_secs * sec, b"\0")
    sectors.append(directory)
    if minifat_secs:
        sectors.append(struct.pack(f"<{len(minifat)}I", *minifat).ljust(minifat_secs * sec, b"\xff"))
    if container_secs:
        sectors.append(mini_data.ljust(container_secs * sec, b"\0"))
    for n in big:
        sectors.append(big[n].ljust(big_secs[n] * sec, b"\0"))
    fat.extend([FREESECT] * (fat_secs * (sec // 4) - len(fat)))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    difat = list(range(fat_secs)) + [FREESECT] * (109 - fat_secs)
    header = (readers.OLE_MAGIC + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, fat_secs, dir_start, 0, 4096, minifat_start, minifat_secs,
                            ENDOFCHAIN, 0)
              + struct.pack("<109I", *difat))
    assert len(header) == 512
    return header + fat_bytes + b"".join(sectors)


# --- BIFF8 writer: just the records xlrd needs ---

def _rec(rtype: int, payload: bytes = b"") -> bytes:
    return struct.pack("<HH", rtype, len(payload)) + payload


def _ustr(text: str, lenlen: int = 2) -> bytes:
    return struct.pack("<H" if lenlen == 2 else "<B", len(text)) + b"\x01" + text.encode("utf-16-le")


def _xf(font: int, fmt: int, style: bool) -> bytes:
    type_prot = 0xFFF5 if style else 0x0001  # style XF (parent 0xFFF) / cell XF locked, parent 0
    return struct.pack("<HHHBBBBIIH", font, fmt, type_prot, 0x20, 0, 0, 0 if style else 0xF8, 0, 0, 0x20C0)


@dataclass(frozen=True)
class XlsError:
    code: int  # 0x2A = #N/A


@dataclass
class XlsSheet:
    name: str
    cells: dict[tuple[int, int], object] = field(default_factory=dict)  # 0-based (row, col)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, r2, c1, c2 inclusive
    hidden: bool = False


def _excel_serial(d: date | datetime) -> float:
    base = datetime(1899, 12, 30)
    dt = d if isinstance(d, datetime) else datetime(d.year, d.month, d.day)
    return (dt - base).total_seconds() / 86400


def make_xls_stream(sheets: list[XlsSheet], filepass: bool = False) -> bytes:
    bof_globals = _rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06))
    head = bof_globals
    if filepass:  # RC4 encryption header (contents irrelevant to detection)
        head += _rec(0x002F, struct.pack("<HHH", 1, 1, 1) + b"\x11" * 48)
    head += _rec(0x0042, struct.pack("<H", 1200)) + _rec(0x0022, struct.pack("<H", 0))
    font = _rec(0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + _ustr("Arial", 1))
    head += font * 5
    for _ in range(15):  # XF0-14: style XFs
        head += _rec(0x00E0, _xf(0, 0, True))
    head += _rec(0x00E0, _xf(0, 0, False))   # XF15: cell, General
    head += _rec(0x00E0, _xf(0, 14, False))  # XF16: cell, date (built-in format 14)
    boundsheet_sizes = [4 + 8 + len(s.name) * 2 for s in sheets]
    globals_len = len(head) + sum(boundsheet_sizes) + 4  # + EOF
    bodies = [_sheet_stream(s) for s in sheets]
    offsets, pos = [], globals_len
    for body in bodies:
        offsets.append(pos)
        pos += len(body)
    for s, off in zip(sheets, offsets, strict=True):
        head += _rec(0x0085, struct.pack("<IBB", off, 1 if s.hidden else 0, 0) + _ustr(s.name, 1))
    head += _rec(0x000A)
    assert len(head) == globals_len
    return head + b"".join(bodies)


def _sheet_stream(s: XlsSheet) -> bytes:
    out = _rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0x06))
    rows = [r for r, _ in s.cells] or [0]
    cols = [c for _, c in s.cells] or [0]
    out += _rec(0x0200, struct.pack("<IIHHH", 0, max(rows) + 1, 0, max(cols) + 1, 0))
    for (r, c), v in sorted(s.cells.items()):
        if isinstance(v, bool):
            out += _rec(0x0205, struct.pack("<HHHBB", r, c, 15, int(v), 0))
        elif isinstance(v, XlsError):
            out += _rec(0x0205, struct.pack("<HHHBB", r, c, 15, v.code, 1))
        elif isinstance(v, int | float):
            out += _rec(0x0203, struct.pack("<HHHd", r, c, 15, float(v)))
        elif isinstance(v, date):
            out += _rec(0x0203, struct.pack("<HHHd", r, c, 16, _excel_serial(v)))
        else:
            out += _rec(0x0204, struct.pack("<HHH", r, c, 15) + _ustr(str(v)))
    if s.merges:
        payload = struct.pack("<H", len(s.merges))
        for r1, r2, c1, c2 in s.merges:
            payload += struct.pack("<HHHH", r1, r2, c1, c2)
        out += _rec(0x00E5, payload)
    return out + _rec(0x000A)


def make_xls(path: Path, sheets: list[XlsSheet], filepass: bool = False, pad: bool = True) -> Path:
    stream = make_xls_stream(sheets, filepass)
    if pad:  # Excel keeps the Workbook stream out of the mini stream
        stream = stream.ljust(4096, b"\0")
    path.write_bytes(make_cfb({"Workbook": stream}))
    return path


def messy_xls_sheets() -> list[XlsSheet]:
    hidden = XlsSheet("说明", {(0, 0): "本表为隐藏说明页"}, hidden=True)
    roster = XlsSheet("花名册")
    c = roster.cells
    c[(0, 0)] = TITLE
    roster.merges.append((0, 0, 0, 6))
    for col, h in enumerate(HEADER):
        c[(2, col)] = h
    c.update({(3, 0): 1, (3, 1): "张三", (3, 2): 330281199001011234, (3, 3): "甲公司",
              (3, 4): "2024.3.5", (3, 5): "13800000000"})
    c.update({(4, 0): 2, (4, 1): "李四", (4, 2): "33028119900202123X", (4, 4): datetime(2024, 3, 5)})
    c.update({(6, 1): "  "})  # whitespace only
    c.update({(7, 0): 3, (7, 1): "王五", (7, 4): 45356, (7, 5): XlsError(0x2A), (7, 6): True})
    roster.merges.append((3, 7, 3, 3))  # D4:D8
    return [hidden, roster]


# --- zip bomb, built without compressing 600 MB: identical full-flush deflate blocks ---

def _deflate_zeros(total: int, chunk: int = 1 << 20) -> tuple[bytes, int]:
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(b"\0" * chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    tail = comp.flush(zlib.Z_FINISH)
    crc = 0
    zeros = b"\0" * chunk
    for _ in range(total // chunk):
        crc = zlib.crc32(zeros, crc)
    return block * (total // chunk) + tail, crc


def make_zip_bomb(path: Path, size: int = 600 * 1024 * 1024,
                  member: str = "xl/worksheets/sheet1.xml") -> Path:
    data, crc = _deflate_zeros(size)
    files = [("[Content_Types].xml", b"<Types/>", None), ("xl/workbook.xml", b"<workbook/>", None),
             (member, data, (crc, size))]
    out = io.BytesIO()
    central = b""
    for name, payload, known in files:
        raw_name = name.encode()
        if known is None:
            crc_, usize = zlib.crc32(payload), len(payload)
            comp = zlib.compressobj(6, zlib.DEFLATED, -15)
            payload = comp.compress(payload) + comp.flush()
        else:
            crc_, usize = known
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc_, len(payload), usize,
                              len(raw_name), 0) + raw_name + payload)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc_, len(payload),
                               usize, len(raw_name), 0, 0, 0, 0, 0, offset) + raw_name
    cd_offset = out.tell()
    out.write(central)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(files), len(files), len(central), cd_offset, 0))
    path.write_bytes(out.getvalue())
    return path


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">
<si><t>&lol9;</t></si></sst>"""


def _code(path: Path, **kwargs: object) -> str:
    with pytest.raises(ReadError) as info:
        read_sheet(path, **kwargs)  # type: ignore[arg-type]
    assert info.value.message and "\n" not in info.value.message
    return info.value.code


# ------------------------------------------------------------------------------------------
# .xlsx
# ------------------------------------------------------------------------------------------


def test_messy_xlsx_first_visible_sheet_rows_and_merges(tmp_path: Path) -> None:
    data = read_sheet(messy_workbook(tmp_path / "roster.xlsx"))
    assert isinstance(data, SheetData)
    assert data.name == "花名册"
    assert data.sheet_names == ["填表说明", "花名册"]
    numbers = [n for n, _ in data.rows]
    assert numbers == [1, 2, 3, 4, 5, 8, 9]  # blank and whitespace-only rows 6, 7 dropped, not renumbered
    rows = dict(data.rows)
    assert rows[1] == (TITLE,) * 7  # merged title copied across A1:G1
    assert rows[2] == ("填报单位：XX镇总工会", None, None, None, "填报日期：2024年3月")
    assert rows[3] == tuple(HEADER)
    # an 18-digit number cannot survive a spreadsheet: it is stored (and read) as a float
    assert rows[4][:2] == (1, "张三") and rows[4][3:6] == ("甲公司", "2024.3.5", "13800000000")
    assert type(rows[4][0]) is int and type(rows[4][2]) is float
    assert abs(rows[4][2] - 330281199001011234) < 100
    assert rows[5][3] == "甲公司"  # merged employer D4:D8
    assert rows[5][4] == datetime(2024, 3, 5)
    assert rows[8][:5] == (3, "王五", 3.30281199003031e17, "甲公司", 45356)
    assert type(rows[8][2]) is float and type(rows[8][4]) is int
    assert rows[9][3] == "乙公司"  # outside the merged range
    assert rows[9][4] == datetime(2023, 1, 2)
    assert rows[9][6] is True


def test_named_and_hidden_and_unknown_sheets(tmp_path: Path) -> None:
    path = messy_workbook(tmp_path / "roster.xlsx")
    assert read_sheet(path, "填表说明").rows == [(1, ("请勿修改本表格式",))]
    assert read_sheet(path, " 花名册 ").name == "花名册"  # spacing forgiven when unambiguous
    with pytest.raises(ReadError) as info:
        read_sheet(path, "汇总")
    assert info.value.code == "sheet_not_found"
    assert "汇总" in info.value.message and "花名册" in info.value.message and "填表说明" in info.value.message


def test_xlsx_read_by_content_whatever_the_suffix(tmp_path: Path) -> None:
    path = messy_workbook(tmp_path / "roster.xlsx")
    for suffix in (".xls", ".csv", ".txt", ""):
        other = tmp_path / f"renamed{suffix}"
        other.write_bytes(path.read_bytes())
        assert read_sheet(other).rows == read_sheet(path).rows


def test_wrong_dimension_does_not_cut_rows(tmp_path: Path) -> None:
    src = simple_xlsx(tmp_path / "a.xlsx", [["姓名", "单位"], *[[f"人{i}", "甲"] for i in range(20)]])
    with zipfile.ZipFile(src) as z:
        xml = z.read("xl/worksheets/sheet1.xml")
    assert b'<dimension ref="A1:B21"' in xml
    dst = tmp_path / "b.xlsx"
    rewrite_zip_member(src, dst, "xl/worksheets/sheet1.xml", xml.replace(b'ref="A1:B21"', b'ref="A1:A2"'))
    rows = read_sheet(dst).rows
    assert len(rows) == 21 and rows[-1] == (21, ("人19", "甲"))


def test_merged_cell_edge_cases(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "单位", "备注"])
    ws.append(["甲", "一厂", None])
    ws.append(["乙", None, None])
    ws.append([None, None, None])  # blank row inside the merged range: stays dropped
    ws.append(["丙", None, None])
    ws.merge_cells("B2:B5")
    ws.merge_cells("C2:Z3")   # empty top-left: nothing copied
    ws.merge_cells("A10:C12")  # entirely outside the data
    ws["E1"] = "x"
    ws.merge_cells("E1:XFD1")  # runs far past the data: clipped, not 16k columns
    wb.save(tmp_path / "m.xlsx")
    rows = dict(read_sheet(tmp_path / "m.xlsx").rows)
    assert rows[1] == ("姓名", "单位", "备注", None, "x")
    assert rows[2] == ("甲", "一厂")
    assert rows[3] == ("乙", "一厂")
    assert 4 not in rows
    assert rows[5] == ("丙", "一厂")


def test_time_cells_become_text(tmp_path: Path) -> None:
    from datetime import time as dtime

    simple_xlsx(tmp_path / "t.xlsx", [["姓名", "时间"], ["甲", dtime(8, 30)]])
    assert read_sheet(tmp_path / "t.xlsx").rows[1] == (2, ("甲", "08:30:00"))


def test_too_many_rows(tmp_path: Path) -> None:
    path = simple_xlsx(tmp_path / "big.xlsx", [[i, "x"] for i in range(20)])
    assert len(read_sheet(path, max_rows=20).rows) == 20
    with pytest.raises(ReadError) as info:
        read_sheet(path, max_rows=5)
    assert info.value.code == "too_many_rows" and "5" in info.value.message and "Sheet" in info.value.message


def test_sheet_with_endless_blank_cells_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 60 cells stored in the file (the blank " " ones count); padding between them does not.
    path = simple_xlsx(tmp_path / "wide.xlsx", [["姓名", None, None, None, " "] for _ in range(30)])
    monkeypatch.setattr(readers.xlsx, "MAX_SCANNED_CELLS", 50)
    assert _code(path) == "too_many_rows"


def test_zip_level_password_is_encrypted(tmp_path: Path) -> None:
    blob = bytearray(simple_xlsx(tmp_path / "a.xlsx", [["姓名"]]).read_bytes())
    pos = blob.find(b"PK\x01\x02")
    while pos >= 0:
        blob[pos + 8] |= 1  # general purpose flag: encrypted
        pos = blob.find(b"PK\x01\x02", pos + 4)
    (tmp_path / "b.xlsx").write_bytes(bytes(blob))
    assert _code(tmp_path / "b.xlsx") == "encrypted"


def test_truncated_and_damaged_xlsx_are_corrupt(tmp_path: Path) -> None:
    good = messy_workbook(tmp_path / "good.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(good[: len(good) // 2])
    assert _code(tmp_path / "cut.xlsx") == "corrupt"
    # a valid zip whose sheet part is not XML
    rewrite_zip_member(tmp_path / "good.xlsx", tmp_path / "junk.xlsx", "xl/worksheets/sheet2.xml", b"\x00garbage<<")
    assert _code(tmp_path / "junk.xlsx") == "corrupt"
    # a workbook whose sheet parts are all missing
    with zipfile.ZipFile(tmp_path / "good.xlsx") as zin, zipfile.ZipFile(tmp_path / "missing.xlsx", "w") as zout:
        for info in zin.infolist():
            if not info.filename.startswith("xl/worksheets/"):
                zout.writestr(info, zin.read(info))
    assert _code(tmp_path / "missing.xlsx") == "corrupt"
    # shared strings that are not XML
    minimal_xlsx(tmp_path / "sst.xlsx", shared_strings=b"<sst><si><t>unclosed")
    assert _code(tmp_path / "sst.xlsx") == "corrupt"


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    docx = tmp_path / "report.xlsx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ReadError) as info:
        read_sheet(docx)
    assert info.value.code == "not_spreadsheet" and "Word" in info.value.message
    plain = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("a.txt", "hello")
    assert _code(plain) == "not_spreadsheet"
    xlsb = tmp_path / "b.xlsx"
    with zipfile.ZipFile(xlsb, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\0\1")
    assert _code(xlsb) == "not_spreadsheet"


# ------------------------------------------------------------------------------------------
# bombs
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_zip_bomb(tmp_path_factory.mktemp("bomb") / "bomb.xlsx")


def test_zip_bomb_fixture_is_genuine(zip_bomb: Path) -> None:
    assert zip_bomb.stat().st_size < 5 * 1024 * 1024
    with zipfile.ZipFile(zip_bomb) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
        assert info.file_size == 600 * 1024 * 1024
        with z.open(info) as src:  # the deflate stream really inflates to zeros
            assert src.read(1 << 16) == b"\0" * (1 << 16)


def test_zip_bomb_refused_without_decompressing(zip_bomb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = zipfile._get_decompressor  # type: ignore[attr-defined]

    def spy(compress_type: int) -> object:
        calls.append(compress_type)
        return real(compress_type)

    monkeypatch.setattr(zipfile, "_get_decompressor", spy)
    started = time.perf_counter()
    with pytest.raises(ReadError) as info:
        read_sheet(zip_bomb)
    elapsed = time.perf_counter() - started
    assert info.value.code == "zip_bomb"
    assert calls == []  # refused from the declared sizes alone
    print(f"zip bomb refused in {elapsed * 1000:.1f} ms")


def test_high_ratio_member_refused(tmp_path: Path) -> None:
    path = make_zip_bomb(tmp_path / "ratio.xlsx", size=64 * 1024 * 1024)  # under the total cap
    with pytest.raises(ReadError) as info:
        read_sheet(path)
    assert info.value.code == "zip_bomb" and "sheet1.xml" in info.value.message


def test_minimal_hand_written_xlsx_reads(tmp_path: Path) -> None:
    assert read_sheet(minimal_xlsx(tmp_path / "m.xlsx")).rows == [(1, ("姓名", 42)), (3, ("张三",))]


def test_billion_laughs_refused(tmp_path: Path) -> None:
    assert _code(minimal_xlsx(tmp_path / "laughs.xlsx", shared_strings=BILLION_LAUGHS)) == "xml_bomb"


def test_entity_refused_by_parser_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Defence in depth: with the prolog check off, defusedxml inside openpyxl still refuses."""
    bomb = minimal_xlsx(tmp_path / "laughs.xlsx", shared_strings=BILLION_LAUGHS)
    monkeypatch.setattr(readers.xlsx, "check_prologs", lambda *a: None)
    assert _code(bomb) == "xml_bomb"


def test_external_entity_in_sheet_refused(tmp_path: Path) -> None:
    good = simple_xlsx(tmp_path / "good.xlsx", [["姓名"], ["张三"]])
    with zipfile.ZipFile(good) as z:
        xml = z.read("xl/worksheets/sheet1.xml")
    evil = xml.replace(b"<worksheet", b'<!-- c --><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><worksheet', 1)
    rewrite_zip_member(good, tmp_path / "xxe.xlsx", "xl/worksheets/sheet1.xml", evil)
    assert _code(tmp_path / "xxe.xlsx") == "xml_bomb"


# ------------------------------------------------------------------------------------------
# .xls (BIFF8 in an OLE2 compound file)
# ------------------------------------------------------------------------------------------


def test_cfb_writer_round_trips_through_xlrd(tmp_path: Path) -> None:
    import xlrd

    path = make_xls(tmp_path / "a.xls", messy_xls_sheets())
    book = xlrd.open_workbook(str(path), formatting_info=True, logfile=io.StringIO())
    assert book.sheet_names() == ["说明", "花名册"]
    assert book.sheet_by_index(1).cell_value(3, 1) == "张三"


@pytest.mark.parametrize("pad", [True, False], ids=["regular-sectors", "mini-stream"])
def test_messy_xls(tmp_path: Path, pad: bool) -> None:
    data = read_sheet(make_xls(tmp_path / "roster.xls", messy_xls_sheets(), pad=pad))
    assert data.name == "花名册" and data.sheet_names == ["说明", "花名册"]
    rows = dict(data.rows)
    assert sorted(rows) == [1, 3, 4, 5, 8]
    assert rows[1] == (TITLE,) * 7
    assert rows[3] == tuple(HEADER)
    assert rows[4][:6] == (1.0, "张三", 330281199001011234.0, "甲公司", "2024.3.5", "13800000000")
    assert type(rows[4][2]) is float  # Excel stored a number: the ID validator must see that
    assert rows[5][3] == "甲公司" and rows[5][4] == datetime(2024, 3, 5)
    assert rows[8][3:] == ("甲公司", 45356.0, "#N/A", True)
    assert read_sheet(tmp_path / "roster.xls", "说明").rows == [(1, ("本表为隐藏说明页",))]
    assert _code(tmp_path / "roster.xls", sheet="Sheet9") == "sheet_not_found"


def test_large_xls_reads_without_merge_info(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers.xls, "XLS_MERGE_INFO_LIMIT", 0)
    rows = dict(read_sheet(make_xls(tmp_path / "roster.xls", messy_xls_sheets())).rows)
    assert rows[4][3] == "甲公司" and len(rows[5]) == 5 and rows[5][3] is None


def test_xls_renamed_xlsx(tmp_path: Path) -> None:
    path = make_xls(tmp_path / "roster.xlsx", messy_xls_sheets())
    assert read_sheet(path).name == "花名册"


@pytest.mark.parametrize("pad", [True, False], ids=["regular-sectors", "mini-stream"])
def test_xls_with_filepass_is_encrypted(tmp_path: Path, pad: bool) -> None:
    path = make_xls(tmp_path / "secret.xls", messy_xls_sheets(), filepass=True, pad=pad)
    with pytest.raises(ReadError) as info:
        read_sheet(path)
    assert info.value.code == "encrypted"
    assert info.value.message.startswith("文件已加密，请在 Excel 中取消密码后另存再导入")


def test_password_protected_xlsx_is_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "secret.xlsx"
    path.write_bytes(make_cfb({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 200,
                               "EncryptedPackage": os.urandom(6000)}))
    with pytest.raises(ReadError) as info:
        read_sheet(path)
    assert info.value.code == "encrypted" and "取消密码" in info.value.message


def test_other_ole_files(tmp_path: Path) -> None:
    doc = tmp_path / "letter.xls"
    doc.write_bytes(make_cfb({"WordDocument": b"\0" * 5000, "1Table": b"\0" * 100}))
    with pytest.raises(ReadError) as info:
        read_sheet(doc)
    assert info.value.code == "not_spreadsheet" and "Word" in info.value.message
    (tmp_path / "cut.xls").write_bytes(readers.OLE_MAGIC + b"\0" * 100)
    assert _code(tmp_path / "cut.xls") == "corrupt"
    good = make_xls(tmp_path / "good.xls", messy_xls_sheets()).read_bytes()
    (tmp_path / "half.xls").write_bytes(good[:1500])
    assert _code(tmp_path / "half.xls") == "corrupt"


def test_broken_biff_is_corrupt(tmp_path: Path) -> None:
    stream = make_xls_stream(messy_xls_sheets())
    broken = stream[:200] + b"\xff" * 64 + stream[264:]
    (tmp_path / "b.xls").write_bytes(make_cfb({"Workbook": broken.ljust(4096, b"\0")}))
    with pytest.raises(ReadError) as info:
        read_sheet(tmp_path / "b.xls")
    assert info.value.code in {"corrupt", "not_spreadsheet"}


# ------------------------------------------------------------------------------------------
# CSV
# ------------------------------------------------------------------------------------------

CSV_TEXT = (
    "姓名,身份证号码,单位,备注\r\n"          # line 1
    "张三,330281199001011234,甲公司,\r\n"    # line 2
    "\r\n"                                   # line 3: blank
    '李四,33028119900202123X,"乙公司\r\n'     # line 4: quoted field spans lines 4-5
    '二车间","多行\r\n备注"\r\n'              # line 5-6
    ",,,\r\n"                                # line 7: empty cells only
    "王五,3.30281E+17,丙公司,\r\n"           # line 8
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_encodings_and_physical_line_numbers(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    data = read_sheet(path)
    assert data.name == "list" and data.sheet_names == ["list"]
    assert [n for n, _ in data.rows] == [1, 2, 4, 8]
    rows = dict(data.rows)
    assert rows[1] == ("姓名", "身份证号码", "单位", "备注")
    assert rows[2] == ("张三", "330281199001011234", "甲公司")
    assert rows[4] == ("李四", "33028119900202123X", "乙公司\r\n二车间", "多行\r\n备注")
    assert rows[8] == ("王五", "3.30281E+17", "丙公司")  # CSV cells stay text


def test_csv_lf_line_endings_and_trailing_line(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text('a,b\n"x\ny\nz",2\n\n\nlast,3', encoding="utf-8")
    assert read_sheet(path).rows == [(1, ("a", "b")), (2, ("x\ny\nz", "2")), (7, ("last", "3"))]


@pytest.mark.parametrize(("delimiter", "text"), [
    (";", "姓名;单位;电话\n张三;甲公司, 一厂;138\n"),
    ("\t", "姓名\t单位\t电话\n张三\t甲公司,一厂\t138\n"),
    (",", "姓名,单位,电话\n张三,\"甲;公司\",138\n"),
])
def test_csv_delimiter_sniffed(tmp_path: Path, delimiter: str, text: str) -> None:
    path = tmp_path / "d.csv"
    path.write_text(text, encoding="utf-8")
    rows = read_sheet(path).rows
    assert rows[0][1] == ("姓名", "单位", "电话") and len(rows[1][1]) == 3, delimiter


def test_csv_sep_hint_line(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("sep=;\n姓名;单位\n张三;甲,乙\n", encoding="utf-8")
    assert read_sheet(path).rows == [(2, ("姓名", "单位")), (3, ("张三", "甲,乙"))]


def test_csv_single_column_and_whitespace(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("姓名\n张三\n  \n李四\n", encoding="utf-8")
    assert read_sheet(path).rows == [(1, ("姓名",)), (2, ("张三",)), (4, ("李四",))]
    blank = tmp_path / "blank.csv"
    blank.write_bytes(b"\xef\xbb\xbf \r\n\r\n")
    assert _code(blank) == "empty_file"


def test_csv_too_many_rows(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("".join(f"{i},x\n" for i in range(50)), encoding="utf-8")
    with pytest.raises(ReadError) as info:
        read_sheet(path, max_rows=10)
    assert info.value.code == "too_many_rows"


def test_html_and_xml_disguised_as_xls(tmp_path: Path) -> None:
    html = tmp_path / "export.xls"
    html.write_text("<html><body><table><tr><td>姓名</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(ReadError) as info:
        read_sheet(html)
    assert info.value.code == "not_spreadsheet" and "HTML" in info.value.message
    xml = tmp_path / "export2.xls"
    xml.write_text('<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
                   "</Workbook>", encoding="utf-8")
    assert _code(xml) == "not_spreadsheet"


# ------------------------------------------------------------------------------------------
# not spreadsheets at all
# ------------------------------------------------------------------------------------------


def test_empty_pdf_random_and_missing(tmp_path: Path) -> None:
    (tmp_path / "empty.xlsx").write_bytes(b"")
    assert _code(tmp_path / "empty.xlsx") == "empty_file"
    (tmp_path / "scan.xlsx").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    with pytest.raises(ReadError) as info:
        read_sheet(tmp_path / "scan.xlsx")
    assert info.value.code == "not_spreadsheet" and "PDF" in info.value.message
    (tmp_path / "noise.xls").write_bytes(random.Random(7).randbytes(4096))
    assert _code(tmp_path / "noise.xls") == "not_spreadsheet"
    (tmp_path / "photo.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    assert _code(tmp_path / "photo.csv") == "not_spreadsheet"
    assert _code(tmp_path / "nope.xlsx") == "unreadable"
    assert _code(tmp_path) == "unreadable"


def test_error_message_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "工会名单.xlsx").write_bytes(b"%PDF-1.4")
    with pytest.raises(ReadError) as info:
        read_sheet(tmp_path / "工会名单.xlsx")
    assert "工会名单.xlsx" in str(info.value) and isinstance(info.value, ValueError)


# ------------------------------------------------------------------------------------------
# fuzzing: nothing but ReadError (or data) ever comes out
# ------------------------------------------------------------------------------------------

_GOOD_XLSX: bytes | None = None
_GOOD_XLS: bytes | None = None


def _good_files() -> tuple[bytes, bytes]:
    global _GOOD_XLSX, _GOOD_XLS
    if _GOOD_XLSX is None or _GOOD_XLS is None:
        with tempfile.TemporaryDirectory() as d:
            _GOOD_XLSX = messy_workbook(Path(d) / "a.xlsx").read_bytes()
            _GOOD_XLS = make_xls(Path(d) / "a.xls", messy_xls_sheets()).read_bytes()
    return _GOOD_XLSX, _GOOD_XLS


def _read_quietly(blob: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"f{suffix}"
        path.write_bytes(blob)
        try:
            result = read_sheet(path)
        except ReadError as exc:
            assert exc.code in readers.ERROR_CODES and exc.message and "\n" not in exc.message
        else:
            assert isinstance(result, SheetData)
            for number, values in result.rows:
                assert number >= 1 and isinstance(values, tuple)


_FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FUZZ
@given(st.binary(max_size=4096), st.sampled_from([".xlsx", ".xls", ".csv"]),
       st.sampled_from([b"", b"PK\x03\x04", readers.OLE_MAGIC, b"\xef\xbb\xbf", b"%PDF"]))
def test_fuzz_random_bytes(blob: bytes, suffix: str, prefix: bytes) -> None:
    _read_quietly(prefix + blob, suffix)


@_FUZZ
@given(st.sampled_from(["xlsx", "xls"]),
       st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=8),
       st.one_of(st.none(), st.integers(min_value=0)))
def test_fuzz_mutated_workbooks(kind: str, flips: list[tuple[int, int]], cut: int | None) -> None:
    xlsx, xls = _good_files()
    blob = bytearray(xlsx if kind == "xlsx" else xls)
    for pos, byte in flips:
        blob[pos % len(blob)] = byte
    if cut is not None:
        blob = blob[: cut % len(blob)]
    _read_quietly(bytes(blob), "." + kind)


def _open_handles(path: Path) -> list[str]:
    fds = Path("/proc/self/fd")
    found = []
    for fd in fds.iterdir():
        try:
            if os.readlink(fd) == str(path):
                found.append(fd.name)
        except OSError:
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to list open files")
def test_read_sheet_leaves_no_file_open(tmp_path: Path) -> None:
    """On Windows an open handle would stop the clerk from moving or re-saving the file."""
    xlsx = messy_workbook(tmp_path / "roster.xlsx")
    xls = make_xls(tmp_path / "roster.xls", messy_xls_sheets())
    csv_file = tmp_path / "roster.csv"
    csv_file.write_text(CSV_TEXT, encoding="utf-8")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx.read_bytes()[:3000])
    for path in (xlsx, xls, csv_file, bad):
        with contextlib.suppress(ReadError):
            read_sheet(path)
        assert _open_handles(path) == [], path.name
    read_sheet(xlsx, "填表说明")
    assert _open_handles(xlsx) == []
