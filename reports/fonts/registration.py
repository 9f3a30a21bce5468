"""Registering the chosen faces with ReportLab (once per process), and drawing each character from
a font that has it (``split_runs``)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

from reports.fonts.faces import LOCK, REGISTERED, FontFile, FontSet


def _register(face: FontFile) -> str:
    """Register ``face`` under its name (once per process). Nothing is read yet: the face's
    tables load when a text is first measured or drawn in it (:mod:`reports.fonts.cache`)."""
    from reportlab.pdfbase import pdfmetrics

    from reports.fonts.cache import lazy_font

    name = face.font_name
    if REGISTERED.get(name) == face and name in pdfmetrics._fonts:
        return name
    # pdfmetrics.registerFont would read the face (it indexes fonts by face name): keep it lazy
    pdfmetrics._fonts[name] = lazy_font(name, face)
    pdfmetrics.registerFontFamily(name)
    REGISTERED[name] = face
    return name


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """ReportLab's ToUnicode CMap, mended: a character outside the BMP (𠮷 U+20BB7) is
    written as its UTF-16BE surrogate pair (<D842DFB7>), not as <20BB7>, so a PDF
    reader extracts and searches it as the same character."""

    def utf16(cp: int) -> str:
        return chr(cp).encode("utf-16-be", "surrogatepass").hex().upper() if cp > 0xFFFF else f"{cp:04X}"

    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>", "endcodespacerange", f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{utf16(cp)}>" for i, cp in enumerate(subset)),
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ]
    return "\n".join(lines)


def _mend_reportlab() -> None:
    from reportlab.pdfbase import ttfonts

    ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # type: ignore[assignment]


def register_fonts(fontset: FontSet) -> dict[str, str]:
    """Register the set's faces with ReportLab (once per process, lazily: a face is read only
    when a text uses it) and return ``{role: font name}`` for ``title``, ``name``, ``body`` and
    ``rare`` (the first fallback; the body font when there is none). Use
    :func:`fallback_names` for the whole fallback chain."""
    _mend_reportlab()
    with LOCK:
        names = {role: _register(getattr(fontset, role)) for role in ("title", "name", "body")}
        names["rare"] = _register(fontset.rare[0]) if fontset.rare else names["body"]
    return names


def fallback_names(fontset: FontSet, role: str | None = None) -> list[str]:
    """Registered names to try, in order, for a character the primary font lacks: the role
    fonts (body, name, title), the rare-character fonts, then the other faces found.

    With ``role`` (the primary's role) the faces of the primary's style come first: a Kai
    (楷) name falls back to a Kai face that has the character before any Song (宋) or Hei
    (黑) face, a Song body to Song, a Hei title to Hei."""
    register_fonts(fontset)
    faces: list[FontFile] = []
    for f in (fontset.body, fontset.name, fontset.title, *fontset.rare, *fontset.extra):
        if f not in faces:
            faces.append(f)
    if role in ("title", "name", "body"):
        style = face_style(fontset.role(role))
        if style:
            faces.sort(key=lambda f: face_style(f) != style)  # stable: the order above within each group
    with LOCK:
        return [_register(f) for f in faces]


def face_style(face: FontFile | None) -> str:
    """``kai``, ``song``, ``hei``, ``fang`` or ``""`` for a face, by its file or family name."""
    if face is None:
        return ""
    found = _styles.get(face)
    if found is None:
        from reports.fonts.tables import read_faces, style_of

        found = style_of(Path(face.path).stem)
        if not found:
            infos = [i for i in read_faces(face.path) if i.index == face.index]
            found = infos[0].style if infos else ""
        _styles[face] = found
    return found


_styles: dict[FontFile, str] = {}


# ------------------------------------------------------------------------- coverage


def char_map(font_name: str) -> Mapping[int, int] | None:
    """The registered font's cmap (code point -> glyph, 0 = missing); ``None`` for base-14."""
    from reportlab.pdfbase import pdfmetrics

    font = pdfmetrics.getFont(font_name)
    face = getattr(font, "face", None)
    return getattr(face, "charToGlyph", None)


def covers(font_name: str, ch: str) -> bool:
    """Whether the registered font ``font_name`` has a glyph for the character ``ch``."""
    cmap = char_map(font_name)
    if cmap is None:  # a base-14 font: Latin-1 only
        return ord(ch) < 256
    return bool(cmap.get(ord(ch), 0))


def sticks(ch: str) -> bool:
    """Characters that stay with the preceding run whatever font has them: combining
    marks, variation selectors (including ideographic variation sequences), joiners."""
    return unicodedata.category(ch) in ("Mn", "Me", "Cf")


def split_runs(text: str, primary: str, fallbacks: Sequence[str]) -> list[tuple[str, str]]:
    """Split ``text`` into ``(font name, text)`` runs: each character from ``primary``
    if it has a glyph, else from the first of ``fallbacks`` that has one (else from
    ``primary``, drawn as its missing-glyph box: nothing better exists)."""
    if not text:
        return []
    primary_cmap = char_map(primary)
    others = [f for f in fallbacks if f != primary]
    cmaps: dict[str, Mapping[int, int] | None] = {}  # a fallback's map is read only when needed
    runs: list[tuple[str, str]] = []
    current = primary
    buf: list[str] = []
    for ch in text:
        cp = ord(ch)
        if buf and sticks(ch):
            buf.append(ch)
            continue
        font = primary
        if not (primary_cmap.get(cp, 0) if primary_cmap is not None else cp < 256):
            for name in others:
                if name not in cmaps:
                    cmaps[name] = char_map(name)
                cmap = cmaps[name]
                if cmap.get(cp, 0) if cmap is not None else cp < 256:
                    font = name
                    break
        if font != current and buf:
            runs.append((current, "".join(buf)))
            buf = []
        current = font
        buf.append(ch)
    if buf:
        runs.append((current, "".join(buf)))
    return runs
