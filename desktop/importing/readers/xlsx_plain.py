"""The plain workbook, read without openpyxl: text, numbers and booleans in a worksheet.

Most lists clerks bring (and every one the program writes) hold nothing but text and plain
numbers. Loading openpyxl and its object model costs more than reading such a sheet, so
:func:`read_plain_cells` parses the few parts that matter directly, with ElementTree's C parser
(a part with a DTD or anything else in its prolog is never parsed here) and openpyxl's own rules
for each cell. Anything else (a date or other formatted number, a formula without a cached
value, an ISO date cell, a part or element not as expected) makes it give up with
:class:`NotPlain`, and the caller reads the file with openpyxl as before, so the result never
differs from openpyxl's.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import XMLPullParser, fromstring

__all__ = ["NotPlain", "PlainSheet", "read_plain_cells"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_WORKBOOK_TYPES = (  # openpyxl's order (reader.excel._find_workbook_part)
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
)
_SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
#: built-in number formats that are neither dates, times nor durations (General, 0, 0.00, %, ...)
_PLAIN_FORMATS = frozenset((0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 37, 38, 39, 40, 41, 42, 43, 44, 48, 49))
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)")
_ROOT = re.compile(rb"<[A-Za-z_]")  # the root element's start: what comes before is the prolog
_HEAD = 4096

_ROW, _CELL, _V, _F, _IS, _T, _R = (_MAIN + t for t in ("row", "c", "v", "f", "is", "t", "r"))
_SI, _IGNORED_TEXT = _MAIN + "si", frozenset((_MAIN + "rPh", _MAIN + "phoneticPr", _MAIN + "rPr"))


class NotPlain(Exception):
    """The workbook has something only openpyxl reads the way the program expects."""


class PlainSheet:
    """The chosen sheet of a plain workbook: its rows come from :meth:`rows`."""

    def __init__(self, zf: zipfile.ZipFile, title: str, member: str, sheet_names: list[str], strings: list[str],
                 plain_styles: frozenset[int]) -> None:
        self.zf, self.title, self.member, self.sheet_names = zf, title, member, sheet_names
        self._strings, self._plain = strings, plain_styles

    def rows(self) -> Iterator[tuple[int, list[tuple[int, object]]]]:
        """(row number, [(column, value), ...]) as openpyxl's worksheet parser gives them
        (``data_only``); raises :class:`NotPlain` at the first cell it would read otherwise."""
        strings, plain = self._strings, self._plain
        number = 0
        with self.zf.open(self.member) as src:
            for _event, element in _iterparse(src):
                if element.tag != _ROW:
                    continue
                r = element.get("r")
                if r is None:
                    number += 1
                elif r.isdigit():
                    number = int(r)
                else:
                    raise NotPlain
                column = 0
                cells: list[tuple[int, object]] = []
                for c in element:
                    if c.tag != _CELL:
                        raise NotPlain
                    ref = c.get("r")
                    if ref:
                        m = _CELL_REF.fullmatch(ref)
                        if m is None:
                            raise NotPlain
                        column = _column(m.group(1))
                    else:
                        column += 1
                    cells.append((column, _value(c, strings, plain)))
                element.clear()
                yield number, cells


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _value(c: Any, strings: list[str], plain: frozenset[int]) -> object:
    kind = c.get("t", "n")
    if kind == "inlineStr":
        child = c.find(_IS)
        return None if child is None else _text(child)
    value = c.findtext(_V, None) or None
    if value is None:
        if c.find(_F) is not None:
            raise NotPlain  # a formula without a cached value: openpyxl's reader lists it
        return None
    if kind == "n":
        style = c.get("s")
        if style and int(style) not in plain:
            raise NotPlain  # perhaps a date or a duration
        if "." in value or "E" in value or "e" in value:
            return float(value)
        return int(value)
    if kind == "s":
        index = int(value)
        if not 0 <= index < len(strings):
            raise NotPlain
        return strings[index]
    if kind == "b":
        return bool(int(value))
    if kind in ("str", "e"):
        return value
    raise NotPlain  # an ISO date ("d") or an unknown type


def _text(node: Any) -> str:
    """openpyxl's ``Text.content``: the plain text, then the rich text runs' texts."""
    plain: str | None = None
    runs: list[str] = []
    for child in node:
        tag = child.tag
        if tag == _T:
            plain = child.text
        elif tag == _R:
            for part in child:
                if part.tag == _T:
                    if part.text is not None:
                        runs.append(part.text)
                elif part.tag not in _IGNORED_TEXT:
                    raise NotPlain
        elif tag not in _IGNORED_TEXT:
            raise NotPlain
    return (plain or "") + "".join(runs)


def _iterparse(src: Any) -> Iterator[tuple[str, Any]]:
    """The elements of a part as they end, with ElementTree's C parser; a part whose prolog holds
    anything but the XML declaration (a DTD, an entity, a comment) is left to openpyxl
    (defusedxml refuses what must be refused: ``guards`` turns that into ``xml_bomb``)."""
    head = src.read(_HEAD)
    _check_prolog(head)
    parser = XMLPullParser(("end",))
    chunk = head
    while chunk:
        parser.feed(chunk)
        yield from parser.read_events()
        chunk = src.read(1 << 16)
    parser.close()
    yield from parser.read_events()


def _check_prolog(head: bytes) -> None:
    root = _ROOT.search(head)
    if root is None or b"<!" in head[:root.start()]:
        raise NotPlain


def _parse(zf: zipfile.ZipFile, member: str) -> Any:
    data = zf.read(member)
    _check_prolog(data[:_HEAD])
    return fromstring(data)


def _targets(zf: zipfile.ZipFile, names: set[str], part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id -> (type, member), as openpyxl resolves them."""
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    if rels not in names:
        return {}
    out: dict[str, tuple[str, str]] = {}
    for rel in _parse(zf, rels).iter(_PKG_RELS):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target") or ""
        target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id") or ""] = (rel.get("Type") or "", target)
    return out


def _plain_styles(zf: zipfile.ZipFile, names: set[str]) -> frozenset[int]:
    """The cell styles (openpyxl reads xl/styles.xml), all with a plain built-in number format:
    a workbook with a date, time or custom format anywhere is left to openpyxl before any row
    is read, rather than part-way through."""
    if "xl/styles.xml" not in names:
        return frozenset()  # no styles: any styled number is left to openpyxl
    root = _parse(zf, "xl/styles.xml")
    custom = {f.get("numFmtId") for f in root.iter(_MAIN + "numFmt")}
    xfs = root.find(_MAIN + "cellXfs")
    plain = set()
    for i, xf in enumerate(xfs if xfs is not None else ()):
        fmt = xf.get("numFmtId", "0")
        if not (fmt.isdigit() and int(fmt) in _PLAIN_FORMATS and fmt not in custom):
            raise NotPlain
        plain.add(i)
    return frozenset(plain)


def read_plain_cells(zf: zipfile.ZipFile, choose: Any) -> PlainSheet:
    """The sheet ``choose(names, visible)`` picks (an index), ready to read; :class:`NotPlain`
    when the workbook's parts are not as openpyxl's read-only reader takes them for granted."""
    names = {i.filename for i in zf.infolist()}
    types = _parse(zf, "[Content_Types].xml")
    overrides = [(o.get("PartName") or "", o.get("ContentType")) for o in types.iter(_CT + "Override")]
    workbook = next((p[1:] for t in _WORKBOOK_TYPES for p, ct in overrides if ct == t), None)
    if workbook is None or workbook not in names:
        raise NotPlain
    rels = _targets(zf, names, workbook)
    root = _parse(zf, workbook)
    pr = root.find(_MAIN + "workbookPr")
    if pr is not None and pr.get("date1904") not in (None, "0", "false"):
        raise NotPlain
    sheets: list[tuple[str, bool, str]] = []
    listed = root.find(_MAIN + "sheets")
    for s in listed if listed is not None else ():
        if s.tag != _MAIN + "sheet":
            raise NotPlain
        rel = rels.get(s.get(_REL_ID) or "")
        if rel is None:
            raise NotPlain
        kind, member = rel
        if member not in names:
            continue  # openpyxl leaves out a sheet whose part is missing
        if "chartsheet" in kind:
            continue
        if not kind.endswith("/worksheet"):
            raise NotPlain
        sheets.append((s.get("name") or "", (s.get("state") or "visible") == "visible", member))
    if not sheets:
        raise NotPlain
    index = choose([n for n, _v, _m in sheets], [v for _n, v, _m in sheets])
    plain_styles = _plain_styles(zf, names)
    strings: list[str] = []
    part = next((p[1:] for p, ct in overrides if ct == _SHARED_STRINGS), None)
    if part is not None:
        with zf.open(part) as src:
            for _event, node in _iterparse(src):
                if node.tag == _SI:
                    strings.append(_text(node).replace("x005F_", ""))
                    node.clear()
    title, _visible, member = sheets[index]
    return PlainSheet(zf, title, member, [n for n, _v, _m in sheets], strings, plain_styles)
