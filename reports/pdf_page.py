"""The page furniture of a printed table report: the sizes and margins, the heading block on page
one, the page-sized tables built only when drawn, and the canvas that numbers the pages
``第 i 页 共 n 页`` once it knows their count. The layout is :mod:`reports.pdf_layout`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Table

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
HANDWRITING_ROW = 10.1 * mm  # the lowest row a form to fill in by hand may have (at least 10 mm)
SIGNATURE_ROW = 11 * mm  # a signature line (制表人：＿＿＿) with room to sign above it
PORTRAIT_MIN_SIZE = 9.0  # below this, auto mode turns the page
TITLE_SIZE = 18.0
SUBTITLE_SIZE = 11.0
INFO_SIZE = 10.5

GRID = colors.HexColor("#404040")
HEADER_FILL = colors.HexColor("#E4E4E4")
ZEBRA_FILL = colors.HexColor("#F4F4F4")

ALIGN = {"text": "LEFT", "int": "RIGHT", "amount": "RIGHT", "date": "CENTER", "id": "CENTER"}
TA = {"LEFT": TA_LEFT, "RIGHT": TA_RIGHT, "CENTER": TA_CENTER}

Runs = list[tuple[str, str]]


def _runs_width(runs: Runs, size: float) -> float:
    return sum(stringWidth(text, font, size) for font, text in runs)


def _draw_runs(canv: Canvas, x: float, y: float, runs: Runs, size: float) -> None:
    for font, text in runs:
        canv.setFont(font, size)
        canv.drawString(x, y, text)
        x += stringWidth(text, font, size)


class HeadBlock(Flowable):
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


class PageTable(Flowable):
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


class NumberedCanvas(Canvas):
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


class TableDoc(BaseDocTemplate):
    def __init__(self, *args: Any, after: Callable[[Flowable], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._after = after

    def afterFlowable(self, flowable: Flowable) -> None:
        self._after(flowable)
