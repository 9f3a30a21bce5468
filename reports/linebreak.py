"""Chinese line-breaking rules shared by certificates and printable reports (禁则).

One set of characters that may not start a line (closing punctuation, and the small kana and
marks that attach to what precedes them) and one that may not end a line (opening
punctuation). :mod:`reports.certificates.layout` breaks certificate fields with them;
:func:`patch_reportlab` makes ReportLab's own CJK wrapping (``wordWrap="CJK"`` paragraphs in
report tables) use the same sets, since its ``ALL_CANNOT_START`` lacks ，；：？！》”’… and it
never consults its cannot-end set.

Inside a value, :data:`SOFT` (U+200B ZERO WIDTH SPACE) marks where a line may break when the
value as a whole does not fit on one line (a source writes ``title + SOFT + trade + 项目``); it
is never drawn.
"""

from __future__ import annotations

__all__ = ["NO_END", "NO_START", "SOFT", "patch_reportlab"]

#: characters that never start a line
NO_START = frozenset(
    "，。、；：！？）》」』〕】〉］｝〗〙…‥—～·・％‰℃°′″"
    ",.;:!?)]}%”’"
    "ゝゞヽヾーァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻"
)
#: characters that never end a line
NO_END = frozenset("（《「『〔【〈［｛〖〘“‘([{$￥¥#")
#: an allowed break inside a value (never drawn)
SOFT = "\u200b"

_patched = False


def patch_reportlab() -> None:
    """Give ReportLab's CJK wrapping our sets (idempotent; called before building report tables)."""
    global _patched
    if _patched:
        return
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    textsplit.ALL_CANNOT_START = "".join(sorted(set(textsplit.ALL_CANNOT_START) | NO_START))
    textsplit.ALL_CANNOT_END = "".join(sorted(set(textsplit.ALL_CANNOT_END) | NO_END))
    paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START  # imported by name there
    _patched = True
