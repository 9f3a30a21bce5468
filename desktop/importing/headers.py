"""Find a table's header row and map its columns to record fields. Qt-free.

The clerk's spreadsheets put a title (often merged across the columns), a subtitle or a
"填报单位：" line above the header, write headers with spaces, line breaks, full-width
characters, required-field stars and notes in brackets (``身份证号（18位）``), and use their
own words for a column. ``find_header`` scores each of the first rows against the fields'
labels and synonyms and takes the best; ``apply_mapping`` turns the data rows below it into
``{field key: value}``; ``header_signature`` identifies a layout so the GUI can remember a
mapping the clerk corrected.

The names a column goes by are declared once, on the model's field (``field(label,
synonyms=...)`` in ``db/models``): ``header_fields(Model)`` gives a register's header list and
``header_field(Model, name)`` one described column for another importer's sheet (a certificate
list, a competition's entry list), which may add the words only its own files use.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from db.fields import Column, column, describe

__all__ = [
    "IGNORED_HEADERS",
    "HeaderField",
    "HeaderMatch",
    "apply_mapping",
    "effective_mapping",
    "find_header",
    "header_field",
    "header_fields",
    "header_signature",
    "normalise_header",
]

Rows = Sequence[tuple[int, Sequence[object]]]

# Columns that never map to a field and are not reported as unmapped.
IGNORED_HEADERS = frozenset({"序号", "序", "no", "no."})

_NOTE = re.compile(r"[(\[【〔<《][^()\[\]【】〔〕<>《》]*[)\]】〕>》]")
_STRIP_CHARS = re.compile(r"[*:、※#＊]")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)

# Match kinds, best first; the score also carries the synonym's length.
_EXACT, _SUFFIX, _CONTAINS, _CONTAINED = 3, 2, 1, 0


@dataclass(frozen=True)
class HeaderField:
    """A column the importer understands: its key, Chinese label, other names, whether required."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = False


def _from_column(col: Column, key: str | None = None, extra: Sequence[str] = (),
                 required: bool | None = None) -> HeaderField:
    synonyms = tuple(dict.fromkeys(n for n in (*col.field.names[1:], *extra) if n != col.label))
    return HeaderField(key or col.name, col.label, synonyms, col.field.required if required is None else required)


def header_fields(model: type, names: Sequence[str] | None = None) -> list[HeaderField]:
    """The described columns of ``model`` (all of them, or those called ``names`` in that order)
    as header fields: each keyed by its attribute name, with its label, declared synonyms and
    whether it is required."""
    if names is None:
        return [_from_column(c) for c in describe(model)]
    return [_from_column(column(model, name)) for name in names]


def header_field(model: type, name: str, *, key: str | None = None, extra: Sequence[str] = (),
                 required: bool | None = None) -> HeaderField:
    """One described column of ``model`` as a header field for another importer's sheet.

    ``key`` names it in that importer's rows (default: the attribute name); ``extra`` adds the
    header words only that importer's files use (获奖人 on a certificate list); ``required``
    overrides the field's own (an ID number the register requires may be optional there).
    """
    return _from_column(column(model, name), key, extra, required)


@dataclass
class HeaderMatch:
    """The header row found and how its columns map to field keys.

    ``row_number`` is the header's row as the spreadsheet shows it and ``index`` its position
    in the rows given (-1 and 0 when there were no rows). ``mapping`` is column index (0-based)
    to field key; ``unmapped`` lists columns with a header text that matched nothing (``序号``
    columns are left out of both); ``missing_required`` lists the keys of required fields no
    column matched; ``headers`` is column index to the header text as written (whitespace
    runs collapsed), for every non-empty header cell.
    """

    row_number: int
    index: int
    mapping: dict[int, str] = field(default_factory=dict)
    unmapped: list[tuple[int, str]] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)
    headers: dict[int, str] = field(default_factory=dict)


def normalise_header(value: object, *, keep_notes: bool = False) -> str:
    """Header text reduced for comparison.

    NFKC (full-width → half-width, U+3000 → space), all whitespace and invisible characters
    removed, ``* : 、 ※`` removed, bracketed notes such as ``（18位）`` removed (unless
    ``keep_notes``; a header that is nothing but a note keeps it), lower-cased.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = "".join(text.split())
    text = _STRIP_CHARS.sub("", text)
    if not keep_notes:
        stripped = text
        for _ in range(3):  # nested notes: （（注））
            new = _NOTE.sub("", stripped)
            if new == stripped:
                break
            stripped = new
        if stripped:
            text = stripped
    return text.lower()


def _forms(value: object) -> tuple[str, ...]:
    full = normalise_header(value, keep_notes=True)
    short = normalise_header(value)
    if not full:
        return ()
    return (short,) if short == full else (short, full)


class _Vocabulary:
    """Every field's names, normalised once."""

    def __init__(self, fields: Sequence[HeaderField]) -> None:
        self.fields = list(fields)
        self.names: list[tuple[str, str]] = []  # (normalised name, key)
        exact: dict[str, str] = {}
        for f in self.fields:
            for name in (f.label, *f.synonyms):
                for form in _forms(name):
                    if form and form not in IGNORED_HEADERS:
                        self.names.append((form, f.key))
                        exact.setdefault(form, f.key)
        for f in self.fields:  # the English key itself, exact only (a file written by a program)
            exact.setdefault(normalise_header(f.key), f.key)
        self.exact = exact

    def candidates(self, forms: tuple[str, ...]) -> list[tuple[tuple[int, int], str]]:
        """(score, field key) pairs for one header cell, best kind of match per field."""
        best: dict[str, tuple[int, int]] = {}
        for form in forms:
            key = self.exact.get(form)
            if key is not None:
                best[key] = max(best.get(key, (-1, 0)), (_EXACT, len(form)))
        if best:
            return [(score, key) for key, score in best.items()]
        short = forms[0]
        contained: dict[str, int] = {}
        for name, key in self.names:
            if len(name) < 2:
                continue
            if name in short:
                kind = _SUFFIX if short.endswith(name) else _CONTAINS
                best[key] = max(best.get(key, (-1, 0)), (kind, len(name)))
            elif len(short) >= 2 and short in name:
                contained[key] = max(contained.get(key, 0), len(short))
        if not best and len(contained) == 1:  # a short header that only one field's names contain
            key, length = next(iter(contained.items()))
            best[key] = (_CONTAINED, length)
        return [(score, key) for key, score in best.items()]


def _assign(cells: list[tuple[int, tuple[str, ...]]], vocab: _Vocabulary) -> dict[int, str]:
    """Greedy best-first assignment: each column at most one field, each field at most once."""
    scored: list[tuple[tuple[int, int], int, str]] = []
    for col, forms in cells:
        for score, key in vocab.candidates(forms):
            scored.append((score, col, key))
    scored.sort(key=lambda t: (-t[0][0], -t[0][1], t[1]))
    mapping: dict[int, str] = {}
    used: set[str] = set()
    for _, col, key in scored:
        if col in mapping or key in used:
            continue
        mapping[col] = key
        used.add(key)
    return mapping


def _row_cells(values: Sequence[object]) -> list[tuple[int, tuple[str, ...]]]:
    """Header cells worth matching: text present, not ignored, and not a repeat of an earlier
    cell in the row (a merged title copied across the columns counts once)."""
    seen: set[str] = set()
    cells: list[tuple[int, tuple[str, ...]]] = []
    for col, value in enumerate(values):
        forms = _forms(value)
        if not forms or forms[0] in IGNORED_HEADERS or forms[-1] in IGNORED_HEADERS:
            continue
        if forms[-1] in seen:
            continue
        seen.add(forms[-1])
        cells.append((col, forms))
    return cells


def find_header(rows: Rows, fields: Sequence[HeaderField], scan: int = 15) -> HeaderMatch:
    """The header row among the first ``scan`` rows and its column → field mapping.

    The row with the most matched columns wins (ties: more required fields, then the
    earlier row). Exact label/synonym matches are preferred to containment; among
    containment matches a name at the end of the header (``联系人电话`` → 电话) beats one
    elsewhere, and a longer name beats a shorter one. When no row matches anything, the
    first row is taken with an empty mapping so the clerk can map the columns by hand.
    """
    vocab = _Vocabulary(fields)
    required = [f.key for f in fields if f.required]
    if not rows:
        return HeaderMatch(0, -1, {}, [], required)
    best: tuple[tuple[int, int, int], int, dict[int, str]] | None = None
    for index, (_number, values) in enumerate(rows[:max(1, scan)]):
        mapping = _assign(_row_cells(values), vocab)
        score = (len(mapping), sum(1 for k in mapping.values() if k in required), -index)
        if best is None or score > best[0]:
            best = (score, index, mapping)
    assert best is not None
    _, index, mapping = best
    number, values = rows[index]
    unmapped: list[tuple[int, str]] = []
    headers: dict[int, str] = {}
    for col, value in enumerate(values):
        if value is None:
            continue
        text = str(value).strip()
        if not text:
            continue
        headers[col] = " ".join(text.split())
        norm = normalise_header(value)
        if col in mapping or norm in IGNORED_HEADERS:
            continue
        unmapped.append((col, headers[col]))
    found = set(mapping.values())
    return HeaderMatch(
        row_number=number,
        index=index,
        mapping=dict(sorted(mapping.items())),
        unmapped=unmapped,
        missing_required=[k for k in required if k not in found],
        headers=headers,
    )


def effective_mapping(match: HeaderMatch, override: dict[int, str | None] | None = None) -> dict[int, str]:
    """``match.mapping`` with the clerk's corrections applied.

    ``override`` maps a column to a field key (that field leaves any other column) or to None
    (the column is ignored).
    """
    mapping = dict(match.mapping)
    for col, key in (override or {}).items():
        if key is None:
            mapping.pop(col, None)
            continue
        for other, other_key in list(mapping.items()):
            if other_key == key and other != col:
                del mapping[other]
        mapping[col] = key
    return dict(sorted(mapping.items()))


def apply_mapping(rows: Rows, match: HeaderMatch,
                  override: dict[int, str | None] | None = None) -> list[tuple[int, dict[str, object]]]:
    """The data rows below the header as (row number, {field key: value}).

    Every mapped key is present (None where the row is short). Rows with nothing in any
    mapped column, and rows that repeat the header (a header printed again further down),
    are left out.
    """
    if match.index < 0:
        return []
    mapping = effective_mapping(match, override)
    if not mapping:
        return []
    header_values = rows[match.index][1] if match.index < len(rows) else ()
    header_norm = {col: normalise_header(header_values[col]) if col < len(header_values) else ""
                   for col in mapping}
    # A repeated header is spotted from one column first (the cheap test), then confirmed.
    probe = next((col for col, norm in header_norm.items() if norm), None)
    probe_norm = header_norm.get(probe, "") if probe is not None else ""
    probe_char = probe_norm[0] if probe_norm and ord(probe_norm[0]) >= 0x2E80 else ""
    items = list(mapping.items())
    out: list[tuple[int, dict[str, object]]] = []
    for number, values in rows[match.index + 1:]:
        width = len(values)
        record: dict[str, object] = {}
        empty = True
        for col, key in items:
            value = values[col] if col < width else None
            record[key] = value
            if empty and value is not None and not (value.__class__ is str and (not value or value.isspace())):
                empty = False
        if empty:
            continue
        if probe is not None:
            value = values[probe] if probe < width else None
            if (isinstance(value, str) and (not probe_char or probe_char in value)
                    and normalise_header(value) == probe_norm
                    and all(normalise_header(values[c] if c < width else None) == header_norm[c]
                            for c in mapping)):
                continue
        out.append((number, record))
    return out


def header_signature(headers: Sequence[object]) -> str:
    """A stable hash of a header row's normalised texts (trailing blanks ignored).

    Two files with the same columns in the same order get the same signature however their
    headers are spaced, wrapped or written in full-width characters.
    """
    texts = [normalise_header(h, keep_notes=True) for h in headers]
    while texts and not texts[-1]:
        texts.pop()
    digest = hashlib.sha256("\x1f".join(texts).encode("utf-8")).hexdigest()
    return digest[:20]
