"""The 恢复密钥 sheet: one A4 page with the database's recovery key, to be locked away.

The key in large monospace groups (Latin letters and digits only: Courier-Bold, no CJK font
needed for it), the union, the database id, the date in Chinese, the public keys' fingerprint
(compared by ``check`` and ``verify``) and short instructions. Plain data in, no database.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from . import atomic_output
from .cn_dates import date_cn
from .fonts import FontSet, fallback_names, find_fonts, register_fonts, split_runs

__all__ = ["INSTRUCTIONS", "RecoverySheet", "write_recovery_sheet"]

PAGE_W, PAGE_H = A4
MARGIN = 22 * mm
INK = colors.HexColor("#1A1A1A")
GREY = colors.HexColor("#5A5A5A")
RED = colors.HexColor("#A61B1B")
MONO = "Courier-Bold"

INSTRUCTIONS: tuple[str, ...] = (
    "请把本页锁在保险柜或带锁的抽屉里，不要拍照、复印或存在电脑上。",
    "以下情况需要它：在新电脑上打开数据；所有管理员都忘记了密码。",
    "输入时不区分大小写，空格和短横线可省略；密钥中没有 0、1、I、O。",
    "重新打印恢复密钥表会生成新的密钥，旧表随即作废，请销毁旧表。",
    "核对指纹：程序“检查”中显示的公钥指纹应与本页一致。",
)


@dataclass(frozen=True)
class RecoverySheet:
    """What the sheet says: ``key_groups`` (8 groups of 4), ``fingerprint`` (printed form)."""

    union_name: str
    database_id: str
    key_groups: Sequence[str]
    fingerprint: str
    on: date


class _Text:
    def __init__(self, fontset: FontSet) -> None:
        names = register_fonts(fontset)
        self.title, self.body = names["title"], names["body"]
        self.chain = fallback_names(fontset)

    def draw(self, c: Canvas, x: float, y: float, text: str, font: str, size: float, *,
             centre: bool = False, color: colors.Color = INK) -> None:
        runs = split_runs(text, font, self.chain)
        if centre:
            x -= sum(stringWidth(t, f, size) for f, t in runs) / 2
        c.setFillColor(color)
        for f, t in runs:
            c.setFont(f, size)
            c.drawString(x, y, t)
            x += stringWidth(t, f, size)


def _key_block(c: Canvas, groups: Sequence[str], top: float) -> float:
    """The key in two rows of four groups inside a box; returns the y below the box."""
    size = 26
    per_row = 4
    rows = [groups[i:i + per_row] for i in range(0, len(groups), per_row)]
    line_h = 16 * mm
    box_h = line_h * len(rows) + 8 * mm
    c.setStrokeColor(INK)
    c.setLineWidth(1.2)
    c.rect(MARGIN, top - box_h, PAGE_W - 2 * MARGIN, box_h)
    y = top - 6 * mm - size * 0.8
    for row in rows:
        text = "  ".join(row)
        c.setFillColor(INK)
        c.setFont(MONO, size)
        c.drawString((PAGE_W - stringWidth(text, MONO, size)) / 2, y, text)
        y -= line_h
    return top - box_h


def write_recovery_sheet(sheet: RecoverySheet, path: str | os.PathLike[str], fonts: FontSet | None = None) -> None:
    """Write the one-page PDF to ``path`` (atomically). Raises reports.fonts.FontMissing without a CJK font."""
    t = _Text(fonts if fonts is not None else find_fonts())
    with atomic_output(path) as tmp:
        c = Canvas(str(tmp), pagesize=A4, pageCompression=1)
        c.setTitle("恢复密钥")
        c.setAuthor(sheet.union_name or "工会工作台")
        y = PAGE_H - MARGIN - 12 * mm
        t.draw(c, PAGE_W / 2, y, "恢复密钥", t.title, 28, centre=True)
        y -= 10 * mm
        t.draw(c, PAGE_W / 2, y, "机密　请妥善保管", t.body, 13, centre=True, color=RED)
        y -= 16 * mm
        for label, value in (("单位", sheet.union_name or "（未设置单位名称）"),
                             ("数据库编号", sheet.database_id),
                             ("打印日期", date_cn(sheet.on))):
            t.draw(c, MARGIN, y, f"{label}：", t.body, 13, color=GREY)
            t.draw(c, MARGIN + 30 * mm, y, value, t.body, 13)
            y -= 9 * mm
        y -= 4 * mm
        y = _key_block(c, sheet.key_groups, y) - 12 * mm
        t.draw(c, MARGIN, y, "公钥指纹：", t.body, 12, color=GREY)
        c.setFillColor(INK)
        c.setFont("Courier", 12)
        c.drawString(MARGIN + 30 * mm, y, sheet.fingerprint)
        y -= 16 * mm
        t.draw(c, MARGIN, y, "说明", t.title, 15)
        y -= 9 * mm
        for i, line in enumerate(INSTRUCTIONS, 1):
            t.draw(c, MARGIN, y, f"{i}. {line}", t.body, 11.5)
            y -= 8 * mm
        c.setStrokeColor(GREY)
        c.setLineWidth(0.5)
        c.line(MARGIN, MARGIN + 14 * mm, PAGE_W - MARGIN, MARGIN + 14 * mm)
        t.draw(c, MARGIN, MARGIN + 8 * mm, "保管人签字：", t.body, 11, color=GREY)
        t.draw(c, PAGE_W / 2, MARGIN + 8 * mm, "存放位置：", t.body, 11, color=GREY)
        c.showPage()
        c.save()
