"""The Chinese line breaker of certificate fields: where a paragraph's lines end.

No line starts with a :data:`~reports.linebreak.NO_START` character or ends with a
:data:`~reports.linebreak.NO_END` one. Spans are kept whole where they fit on a line: a
placeholder's value (marked by :func:`.fill.fill`), a quoted or bracketed title (“红色工匠”,
《…》), a run of a template's own text between punctuation and placeholders of at most
:data:`LITERAL_MAX` characters (特发此证, 成绩优异), a Latin word (a serial). A value may always break at
:data:`~reports.linebreak.SOFT` (where a source allows it: between a competition's title and the
trade); one wider than a line breaks there first, then after a pause (，、), then beside a
bracket, then anywhere allowed; the recipient's name breaks only when it alone is wider than the box. Among the breaks
that keep these rules, the fewest lines win, then the least penalty (where a span is broken)
and the fullest lines; a paragraph's last line keeps at least :data:`WIDOW_MIN` characters
that are not punctuation (widow control). The cost is one small dynamic programme over the
allowed breaks, run only for a paragraph wider than its box.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import accumulate

from ..linebreak import NO_END, NO_START, SOFT
from .fill import CLOSE, NAME_OPEN, OPEN

__all__ = ["CLOSERS", "LITERAL_MAX", "MARKS", "OPENERS", "WIDOW_MIN", "Para", "parse"]

#: a run of a template's own text up to this many characters is kept whole where it fits
LITERAL_MAX = 8
#: a wrapped paragraph's last line holds at least this many characters that are not punctuation
WIDOW_MIN = 3
_EPS = 1e-6
_INF = float("inf")

# what a break costs (see the module's docstring); fewer lines first, then the rest
_HARD = 1e8  # a forbidden break (禁则, inside the name): only when nothing else fits
_KEEP = 1e6  # inside a span that fits on a line
_LINE = 3000.0  # every line
_LOOSE_LINE = 300.0  # every line, in a box with room for more lines than the fewest
_SLACK = 2000.0  # times the square of the unused fraction of a line that is not the last
_WIDOW = 2500.0  # a last line with fewer than WIDOW_MIN characters that are not punctuation
# inside a span too wide for a line: at SOFT, after a pause (，、), beside a bracket, elsewhere
_AT_SOFT, _AT_PUNCT, _AT_BRACKET, _INSIDE = 10.0, 50.0, 250.0, 500.0
_LONG_RUN = 50.0  # inside a long run of literal text

OPENERS = "“‘《「『（(【〔〈［｛〖〘[{"
CLOSERS = "”’》」』）)】〕〉］｝〗〙]}"
_PAIRS = dict(zip(OPENERS, CLOSERS, strict=True))
_SPACE = frozenset(" \u3000")
_PAUSES = frozenset("，。、；：！？…—,.;:!?")
_NOT_CONTENT = NO_START | NO_END | _SPACE | frozenset("\"'-")
MARKS = frozenset((OPEN, NAME_OPEN, CLOSE, SOFT))
_NAME, _SPAN = 1, 0


def _word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "-_./#@&+'")


def parse(text: str) -> tuple[str, list[int], list[tuple[int, int, int]]]:
    """(the text without marks, the positions of SOFT breaks, value spans (start, end, kind))."""
    if MARKS.isdisjoint(text):
        return text, [], []
    plain: list[str] = []
    soft: list[int] = []
    spans: list[tuple[int, int, int]] = []
    stack: list[tuple[int, int]] = []
    for ch in text:
        if ch in (OPEN, NAME_OPEN):
            stack.append((len(plain), _NAME if ch == NAME_OPEN else _SPAN))
        elif ch == CLOSE:
            if stack:
                s, kind = stack.pop()
                spans.append((s, len(plain), kind))
        elif ch == SOFT:
            soft.append(len(plain))
        else:
            plain.append(ch)
    spans.extend((s, len(plain), kind) for s, kind in stack)  # a value cut short (…)
    return "".join(plain), soft, [sp for sp in spans if sp[1] > sp[0]]


class Para:
    """One paragraph split into clusters (a character and what sticks to it) with their
    font, advance and the space after them (ems), and what breaking between them costs."""

    __slots__ = ("_a", "_base", "_c", "_end", "_end_n", "_g", "_grade", "_inside", "_soft", "_span_kind",
                 "_span_w", "_start", "_values", "adv", "fonts", "gap", "n", "texts", "tight")

    def __init__(self, texts: list[str], fonts: list[str], adv: list[float], gap: list[float],
                 tight: set[int], soft: Iterable[int], values: Iterable[tuple[int, int, int]]) -> None:
        self.texts, self.fonts, self.adv, self.gap, self.tight = texts, fonts, adv, gap, tight
        n = self.n = len(texts)
        self._a = [0.0, *accumulate(adv)]
        self._g = [0.0, *accumulate(gap)]
        end = n
        while end and texts[end - 1] in _SPACE:
            end -= 1
        self._end_n = end or n
        self._soft, self._values = soft, values
        self._c: list[int] = []  # the rest is worked out when the paragraph must wrap

    def _analyse(self) -> None:
        texts, n = self.texts, self.n
        self._c = [0, *accumulate(t[0] not in _NOT_CONTENT for t in texts)]
        space = [t in _SPACE for t in texts]
        indent = 0
        while indent < n and space[indent]:
            indent += 1
        self._start = list(range(n + 1))  # a line starting at a break skips spaces
        for i in range(n - 1, 0, -1):
            if space[i]:
                self._start[i] = self._start[i + 1]
        self._end = list(range(n + 1))  # and ends before them
        for i in range(1, n + 1):
            if space[i - 1] and i - 1 >= indent:
                self._end[i] = self._end[i - 1]
        soft, values = self._soft, self._values
        soft = set(soft)
        base = [0.0] * (n + 1)
        grade = [_INSIDE] * (n + 1)
        for i in range(1, n):
            prev, cur = texts[i - 1][0], texts[i][0]
            if cur in NO_START or prev in NO_END or i <= indent:
                base[i] = _HARD
            if i in soft:
                grade[i] = _AT_SOFT
            elif prev in _PAUSES or space[i - 1] or prev in "-/_.":
                grade[i] = _AT_PUNCT
            elif prev in CLOSERS or cur in OPENERS:
                grade[i] = _AT_BRACKET
        spans = [(s, e, kind) for s, e, kind in values if e - s > 1]
        covered = bytearray(n)
        for s, e, _ in spans:
            covered[s:e] = b"\x01" * (e - s)
        stack: list[tuple[int, str]] = []
        word = 0  # clusters of the Latin word so far
        for i in range(n + 1):
            ch = texts[i][0] if i < n else ""
            if ch in _PAIRS:
                stack.append((i, _PAIRS[ch]))
            elif stack and ch == stack[-1][1]:
                spans.append((stack.pop()[0], i + 1, _SPAN))  # a quoted or bracketed title
            if ch and _word_char(ch):
                word += 1
            else:
                if word > 1:
                    spans.append((i - word, i, _SPAN))  # a Latin word
                word = 0
        i = 0
        while i < n:  # runs of the template's own text between punctuation and values
            if covered[i] or texts[i][0] in _NOT_CONTENT or _word_char(texts[i][0]):
                i += 1
                continue
            e = i + 1
            while e < n and not covered[e] and texts[e][0] not in _NOT_CONTENT and not _word_char(texts[e][0]):
                e += 1
            if e - i <= LITERAL_MAX:
                if e - i > 1:
                    spans.append((i, e, _SPAN))
            else:
                for k in range(i + 1, e):
                    base[k] = max(base[k], _LONG_RUN)
            i = e
        inside: dict[int, list[int]] = {}
        for k, (s, e, _) in enumerate(spans):
            for p in range(s + 1, e):
                inside.setdefault(p, []).append(k)
        self._base, self._grade, self._inside = base, grade, sorted(inside.items())
        indent_w = self.width(0, indent)
        span_w = []
        for s, e, _ in spans:  # with the punctuation that must stay on its line, and the indent
            while s > indent and texts[s - 1][0] in NO_END:
                s -= 1
            while e < n and texts[e][0] in NO_START:
                e += 1
            span_w.append(self.width(s, e) + (indent_w if s == indent else 0.0))
        self._span_w = span_w
        self._span_kind = [kind for _, _, kind in spans]

    def width(self, a: int, b: int) -> float:
        """Visible width of clusters a..b (no space after the last)."""
        if b <= a:
            return 0.0
        return self._a[b] - self._a[a] + self._g[b - 1] - self._g[a]

    def advance(self, a: int, b: int) -> float:
        """The glyphs' own width of clusters a..b, without spacing."""
        return self._a[b] - self._a[a]

    def lines(self, avail: float, loose: bool = False) -> list[tuple[int, int]]:
        """The best lines within ``avail`` ems (a cluster wider than a line still gets one).
        ``loose``: a line more is cheaper than a word broken (for a box with room to spare)."""
        n = self.n
        if n == 0:
            return [(0, 0)]
        if self.width(0, self._end_n) <= avail + _EPS:
            return [(0, self._end_n)]
        if not self._c:
            self._analyse()
        fits = [w <= avail + _EPS for w in self._span_w]
        kinds = self._span_kind
        pen = list(self._base)
        grade = self._grade
        for p, ks in self._inside:
            for k in ks:
                if fits[k] and grade[p] != _AT_SOFT:  # SOFT: a break allowed even in a value that fits
                    cost = (_HARD if kinds[k] == _NAME else _KEEP) + grade[p]
                else:
                    cost = grade[p]
                if cost > pen[p]:
                    pen[p] = cost
        line = _LOOSE_LINE if loose else _LINE
        got = self._best(avail, [i for i in range(1, n) if pen[i] < _KEEP], pen, line)
        if got is None:
            got = self._best(avail, range(1, n), pen, line)
        return got if got is not None else self._forced(avail)

    def _best(self, avail: float, cands: Iterable[int], pen: list[float],
              line: float) -> list[tuple[int, int]] | None:
        n = self.n
        nodes = [0, *cands, n]
        m = len(nodes)
        best = [_INF] * m
        back = [0] * m
        best[0] = 0.0
        a_, g_, c_, start, end = self._a, self._g, self._c, self._start, self._end
        widow = c_[n] >= WIDOW_MIN
        limit = avail + _EPS
        for j in range(1, m):
            b = nodes[j]
            be = end[b]
            last = b == n
            top = _INF
            for k in range(j - 1, -1, -1):
                a = nodes[k]
                s = start[a]
                if be <= s:
                    continue
                w = a_[be] - a_[s] + g_[be - 1] - g_[s]
                if w > limit:
                    break
                cost = best[k]
                if cost == _INF:
                    continue
                cost += line + pen[a]
                if not last:
                    r = (avail - w) / avail
                    cost += _SLACK * r * r
                elif a and widow and c_[be] - c_[s] < WIDOW_MIN:
                    cost += _WIDOW
                if cost < top:
                    top, back[j] = cost, k
            best[j] = top
        if best[-1] == _INF:
            return None
        out: list[tuple[int, int]] = []
        j = m - 1
        while j:
            k = back[j]
            out.append((start[nodes[k]], end[nodes[j]]))
            j = k
        out.reverse()
        return out

    def _forced(self, avail: float) -> list[tuple[int, int]]:
        """Lines broken anywhere: a box narrower than one character (the caller shrinks)."""
        out: list[tuple[int, int]] = []
        a = 0
        for i in range(1, self.n + 1):
            if i - a > 1 and self.width(a, i) > avail + _EPS:
                out.append((a, i - 1))
                a = i - 1
        out.append((a, self.n))
        return out
