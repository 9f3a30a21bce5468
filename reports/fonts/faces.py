"""What a font is to the reports: a TrueType face (a file, or a member of a collection), the set
chosen per role, the errors, and the checks that a file the clerk picked can be embedded."""

from __future__ import annotations

import struct
import sys
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path

ROLES: tuple[str, ...] = ("title", "name", "body", "rare")
FONT_SUFFIXES = (".ttf", ".ttc")

#: guards the caches and the registrations below (reports run on worker threads)
LOCK = threading.RLock()
#: registered ReportLab font name -> the face registered under it
REGISTERED: dict[str, FontFile] = {}

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
        if REGISTERED.get(name, self) != self:
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
    #: other faces found, tried after ``rare`` (a Kai name's fallback prefers a Kai face among them)
    extra: tuple[FontFile, ...] = ()
    #: (role, family) chosen in Settings but not installed on this machine (the usual choice was used)
    missing: tuple[tuple[str, str], ...] = ()

    @property
    def notice(self) -> str:
        """A Chinese message when a family chosen in Settings is missing here, else ``""``."""
        if not self.missing:
            return ""
        names = {"title": "标题", "name": "姓名", "body": "正文", "rare": "生僻字"}
        parts = [f"{names.get(role, role)}“{family}”" for role, family in self.missing]
        used = "、".join(f"{names[r]}用“{self.role(r).label}”" for r, _f in self.missing
                         if r != "rare" and self.role(r) is not None)
        return (f"本机没有设置中选定的字体：{'、'.join(parts)}，已改用本机找到的字体"
                + (f"（{used}）" if used else "") + "。请在本机安装该字体，使各台电脑印出的证书一致。")

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


def truetype_faces(path: Path) -> list[int]:
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


def embeddable(face: FontFile) -> bool:
    """The face is TrueType and its licence allows embedding (its header only: cheap)."""
    from reports.fonts.tables import read_faces

    return any(i.index == face.index and i.embeddable for i in read_faces(face.path))
