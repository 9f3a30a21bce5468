"""Excel 2007+ workbooks (.xlsx/.xlsm): the zip checks, then openpyxl's streaming parser."""

from __future__ import annotations

import re
import struct
import sys
import zipfile
from collections.abc import Iterable
from typing import IO, Any

from desktop.importing.readers.guards import (
    brief,
    check_prologs,
    check_zip_directory,
    check_zip_sizes,
    zip_kind,
)
from desktop.importing.readers.rows import (
    TIME_TYPES,
    Rows,
    choose_sheet,
    fill_merged,
    fix_cell,
    laid_out_ranges,
    parse_ref,
)
from desktop.importing.readers.sheet import (
    MAX_FORMULA_CELLS,
    MAX_MERGED_RANGES,
    MAX_SCANNED_CELLS,
    ReadError,
    SheetData,
)
from desktop.importing.readers.xlsx_plain import read_plain_cells

_MERGE_RE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]{0,20}:)?mergeCell\s[^>]{0,200}?\bref\s*=\s*[\"']([A-Za-z$]{1,4}\d{1,7}(?::[A-Za-z$]{1,4}\d{1,7})?)[\"']"
)


def _scan_merged_xlsx(zf: zipfile.ZipFile, member: str) -> list[tuple[int, int, int, int]]:
    """The merged ranges of one worksheet part, found by a streaming byte scan.

    read-only openpyxl does not expose merged cells; a second XML parse would cost about as
    much as the read itself, while decompressing and searching the bytes costs a few percent.
    Text cannot hold a literal '<mergeCell' (it would be escaped), so the scan is exact.
    """
    found: list[tuple[int, int, int, int]] = []
    keep = 512
    with zf.open(member) as src:
        buf = b""
        while True:
            chunk = src.read(1 << 20)
            buf = buf + chunk if buf else chunk
            last = not chunk
            if b"mergeCell" in buf:
                limit = len(buf) if last else len(buf) - keep
                consumed = 0
                for m in _MERGE_RE.finditer(buf):
                    if m.start() >= limit:
                        break
                    ref = parse_ref(m.group(1).decode("ascii"))
                    if ref:
                        found.append(ref)
                        if len(found) > MAX_MERGED_RANGES:
                            return found
                    consumed = m.end()
                buf = buf[max(consumed, limit):]
            else:
                buf = buf[-keep:]
            if last:
                break
    return found


def read_zip(f: IO[bytes], size: int, label: str, sheet: str | None, max_rows: int) -> SheetData:
    check_zip_directory(f, size, label)
    try:
        zf = zipfile.ZipFile(f)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, struct.error) as exc:
        raise ReadError("corrupt", f"文件“{label}”不完整或已损坏（压缩包无法打开，可能未完整复制）",
                        brief(exc)) from None
    with zf:
        infos = zf.infolist()
        check_zip_sizes(infos, label)
        names = {i.filename for i in infos}
        zip_kind(zf, names, label)
        check_prologs(zf, infos, label)
        f.seek(0)
        return _read_xlsx(f, zf, label, sheet, max_rows)


def load_openpyxl() -> None:
    """Import openpyxl without numpy unless numpy is loaded already.

    openpyxl imports numpy whenever it is installed (only to accept numpy numbers as cell
    values when writing), which costs a reader about 0.1 s and 12 MB; numpy is no dependency
    of the program (the test tools bring it). Hidden only while openpyxl itself is imported:
    importing numpy afterwards works as usual.
    """
    if "openpyxl" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # openpyxl's `import numpy` fails: NUMPY = False
    try:
        import openpyxl  # noqa: F401
    finally:
        del sys.modules["numpy"]


_PARSER_CLASS: type | None = None


def _parser_class() -> type:
    """openpyxl's worksheet parser, noting formula cells that have no cached value.

    With ``data_only`` such a cell reads as None; it is one with a formula and no ``<v>``
    (or an empty ``<v>`` on a cell not typed as text, as openpyxl itself writes them).
    A formula whose result is an empty string is stored as ``t="str"`` with ``<v></v>``.
    """
    global _PARSER_CLASS
    if _PARSER_CLASS is None:
        load_openpyxl()
        from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

        class Parser(WorkSheetParser):  # type: ignore[misc]
            formula_cells: list[tuple[int, int]]
            formula_total = 0

            def parse_cell(self, element: Any) -> dict[str, Any]:
                cell: dict[str, Any] = super().parse_cell(element)
                if (cell["value"] is None and element.find(FORMULA_TAG) is not None
                        and (element.find(VALUE_TAG) is None or element.get("t") not in ("str", "inlineStr"))):
                    self.formula_total += 1
                    if len(self.formula_cells) < MAX_FORMULA_CELLS:
                        self.formula_cells.append((cell["row"], cell["column"]))
                return cell

        _PARSER_CLASS = Parser
    return _PARSER_CLASS


def _read_xlsx(f: IO[bytes], zf: zipfile.ZipFile, label: str, sheet: str | None, max_rows: int) -> SheetData:
    plain = _read_plain(zf, label, sheet, max_rows)
    if plain is not None:
        return plain
    load_openpyxl()
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    wb = load_workbook(f, read_only=True, data_only=True, keep_links=False)
    try:
        worksheets = wb.worksheets
        names = [ws.title for ws in worksheets]
        visible = [getattr(ws, "sheet_state", "visible") == "visible" for ws in worksheets]
        ws = worksheets[choose_sheet(names, visible, sheet, label)]
        collected = Rows(label, ws.title, max_rows)
        # The parser hands over each row's cells as they stand in the file (never padded to
        # the widest column, unlike iter_rows), and the sheet's <dimension> is not trusted.
        with ws._get_source() as src:
            parser = _parser_class()(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                                     date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
            parser.formula_cells = []
            _collect(collected, ((number, [(c["column"], c["value"]) for c in row]) for number, row in parser.parse()))
        formula_cells = [(r, f"{get_column_letter(c)}{r}") for r, c in parser.formula_cells if 1 <= c <= 18_278]
        formula_total = parser.formula_total
        member = getattr(ws, "_worksheet_path", None)
    finally:
        wb.close()
    return _finish(zf, collected, ws.title, names, member, formula_cells, formula_total)


def _read_plain(zf: zipfile.ZipFile, label: str, sheet: str | None, max_rows: int) -> SheetData | None:
    """The sheet read without openpyxl when the workbook is a plain one (xlsx_plain), else None."""
    try:
        found = read_plain_cells(zf, lambda names, visible: choose_sheet(names, visible, sheet, label))
        collected = Rows(label, found.title, max_rows)
        _collect(collected, found.rows())
    except (ReadError, MemoryError):
        raise
    except Exception:  # NotPlain, or a part openpyxl may read (or refuse) its own way
        return None
    names = found.sheet_names
    return _finish(zf, collected, found.title, names, found.member, [], 0)


def _collect(collected: Rows, rows: Iterable[tuple[int, list[tuple[int, object]]]]) -> None:
    """Each row's non-empty cells into ``collected`` (blank rows, repeated rows skipped)."""
    add = collected.add_cells
    scanned = 0
    last = 0
    for number, row in rows:
        if number <= last:
            continue  # a row out of order or repeated: openpyxl skips it too
        last = number
        if not row:
            continue
        scanned += len(row)
        if scanned > MAX_SCANNED_CELLS:
            raise collected.too_wide(number)
        cells: dict[int, object] = {}
        blank = True
        for column, v in row:
            if v is None or column < 1:
                continue
            if v.__class__ is str:
                if blank and v and not v.isspace():  # type: ignore[attr-defined]
                    blank = False
            else:
                blank = False
                if isinstance(v, TIME_TYPES):
                    v = fix_cell(v)
            cells[column - 1] = v
        if blank:
            continue
        add(number, cells)


def _finish(zf: zipfile.ZipFile, collected: Rows, title: str, names: list[str], member: str | None,
            formula_cells: list[tuple[int, str]], formula_total: int) -> SheetData:
    columns = collected.finish()
    if member and collected.rows:
        ranges = laid_out_ranges(_scan_merged_xlsx(zf, member), columns)
        if ranges:
            fill_merged(collected.rows, ranges, collected.where())
    return SheetData(title, collected.rows, names, columns, formula_cells, formula_total)
