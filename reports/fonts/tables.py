"""Reading a font's header cheaply: its family names, weight, whether it is a CJK TrueType face
that may be embedded, and its style (楷/宋/黑/仿宋). Only the table directory, ``name`` and
``OS/2`` are read (a few kilobytes), never the outlines, so the settings page can list every
font on a Windows machine in well under a second."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

#: the styles a fallback prefers to stay within (a Kai name falls back to a Kai face first)
STYLES = ("kai", "song", "hei", "fang")
_STYLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # fangsong before song: "fangsong" contains "song"
    ("fang", ("fang", "仿宋")),
    ("kai", ("kai", "楷")),
    ("song", ("song", "sun", "ming", "mincho", "hanamin", "宋", "明")),
    ("hei", ("hei", "yahei", "msyh", "gothic", "sans", "黑")),
)
_LANG_ZH = (0x0804, 0x1004, 0x0404, 0x0C04, 0x1404)  # zh-CN, zh-SG, zh-TW, zh-HK, zh-MO


def style_of(*names: str) -> str:
    """``kai``, ``song``, ``hei`` or ``fang`` from a file or family name; ``""`` when unknown."""
    text = " ".join(names).lower().replace(" ", "").replace("-", "")
    for style, words in _STYLE_WORDS:
        if any(w in text for w in words):
            return style
    return ""


@dataclass(frozen=True)
class FaceInfo:
    """What the header says about one face (member ``index`` of the file)."""

    path: str
    index: int
    family: str  # the English (or first) family name: the key stored in the settings
    family_zh: str  # the Chinese family name when the font has one (宋体, 霞鹜文楷), else ""
    subfamily: str  # Regular, Bold, Light ...
    weight: int  # OS/2 usWeightClass (400 regular, 700 bold)
    cjk: bool  # covers simplified Chinese (OS/2 code page GB2312 or Unicode range CJK)
    embeddable: bool  # OS/2 fsType allows embedding in a PDF

    @property
    def label(self) -> str:
        return self.family_zh or self.family

    @property
    def style(self) -> str:
        return style_of(self.family, self.family_zh, Path(self.path).stem)


def _tables(data: bytes, offset: int) -> dict[bytes, tuple[int, int]]:
    version = data[offset:offset + 4]
    if version not in (b"\x00\x01\x00\x00", b"true"):
        return {}  # CFF (OTTO) or not a font: ReportLab cannot embed it
    (count,) = struct.unpack_from(">H", data, offset + 4)
    out: dict[bytes, tuple[int, int]] = {}
    for i in range(count):
        tag, _sum, pos, length = struct.unpack_from(">4sLLL", data, offset + 12 + 16 * i)
        out[tag] = (pos, length)
    return out


def _names(read: object, pos: int, length: int) -> dict[tuple[int, int], str]:
    """{(name id, language id): text} from the ``name`` table (Windows Unicode records)."""
    raw: bytes = read(pos, length)  # type: ignore[operator]
    _fmt, count, storage = struct.unpack_from(">HHH", raw, 0)
    out: dict[tuple[int, int], str] = {}
    for i in range(count):
        platform, _enc, lang, name_id, size, at = struct.unpack_from(">HHHHHH", raw, 6 + 12 * i)
        if platform != 3 or name_id not in (1, 2, 16, 17):
            continue
        chunk = raw[storage + at:storage + at + size]
        try:
            out.setdefault((name_id, lang), chunk.decode("utf-16-be").strip("\x00 "))
        except UnicodeDecodeError:
            continue
    return out


def read_faces(path: str | Path) -> list[FaceInfo]:
    """Every TrueType face in a ``.ttf``/``.ttc`` file with its header facts; ``[]`` for
    anything ReportLab cannot use (CFF/OpenType, a damaged file)."""
    p = Path(path)
    try:
        with p.open("rb") as f:

            def read(pos: int, length: int) -> bytes:
                f.seek(pos)
                return f.read(length)

            head = read(0, 12)
            if head[:4] == b"ttcf":
                (count,) = struct.unpack_from(">L", head, 8)
                if not 0 < count < 256:
                    return []
                offsets = list(struct.unpack(f">{count}L", read(12, 4 * count)))
            else:
                offsets = [0]
            faces = []
            for index, offset in enumerate(offsets):
                directory = read(offset, 12 + 16 * 64)
                tables = _tables(directory, 0)
                if not tables or b"glyf" not in tables or b"name" not in tables:
                    continue
                faces.append(_face(str(p), index, tables, read))
            return faces
    except (OSError, struct.error, ValueError):
        return []


def _face(path: str, index: int, tables: dict[bytes, tuple[int, int]], read: object) -> FaceInfo:
    names = _names(read, *tables[b"name"])

    def pick(*ids: int, chinese: bool = False) -> str:
        for name_id in ids:
            langs = _LANG_ZH if chinese else (0x0409,)
            for lang in langs:
                if names.get((name_id, lang)):
                    return names[(name_id, lang)]
            if not chinese:
                for (nid, _lang), text in names.items():
                    if nid == name_id and text:
                        return text
        return ""

    weight, fs_type, cjk = 400, 0, False
    if b"OS/2" in tables:
        pos, length = tables[b"OS/2"]
        os2: bytes = read(pos, min(length, 96))  # type: ignore[operator]
        if len(os2) >= 10:
            weight, _w, fs_type = struct.unpack_from(">HHH", os2, 4)
        if len(os2) >= 86:
            (range2,) = struct.unpack_from(">L", os2, 46)  # ulUnicodeRange2: bit 59-32 = CJK ideographs
            (pages,) = struct.unpack_from(">L", os2, 78)  # ulCodePageRange1: bits 17-21 = CJK code pages
            cjk = bool(pages & (0b11111 << 17)) or (not pages and bool(range2 & (1 << 27)))  # JIS GB KSC Big5 Johab
    embeddable = not (fs_type == 0x0002 or fs_type & 0x0300)
    family = pick(16, 1) or Path(path).stem
    return FaceInfo(path=path, index=index, family=family, family_zh=pick(16, 1, chinese=True),
                    subfamily=pick(17, 2) or "Regular", weight=weight, cjk=cjk, embeddable=embeddable)
