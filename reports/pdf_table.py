"""Printed table reports (花名册, 台账, 统计表): one shared look for every programme.

Page one opens with the title centred, the subtitle under it, then the union's name
(left) and the date in Chinese (right). The table's header row is repeated on every
page; long cell text wraps; every page ends with ``第 1 页 共 3 页``. A4, portrait or,
when the columns are wide, landscape. All text is drawn with embedded CJK TrueType
subsets (no base-14 font appears in the file); characters the body font lacks come
from the fallback fonts.

Forms filled in by hand (a column marked ``handwritten``) get rows at least 10 mm high; header
labels break into lines of two characters or more; the footnote and the signature block
(制表人：＿＿＿) stay on the page of the table's last rows; a short table prints at the largest
size (up to the body size) that needs no more pages; no cell line starts with closing or ends
with opening punctuation (:mod:`reports.pdf_wrap`).

Large tables are paginated here, not by ReportLab's table splitter (which copies the
remaining rows at every page break, quadratic in the row count): each page gets its
own small table, built only when that page is drawn.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.tables import CellStyle

from . import Cancelled, atomic_output
from .cn_dates import date_cn
from .fonts import FontSet, find_fonts
from .pdf_layout import layout
from .pdf_page import (
    GRID,
    HEADER_FILL,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAD_X,
    PAD_Y,
    ZEBRA_FILL,
    HeadBlock,
    NumberedCanvas,
    PageTable,
    TableDoc,
)
from .pdf_sheet import PREP, Fonts, Sheet
from .pdf_wrap import install
from .spec import TableReport

__all__ = ["write_table_pdf"]

# Binary (zlib only) streams: ASCII85 on top costs a fifth of the run time on large
# reports and a quarter more bytes, for 7-bit-clean files nobody needs any more.
rl_config.useA85 = 0

# weights of the three phases in the progress reported
_PREP, _DRAW = PREP, 0.6
_SHORT = 400  # rows: a table this short may print larger when that needs no more pages



def write_table_pdf(
    report: TableReport,
    path: str | os.PathLike[str],
    fonts: FontSet | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write ``report`` as a PDF at ``path`` and return the number of pages.

    ``progress(done, total)`` is called now and then, in row units (``total`` is the
    row count; preparing, drawing and saving all count towards it). ``cancelled()`` is
    polled; when it returns ``True`` the job stops with :class:`reports.Cancelled` and
    no file is written. The file is written to a temporary name and moved into place.
    Raises :class:`reports.fonts.FontMissing` when there is no CJK font.
    """
    report.check()
    install()
    f = Fonts(fonts if fonts is not None else find_fonts())
    nrows = len(report.rows)
    total = max(nrows, 1)
    last = [-1]

    def tell(fraction: float) -> None:
        if progress is not None:
            done = min(total, int(total * fraction))
            if done != last[0]:
                last[0] = done
                progress(done, total)

    def check() -> None:
        if cancelled is not None and cancelled():
            raise Cancelled()

    base, larger = layout(report, f.body, f.head)
    frame_w = base[0][0] - 2 * MARGIN_X
    head = HeadBlock(
        frame_w,
        f.runs(report.title, f.head),
        f.runs(report.subtitle, f.body),
        f.runs(report.union_name, f.body),
        f.runs(date_cn(report.printed_on), f.body),
    )
    sheet = Sheet(report, f, base, head.height, check, tell)
    if nrows <= _SHORT:  # a short table prints at the largest size that needs no more pages
        for lay in larger:
            bigger = Sheet(report, f, lay, head.height, check, lambda _x: None)
            if len(bigger.pages) <= max(len(sheet.pages), 1) and bigger.widows <= sheet.widows:
                sheet = bigger
                break
    tell(_PREP)
    return _draw(report, f, sheet, head, path, check, tell)


def _draw(report: TableReport, f: Fonts, sheet: Sheet, head: HeadBlock, path: str | os.PathLike[str],
          check: Callable[[], None], tell: Callable[[float], None]) -> int:
    size, leading, widths = sheet.size, sheet.leading, sheet.widths
    cells, heights, header_cells, header_h = sheet.cells, sheet.heights, sheet.header_cells, sheet.header_h
    total = max(len(report.rows), 1)

    # Cell properties are shared per column (ReportLab would otherwise make a style
    # object per cell and apply every command to each); only lines and fills are commands.
    def cell_style(name: str, font: str, align: str) -> CellStyle:
        cs = CellStyle(name)
        cs.fontname, cs.fontsize, cs.leading = font, size, leading
        cs.leftPadding = cs.rightPadding = PAD_X
        cs.topPadding = cs.bottomPadding = PAD_Y
        cs.valign, cs.alignment = "MIDDLE", align
        return cs

    header_row = [cell_style(f"h{j}", f.head, "CENTER") for j in range(len(widths))]
    body_row = [cell_style(f"c{j}", f.body, a) for j, a in enumerate(sheet.aligns)]
    base_style: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("INNERGRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BOX", (0, 0), (-1, -1), 0.9, GRID),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, GRID),
    ]
    if report.zebra:
        base_style.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA_FILL]))
    table_style = TableStyle(base_style)

    def make_table(a: int, b: int) -> Table:
        page_cells = cells[a:b]
        cells[a:b] = [[]] * (b - a)  # drawn once: let the rows go
        return Table(
            [header_cells, *page_cells],
            colWidths=widths,
            rowHeights=[header_h, *heights[a:b]],
            style=table_style,
            cellStyles=[header_row] + [body_row] * (b - a),
        )

    def make_empty() -> Table:
        empty = Paragraph("（无记录）", ParagraphStyle("empty", parent=sheet.styles[0], alignment=TA_CENTER))
        return Table(
            [header_cells, [empty] + [""] * (len(widths) - 1)],
            colWidths=widths,
            rowHeights=[header_h, sheet.plain_h],
            style=TableStyle([*base_style, ("SPAN", (0, 1), (-1, 1))]),
            cellStyles=[header_row, body_row],
        )

    flowables: list[Flowable] = [head]
    table_w = sum(widths)
    if not sheet.pages:
        flowables.append(PageTable(make_empty, table_w, header_h + sheet.plain_h, 0))
    for k, (a, b) in enumerate(sheet.pages):
        if k:
            flowables.append(PageBreak())
        flowables.append(PageTable(partial(make_table, a, b), table_w, header_h + sum(heights[a:b]), b - a))
    if sheet.tail:
        flowables.append(KeepTogether(sheet.tail))

    # ---- draw
    drawn = [0]

    def after(flowable: Flowable) -> None:
        if isinstance(flowable, PageTable):
            drawn[0] += flowable.nrows
            check()
            tell(_PREP + _DRAW * drawn[0] / total)

    def on_page(i: int, n: int) -> None:
        if not i & 63:
            check()
        tell(_PREP + _DRAW + (1 - _PREP - _DRAW) * i / n)

    result: dict[str, int] = {}
    pagesize = sheet.pagesize
    with atomic_output(path) as tmp:
        doc = TableDoc(
            str(tmp),
            after=after,
            pagesize=pagesize,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=report.title,
            author=report.union_name,
            subject=report.subtitle,
            creator="UnionDesk 工会工作台",
            lang="zh-CN",
            initialFontName=f.body,
            initialFontSize=size,
        )
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, sheet.frame_w, sheet.frame_h, leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0, id="body")
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        canvasmaker = partial(NumberedCanvas, footer_font=f.body, on_page=on_page, result=result)
        doc.build(flowables, canvasmaker=canvasmaker)
        check()
    tell(1.0)
    return result.get("pages", 0)
