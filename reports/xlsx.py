"""Excel workbooks (.xlsx) from a :class:`~reports.spec.TableReport`.

One sheet: the title (merged across the columns), the subtitle, the union's name and
the date, then a bold header row that stays in view (frozen panes) and repeats on every
printed page, then the rows. Text is always written as text, never as a formula
(``=1+1`` stays the string ``=1+1``); ID numbers are text cells formatted ``@``; dates are
real dates shown ``yyyy-mm-dd``. Written in openpyxl's streaming (write-only) mode, so
100,000 rows need little memory, to a temporary file moved into place at the end.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import suppress
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from . import Cancelled, atomic_output
from .cn_dates import date_cn
from .spec import TableReport, column_units

__all__ = ["write_table_xlsx"]

FONT_NAME = "宋体"
TITLE_FONT_NAME = "黑体"
# wider than this many character units: print landscape (fit to one page wide either way)
PORTRAIT_UNITS = 100

_THIN = Side(style="thin", color="404040")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_H_ALIGN = {"text": "left", "int": "right", "amount": "right", "date": "center", "id": "center"}
_FORMATS = {"date": "yyyy-mm-dd", "id": "@", "amount": "#,##0.00", "int": "0"}
_STEP = 500  # rows between progress reports / cancel checks


def _sheet_title(title: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\ ."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in title).strip().strip("'")
    return cleaned[:31] or "报表"


def _clean(text: str) -> str:
    """Drop the control characters an .xlsx cannot hold (openpyxl refuses them)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _discard(ws: object) -> None:
    """Close a streamed sheet that will not be saved and delete its temporary file
    (openpyxl would otherwise keep it until the program exits)."""
    with suppress(Exception):
        ws.close()  # type: ignore[attr-defined]
    writer = getattr(ws, "_writer", None)
    if writer is not None:
        with suppress(Exception):
            writer.cleanup()


def _named_styles(wb: Workbook, kinds: list[str], zebra: bool) -> dict[str, str]:
    """One named style per cell look (cheap to assign per cell in streaming mode)."""
    names: dict[str, str] = {}

    def add(name: str, **kw: object) -> str:
        style = NamedStyle(name=name, **kw)  # type: ignore[arg-type]
        wb.add_named_style(style)
        return name

    font = Font(name=FONT_NAME, size=11)
    for kind in sorted(set(kinds)):
        for band in (0, 1) if zebra else (0,):
            key = f"{kind}:{band}"
            names[key] = add(
                f"报表-{kind}{'-间隔' if band else ''}",
                font=font,
                border=_BORDER,
                number_format=_FORMATS.get(kind, "General"),
                alignment=Alignment(
                    horizontal=_H_ALIGN.get(kind, "left"), vertical="center", wrap_text=kind == "text"
                ),
                fill=PatternFill("solid", fgColor="F4F4F4") if band else PatternFill(),
            )
    return names


def write_table_xlsx(
    report: TableReport,
    path: str | os.PathLike[str],
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> None:
    """Write ``report`` as an .xlsx workbook at ``path``.

    ``progress(done, total)`` counts rows; ``cancelled()`` is polled every few hundred
    rows and stops the job with :class:`reports.Cancelled`, leaving no file behind.
    """
    report.check()
    columns = report.columns
    ncols = len(columns)
    nrows = len(report.rows)
    kinds = [c.kind for c in columns]
    units = column_units(report)
    last_col = get_column_letter(ncols)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_title(report.title))
    styles = _named_styles(wb, kinds, report.zebra)

    for j, u in enumerate(units, 1):
        ws.column_dimensions[get_column_letter(j)].width = u + 2

    # ---- the rows above the table
    lines: list[list[WriteOnlyCell | None]] = []
    heights: list[float] = []

    def merged_cell(text: str, row: int, first: int, last: int, font: Font, align: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=_clean(text))
        cell.data_type = "s"
        cell.font = font
        cell.alignment = Alignment(horizontal=align, vertical="center")
        if last > first:
            ws.merged_cells.add(f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row}")
        return cell

    title = merged_cell(report.title, 1, 1, ncols, Font(name=TITLE_FONT_NAME, size=16, bold=True), "center")
    lines.append([title])
    heights.append(30)
    if report.subtitle:
        row = len(lines) + 1
        lines.append([merged_cell(report.subtitle, row, 1, ncols, Font(name=FONT_NAME, size=11), "center")])
        heights.append(20)
    row = len(lines) + 1
    info_font = Font(name=FONT_NAME, size=11)
    when = date_cn(report.printed_on)
    if ncols >= 2:
        split = max(1, ncols // 2)
        left = merged_cell(report.union_name, row, 1, split, info_font, "left")
        right = merged_cell(when, row, split + 1, ncols, info_font, "right")
        lines.append([left, *([None] * (split - 1)), right])
    else:
        lines.append([merged_cell(f"{report.union_name}　{when}", row, 1, 1, info_font, "left")])
    heights.append(20)

    header_row = len(lines) + 1
    header_font = Font(name=FONT_NAME, size=11, bold=True)
    header_fill = PatternFill("solid", fgColor="E4E4E4")
    header_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
    header: list[WriteOnlyCell | None] = []
    for col in columns:
        cell = WriteOnlyCell(ws, value=_clean(col.label))
        cell.data_type = "s"
        cell.font, cell.fill, cell.border, cell.alignment = header_font, header_fill, _BORDER, header_align
        header.append(cell)
    lines.append(header)
    heights.append(22)

    for i, h in enumerate(heights, 1):
        ws.row_dimensions[i].height = h

    # ---- view and print setup (streamed sheets take these before the first row)
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    landscape = report.landscape if report.landscape is not None else sum(units) > PORTRAIT_UNITS
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7, header=0.3, footer=0.3)
    ws.HeaderFooter.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.HeaderFooter.evenFooter.center.text = "第 &P 页 共 &N 页"

    try:
        for line in lines:
            ws.append(line)

        # ---- the rows
        total = max(nrows, 1)
        style_keys = [[f"{k}:{band}" for k in kinds] for band in (0, 1)]
        for i, values in enumerate(report.rows):
            if not i % _STEP:
                if cancelled is not None and cancelled():
                    raise Cancelled()
                if progress is not None:
                    progress(i, total)
            keys = style_keys[i & 1 if report.zebra else 0]
            out: list[WriteOnlyCell] = []
            for j, value in enumerate(values):
                cell = WriteOnlyCell(ws)
                cell.style = styles[keys[j]]
                if value is None or value == "":
                    out.append(cell)
                    continue
                kind = kinds[j]
                if kind == "id" or isinstance(value, str):
                    text = value if isinstance(value, str) else str(value)
                    cell.value = _clean(text)
                    cell.data_type = "s"  # never a formula, whatever it starts with
                elif isinstance(value, bool):
                    cell.value = "是" if value else "否"
                elif isinstance(value, datetime):
                    cell.value = value
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(value, date | int | float | Decimal):
                    cell.value = value
                    if isinstance(value, date) and kind != "date":
                        cell.number_format = _FORMATS["date"]
                else:
                    cell.value = _clean(str(value))
                    cell.data_type = "s"
                out.append(cell)
            ws.append(out)

        if report.footnote:
            ws.append([])
            note = WriteOnlyCell(ws, value=_clean(report.footnote))
            note.data_type = "s"
            note.font = Font(name=FONT_NAME, size=10)
            note.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
            row = len(lines) + nrows + 2
            if ncols > 1:
                ws.merged_cells.add(f"A{row}:{last_col}{row}")
            ws.append([note])

        if report.signatures:  # 制表人：＿＿＿ 审核人：＿＿＿ 日期：＿＿＿ under a payment list
            ws.append([])
            sign = WriteOnlyCell(ws, value=_clean("　　　　".join(report.signatures)))
            sign.data_type = "s"
            sign.font = Font(name=FONT_NAME, size=11)
            ws.append([sign])

        if cancelled is not None and cancelled():
            raise Cancelled()
    except BaseException:
        _discard(ws)
        raise
    with atomic_output(path) as tmp:
        wb.save(tmp)
    if progress is not None:
        progress(total, total)
