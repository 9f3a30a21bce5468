"""Fitting a field's text into its box: font runs, shrink, wrap; never overflow.

Widths are measured once at 1 pt (in ems) and scale with the size, so trying a size is
one greedy pass over the line-break opportunities. A one-line box first shrinks the text
towards ``min_size``, then wraps; a box with room for two lines or more is a paragraph
and wraps at once. Below ``min_size`` the text keeps shrinking (down to 4 pt) rather than
overflow, and only past that is it cut with an ellipsis.

Line breaking follows the usual Chinese rules: any two ideographs may break, closing
punctuation never starts a line and opening punctuation never ends one, a run of Latin
letters and digits (a serial number) stays together unless it alone is wider than the box.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

from ..fonts import _sticks, split_runs
from .fill import GLUE
from .model import TextField

__all__ = ["FLOOR_SIZE", "NAME_GAP", "DrawRun", "FieldFitter", "Placed"]

#: em between the two characters of a spaced two-character name (张 三): at most ⅓ em
NAME_GAP = 1 / 3
#: the smallest size text shrinks to before it is cut short
FLOOR_SIZE = 4.0
_EPS = 1e-6

NO_START = frozenset("，。、；：！？）》」』〕】〉…—～·％‰,.;:!?)]}%”’")
NO_END = frozenset("（《「『〔【〈“‘([{")


def _word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "-_./#@&+'")


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


class _Para:
    """One paragraph split into clusters (a character and what sticks to it) with
    their font, advance and the extra space after them, in ems, and break tokens."""

    __slots__ = ("adv", "fonts", "gap", "glued", "texts", "tokens")

    def __init__(self, texts: list[str], fonts: list[str], adv: list[float], gap: list[float],
                 glued: set[int]) -> None:
        self.texts, self.fonts, self.adv, self.gap = texts, fonts, adv, gap
        self.glued = glued  # no break after these clusters
        self.tokens = self._tokens()

    def _tokens(self) -> list[tuple[int, int, float]]:
        """(start, end, width with gaps) of the pieces a line may break between."""
        out: list[tuple[int, int, float]] = []
        texts = self.texts
        start = 0
        for i in range(1, len(texts) + 1):
            if i < len(texts):
                prev, cur = texts[i - 1], texts[i]
                glue = (
                    i - 1 in self.glued
                    or cur[0] in NO_START
                    or prev[-1] in NO_END
                    or (_word_char(prev[-1]) and _word_char(cur[0]))
                )
                if glue:
                    continue
            out.append((start, i, sum(self.adv[start:i]) + sum(self.gap[start:i])))
            start = i
        return out

    def width(self, a: int, b: int) -> float:
        """Visible width of clusters a..b (no space after the last)."""
        if b <= a:
            return 0.0
        return sum(self.adv[a:b]) + sum(self.gap[a : b - 1])

    def lines(self, avail: float) -> list[tuple[int, int]]:
        """Greedy lines within ``avail`` ems; a token wider than a line is split."""
        out: list[tuple[int, int]] = []
        texts, gap, adv = self.texts, self.gap, self.adv
        a = b = 0
        used = 0.0  # with the gap after the last cluster
        for s, e, tw in self.tokens:
            if b == a:  # no space at the start of a line
                while s < e and texts[s] == " ":
                    tw -= adv[s] + gap[s]
                    s += 1
                if s == e:
                    a = b = e
                    continue
                a = b = s
            if used + tw - gap[e - 1] <= avail + _EPS:
                b, used = e, used + tw
                continue
            if b > a:
                out.append(self._trim(a, b))
                used = 0.0
                while s < e and texts[s] == " ":
                    tw -= adv[s] + gap[s]
                    s += 1
                a = b = s
                if s == e:
                    continue
                if tw - gap[e - 1] <= avail + _EPS:
                    b, used = e, tw
                    continue
            for i in range(s, e):  # the token alone is too wide: break it anywhere
                w = adv[i] + gap[i]
                if b > a and used + w - gap[i] > avail + _EPS:
                    out.append((a, b))
                    a, used = b, 0.0
                b, used = i + 1, used + w
        if b > a or not out:
            out.append(self._trim(a, b))
        return out

    def _trim(self, a: int, b: int) -> tuple[int, int]:
        while b > a and self.texts[b - 1] == " ":
            b -= 1
        return a, b


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

    # -- measuring
    def _metric(self, font: str) -> tuple[float, float]:
        m = self._metrics.get(font)
        if m is None:
            face = getattr(getFont(font), "face", None)
            asc = float(getattr(face, "ascent", 880)) / 1000
            desc = -float(getattr(face, "descent", -120)) / 1000
            m = self._metrics[font] = (max(asc, 0.8), max(desc, 0.1))
        return m

    def _para(self, text: str, name: str) -> _Para:
        texts: list[str] = []
        fonts: list[str] = []
        starts: list[int] = []
        glued: set[int] = set()
        pos = 0
        for font, run in split_runs(text, self.primary, self.chain):
            for ch in run:
                if ch == GLUE:
                    if texts:
                        glued.add(len(texts) - 1)
                    continue
                if texts and _sticks(ch):
                    texts[-1] += ch
                else:
                    texts.append(ch)
                    fonts.append(font)
                    starts.append(pos)
                pos += 1
        widths = self.widths
        adv = []
        for t, f in zip(texts, fonts, strict=True):
            w = widths.get((f, t))
            if w is None:
                w = widths[(f, t)] = stringWidth(t, f, 1.0)
            adv.append(w)
        tracking = self.field.tracking
        gap = [tracking] * len(texts)
        if name:
            text = text.replace(GLUE, "")
            at = text.find(name)
            index = {p: i for i, p in enumerate(starts)}
            while at >= 0:
                i = index.get(at)
                if i is not None and i + 1 < len(texts) and texts[i] + texts[i + 1] == name:
                    gap[i] += NAME_GAP
                at = text.find(name, at + len(name))
        return _Para(texts, fonts, adv, gap, glued)

    # -- fitting
    def fit(self, text: str, name: str = "") -> Placed:
        """Place ``text`` (already filled) in the box; ``name``: the record's name, spaced
        where it occurs when the field asks for it and it has two characters."""
        f = self.field
        text = text.strip(" \t\r\n")
        if not text:
            return Placed((), f.size, 0, (self.box[0], self.box[1], self.box[0], self.box[1]))
        spaced = name if (f.spaced_name and len(name) == 2 and not any(_sticks(c) for c in name)) else ""
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
        fonts = {font for p in paras for font in p.fonts}
        asc = max(self._metric(font)[0] for font in fonts)
        desc = max(self._metric(font)[1] for font in fonts)
        _, _, w, h = self.box
        lead = f.leading

        def wrapped(s: float) -> list[tuple[_Para, list[tuple[int, int]]]] | None:
            avail = w / s
            out = [(p, p.lines(avail)) for p in paras]
            n = sum(len(ls) for _, ls in out)
            if (asc + desc + (n - 1) * lead) * s > h + _EPS:
                return None
            # only a line of one character can be wider than the box: check them all
            if any(p.width(a, b) > avail + _EPS for p, ls in out for a, b in ls):
                return None
            return out

        widest = max(p.width(0, len(p.texts)) for p in paras)
        one_line = min(size, w / widest if widest else size, h / (asc + desc + (len(paras) - 1) * lead))
        capacity = int((h / size - asc - desc) / lead + _EPS) + 1 if h >= (asc + desc) * size else 0
        if not f.wrap or capacity < 2:
            if one_line >= min(min_size, size) - _EPS or (not f.wrap and one_line >= FLOOR_SIZE - _EPS):
                return self._place([(p, [(0, len(p.texts))]) for p in paras], one_line, asc, desc)
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

    def _place(self, paras: list[tuple[_Para, list[tuple[int, int]]]], s: float, asc: float,
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
            for j, (a, b) in enumerate(lines):
                y = first - k * f.leading * s
                k += 1
                if b <= a:
                    continue
                lw = para.width(a, b) * s
                extra = 0.0
                if f.align == "justify" and j < len(lines) - 1 and b - a > 1:
                    extra = max(0.0, (w - lw) / (b - a - 1))
                    x = bx
                    lw = w if extra else lw
                elif f.align == "center":
                    x = bx + (w - lw) / 2
                elif f.align == "right":
                    x = bx + w - lw
                else:
                    x = bx
                x_min, x_max = min(x_min, x), max(x_max, x + lw)
                i = a
                while i < b:
                    font, g = para.fonts[i], para.gap[i]
                    e = i + 1
                    while e < b and para.fonts[e] == font and para.gap[e] == g:
                        e += 1
                    tc = g * s + extra
                    runs.append(DrawRun(x, y, font, s, tc, "".join(para.texts[i:e]), k - 1))
                    x += para.width(i, e) * s + g * s + (e - i) * extra
                    i = e
        bottom = first - (n - 1) * f.leading * s - desc * s
        return Placed(tuple(runs), s, n, (x_min, bottom, x_max, first + asc * s))
