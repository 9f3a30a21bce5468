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

import math
import os
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.tables import CellStyle

from . import Cancelled, atomic_output
from .cn_dates import date_cn
from .fonts import FontSet, char_map, fallback_names, find_fonts, register_fonts, split_runs
from .spec import TableReport, format_cell, sample_rows

__all__ = ["write_table_pdf"]

# Binary (zlib only) streams: ASCII85 on top costs a fifth of the run time on large
# reports and a quarter more bytes, for 7-bit-clean files nobody needs any more.
rl_config.useA85 = 0

MARGIN_X = 15 * mm
MARGIN_TOP = 14 * mm
MARGIN_BOTTOM = 16 * mm
FOOTER_Y = 8 * mm
FOOTER_SIZE = 9.0
PAD_X = 3.0
PAD_Y = 2.0
LEADING = 1.3  # line height / font size in cells
MAX_CELL_SIZE = 10.5  # 五号
MIN_CELL_SIZE = 8.0
PORTRAIT_MIN_SIZE = 9.0  # below this, auto mode turns the page
TITLE_SIZE = 18.0
SUBTITLE_SIZE = 11.0
INFO_SIZE = 10.5

GRID = colors.HexColor("#404040")
HEADER_FILL = colors.HexColor("#E4E4E4")
ZEBRA_FILL = colors.HexColor("#F4F4F4")

_ALIGN = {"text": "LEFT", "int": "RIGHT", "amount": "RIGHT", "date": "CENTER", "id": "CENTER"}
_TA = {"LEFT": TA_LEFT, "RIGHT": TA_RIGHT, "CENTER": TA_CENTER}

_CONTENT_CAP = 18.0  # ems: contents widen a column up to this (or its declared width)
_LABEL_CAP = 6.0  # ems: a longer header label wraps instead of widening its column

# weights of the three phases in the progress reported
_PREP, _DRAW = 0.3, 0.6

Runs = list[tuple[str, str]]


def _runs_width(runs: Runs, size: float) -> float:
    return sum(stringWidth(text, font, size) for font, text in runs)


def _draw_runs(canv: Canvas, x: float, y: float, runs: Runs, size: float) -> None:
    for font, text in runs:
        canv.setFont(font, size)
        canv.drawString(x, y, text)
        x += stringWidth(text, font, size)


class _HeadBlock(Flowable):
    """Title, subtitle and the union-name / date line on top of page one."""

    def __init__(self, width: float, title: Runs, subtitle: Runs, left: Runs, right: Runs) -> None:
        super().__init__()
        self.width = width
        self._title, self._subtitle, self._left, self._right = title, subtitle, left, right
        # long titles shrink to the page width
        tw = _runs_width(title, TITLE_SIZE)
        self._title_size = TITLE_SIZE if tw <= width else max(10.0, TITLE_SIZE * width / tw)
        sw = _runs_width(subtitle, SUBTITLE_SIZE)
        self._subtitle_size = SUBTITLE_SIZE if sw <= width else max(7.0, SUBTITLE_SIZE * width / sw)
        lw, rw = _runs_width(left, INFO_SIZE), _runs_width(right, INFO_SIZE)
        room = width - 2 * INFO_SIZE
        self._info_size = INFO_SIZE if lw + rw <= room else max(6.0, INFO_SIZE * room / (lw + rw))
        self.height = (
            self._title_size * 1.35
            + (self._subtitle_size * 1.3 + 2 if subtitle else 0)
            + 6
            + self._info_size * 1.3
            + 4
        )

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        y = self.height - self._title_size * 1.0
        size = self._title_size
        _draw_runs(canv, (self.width - _runs_width(self._title, size)) / 2, y, self._title, size)
        y -= self._title_size * 0.35
        if self._subtitle:
            size = self._subtitle_size
            y -= size * 1.15 + 2
            _draw_runs(canv, (self.width - _runs_width(self._subtitle, size)) / 2, y, self._subtitle, size)
            y -= size * 0.15
        size = self._info_size
        y -= 6 + size * 1.0
        _draw_runs(canv, 0, y, self._left, size)
        _draw_runs(canv, self.width - _runs_width(self._right, size), y, self._right, size)


class _PageTable(Flowable):
    """One page's rows; the ReportLab table is built when the page is drawn and then
    dropped, so a 100,000-row report never holds thousands of tables at once."""

    def __init__(self, make: Callable[[], Table], width: float, height: float, nrows: int) -> None:
        super().__init__()
        self._make: Callable[[], Table] | None = make
        self.width, self.height, self.nrows = width, height, nrows

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []  # sized to fit a page: never split, move to the next page instead

    def draw(self) -> None:
        if self._make is None:
            return
        table = self._make()
        self._make = None
        table.wrapOn(self.canv, self.width, self.height)
        table.drawOn(self.canv, 0, 0)


class _NumberedCanvas(Canvas):
    """Two-pass page numbering: pages are kept until ``save`` knows the total, then each
    gets its ``第 i 页 共 n 页`` footer."""

    def __init__(
        self,
        *args: Any,
        footer_font: str,
        on_page: Callable[[int, int], None],
        result: dict[str, int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._footer_font = footer_font
        self._on_page = on_page
        self._result = result
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        self._result["pages"] = total
        width = self._pagesize[0]
        pages, self._pages = self._pages, []
        for i in range(1, total + 1):
            state = pages[i - 1]
            pages[i - 1] = {}  # the page's operators now go to the document: drop our copy
            self.__dict__.update(state)
            self._pages = []
            self.setFont(self._footer_font, FOOTER_SIZE)
            self.setFillColor(colors.black)
            self.drawCentredString(width / 2, FOOTER_Y, f"第 {i} 页 共 {total} 页")
            super().showPage()
            self._on_page(i, total)
        super().save()


class _Doc(BaseDocTemplate):
    def __init__(self, *args: Any, after: Callable[[Flowable], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._after = after

    def afterFlowable(self, flowable: Flowable) -> None:
        self._after(flowable)


def _natural_widths(report: TableReport, body: str, head: str) -> list[float]:
    """Each column's text width at a 1 pt font size: the declared width (a unit is half
    an em), widened to the header label and to the sampled contents (capped)."""
    sample = sample_rows(report.rows)
    out = []
    for j, col in enumerate(report.columns):
        declared = col.width / 2
        label = max((stringWidth(part, head, 1) for part in col.label.splitlines()), default=0)
        label = min(label, max(declared, _LABEL_CAP))
        content = 0.0
        for row in sample:
            text = format_cell(row[j], col.kind)
            if text:
                content = max(content, max(stringWidth(line, body, 1) for line in text.splitlines()))
        out.append(max(declared, label, min(content, max(declared, _CONTENT_CAP)), 1.0))
    return out


def _layout(report: TableReport, body: str, head: str) -> tuple[tuple[float, float], float, list[float]]:
    """Page size, cell font size and column widths (filling the page width)."""
    natural = _natural_widths(report, body, head)
    per_pt = sum(natural)
    pad = 2 * PAD_X * len(natural)

    def size_for(avail: float) -> float:
        return (avail - pad) / per_pt

    portrait_w = A4[0] - 2 * MARGIN_X
    landscape = report.landscape
    if landscape is None:
        landscape = size_for(portrait_w) < PORTRAIT_MIN_SIZE
    page = (A4[1], A4[0]) if landscape else A4
    avail = page[0] - 2 * MARGIN_X
    size = math.floor(size_for(avail) * 2) / 2
    size = min(MAX_CELL_SIZE, max(MIN_CELL_SIZE, size))
    # spare room goes to the columns in proportion; too little room shrinks them (text wraps)
    content = avail - pad
    widths = [content * w / per_pt + 2 * PAD_X for w in natural]
    return page, size, widths


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

    pagesize, size, widths = _layout(report, body, head_font)
    frame_w = pagesize[0] - 2 * MARGIN_X
    frame_h = pagesize[1] - MARGIN_TOP - MARGIN_BOTTOM
    leading = size * LEADING
    kinds = [c.kind for c in report.columns]
    aligns = [_ALIGN.get(k, "LEFT") for k in kinds]
    inner = [w - 2 * PAD_X for w in widths]
    styles = [
        ParagraphStyle(
            f"cell{j}", fontName=body, fontSize=size, leading=leading, wordWrap="CJK", alignment=_TA[a]
        )
        for j, a in enumerate(aligns)
    ]
    header_style = ParagraphStyle(
        "header", fontName=head_font, fontSize=size, leading=leading, wordWrap="CJK", alignment=TA_CENTER
    )

    head = _HeadBlock(
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
        flowables.append(_PageTable(make_empty, table_w, header_h + plain_h, 0))
    for k, (a, b) in enumerate(pages):
        if k:
            flowables.append(PageBreak())
        flowables.append(_PageTable(partial(make_table, a, b), table_w, header_h + sum(heights[a:b]), b - a))
    if report.footnote:
        note_style = ParagraphStyle(
            "note", fontName=body, fontSize=9, leading=9 * 1.4, wordWrap="CJK", spaceBefore=6
        )
        flowables.append(Paragraph(markup(report.footnote, body), note_style))

    # ---- draw
    drawn = [0]

    def after(flowable: Flowable) -> None:
        if isinstance(flowable, _PageTable):
            drawn[0] += flowable.nrows
            check()
            tell(_PREP + _DRAW * drawn[0] / total)

    def on_page(i: int, n: int) -> None:
        if not i & 63:
            check()
        tell(_PREP + _DRAW + (1 - _PREP - _DRAW) * i / n)

    result: dict[str, int] = {}
    with atomic_output(path) as tmp:
        doc = _Doc(
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
        canvasmaker = partial(_NumberedCanvas, footer_font=body, on_page=on_page, result=result)
        doc.build(flowables, canvasmaker=canvasmaker)
        check()
    tell(1.0)
    return result.get("pages", 0)
