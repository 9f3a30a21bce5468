"""Font discovery and registration for ReportLab.

ReportLab embeds TrueType outlines only (``.ttf``, and ``.ttc`` collections through a
subfont index); OpenType/CFF fonts (``OTTO``, e.g. Noto Sans CJK) cannot be embedded
and are never chosen. Each printed text has a role:

``title``  headings and table headers (黑体 on Windows)
``name``   people's names on certificates (楷体)
``body``   running text and table cells (宋体)
``rare``   fallbacks for characters the others lack (SimSun-ExtB, 花园明朝 / Hanazono)

Where fonts come from, first match wins: a font file given by the caller (``override``),
the family the clerk chose per role on the Settings page (字体; stored in the database by
family name, so every seat prints alike; a seat that lacks it falls back to what follows and
says so once: :func:`take_notice`), ``resources/fonts/`` if anything ships there, the
Windows font folders (system and per-user), then the usual Linux/macOS folders. No CJK
font at all is a :class:`FontMissing` with a message naming what to install.

Characters a font lacks are drawn from the next font that has them
(:func:`split_runs`), so a rare name character is never a blank box; the fallbacks of a
role keep to its style first (a Kai name tries Kai faces before Song or Hei ones:
:func:`fallback_names`). Faces are registered lazily and their parsed tables are kept
between runs (:mod:`reports.fonts.cache`), so a face a job never uses costs nothing.
"""

from __future__ import annotations

from reports.fonts.cache import inspect_font_file, set_cache_dir
from reports.fonts.discovery import RESOURCE_FONTS, clear_cache, find_fonts, list_families, take_notice
from reports.fonts.faces import (
    ROLES,
    BadFontFile,
    FontError,
    FontFile,
    FontMissing,
    FontSet,
)
from reports.fonts.families import Family
from reports.fonts.registration import (
    char_map,
    covers,
    face_style,
    fallback_names,
    register_fonts,
    split_runs,
    sticks,
)

_sticks = sticks  # the name reports.certificates.layout imports

__all__ = [
    "RESOURCE_FONTS",
    "ROLES",
    "BadFontFile",
    "Family",
    "FontError",
    "FontFile",
    "FontMissing",
    "FontSet",
    "char_map",
    "clear_cache",
    "covers",
    "face_style",
    "fallback_names",
    "find_fonts",
    "inspect_font_file",
    "list_families",
    "register_fonts",
    "set_cache_dir",
    "split_runs",
    "sticks",
    "take_notice",
]
