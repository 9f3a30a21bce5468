"""The calibration page: a millimetre ruler grid and a crosshair at each field's corner.

The clerk prints it on plain paper at 100%, measures where the labelled lines land and
enters the printer's x/y offset (right and down positive); every later job on that
printer is shifted by it. With an offset given, the whole page is shifted by it, so a
second print checks the correction.
"""

from __future__ import annotations

import os

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from .. import atomic_output
from ..fonts import FontSet, find_fonts, register_fonts
from .canvas import new_canvas
from .model import FIELD_LABELS, Template

__all__ = ["render_calibration"]

GRID_5 = HexColor("#C8C8C8")
GRID_10 = HexColor("#8C8C8C")
GRID_50 = HexColor("#303030")
MARK = HexColor("#C00000")
MEASURE_AT = 50  # mm: the lines the instructions ask to measure


def _instructions(t: Template, w: float, h: float, offset: tuple[float, float]) -> list[str]:
    return [
        f"打印机校准页：{t.title}（{w:g}×{h:g} 毫米）",
        "1. 在普通纸上按“实际大小”（100%）打印本页，不要选“适合页面”或“缩放”。",
        f"2. 用尺子量出标有 {MEASURE_AT} 的粗竖线到纸张左边缘、标有 {MEASURE_AT} 的粗横线到纸张上边缘的距离（毫米）。",
        f"3. 偏移量 = {MEASURE_AT} - 量得的距离：如竖线在 51.5 毫米处，水平偏移填 -1.5。向右、向下为正。",
        "红色十字为各字段框的左上角，虚线为字段框。",
        f"本页已按偏移 x = {offset[0]:g} 毫米、y = {offset[1]:g} 毫米 打印。",
    ]


def render_calibration(path: str | os.PathLike[str], template: Template,
                       offset: tuple[float, float] = (0.0, 0.0), *, fonts: FontSet | None = None) -> None:
    """Write the one-page calibration PDF for ``template``'s page size and fields."""
    fontset = fonts if fonts is not None else find_fonts()
    font = register_fonts(fontset)["body"]
    w_mm, h_mm = template.size_mm()
    W, H = w_mm * mm, h_mm * mm
    with atomic_output(path) as tmp:
        c = new_canvas(tmp, template, font, f"打印机校准页：{template.title}")
        c.translate(offset[0] * mm, -offset[1] * mm)
        # the grid: 5 mm light, 10 mm darker, 50 mm bold
        for step, colour, width in ((5, GRID_5, 0.25), (10, GRID_10, 0.45), (50, GRID_50, 0.9)):
            c.setStrokeColor(colour)
            c.setLineWidth(width)
            p = c.beginPath()
            for x in range(step, int(w_mm) + 1, step):
                p.moveTo(x * mm, 0)
                p.lineTo(x * mm, H)
            for y in range(step, int(h_mm) + 1, step):
                p.moveTo(0, H - y * mm)
                p.lineTo(W, H - y * mm)
            c.drawPath(p, stroke=1, fill=0)
        # labels every 10 mm along the top and left edges (and bottom and right)
        c.setFillColor(GRID_50)
        size = 6.5
        for x in range(10, int(w_mm), 10):
            label = str(x)
            lw = stringWidth(label, font, size)
            for y in (7 * mm, H - 9.5 * mm):
                c.setFillColor(HexColor("#FFFFFF"))
                c.rect(x * mm - lw / 2 - 1, H - y - 1.5, lw + 2, size + 1.5, stroke=0, fill=1)
                c.setFillColor(GRID_50)
                c.setFont(font, size)
                c.drawCentredString(x * mm, H - y, label)
        for y in range(10, int(h_mm), 10):
            label = str(y)
            lw = stringWidth(label, font, size)
            for x in (4 * mm, W - 4 * mm - lw):
                c.setFillColor(HexColor("#FFFFFF"))
                c.rect(x - 1, H - y * mm - size / 2 - 1, lw + 2, size + 1.5, stroke=0, fill=1)
                c.setFillColor(GRID_50)
                c.setFont(font, size)
                c.drawString(x, H - y * mm - size / 2 + 0.5, label)
        # each field: dashed box and a crosshair at its top-left corner
        c.setStrokeColor(MARK)
        c.setFillColor(MARK)
        boxes = [(f.key, f.x, f.y, f.w, f.h) for f in template.fields]
        if template.qr is not None:
            boxes.append(("qr", template.qr.x, template.qr.y, template.qr.size, template.qr.size))
        if template.seal is not None:
            sx, sy, ss = template.seal
            boxes.append(("seal", sx, sy, ss, ss))
        for key, x, y, fw, fh in boxes:
            label = FIELD_LABELS.get(key, "")
            px, py = x * mm, H - y * mm
            c.setDash(2, 2)
            c.setLineWidth(0.5)
            c.rect(px, py - fh * mm, fw * mm, fh * mm, stroke=1, fill=0)
            c.setDash()
            c.setLineWidth(0.6)
            arm = 4 * mm
            c.line(px - arm, py, px + arm, py)
            c.line(px, py - arm, px, py + arm)
            c.setFont(font, 7)
            c.drawString(px + 1.2 * mm, py - 8, f"{key}{('（' + label + '）') if label else ''} ({x:g}, {y:g})")
        # the instructions in a white panel near the middle
        lines = _instructions(template, w_mm, h_mm, offset)
        size = 9.0
        lead = size * 1.6
        width = min(W - 40 * mm, max(stringWidth(t, font, size) for t in lines) + 8 * mm)
        height = lead * len(lines) + 6 * mm
        x0, y0 = (W - width) / 2, H * 0.42 - height / 2
        c.setFillColor(HexColor("#FFFFFF"))
        c.setStrokeColor(GRID_50)
        c.setLineWidth(0.6)
        c.rect(x0, y0, width, height, stroke=1, fill=1)
        c.setFillColor(HexColor("#000000"))
        y = y0 + height - 3 * mm - size
        for i, text in enumerate(lines):
            s = size * (1.25 if i == 0 else 1.0)
            while stringWidth(text, font, s) > width - 8 * mm and s > 5:
                s -= 0.25
            c.setFont(font, s)
            c.drawString(x0 + 4 * mm, y, text)
            y -= lead
        c.showPage()
        c.save()
