"""A table report prepared for printing at one layout: the header cells (labels broken into lines of two
characters or more), the body cells and row heights (at least :data:`HANDWRITING_ROW` on a form filled
in by hand), the pages, and the tail (footnote and signature block) kept with the last rows."""

from __future__ import annotations

from collections.abc import Callable
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from .fonts import FontSet, char_map, fallback_names, register_fonts, split_runs
from .pdf_layout import Layout, header_lines
from .pdf_page import (
    ALIGN,
    HANDWRITING_ROW,
    INFO_SIZE,
    LEADING,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAD_X,
    PAD_Y,
    SIGNATURE_ROW,
    TA,
    Runs,
)
from .spec import TableReport, format_cell

__all__ = ["PREP", "Fonts", "Sheet"]

PREP = 0.3  # the share of the progress reported while preparing
_KEEP_ROWS = 2  # rows kept with the footnote and signature block when those move to a new page
_SLACK = 2.0  # points left free on a page for rounding
_MIN_HEADER_SIZE = 6.0
_WIDOW = 3  # characters: a larger size must not leave more wrapped cells with a shorter last line


def _widow(p: Paragraph) -> bool:
    """Whether a wrapped cell's last line holds fewer than :data:`_WIDOW` characters (「…11月30 / 日」)."""
    lines = p.blPara.lines
    if len(lines) < 2:
        return False
    last = lines[-1]
    text = "".join(last[1]) if isinstance(last, tuple | list) else "".join(getattr(w, "text", "") for w in last.words)
    return len(text.strip()) < _WIDOW


class Fonts:
    """The registered faces of a report and how text is split over them."""

    def __init__(self, fontset: FontSet) -> None:
        names = register_fonts(fontset)
        self.chain = fallback_names(fontset)
        self.body, self.head = names["body"], names["title"]
        self.cmaps = {self.body: char_map(self.body) or {}, self.head: char_map(self.head) or {}}

    def runs(self, text: str, font: str) -> Runs:
        return split_runs(text, font, self.chain)

    def markup(self, text: str, font: str) -> str:
        parts = []
        for f, t in self.runs(text, font):
            t = escape(t).replace("\n", "<br/>")
            parts.append(t if f == font else f'<font name="{f}">{t}</font>')
        return "".join(parts)

    def plain(self, text: str, font: str, size: float, width: float) -> bool:
        """Drawn as a plain string: one line, every glyph in the font, fits the cell."""
        cmap = self.cmaps[font]
        return "\n" not in text and all(cmap.get(ord(ch)) for ch in text) and stringWidth(text, font, size) <= width


class Sheet:
    """The report prepared at one layout: header cells, body cells, row heights, pages and the tail
    (footnote and signature block) kept on the last page."""

    def __init__(self, report: TableReport, fonts: Fonts, lay: Layout, head_h: float,
                 check: Callable[[], None], tell: Callable[[float], None]) -> None:
        self.pagesize, self.size, self.widths = lay
        size = self.size
        self.frame_w = self.pagesize[0] - 2 * MARGIN_X
        self.frame_h = frame_h = self.pagesize[1] - MARGIN_TOP - MARGIN_BOTTOM
        self.leading = leading = size * LEADING
        kinds = [c.kind for c in report.columns]
        self.aligns = [ALIGN.get(k, "LEFT") for k in kinds]
        inner = [w - 2 * PAD_X for w in self.widths]
        body = fonts.body
        self.styles = [
            ParagraphStyle(f"cell{j}", fontName=body, fontSize=size, leading=leading, wordWrap="CJK",
                           alignment=TA[a])
            for j, a in enumerate(self.aligns)
        ]
        self.header_cells, self.header_h = self._header(report, fonts, inner)
        first_room = frame_h - head_h - self.header_h - 1
        rest_room = frame_h - self.header_h - 1
        max_row = first_room  # a taller row is cut short (with an ellipsis) to fit any page
        floor = HANDWRITING_ROW if report.handwritten else 0.0
        self.plain_h = max(leading + 2 * PAD_Y, floor)

        def cell_paragraph(text: str, j: int) -> tuple[Paragraph, float]:
            p = Paragraph(fonts.markup(text, body), self.styles[j])
            h = p.wrap(inner[j], frame_h)[1] + 2 * PAD_Y
            if h <= max_row:
                return p, h
            lo, hi = 0, len(text)
            while lo < hi:  # longest prefix that fits
                mid = (lo + hi + 1) // 2
                q = Paragraph(fonts.markup(text[:mid] + "……", body), self.styles[j])
                if q.wrap(inner[j], frame_h)[1] + 2 * PAD_Y <= max_row:
                    lo = mid
                else:
                    hi = mid - 1
            p = Paragraph(fonts.markup(text[:lo] + "……", body), self.styles[j])
            return p, p.wrap(inner[j], frame_h)[1] + 2 * PAD_Y

        # ---- cells and row heights
        total = max(len(report.rows), 1)
        fits: list[dict[str, bool]] = [{} for _ in report.columns]  # per column: text -> plain?
        self.widows = 0  # wrapped cells whose last line is shorter than _WIDOW characters
        self.cells: list[list[object]] = []
        self.heights: list[float] = []
        for i, row in enumerate(report.rows):
            if not i & 255:
                check()
                tell(PREP * i / total)
            out: list[object] = []
            h = self.plain_h
            for j, value in enumerate(row):
                text = format_cell(value, kinds[j])
                if not text:
                    out.append("")
                    continue
                ok = fits[j].get(text)
                if ok is None:
                    ok = fits[j][text] = fonts.plain(text, body, size, inner[j])
                if ok:
                    out.append(text)
                    continue
                p, ph = cell_paragraph(text, j)
                out.append(p)
                h = max(h, ph)
                self.widows += _widow(p)
            self.cells.append(out)
            self.heights.append(h)
        check()

        # ---- the tail, then pages
        self.tail = self._tail(report, fonts)
        self.tail_h = sum(f.wrap(self.frame_w, frame_h)[1] + f.getSpaceBefore() for f in self.tail)
        self.pages = self._paginate(first_room, rest_room)

    def _header(self, report: TableReport, fonts: Fonts, inner: list[float]) -> tuple[list[object], float]:
        """Header labels in lines of two characters or more (the header font shrinks when even three
        lines do not fit), plain strings when one line in the title face fits."""
        head = fonts.head
        cells: list[object] = []
        tallest = self.leading
        for j, col in enumerate(report.columns):
            size, lines = self.size, None
            while lines is None and size >= _MIN_HEADER_SIZE:
                lines = header_lines(col.label, lambda t, s=size, w=inner[j]: stringWidth(t, head, s) <= w)
                if lines is None:
                    size -= 0.5
            if lines is None:  # nothing fits: let the paragraph wrap as it can
                size, lines = _MIN_HEADER_SIZE, [col.label]
            text = "\n".join(lines)
            if size == self.size and fonts.plain(text, head, size, inner[j]):
                cells.append(text)
                continue
            style = ParagraphStyle(f"header{j}", fontName=head, fontSize=size, leading=size * LEADING,
                                   wordWrap="CJK", alignment=TA_CENTER)
            p = Paragraph(fonts.markup(text, head), style)
            tallest = max(tallest, p.wrap(inner[j], self.frame_h)[1])
            cells.append(p)
        return cells, tallest + 2 * PAD_Y

    def _tail(self, report: TableReport, fonts: Fonts) -> list[Flowable]:
        """The footnote and the signature block (rows of up to three items, room to sign above each)."""
        out: list[Flowable] = []
        body = fonts.body
        if report.footnote:
            note_style = ParagraphStyle("note", fontName=body, fontSize=9, leading=9 * 1.4, wordWrap="CJK",
                                        spaceBefore=6)
            out.append(Paragraph(fonts.markup(report.footnote, body), note_style))
        items = list(report.signatures)
        if items:
            per_row = min(3, len(items))
            style = ParagraphStyle("sign", fontName=body, fontSize=INFO_SIZE, leading=INFO_SIZE * 1.3,
                                   wordWrap="CJK")
            rows = [[Paragraph(fonts.markup(t, body), style) for t in items[k:k + per_row]]
                    for k in range(0, len(items), per_row)]
            for r in rows:
                r += [""] * (per_row - len(r))
            block = Table(rows, colWidths=[self.frame_w / per_row] * per_row, rowHeights=SIGNATURE_ROW,
                          style=TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                            ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                            ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]),
                          hAlign="LEFT")
            block.spaceBefore = 2
            out.append(block)
        return out

    def _paginate(self, first_room: float, rest_room: float) -> list[tuple[int, int]]:
        """Row ranges per page; the last page keeps room for the tail, taking the last rows along to a
        new page when the tail does not fit under them."""
        pages: list[tuple[int, int]] = []
        start, used, room = 0, 0.0, first_room
        for i, h in enumerate(self.heights):
            if used + h > room and i > start:
                pages.append((start, i))
                start, used, room = i, 0.0, rest_room
            used += h
        if self.heights:
            pages.append((start, len(self.heights)))
        if not self.tail or not pages:
            return pages
        a, b = pages[-1]
        room = first_room if len(pages) == 1 else rest_room
        if sum(self.heights[a:b]) + self.tail_h <= room - _SLACK:
            if len(pages) > 1 and b - a < _KEEP_ROWS:  # the tail under one lone row: take another along
                (p, q), k = pages[-2], _KEEP_ROWS - (b - a)
                if q - p > k and sum(self.heights[a - k:b]) + self.tail_h <= rest_room - _SLACK:
                    return [*pages[:-2], (p, q - k), (q - k, b)]
            return pages
        keep = min(_KEEP_ROWS, b - a - 1)
        while keep > 1 and sum(self.heights[b - keep:b]) + self.tail_h > rest_room - _SLACK:
            keep -= 1
        if keep < 1 or sum(self.heights[b - keep:b]) + self.tail_h > rest_room - _SLACK:
            return pages  # the tail is taller than a page: it follows where it can
        return [*pages[:-1], (a, b - keep), (b - keep, b)]
