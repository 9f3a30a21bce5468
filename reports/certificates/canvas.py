"""The canvas every certificate PDF starts from (certificates and the calibration page)."""

from __future__ import annotations

import os

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .model import Template

__all__ = ["CREATOR", "new_canvas"]

CREATOR = "UnionDesk 工会工作台"

# Binary streams (as reports.pdf_table): ASCII85 costs time and bytes for nothing.
rl_config.useA85 = 0


def new_canvas(path: str | os.PathLike[str], template: Template, body_font: str, title: str) -> Canvas:
    """A canvas whose first font is the CJK body font, marked to print at 100%."""
    w, h = template.size_mm()
    canv = Canvas(str(path), pagesize=(w * mm, h * mm), initialFontName=body_font, initialFontSize=12,
                  pageCompression=1, lang="zh-CN")
    canv.setTitle(title)
    canv.setSubject(template.title)
    canv.setCreator(CREATOR)
    canv.setProducer(CREATOR)
    # printed at 100%, never fit-to-page: positions are millimetres on paper
    canv.setViewerPreference("PrintScaling", "None")
    return canv
