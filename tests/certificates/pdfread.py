"""Read printed PDFs back as a person reads them: lines of text, pixels and QR codes (tests only).

Lines are rebuilt from pymupdf's characters rather than taken from its blocks: the characters
of a page are grouped by baseline, sorted left to right and split where a gap wider than
:data:`FIELD_GAP` ems separates two fields that share a baseline (the issuer and the date
beside a QR, say). A line is therefore exactly what the eye sees as one line, whatever
text objects, fonts (a rare character's fallback) or ``/ActualText`` spans drew it.

The QR helpers render a page with pymupdf (grey, no alpha) and decode it with zxing-cpp's
reader; :func:`qr_boxes` finds the QR's geometry in the page's content stream (the
``q 0 g m 0 0 m x y cm … re … f Q`` path of :mod:`reports.certificates.qr`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymupdf

__all__ = [
    "FIELD_GAP",
    "Line",
    "Qr",
    "QrBox",
    "flat",
    "page_flat",
    "qr_boxes",
    "read_lines",
    "read_qr",
    "render_gray",
    "shown",
]

#: a gap (in ems of the larger neighbour) that separates two fields on one baseline
FIELD_GAP = 2.0
#: characters that are never "seen": whitespace, the soft break U+200B and other zero-width marks
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


def flat(text: str) -> str:
    """``text`` without whitespace (U+3000 included) and zero-width characters: 张　三 → 张三."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in _INVISIBLE)


@dataclass(frozen=True)
class Line:
    """One visual line: its page (1-based), text as extracted, box in points from the top-left."""

    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float

    @property
    def flat(self) -> str:
        return flat(self.text)

    @property
    def seen(self) -> str:
        """The text without leading and trailing whitespace or zero-width marks (an indent of 　　)."""
        text = self.text
        while text and (text[0].isspace() or text[0] in _INVISIBLE):
            text = text[1:]
        while text and (text[-1].isspace() or text[-1] in _INVISIBLE):
            text = text[:-1]
        return text

    def __str__(self) -> str:
        return f"第 {self.page} 页 y={self.y0:.0f}pt x={self.x0:.0f}pt {self.size:.1f}pt「{self.text}」"


@dataclass
class _Char:
    c: str
    x0: float
    x1: float
    base: float
    top: float
    bottom: float
    size: float


def _chars(page: Any) -> list[_Char]:
    out: list[_Char] = []
    # no spaces made up from gaps (a tracked title would read T I T L E); real spaces are kept
    for block in page.get_text("rawdict", flags=pymupdf.TEXTFLAGS_RAWDICT | pymupdf.TEXT_INHIBIT_SPACES)["blocks"]:
        for line in block.get("lines", ()):
            for span in line["spans"]:
                size = float(span["size"]) or 1.0
                for ch in span["chars"]:
                    x0, y0, x1, y1 = ch["bbox"]
                    out.append(_Char(ch["c"], float(x0), float(x1), float(ch["origin"][1]), float(y0), float(y1), size))
    return out


def _lines_of(page: Any, number: int) -> list[Line]:
    chars = sorted(_chars(page), key=lambda c: (c.base, c.x0))
    rows: list[list[_Char]] = []
    for c in chars:
        if rows and abs(c.base - rows[-1][0].base) <= 0.25 * min(c.size, rows[-1][0].size):
            rows[-1].append(c)
        else:
            rows.append([c])
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda c: c.x0)
        part: list[_Char] = [row[0]]
        for prev, c in itertools.pairwise(row):
            if c.x0 - prev.x1 > FIELD_GAP * max(c.size, prev.size):
                lines.append(_line(part, number))
                part = []
            part.append(c)
        lines.append(_line(part, number))
    return [ln for ln in lines if ln.flat]


def _line(chars: list[_Char], number: int) -> Line:
    return Line(number, "".join(c.c for c in chars), min(c.x0 for c in chars), min(c.top for c in chars),
                max(c.x1 for c in chars), max(c.bottom for c in chars), max(c.size for c in chars))


def read_lines(path: str | Path) -> list[list[Line]]:
    """Every page's lines, top to bottom, left to right."""
    with pymupdf.open(str(path)) as doc:
        return [_lines_of(page, i + 1) for i, page in enumerate(doc)]


def page_flat(lines: list[Line]) -> str:
    """A page's text with no whitespace and no line breaks (a split word reads whole here)."""
    return "".join(ln.flat for ln in lines)


def shown(lines: list[Line]) -> str:
    """A page as lines, for failure messages."""
    return "\n".join(f"    {ln}" for ln in lines)


# -- pixels and QR codes ---------------------------------------------------------------------------


def render_gray(path: str | Path, page: int = 0, dpi: int = 200) -> Any:
    """Page ``page`` (0-based) as a numpy array of grey levels (rows × columns, 0 black)."""
    import numpy as np

    with pymupdf.open(str(path)) as doc:
        pix = doc[page].get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
        return np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)[:, : pix.width].copy()


@dataclass(frozen=True)
class Qr:
    """A decoded QR code: its text, error-correction level, version and corners (pixels)."""

    text: str
    ec_level: str
    version: str
    symbology: str
    corners: tuple[tuple[int, int], ...]


def read_qr(image: Any) -> list[Qr]:
    """The QR codes zxing-cpp's reader finds in a grey image (numpy array or PIL image)."""
    import zxingcpp

    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    out = []
    for b in found:
        p = b.position
        corners = tuple((pt.x, pt.y) for pt in (p.top_left, p.top_right, p.bottom_right, p.bottom_left))
        out.append(Qr(b.text, b.ec_level, str(b.extra.get("Version", "")), b.symbology_identifier, corners))
    return out


@dataclass(frozen=True)
class QrBox:
    """A QR drawn by reports.certificates.qr, in points from the page's BOTTOM-left (PDF space):
    the module size, the symbol's bottom-left corner and its modules per side."""

    module: float
    x: float
    y: float
    modules: int
    runs: int

    def quiet_box(self, quiet: int) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) of the symbol with ``quiet`` modules around it, in PDF space."""
        m = self.module
        return (self.x - quiet * m, self.y - quiet * m, self.x + (self.modules + quiet) * m,
                self.y + (self.modules + quiet) * m)


_QR_PATH = re.compile(rb"q 0 g ([\d.]+) 0 0 ([\d.]+) (-?[\d.]+) (-?[\d.]+) cm ((?:\d+ \d+ \d+ 1 re ?)+)f Q")
_RE = re.compile(rb"(\d+) (\d+) (\d+) 1 re")


def qr_boxes(path: str | Path, page: int = 0) -> list[QrBox]:
    """The QR paths in page ``page``'s own content stream (the page offset's ``cm`` not applied)."""
    with pymupdf.open(str(path)) as doc:
        content = doc[page].read_contents()
    out = []
    for m in _QR_PATH.finditer(content):
        cols = rows = 0
        count = 0
        for r in _RE.finditer(m.group(5)):
            c, row, w = int(r.group(1)), int(r.group(2)), int(r.group(3))
            cols, rows, count = max(cols, c + w), max(rows, row + 1), count + 1
        out.append(QrBox(float(m.group(1)), float(m.group(3)), float(m.group(4)), max(cols, rows), count))
    return out
