"""The calibration page: a millimetre ruler grid and a crosshair at each field's corner.

The clerk prints it on plain paper at 100%, measures where the labelled lines land and
enters the printer's x/y offset (right and down positive); every later job on that printer
is shifted by it. With an offset given, the grid and the fields are shifted by it and the
page names it, so a second print checks the correction: the new offset is the current one
plus 50 minus the distance measured (:func:`new_offset`), which is right whether or not an
offset was set before. Nothing is drawn closer than :data:`SAFE_MM` to the paper's edge, where
many printers cannot print.
"""

from __future__ import annotations

import os

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .. import atomic_output
from ..fonts import FontSet, find_fonts, register_fonts
from .canvas import new_canvas
from .model import FIELD_LABELS, Template

__all__ = ["MEASURE_AT", "SAFE_MM", "instructions", "measure_lines", "new_offset", "render_calibration"]

GRID_5 = HexColor("#C8C8C8")
GRID_10 = HexColor("#8C8C8C")
GRID_50 = HexColor("#303030")
MARK = HexColor("#C00000")
WHITE = HexColor("#FFFFFF")
MEASURE_AT = 50  # mm: the lines the instructions ask to measure (100 when an offset pushes 50 out)
SAFE_MM = 10.0  # nothing is drawn closer than this to the paper's edge
LABEL_SIZE = 6.5


def _mm(value: float) -> str:
    """1.5, -2, 0 (no trailing zeros; never ``-0``)."""
    text = f"{round(value, 2):g}"
    return "0" if text == "-0" else text


def new_offset(current: float, measured: float, at: float = MEASURE_AT) -> float:
    """The offset that puts the line labelled ``at`` at ``at`` mm: current + at − measured."""
    return round(current + at - measured, 2)


def measure_lines(size_mm: tuple[float, float], offset: tuple[float, float]) -> tuple[int, int]:
    """The vertical and horizontal grid lines to measure: 50, or 100 when the offset moves the
    50 line into the margin (or off the page)."""
    out = []
    for extent, shift in zip(size_mm, offset, strict=True):
        at = MEASURE_AT
        for candidate in (MEASURE_AT, 2 * MEASURE_AT):
            if SAFE_MM + 5 <= candidate + shift <= extent - SAFE_MM - 5:
                at = candidate
                break
        out.append(at)
    return out[0], out[1]


def instructions(t: Template, w: float, h: float, offset: tuple[float, float]) -> list[str]:
    """The panel's lines: the current offsets and the formula with them filled in."""
    ox, oy = offset
    ax, ay = measure_lines((w, h), offset)
    sample = ax + 1.5
    return [
        f"打印机校准页：{t.title}（{w:g}×{h:g} 毫米）",
        "1. 在普通纸上按“实际大小”（100%）打印本页，不要选“适合页面”或“缩放”。",
        f"2. 本页已按当前偏移打印：水平偏移 {_mm(ox)} 毫米，垂直偏移 {_mm(oy)} 毫米。",
        f"3. 用尺子量出标有 {ax} 的粗竖线到纸张左边缘、标有 {ay} 的粗横线到纸张上边缘的距离（毫米）。",
        f"4. 新的水平偏移 = {_mm(ox)} + {ax} − 竖线量得的距离；新的垂直偏移 = {_mm(oy)} + {ay} − 横线量得的距离。",
        f"　 例：竖线量得 {_mm(sample)} 毫米，新的水平偏移 = {_mm(ox)} + {ax} − {_mm(sample)} = "
        f"{_mm(new_offset(ox, sample, ax))}。量得正好 {ax} 毫米时不必修改。向右、向下为正。",
        "红色十字为各字段框的左上角，虚线为字段框；离纸边 10 毫米以内不印任何内容。",
    ]


def _label(c: Canvas, text: str, font: str, x: float, y: float, *, centred: bool,
           patch: tuple[float, float] | None = None) -> None:
    """A grid number on a white patch (baseline at ``y``; ``x`` its centre or left edge);
    ``patch`` widens the patch to (left, right), so no stub of its line reads as a minus sign."""
    lw = stringWidth(text, font, LABEL_SIZE)
    left = x - lw / 2 if centred else x
    x0, x1 = patch if patch is not None else (left - 1, left + lw + 1)
    c.setFillColor(WHITE)
    c.rect(x0, y - 1.5, x1 - x0, LABEL_SIZE + 1.5, stroke=0, fill=1)
    c.setFillColor(GRID_50)
    c.setFont(font, LABEL_SIZE)
    c.drawString(left, y, text)


def _grid(c: Canvas, font: str, w_mm: float, h_mm: float, offset: tuple[float, float]) -> None:
    """The grid shifted by the offset, its numbers inside the safe area along its edges."""
    W, H = w_mm * mm, h_mm * mm
    ox, oy = offset
    c.saveState()
    c.translate(ox * mm, -oy * mm)
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
    c.restoreState()
    # numbers every 10 mm: the columns' along the top and bottom, the rows' along both sides, each
    # beside its (shifted) line and at least SAFE_MM + 1 from the paper's edge
    low = SAFE_MM + 3
    for x in range(10, int(w_mm) + 1, 10):
        px = x + ox
        if low <= px <= w_mm - SAFE_MM - 3:
            for baseline in (H - (SAFE_MM + 4) * mm, (SAFE_MM + 2) * mm):
                _label(c, str(x), font, px * mm, baseline, centred=True)
    for y in range(10, int(h_mm) + 1, 10):
        py = y + oy
        if low <= py <= h_mm - SAFE_MM - 3:
            baseline = H - py * mm - LABEL_SIZE / 2 + 0.5
            text = str(y)
            lw = stringWidth(text, font, LABEL_SIZE)
            _label(c, text, font, (SAFE_MM + 1) * mm, baseline, centred=False,
                   patch=(SAFE_MM * mm, (SAFE_MM + 1) * mm + lw + 1))
            _label(c, text, font, W - (SAFE_MM + 1) * mm - lw, baseline, centred=False,
                   patch=(W - (SAFE_MM + 1) * mm - lw - 1, W - SAFE_MM * mm))


def _fields(c: Canvas, font: str, template: Template, h_mm: float, offset: tuple[float, float]) -> None:
    """Each field: a dashed box and a crosshair at its top-left corner, named in Chinese."""
    H = h_mm * mm
    c.saveState()
    c.translate(offset[0] * mm, -offset[1] * mm)
    c.setStrokeColor(MARK)
    c.setFillColor(MARK)
    boxes = [(f.key, f.x, f.y, f.w, f.h) for f in template.fields]
    if template.qr is not None:
        boxes.append(("qr", template.qr.x, template.qr.y, template.qr.size, template.qr.size))
    if template.seal is not None:
        sx, sy, ss = template.seal
        boxes.append(("seal", sx, sy, ss, ss))
    for key, x, y, fw, fh in boxes:
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
        c.drawString(px + 1.2 * mm, py - 8, f"{FIELD_LABELS.get(key, '字段')}（{x:g}, {y:g}）")
    c.restoreState()


def _panel(c: Canvas, font: str, lines: list[str], W: float, H: float) -> None:
    """The instructions in a white panel near the middle (never shifted: it is read, not measured)."""
    size = 9.0
    lead = size * 1.6
    width = min(W - 2 * (SAFE_MM + 10) * mm, max(stringWidth(t, font, size) for t in lines) + 8 * mm)
    height = lead * len(lines) + 6 * mm
    x0, y0 = (W - width) / 2, H * 0.42 - height / 2
    c.setFillColor(WHITE)
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


def render_calibration(path: str | os.PathLike[str], template: Template,
                       offset: tuple[float, float] = (0.0, 0.0), *, fonts: FontSet | None = None) -> None:
    """Write the one-page calibration PDF for ``template``'s page size and fields, shifted by
    ``offset`` (mm, right and down positive) and naming it; everything inside the safe area."""
    fontset = fonts if fonts is not None else find_fonts()
    font = register_fonts(fontset)["body"]
    w_mm, h_mm = template.size_mm()
    W, H = w_mm * mm, h_mm * mm
    with atomic_output(path) as tmp:
        c = new_canvas(tmp, template, font, f"打印机校准页：{template.title}")
        c.saveState()
        safe = c.beginPath()  # whatever would fall within SAFE_MM of the edge is cut away
        safe.rect(SAFE_MM * mm, SAFE_MM * mm, W - 2 * SAFE_MM * mm, H - 2 * SAFE_MM * mm)
        c.clipPath(safe, stroke=0, fill=0)
        _grid(c, font, w_mm, h_mm, offset)
        _fields(c, font, template, h_mm, offset)
        _panel(c, font, instructions(template, w_mm, h_mm, offset), W, H)
        c.restoreState()
        c.showPage()
        c.save()
