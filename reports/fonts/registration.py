"""Registering the chosen faces with ReportLab (once per process), and drawing each character from
a font that has it (``split_runs``)."""

from __future__ import annotations

import struct
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

from reports.fonts.faces import LOCK, REGISTERED, BadFontFile, FontFile, FontSet


def _register(face: FontFile) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    name = face.font_name
    if REGISTERED.get(name) == face:
        return name
    try:
        font = TTFont(name, face.path, subfontIndex=face.index)
    except (TTFError, OSError, ValueError, struct.error, IndexError, KeyError) as exc:
        raise BadFontFile(f"无法读取字体“{Path(face.path).name}”：{exc}") from exc
    pdfmetrics.registerFont(font)
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
    """Register the set's faces with ReportLab (once per process) and return
    ``{role: font name}`` for ``title``, ``name``, ``body`` and ``rare`` (the first
    fallback; the body font when there is none). Use :func:`fallback_names` for the
    whole fallback chain."""
    _mend_reportlab()
    with LOCK:
        names = {role: _register(getattr(fontset, role)) for role in ("title", "name", "body")}
        rare = [_register(f) for f in fontset.rare]
    names["rare"] = rare[0] if rare else names["body"]
    return names


def fallback_names(fontset: FontSet) -> list[str]:
    """Registered names to try, in order, for a character the primary font lacks:
    the role fonts (body, name, title), then the rare-character fonts."""
    names = register_fonts(fontset)
    chain: list[str] = []
    with LOCK:
        rare = [_register(f) for f in fontset.rare]
    for n in (names["body"], names["name"], names["title"], *rare):
        if n not in chain:
            chain.append(n)
    return chain


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
    cmaps: list[tuple[str, Mapping[int, int] | None]] = [(primary, char_map(primary))]
    cmaps += [(f, char_map(f)) for f in fallbacks if f != primary]
    primary_cmap = cmaps[0][1]
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
            for name, cmap in cmaps[1:]:
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
