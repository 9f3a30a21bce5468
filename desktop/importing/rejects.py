"""The rows an import rejected, written back as a workbook the clerk can fix and re-import.

Qt-free, so the GUI and the CLI write the same file: a first column 原行号 (the row number in
the original file), the original columns under their original headers, a last column 拒绝原因.
Every value is written as a text cell: a value starting with ``= + - @`` never becomes a
formula, and an ID number stays exactly as the file held it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.jobs import Cancelled

if TYPE_CHECKING:
    from db.database import Database

ROW_HEADER = "原行号"
REASON_HEADER = "拒绝原因"
SHEET_TITLE = "被拒绝的行"


def cell_text(value: Any) -> str | None:
    """A read cell value as the text to write back (None for an empty cell)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.time() == time(0) else value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        # Excel's own 15 significant digits: a long ID Excel turned into a number is shown as
        # damaged (3.30281199001011E+17), never padded with invented digits.
        return format(value, ".15G")
    text = str(value)
    return text if text.strip() else None


def _headers(rows: Sequence[tuple[int, Mapping[str, Any]]], headers: Sequence[str] | None) -> list[str]:
    seen: dict[str, None] = dict.fromkeys(headers or ())
    for _number, values in rows:
        for key in values:
            seen.setdefault(str(key), None)
    return [h for h in seen if h not in (ROW_HEADER, REASON_HEADER)]


def _reasons(reasons: Mapping[int, str] | Iterable[Any]) -> dict[int, str]:
    if isinstance(reasons, Mapping):
        return {int(k): str(v) for k, v in reasons.items()}
    out: dict[int, str] = {}
    for p in reasons:  # importer.Problem: .row, .reason
        row, reason = int(p.row), str(p.reason)
        out[row] = f"{out[row]}；{reason}" if row in out else reason
    return out


def write_rejected_rows(path: Path, rows: Sequence[tuple[int, Mapping[str, Any]]],
                        reasons: Mapping[int, str] | Iterable[Any], *, headers: Sequence[str] | None = None,
                        cancelled: Any = None, db: Database | None = None, table: str = "") -> int:
    """Write ``rows`` (row number, {header: value}) to the .xlsx ``path``; returns the row count.

    ``reasons`` maps a row number to its reason, or is the import report's ``rejected`` list.
    The file appears only when complete (written beside it, then renamed).

    The clerk's values are kept whole (they must correct them), so the file is audit-logged
    like ``export --full``: with ``db``, an ``export_full`` row for ``table`` is committed
    first, and when it cannot be, :class:`db.errors.DatabaseProblem` is raised and nothing
    is written.
    """
    if db is not None:
        from db import audit

        with db.session() as s:
            audit.log_before_output(s, "export_full", table,
                                    note=f"被拒绝的行 {len(rows)} 行（含原始数据），文件 {path}", target=Path(path).name)
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from reports.spec import display_width

    why = _reasons(reasons)
    columns = [ROW_HEADER, *_headers(rows, headers), REASON_HEADER]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_TITLE
    widths = [max(display_width(c), 6) for c in columns]

    def put(r: int, c: int, value: str | None) -> None:
        if value is None:
            return
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = ws.cell(row=r, column=c)
        cell.value = value
        cell.data_type = "s"  # text, never a formula
        cell.number_format = "@"
        widths[c - 1] = max(widths[c - 1], min(display_width(value), 60))

    bold = Font(bold=True)
    for c, name in enumerate(columns, 1):
        put(1, c, name)
        ws.cell(row=1, column=c).font = bold
    ws.cell(row=1, column=len(columns)).fill = PatternFill("solid", fgColor="FCE4D6")
    reason_font = Font(color="C0392B")
    for i, (number, values) in enumerate(rows):
        if cancelled is not None and i % 1000 == 0 and cancelled():
            raise Cancelled
        r = i + 2
        put(r, 1, str(number))
        for c, name in enumerate(columns[1:-1], 2):
            put(r, c, cell_text(values.get(name)))
        put(r, len(columns), why.get(number, ""))
        ws.cell(row=r, column=len(columns)).font = reason_font
    for c, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = width + 2
    ws.column_dimensions[get_column_letter(len(columns))].width = max(widths[-1] + 2, 30)
    for row in ws.iter_rows(min_row=2, min_col=len(columns), max_col=len(columns)):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "B2"

    path = Path(path)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.xlsx")
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return len(rows)
