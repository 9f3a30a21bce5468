"""Font discovery and registration for ReportLab.

ReportLab embeds TrueType outlines only (``.ttf``, and ``.ttc`` collections through a
subfont index); OpenType/CFF fonts (``OTTO``, e.g. Noto Sans CJK) cannot be embedded
and are never chosen. Each printed text has a role:

``title``  headings and table headers (黑体 on Windows)
``name``   people's names on certificates (楷体)
``body``   running text and table cells (宋体)
``rare``   fallbacks for characters the others lack (SimSun-ExtB, 花园明朝 / Hanazono)

Where fonts come from, first match wins: a path the clerk chose in Settings
(``override``), ``resources/fonts/`` if anything ships there, the Windows font folders
(system and per-user), then the usual Linux/macOS folders. No CJK font at all is a
:class:`FontMissing` with a message naming what to install.

Characters a font lacks are drawn from the next font that has them
(:func:`split_runs`), so a rare name character is never a blank box.
"""

from __future__ import annotations

from reports.fonts.discovery import RESOURCE_FONTS, clear_cache, find_fonts
from reports.fonts.faces import (
    ROLES,
    BadFontFile,
    FontError,
    FontFile,
    FontMissing,
    FontSet,
    inspect_font_file,
)
from reports.fonts.registration import char_map, covers, fallback_names, register_fonts, split_runs, sticks

_sticks = sticks  # the name reports.certificates.layout imports

__all__ = [
    "RESOURCE_FONTS",
    "ROLES",
    "BadFontFile",
    "FontError",
    "FontFile",
    "FontMissing",
    "FontSet",
    "char_map",
    "clear_cache",
    "covers",
    "fallback_names",
    "find_fonts",
    "inspect_font_file",
    "register_fonts",
    "split_runs",
    "sticks",
]
