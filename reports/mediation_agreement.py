"""劳动争议调解协议书: the agreement a mediation ends with, signed by both parties and the mediator
and sealed by the mediating organisation (《劳动争议调解仲裁法》第十四条).

A4, one page or more: the title and the number (〔2026〕TJ-0003号); the applicant(s) (the worker:
name, sex, year and month of birth, ID number as the caller hands it: masked unless printed whole
through the permission) and the respondent (the employer, its address and head); the mediating
organisation and mediator(s); the matter in dispute and its facts; the terms numbered 一、二、三 with
every amount in 元 followed by its capital form (大写); the legal effect and the 仲裁审查确认; the
copies; signature lines for 申请人, 被申请人, 调解员 and the 调解组织（盖章）; the date in Chinese
(二〇二六年三月五日).

Text is laid out here, not by ReportLab's paragraphs, so that a name, a number or an amount is
never broken across lines and no line starts with closing punctuation (reports.linebreak).
Plain data in, no Qt, no database.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from . import Cancelled, atomic_output
from .canvas_text import CanvasFonts
from .cn_dates import amount_cn_upper, date_cn, number_cn
from .fonts import FontSet, find_fonts
from .linebreak import NO_END, NO_START

__all__ = ["Agreement", "Applicant", "amount_words", "number_terms", "with_capitals", "write_agreements"]

INK = colors.HexColor("#1A1A1A")
GREY = colors.HexColor("#6B6B6B")
PAGE_W, PAGE_H = A4
LEFT = RIGHT = 26 * mm
TOP, BOTTOM = 24 * mm, 22 * mm
WIDTH = PAGE_W - LEFT - RIGHT
SIZES = (12.0, 11.5, 11.0, 10.5)  # the body size: the largest at which the agreement fits one page
LINE = 1.8  # leading, as a multiple of the size
LAW = "《中华人民共和国劳动争议调解仲裁法》"
BLANK = "＿＿＿＿＿＿"  # filled in by hand


@dataclass(frozen=True)
class Applicant:
    """A worker on the agreement. ``birth`` is year and month only (1990年3月): what may stand beside
    a masked ID number (db.privacy)."""

    name: str
    sex: str = ""
    birth: str = ""
    id_number: str = ""  # masked unless printed whole with the permission


@dataclass(frozen=True)
class Agreement:
    """What one 调解协议书 says; empty strings print as lines to fill in by hand."""

    number: str  # 〔2026〕TJ-0003号
    applicants: tuple[Applicant, ...]
    employer: str
    signed_on: date  # the day the agreement was reached (printed in Chinese numerals)
    organisation: str  # the mediating organisation (the union)
    kind: str = ""  # 欠薪
    claim: str = ""
    claim_amount: Decimal | None = None  # added to the claim when the claim names no amount
    facts: str = ""
    terms: tuple[str, ...] = ()  # one term each, unnumbered
    employer_address: str = ""
    employer_head: str = ""  # 法定代表人（主要负责人）
    employer_contact: str = ""
    mediators: tuple[str, ...] = ()
    collective: int | None = None  # a collective dispute: how many workers
    applied_on: date | None = None
    confirmed_on: date | None = None  # 仲裁审查确认
    keep: tuple[str, ...] = field(default=())  # further texts never broken across lines


# -- amounts -------------------------------------------------------------------------------------------------


def amount_words(value: Decimal | int | float | str) -> str:
    """``人民币12,000.00元（大写：壹万贰仟元整）``."""
    d = Decimal(str(value).replace(",", "")).quantize(Decimal("0.01"))
    return f"人民币{d:,.2f}元（大写：{amount_cn_upper(d)}）"


_AMOUNT = re.compile(r"(?:人民币)?\s*([0-9][0-9,]*(?:\.[0-9]{1,2})?)\s*元(?!\s*（大写)")


def with_capitals(text: str) -> str:
    """Every amount in 元 of ``text`` written ``人民币12,000.00元（大写：壹万贰仟元整）`` (an amount that
    already carries its 大写 is left as it is)."""
    return _AMOUNT.sub(lambda m: amount_words(m.group(1)), text)


_NUMBERED = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十0-9]+[)）]|[0-9]+[、.．)）])\s*")


def number_terms(terms: Sequence[str]) -> list[str]:
    """The terms numbered 一、二、三 (numbers the clerk typed are replaced), each ending with 。."""
    out = []
    for i, t in enumerate(t for t in (_NUMBERED.sub("", x).strip() for x in terms) if t):
        out.append(f"{number_cn(i + 1)}、{t if t[-1] in '。；;！？' else t + '。'}")
    return out


# -- layout --------------------------------------------------------------------------------------------------


_ASCII_RUN = re.compile(r"(?:人民币)?[0-9A-Za-z*〔〕.,:\-/%]+(?:元|年|月|日|号)?")


def tokens(text: str, keep: Sequence[str]) -> list[str]:
    """``text`` cut into what a line may break between: single characters, except that a text of
    ``keep`` (names, the number, dates) and a run of digits and Latin letters stay whole."""
    marks = [False] * (len(text) + 1)  # where a break is forbidden (inside a kept run)
    for k in sorted((k for k in keep if k), key=len, reverse=True):
        for m in re.finditer(re.escape(k), text):
            for i in range(m.start() + 1, m.end()):
                marks[i] = True
    for m in _ASCII_RUN.finditer(text):
        for i in range(m.start() + 1, m.end()):
            marks[i] = True
    out: list[str] = []
    for i, ch in enumerate(text):
        if out and marks[i]:
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _bad(toks: Sequence[str], end: int) -> bool:
    return toks[end][0] in NO_START or toks[end - 1][-1] in NO_END


def wrap(f: CanvasFonts, text: str, font: str, size: float, width: float, *, first: float = 0.0,
         rest: float = 0.0, keep: Sequence[str] = ()) -> list[tuple[float, str, bool]]:
    """Lines of ``text`` as (indent, text, justified): ``first`` indents the first line, ``rest`` the
    others (a hanging indent for numbered terms); breaks move back so that no line starts with
    closing punctuation or ends with opening punctuation, and never inside a kept run."""
    toks = tokens(text, keep)
    lines: list[tuple[float, str, bool]] = []
    start = 0
    while start < len(toks):
        indent = first if not lines else rest
        room = width - indent
        end, used = start, 0.0
        while end < len(toks):
            w = f.width(toks[end], font, size)
            if used + w > room and end > start:
                break
            used += w
            end += 1
        if end < len(toks):
            j = end
            while j > start + 1 and _bad(toks, j):
                j -= 1
            end = j if not _bad(toks, j) else end
        lines.append((indent, "".join(toks[start:end]), end < len(toks)))
        start = end
    return lines


@dataclass
class _Page:
    ops: list[Callable[[Canvas], None]] = field(default_factory=list)


class _Layout:
    """Blocks placed top to bottom over as many pages as they take."""

    def __init__(self, f: CanvasFonts, size: float) -> None:
        self.f = f
        self.size, self.leading = size, size * LINE
        self.pages = [_Page()]
        self.y = PAGE_H - TOP

    def need(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.pages.append(_Page())
            self.y = PAGE_H - TOP

    def op(self, fn: Callable[[Canvas], None]) -> None:
        self.pages[-1].ops.append(fn)

    def gap(self, h: float) -> None:
        self.y -= h

    def line(self, text: str, *, font: str | None = None, size: float | None = None, align: str = "left",
             spacing: float = 0.0, leading: float | None = None) -> None:
        size, leading = size or self.size, leading or self.leading
        self.need(leading)
        self.y -= leading
        x = {"left": LEFT, "centre": PAGE_W / 2, "right": PAGE_W - RIGHT}[align]
        y, use = self.y, font or self.f.body
        self.op(lambda c: self.f.draw(c, x, y, text, use, size, align=align, spacing=spacing))

    def lines(self, text: str, *, first: float | None = None, rest: float = 0.0,
              keep: Sequence[str] = ()) -> list[tuple[float, str, bool]]:
        first = 2 * self.size if first is None else first
        return wrap(self.f, text, self.f.body, self.size, WIDTH, first=first, rest=rest, keep=keep)

    def paragraph(self, text: str, *, first: float | None = None, rest: float = 0.0, keep: Sequence[str] = ()) -> None:
        size = self.size
        for indent, line, justify in self.lines(text, first=first, rest=rest, keep=keep):
            self.need(self.leading)
            self.y -= self.leading
            gap = WIDTH - indent - self.f.width(line, self.f.body, size)
            spacing = gap / (len(line) - 1) if justify and len(line) > 1 and 0 < gap < 2 * size else 0.0
            x, y = LEFT + indent, self.y
            self.op(lambda c, x=x, y=y, line=line, spacing=spacing: self.f.draw(c, x, y, line, self.f.body, size,
                                                                                spacing=spacing))


def _applicant_text(a: Applicant) -> str:
    parts = [a.name]
    parts += [x for x in (a.sex, f"{a.birth}出生" if a.birth else "") if x]
    if a.id_number:
        parts.append(f"公民身份号码{a.id_number}")
    return "，".join(parts) + "。"


def _effect(ag: Agreement) -> list[str]:
    out = [f"本协议依照{LAW}第十四条，自双方当事人签名或者盖章、经调解员签名并加盖调解组织印章后生效，"
           "对双方当事人具有约束力，当事人应当履行。一方当事人在协议约定期限内不履行的，另一方当事人可以依法"
           "申请仲裁；因支付拖欠劳动报酬、工伤医疗费、经济补偿或者赔偿金事项达成调解协议，用人单位在协议约定期限内"
           "不履行的，劳动者可以持本调解协议书依法向人民法院申请支付令（同法第十五条、第十六条）。",
           "双方当事人可以自本协议生效之日起十五日内，共同向有管辖权的劳动人事争议仲裁委员会申请仲裁审查确认。"]
    if ag.confirmed_on is not None:
        out.append(f"本协议已于{date_cn(ag.confirmed_on)}经劳动人事争议仲裁委员会审查确认。")
    out.append("本协议书一式三份，双方当事人各执一份，调解组织留存一份。")
    return out


SIGNATURE_ROWS = (("申请人（签名）：", "被申请人（盖章）："), ("调解员（签名）：", "调解组织（盖章）："))
SIGNATURE_ROW = 15 * mm
SIGNATURES_H = 2 * SIGNATURE_ROW + 8 * mm


def _signatures(lay: _Layout, ag: Agreement) -> None:
    """Two columns of signature lines whose blanks start at one x, then the seal and the date."""
    f, size = lay.f, lay.size
    rows = SIGNATURE_ROWS
    lay.need(SIGNATURES_H + 2 * lay.leading)
    lay.gap(4 * mm)
    col = (LEFT, LEFT + WIDTH / 2 + 4 * mm)
    label_w = [max(f.width(r[i], f.body, size) for r in rows) for i in (0, 1)]
    for r in rows:
        lay.gap(SIGNATURE_ROW)
        y = lay.y
        for i, text in enumerate(r):
            x0 = col[i]
            x1 = x0 + label_w[i] + 1.5 * mm
            end = (col[1] - 10 * mm) if i == 0 else PAGE_W - RIGHT
            sealed = i == 1 and r is rows[1]

            def draw(c: Canvas, x0: float = x0, x1: float = x1, end: float = end, y: float = y, text: str = text,
                     sealed: bool = sealed) -> None:
                f.draw(c, x0, y, text, f.body, size)
                if not sealed:
                    c.setStrokeColor(GREY)
                    c.setLineWidth(0.6)
                    c.line(x1, y - 1.5 * mm, end, y - 1.5 * mm)
            lay.op(draw)
    lay.gap(4 * mm)
    if ag.organisation:
        lay.line(ag.organisation, align="right")
    lay.line(date_cn(ag.signed_on), align="right")


def _story(lay: _Layout, ag: Agreement) -> None:
    f, size = lay.f, lay.size
    names = [a.name for a in ag.applicants] + [ag.employer, ag.organisation, *ag.mediators, ag.employer_head,
                                               ag.employer_contact, LAW, date_cn(ag.signed_on), *ag.keep]
    names += [f"公民身份号码{a.id_number}" for a in ag.applicants if a.id_number]
    keep = [n for n in names if n]
    lay.line("劳动争议调解协议书", font=f.title, size=22, align="centre", spacing=3, leading=30)
    lay.line(ag.number, align="right", leading=lay.leading + 4)
    lay.gap(2 * mm)
    label = "申请人：" if len(ag.applicants) < 2 and not ag.collective else "申请人（代表人）："
    if ag.collective:
        first = ag.applicants[0].name if ag.applicants else ""
        lay.paragraph(f"申请人：{first}等{ag.collective}名劳动者（集体劳动争议）。", first=0, keep=keep)
        label = "代表人："
    for a in ag.applicants:
        lay.paragraph(label + _applicant_text(a), first=0, rest=f.width(label, f.body, size), keep=keep)
    head = ag.employer_head or BLANK
    address = ag.employer_address or "＿＿＿＿＿＿＿＿＿＿＿＿＿＿"
    lay.paragraph(f"被申请人：{ag.employer}，住所：{address}。", first=0, rest=f.width("被申请人：", f.body, size),
                  keep=keep)
    contact = f"，联系人：{ag.employer_contact}" if ag.employer_contact else ""
    lay.paragraph(f"法定代表人（主要负责人）：{head}{contact}。", first=0, keep=keep)
    lay.paragraph(f"调解组织：{ag.organisation or BLANK}。", first=0, keep=keep)
    lay.paragraph(f"调解员：{'、'.join(ag.mediators) if ag.mediators else BLANK}。", first=0, keep=keep)
    lay.gap(3 * mm)
    lay.line("争议事项", font=f.title, size=size + 1, align="centre")
    when = f"于{date_cn(ag.applied_on)}" if ag.applied_on is not None else ""
    kind = f"因{ag.kind}" if ag.kind else ""
    claim = ag.claim.strip().rstrip("。；;")
    if claim and ag.claim_amount is not None and not re.search(r"[0-9]\s*元", claim):
        claim += f"，共计{ag.claim_amount}元"
    lay.paragraph(f"申请人与被申请人{kind}发生劳动争议，{when}向本调解组织申请调解。"
                  + (f"申请人请求：{with_capitals(claim)}。" if claim else ""), keep=keep)
    for part in (p.strip() for p in ag.facts.split("\n")):
        if part:
            lay.paragraph(with_capitals(part), keep=keep)
    lay.gap(3 * mm)
    lay.line("协议内容", font=f.title, size=size + 1, align="centre")
    lay.paragraph("经本调解组织主持调解，双方当事人在自愿、平等、协商一致的基础上达成如下协议：", keep=keep)
    terms = number_terms([with_capitals(t) for t in ag.terms])
    if not terms:  # none recorded: numbered lines to write them in by hand
        terms = [f"{number_cn(i)}、" + "＿" * 26 for i in (1, 2, 3)]
    for term in terms:
        mark = term.split("、", 1)[0] + "、"
        lay.paragraph(term, first=2 * size, rest=2 * size + f.width(mark, f.body, size), keep=keep)
    lay.gap(2 * mm)
    *effect, copies = _effect(ag)
    for text in effect:
        lay.paragraph(text, keep=keep)
    # the last paragraph goes along with the signatures: they never stand alone on a page
    lay.need(len(lay.lines(copies, keep=keep)) * lay.leading + SIGNATURES_H + 2 * lay.leading + 4 * mm)
    lay.paragraph(copies, keep=keep)
    _signatures(lay, ag)


def _draw(c: Canvas, lay: _Layout) -> None:
    total = len(lay.pages)
    for n, page in enumerate(lay.pages, 1):
        for fn in page.ops:
            fn(c)
        if total > 1:
            lay.f.draw(c, PAGE_W / 2, BOTTOM - 10 * mm, f"第{number_cn(n)}页　共{number_cn(total)}页",
                       lay.f.body, 9, align="centre")
        c.showPage()


def write_agreements(agreements: Sequence[Agreement], path: str | os.PathLike[str], fonts: FontSet | None = None,
                     progress: Callable[[int, int], None] | None = None,
                     cancelled: Callable[[], bool] | None = None) -> int:
    """Write the agreements to ``path`` (atomically), each starting on a new page; the page count.
    Raises :class:`reports.fonts.FontMissing` when there is no CJK font."""
    if not agreements:
        raise ValueError("没有可打印的调解协议书")
    f = CanvasFonts(fonts if fonts is not None else find_fonts())
    pages = 0
    with atomic_output(path) as tmp:
        c = Canvas(str(tmp), pagesize=A4, pageCompression=1)
        c.setTitle("劳动争议调解协议书")
        c.setAuthor(agreements[0].organisation or "工会工作台")
        for i, ag in enumerate(agreements):
            if cancelled is not None and cancelled():
                raise Cancelled()
            for size in SIZES:  # the largest size that fits one page, else the first over several
                lay = _Layout(f, size)
                _story(lay, ag)
                if len(lay.pages) == 1:
                    break
            else:
                lay = _Layout(f, SIZES[0])
                _story(lay, ag)
            _draw(c, lay)
            pages += len(lay.pages)
            if progress is not None:
                progress(i + 1, len(agreements))
        c.save()
    return pages
