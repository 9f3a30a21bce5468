"""Traditional certificate borders drawn in vectors (no image files, any page size).

``red_classic``   中国红 double frame with a 回纹 (key-fret) band and 回 corner blocks
``gold_double``   gold thick-and-thin frame, an inner frame with notched (步步锦) corners
``cloud_corners`` red double frame with 祥云 (auspicious cloud) scrolls in the corners
``blue_simple``   navy double rule with small corner squares, for training certificates

Each is drawn once per job into a form XObject (see ``render``); sizes are in mm from the
page's edges, so a border fits A4, A3 or a booklet page alike.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

__all__ = ["STYLES", "draw_border"]

RED = HexColor("#B5121B")
GOLD = HexColor("#B8892B")
GOLD_LIGHT = HexColor("#D9B45A")
NAVY = HexColor("#1F3A6E")

# one period of the running key fret, in grid units (5 wide, 4 high), from (0, 0) to (5, 0)
_FRET = ((0, 0), (0, 4), (4, 4), (4, 1), (2, 1), (2, 2), (3, 2), (3, 3), (1, 3), (1, 0), (5, 0))


def _rect(c: Canvas, inset: float, w: float, h: float, width: float) -> None:
    c.setLineWidth(width)
    c.rect(inset * mm, inset * mm, w - 2 * inset * mm, h - 2 * inset * mm, stroke=1, fill=0)


def _fret_band(c: Canvas, length: float, band: float, line: float) -> None:
    """A key-fret band along +x from the origin, ``band`` high (points); whole periods,
    stretched a little to fill ``length`` exactly, closed by an upright at the end."""
    unit_y = band / 4
    periods = max(1, round(length / (5 * unit_y)))
    unit_x = length / (5 * periods)
    p = c.beginPath()
    p.moveTo(0, 0)
    for k in range(periods):
        for gx, gy in _FRET[1:]:
            p.lineTo((5 * k + gx) * unit_x, gy * unit_y)
    p.lineTo(length, band)
    c.setLineWidth(line)
    c.setLineJoin(0)
    c.setLineCap(2)
    c.drawPath(p, stroke=1, fill=0)


def _hui(c: Canvas, x: float, y: float, size: float, line: float) -> None:
    """A 回 block: a square with a square inside and a dot in the middle."""
    c.setLineWidth(line)
    c.rect(x, y, size, size, stroke=1, fill=0)
    c.rect(x + size * 0.2, y + size * 0.2, size * 0.6, size * 0.6, stroke=1, fill=0)
    c.rect(x + size * 0.4, y + size * 0.4, size * 0.2, size * 0.2, stroke=0, fill=1)


def _red_classic(c: Canvas, w: float, h: float) -> None:
    c.setStrokeColor(RED)
    c.setFillColor(RED)
    _rect(c, 8, w, h, 0.7)
    _rect(c, 10, w, h, 2.4)
    _rect(c, 19.5, w, h, 1.4)
    _rect(c, 21, w, h, 0.5)
    a, b = 11.5 * mm, 18.0 * mm  # the band between the frames
    band = b - a
    inner_w, inner_h = w - 2 * b, h - 2 * b
    sides = ((b, a, 0, inner_w), (w - a, b, 90, inner_h), (w - b, h - a, 180, inner_w), (a, h - b, 270, inner_h))
    for x, y, angle, length in sides:
        c.saveState()
        c.translate(x, y)
        c.rotate(angle)
        _fret_band(c, length, band, 0.75)
        c.restoreState()
    for x, y in ((a, a), (w - b, a), (w - b, h - b), (a, h - b)):
        _hui(c, x, y, band, 0.75)


def _notched(c: Canvas, inset: float, notch: float, w: float, h: float) -> None:
    """A frame whose corners are cut inwards by a square notch (步步锦 corners)."""
    i, n = inset * mm, notch * mm
    x0, y0, x1, y1 = i, i, w - i, h - i
    p = c.beginPath()
    p.moveTo(x0 + n, y0)
    p.lineTo(x1 - n, y0)
    p.lineTo(x1 - n, y0 + n)
    p.lineTo(x1, y0 + n)
    p.lineTo(x1, y1 - n)
    p.lineTo(x1 - n, y1 - n)
    p.lineTo(x1 - n, y1)
    p.lineTo(x0 + n, y1)
    p.lineTo(x0 + n, y1 - n)
    p.lineTo(x0, y1 - n)
    p.lineTo(x0, y0 + n)
    p.lineTo(x0 + n, y0 + n)
    p.close()
    c.drawPath(p, stroke=1, fill=0)


def _diamond_chain(c: Canvas, length: float, height: float) -> None:
    """Diamonds tip to tip along +x from the origin, centred on y = 0 (filled)."""
    n = max(1, round(length / (height * 1.6)))
    step = length / n
    p = c.beginPath()
    for k in range(n):
        x = k * step
        p.moveTo(x, 0)
        p.lineTo(x + step / 2, height / 2)
        p.lineTo(x + step, 0)
        p.lineTo(x + step / 2, -height / 2)
        p.close()
    c.drawPath(p, stroke=0, fill=1)


def _gold_double(c: Canvas, w: float, h: float) -> None:
    c.setStrokeColor(GOLD)
    c.setFillColor(GOLD)
    _rect(c, 8.5, w, h, 3.0)
    _rect(c, 10.6, w, h, 0.6)
    _rect(c, 15.4, w, h, 0.6)
    # a chain of diamonds between the thin rules, a 回 block at each corner
    mid, band = 13.0 * mm, 3.2 * mm
    block = 4.0 * mm
    c.setFillColor(GOLD_LIGHT)
    for x, y, angle, length in ((mid + block / 2, mid, 0, w - 2 * mid - block),
                                (w - mid, mid + block / 2, 90, h - 2 * mid - block),
                                (w - mid - block / 2, h - mid, 180, w - 2 * mid - block),
                                (mid, h - mid - block / 2, 270, h - 2 * mid - block)):
        c.saveState()
        c.translate(x, y)
        c.rotate(angle)
        _diamond_chain(c, length, band)
        c.restoreState()
    c.setFillColor(GOLD)
    for x, y in ((mid, mid), (w - mid, mid), (w - mid, h - mid), (mid, h - mid)):
        _hui(c, x - block / 2, y - block / 2, block, 0.6)
    # the inner frame with notched corners, thick and thin
    c.setLineWidth(1.3)
    _notched(c, 18.5, 9, w, h)
    c.setLineWidth(0.5)
    _notched(c, 20.0, 9, w, h)
    size = 6.0 * mm
    for x, y in ((18.5, 18.5), (w / mm - 27.5, 18.5), (w / mm - 27.5, h / mm - 27.5), (18.5, h / mm - 27.5)):
        _hui(c, x * mm + 1.5 * mm, y * mm + 1.5 * mm, size, 0.7)


# lobes of the corner cloud in a unit square: (centre x, centre y, radius), symmetric
# about the diagonal, the largest in the corner
_LOBES = ((0.26, 0.26, 0.18), (0.48, 0.155, 0.12), (0.155, 0.48, 0.12), (0.645, 0.10, 0.075), (0.10, 0.645, 0.075))


def _spiral(p: object, cx: float, cy: float, r: float, turns: float, start: float) -> None:
    """An Archimedean spiral from the centre out to ``r``, as a polyline."""
    steps = int(24 * turns)
    for k in range(steps + 1):
        t = k / steps
        a = start + 2 * math.pi * turns * t
        x, y = cx + r * t * math.cos(a), cy + r * t * math.sin(a)
        if k == 0:
            p.moveTo(x, y)  # type: ignore[attr-defined]
        else:
            p.lineTo(x, y)  # type: ignore[attr-defined]


def _cloud(c: Canvas, x: float, y: float, s: float, flip_x: bool, flip_y: bool) -> None:
    """A 祥云 corner piece in the paper-cut manner: red lobes with white curls, and a
    tapering tail along each edge; ``s`` is the size of the unit square in points."""
    c.saveState()
    c.translate(x, y)
    c.scale(-s if flip_x else s, -s if flip_y else s)
    lobes = c.beginPath()
    for cx, cy, r in _LOBES:
        lobes.circle(cx, cy, r)
    tails = []
    for flip in (False, True):
        tail = c.beginPath()
        pts = ((0.62, 0.03), (0.90, 0.015), (1.20, 0.03), (1.50, 0.06), (1.20, 0.055), (0.92, 0.07), (0.70, 0.16))
        q = [(b, a) if flip else (a, b) for a, b in pts]
        tail.moveTo(*q[0])
        tail.curveTo(*q[1], *q[2], *q[3])
        tail.curveTo(*q[4], *q[5], *q[6])
        tail.close()
        tails.append(tail)
    # a white halo first, so the frame lines behind the cloud are broken around it
    c.setStrokeColor(HexColor("#FFFFFF"))
    c.setLineWidth(0.05)
    for path in (lobes, *tails):
        c.drawPath(path, stroke=1, fill=0)
    for path in (lobes, *tails):
        c.drawPath(path, stroke=0, fill=1, fillMode=0)
    c.setStrokeColor(HexColor("#FFFFFF"))
    c.setLineCap(1)
    c.setLineJoin(1)
    for i, (cx, cy, r) in enumerate(_LOBES):
        c.setLineWidth(r * 0.16)
        curl = c.beginPath()
        _spiral(curl, cx, cy, r * 0.72, 1.6, math.pi * (1.25 + 0.5 * (i % 2)))
        c.drawPath(curl, stroke=1, fill=0)
    c.restoreState()


def _cloud_corners(c: Canvas, w: float, h: float) -> None:
    c.setStrokeColor(RED)
    c.setFillColor(RED)
    _rect(c, 9, w, h, 2.6)
    _rect(c, 11.5, w, h, 0.7)
    _rect(c, 22, w, h, 0.5)
    s = 26 * mm
    inset = 13.0 * mm
    for x, y, fx, fy in ((inset, inset, False, False), (w - inset, inset, True, False),
                         (w - inset, h - inset, True, True), (inset, h - inset, False, True)):
        _cloud(c, x, y, s, fx, fy)
    # a small fret ornament at the middle of the top and bottom rules
    for y, angle in ((11.5 * mm, 0), (h - 11.5 * mm, 180)):
        c.saveState()
        c.translate(w / 2, y)
        c.rotate(angle)
        c.translate(-15 * mm, 0)
        _fret_band(c, 30 * mm, 4 * mm, 0.7)
        c.restoreState()


def _blue_simple(c: Canvas, w: float, h: float) -> None:
    c.setStrokeColor(NAVY)
    c.setFillColor(NAVY)
    _rect(c, 10, w, h, 1.8)
    _rect(c, 12.5, w, h, 0.5)
    size = 3.2 * mm
    for x, y in ((12.5, 12.5), (w / mm - 12.5, 12.5), (w / mm - 12.5, h / mm - 12.5), (12.5, h / mm - 12.5)):
        c.rect(x * mm - size / 2, y * mm - size / 2, size, size, stroke=0, fill=1)


STYLES: dict[str, Callable[[Canvas, float, float], None]] = {
    "red_classic": _red_classic,
    "gold_double": _gold_double,
    "cloud_corners": _cloud_corners,
    "blue_simple": _blue_simple,
}


def draw_border(c: Canvas, style: str, width: float, height: float) -> None:
    """Draw border ``style`` on a ``width`` × ``height`` (points) page."""
    try:
        draw = STYLES[style]
    except KeyError:
        raise ValueError(f"未知的边框样式：{style}（可用：{'、'.join(STYLES)}）") from None
    c.saveState()
    draw(c, width, height)
    c.restoreState()
