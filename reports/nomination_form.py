"""推荐表: the per-person (or per-collective) nomination form of an honour round, one A4 page each.

The form a township union fills in for each nominee and sends with the summary list: the title
and the round on top, a grid of the basic facts with a photo box (一寸免冠照片), the main deeds, the
honours already held, then 推荐单位意见 and 上级工会意见, each with its 盖章 and 年 月 日 lines. A
collective's form names the unit and team instead of a person's facts and has no photo box. Plain
data in (the caller masks the ID number unless the clerk may print it whole), no Qt, no database.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from .fonts import FontSet, find_fonts
from .pdf_forms import write_forms_pdf
from .pdf_sheet import Fonts

__all__ = ["NominationForm", "write_forms"]

INK = colors.HexColor("#1A1A1A")
WIDTH = A4[0] - 36 * mm  # the grid's width (18 mm margins)
DEEDS_H = 92 * mm
OPINION_H = 30 * mm


@dataclass(frozen=True)
class NominationForm:
    """What one 推荐表 says; empty strings print as blank cells to fill in by hand."""

    title: str  # 县五一劳动奖章
    year: int
    name: str  # the person, or the unit (and team) of a collective
    collective: bool = False
    gender: str = ""
    birth: str = ""  # 1990年3月 (year and month only)
    ethnicity: str = ""
    political: str = ""
    education: str = ""
    id_number: str = ""  # masked unless printed whole with the permission
    unit: str = ""
    trade: str = ""
    grade: str = ""
    phone: str = ""
    channel: str = ""
    recommender: str = ""
    deeds: str = ""
    held: str = ""  # honours already held
    materials: str = ""
    union: str = ""  # the union sending the form (上级工会意见 is the next one up)


def _styles(f: Fonts) -> dict[str, ParagraphStyle]:
    base = {"fontName": f.body, "textColor": INK, "wordWrap": "CJK"}
    return {
        "title": ParagraphStyle("title", fontName=f.head, fontSize=20, leading=28, alignment=TA_CENTER,
                                textColor=INK, wordWrap="CJK"),
        "sub": ParagraphStyle("sub", fontSize=10.5, leading=15, **base),
        "label": ParagraphStyle("label", fontSize=10.5, leading=14, alignment=TA_CENTER, **base),
        "cell": ParagraphStyle("cell", fontSize=10.5, leading=14, **base),
        "right": ParagraphStyle("right", fontSize=10.5, leading=16, alignment=TA_RIGHT, **base),
    }


def _p(f: Fonts, text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of ``text``; ideographic spaces (姓　　名, 年　　月) kept, not collapsed."""
    return Paragraph(f.markup(text.replace("\u3000", "\xa0\xa0"), style.fontName), style)


def _deeds(f: Fonts, text: str, width: float, height: float) -> Paragraph:
    """The deeds at the largest size (10.5 pt down to 7.5) that fits the box; cut short with
    「……（详见附件）」 when even the smallest does not."""
    body = "　　" + "\n　　".join(part.strip() for part in (text or "").strip().split("\n") if part.strip())
    for size in (10.5, 10.0, 9.5, 9.0, 8.5, 8.0, 7.5):
        style = ParagraphStyle(f"deeds{size}", fontName=f.body, fontSize=size, leading=size * 1.55, textColor=INK,
                               wordWrap="CJK")
        p = _p(f, body, style)
        if p.wrap(width, height)[1] <= height:
            return p
    cut = body
    while cut and p.wrap(width, height)[1] > height:
        cut = cut[: int(len(cut) * 0.9)]
        p = _p(f, cut.rstrip("，。、；") + "……（详见附件）", style)
    return p


def _opinion(f: Fonts, st: dict[str, ParagraphStyle], seal: str) -> list[Paragraph | Spacer]:
    """An opinion box: room to write, then the seal and the date at its foot, on the right."""
    return [Spacer(1, OPINION_H - 18 * mm), _p(f, f"（{seal}）　　　　　", st["right"]),
            _p(f, "年　　月　　日　　", st["right"])]


def _story(f: Fonts, form: NominationForm) -> list[object]:
    st = _styles(f)
    lab = lambda t: _p(f, t, st["label"])  # noqa: E731
    val = lambda t: _p(f, t, st["cell"])  # noqa: E731
    out: list[object] = [_p(f, f"{form.year}年度{form.title}推荐表", st["title"]), Spacer(1, 3 * mm),
                         _p(f, f"推荐单位（盖章）：{form.recommender or '＿＿＿＿＿＿＿＿＿＿'}"
                               "　　　　填表日期：　　年　　月　　日", st["sub"]), Spacer(1, 2 * mm)]
    w = WIDTH
    label_w = 22 * mm
    inner = w - label_w
    if form.collective:
        rows: list[list[object]] = [
            [lab("单位（集体）名称"), val(form.name), "", ""],
            [lab("推荐方式"), val(form.channel), lab("联系电话"), val(form.phone)],
        ]
        widths = [label_w, inner / 2 - label_w / 2, label_w, inner / 2 - label_w / 2]
        spans = [("SPAN", (1, 0), (3, 0))]
        top = len(rows)
    else:
        photo_w = 30 * mm
        cell = (w - photo_w - 3 * label_w) / 3
        rows = [
            [lab("姓　　名"), val(form.name), lab("性　　别"), val(form.gender), lab("出生年月"), val(form.birth),
             _p(f, "照片\n（一寸免冠）", st["label"])],
            [lab("民　　族"), val(form.ethnicity), lab("政治面貌"), val(form.political), lab("学　　历"),
             val(form.education), ""],
            [lab("身份证号"), val(form.id_number), "", "", "", "", ""],
            [lab("工作单位"), val(form.unit), "", "", "", "", ""],
            [lab("工种岗位"), val(form.trade), lab("技能等级"), val(form.grade), lab("联系电话"), val(form.phone), ""],
            [lab("推荐方式"), val(form.channel), lab("推荐单位"), val(form.recommender), "", "", ""],
        ]
        widths = [label_w, cell, label_w, cell, label_w, cell, photo_w]
        spans = [("SPAN", (6, 0), (6, 3)), ("SPAN", (1, 2), (5, 2)), ("SPAN", (1, 3), (5, 3)),
                 ("SPAN", (5, 4), (6, 4)), ("SPAN", (3, 5), (6, 5))]
        top = len(rows)
    n = len(widths)
    last = n - 1

    def wide(label: str, content: object) -> list[object]:
        return [lab(label), content] + [""] * (n - 2)

    deeds = _deeds(f, form.deeds, sum(widths[1:]) - 8, DEEDS_H - 8)
    rows.append(wide("主要事迹", deeds))
    rows.append(wide("曾获荣誉", val(form.held or "")))
    rows.append(wide("推荐单位\n意　　见", _opinion(f, st, "盖章")))
    rows.append(wide("上级工会\n意　　见", _opinion(f, st, "盖章")))
    heights: list[float | None] = [10 * mm] * top + [DEEDS_H, 14 * mm, OPINION_H, OPINION_H]
    if not form.collective:
        heights[2] = heights[3] = 10 * mm
    spans += [("SPAN", (1, r), (last, r)) for r in range(top, top + 4)]
    style = TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, INK),
        ("BOX", (0, 0), (-1, -1), 1.2, INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("VALIGN", (1, top), (last, top), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        *spans,
    ])
    out.append(Table(rows, colWidths=widths, rowHeights=heights, style=style))
    if form.materials:
        out += [Spacer(1, 2 * mm), _p(f, f"附：{form.materials}", st["sub"])]
    return out


def write_forms(forms: Sequence[NominationForm], path: str | os.PathLike[str], fonts: FontSet | None = None,
                progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> int:
    """One page per form into ``path`` (atomically); the page count. Raises
    :class:`reports.fonts.FontMissing` when there is no CJK font."""
    if not forms:
        raise ValueError("没有可打印的推荐表")
    f = Fonts(fonts if fonts is not None else find_fonts())
    return write_forms_pdf(forms, lambda form: _story(f, form), path, title=f"{forms[0].title}推荐表",
                           author=forms[0].union, progress=progress, cancelled=cancelled)
