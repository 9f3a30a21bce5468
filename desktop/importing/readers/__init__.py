"""Read one sheet of a spreadsheet file (.xlsx/.xlsm, .xls, .csv/.txt) into plain rows.

Qt-free and database-free. The format is told by the file's content, never by its suffix.
Every failure on a bad file is a ``ReadError`` with a stable ``code`` and a one-line Chinese
message naming the file (and sheet or row where there is one); checks that guard against
hostile files (zip bombs, XML entity bombs, encrypted workbooks) run before any parser.

Row numbers are those the clerk sees: 1-based spreadsheet rows counting title and header
rows; for CSV, the physical line on which a record starts. Rows whose own cells are all
empty or whitespace are dropped; trailing empty cells are trimmed, so rows vary in length.
A merged range's top-left value is copied into every cell of the range in the rows that
are kept (a row is kept or dropped on its own cells, before the copying).

The table is bounded by the cells that hold values, not by the widest column: a row reaching
far to the right (one stray cell in column XFD) is read sparsely, and any run of more than
``MAX_EMPTY_RUN`` columns that are empty in every kept row is left out. ``SheetData.columns``
then names the sheet column of each position (None when position i is column i + 1).

A formula cell with no cached result (a workbook written by a script and never opened in
Excel) reads as empty; ``SheetData.formula_cells`` lists such cells so the caller can warn.

Cell values: str, int, float, bool, datetime/date or None. Numbers come as the file stores
them (an ID typed as a number stays a float or int, so validators can tell Excel damaged
it); CSV cells are always str. A time of day becomes its "HH:MM:SS" text and a duration its
``str(timedelta)``.
"""

from __future__ import annotations

import io
from pathlib import Path

from desktop.importing.readers.csv import read_text
from desktop.importing.readers.guards import guard
from desktop.importing.readers.sheet import (
    ENCRYPTED_MESSAGE,
    ERROR_CODES,
    MAX_CELLS,
    MAX_EMPTY_RUN,
    MAX_MEMBER_RATIO,
    MAX_SCANNED_CELLS,
    MAX_TEXT_BYTES,
    MAX_UNCOMPRESSED_TOTAL,
    OLE_MAGIC,
    ReadError,
    SheetData,
)
from desktop.importing.readers.xls import read_ole
from desktop.importing.readers.xlsx import read_zip

__all__ = [
    "ENCRYPTED_MESSAGE",
    "ERROR_CODES",
    "MAX_CELLS",
    "MAX_EMPTY_RUN",
    "MAX_MEMBER_RATIO",
    "MAX_SCANNED_CELLS",
    "MAX_TEXT_BYTES",
    "MAX_UNCOMPRESSED_TOTAL",
    "OLE_MAGIC",
    "ReadError",
    "SheetData",
    "detect_format",
    "read_sheet",
]


def read_sheet(path: str | Path, sheet: str | None = None, max_rows: int = 200_000) -> SheetData:
    """Read the first visible sheet (or ``sheet``) of the file at ``path``.

    Raises ``ReadError`` for anything wrong with the file; no other exception type escapes
    for a bad file. For CSV, ``sheet`` is ignored (the one table is named after the file).
    """
    path = Path(path)
    label = path.name
    try:
        with path.open("rb") as f:
            head = f.read(8)
            f.seek(0, io.SEEK_END)
            size = f.tell()
            f.seek(0)
            if size == 0:
                raise ReadError("empty_file", f"文件“{label}”是空文件")
            kind = detect_format(head)
            if kind == "xlsx":
                return guard(label, lambda: read_zip(f, size, label, sheet, max_rows))
            if kind == "ole":
                if size > MAX_UNCOMPRESSED_TOTAL:
                    raise ReadError("too_many_rows",
                                    f"文件“{label}”过大（{size // (1024 * 1024)} MB），请拆分后再导入")
                data = f.read()
                return guard(label, lambda: read_ole(data, label, sheet, max_rows))
            if size > MAX_TEXT_BYTES:
                raise ReadError("too_many_rows",
                                f"文件“{label}”过大（{size // (1024 * 1024)} MB），请拆分后再导入")
            data = f.read()
    except ReadError:
        raise
    except FileNotFoundError:
        raise ReadError("unreadable", f"找不到文件“{label}”") from None
    except IsADirectoryError:
        raise ReadError("unreadable", f"“{label}”是文件夹，不是文件") from None
    except PermissionError:
        raise ReadError("unreadable", f"无法读取文件“{label}”：没有权限或文件正被其他程序占用") from None
    except OSError as exc:
        raise ReadError("unreadable", f"无法读取文件“{label}”：{exc.strerror or exc}") from None
    return guard(label, lambda: read_text(data, path.stem or label, label, max_rows))


def detect_format(head: bytes) -> str:
    """'xlsx', 'ole' or 'text' from a file's first bytes (zip, OLE2 compound file, other)."""
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        return "xlsx"
    if head[:8] == OLE_MAGIC:
        return "ole"
    return "text"

