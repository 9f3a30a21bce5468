"""Finding the fonts: the known file names per role, the folders searched, the choice per role."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from reports.fonts.cache import inspect_font_file
from reports.fonts.faces import (
    FONT_SUFFIXES,
    LOCK,
    ROLES,
    FontFile,
    FontMissing,
    FontSet,
    embeddable,
    truetype_faces,
)
from reports.fonts.families import Family, families_from, find_family

log = logging.getLogger(__name__)

#: shipped fonts, if any (data, not code); looked at before the system folders
RESOURCE_FONTS = Path(__file__).resolve().parent.parent.parent / "resources" / "fonts"

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

# Further faces tried for a rare character after the rare-character fonts, so that a Kai name
# finds a Kai face that has it (styles: reports.fonts.tables.style_of). Registered lazily:
# a face here costs nothing until a character needs it.
_EXTRA: tuple[str, ...] = (
    "simkai.ttf", "STKAITI.TTF", "LXGWWenKai-Regular.ttf", "ukai.ttc",
    "simsun.ttc", "uming.ttc", "simfang.ttf",
    "simhei.ttf", "msyh.ttc", "wqy-zenhei.ttc", "wqy-microhei.ttc",
)


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
                if low.endswith(FONT_SUFFIXES) and low not in found:
                    found[low] = Path(dirpath) / fn
    return found


_index_cache: dict[tuple[str, ...], dict[str, Path]] = {}
_face_cache: dict[str, list[int]] = {}
_embed_cache: dict[FontFile, bool] = {}


_family_cache: dict[tuple[str, ...], list[Family]] = {}
_warned: set[tuple[str, str]] = set()
_notices: list[str] = []


def clear_cache() -> None:
    """Forget the folder scan (after the clerk installs a font). Registrations stay."""
    with LOCK:
        _index_cache.clear()
        _face_cache.clear()
        _embed_cache.clear()
        _family_cache.clear()


def take_notice() -> str:
    """The message about fonts chosen in Settings but missing on this machine, once: the
    first call after :func:`find_fonts` fell back returns it, later calls ``""``."""
    with LOCK:
        text = "\n".join(_notices)
        _notices.clear()
    return text


def _dirs(search_dirs: Sequence[str | os.PathLike[str]] | None) -> list[Path]:
    return [RESOURCE_FONTS, *(Path(d) for d in (search_dirs if search_dirs is not None else _default_dirs()))]


def _index(dirs: Sequence[Path]) -> dict[str, Path]:
    key = tuple(str(d) for d in dirs)
    with LOCK:
        index = _index_cache.get(key)
        if index is None:
            index = _index_cache[key] = _index_fonts(dirs)
        return index


def list_families(search_dirs: Sequence[str | os.PathLike[str]] | None = None) -> list[Family]:
    """Every embeddable CJK TrueType family found (``resources/fonts`` and the system folders),
    for the settings page. Reads only the fonts' headers."""
    dirs = _dirs(search_dirs)
    key = tuple(str(d) for d in dirs)
    with LOCK:
        found = _family_cache.get(key)
        if found is None:
            found = _family_cache[key] = families_from(str(p) for p in _index(dirs).values())
        return list(found)


def _usable(path: Path) -> FontFile | None:
    key = str(path)
    faces = _face_cache.get(key)
    if faces is None:
        faces = _face_cache[key] = truetype_faces(path)
    if not faces:
        return None
    face = FontFile(key, faces[0])
    ok = _embed_cache.get(face)
    if ok is None:
        ok = _embed_cache[face] = embeddable(face)
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
    families: Mapping[str, str] | None = None,
    search_dirs: Sequence[str | os.PathLike[str]] | None = None,
) -> FontSet:
    """Choose a TrueType face per role.

    ``families`` maps a role (``title``, ``name``, ``body``, ``rare``) to a family name chosen
    in Settings (stored in the database, so every seat uses the same); a family this machine
    lacks is skipped for the usual choice, logged once, and named in ``FontSet.notice`` and
    :func:`take_notice`. ``override`` maps a role to a font file (tests, ``--font``-style
    callers); it wins over everything (empty values are ignored, a bad file is
    :class:`BadFontFile`). ``search_dirs`` replaces the system folders (tests);
    ``resources/fonts/`` is always looked at first. Roles without a font of their own borrow
    the body font. Raises :class:`FontMissing` when there is no CJK font at all.
    """
    override = {k: v for k, v in (override or {}).items() if v}
    wanted = {k: v.strip() for k, v in (families or {}).items() if v and v.strip()}
    unknown = (set(override) | set(wanted)) - set(ROLES)
    if unknown:
        raise KeyError(f"unknown font roles: {sorted(unknown)}")
    chosen: dict[str, FontFile] = {role: inspect_font_file(path) for role, path in override.items()}
    missing: list[tuple[str, str]] = []
    family_rare: list[FontFile] = []
    if wanted:
        listed = list_families(search_dirs)
        for role, name in wanted.items():
            if role in chosen:
                continue
            fam = find_family(listed, name)
            if fam is None:
                missing.append((role, name))
            elif role == "rare":
                family_rare = [FontFile(f.path, f.index) for f in fam.faces]
            else:
                chosen[role] = fam.face_for(role)

    dirs = _dirs(search_dirs)
    index = _index(dirs)
    with LOCK:
        shipped = (
            [p.name for p in sorted(RESOURCE_FONTS.glob("*")) if p.suffix.lower() in FONT_SUFFIXES]
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
        extra = _pick(_EXTRA, index)

    body_list = faces["body"] or faces["name"] or faces["title"]
    if not body_list:
        raise FontMissing()
    body = body_list[0]
    rare_faces = tuple(f for f in (*family_rare, *rare) if f not in (body,))
    rare_faces = tuple(dict.fromkeys(rare_faces))
    if "rare" in chosen:
        rare_faces = (chosen["rare"], *(f for f in rare_faces if f != chosen["rare"]))
    title = (faces["title"] or [body])[0]
    name = (faces["name"] or [body])[0]
    used = {title, name, body, *rare_faces}
    result = FontSet(
        title=title,
        name=name,
        body=body,
        rare=rare_faces,
        overridden=frozenset(chosen),
        extra=tuple(f for f in extra if f not in used),
        missing=tuple(missing),
    )
    if missing:
        _say_once(result)
    return result


def _say_once(fontset: FontSet) -> None:
    with LOCK:
        fresh = [m for m in fontset.missing if m not in _warned]
        if not fresh:
            return
        _warned.update(fresh)
        _notices.append(fontset.notice)
    log.warning("fonts chosen in Settings are not installed here: %s; using %s instead",
                ", ".join(f"{r}={f}" for r, f in fresh), ", ".join(f"{r}={fontset.path(r)}" for r, _ in fresh))
