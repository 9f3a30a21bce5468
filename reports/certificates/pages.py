"""Page dictionaries formatted once per shape when a certificate PDF is saved.

ReportLab formats every page dictionary from scratch (the resources, the media box, each
name escaped one character at a time): about a third of saving a thousand certificates.
Certificate pages differ only in their content stream, so :class:`SharedPage` formats the
first page of each shape as ReportLab does and every later page of that shape as the same
bytes with its own content reference (and its compressed stream's fixed dictionary written
directly: :class:`FlateStream`). A page of any other shape (annotations, graphic
states, colour spaces, boxes, a transition) is formatted by ReportLab as before.
"""

from __future__ import annotations

from typing import Any

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc

__all__ = ["SharedPage", "share_pages"]

#: the page entries a shared page may have; every other one must be unset
_ALLOWED = frozenset(("Parent", "MediaBox", "Resources", "Contents", "Rotate", "Trans", "Annots"))
_OTHERS = tuple(k for k in dict.fromkeys(pdfdoc.PDFPage.__NoDefault__) if k not in _ALLOWED)


class SharedPage(pdfdoc.PDFPage):  # type: ignore[misc]
    """A page whose dictionary is the bytes of its first twin with its own ``/Contents``."""

    def _shape(self) -> tuple[object, ...] | None:
        """What the dictionary's bytes depend on besides the content stream; None when the
        page is not a plain one (ReportLab formats it)."""
        if (self.Override_default_compilation or self.Contents or self.Resources or self.MediaBox or self.Parent
                or self.Annots or self.ExtGState or self._colorsUsed or self._shadingUsed
                or any(getattr(self, k, None) is not None for k in _OTHERS)):
            return None
        trans = self.Trans
        if trans is not None and (not isinstance(trans, pdfdoc.PDFDictionary) or trans.dict):
            return None
        xobjects = self.XObjects
        if xobjects is None:
            forms: tuple[object, ...] = ()
        elif isinstance(xobjects, pdfdoc.PDFDictionary) and all(
                isinstance(v, pdfdoc.PDFObjectReference) and v.name == k for k, v in xobjects.dict.items()):
            forms = tuple(sorted(xobjects.dict))
        else:
            return None
        return (bool(self.hasImages), forms, trans is None, self.Rotate, self.pagewidth, self.pageheight)

    def format(self, document: Any) -> bytes:
        shape = self._shape()
        if shape is None:
            return bytes(super().format(document))
        shared: dict[tuple[object, ...], tuple[bytes, bytes]] = document.__dict__.setdefault("_ud_shared_pages", {})
        parts = shared.get(shape)
        if parts is None:
            whole = bytes(super().format(document))
            mark = b"/Contents " + document.Reference(self.Contents).format(document) + b" "
            head, found, tail = whole.partition(mark)
            if found and mark not in tail:
                shared[shape] = (head + b"/Contents ", b" " + tail)
            return whole
        self.check_format(document)  # the content stream (and the parent) as ReportLab sets them up
        contents = self.Contents
        if (contents.__class__ is pdfdoc.PDFStream and contents.filters == [pdfdoc.PDFZCompress]
                and not contents.dictionary.dict and not rl_config.pdfMultiLine):
            contents.__class__ = FlateStream
        return parts[0] + document.Reference(contents).format(document) + parts[1]


class FlateStream(pdfdoc.PDFStream):  # type: ignore[misc]
    """A page's compressed content stream, written as ReportLab writes one (its dictionary is
    always ``/Filter [ /FlateDecode ] /Length n`` on one line, ``pdfMultiLine`` being off) without
    building that dictionary each time."""

    def format(self, document: Any) -> bytes:
        content = self.content
        if isinstance(content, str):
            content = content.encode("utf8")
        content = document.encrypt.encode(pdfdoc.PDFZCompress.encode(content))
        return b"<<\n/Filter [ /FlateDecode ] /Length %d\n>>\nstream\n%bendstream\n" % (len(content), content)


def share_pages(canv: Any) -> None:
    """Have the canvas's plain pages formatted as :class:`SharedPage` (before ``save``)."""
    for page in canv._doc.Pages.pages:
        if page.__class__ is pdfdoc.PDFPage:
            page.__class__ = SharedPage
