"""Parsed font tables kept between runs, and fonts registered lazily.

ReportLab's ``TTFontFile`` reads the whole file into memory and parses the metrics and the
character map of every face it is given (0.1–0.4 s and 15–30 MB for a CJK font). Here:

* the parsed tables (what ``extractInfo`` computes: metrics, cmap, widths, glyph offsets) are
  written once to the cache folder (``set_cache_dir``; the desktop sets the data folder's
  ``cache/fonts``), keyed by the file's path, size and modification time, the face index and
  the ReportLab version, with :mod:`marshal` (plain data only, nothing executable); the glyph
  offsets and metrics only a subset reads are stored as flat arrays. A cache file that is
  damaged or stale is ignored and rebuilt;
* the font file itself is memory-mapped, not read: only the glyphs written into a PDF subset
  are ever paged in;
* a font is registered with ReportLab under its name at once, but nothing is read until a
  text is measured or drawn in it (:class:`LazyTTFont`), so a rare-character font costs
  nothing until a character needs it.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import marshal
import mmap
import os
import struct
from array import array
from pathlib import Path
from typing import Any

from reports.fonts.faces import LOCK, BadFontFile, FontFile, embeddable, truetype_faces

log = logging.getLogger(__name__)

FORMAT = 2  # bump when the stored shape changes
_cache_dir: Path | None = None
_faces: dict[FontFile, Any] = {}  # parsed faces of this process, by file and index
_maps: dict[str, mmap.mmap] = {}  # the open memory maps, by path


def set_cache_dir(folder: str | os.PathLike[str] | None) -> None:
    """Where parsed font tables are kept between runs (``None``: in memory only)."""
    global _cache_dir
    _cache_dir = Path(folder) if folder is not None else None


def cache_dir() -> Path | None:
    return _cache_dir


def _key(face: FontFile) -> tuple[str, int, int, int, str, int]:
    import reportlab

    st = os.stat(face.path)
    return (os.path.abspath(face.path), st.st_size, st.st_mtime_ns, face.index, reportlab.Version, FORMAT)


def _cache_file(key: tuple[object, ...]) -> Path | None:
    if _cache_dir is None:
        return None
    digest = hashlib.sha1(repr(key).encode("utf-8")).hexdigest()[:24]
    return _cache_dir / f"{digest}.ttf-tables"


def _data(path: str) -> mmap.mmap | bytes:
    m = _maps.get(path)
    if m is None:
        with open(path, "rb") as f:
            try:
                m = _maps[path] = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):  # an empty or unmappable file: read it
                return f.read()
    return m


def _face_class() -> type:
    from reportlab.pdfbase.ttfonts import TTFontFace

    class CachedFace(TTFontFace):  # type: ignore[misc]
        """A ``TTFontFace`` restored from the parsed tables; the file is mapped on first use
        (when a subset is written)."""

        @property
        def _ttf_data(self) -> mmap.mmap | bytes:
            return _data(self.filename)

        @_ttf_data.setter
        def _ttf_data(self, value: object) -> None:  # ReportLab's parser assigns it
            pass

        @property
        def glyphToChar(self) -> dict[int, list[int]]:
            """Glyph -> characters, made from the cached arrays when first asked for (only
            text shaping reads it)."""
            found = self.__dict__.get("_ud_glyph_to_char")
            if found is None or isinstance(found, tuple):
                found = self.__dict__["_ud_glyph_to_char"] = _glyph_to_char(*found) if found else {}
            return found

        @glyphToChar.setter
        def glyphToChar(self, value: dict[int, list[int]]) -> None:
            self.__dict__["_ud_glyph_to_char"] = value

        def get_table(self, tag: str) -> Any:
            """A table's bytes; the glyph table as a view that reads only the glyphs a subset
            takes (ReportLab's ``makeSubset`` would copy all of it: 10–20 MB for a CJK face)."""
            pos, length = self.get_table_pos(tag)
            if tag == "glyf":
                return GlyphTable(self._ttf_data, pos, length)
            return self._ttf_data[pos:pos + length]

    return CachedFace


class GlyphTable:
    """A table of a mapped font file, sliced without copying the rest: ``table[a:b]`` reads
    just those bytes (and pages in just those pages)."""

    def __init__(self, data: mmap.mmap | bytes, start: int, length: int) -> None:
        self._data, self._start, self._length = data, start, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, part: slice) -> bytes:
        if not isinstance(part, slice) or part.step not in (None, 1):
            raise TypeError("GlyphTable supports plain slices only")
        a, b, _ = part.indices(self._length)
        return bytes(self._data[self._start + a:self._start + max(a, b)])


class MetricPairs:
    """``hmetrics`` from two flat arrays: ``pairs[glyph]`` is (advance, left side bearing)."""

    def __init__(self, advances: array[int], bearings: array[int]) -> None:
        self._a, self._b = advances, bearings

    def __len__(self) -> int:
        return len(self._a)

    def __getitem__(self, i: int) -> tuple[int, int]:
        return self._a[i], self._b[i]


def _ints(values: Any) -> bytes:
    return array("q", values).tobytes()


def _array(blob: bytes) -> array[int]:
    a = array("q")
    a.frombytes(blob)
    return a


def _pack(state: dict[str, Any]) -> dict[str, Any]:
    """The state as stored: the tables only a PDF subset reads (a few hundred of their ~30,000
    entries) as bytes of 64-bit integers, read back as arrays in microseconds rather than rebuilt
    as lists of Python objects (a table holding anything but integers, as some fonts' metrics
    do, is stored as it is)."""
    out = dict(state)
    packed: dict[str, Any] = {}
    pos, hm, g2c = state.get("glyphPos"), state.get("hmetrics"), state.get("glyphToChar")
    if isinstance(pos, list) and _all_ints(pos):
        packed["glyphPos"] = _ints(pos)
    if isinstance(hm, list) and all(len(p) == 2 and _all_ints(p) for p in hm):
        packed["hmetrics"] = (_ints(a for a, _b in hm), _ints(b for _a, b in hm))
    if isinstance(g2c, dict) and _all_ints(g2c) and all(_all_ints(v) for v in g2c.values()):
        packed["glyphToChar"] = (_ints(g2c), _ints(len(v) for v in g2c.values()),
                                 _ints(c for v in g2c.values() for c in v))
    for k in packed:
        del out[k]
    out["_ud_packed"] = packed
    return out


def _all_ints(values: Any) -> bool:
    return all(v.__class__ is int and -(2**63) <= v < 2**63 for v in values)


def _unpack(state: dict[str, Any]) -> dict[str, Any]:
    packed = state.pop("_ud_packed")
    if "glyphPos" in packed:
        state["glyphPos"] = _array(packed["glyphPos"])
    if "hmetrics" in packed:
        state["hmetrics"] = MetricPairs(*map(_array, packed["hmetrics"]))
    if "glyphToChar" in packed:
        state["glyphToChar"] = tuple(packed["glyphToChar"])  # made into the dict when first asked for
    return state


def _glyph_to_char(keys: bytes, counts: bytes, chars: bytes) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    flat = _array(chars)
    i = 0
    for key, n in zip(_array(keys), _array(counts), strict=True):
        out[key] = flat[i:i + n].tolist()
        i += n
    return out


_CLASS: list[type] = []


def _restore(state: dict[str, Any], names: list[str]) -> Any:
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    if not _CLASS:
        _CLASS.append(_face_class())
    face = _CLASS[0].__new__(_CLASS[0])
    state = dict(state)
    glyph_to_char = state.pop("glyphToChar", None)
    face.__dict__.update(state)
    face.__dict__["_ud_glyph_to_char"] = glyph_to_char
    for k in names:
        face.__dict__[k] = TTFNameBytes(state[k])
    upm = face.unitsPerEm
    face._pdfScale = (lambda x: x) if upm == 1000 else (lambda x, m=1000 / upm: x * m)
    return face


def _parse(face: FontFile) -> tuple[dict[str, Any], list[str]]:
    """ReportLab's own parse of the face: the plain-data state and which names are name bytes."""
    from reportlab.pdfbase.ttfonts import TTFError, TTFNameBytes, TTFontFace

    try:
        parsed = TTFontFace(face.path, validate=0, subfontIndex=face.index)
    except (TTFError, OSError, ValueError, struct.error, IndexError, KeyError) as exc:
        raise BadFontFile(f"无法读取字体“{Path(face.path).name}”：{exc}") from exc
    state = {k: v for k, v in parsed.__dict__.items() if k not in ("_ttf_data", "_pdfScale")}
    names = [k for k, v in state.items() if isinstance(v, TTFNameBytes)]
    for k in names:
        state[k] = bytes(state[k])
    return state, names


def load_face(face: FontFile) -> Any:
    """The parsed face (a ReportLab ``TTFontFace``): from this process, the cache folder, or
    parsed now and stored. Raises :class:`BadFontFile` for a file ReportLab cannot read."""
    with LOCK:
        found = _faces.get(face)
        if found is not None:
            return found
        try:
            key = _key(face)
        except OSError as exc:
            raise BadFontFile(f"找不到字体文件：{face.path}") from exc
        target = _cache_file(key)
        loaded = _read_cache(target, key) if target is not None else None
        if loaded is None:
            loaded = _parse(face)
            if target is not None:
                _write_cache(target, key, loaded)
        result = _faces[face] = _restore(*loaded)
        return result


def _read_cache(target: Path, key: tuple[object, ...]) -> tuple[dict[str, Any], list[str]] | None:
    try:
        blob = target.read_bytes()
    except OSError:
        return None
    try:
        stored_key, state, names = marshal.loads(blob)
        if tuple(stored_key) != key or not isinstance(state, dict) or not isinstance(names, list):
            raise ValueError("stale")
        if not all(k in state for k in ("charToGlyph", "charWidths", "unitsPerEm", "table", "_ud_packed")):
            raise ValueError("incomplete")
        return _unpack(state), names
    except Exception as exc:  # damaged, truncated or from another version: rebuild
        log.warning("font cache %s ignored (%s); parsing the font again", target.name, exc)
        return None


def _write_cache(target: Path, key: tuple[object, ...], loaded: tuple[dict[str, Any], list[str]]) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.{os.getpid()}.part")
        partial.write_bytes(marshal.dumps((list(key), _pack(loaded[0]), loaded[1])))
        os.replace(partial, target)
    except (OSError, ValueError) as exc:  # a read-only data folder only costs speed
        log.warning("font cache not written to %s: %s", target, exc)


def forget() -> None:
    """Drop the parsed faces of this process (tests)."""
    with LOCK:
        _faces.clear()


@functools.cache
def _lazy_class() -> type:
    from reportlab.pdfbase.ttfonts import TTFont

    class LazyTTFont(TTFont):  # type: ignore[misc]
        @property
        def face(self) -> Any:
            loaded = self.__dict__.get("_ud_face")
            if loaded is None:
                loaded = self.__dict__["_ud_face"] = load_face(self.ud_file)
            return loaded

    return LazyTTFont


def lazy_font(name: str, face: FontFile) -> Any:
    """A ReportLab ``TTFont`` named ``name`` whose face is loaded on first use."""
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding

    cls = _lazy_class()
    font = cls.__new__(cls)
    font.fontName = name
    font.ud_file = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font._shapable = False
    return font


def is_loaded(font: Any) -> bool:
    """Whether a font from :func:`lazy_font` has read its face (tests, the bench)."""
    return "_ud_face" in getattr(font, "__dict__", {})


def inspect_font_file(path: str | os.PathLike[str], index: int | None = None) -> FontFile:
    """Check a font file the clerk picked; the face ReportLab would use, or :class:`BadFontFile`.

    ``index`` picks a member of a ``.ttc``; by default its first TrueType member.
    A path may also end in ``#N`` to name the member (``simsun.ttc#1`` is 新宋体).
    """
    text = os.fspath(path)
    if index is None and "#" in text:
        base, _, tail = text.rpartition("#")
        if tail.isdigit() and Path(base).is_file():
            text, index = base, int(tail)
    p = Path(text)
    if not p.is_file():
        raise BadFontFile(f"找不到字体文件：{text}")
    faces = truetype_faces(p)
    if not faces:
        raise BadFontFile(
            f"“{p.name}”不是 TrueType 字体（.ttf 或 .ttc）。"
            "OpenType/CFF 字体（.otf，如 Noto CJK、思源）无法嵌入 PDF，请另选一个字体文件。"
        )
    chosen = faces[0] if index is None else index
    if chosen not in faces:
        raise BadFontFile(f"字体集“{p.name}”中没有第 {chosen} 号 TrueType 字体。")
    face = FontFile(str(p), chosen)
    if not embeddable(face):
        raise BadFontFile(f"字体“{p.name}”无法读取或不允许嵌入 PDF，请另选一个字体文件。")
    try:
        load_face(face)  # ReportLab can parse it (and the parsed tables are kept)
    except BadFontFile as exc:
        raise BadFontFile(f"字体“{p.name}”无法读取或不允许嵌入 PDF，请另选一个字体文件。") from exc
    return face
