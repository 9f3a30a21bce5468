"""The CJK TrueType families on this machine, as the settings page lists them, and the face a
role takes from a family chosen by name (the name is what the database stores, so every seat
of an office that has the family prints with it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reports.fonts.faces import FontFile
from reports.fonts.tables import FaceInfo, read_faces

_STYLE_LABELS = {"kai": "楷体", "song": "宋体", "hei": "黑体", "fang": "仿宋"}


@dataclass(frozen=True)
class Family:
    """One font family: its name (stored in the settings), a Chinese label, its faces."""

    name: str
    label: str
    faces: tuple[FaceInfo, ...]

    @property
    def style(self) -> str:
        return next((f.style for f in self.faces if f.style), "")

    @property
    def style_label(self) -> str:
        return _STYLE_LABELS.get(self.style, "")

    def face_for(self, role: str) -> FontFile:
        """The face a role prints in: the boldest regular-width face for titles (Bold, else
        Regular), the one nearest regular weight for the rest; a plain ``Regular`` first."""
        target = 700 if role == "title" else 400

        def rank(f: FaceInfo) -> tuple[int, int, int]:
            odd = any(w in f.subfamily.lower() for w in ("italic", "oblique", "condensed"))
            return (odd, abs(f.weight - target), f.index)

        best = min(self.faces, key=rank)
        return FontFile(best.path, best.index)

    def has(self, family: str) -> bool:
        """Whether ``family`` (as stored, any case; the Chinese label also counts) names this family."""
        wanted = family.strip().casefold()
        return wanted in (self.name.casefold(), self.label.casefold())


def families_from(paths: Iterable[str]) -> list[Family]:
    """The embeddable CJK TrueType families among ``paths``, sorted by style then label."""
    grouped: dict[str, list[FaceInfo]] = {}
    for path in paths:
        for info in read_faces(path):
            if info.cjk and info.embeddable:
                grouped.setdefault(info.family, []).append(info)
    out = [Family(name, next((f.family_zh for f in faces if f.family_zh), name), tuple(faces))
           for name, faces in grouped.items()]
    order = {s: i for i, s in enumerate(("song", "kai", "hei", "fang", ""))}
    return sorted(out, key=lambda f: (order.get(f.style, 9), f.label))


def find_family(families: Iterable[Family], family: str) -> Family | None:
    return next((f for f in families if f.has(family)), None)
