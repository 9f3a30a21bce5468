"""Printed table reports (花名册, 台账, 统计表): one shared look for every programme.

Page one opens with the title centred, the subtitle under it, then the union's name
(left) and the date in Chinese (right). The table's header row is repeated on every
page; long cell text wraps; every page ends with ``第 1 页 共 3 页``. A4, portrait or,
when the columns are wide, landscape. All text is drawn with embedded CJK TrueType
subsets (no base-14 font appears in the file); characters the body font lacks come
from the fallback fonts.

Large tables are paginated here, not by ReportLab's table splitter (which copies the
remaining rows at every page break, quadratic in the row count): each page gets its
own small table, built only when that page is drawn.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Frame, PageBreak, PageTemplate, Paragraph, Table, TableStyle
from reportlab.platypus.tables import CellStyle

from . import Cancelled, atomic_output
from .cn_dates import date_cn
from .fonts import FontSet, char_map, fallback_names, find_fonts, register_fonts, split_runs
from .pdf_page import (
    ALIGN,
    GRID,
    HEADER_FILL,
    LEADING,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAD_X,
    PAD_Y,
    TA,
    ZEBRA_FILL,
    HeadBlock,
    NumberedCanvas,
    PageTable,
    Runs,
    TableDoc,
    layout,
)
from .spec import TableReport, format_cell

__all__ = ["write_table_pdf"]

# Binary (zlib only) streams: ASCII85 on top costs a fifth of the run time on large
# reports and a quarter more bytes, for 7-bit-clean files nobody needs any more.
rl_config.useA85 = 0

# weights of the three phases in the progress reported
_PREP, _DRAW = 0.3, 0.6


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
    fontset = fonts if fonts is not None else find_fonts()
    names = register_fonts(fontset)
    chain = fallback_names(fontset)
    body, head_font = names["body"], names["title"]
    body_cmap = char_map(body) or {}

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

    def runs(text: str, font: str) -> Runs:
        return split_runs(text, font, chain)

    def markup(text: str, font: str) -> str:
        parts = []
        for f, t in runs(text, font):
            t = escape(t).replace("\n", "<br/>")
            parts.append(t if f == font else f'<font name="{f}">{t}</font>')
        return "".join(parts)

    pagesize, size, widths = layout(report, body, head_font)
    frame_w = pagesize[0] - 2 * MARGIN_X
    frame_h = pagesize[1] - MARGIN_TOP - MARGIN_BOTTOM
    leading = size * LEADING
    kinds = [c.kind for c in report.columns]
    aligns = [ALIGN.get(k, "LEFT") for k in kinds]
    inner = [w - 2 * PAD_X for w in widths]
    styles = [
        ParagraphStyle(
            f"cell{j}", fontName=body, fontSize=size, leading=leading, wordWrap="CJK", alignment=TA[a]
        )
        for j, a in enumerate(aligns)
    ]
    header_style = ParagraphStyle(
        "header", fontName=head_font, fontSize=size, leading=leading, wordWrap="CJK", alignment=TA_CENTER
    )

    head = HeadBlock(
        frame_w,
        runs(report.title, head_font),
        runs(report.subtitle, body),
        runs(report.union_name, body),
        runs(date_cn(report.printed_on), body),
    )
    head_cmap = char_map(head_font) or {}

    def plain(text: str, font: str, cmap: Mapping[int, int], width: float) -> bool:
        """Drawn as a plain string: one line, every glyph in the font, fits the cell."""
        return (
            "\n" not in text
            and all(cmap.get(ord(ch)) for ch in text)
            and stringWidth(text, font, size) <= width
        )

    # header labels that fit on one line are plain strings too (drawn on every page)
    header_cells: list[object] = [
        c.label
        if plain(c.label, head_font, head_cmap, inner[j])
        else Paragraph(markup(c.label, head_font), header_style)
        for j, c in enumerate(report.columns)
    ]
    header_h = (
        max(
            [leading]
            + [p.wrap(inner[j], frame_h)[1] for j, p in enumerate(header_cells) if isinstance(p, Paragraph)]
        )
        + 2 * PAD_Y
    )
    first_room = frame_h - head.height - header_h - 1
    max_row = first_room  # a taller row is cut short (with an ellipsis) to fit any page

    def cell_paragraph(text: str, j: int) -> tuple[Paragraph, float]:
        p = Paragraph(markup(text, body), styles[j])
        h = p.wrap(inner[j], frame_h)[1] + 2 * PAD_Y
        if h <= max_row:
            return p, h
        lo, hi = 0, len(text)
        while lo < hi:  # longest prefix that fits
            mid = (lo + hi + 1) // 2
            q = Paragraph(markup(text[:mid] + "……", body), styles[j])
            if q.wrap(inner[j], frame_h)[1] + 2 * PAD_Y <= max_row:
                lo = mid
            else:
                hi = mid - 1
        p = Paragraph(markup(text[:lo] + "……", body), styles[j])
        return p, p.wrap(inner[j], frame_h)[1] + 2 * PAD_Y

    # ---- prepare cells and row heights
    plain_h = leading + 2 * PAD_Y
    fits: list[dict[str, bool]] = [{} for _ in report.columns]  # per column: text -> plain?
    cells: list[list[object]] = []
    heights: list[float] = []
    for i, row in enumerate(report.rows):
        if not i & 255:
            check()
            tell(_PREP * i / total)
        out: list[object] = []
        h = plain_h
        for j, value in enumerate(row):
            text = format_cell(value, kinds[j])
            if not text:
                out.append("")
                continue
            ok = fits[j].get(text)
            if ok is None:
                ok = fits[j][text] = plain(text, body, body_cmap, inner[j])
            if ok:
                out.append(text)
                continue
            p, ph = cell_paragraph(text, j)
            out.append(p)
            h = max(h, ph)
        cells.append(out)
        heights.append(h)
    check()
    tell(_PREP)

    # ---- paginate
    pages: list[tuple[int, int]] = []
    start, used, room = 0, 0.0, first_room
    for i, h in enumerate(heights):
        if used + h > room and i > start:
            pages.append((start, i))
            start, used, room = i, 0.0, frame_h - header_h - 1
        used += h
    if nrows:
        pages.append((start, nrows))

    # Cell properties are shared per column (ReportLab would otherwise make a style
    # object per cell and apply every command to each); only lines and fills are commands.
    def cell_style(name: str, font: str, align: str) -> CellStyle:
        cs = CellStyle(name)
        cs.fontname, cs.fontsize, cs.leading = font, size, leading
        cs.leftPadding = cs.rightPadding = PAD_X
        cs.topPadding = cs.bottomPadding = PAD_Y
        cs.valign, cs.alignment = "MIDDLE", align
        return cs

    header_row = [cell_style(f"h{j}", head_font, "CENTER") for j in range(len(widths))]
    body_row = [cell_style(f"c{j}", body, a) for j, a in enumerate(aligns)]
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
        empty = Paragraph("（无记录）", ParagraphStyle("empty", parent=styles[0], alignment=TA_CENTER))
        return Table(
            [header_cells, [empty] + [""] * (len(widths) - 1)],
            colWidths=widths,
            rowHeights=[header_h, plain_h],
            style=TableStyle([*base_style, ("SPAN", (0, 1), (-1, 1))]),
            cellStyles=[header_row, body_row],
        )

    flowables: list[Flowable] = [head]
    table_w = sum(widths)
    if not pages:
        flowables.append(PageTable(make_empty, table_w, header_h + plain_h, 0))
    for k, (a, b) in enumerate(pages):
        if k:
            flowables.append(PageBreak())
        flowables.append(PageTable(partial(make_table, a, b), table_w, header_h + sum(heights[a:b]), b - a))
    if report.footnote:
        note_style = ParagraphStyle(
            "note", fontName=body, fontSize=9, leading=9 * 1.4, wordWrap="CJK", spaceBefore=6
        )
        flowables.append(Paragraph(markup(report.footnote, body), note_style))

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
            initialFontName=body,
            initialFontSize=size,
        )
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            frame_w,
            frame_h,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        canvasmaker = partial(NumberedCanvas, footer_font=body, on_page=on_page, result=result)
        doc.build(flowables, canvasmaker=canvasmaker)
        check()
    tell(1.0)
    return result.get("pages", 0)
