"""Fitting a field's text into its box: font runs, shrink, wrap; never overflow.

Widths are measured once at 1 pt (in ems) and scale with the size. A one-line box first
shrinks the text towards ``min_size``, then wraps; a box with room for two lines or more is a
paragraph and wraps at once. Below ``min_size`` the text keeps shrinking (down to 4 pt) rather
than overflow, and only past that is it cut with an ellipsis. Where lines break is
:mod:`.breaking`'s business (the Chinese rules, spans kept whole, widow control); quotation
marks and brackets stay tight against what they enclose, whether tracked or justified.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

from ..fonts import split_runs, sticks
from .breaking import CLOSERS, LITERAL_MAX, MARKS, OPENERS, WIDOW_MIN, Para, parse
from .model import TextField

__all__ = ["FLOOR_SIZE", "LITERAL_MAX", "NAME_GAP", "WIDOW_MIN", "DrawRun", "FieldFitter", "Placed"]

#: em between the two characters of a spaced two-character name: a full-width gap (张　三)
NAME_GAP = 1.0
#: the smallest size text shrinks to before it is cut short
FLOOR_SIZE = 4.0
#: the most space (em) justification puts between two characters; a line needing more stays ragged
JUSTIFY_MAX = 0.25
_EPS = 1e-6


@dataclass(frozen=True, slots=True)
class DrawRun:
    """Text in one font at one character spacing, its origin in PDF points (bottom-up);
    ``line`` numbers the lines of the field."""

    x: float
    y: float
    font: str
    size: float
    char_space: float
    text: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Placed:
    """A fitted field: the runs to draw, the size chosen, and the text's box in PDF
    points (x0, y0 bottom, x1, y1 top)."""

    runs: tuple[DrawRun, ...]
    size: float
    lines: int
    bbox: tuple[float, float, float, float]
    cut: bool = False


class FieldFitter:
    """Lays out the texts of one field (cached by the caller). ``page_h`` is the page
    height in points: results are in PDF coordinates."""

    def __init__(self, field: TextField, primary: str, chain: Sequence[str], page_h: float,
                 widths: dict[tuple[str, str], float] | None = None) -> None:
        self.field = field
        self.primary = primary
        self.chain = list(chain)
        self.page_h = page_h
        self.widths = widths if widths is not None else {}
        self.box = (field.x * mm, page_h - field.y * mm, field.w * mm, field.h * mm)  # x, top, w, h
        self._metrics: dict[str, tuple[float, float]] = {}
        self._chars: dict[str, tuple[str, bool]] = {}  # character -> (the font drawing it, sticks)

    # -- measuring
    def _metric(self, font: str) -> tuple[float, float]:
        m = self._metrics.get(font)
        if m is None:
            face = getattr(getFont(font), "face", None)
            asc = float(getattr(face, "ascent", 880)) / 1000
            desc = -float(getattr(face, "descent", -120)) / 1000
            m = self._metrics[font] = (max(asc, 0.8), max(desc, 0.1))
        return m

    def _para(self, marked: str, name: str) -> Para:
        text, soft_at, value_at = parse(marked)
        texts: list[str] = []
        fonts: list[str] = []
        starts: list[int] = []
        chars = self._chars
        for pos, ch in enumerate(text):  # as split_runs would split it, one character at a time
            known = chars.get(ch)
            if known is None:
                known = chars[ch] = (split_runs(ch, self.primary, self.chain)[0][0], sticks(ch))
            if texts and known[1]:
                texts[-1] += ch
            else:
                texts.append(ch)
                fonts.append(known[0])
                starts.append(pos)
        widths = self.widths
        adv = []
        for t, f in zip(texts, fonts, strict=True):
            w = widths.get((f, t))
            if w is None:
                w = widths[(f, t)] = stringWidth(t, f, 1.0)
            adv.append(w)
        n = len(texts)
        # quotation marks and brackets stay tight against what they enclose, tracked or justified
        tight = {i for i in range(n) if texts[i][0] in OPENERS or (i + 1 < n and texts[i + 1][0] in CLOSERS)}
        tracking = self.field.tracking
        gap = [0.0 if i in tight else tracking for i in range(n)]
        if name:
            at = text.find(name)
            index = {p: i for i, p in enumerate(starts)}
            while at >= 0:
                i = index.get(at)
                if i is not None and i + 1 < n and texts[i] + texts[i + 1] == name:
                    gap[i] += NAME_GAP
                at = text.find(name, at + len(name))
        soft = [i for p in soft_at if (i := bisect_left(starts, p)) < n and starts[i] == p]
        values = [(bisect_left(starts, s), bisect_left(starts, e), kind) for s, e, kind in value_at]
        return Para(texts, fonts, adv, gap, tight, soft, values)

    # -- fitting
    def fit(self, text: str, name: str = "") -> Placed:
        """Place ``text`` (already filled) in the box; ``name``: the record's name, spaced
        where it occurs when the field asks for it and it has two characters."""
        f = self.field
        text = text.strip(" \t\r\n")
        if not text or MARKS.issuperset(text):
            return Placed((), f.size, 0, (self.box[0], self.box[1], self.box[0], self.box[1]))
        spaced = name if (f.spaced_name and len(name) == 2 and not any(sticks(c) for c in name)) else ""
        placed = self._fit(text, spaced, f.size, f.min_size)
        if placed is not None:
            return placed
        # past the smallest size: the longest start of the text that fits, with …
        lo, hi = 0, len(text)
        best = self._fit("…", "", FLOOR_SIZE, FLOOR_SIZE)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            got = self._fit(text[:mid].rstrip() + "…", spaced, FLOOR_SIZE, FLOOR_SIZE)
            if got is not None:
                lo, best = mid, got
            else:
                hi = mid - 1
        if best is None:  # not even … fits: a box smaller than the smallest text
            return Placed((), FLOOR_SIZE, 0, (self.box[0], self.box[1], self.box[0], self.box[1]), cut=True)
        return Placed(best.runs, best.size, best.lines, best.bbox, cut=True)

    def _fit(self, text: str, spaced: str, size: float, min_size: float) -> Placed | None:
        f = self.field
        paras = [self._para(p, spaced) for p in text.split("\n")]
        fonts = {font for p in paras for font in p.fonts} or {self.primary}
        asc = max(self._metric(font)[0] for font in fonts)
        desc = max(self._metric(font)[1] for font in fonts)
        _, _, w, h = self.box
        lead = f.leading

        def wrapped(s: float) -> list[tuple[Para, list[tuple[int, int]]]] | None:
            avail = w / s
            room = int((h / s - asc - desc) / lead + _EPS) + 1 if h + _EPS >= (asc + desc) * s else 0
            out = [(p, p.lines(avail, loose=True)) for p in paras]
            n = sum(len(ls) for _, ls in out)
            if n > room:  # no room for a line more: the fewest lines
                out = [(p, p.lines(avail)) for p in paras]
                n = sum(len(ls) for _, ls in out)
            if (asc + desc + (n - 1) * lead) * s > h + _EPS:
                return None
            # only a line of one character can be wider than the box: check them all
            if any(p.width(a, b) > avail + _EPS for p, ls in out for a, b in ls):
                return None
            return out

        widest = max(p.width(0, p.n) for p in paras)
        one_line = min(size, w / widest if widest else size, h / (asc + desc + (len(paras) - 1) * lead))
        capacity = int((h / size - asc - desc) / lead + _EPS) + 1 if h >= (asc + desc) * size else 0
        if not f.wrap or capacity < 2:
            if one_line >= min(min_size, size) - _EPS or (not f.wrap and one_line >= FLOOR_SIZE - _EPS):
                return self._place([(p, [(0, p.n)]) for p in paras], one_line, asc, desc)
            if not f.wrap:
                return None
            hi = min(min_size, size)
        else:
            hi = size
        best = wrapped(hi)
        if best is not None:
            return self._place(best, hi, asc, desc)
        lo = min(FLOOR_SIZE, hi)
        lo_lines = wrapped(lo)
        if lo_lines is None:
            return None
        for _ in range(14):  # feasibility is monotone in the size: bisect
            mid = (lo + hi) / 2
            got = wrapped(mid)
            if got is None:
                hi = mid
            else:
                lo, lo_lines = mid, got
        return self._place(lo_lines, lo, asc, desc)

    def _place(self, paras: list[tuple[Para, list[tuple[int, int]]]], s: float, asc: float,
               desc: float) -> Placed:
        f = self.field
        bx, top, w, h = self.box
        n = sum(len(ls) for _, ls in paras)
        block = (asc + desc + (n - 1) * f.leading) * s
        room = h - block
        if f.valign == "top":
            first = top - asc * s
        elif f.valign == "bottom":
            first = top - room - asc * s
        else:
            first = top - room / 2 - asc * s
        runs: list[DrawRun] = []
        x_min, x_max = bx + w, bx
        k = 0
        for para, lines in paras:
            tight = para.tight
            for j, (a, b) in enumerate(lines):
                y = first - k * f.leading * s
                k += 1
                if b <= a:
                    continue
                lw = para.width(a, b) * s
                extra = 0.0
                if f.align == "justify" and j < len(lines) - 1:
                    loose = sum(1 for i in range(a, b - 1) if i not in tight)
                    if loose and (w - lw) / loose <= JUSTIFY_MAX * s:  # else ragged, not letter-spaced
                        extra = max(0.0, (w - lw) / loose)
                        lw = w if extra else lw
                    x = bx
                elif f.align == "center":
                    x = bx + (w - lw) / 2
                elif f.align == "right":
                    x = bx + w - lw
                else:
                    x = bx
                x_min, x_max = min(x_min, x), max(x_max, x + lw)
                i = a
                while i < b:
                    font = para.fonts[i]
                    tc = para.gap[i] * s + (0.0 if i in tight else extra)
                    e = i + 1
                    while (e < b and para.fonts[e] == font
                           and para.gap[e] * s + (0.0 if e in tight else extra) == tc):
                        e += 1
                    text = "".join(para.texts[i:e])
                    runs.append(DrawRun(x, y, font, s, tc, text, k - 1))
                    x += para.advance(i, e) * s + (e - i) * tc
                    i = e
        bottom = first - (n - 1) * f.leading * s - desc * s
        return Placed(tuple(runs), s, n, (x_min, bottom, x_max, first + asc * s))
