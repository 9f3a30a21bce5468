"""Certificates from a template and plain records: one PDF page per record.

The shape is pretix's ``base/pdf.py`` (ANCHORS.md): the layout is data, each field is
filled from the record, shrunk or wrapped to fit its box and drawn; nothing here knows the
database. What is the same on every page is drawn once per job: fonts are registered once,
the border, background image and fixed texts go into one form XObject, the seal into
another, and a field whose filled text repeats (the issuer, the date, the event) reuses
the PDF operators of its first page. The verification QR is one batch of path operators.

Fonts are embedded TrueType subsets only: the canvas starts with the body font (no
Helvetica is ever referenced) and characters a role's font lacks come from the fallback
fonts (:func:`reports.fonts.split_runs`), extracting as the same characters thanks to the
ToUnicode mend in :mod:`reports.fonts`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas

from .. import Cancelled, atomic_output
from ..fonts import FontSet, fallback_names, find_fonts, register_fonts
from ..linebreak import SOFT
from . import variables
from .borders import draw_border
from .calibration import render_calibration
from .canvas import new_canvas
from .fill import fill, placeholders_in, value_of
from .layout import FieldFitter, Placed
from .model import Template, TextField
from .pages import share_pages
from .qr import qr_operators

__all__ = ["Job", "fill", "render_calibration", "render_certificates"]

_STATIC = "udStatic"
_SEAL = "udSeal"
_CACHE_LIMIT = 4096


def _is_static(f: TextField) -> bool:
    return not placeholders_in(f.text)


def _actual_text(text: str) -> str:
    return f"/Span <</ActualText <FEFF{text.encode('utf-16-be').hex().upper()}>>> BDC"


def text_code(canv: Canvas, placed: Placed, colour: str) -> str:
    """PDF text operators for a fitted field (self-contained: sets colour, font, spacing).

    A line drawn with extra character spacing (a spaced name, a tracked title, a
    justified line) is marked with its ``/ActualText``, so text extraction gives 张三 and
    荣誉证书 as words rather than 张 三 (poppler breaks words at gaps over ~0.1 em).
    Written directly (the operators ReportLab's text object writes, without its bookkeeping):
    the characters go through the font's subset table as ReportLab's own text does.
    """
    runs = placed.runs
    doc = canv._doc
    escape = canv._escape
    code = ["BT", _fill_colour(colour)]
    spaced = {r.line for r in runs if r.char_space}
    space = 0.0
    for i, r in enumerate(runs):
        first = i == 0 or runs[i - 1].line != r.line
        if first and r.line in spaced:
            code.append(_actual_text("".join(q.text for q in runs if q.line == r.line)))
        code.append(f"1 0 0 1 {_number(r.x)} {_number(r.y)} Tm")
        if r.char_space != space:
            space = r.char_space
            code.append(f"{_number(space)} Tc")
        font = getFont(r.font)
        size = _number(r.size)
        if font._dynamicFont:
            for subset, part in font.splitString(r.text, doc):
                code.append(f"{font.getSubsetInternalName(subset, doc)} {size} Tf ({escape(part)}) Tj")
        else:  # a base-14 font (never chosen for print; kept drawable)
            code.append(f"{doc.getInternalFontName(r.font)} {size} Tf ({escape(r.text)}) Tj")
        if r.line in spaced and (i + 1 == len(runs) or runs[i + 1].line != r.line):
            code.append("EMC")
    if space:
        code.append("0 Tc")
    code.append("ET")
    return " ".join(code)


_NUMBERS: dict[float, str] = {}


def _number(x: float) -> str:
    """``fp_str(x)``, remembered: a field's positions and sizes repeat from page to page."""
    text = _NUMBERS.get(x)
    if text is None:
        if len(_NUMBERS) >= _CACHE_LIMIT:
            _NUMBERS.clear()
        text = _NUMBERS[x] = fp_str(x)
    return text


@functools.cache
def _fill_colour(colour: str) -> str:
    c = HexColor(colour)
    return f"{fp_str(c.red, c.green, c.blue)} rg"


class Job:
    """One rendering job: fonts registered, fields' fitters ready, caches empty."""

    def __init__(self, template: Template, fonts: FontSet | None = None, tag: str = "") -> None:
        self.template = template
        self.forms = (_STATIC + tag, _SEAL + tag)  # the names of its forms (one set per template of a batch)
        fontset = fonts if fonts is not None else find_fonts()
        self.names = register_fonts(fontset)
        self.chain = fallback_names(fontset)
        # per role, the fallbacks of the role's style first (a Kai name falls back to Kai)
        self.chains = {role: fallback_names(fontset, role) for role in ("title", "name", "body")}
        self.width_mm, self.height_mm = template.size_mm()
        self.page_h = self.height_mm * mm
        widths: dict[tuple[str, str], float] = {}
        self.fitters = [
            FieldFitter(f, self.names.get(f.role, self.names["body"]), self.chains.get(f.role, self.chain),
                        self.page_h, widths)
            for f in template.fields
        ]
        self.static = [ft for ft in self.fitters if _is_static(ft.field)]
        self.dynamic = [ft for ft in self.fitters if not _is_static(ft.field)]
        # the record values each field's text comes from: equal values draw the same operators
        self._reads = [variables.reads(placeholders_in(ft.field.text)
                                       + (["name", "collective"] if ft.field.spaced_name else []))
                       for ft in self.dynamic]
        self._cache: list[dict[tuple[object, ...], str]] = [{} for _ in self.dynamic]

    def _filled(self, fitter: FieldFitter, record: Mapping[str, object]) -> tuple[str, str]:
        """(the field's text filled from ``record``, the name to space in it or "": a unit's
        name is never spaced)."""
        f = fitter.field
        spaced = f.spaced_name and not record.get("collective")
        return fill(f.text, record, self.template, glue=True), value_of("name", record) if spaced else ""

    def place(self, fitter: FieldFitter, record: Mapping[str, object]) -> Placed:
        """The field filled from ``record`` and fitted (for tests and the editor)."""
        return fitter.fit(*self._filled(fitter, record))

    def draw_static(self, canv: Canvas, seal_image: str | None) -> tuple[bool, bool]:
        """The forms drawn on every page: (static form made, seal form made)."""
        t = self.template
        w, h = self.width_mm * mm, self.page_h
        bg = t.background
        has_bg = not t.overlay and bg.kind in ("border", "image")
        made = False
        if has_bg or self.static:
            canv.beginForm(self.forms[0])
            if has_bg and bg.kind == "image" and bg.image:
                _image(canv, bg.image, 0, 0, w, h, stretch=True, what="背景图片")
            elif has_bg and bg.kind == "border":
                draw_border(canv, bg.style, w, h)
            for ft in self.static:
                canv._code.append(text_code(canv, ft.fit(fill(ft.field.text, {}, t)), ft.field.colour))
            canv.endForm()
            made = True
        seal = False
        if seal_image and t.seal is not None:
            x, y, size = t.seal
            canv.beginForm(self.forms[1])
            _image(canv, seal_image, x * mm, h - (y + size) * mm, size * mm, size * mm, stretch=False,
                   what="印章图片")
            canv.endForm()
            seal = True
        return made, seal

    def draw_page(self, canv: Canvas, record: Mapping[str, object]) -> None:
        """The record's fields (and QR); the caller adds the forms and the offset."""
        code = canv._code
        t = self.template
        for ft, cache, reads in zip(self.dynamic, self._cache, self._reads, strict=True):
            key: tuple[object, ...] | None = tuple((v.__class__, v) for v in map(record.get, reads))
            try:
                snippet = cache.get(key)  # type: ignore[arg-type]
            except TypeError:  # a value that cannot be a key (a list): fill and fit it every time
                snippet, key = None, None
            if snippet is None:
                snippet = text_code(canv, self.place(ft, record), ft.field.colour)
                if key is not None:
                    if len(cache) >= _CACHE_LIMIT:
                        cache.clear()
                    cache[key] = snippet
            code.append(snippet)
        verify = record.get("verify")
        if t.qr is not None and verify:
            q = t.qr  # the QR holds ``verify_qr`` when given (the serial and whole signature), else ``verify``
            payload = str(record.get("verify_qr") or verify)
            code.append(qr_operators(payload, q.x * mm, self.page_h - (q.y + q.size) * mm, q.size * mm))


def _image(canv: Canvas, path: str, x: float, y: float, w: float, h: float, *, stretch: bool, what: str) -> None:
    if not Path(path).is_file():
        raise FileNotFoundError(f"找不到{what}：{path}")
    try:
        canv.drawImage(path, x, y, w, h, mask="auto", preserveAspectRatio=not stretch, anchor="c")
    except Exception as exc:  # PIL/ReportLab errors vary by format
        raise ValueError(f"无法读取{what}“{Path(path).name}”（应为 PNG 或 JPEG）：{exc}") from exc


def render_certificates(
    template: Template,
    records: Sequence[Mapping[str, object]],
    path: str | os.PathLike[str],
    *,
    fonts: FontSet | None = None,
    offset: tuple[float, float] = (0.0, 0.0),
    seal_image: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    each: Sequence[Template] | None = None,
) -> int:
    """Write one page per record to ``path`` and return the number of pages.

    ``offset`` (mm; x right, y down) moves everything on the page, for a printer that
    prints off-centre. ``seal_image`` (a PNG with transparency, or a JPEG) is drawn over
    the issuer and date where the template keeps its seal area. ``progress(done, total)``
    is called after every page; when ``cancelled()`` returns ``True`` the job stops with
    :class:`reports.Cancelled` and no file is left. ``each``: the template of every record
    when a batch mixes them (its people on a personal template, its units on a collective
    one), each page the size of its own; ``template`` names the file. Raises
    :class:`reports.fonts.FontMissing` when the machine has no CJK TrueType font.
    """
    if not records:
        raise ValueError("没有要生成证书的记录")
    if each is not None and len(each) != len(records):
        raise ValueError("每条记录须有一个模板")
    job = Job(template, fonts)
    jobs: dict[int, Job] = {id(template): job}
    for t in each or ():
        if id(t) not in jobs:
            jobs[id(t)] = Job(t, fonts, tag=str(len(jobs)))
    total = len(records)
    ox, oy = offset
    shift = f"1 0 0 1 {ox * mm:.3f} {-oy * mm:.3f} cm" if (ox or oy) else ""
    first = records[0]
    title = template.title
    event = value_of("event", first)
    if event and all(value_of("event", r) == event for r in records[:50]):
        event = event.replace(SOFT, "")
        title = f"{template.title}：{event}"
    with atomic_output(path) as tmp:
        canv = new_canvas(tmp, template, job.names["body"], title)
        issuer = value_of("issuer", first)
        if issuer:
            canv.setAuthor(issuer)
        forms = {key: j.draw_static(canv, seal_image) for key, j in jobs.items()}
        size = job.width_mm, job.height_mm
        for i, record in enumerate(records):
            if cancelled is not None and cancelled():
                raise Cancelled()
            page = jobs[id(each[i])] if each is not None else job
            if (page.width_mm, page.height_mm) != size:
                size = page.width_mm, page.height_mm
                canv.setPageSize((size[0] * mm, size[1] * mm))
            static, seal = forms[id(page.template)]
            if shift:
                canv._code.append(shift)
            if static:
                canv.doForm(page.forms[0])
            page.draw_page(canv, record)
            if seal:
                canv.doForm(page.forms[1])
            canv.showPage()
            if progress is not None:
                progress(i + 1, total)
        if cancelled is not None and cancelled():
            raise Cancelled()
        share_pages(canv)
        canv.save()
    return total
