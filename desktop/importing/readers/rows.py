"""Row handling every reader shares: collecting kept rows within the limits, laying them out
over the columns that hold values, copying merged ranges, choosing the sheet."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from datetime import time, timedelta
from itertools import pairwise
from typing import Any

from desktop.importing.readers.sheet import (
    DENSE_LIMIT,
    MAX_CELLS,
    MAX_EMPTY_RUN,
    MAX_SCANNED_CELLS,
    ReadError,
)


class Rows:
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


def is_blank(values: Iterable[object]) -> bool:
    for v in values:
        if v is None:
            continue
        if v.__class__ is str and (not v or v.isspace()):
            continue
        return False
    return True


def trim(values: tuple[object, ...]) -> tuple[object, ...]:
    n = len(values)
    while n and values[n - 1] is None:
        n -= 1
    return values if n == len(values) else values[:n]


TIME_TYPES = (time, timedelta)


def fix_cell(v: object) -> object:
    if isinstance(v, time):
        return v.isoformat()
    if isinstance(v, timedelta):
        return str(v)
    return v


def fill_merged(rows: list[tuple[int, tuple[object, ...]]], ranges: Iterable[tuple[int, int, int, int]],
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


def laid_out_ranges(ranges: Iterable[tuple[int, int, int, int]],
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


def parse_ref(ref: str) -> tuple[int, int, int, int] | None:
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


def choose_sheet(names: list[str], visible: list[bool], sheet: str | None, label: str) -> int:
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

