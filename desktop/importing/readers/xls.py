"""Excel 97-2003 workbooks (.xls, OLE2 compound files) through xlrd, after the OLE checks."""

from __future__ import annotations

import io

from desktop.importing.readers.guards import Ole, biff_filepass, brief
from desktop.importing.readers.rows import Rows, choose_sheet, fill_merged, is_blank, laid_out_ranges, trim
from desktop.importing.readers.sheet import (
    ENCRYPTED_MESSAGE,
    MAX_MERGED_RANGES,
    XLS_MERGE_INFO_LIMIT,
    ReadError,
    SheetData,
)


def read_ole(data: bytes, label: str, sheet: str | None, max_rows: int) -> SheetData:
    ole = Ole(data, label)
    names = ole.names()
    if "encryptioninfo" in names or "encryptedpackage" in names:
        raise ReadError("encrypted", f"{ENCRYPTED_MESSAGE}（{label}）")
    stream = "workbook" if "workbook" in names else "book" if "book" in names else None
    if stream is None:
        if "worddocument" in names:
            raise ReadError("not_spreadsheet", f"文件“{label}”是 Word 文档（.doc），不是 Excel 表格")
        if "powerpoint document" in names:
            raise ReadError("not_spreadsheet", f"文件“{label}”是 PowerPoint 文档，不是 Excel 表格")
        raise ReadError("not_spreadsheet", f"文件“{label}”不是 Excel 表格（复合文档中没有工作簿）")
    if biff_filepass(ole.stream_head(stream, 16_384)):
        raise ReadError("encrypted", f"{ENCRYPTED_MESSAGE}（{label}）")
    return _read_xls(data, label, sheet, max_rows)


def _read_xls(data: bytes, label: str, sheet: str | None, max_rows: int) -> SheetData:
    import xlrd

    log = io.StringIO()
    try:
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=len(data) <= XLS_MERGE_INFO_LIMIT, on_demand=True,
            logfile=log, verbosity=0, ragged_rows=True, ignore_workbook_corruption=True,
        )
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise ReadError("encrypted", f"{ENCRYPTED_MESSAGE}（{label}）") from None
        raise ReadError("corrupt", f"文件“{label}”已损坏，不是可读的 .xls 工作簿", brief(exc)) from None
    try:
        names = list(book.sheet_names())
        visibility = list(getattr(book, "_sheet_visibility", [])) or [0] * len(names)
        visible = [visibility[i] == 0 if i < len(visibility) else True for i in range(len(names))]
        index = choose_sheet(names, visible, sheet, label)
        sh = book.sheet_by_index(index)
        collected = Rows(label, sh.name, max_rows)
        datemode = book.datemode
        text, number, date_, boolean, error = (xlrd.XL_CELL_TEXT, xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE,
                                               xlrd.XL_CELL_BOOLEAN, xlrd.XL_CELL_ERROR)
        plain = bytes((text, number))
        specials = (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, date_, boolean, error)
        for rowx in range(sh.nrows):
            kinds = bytes(sh.row_types(rowx))
            values = sh.row_values(rowx)  # a fresh list
            if kinds.translate(None, plain):  # some cells are not plain text or numbers
                for kind in specials:
                    i = kinds.find(kind)
                    while i >= 0:
                        v = values[i]
                        if kind == date_:
                            values[i] = _xls_date(v, datemode)
                        elif kind == boolean:
                            values[i] = bool(v)
                        elif kind == error:
                            values[i] = xlrd.error_text_from_code.get(v, "#ERR")
                        else:
                            values[i] = None
                        i = kinds.find(kind, i + 1)
            row = tuple(values)
            if is_blank(row):
                continue
            collected.add(rowx + 1, trim(row))
        merged = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in getattr(sh, "merged_cells", [])
                  if rhi - rlo > 1 or chi - clo > 1]
        name = sh.name
    finally:
        book.release_resources()
    columns = collected.finish()  # .xls has at most 256 columns; stray far ones are still left out
    if merged:
        fill_merged(collected.rows, laid_out_ranges(merged[:MAX_MERGED_RANGES], columns), collected.where())
    return SheetData(name, collected.rows, names, columns)


def _xls_date(value: float, datemode: int) -> object:
    import xlrd

    try:
        if 0 <= value < 1:  # a time of day only
            return xlrd.xldate_as_datetime(value, datemode).time().isoformat()
        return xlrd.xldate_as_datetime(value, datemode)
    except (xlrd.xldate.XLDateError, ValueError, OverflowError):
        return value
