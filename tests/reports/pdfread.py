"""Reading a printed table report back (pymupdf): its text lines, the table's row heights and header lines."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import pymupdf

MM = 72 / 25.4


@dataclass(frozen=True)
class Line:
    page: int  # 0-based
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float


def lines(pdf: Path) -> list[Line]:
    """Every text line of every page, in reading order per page."""
    out = []
    with pymupdf.open(pdf) as doc:
        for n, page in enumerate(doc):
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    text = "".join(s["text"] for s in line["spans"])
                    if text.strip():
                        size = max(s["size"] for s in line["spans"])
                        out.append(Line(n, text, *line["bbox"], size))
    return out


def rules(pdf: Path, page: int) -> list[float]:
    """The y of every horizontal grid line of the table on ``page`` (top to bottom, points)."""
    ys: set[float] = set()
    with pymupdf.open(pdf) as doc:
        for drawing in doc[page].get_drawings():
            for item in drawing["items"]:
                if item[0] == "l" and abs(item[1].y - item[2].y) < 0.01 and abs(item[1].x - item[2].x) > 5:
                    ys.add(round(item[1].y, 2))
                elif item[0] == "re":
                    ys.update((round(item[1].y0, 2), round(item[1].y1, 2)))
    return sorted(ys)


def row_heights_mm(pdf: Path, page: int) -> list[float]:
    """The heights of the table's body rows on ``page`` (the header row left out), in mm."""
    ys = rules(pdf, page)
    return [(b - a) / MM for a, b in itertools.pairwise(ys[1:])]


def header_lines(pdf: Path, page: int = 0) -> list[str]:
    """The text lines inside the table's header row on ``page``."""
    ys = rules(pdf, page)
    top, bottom = ys[0], ys[1]
    return [ln.text.strip() for ln in lines(pdf) if ln.page == page and top <= ln.y0 and ln.y1 <= bottom + 0.5]


def page_of(pdf: Path, text: str) -> list[int]:
    """The pages (0-based) on which a line contains ``text``."""
    return sorted({ln.page for ln in lines(pdf) if text in ln.text})
