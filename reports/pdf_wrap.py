"""Chinese line breaking (禁则) inside ReportLab paragraphs: table cells, headers and notes.

:func:`reports.linebreak.patch_reportlab` gives ReportLab's CJK wrapping our cannot-start set,
but ReportLab then *hangs* the offending character in the right margin (over a cell's grid line)
and handles only one of them (「。”」 still starts a line with ”), and it never looks at the
cannot-end set. :func:`install` replaces its ``cjkFragSplit`` with one that moves the break
backwards instead: no line starts with a character of ``NO_START`` or ends with one of
``NO_END`` (an opening bracket or quote goes down to the next line with what it opens), and no
line is wider than its cell. A line that cannot be mended without leaving a single character
keeps ReportLab's break.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from unicodedata import category

from .linebreak import NO_END, NO_START, patch_reportlab

__all__ = ["install", "mend_break"]

_installed = False


def _bad(chars: Sequence[str], end: int) -> bool:
    """Whether a line break before ``chars[end]`` breaks a rule."""
    return chars[end] in NO_START or chars[end - 1] in NO_END


def mend_break(chars: Sequence[str], start: int, end: int) -> int:
    """Where the line ``chars[start:end]`` should end instead so that neither it nor the next line
    breaks a 禁则 rule: ``end`` moved back as little as possible (the line keeps at least one
    character); when no such place exists (a cell a few characters wide), the closing marks hang
    past the end of the line instead."""
    n = len(chars)
    if end <= start or end >= n:
        return end
    j = end
    while j > start + 1 and _bad(chars, j):
        j -= 1
    if not _bad(chars, j):
        return j
    j = end
    while j < n and _bad(chars, j):
        j += 1
    return j


def _spans(chars: Sequence[str], widths: Sequence[float], hard: Sequence[bool],
           maxWidths: Sequence[float]) -> list[tuple[int, int, bool]]:
    """The lines ``(start, end, ended_by_a_hard_break)``: as many glyphs as fit, then the break moved back by
    :func:`mend_break` (inside a Latin word: back to a space or CJK glyph first, as ReportLab does)."""
    spans: list[tuple[int, int, bool]] = []
    n = len(chars)
    i = start = 0
    used = 0.0
    limit = maxWidths[0]
    while i < n:
        c = chars[i]
        used += widths[i]
        i += 1
        if not (hard[i - 1] or (used > limit + 1e-8 and used > 0)):
            continue
        end = i
        if not hard[i - 1] and i > start + 1:
            end = i - 1  # the glyph that overflowed starts the next line
            if c and ord(c[0]) < 0x3000:  # inside a Latin word: break after a space or a CJK glyph
                for j in range(i - 2, (start + i) >> 1, -1):
                    g = chars[j]
                    if g and (category(g[0]) == "Zs" or ord(g[0]) >= 0x3000):
                        end = j + 1
                        break
            end = mend_break(chars, start, end)
        spans.append((start, end, hard[i - 1] and end == i))
        limit = maxWidths[min(len(spans), len(maxWidths) - 1)]
        i = start = end
        used = 0.0
    if start < n:
        spans.append((start, n, False))
    return spans


def _frag_split(frags: Any, maxWidths: Sequence[float], calcBounds: Any, encoding: str = "utf8") -> Any:
    """ReportLab's ``cjkFragSplit`` (several fonts in a paragraph) with 禁则."""
    from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine

    if not isinstance(maxWidths, list | tuple):
        maxWidths = [maxWidths]
    glyphs: list[Any] = []
    for f in frags:
        text = f.text.decode(encoding) if isinstance(f.text, bytes) else f.text
        if text:
            glyphs.extend(cjkU(t, f, encoding) for t in text)
        else:
            glyphs.append(cjkU(text, f, encoding))

    def width(u: Any, limit: float) -> float:
        w = u.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = limit
            w = w.normalizedValue(limit)
        return float(w)

    widths = [width(g, maxWidths[0]) for g in glyphs]
    hard = [hasattr(g.frag, "lineBreak") for g in glyphs]
    lines = []
    for k, (a, b, brk) in enumerate(_spans(glyphs, widths, hard, maxWidths)):
        limit = maxWidths[min(k, len(maxWidths) - 1)]
        used = sum(widths[a:b])
        lines.append(makeCJKParaLine(glyphs[a:b], limit, used, limit - used, brk, calcBounds))
    return ParaLines(kind=1, lines=lines)


def _word_split(word: str, maxWidths: Any, fontName: str, fontSize: float, encoding: str = "utf8") -> list[list[Any]]:
    """ReportLab's ``wordSplit`` (a paragraph in one font) with 禁则."""
    from reportlab.lib.textsplit import getCharWidths

    if not isinstance(maxWidths, list | tuple):
        maxWidths = [maxWidths]
    if isinstance(word, bytes):
        word = word.decode(encoding)
    widths = getCharWidths(word, fontName, fontSize)
    spans = _spans(word, widths, [False] * len(word), maxWidths)
    lines: list[list[Any]] = []
    for k, (a, b, _brk) in enumerate(spans):
        limit = maxWidths[min(k, len(maxWidths) - 1)]
        text = word[a:b] if k == len(spans) - 1 else word[a:b].strip()
        lines.append([limit - sum(widths[a:b]), text])
    return lines


def install() -> None:
    """Patch ReportLab's CJK wrapping (idempotent): call before building report paragraphs."""
    global _installed
    patch_reportlab()
    if _installed:
        return
    from reportlab.platypus import paragraph

    paragraph.cjkFragSplit = _frag_split
    paragraph.wordSplit = _word_split
    _installed = True
