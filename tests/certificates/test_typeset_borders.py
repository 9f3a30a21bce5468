"""Issue 12: every text box and the QR box of every built-in template keep at least 4 mm from
every stroke of every border style (the serial used to sit 1 mm from the gold frame's stepped
corner). Measured on the rendered border: no ink within the boxes grown by 4 mm."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from reports.certificates import builtin_templates
from reports.certificates.borders import draw_border
from reports.certificates.model import BORDER_STYLES

CLEAR_MM = 4.0
DPI = 100


def _ink(path: Path, w_mm: float, h_mm: float, style: str) -> tuple[pymupdf.Pixmap, float]:
    c = Canvas(str(path), pagesize=(w_mm * mm, h_mm * mm))
    draw_border(c, style, w_mm * mm, h_mm * mm)
    c.showPage()
    c.save()
    with pymupdf.open(path) as doc:
        return doc[0].get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY, alpha=False), DPI / 25.4


@pytest.mark.parametrize("style", list(BORDER_STYLES))
def test_text_keeps_four_mm_from_every_border_stroke(tmp_path: Path, style: str) -> None:
    pixmaps: dict[tuple[float, float], tuple[pymupdf.Pixmap, float]] = {}
    for key, t in builtin_templates().items():
        size = t.size_mm()
        if size not in pixmaps:
            pixmaps[size] = _ink(tmp_path / f"{style}-{size[0]:g}.pdf", *size, style)
        pix, px = pixmaps[size]
        boxes = [(f.key, f.x, f.y, f.w, f.h) for f in t.fields]
        if t.qr is not None:
            boxes.append(("qr", t.qr.x, t.qr.y, t.qr.size, t.qr.size))
        for name, x, y, w, h in boxes:
            x0, y0 = max(0, int((x - CLEAR_MM) * px)), max(0, int((y - CLEAR_MM) * px))
            x1, y1 = min(pix.width, int((x + w + CLEAR_MM) * px) + 1), min(pix.height, int((y + h + CLEAR_MM) * px) + 1)
            samples, stride = pix.samples, pix.stride
            dark = [j for j in range(y0, y1) if min(samples[j * stride + x0:j * stride + x1]) < 200]
            assert not dark, (key, style, name, f"ink {dark[0] / px:.1f} mm from the top")
