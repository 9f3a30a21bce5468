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

import bisect
import codecs
import csv
import io
import re
import struct
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import time, timedelta
from itertools import compress, pairwise
from pathlib import Path
from typing import IO, Any, Final, NoReturn

__all__ = [
    "ERROR_CODES",
    "MAX_CELLS",
    "MAX_EMPTY_RUN",
    "MAX_MEMBER_RATIO",
    "MAX_SCANNED_CELLS",
    "MAX_TEXT_BYTES",
    "MAX_UNCOMPRESSED_TOTAL",
    "ReadError",
    "SheetData",
    "detect_format",
    "read_sheet",
]

# --- limits (module constants so tests and callers can see them) -------------------------
MAX_UNCOMPRESSED_TOTAL: Final = 500 * 1024 * 1024  # sum of a zip's declared member sizes
MAX_MEMBER_RATIO: Final = 100  # uncompressed : compressed, checked on large members
RATIO_CHECK_MIN_SIZE: Final = 20 * 1024 * 1024  # a member this large must not exceed the ratio
MAX_ZIP_MEMBERS: Final = 10_000
MAX_CENTRAL_DIRECTORY: Final = 32 * 1024 * 1024
MAX_TEXT_BYTES: Final = 128 * 1024 * 1024  # a CSV larger than this is refused
MAX_CELLS: Final = 20_000_000  # stored cells (after trimming), a memory bound beside max_rows
MAX_SCANNED_CELLS: Final = 150_000_000  # cells the parser hands over, blank ones included: a time bound
MAX_MERGED_RANGES: Final = 200_000
DENSE_LIMIT: Final = 1024  # a row with a value past this column is kept sparse until the table is laid out
MAX_EMPTY_RUN: Final = 64  # more empty columns than this in a row are left out of the table
MAX_FORMULA_CELLS: Final = 10_000  # formula cells without a cached value that are listed
XLS_MERGE_INFO_LIMIT: Final = 64 * 1024 * 1024  # .xls files up to this size get merged-cell info
PROLOG_SCAN_BYTES: Final = 64 * 1024

ERROR_CODES: Final = (
    "empty_file",
    "not_spreadsheet",
    "encrypted",
    "zip_bomb",
    "xml_bomb",
    "too_many_rows",
    "sheet_not_found",
    "corrupt",
    "unreadable",
)

OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MESSAGE: Final = "文件已加密，请在 Excel 中取消密码后另存再导入"


class ReadError(ValueError):
    """A file that cannot be read as a table; ``code`` is one of ``ERROR_CODES``."""

    def __init__(self, code: str, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.detail = detail  # the underlying library's wording, for logs; not shown to the clerk

    def __repr__(self) -> str:
        return f"ReadError({self.code!r}, {self.message!r})"


@dataclass
class SheetData:
    """One sheet's non-blank rows as (row number as shown, cell values)."""

    name: str
    rows: list[tuple[int, tuple[object, ...]]]
    sheet_names: list[str]
    # The sheet's 1-based column number of each position when empty columns were left out.
    columns: list[int] | None = None
    # (row number, cell reference such as "C5") of formula cells without a cached value, in
    # sheet order, at most MAX_FORMULA_CELLS of them; formula_total counts them all.
    formula_cells: list[tuple[int, str]] = field(default_factory=list)
    formula_total: int = 0

    def column_number(self, position: int) -> int:
        """The sheet's 1-based column number of a 0-based position in the rows."""
        if self.columns is None or position >= len(self.columns):
            return position + 1
        return self.columns[position]


# ==========================================================================================
# entry point
# ==========================================================================================


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
                return _guard(label, lambda: _read_zip(f, size, label, sheet, max_rows))
            if kind == "ole":
                if size > MAX_UNCOMPRESSED_TOTAL:
                    raise ReadError("too_many_rows",
                                    f"文件“{label}”过大（{size // (1024 * 1024)} MB），请拆分后再导入")
                data = f.read()
                return _guard(label, lambda: _read_ole(data, label, sheet, max_rows))
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
    return _guard(label, lambda: _read_text(data, path.stem or label, label, max_rows))


def detect_format(head: bytes) -> str:
    """'xlsx', 'ole' or 'text' from a file's first bytes (zip, OLE2 compound file, other)."""
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        return "xlsx"
    if head[:8] == OLE_MAGIC:
        return "ole"
    return "text"


def _guard(label: str, read: Callable[[], SheetData]) -> SheetData:
    """Run a reader; map any stray exception to a ReadError."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return read()
    except ReadError:
        raise
    except MemoryError:
        raise ReadError("too_many_rows", f"文件“{label}”过大，内存不足，请拆分后再导入") from None
    except RecursionError:
        raise ReadError("corrupt", f"文件“{label}”已损坏，无法读取") from None
    except Exception as exc:
        if _is_entity_attack(exc):
            raise ReadError("xml_bomb", f"文件“{label}”含有不安全的 XML 实体定义，已拒绝读取",
                            _brief(exc)) from exc
        raise ReadError("corrupt", f"文件“{label}”已损坏或格式不完整，无法读取", _brief(exc)) from exc


def _is_entity_attack(exc: BaseException) -> bool:
    try:
        from defusedxml import DefusedXmlException
    except ImportError:  # pragma: no cover - defusedxml is a dependency
        return False
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, DefusedXmlException):
            return True
        text = str(cur).lower()
        if "entity" in text and ("limit" in text or "amplification" in text or "forbidden" in text):
            return True  # expat's own billion-laughs protection
        cur = cur.__cause__ or cur.__context__
    return False


def _brief(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__


# ==========================================================================================
# shared row handling
# ==========================================================================================


class _Rows:
    """Collects kept rows, enforcing the row and cell limits."""

    def __init__(self, label: str, sheet_label: str, max_rows: int) -> None:
        self.rows: list[tuple[int, tuple[object, ...]]] = []
        self.sparse: dict[int, dict[int, object]] = {}  # index in rows -> {0-based column: value}
        self.label = label
        self.sheet_label = sheet_label
        self.max_rows = max_rows
        self.cells = 0

    def too_wide(self, number: int) -> ReadError:
        return ReadError("too_many_rows",
                         f"{self.where()}的行列过多（到第 {number} 行已超过 {MAX_SCANNED_CELLS} 个单元格），"
                         "请删除多余的空行空列后再导入")

    def add(self, number: int, values: tuple[object, ...]) -> None:
        rows = self.rows
        if len(rows) >= self.max_rows:
            raise ReadError("too_many_rows",
                            f"{self.where()}超过 {self.max_rows} 行（第 {number} 行起），请拆分后再导入")
        self.cells += len(values)
        if self.cells > MAX_CELLS:
            raise ReadError("too_many_rows",
                            f"{self.where()}数据过多（超过 {MAX_CELLS} 个单元格，到第 {number} 行），请拆分后再导入")
        rows.append((number, values))

    def add_cells(self, number: int, cells: dict[int, object]) -> None:
        """A row given as {0-based column: value}, stored densely unless it reaches far right."""
        last = max(cells)
        if last < DENSE_LIMIT:
            values: list[object] = [None] * (last + 1)
            for c, v in cells.items():
                values[c] = v
            self.add(number, tuple(values))
            return
        self.add(number, ())
        self.cells += len(cells)
        self.sparse[len(self.rows) - 1] = cells

    def finish(self) -> list[int] | None:
        """Lay the rows out over the columns that hold values (runs of more than
        MAX_EMPTY_RUN empty columns left out); returns ``SheetData.columns``."""
        rows = self.rows
        width = max((len(v) for _, v in rows), default=0)
        if not self.sparse and width <= MAX_EMPTY_RUN + 1:
            return None  # no run of empty columns long enough to leave out
        occupied: set[int] = set()
        empty = set(range(width))  # dense columns not yet seen holding a value
        for i, (_, values) in enumerate(rows):
            if i in self.sparse:
                occupied.update(self.sparse[i])
            elif empty:
                n = len(values)
                found = [c for c in empty if c < n and values[c] is not None]
                empty.difference_update(found)
        occupied.update(c for c in range(width) if c not in empty)
        kept: list[int] = []
        previous = -1
        for c in sorted(occupied):
            if c - previous - 1 <= MAX_EMPTY_RUN:
                kept.extend(range(previous + 1, c))
            kept.append(c)
            previous = c
        if not self.sparse and len(kept) == kept[-1] + 1:
            return None
        position = {c: i for i, c in enumerate(kept)}
        total = 0
        for i, (number, values) in enumerate(rows):
            cells = self.sparse.pop(i, None)
            if cells is None:
                cells = {c: v for c, v in enumerate(values) if v is not None}
            if not cells:
                continue
            laid: list[object] = [None] * (max(position[c] for c in cells) + 1)
            for c, v in cells.items():
                laid[position[c]] = v
            total += len(laid)
            if total > MAX_CELLS:
                raise ReadError("too_many_rows",
                                f"{self.where()}数据过多（超过 {MAX_CELLS} 个单元格，到第 {number} 行），请拆分后再导入")
            rows[i] = (number, tuple(laid))
        return [c + 1 for c in kept]

    def where(self) -> str:
        if self.sheet_label:
            return f"文件“{self.label}”的工作表“{self.sheet_label}”"
        return f"文件“{self.label}”"


def _is_blank(values: Iterable[object]) -> bool:
    for v in values:
        if v is None:
            continue
        if v.__class__ is str and (not v or v.isspace()):
            continue
        return False
    return True


def _trim(values: tuple[object, ...]) -> tuple[object, ...]:
    n = len(values)
    while n and values[n - 1] is None:
        n -= 1
    return values if n == len(values) else values[:n]


_TIME_TYPES = (time, timedelta)


def _fix_cell(v: object) -> object:
    if isinstance(v, time):
        return v.isoformat()
    if isinstance(v, timedelta):
        return str(v)
    return v


def _fill_merged(rows: list[tuple[int, tuple[object, ...]]], ranges: Iterable[tuple[int, int, int, int]],
                 where: str) -> None:
    """Copy each merged range's top-left value into the range's cells in the kept rows.

    ``ranges`` hold 1-based (first row, first column, last row, last column). Columns are
    clipped to the widest kept row, so a range running far past the data costs nothing.
    """
    if not rows:
        return
    numbers = [n for n, _ in rows]
    if any(a >= b for a, b in pairwise(numbers)):
        return  # rows out of order: not something a sane writer produces; leave them alone
    width = max(len(v) for _, v in rows)
    position = {n: i for i, n in enumerate(numbers)}
    mutable: dict[int, list[object]] = {}
    budget = MAX_CELLS
    for r1, c1, r2, c2 in ranges:
        if r1 > r2 or c1 > c2 or c1 > width:
            continue
        top = position.get(r1)
        if top is None:
            continue
        top_row = mutable.get(top)
        top_values: Any = top_row if top_row is not None else rows[top][1]
        value = top_values[c1 - 1] if c1 - 1 < len(top_values) else None
        if value is None:
            continue
        last_col = min(c2, width)
        start = bisect.bisect_left(numbers, r1)
        stop = bisect.bisect_right(numbers, r2)
        for i in range(start, stop):
            cells = mutable.get(i)
            if cells is None:
                cells = list(rows[i][1])
                mutable[i] = cells
            if len(cells) < last_col:
                cells.extend([None] * (last_col - len(cells)))
            for c in range(c1 - 1, last_col):
                cells[c] = value
            budget -= last_col - c1 + 1
            if budget < 0:
                raise ReadError("too_many_rows", f"{where}合并单元格过多，请取消合并后再导入")
    for i, cells in mutable.items():
        rows[i] = (rows[i][0], tuple(cells))


def _laid_out_ranges(ranges: Iterable[tuple[int, int, int, int]],
                     columns: list[int] | None) -> list[tuple[int, int, int, int]]:
    """Merged ranges in sheet columns -> ranges in row positions (``columns`` from ``finish``).

    A range whose first column was left out (empty in every kept row) has nothing to copy.
    """
    if columns is None:
        return list(ranges)
    out: list[tuple[int, int, int, int]] = []
    for r1, c1, r2, c2 in ranges:
        p1 = bisect.bisect_left(columns, c1)
        if p1 >= len(columns) or columns[p1] != c1:
            continue
        p2 = bisect.bisect_right(columns, c2) - 1
        out.append((r1, p1 + 1, r2, p2 + 1))
    return out


_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


def _parse_ref(ref: str) -> tuple[int, int, int, int] | None:
    """'B3:D5' -> (3, 2, 5, 4); None for a single cell or something unreadable."""
    if ":" not in ref:
        return None
    a, _, b = ref.partition(":")
    ma, mb = _CELL_REF.match(a.strip()), _CELL_REF.match(b.strip())
    if not ma or not mb:
        return None
    r1, c1 = int(ma.group(2)), _col_number(ma.group(1))
    r2, c2 = int(mb.group(2)), _col_number(mb.group(1))
    if r1 > r2:
        r1, r2 = r2, r1
    if c1 > c2:
        c1, c2 = c2, c1
    if (r1, c1) == (r2, c2) or r1 < 1:
        return None
    return r1, c1, r2, c2


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _choose_sheet(names: list[str], visible: list[bool], sheet: str | None, label: str) -> int:
    if not names:
        raise ReadError("corrupt", f"文件“{label}”中没有工作表")
    if sheet is None:
        for i, v in enumerate(visible):
            if v:
                return i
        return 0
    if sheet in names:
        return names.index(sheet)
    wanted = _loose(sheet)
    loose = [i for i, n in enumerate(names) if _loose(n) == wanted]
    if len(loose) == 1:
        return loose[0]
    listed = "、".join(f"“{n}”" for n in names[:30]) + ("等" if len(names) > 30 else "")
    raise ReadError("sheet_not_found", f"文件“{label}”中没有名为“{sheet}”的工作表（现有：{listed}）")


def _loose(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


# ==========================================================================================
# .xlsx / .xlsm (zip)
# ==========================================================================================

_MERGE_RE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]{0,20}:)?mergeCell\s[^>]{0,200}?\bref\s*=\s*[\"']([A-Za-z$]{1,4}\d{1,7}(?::[A-Za-z$]{1,4}\d{1,7})?)[\"']"
)
_ROOT_START = re.compile(rb"<[A-Za-z_]")


def _check_zip_directory(f: IO[bytes], size: int, label: str) -> None:
    """Refuse archives whose central directory alone would be huge, before zipfile reads it."""
    tail_len = min(size, 65_536 + 22)
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    f.seek(0)
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or pos + 22 > len(tail):
        raise ReadError("corrupt", f"文件“{label}”不完整或已损坏（压缩包缺少目录，可能未完整复制）")
    entries, cd_size = struct.unpack_from("<HI", tail, pos + 10)
    if entries != 0xFFFF and entries > MAX_ZIP_MEMBERS:
        raise ReadError("zip_bomb", f"文件“{label}”包含的内部文件过多（{entries} 个），已拒绝读取")
    if cd_size != 0xFFFFFFFF and cd_size > MAX_CENTRAL_DIRECTORY:
        raise ReadError("zip_bomb", f"文件“{label}”的压缩目录异常庞大，已拒绝读取")


def _check_zip_sizes(infos: list[zipfile.ZipInfo], label: str) -> None:
    if len(infos) > MAX_ZIP_MEMBERS:
        raise ReadError("zip_bomb", f"文件“{label}”包含的内部文件过多（{len(infos)} 个），已拒绝读取")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ReadError("encrypted", f"{ENCRYPTED_MESSAGE}（{label}：压缩包带有密码）")
        total += info.file_size
        if info.file_size >= RATIO_CHECK_MIN_SIZE and info.file_size > MAX_MEMBER_RATIO * max(info.compress_size, 1):
            raise ReadError("zip_bomb",
                            f"文件“{label}”的内部文件“{info.filename}”压缩比异常（疑似压缩炸弹），已拒绝读取")
    if total > MAX_UNCOMPRESSED_TOTAL:
        raise ReadError("zip_bomb",
                        f"文件“{label}”解压后超过 {MAX_UNCOMPRESSED_TOTAL // (1024 * 1024)} MB（疑似压缩炸弹），已拒绝读取")


def _zip_kind(zf: zipfile.ZipFile, names: set[str], label: str) -> None:
    """Raise unless the archive is an Excel 2007+ workbook."""
    lower = {n.lower() for n in names}
    if "[content_types].xml" in lower and "xl/workbook.xml" in lower:
        return
    if "xl/workbook.bin" in lower:
        raise ReadError("not_spreadsheet", f"文件“{label}”是 .xlsb 二进制工作簿，请在 Excel 中另存为 .xlsx 后再导入")
    if "[content_types].xml" in lower and any(n.startswith("xl/") for n in lower):
        try:
            types = zf.read(next(n for n in names if n.lower() == "[content_types].xml"))[:1_000_000]
        except Exception:
            types = b""
        if b"spreadsheetml" in types or b"ms-excel" in types:
            return  # a workbook part under another name; openpyxl finds it from the content types
    if "word/document.xml" in lower:
        raise ReadError("not_spreadsheet", f"文件“{label}”是 Word 文档，不是 Excel 表格")
    if any(n.startswith("ppt/") for n in lower):
        raise ReadError("not_spreadsheet", f"文件“{label}”是 PowerPoint 文档，不是 Excel 表格")
    if "mimetype" in lower:
        try:
            mime = zf.read("mimetype")[:200]
        except Exception:
            mime = b""
        if b"opendocument.spreadsheet" in mime:
            raise ReadError("not_spreadsheet",
                            f"文件“{label}”是 .ods 表格，请在 WPS 或 Excel 中另存为 .xlsx 后再导入")
    raise ReadError("not_spreadsheet", f"文件“{label}”是压缩包，不是 Excel 表格")


def _check_prologs(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], label: str) -> None:
    """Refuse any XML part that declares a DTD (entities); no Excel part ever has one.

    Only each part's prolog is read (the DTD must come before the root element), so this
    costs a few kilobytes of decompression per part.
    """
    for info in infos:
        name = info.filename.lower()
        if not name.endswith((".xml", ".rels", ".vml")) or info.is_dir():
            continue
        with zf.open(info) as src:
            head = src.read(PROLOG_SCAN_BYTES)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            head = head.decode("utf-16", "replace").encode("utf-8", "replace")
        root = _first_root(head)
        prolog = head if root < 0 else head[:root]
        if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog or b"<!doctype" in prolog:
            raise ReadError("xml_bomb",
                            f"文件“{label}”的内部文件“{info.filename}”含有 XML 实体定义（可能是恶意文件），已拒绝读取")


def _first_root(head: bytes) -> int:
    """Offset of the root element's start tag, skipping the declaration, comments and PIs."""
    pos = 0
    while True:
        lt = head.find(b"<", pos)
        if lt < 0 or lt + 1 >= len(head):
            return -1
        nxt = head[lt + 1:lt + 2]
        if nxt == b"?":
            end = head.find(b"?>", lt)
            if end < 0:
                return -1
            pos = end + 2
        elif head.startswith(b"<!--", lt):
            end = head.find(b"-->", lt)
            if end < 0:
                return -1
            pos = end + 3
        elif nxt == b"!":
            return -1  # <!DOCTYPE ...> or similar before any root: the caller checks the prolog
        elif _ROOT_START.match(head, lt):
            return lt
        else:
            pos = lt + 1


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
                    ref = _parse_ref(m.group(1).decode("ascii"))
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


def _read_zip(f: IO[bytes], size: int, label: str, sheet: str | None, max_rows: int) -> SheetData:
    _check_zip_directory(f, size, label)
    try:
        zf = zipfile.ZipFile(f)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, struct.error) as exc:
        raise ReadError("corrupt", f"文件“{label}”不完整或已损坏（压缩包无法打开，可能未完整复制）",
                        _brief(exc)) from None
    with zf:
        infos = zf.infolist()
        _check_zip_sizes(infos, label)
        names = {i.filename for i in infos}
        _zip_kind(zf, names, label)
        _check_prologs(zf, infos, label)
        f.seek(0)
        return _read_xlsx(f, zf, label, sheet, max_rows)


_PARSER_CLASS: type | None = None


def _parser_class() -> type:
    """openpyxl's worksheet parser, noting formula cells that have no cached value.

    With ``data_only`` such a cell reads as None; it is one with a formula and no ``<v>``
    (or an empty ``<v>`` on a cell not typed as text, as openpyxl itself writes them).
    A formula whose result is an empty string is stored as ``t="str"`` with ``<v></v>``.
    """
    global _PARSER_CLASS
    if _PARSER_CLASS is None:
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
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    wb = load_workbook(f, read_only=True, data_only=True, keep_links=False)
    try:
        worksheets = wb.worksheets
        names = [ws.title for ws in worksheets]
        visible = [getattr(ws, "sheet_state", "visible") == "visible" for ws in worksheets]
        ws = worksheets[_choose_sheet(names, visible, sheet, label)]
        collected = _Rows(label, ws.title, max_rows)
        add = collected.add_cells
        scanned = 0
        last = 0
        # The parser hands over each row's cells as they stand in the file (never padded to
        # the widest column, unlike iter_rows), and the sheet's <dimension> is not trusted.
        with ws._get_source() as src:
            parser = _parser_class()(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                                     date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
            parser.formula_cells = []
            for number, row in parser.parse():
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
                for cell in row:
                    v = cell["value"]
                    if v is None:
                        continue
                    column = cell["column"]
                    if column < 1:
                        continue
                    if v.__class__ is str:
                        if blank and v and not v.isspace():
                            blank = False
                    else:
                        blank = False
                        if isinstance(v, _TIME_TYPES):
                            v = _fix_cell(v)
                    cells[column - 1] = v
                if blank:
                    continue
                add(number, cells)
        formula_cells = [(r, f"{get_column_letter(c)}{r}") for r, c in parser.formula_cells if 1 <= c <= 18_278]
        formula_total = parser.formula_total
        member = getattr(ws, "_worksheet_path", None)
    finally:
        wb.close()
    columns = collected.finish()
    if member and collected.rows:
        ranges = _laid_out_ranges(_scan_merged_xlsx(zf, member), columns)
        if ranges:
            _fill_merged(collected.rows, ranges, collected.where())
    return SheetData(ws.title, collected.rows, names, columns, formula_cells, formula_total)


# ==========================================================================================
# OLE2 compound files: .xls, and password-protected .xlsx
# ==========================================================================================

_FREESECT = 0xFFFFFFFF
_ENDOFCHAIN = 0xFFFFFFFE
_MAXREGSECT = 0xFFFFFFFA


class _Ole:
    """Just enough of a Compound File Binary reader to list entries and read a stream's head."""

    def __init__(self, data: bytes, label: str) -> None:
        self.data = data
        self.label = label
        if len(data) < 512:
            self._bad("文件头不完整")
        shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
        if shift not in (9, 12) or mini_shift != 6:
            self._bad("扇区大小无效")
        self.sector = 1 << shift
        self.mini_sector = 1 << mini_shift
        (n_fat, first_dir, _tx, self.cutoff, first_minifat, n_minifat, first_difat,
         n_difat) = struct.unpack_from("<IIIIIIII", data, 0x2C)
        self.n_sectors = max(0, (len(data) - self.sector) // self.sector + 1)
        if n_fat > self.n_sectors or n_difat > self.n_sectors:
            self._bad("分配表大小无效")
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s <= _MAXREGSECT]
        s, seen = first_difat, 0
        per = self.sector // 4 - 1
        while s <= _MAXREGSECT and seen <= n_difat:
            block = self._sector_bytes(s)
            ids = struct.unpack_from(f"<{per + 1}I", block)
            fat_sectors.extend(x for x in ids[:per] if x <= _MAXREGSECT)
            s = ids[per]
            seen += 1
        fat_sectors = fat_sectors[:n_fat]
        fat: list[int] = []
        per_fat = self.sector // 4
        for fs in fat_sectors:
            fat.extend(struct.unpack_from(f"<{per_fat}I", self._sector_bytes(fs)))
        self.fat = fat
        self.entries: list[tuple[str, int, int, int]] = []  # (name, type, start, size)
        for sec in self._chain(first_dir):
            block = self._sector_bytes(sec)
            for off in range(0, self.sector, 128):
                raw = block[off:off + 128]
                if len(raw) < 128:
                    break
                name_len, kind = struct.unpack_from("<HB", raw, 0x40)
                if kind not in (1, 2, 5):
                    continue
                name = raw[:max(0, min(name_len, 64) - 2)].decode("utf-16-le", "replace")
                start, size_lo = struct.unpack_from("<II", raw, 0x74)
                self.entries.append((name, kind, start, size_lo))
        self.first_minifat = first_minifat
        self.n_minifat = n_minifat

    def _bad(self, why: str) -> NoReturn:
        raise ReadError("corrupt", f"文件“{self.label}”已损坏（复合文档{why}）")

    def _sector_bytes(self, sid: int) -> bytes:
        off = (sid + 1) * self.sector
        if sid > _MAXREGSECT or off >= len(self.data):
            self._bad("扇区越界")
        block = self.data[off:off + self.sector]
        return block + b"\0" * (self.sector - len(block))

    def _chain(self, start: int, limit: int | None = None) -> Iterator[int]:
        s, count = start, 0
        cap = len(self.fat) if limit is None else min(limit, len(self.fat))
        while s <= _MAXREGSECT:
            if s >= len(self.fat) or count > cap:
                self._bad("扇区链无效")
            yield s
            count += 1
            s = self.fat[s]

    def names(self) -> set[str]:
        return {n.lower() for n, _, _, _ in self.entries}

    def stream_head(self, name: str, n: int) -> bytes:
        """The first ``n`` bytes of the stream called ``name`` (case-insensitive)."""
        entry = next((e for e in self.entries if e[1] == 2 and e[0].lower() == name.lower()), None)
        if entry is None:
            return b""
        _, _, start, size = entry
        n = min(n, size)
        out = bytearray()
        if size >= self.cutoff:
            for sid in self._chain(start, limit=n // self.sector + 2):
                out += self._sector_bytes(sid)
                if len(out) >= n:
                    break
            return bytes(out[:n])
        root = next((e for e in self.entries if e[1] == 5), None)
        if root is None:
            return b""
        container = [sid for sid in self._chain(root[2])]
        minifat: list[int] = []
        per = self.sector // 4
        for sid in self._chain(self.first_minifat, limit=self.n_minifat + 1):
            minifat.extend(struct.unpack_from(f"<{per}I", self._sector_bytes(sid)))
        s, count = start, 0
        per_container = self.sector // self.mini_sector
        while s <= _MAXREGSECT and len(out) < n:
            if s >= len(minifat) or count > len(minifat):
                self._bad("短扇区链无效")
            big, small = divmod(s, per_container)
            if big >= len(container):
                self._bad("短扇区越界")
            block = self._sector_bytes(container[big])
            out += block[small * self.mini_sector:(small + 1) * self.mini_sector]
            s = minifat[s]
            count += 1
        return bytes(out[:n])


def _biff_filepass(head: bytes) -> bool:
    """True when the workbook globals carry a FILEPASS record (0x002F): the file is encrypted."""
    pos, count = 0, 0
    while pos + 4 <= len(head) and count < 400:
        rtype, rlen = struct.unpack_from("<HH", head, pos)
        if rtype == 0x002F:
            return True
        if rtype in (0x000A, 0x0085, 0x00FC) and count:  # EOF, BOUNDSHEET, SST: past where it lives
            return False
        pos += 4 + rlen
        count += 1
    return False


def _read_ole(data: bytes, label: str, sheet: str | None, max_rows: int) -> SheetData:
    ole = _Ole(data, label)
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
    if _biff_filepass(ole.stream_head(stream, 16_384)):
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
        raise ReadError("corrupt", f"文件“{label}”已损坏，不是可读的 .xls 工作簿", _brief(exc)) from None
    try:
        names = list(book.sheet_names())
        visibility = list(getattr(book, "_sheet_visibility", [])) or [0] * len(names)
        visible = [visibility[i] == 0 if i < len(visibility) else True for i in range(len(names))]
        index = _choose_sheet(names, visible, sheet, label)
        sh = book.sheet_by_index(index)
        collected = _Rows(label, sh.name, max_rows)
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
            if _is_blank(row):
                continue
            collected.add(rowx + 1, _trim(row))
        merged = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in getattr(sh, "merged_cells", [])
                  if rhi - rlo > 1 or chi - clo > 1]
        name = sh.name
    finally:
        book.release_resources()
    columns = collected.finish()  # .xls has at most 256 columns; stray far ones are still left out
    if merged:
        _fill_merged(collected.rows, _laid_out_ranges(merged[:MAX_MERGED_RANGES], columns), collected.where())
    return SheetData(name, collected.rows, names, columns)


def _xls_date(value: float, datemode: int) -> object:
    import xlrd

    try:
        if 0 <= value < 1:  # a time of day only
            return xlrd.xldate_as_datetime(value, datemode).time().isoformat()
        return xlrd.xldate_as_datetime(value, datemode)
    except (xlrd.xldate.XLDateError, ValueError, OverflowError):
        return value


# ==========================================================================================
# .csv / .txt
# ==========================================================================================

_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF 文件"),
    (b"\x89PNG", "图片（PNG）"),
    (b"\xff\xd8\xff", "图片（JPEG）"),
    (b"GIF8", "图片（GIF）"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"{\\rtf", "RTF 文档"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SEP_HINT = re.compile(r"^\"?sep=(.)\"?\s*$", re.IGNORECASE)


def _decode(data: bytes, label: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError:
            pass  # a BOM and then something else: fall through to the guesses
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")  # Excel's "Unicode text" export
        except UnicodeDecodeError:
            raise ReadError("not_spreadsheet", f"文件“{label}”的文字编码无法识别") from None
    if b"\x00" in data:
        raise ReadError("not_spreadsheet", f"文件“{label}”不是表格文件（含有二进制内容）")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data[:4 * 1024 * 1024]).best()
    if best is None or best.encoding is None:
        raise ReadError("not_spreadsheet", f"文件“{label}”的文字编码无法识别，请另存为 UTF-8 编码的 CSV 再导入")
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise ReadError("not_spreadsheet",
                        f"文件“{label}”的文字编码无法识别，请另存为 UTF-8 编码的 CSV 再导入") from None


def _sniff_delimiter(lines: list[str]) -> str:
    """The delimiter among , ; TAB that splits the first lines most consistently."""
    sample = "".join(lines)
    best, best_score = ",", (0, 0, 0)
    for order, delim in enumerate((",", "\t", ";")):
        if delim not in sample:
            continue
        try:
            counts = [len(r) for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delim) if r]
        except csv.Error:
            continue
        if not counts:
            continue
        widths = [c for c in counts if c > 1]
        if not widths:
            continue
        mode = max(set(widths), key=widths.count)
        score = (widths.count(mode), mode, -order)
        if score > best_score:
            best, best_score = delim, score
    return best


def _read_text(data: bytes, name: str, label: str, max_rows: int) -> SheetData:
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise ReadError("not_spreadsheet", f"文件“{label}”是{what}，不是表格文件")
    text = _decode(data, label)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise ReadError("empty_file", f"文件“{label}”没有内容")
    head = text[:4096].lstrip().lower()
    if head.startswith("<"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in text[:20_000]:
            raise ReadError("not_spreadsheet",
                            f"文件“{label}”是 XML 表格（Excel 2003），请在 Excel 中另存为 .xlsx 后再导入")
        if "<html" in head or "<table" in head or "<!doctype html" in head:
            raise ReadError("not_spreadsheet",
                            f"文件“{label}”实际是网页（HTML）格式，请在 Excel 中打开后另存为 .xlsx 再导入")
    controls = len(_CONTROL.findall(text[:200_000]))
    if controls > max(2, len(text[:200_000]) // 200):
        raise ReadError("not_spreadsheet", f"文件“{label}”不是表格文件（含有大量控制字符）")

    stream = io.StringIO(text, newline="")
    first_lines: list[str] = []
    for line in stream:
        first_lines.append(line)
        if len(first_lines) >= 50:
            break
    skip_first = False
    hint = _SEP_HINT.match(first_lines[0].rstrip("\r\n")) if first_lines else None
    if hint and hint.group(1) in ",;\t|":
        delimiter = hint.group(1)
        skip_first = True
    else:
        delimiter = _sniff_delimiter(first_lines)
    stream.seek(0)
    if skip_first:
        stream.readline()
    reader = csv.reader(stream, delimiter=delimiter)
    collected = _Rows(label, "", max_rows)
    offset = 1 if skip_first else 0
    while True:
        start = reader.line_num + offset + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ReadError("corrupt", f"文件“{label}”第 {start} 行格式错误（引号不成对或单元格过长）",
                            _brief(exc)) from None
        if _is_blank(record):
            continue
        if len(record) > DENSE_LIMIT:  # a long run of separators: keep only the cells with text
            kept = list(compress(range(len(record)), record))  # the non-empty ones, at C speed
            collected.add_cells(start, dict(zip(kept, map(record.__getitem__, kept), strict=True)))
        else:
            collected.add(start, _trim(tuple(v if v != "" else None for v in record)))
    columns = collected.finish()
    return SheetData(name, collected.rows, [name], columns)
