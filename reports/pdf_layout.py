"""How a printed table fills the page: orientation, the cell font sizes worth trying, column widths at
a size, and header labels broken into lines that never orphan a character.

A report whose columns need all the room prints at the size that fits (down to 8 pt, text wrapping
in its widest columns); a short table may print larger as long as it needs no more pages
(:func:`sizes`), columns giving up room to a floor: numbers, dates and short texts (names) never
wrap, a header keeps at least two characters on a line.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from itertools import combinations, pairwise

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth

from .linebreak import NO_END, NO_START, SOFT
from .pdf_page import MARGIN_X, MAX_CELL_SIZE, MIN_CELL_SIZE, PAD_X, PORTRAIT_MIN_SIZE
from .spec import TableReport, format_cell, sample_rows

__all__ = ["Layout", "header_lines", "layout", "sizes", "widths_at"]

_CONTENT_CAP = 18.0  # ems: contents widen a column up to this (or its declared width)
_LABEL_CAP = 6.0  # ems: a longer header label wraps instead of widening its column
_SHORT_TEXT = 6.0  # ems: a text column whose contents are no wider never wraps (names, trades)
_WRAP_FLOOR = 4.0  # ems: a wrapping text column keeps at least this width
_MIN_LINE = 2  # characters on every line of a header
_GOOD_BEFORE = "（(《〈【「“"  # a header may break before these...
_GOOD_AFTER = "）)》〉】」”/、·" + SOFT  # ...and after these
_CLOSERS = "）)》〉】」”"

Layout = tuple[tuple[float, float], float, list[float]]


def header_lines(label: str, fits: Callable[[str], bool], most: int = 3) -> list[str] | None:
    """``label`` in the fewest lines (up to ``most``) that each ``fits``: every line at least two characters,
    none starting with closing or ending with opening punctuation, preferring breaks at brackets, a slash
    or a SOFT mark, then lines of even length. Explicit newlines are kept. ``None`` when it cannot fit."""
    out: list[str] = []
    for part in label.splitlines() or [""]:
        lines = _split_part(part, fits, most)
        if lines is None:
            return None
        out += lines
    return out


def _inside(chars: Sequence[str], cut: int) -> bool:
    """Whether a break before ``chars[cut]`` falls inside brackets or quotes (「标准（元 / /月）」)."""
    depth = 0
    for ch in chars[:cut]:
        if ch in _GOOD_BEFORE:
            depth += 1
        elif ch in _CLOSERS and depth:
            depth -= 1
    return depth > 0


def _split_part(part: str, fits: Callable[[str], bool], most: int) -> list[str] | None:
    plain = part.replace(SOFT, "")
    if fits(plain) or len(plain) < 2 * _MIN_LINE:
        return [plain] if fits(plain) else None
    chars = list(part)
    cuts = [i for i in range(1, len(chars)) if chars[i] != SOFT]
    whole = [i for i in cuts if not _inside(chars, i)]
    for k in range(2, most + 1):
        for allowed in (whole, cuts):  # brackets kept whole when they can be
            best: tuple[float, list[str]] | None = None
            for where in combinations(allowed, k - 1):
                bounds = (0, *where, len(chars))
                lines = ["".join(chars[a:b]).replace(SOFT, "") for a, b in pairwise(bounds)]
                if any(len(x) < _MIN_LINE or x[0] in NO_START or x[-1] in NO_END for x in lines):
                    continue
                if not all(fits(x) for x in lines):
                    continue
                good = sum(1 for b in where if chars[b] in _GOOD_BEFORE or chars[b - 1] in _GOOD_AFTER)
                score = max(len(x) for x in lines) - min(len(x) for x in lines) - 3 * good
                if best is None or score < best[0]:
                    best = (score, lines)
            if best is not None:
                return best[1]
    return None


def _label_width(label: str, font: str, size: float, room: float | None = None) -> float:
    """The width a header label needs: one line, or (when wider than ``room``) its best two lines."""
    plain = [p.replace(SOFT, "") for p in label.splitlines()] or [""]
    one = max(stringWidth(p, font, size) for p in plain)
    if room is None or one <= room:
        return one
    widest = 0.0
    for part in plain:
        best = stringWidth(part, font, size)
        for whole in (True, False):  # brackets kept whole when they can be
            for i in range(_MIN_LINE, len(part) - _MIN_LINE + 1):
                a, b = part[:i], part[i:]
                if a[-1] not in NO_END and b[0] not in NO_START and not (whole and _inside(part, i)):
                    best = min(best, max(stringWidth(a, font, size), stringWidth(b, font, size)))
            if best < stringWidth(part, font, size):
                break
        widest = max(widest, best)
    return widest


def _contents(report: TableReport, body: str) -> list[float]:
    """The widest sampled cell of each column at 1 pt (one line per explicit line)."""
    sample = sample_rows(report.rows)
    out = []
    for j, col in enumerate(report.columns):
        widest = 0.0
        for row in sample:
            text = format_cell(row[j], col.kind)
            if text:
                widest = max(widest, max(stringWidth(line, body, 1) for line in text.splitlines()))
        out.append(widest)
    return out


def _natural(report: TableReport, body: str, head: str, contents: Sequence[float]) -> list[float]:
    """Each column's text width at 1 pt: its declared width (a unit is half an em), widened to the header
    label (two lines when long) and to the contents (capped)."""
    out = []
    for col, content in zip(report.columns, contents, strict=True):
        declared = col.width / 2
        label = _label_width(col.label, head, 1, max(declared, _LABEL_CAP))
        out.append(max(declared, label, min(content, max(declared, _CONTENT_CAP)), 1.0))
    return out


def _floors(report: TableReport, head: str, contents: Sequence[float], natural: Sequence[float],
            size: float) -> tuple[list[float], list[float]]:
    """The narrowest each column may get at ``size`` (padding included): first with its contents on one
    line (only the header breaking), then at all (long texts wrapping; numbers, dates, names never)."""
    firm, whole = [], []
    for col, content, nat in zip(report.columns, contents, natural, strict=True):
        label = _label_width(col.label, head, size, 0.0)
        text = content * size if col.kind != "text" or content <= _SHORT_TEXT else _WRAP_FLOOR * size
        firm.append(max(label, text) + 2 * PAD_X)
        whole.append(max(label, text, min(content, nat) * size) + 2 * PAD_X)
    return firm, whole


def widths_at(natural: Sequence[float], floors: tuple[Sequence[float], Sequence[float]], size: float,
              avail: float) -> list[float] | None:
    """Column widths filling ``avail`` at ``size``: spare room shared in proportion to the natural widths;
    too little room taken first from header labels (which then break), then from wrapping texts, from what
    each column has above its floor. ``None`` when the floors do not fit."""
    firm, whole = floors
    want = [max(n * size + 2 * PAD_X, f) for n, f in zip(natural, whole, strict=True)]
    total = sum(want)
    if total <= avail:
        spare = avail - total
        weight = sum(natural)
        return [w + spare * n / weight for w, n in zip(want, natural, strict=True)]
    for floor in (whole, firm):
        low = sum(floor)
        if low <= avail:
            give = (total - avail) / (total - low) if total > low else 0.0
            return [w - (w - f) * give for w, f in zip(want, floor, strict=True)]
        want, total = list(floor), low
    return None


def layout(report: TableReport, body: str, head: str) -> tuple[Layout, list[Layout]]:
    """The page size, cell size and column widths to print at, and larger sizes worth trying (largest first)."""
    contents = _contents(report, body)
    natural = _natural(report, body, head, contents)
    per_pt = sum(natural)
    pad = 2 * PAD_X * len(natural)
    portrait_w = A4[0] - 2 * MARGIN_X
    landscape = report.landscape
    if landscape is None:
        landscape = (portrait_w - pad) / per_pt < PORTRAIT_MIN_SIZE
    page = (A4[1], A4[0]) if landscape else A4
    avail = page[0] - 2 * MARGIN_X
    size = min(MAX_CELL_SIZE, max(MIN_CELL_SIZE, math.floor((avail - pad) / per_pt * 2) / 2))
    widths = widths_at(natural, _floors(report, head, contents, natural, size), size, avail)
    if widths is None:  # not even the floors fit: every column shrinks alike (text wraps)
        widths = [(avail - pad) * n / per_pt + 2 * PAD_X for n in natural]
    larger = []
    for s in sizes(size):
        w = widths_at(natural, _floors(report, head, contents, natural, s), s, avail)
        if w is not None:
            larger.append((page, s, w))
    return (page, size, widths), larger


def sizes(size: float) -> list[float]:
    """The cell sizes above ``size`` worth trying, largest first (half points, up to the body size)."""
    out = []
    s = MAX_CELL_SIZE
    while s > size + 1e-6:
        out.append(s)
        s -= 0.5
    return out
