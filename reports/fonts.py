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

import os
import struct
import sys
import threading
import unicodedata
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
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
]

ROLES: tuple[str, ...] = ("title", "name", "body", "rare")

#: shipped fonts, if any (data, not code); looked at before the system folders
RESOURCE_FONTS = Path(__file__).resolve().parent.parent / "resources" / "fonts"

# File names per role, best first (matched case-insensitively). Windows fonts first:
# on a Linux box they are absent and the open fonts after them are used.
_CANDIDATES: dict[str, tuple[str, ...]] = {
    "title": (
        "simhei.ttf",  # 黑体
        "msyhbd.ttc",  # 微软雅黑 Bold
        "msyh.ttc",  # 微软雅黑
        "simsun.ttc",
        "LXGWWenKai-Bold.ttf",
        "wqy-zenhei.ttc",
        "LXGWWenKai-Regular.ttf",
        "wqy-microhei.ttc",
        "uming.ttc",
        "ukai.ttc",
        "DroidSansFallbackFull.ttf",
        "DroidSansFallback.ttf",
    ),
    "name": (
        "simkai.ttf",  # 楷体
        "STKAITI.TTF",  # 华文楷体 (Office)
        "simsun.ttc",
        "LXGWWenKai-Regular.ttf",
        "ukai.ttc",
        "uming.ttc",
        "wqy-zenhei.ttc",
        "wqy-microhei.ttc",
        "DroidSansFallbackFull.ttf",
        "DroidSansFallback.ttf",
    ),
    "body": (
        "simsun.ttc",  # 宋体
        "simfang.ttf",  # 仿宋
        "simkai.ttf",
        "msyh.ttc",
        "simhei.ttf",
        "LXGWWenKai-Regular.ttf",
        "uming.ttc",
        "ukai.ttc",
        "wqy-microhei.ttc",
        "wqy-zenhei.ttc",
        "DroidSansFallbackFull.ttf",
        "DroidSansFallback.ttf",
    ),
    "rare": (
        "simsunb.ttf",  # SimSun-ExtB
        "SimSunExtG.ttf",  # SimSun-ExtG (Windows 11)
        "HanaMinA.ttf",  # 花园明朝 A: BMP and Extension A
        "HanaMinB.ttf",  # 花园明朝 B: Extensions B to F (outside the BMP)
    ),
}

# Chinese labels for the known files (settings page, messages).
_LABELS: dict[str, str] = {
    "simhei.ttf": "黑体",
    "simkai.ttf": "楷体",
    "simsun.ttc": "宋体",
    "simfang.ttf": "仿宋",
    "simsunb.ttf": "宋体-ExtB",
    "simsunextg.ttf": "宋体-ExtG",
    "msyh.ttc": "微软雅黑",
    "msyhbd.ttc": "微软雅黑 粗体",
    "stkaiti.ttf": "华文楷体",
    "lxgwwenkai-regular.ttf": "霞鹜文楷",
    "lxgwwenkai-bold.ttf": "霞鹜文楷 粗体",
    "ukai.ttc": "文鼎 PL 中楷",
    "uming.ttc": "文鼎 PL 明体",
    "wqy-zenhei.ttc": "文泉驿正黑",
    "wqy-microhei.ttc": "文泉驿微米黑",
    "droidsansfallbackfull.ttf": "Droid Sans Fallback",
    "droidsansfallback.ttf": "Droid Sans Fallback",
    "hanamina.ttf": "花园明朝 A",
    "hanaminb.ttf": "花园明朝 B",
}

_FONT_SUFFIXES = (".ttf", ".ttc")


class FontError(Exception):
    """A font problem, with a Chinese message fit to show the clerk."""


class FontMissing(FontError):
    """No usable Chinese TrueType font on this machine."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _missing_message())


class BadFontFile(FontError):
    """A font file the clerk chose cannot be used (missing, not TrueType, not embeddable)."""


def _missing_message() -> str:
    if sys.platform == "win32":
        return (
            "找不到可用的中文字体。宋体、楷体、黑体是 Windows 自带的字体"
            "（C:\\Windows\\Fonts 中的 simsun.ttc、simkai.ttf、simhei.ttf），"
            "请确认它们没有被删除，或在“设置”中指定一个 TrueType 字体文件（.ttf 或 .ttc）。"
        )
    return (
        "找不到可用的中文 TrueType 字体。请安装霞鹜文楷：sudo apt install fonts-lxgw-wenkai"
        "（生僻字另装 fonts-hanazono），或在“设置”中指定一个 TrueType 字体文件（.ttf 或 .ttc）。"
        "OpenType/CFF 字体（.otf，如 Noto CJK）无法嵌入 PDF。"
    )


@dataclass(frozen=True)
class FontFile:
    """One TrueType face: a ``.ttf``, or member ``index`` of a ``.ttc`` collection."""

    path: str
    index: int = 0

    @property
    def font_name(self) -> str:
        """The name it is registered under in ReportLab (stable per file and index)."""
        stem = "".join(c for c in Path(self.path).stem if c.isascii() and (c.isalnum() or c in "-_"))
        name = f"UD-{stem or 'font'}"
        if self.path.lower().endswith(".ttc"):
            name += f"-{self.index}"
        # two different files with the same stem (rare) must not share a name
        if _registered_paths.get(name, self) != self:
            name += f"-{zlib.crc32(self.path.encode('utf-8')):08x}"
        return name

    @property
    def label(self) -> str:
        """A Chinese label for the settings page: 宋体, 霞鹜文楷 ... or the file name."""
        return _LABELS.get(Path(self.path).name.lower(), Path(self.path).name)


@dataclass(frozen=True)
class FontSet:
    """The chosen face per role. ``rare`` lists the fallbacks in the order tried."""

    title: FontFile
    name: FontFile
    body: FontFile
    rare: tuple[FontFile, ...] = ()
    overridden: frozenset[str] = field(default_factory=frozenset)

    def role(self, role: str) -> FontFile | None:
        """The face for ``role`` (``"rare"``: the first fallback, or ``None``)."""
        if role == "rare":
            return self.rare[0] if self.rare else None
        if role not in ("title", "name", "body"):
            raise KeyError(role)
        face: FontFile = getattr(self, role)
        return face

    def path(self, role: str) -> str | None:
        face = self.role(role)
        return face.path if face else None

    def describe(self) -> list[str]:
        """One Chinese line per role, for the settings page and ``--verbose`` output."""
        names = {"title": "标题", "name": "姓名", "body": "正文", "rare": "生僻字"}
        lines = []
        for role in ROLES:
            faces = self.rare if role == "rare" else (self.role(role),)
            for face in faces:
                if face is not None:
                    lines.append(f"{names[role]}：{face.label}（{face.path}）")
            if role == "rare" and not self.rare:
                lines.append(f"{names[role]}：无")
        return lines


# --------------------------------------------------------------------------- checks


def _ttc_truetype_members(head: bytes, data_reader: Path) -> list[int]:
    """Indexes of the TrueType (not CFF) members of a TrueType collection."""
    if len(head) < 12:
        return []
    count = struct.unpack(">I", head[8:12])[0]
    if not 0 < count < 256:
        return []
    members: list[int] = []
    with data_reader.open("rb") as f:
        f.seek(12)
        raw = f.read(4 * count)
        if len(raw) < 4 * count:
            return []
        for i, offset in enumerate(struct.unpack(f">{count}I", raw)):
            f.seek(offset)
            if f.read(4) in (b"\x00\x01\x00\x00", b"true"):
                members.append(i)
    return members


def _truetype_faces(path: Path) -> list[int]:
    """Subfont indexes usable by ReportLab: ``[0]`` for a TrueType ``.ttf``, the TrueType
    members of a ``.ttc``, ``[]`` for CFF/OpenType (``OTTO``) or anything else."""
    try:
        with path.open("rb") as f:
            head = f.read(12)
    except OSError:
        return []
    tag = head[:4]
    if tag in (b"\x00\x01\x00\x00", b"true"):
        return [0]
    if tag == b"ttcf":
        try:
            return _ttc_truetype_members(head, path)
        except (OSError, struct.error):
            return []
    return []


def _embeddable(face: FontFile) -> bool:
    """ReportLab can parse the tables and the font allows embedding (cheap: no cmap)."""
    from reportlab.pdfbase.ttfonts import TTFError, TTFontFile

    try:
        TTFontFile(face.path, charInfo=0, validate=0, subfontIndex=face.index)
    except (TTFError, OSError, ValueError, struct.error, IndexError, KeyError):
        return False
    return True


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
    faces = _truetype_faces(p)
    if not faces:
        raise BadFontFile(
            f"“{p.name}”不是 TrueType 字体（.ttf 或 .ttc）。"
            "OpenType/CFF 字体（.otf，如 Noto CJK、思源）无法嵌入 PDF，请另选一个字体文件。"
        )
    chosen = faces[0] if index is None else index
    if chosen not in faces:
        raise BadFontFile(f"字体集“{p.name}”中没有第 {chosen} 号 TrueType 字体。")
    face = FontFile(str(p), chosen)
    if not _embeddable(face):
        raise BadFontFile(f"字体“{p.name}”无法读取或不允许嵌入 PDF，请另选一个字体文件。")
    return face


# ------------------------------------------------------------------------ discovery


def _default_dirs() -> list[Path]:
    dirs: list[Path] = []
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT") or r"C:\Windows"
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        return dirs
    home = Path.home()
    xdg = os.environ.get("XDG_DATA_HOME")
    dirs += [Path(xdg) / "fonts"] if xdg else []
    dirs += [home / ".local" / "share" / "fonts", home / ".fonts"]
    if sys.platform == "darwin":
        dirs += [home / "Library" / "Fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    dirs += [Path("/usr/local/share/fonts"), Path("/usr/share/fonts")]
    return dirs


def _index_fonts(dirs: Sequence[Path]) -> dict[str, Path]:
    """Lower-case file name -> first path found, over ``dirs`` (recursively) in order."""
    found: dict[str, Path] = {}
    for root in dirs:
        if not root.is_dir():
            continue
        for dirpath, _dirnames, filenames in os.walk(root, followlinks=False):
            for fn in filenames:
                low = fn.lower()
                if low.endswith(_FONT_SUFFIXES) and low not in found:
                    found[low] = Path(dirpath) / fn
    return found


_lock = threading.RLock()
_index_cache: dict[tuple[str, ...], dict[str, Path]] = {}
_face_cache: dict[str, list[int]] = {}
_embed_cache: dict[FontFile, bool] = {}
_registered_paths: dict[str, FontFile] = {}


def clear_cache() -> None:
    """Forget the folder scan (after the clerk installs a font). Registrations stay."""
    with _lock:
        _index_cache.clear()
        _face_cache.clear()
        _embed_cache.clear()


def _usable(path: Path) -> FontFile | None:
    key = str(path)
    faces = _face_cache.get(key)
    if faces is None:
        faces = _face_cache[key] = _truetype_faces(path)
    if not faces:
        return None
    face = FontFile(key, faces[0])
    ok = _embed_cache.get(face)
    if ok is None:
        ok = _embed_cache[face] = _embeddable(face)
    return face if ok else None


def _pick(names: Iterable[str], index: Mapping[str, Path], limit: int | None = None) -> list[FontFile]:
    """The usable faces among ``names`` in order (at most ``limit``); files are opened
    only until the limit is reached."""
    out: list[FontFile] = []
    seen: set[str] = set()
    for name in names:
        path = index.get(name.lower())
        if path is None:
            continue
        real = os.path.realpath(path)
        if real in seen:
            continue
        face = _usable(path)
        if face is not None:
            seen.add(real)
            out.append(face)
            if limit is not None and len(out) >= limit:
                break
    return out


def find_fonts(
    override: Mapping[str, str] | None = None,
    *,
    search_dirs: Sequence[str | os.PathLike[str]] | None = None,
) -> FontSet:
    """Choose a TrueType face per role.

    ``override`` maps a role (``title``, ``name``, ``body``, ``rare``) to a font file the
    clerk chose in Settings; it wins over everything found (empty values are ignored, a
    bad file is :class:`BadFontFile`). ``search_dirs`` replaces the system folders (tests);
    ``resources/fonts/`` is always looked at first. Roles without a font of their own
    borrow the body font. Raises :class:`FontMissing` when there is no CJK font at all.
    """
    override = {k: v for k, v in (override or {}).items() if v}
    unknown = set(override) - set(ROLES)
    if unknown:
        raise KeyError(f"unknown font roles: {sorted(unknown)}")
    chosen: dict[str, FontFile] = {role: inspect_font_file(path) for role, path in override.items()}

    dirs = [RESOURCE_FONTS, *(Path(d) for d in (search_dirs if search_dirs is not None else _default_dirs()))]
    key = tuple(str(d) for d in dirs)
    with _lock:
        index = _index_cache.get(key)
        if index is None:
            index = _index_cache[key] = _index_fonts(dirs)
        shipped = (
            [p.name for p in sorted(RESOURCE_FONTS.glob("*")) if p.suffix.lower() in _FONT_SUFFIXES]
            if RESOURCE_FONTS.is_dir()
            else []
        )
        faces: dict[str, list[FontFile]] = {}
        for role in ("title", "name", "body"):
            if role in chosen:
                faces[role] = [chosen[role]]
            else:
                # known names first; anything else shipped in resources/fonts last
                faces[role] = _pick([*_CANDIDATES[role], *shipped], index, limit=1)
        rare = _pick(_CANDIDATES["rare"], index)

    body_list = faces["body"] or faces["name"] or faces["title"]
    if not body_list:
        raise FontMissing()
    body = body_list[0]
    rare_faces = tuple(f for f in rare if f not in (body,))
    if "rare" in chosen:
        rare_faces = (chosen["rare"], *(f for f in rare_faces if f != chosen["rare"]))
    return FontSet(
        title=(faces["title"] or [body])[0],
        name=(faces["name"] or [body])[0],
        body=body,
        rare=rare_faces,
        overridden=frozenset(chosen),
    )


# --------------------------------------------------------------------- registration


def _register(face: FontFile) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    name = face.font_name
    if _registered_paths.get(name) == face:
        return name
    try:
        font = TTFont(name, face.path, subfontIndex=face.index)
    except (TTFError, OSError, ValueError, struct.error, IndexError, KeyError) as exc:
        raise BadFontFile(f"无法读取字体“{Path(face.path).name}”：{exc}") from exc
    pdfmetrics.registerFont(font)
    _registered_paths[name] = face
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
    with _lock:
        names = {role: _register(getattr(fontset, role)) for role in ("title", "name", "body")}
        rare = [_register(f) for f in fontset.rare]
    names["rare"] = rare[0] if rare else names["body"]
    return names


def fallback_names(fontset: FontSet) -> list[str]:
    """Registered names to try, in order, for a character the primary font lacks:
    the role fonts (body, name, title), then the rare-character fonts."""
    names = register_fonts(fontset)
    chain: list[str] = []
    with _lock:
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


def _sticks(ch: str) -> bool:
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
        if buf and _sticks(ch):
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
