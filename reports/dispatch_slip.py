"""派工单 and 急诊单 of 劳模工匠助企行: one A4 page per demand, handed to the craftsman sent.

The page: the union and the title (the 急诊单 in red with a 急 stamp, its 响应时限 and 办结期限 in a
red band on top), the number and the 派单 time, a grid of the demand (enterprise, address, contact
and work phone, kind, urgency, channel, region, the problem), the craftsmen sent (name, specialty,
phone), the deadline and the 接单 time; then the feedback the enterprise fills in by hand: 服务情况,
解决情况 (□已解决 □未解决), 产生效益 (实际＿万元 预期＿万元), other gains, 企业评价 (□非常满意 …) and
the two signatures with their ＿＿＿＿年＿＿月＿＿日 lines. What the record already holds prints
filled in. A problem too long for its box shrinks (10.5 pt down to 7.5); longer still, the box
says 「（续见附页）」 and the whole text follows on a page of its own.

Plain data in (the caller reads the headings from the record description and masks the phones
it may not print whole), no Qt, no database; CJK TrueType fonts via ``reports.fonts``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from .fonts import FontSet, covers, find_fonts
from .pdf_forms import write_forms_pdf
from .pdf_sheet import Fonts

__all__ = ["HEADS", "Craftsman", "Figure", "Slip", "write_slips"]

INK = colors.HexColor("#1A1A1A")
RED = colors.HexColor("#B3191E")
SHADE = colors.HexColor("#EDEDED")
WIDTH = A4[0] - 36 * mm  # 18 mm margins
LABEL_W = 26 * mm
COLS = [LABEL_W, 30 * mm, 31 * mm, LABEL_W, 30 * mm, 31 * mm]  # label, value (2 cells), label, value (2 cells)
ROW_H = 9 * mm
PROBLEM_H = 50 * mm  # with two craftsmen rows; each further craftsman takes 7 mm from it
PROBLEM_MIN_H = 28 * mm
CRAFTSMAN_H = 7 * mm
SERVICE_H, SOLUTION_H, RATING_H = 24 * mm, 15 * mm, 13 * mm
EMERGENCY_H = 12 * mm  # the 急诊单's red band (a 派工单 gives its problem box that room)
SIZES = (10.5, 10.0, 9.5, 9.0, 8.5, 8.0, 7.5)
MORE = "（续见附页）"

#: The headings a slip needs, read by the caller from the record description (企业, 需求内容 …).
HEADS = ("enterprise", "address", "contact", "phone", "kind", "urgency", "channel", "region", "problem",
         "deadline", "name", "specialty", "mobile", "solution", "rating")
BLANK_DATE = "＿＿＿＿年＿＿月＿＿日"
BLANK_TIME = "＿＿月＿＿日＿＿时＿＿分"
BLANK_VALUE = "＿＿＿＿"
UNCHECKED, CHECKED, CHECKED_PLAIN = "□", "☑", "■"


@dataclass(frozen=True)
class Craftsman:
    name: str
    specialty: str = ""
    phone: str = ""  # masked unless the clerk prints it whole


@dataclass(frozen=True)
class Figure:
    """One figure of the feedback to fill in (实际 ＿＿ 万元): its words, value ("" is a line) and unit."""

    words: str
    value: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Slip:
    """What one 派工单 (or 急诊单) says; empty strings print as lines or boxes to fill in by hand."""

    title: str  # 劳模工匠助企行派工单
    number: str  # 2026-BB-0012
    heads: Mapping[str, str]  # a heading for each key of HEADS
    union: str = ""
    emergency: bool = False
    dispatched: str = ""  # 派单 time in Chinese (二〇二六年三月五日14时30分)
    accepted: str = ""  # 接单 time
    enterprise: str = ""
    address: str = ""
    contact: str = ""
    phone: str = ""  # the contact's work phone, masked unless printed whole (and logged)
    kind: str = ""
    urgency: str = ""
    channel: str = ""
    region: str = ""
    problem: str = ""
    deadline: str = ""
    response: str = ""  # 急诊单: 响应时限
    craftsmen: tuple[Craftsman, ...] = ()
    service: str = ""  # 服务情况: the visits so far
    outcomes: tuple[str, str] = ("", "")  # the two boxes of 解决情况: 已解决, 未解决
    solved: bool | None = None  # which box is ticked (None: neither yet)
    solution: str = ""
    benefits: tuple[Figure, ...] = ()  # 产生效益: 实际 ＿ 万元, 预期 ＿ 万元
    gains: tuple[Figure, ...] = ()  # 其他成效: 节约成本, 争取订单, 培训职工
    ratings: tuple[str, ...] = ()  # the boxes of 企业评价, best first
    rating: str = ""  # the one ticked
    feedback: str = ""  # 企业意见
    note: str = ""  # the line under the grid


class _Stamp(Flowable):
    """A red square stamp (急) at the right of the title line; it takes no height of its own."""

    def __init__(self, fonts: Fonts, text: str) -> None:
        super().__init__()
        self.fonts, self.text = fonts, text
        self.side = 17 * mm

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.avail = aw
        return aw, 0

    def draw(self) -> None:
        c = self.canv
        x = self.avail - self.side - 2 * mm
        y = -2 * mm
        c.saveState()
        c.setStrokeColor(RED)
        c.setFillColor(RED)
        c.setLineWidth(2)
        c.roundRect(x, y, self.side, self.side, 2 * mm, stroke=1, fill=0)
        size = 30 if len(self.text) == 1 else 15
        c.setFont(self.fonts.head, size)
        c.drawCentredString(x + self.side / 2, y + (self.side - size * 0.78) / 2, self.text)
        c.restoreState()


class _Page:
    """The styles and cell helpers of one document."""

    def __init__(self, fonts: Fonts) -> None:
        self.f = fonts
        base = {"fontName": fonts.body, "textColor": INK, "wordWrap": "CJK"}
        self.st = {
            "union": ParagraphStyle("union", fontSize=13, leading=18, alignment=TA_CENTER, **base),
            "title": ParagraphStyle("title", fontName=fonts.head, fontSize=21, leading=30, alignment=TA_CENTER,
                                    textColor=INK, wordWrap="CJK"),
            "label": ParagraphStyle("label", fontSize=10.5, leading=13.5, alignment=TA_CENTER, **base),
            "cell": ParagraphStyle("cell", fontSize=10.5, leading=14, **base),
            "centre": ParagraphStyle("centre", fontSize=10.5, leading=14, alignment=TA_CENTER, **base),
            "right": ParagraphStyle("right", fontSize=10.5, leading=14, alignment=TA_RIGHT, **base),
            "line": ParagraphStyle("line", fontSize=10.5, leading=15, **base),
            "band": ParagraphStyle("band", fontName=fonts.head, fontSize=11.5, leading=15, alignment=TA_LEFT,
                                   textColor=INK, wordWrap="CJK"),
            "urgent": ParagraphStyle("urgent", fontName=fonts.head, fontSize=12, leading=15, textColor=RED,
                                     wordWrap="CJK"),
            "text": ParagraphStyle("text", fontSize=10.5, leading=17, firstLineIndent=21, **base),
            "note": ParagraphStyle("note", fontSize=9, leading=13, **base),
        }
        self.tick = CHECKED if any(covers(name, CHECKED) for name in (fonts.body, *fonts.chain)) else CHECKED_PLAIN

    def p(self, text: str, style: str | ParagraphStyle) -> Paragraph:
        """A paragraph; ideographic spaces (企业负责人　签字) kept, not collapsed."""
        st = self.st[style] if isinstance(style, str) else style
        return Paragraph(self.f.markup(text.replace("\u3000", "\xa0\xa0"), st.fontName), st)

    def box(self, label: str, ticked: bool) -> str:
        return f"{self.tick if ticked else UNCHECKED}{label}"

    def fit(self, text: str, width: float, height: float) -> tuple[Paragraph, bool]:
        """``text`` at the largest size that fits the box; cut short with 「（续见附页）」 (True) when
        even the smallest does not."""
        body = "\n".join(part.strip() for part in text.strip().split("\n") if part.strip())
        style = self.st["cell"]
        for size in SIZES:
            style = ParagraphStyle(f"fit{size}", parent=self.st["cell"], fontSize=size, leading=size * 1.5)
            para = self.p(body, style)
            if para.wrap(width, height)[1] <= height:
                return para, False
        cut = body
        while cut:
            cut = cut[: int(len(cut) * 0.92)]
            para = self.p(cut.rstrip("，。、；,.;") + "……" + MORE, style)
            if para.wrap(width, height)[1] <= height:
                break
        return para, True


def _figures(items: Sequence[Figure]) -> str:
    return "　　".join(f"{x.words}　{x.value or BLANK_VALUE}　{x.unit}".rstrip() for x in items)


def _head(pg: _Page, slip: Slip) -> list[object]:
    out: list[object] = []
    if slip.union:
        out.append(pg.p(slip.union, "union"))
    title = pg.st["title"]
    if slip.emergency:
        out.append(_Stamp(pg.f, "急"))
        title = ParagraphStyle("title_red", parent=title, textColor=RED)
    out += [pg.p(slip.title, title), Spacer(1, 3 * mm)]
    left = f"编号：{slip.number}"
    right = f"派单时间：{slip.dispatched or BLANK_TIME}"
    line = Table([[pg.p(left, "line"), pg.p(right, "right")]], colWidths=[WIDTH * 0.4, WIDTH * 0.6])
    line.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return [*out, line]


def _grid(pg: _Page, slip: Slip) -> tuple[Table, list[tuple[str, str]]]:
    """The form's grid; the boxes cut short, as (heading, whole text): they follow on a page of their own."""
    h = slip.heads
    cuts: list[tuple[str, str]] = []

    def fitted(heading: str, text: str, height: float) -> Paragraph:
        para, cut = pg.fit(text, sum(COLS[1:]) - 8, height - 8)
        if cut:
            cuts.append((heading, text))
        return para

    lab = lambda text: pg.p(text, "label")  # noqa: E731
    val = lambda text: pg.p(text, "cell")  # noqa: E731
    # A time (二〇二六年十一月二十一日8时53分) shrinks to stay on one line of its cell: 「分」 never wraps alone.
    one_line = lambda text: pg.fit(text, COLS[1] + COLS[2] - 8, ROW_H - 8)[0]  # noqa: E731
    rows: list[list[object]] = []
    heights: list[float] = []
    style: list[tuple[object, ...]] = []

    def pair(a: str, x: object, b: str, y: object, height: float = ROW_H) -> None:
        r = len(rows)
        rows.append([lab(a), x, "", lab(b), y, ""])
        heights.append(height)
        style.extend([("SPAN", (1, r), (2, r)), ("SPAN", (4, r), (5, r))])

    def wide(a: str, x: object, height: float = ROW_H) -> None:
        r = len(rows)
        rows.append([lab(a), x, "", "", "", ""])
        heights.append(height)
        style.append(("SPAN", (1, r), (5, r)))

    if slip.emergency:
        pair("响应时限", pg.p(slip.response or BLANK_VALUE, "urgent"), h["deadline"],
             pg.p(slip.deadline or BLANK_DATE, "urgent"), EMERGENCY_H)
        style += [("BOX", (0, 0), (-1, 0), 1.6, RED), ("TEXTCOLOR", (0, 0), (-1, 0), RED)]
    wide(h["enterprise"], val(slip.enterprise))
    wide(h["address"], val(slip.address))
    pair(h["contact"], val(slip.contact), h["phone"], val(slip.phone))
    urgency = pg.p(slip.urgency, "urgent") if slip.emergency else val(slip.urgency)
    pair(h["kind"], val(slip.kind), h["urgency"], urgency)
    pair(h["channel"], val(slip.channel), h["region"], val(slip.region))
    sent = list(slip.craftsmen) or [Craftsman("")] * 2
    if len(sent) == 1:
        sent.append(Craftsman(""))
    room = max(PROBLEM_H + (0 if slip.emergency else EMERGENCY_H) - CRAFTSMAN_H * (len(sent) - 2), PROBLEM_MIN_H)
    wide(h["problem"], fitted(h["problem"], slip.problem, room), room)
    style.append(("VALIGN", (1, len(rows) - 1), (1, len(rows) - 1), "TOP"))
    first = len(rows)
    rows.append([lab("派出工匠"), lab(h["name"]), lab(h["specialty"]), "", "", lab(h["mobile"])])
    heights.append(CRAFTSMAN_H)
    for c in sent:
        rows.append(["", pg.p(c.name, "centre"), val(c.specialty), "", "", pg.p(c.phone, "centre")])
        heights.append(CRAFTSMAN_H)
    style += [("SPAN", (0, first), (0, len(rows) - 1))] + [("SPAN", (2, r), (4, r)) for r in range(first, len(rows))]
    if slip.emergency:
        pair("接单时间", one_line(slip.accepted or BLANK_TIME), "到场时间", val(BLANK_TIME))
    else:
        pair(h["deadline"], one_line(slip.deadline or BLANK_DATE), "接单时间", one_line(slip.accepted or BLANK_TIME))
    band = len(rows)
    rows.append([pg.p("服务反馈（由企业填写）", "band"), "", "", "", "", ""])
    heights.append(8 * mm)
    style += [("SPAN", (0, band), (5, band)), ("BACKGROUND", (0, band), (5, band), SHADE)]
    wide("服务情况", fitted("服务情况", slip.service, SERVICE_H), SERVICE_H)
    style.append(("VALIGN", (1, len(rows) - 1), (1, len(rows) - 1), "TOP"))
    done, not_done = slip.outcomes
    boxes = f"{pg.box(done, slip.solved is True)}　　{pg.box(not_done, slip.solved is False)}"
    wide(h["solution"], fitted(h["solution"], boxes + (f"\n{slip.solution}" if slip.solution else ""), SOLUTION_H),
         SOLUTION_H)
    wide("产生效益", val(_figures(slip.benefits)))
    if slip.gains:
        wide("其他成效", val(_figures(slip.gains)))
    marks = "　".join(pg.box(r, r == slip.rating) for r in slip.ratings)
    height = RATING_H if slip.feedback else ROW_H
    wide(h["rating"], fitted(h["rating"], marks + (f"\n{slip.feedback}" if slip.feedback else ""), height), height)
    sign = [pg.p("\n\n" + BLANK_DATE, "right")]
    pair("企业负责人\n签　　字", sign, "工匠签字", list(sign), 20 * mm)
    style = [("GRID", (0, 0), (-1, -1), 0.6, INK), ("BOX", (0, 0), (-1, -1), 1.2, INK),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 4),
             ("RIGHTPADDING", (0, 0), (-1, -1), 4), *style]
    return Table(rows, colWidths=COLS, rowHeights=heights, style=TableStyle(style)), cuts


def _story(pg: _Page, slip: Slip) -> list[object]:
    grid, cuts = _grid(pg, slip)
    out: list[object] = [*_head(pg, slip), Spacer(1, 1 * mm), grid]
    if slip.note:
        out += [Spacer(1, 2 * mm), pg.p(slip.note, "note")]
    if cuts:  # the whole texts on a page of their own
        out += [PageBreak(), pg.p(f"{slip.title}附页", "title"), Spacer(1, 3 * mm),
                pg.p(f"编号：{slip.number}　　{slip.heads['enterprise']}：{slip.enterprise}", "line")]
        for heading, text in cuts:
            out += [Spacer(1, 4 * mm), pg.p(f"{heading}：", "band"), Spacer(1, 2 * mm),
                    *(pg.p(x.strip(), "text") for x in text.strip().split("\n") if x.strip())]
    return out


def write_slips(slips: Sequence[Slip], path: str | os.PathLike[str], fonts: FontSet | None = None,
                progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> int:
    """One page per slip (two when a problem continues) into ``path``, atomically; the slip count.
    Raises :class:`reports.fonts.FontMissing` when there is no CJK font."""
    if not slips:
        raise ValueError("没有可打印的派工单")
    missing = [k for k in HEADS if k not in slips[0].heads]
    if missing:
        raise ValueError(f"派工单缺少栏目名称：{', '.join(missing)}")
    pg = _Page(Fonts(fonts if fonts is not None else find_fonts()))
    return write_forms_pdf(slips, lambda slip: _story(pg, slip), path, title=slips[0].title, author=slips[0].union,
                           top=14 * mm, bottom=12 * mm, progress=progress, cancelled=cancelled)
