"""拜师帖: the apprenticeship letter an apprentice presents to the master at the ceremony.

One dignified A4 page per apprentice: a red double border with corner ornaments, the title,
the salutation to the master, the apprentice's request (unit, trade, term, goals), the three
vows of the 平凉 ceremony (一拜感谢师傅教导、无私奉献，二拜听从师傅教诲、勤奋努力，三拜愿与师傅携手，
共创辉煌), both names with room to sign, the witnessing union and the date in Chinese
(二〇二六年三月一日). Plain data in, no Qt, no database; CJK TrueType fonts via ``reports.fonts``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from . import Cancelled, atomic_output
from .canvas_text import CanvasFonts
from .cn_dates import date_cn, number_cn
from .fonts import FontSet, find_fonts
from .pdf_wrap import mend_break

__all__ = ["VOWS", "Letter", "write_letters"]

#: The three vows (三拜) of the 平凉 拜师会 (seed 001).
VOWS: tuple[str, str, str] = ("感谢师傅教导、无私奉献", "听从师傅教诲、勤奋努力", "愿与师傅携手，共创辉煌")
ORDINALS = ("一拜", "二拜", "三拜")

RED = colors.HexColor("#A61B1B")
INK = colors.HexColor("#1A1A1A")
GREY = colors.HexColor("#6B6B6B")
PAGE_W, PAGE_H = A4
EDGE = 12 * mm  # outer border from the paper's edge
TEXT_X = 32 * mm  # text margin


@dataclass(frozen=True)
class Letter:
    """What one 拜师帖 says. ``on`` is the ceremony date (printed in Chinese numerals)."""

    master: str
    apprentice: str
    trade: str
    on: date
    unit: str = ""  # the apprentice's employer
    term_months: int | None = None
    goals: str = ""
    witness: str = ""  # the union witnessing the ceremony
    vows: tuple[str, ...] = VOWS


def spaced(name: str) -> str:
    """Two-character names spaced with an ideographic space (张　三), as on certificates."""
    return f"{name[0]}\u3000{name[1]}" if len(name) == 2 else name


def _border(c: Canvas) -> None:
    """A thick outer frame and a thin inner frame with notched corners, a red lozenge in each notch."""
    c.saveState()
    c.setStrokeColor(RED)
    c.setFillColor(RED)
    c.setLineWidth(2.6)
    c.rect(EDGE, EDGE, PAGE_W - 2 * EDGE, PAGE_H - 2 * EDGE)
    x0 = y0 = EDGE + 3.5 * mm
    x1, y1 = PAGE_W - x0, PAGE_H - y0
    n = 7 * mm
    c.setLineWidth(0.9)
    p = c.beginPath()
    p.moveTo(x0 + n, y0)
    for x, y in ((x1 - n, y0), (x1 - n, y0 + n), (x1, y0 + n), (x1, y1 - n), (x1 - n, y1 - n), (x1 - n, y1),
                 (x0 + n, y1), (x0 + n, y1 - n), (x0, y1 - n), (x0, y0 + n), (x0 + n, y0 + n)):
        p.lineTo(x, y)
    p.close()
    c.drawPath(p, stroke=1, fill=0)
    r = 1.8 * mm
    for cx, cy in ((x0 + n / 2, y0 + n / 2), (x1 - n / 2, y0 + n / 2), (x0 + n / 2, y1 - n / 2),
                   (x1 - n / 2, y1 - n / 2)):
        d = c.beginPath()
        d.moveTo(cx, cy + r)
        d.lineTo(cx + r, cy)
        d.lineTo(cx, cy - r)
        d.lineTo(cx - r, cy)
        d.close()
        c.drawPath(d, stroke=0, fill=1)
    c.restoreState()


def _rule(c: Canvas, y: float, half: float) -> None:
    """A red rule with a small diamond in the middle, under the title."""
    mid = PAGE_W / 2
    c.saveState()
    c.setStrokeColor(RED)
    c.setFillColor(RED)
    c.setLineWidth(0.8)
    c.line(mid - half, y, mid - 4 * mm, y)
    c.line(mid + 4 * mm, y, mid + half, y)
    p = c.beginPath()
    p.moveTo(mid, y + 2 * mm)
    p.lineTo(mid + 2 * mm, y)
    p.lineTo(mid, y - 2 * mm)
    p.lineTo(mid - 2 * mm, y)
    p.close()
    c.drawPath(p, stroke=0, fill=1)
    c.restoreState()


def _wrap(f: CanvasFonts, text: str, font: str, size: float, width: float, indent: float = 0.0) -> list[str]:
    """Break Chinese text into lines of ``width`` points (the first indented) by the rules shared with the
    reports (:mod:`reports.linebreak`): no line starts with closing or ends with opening punctuation."""
    lines: list[str] = []
    for part in text.split("\n"):
        chars, start = list(part), 0
        if not chars:
            lines.append("")
        while start < len(chars):
            room = width - (indent if not lines else 0.0)
            end = start + 1
            while end < len(chars) and f.width(part[start:end + 1], font, size) <= room:
                end += 1
            end = mend_break(chars, start, end)
            lines.append(part[start:end])
            start = end
    return lines


def _request(letter: Letter) -> str:
    who = f"弟子{letter.apprentice}" + (f"，系{letter.unit}职工" if letter.unit else "")
    text = (f"{who}。久慕师傅技艺精湛、德艺双馨，今诚心拜您为师，潜心学习{letter.trade}技艺。"
            "自拜师之日起，弟子当尊师重道，勤学苦练，虚心求教，恪守规程，不负师傅厚望。")
    if letter.term_months:
        text += f"师徒约定带徒期限为{number_cn(letter.term_months)}个月"
        text += f"，带徒目标：{letter.goals.strip().rstrip('。；;')}。" if letter.goals.strip() else "。"
    elif letter.goals.strip():
        text += f"带徒目标：{letter.goals.strip().rstrip('。；;')}。"
    return text


def _page(c: Canvas, f: CanvasFonts, letter: Letter) -> None:
    _border(c)
    top = PAGE_H - 46 * mm
    f.draw(c, PAGE_W / 2, top, "拜师帖", f.title, 46, align="centre", color=RED, spacing=18)
    _rule(c, top - 11 * mm, 55 * mm)

    y = top - 27 * mm
    f.draw(c, TEXT_X, y, f"尊敬的{letter.master}师傅：", f.body, 17)
    width = PAGE_W - 2 * TEXT_X
    vows_height = 16 * mm + 12 * mm * len(letter.vows)
    floor = 100 * mm  # the vows end above the signatures
    text = _request(letter)
    for size in (15.5, 14.5, 13.5, 12.5, 11.5, 10.5):
        lines = _wrap(f, text, f.body, size, width, indent=2 * size)
        leading = size * 1.85
        if y - 3 * mm - leading * len(lines) - vows_height >= floor:
            break
    y -= 3 * mm
    for i, line in enumerate(lines):
        y -= leading
        x = TEXT_X + (2 * size if i == 0 else 0)
        gap = width - (x - TEXT_X) - f.width(line, f.body, size)
        last = i == len(lines) - 1
        spacing = gap / (len(line) - 1) if not last and len(line) > 1 and 0 < gap < size else 0.0
        f.draw(c, x, y, line, f.body, size, spacing=spacing)

    y -= 13 * mm
    f.draw(c, TEXT_X + 2 * size, y, "谨以三拜为誓：", f.body, size)
    y -= 3 * mm
    last = len(letter.vows) - 1
    for i, (ordinal, vow) in enumerate(zip(ORDINALS, letter.vows, strict=False)):
        y -= 12 * mm
        x = TEXT_X + 18 * mm
        x += f.draw(c, x, y, ordinal, f.title, 19, color=RED, spacing=2) + 7 * mm
        f.draw(c, x, y, vow.rstrip("。；;，,") + ("。" if i == last else "；"), f.body, 18)

    # signatures, witness and date at the foot of the page
    y = 80 * mm
    label_x, name_x, sign_x = TEXT_X + 4 * mm, TEXT_X + 26 * mm, TEXT_X + 66 * mm
    for label, name in (("师　傅", letter.master), ("徒　弟", letter.apprentice)):
        f.draw(c, label_x, y, f"{label}：", f.body, 15.5)
        f.draw(c, name_x, y, spaced(name), f.name, 17)
        f.draw(c, sign_x, y, "（签名）", f.body, 12, color=GREY)
        c.setStrokeColor(GREY)
        c.setLineWidth(0.5)
        c.line(sign_x + 17 * mm, y - 1.5 * mm, PAGE_W - TEXT_X, y - 1.5 * mm)
        y -= 14 * mm
    right = PAGE_W - TEXT_X
    y -= 6 * mm
    if letter.witness:
        f.draw(c, right, y, f"见证单位：{letter.witness}", f.body, 15, align="right")
        y -= 11 * mm
    f.draw(c, right, y, date_cn(letter.on), f.body, 15, align="right")


def write_letters(letters: Sequence[Letter], path: str | os.PathLike[str], fonts: FontSet | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> int:
    """Write one page per letter to ``path`` (atomically); returns the page count.
    Raises :class:`reports.fonts.FontMissing` when there is no CJK font."""
    if not letters:
        raise ValueError("没有可打印的拜师帖（该结对还没有徒弟）")
    f = CanvasFonts(fonts if fonts is not None else find_fonts())
    with atomic_output(path) as tmp:
        c = Canvas(str(tmp), pagesize=A4, pageCompression=1)
        c.setTitle("拜师帖")
        c.setAuthor(letters[0].witness or "工会工作台")
        for i, letter in enumerate(letters):
            if cancelled is not None and cancelled():
                raise Cancelled()
            _page(c, f, letter)
            c.showPage()
            if progress is not None:
                progress(i + 1, len(letters))
        c.save()
    return len(letters)
