"""Certificate template files: the built-ins and the clerk's own, read, checked and saved.

A template is a JSON file (``resources/certificates/*.json`` for the built-ins, the data
folder's ``templates/`` for the clerk's own; TOML is read too) holding a
:class:`~.model.Template`. Positions are the top-left corner of a field's box measured in
millimetres from the top-left corner of the page, after orientation. Field text carries
placeholders filled from each record (:mod:`.variables`); a part in square brackets that
holds a placeholder, ``[（{team}）]``, is left out when any placeholder in it is empty.

The layout-as-data shape follows pretix's ``base/pdf.py`` (see ANCHORS.md): the renderer
(:mod:`reports.certificates.render`) knows nothing of the database.
"""

from __future__ import annotations

import json
import logging
import os
import tomllib
from pathlib import Path

from .model import BORDER_STYLES, Background, QrBox, Template, TextField
from .schema import TemplateError, template_from_dict, template_to_dict

__all__ = [
    "BORDER_STYLES",
    "BUILTIN_DIR",
    "BUILTIN_KEYS",
    "Background",
    "QrBox",
    "Template",
    "TemplateError",
    "TextField",
    "all_templates",
    "builtin_templates",
    "image_inside",
    "load_template",
    "save_template",
]

log = logging.getLogger(__name__)

BUILTIN_DIR = Path(__file__).resolve().parents[2] / "resources" / "certificates"
#: the built-in templates, in the order they are listed; ``honour`` is the default; ``citation`` and
#: ``plaque`` are addressed to a unit (``Template.collective``)
BUILTIN_KEYS: tuple[str, ...] = ("honour", "award", "merit", "completion", "overlay", "citation", "plaque")


# ------------------------------------------------------------------------ files


def load_template(path: str | os.PathLike[str]) -> Template:
    """Read a template from a JSON (or TOML) file; :class:`TemplateError` with a Chinese
    message naming the file and the field when anything is wrong. A relative background
    image path is taken relative to the file's folder; a missing ``key`` is the file name."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise TemplateError(f"无法读取证书模板“{p.name}”：{exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TemplateError(f"证书模板“{p.name}”不是 UTF-8 编码的文本文件") from exc
    try:
        data = tomllib.loads(text) if p.suffix.lower() == ".toml" else json.loads(text)
    except json.JSONDecodeError as exc:
        raise TemplateError(f"证书模板“{p.name}”格式有误（第 {exc.lineno} 行第 {exc.colno} 列）：{exc.msg}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"证书模板“{p.name}”格式有误：{exc}") from exc
    if isinstance(data, dict) and "key" not in data:
        data = {"key": p.stem, **data}
    template = template_from_dict(data, where=f"证书模板“{p.name}”")
    bg = template.background
    if bg.image:
        bg.image = str(image_inside(p.parent, bg.image, f"证书模板“{p.name}”的 background.image（背景图片）"))
    return template


def _parts(name: str) -> list[str]:
    return [part for part in name.replace("\\", "/").split("/") if part not in ("", ".")]


def image_inside(folder: str | os.PathLike[str], name: str, what: str) -> Path:
    """The image ``name`` of a template in ``folder``, resolved; :class:`TemplateError` unless it
    is a relative path without ``..`` that stays inside the folder (symbolic links followed).

    A template is data a clerk may receive from anyone: it must not make the program open
    ``/etc/passwd`` or embed a picture from elsewhere on the machine.
    """
    from pathlib import PurePosixPath, PureWindowsPath

    text = name.strip()
    refused = f"{what}“{name}”不在模板文件夹内：图片须放在模板所在的文件夹中，填写文件名（不能用绝对路径或 ..）"
    if (not text or PurePosixPath(text).is_absolute() or PureWindowsPath(text).is_absolute()
            or PureWindowsPath(text).drive or text.startswith(("\\", "/", "~")) or ".." in _parts(text)):
        raise TemplateError(refused)
    root = Path(folder).resolve()
    resolved = (root / Path(*_parts(text))).resolve()
    if resolved != root and root not in resolved.parents:
        raise TemplateError(refused)
    return resolved


def save_template(t: Template, path: str | os.PathLike[str]) -> None:
    """Write ``t`` as JSON (checked first: a bad template is :class:`TemplateError`, and
    nothing is written). The file is replaced atomically."""
    from reports import atomic_output

    data = template_to_dict(t)
    template_from_dict(data, where=f"证书模板“{t.key}”")  # validate before writing
    target = Path(path)
    image = t.background.image
    if image:  # written as a name inside the template's folder, which is all load_template accepts
        folder = target.parent.resolve()
        candidate = Path(image) if Path(image).is_absolute() else folder / image
        try:
            relative = os.path.relpath(candidate.resolve(), folder).replace(os.sep, "/")
        except ValueError:  # another drive (Windows)
            relative = str(candidate)
        image_inside(folder, relative, f"证书模板“{t.key}”的 background.image（背景图片）")
        bg = data.get("background")
        if isinstance(bg, dict):
            bg["image"] = relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(target) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def builtin_templates() -> dict[str, Template]:
    """The built-in templates (fresh objects on every call), ``honour`` first."""
    out: dict[str, Template] = {}
    for key in BUILTIN_KEYS:
        out[key] = load_template(BUILTIN_DIR / f"{key}.json")
    return out


def all_templates(user_dir: str | os.PathLike[str] | None) -> dict[str, Template]:
    """The built-ins, then every ``*.json``/``*.toml`` template in ``user_dir`` (sorted
    by file name; one with a built-in's key replaces it). A file that cannot be read or is
    not a valid template is skipped with a logged warning."""
    out = builtin_templates()
    if user_dir is None:
        return out
    folder = Path(user_dir)
    if not folder.is_dir():
        return out
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".json", ".toml") and p.is_file())
    for p in files:
        if p.name.startswith("."):
            continue  # a temporary file of an unfinished save
        try:
            t = load_template(p)
        except TemplateError as exc:
            log.warning("跳过证书模板 %s：%s", p, exc)
            continue
        if t.key in out and t.key in BUILTIN_KEYS:
            log.info("证书模板 %s 替换内置模板 %s", p, t.key)
        out[t.key] = t
    return out
