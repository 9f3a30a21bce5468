"""Lines of text drawn straight onto a canvas (拜师帖, 调解协议书): the fonts registered once, and
each line drawn run by run so a character the body font lacks comes from a fallback font."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .fonts import FontSet, fallback_names, register_fonts, split_runs

INK = colors.HexColor("#1A1A1A")


class CanvasFonts:
    def __init__(self, fontset: FontSet) -> None:
        names = register_fonts(fontset)
        self.title, self.name, self.body = names["title"], names["name"], names["body"]
        self.chain = fallback_names(fontset)

    def runs(self, text: str, font: str) -> list[tuple[str, str]]:
        return split_runs(text, font, self.chain)

    def width(self, text: str, font: str, size: float) -> float:
        return sum(stringWidth(t, f, size) for f, t in self.runs(text, font))

    def draw(self, c: Canvas, x: float, y: float, text: str, font: str, size: float, *, align: str = "left",
             color: colors.Color = INK, spacing: float = 0.0) -> float:
        """Draw one line (``align`` left/centre/right of ``x``); returns its width."""
        runs = self.runs(text, font)
        w = sum(stringWidth(t, f, size) for f, t in runs) + spacing * max(len(text) - 1, 0)
        if align == "centre":
            x -= w / 2
        elif align == "right":
            x -= w
        c.setFillColor(color)
        for f, t in runs:
            obj = c.beginText(x, y)
            obj.setFont(f, size)
            obj.setCharSpace(spacing)
            obj.textOut(t)
            c.drawText(obj)
            x += stringWidth(t, f, size) + spacing * len(t)
        return w
