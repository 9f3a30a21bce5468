"""Templates to and from plain data (JSON/TOML), checked with Chinese messages that name
the template and the field at fault: ``证书模板“x.json”：fields[2]（姓名 name）的 size 应为正数``.

Version 2 (written since issue 12) prints the unit on its own line above the name. A version 1
template, as a clerk saved it, held the unit, the team and the name in one field
(``{unit}{team}{name}同志：``): it is upgraded when loaded (:func:`upgrade_fields`), that field
split into an affiliation line and a name field in the same area, keeping its sizes and colour.
"""

from __future__ import annotations

import re
from dataclasses import asdict, replace
from typing import Any

from .fill import placeholders_in
from .model import BORDER_STYLES, Background, QrBox, Template, TextField

__all__ = ["VERSION", "TemplateError", "template_from_dict", "template_to_dict", "upgrade_fields"]

#: the template format written; 1 is read and upgraded
VERSION = 2
#: the part of an old salutation field's height the affiliation line gets, and its size
_UNIT_SHARE, _UNIT_SCALE = 0.4, 0.7
_UNIT_KEYS = frozenset(("unit", "team"))
_GROUP = re.compile(r"\[[^\[\]]*\]")
_UNIT_TOKEN = re.compile(r"\{(?:unit|team)\}")

ROLES = ("title", "name", "body")
ALIGNS = ("left", "center", "right", "justify")
VALIGNS = ("top", "middle", "bottom")
BACKGROUNDS = ("none", "border", "image")
MAX_PAGE_MM = 2000.0
_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_EDGE = 0.05  # mm of rounding allowed at the page's edge

_TOP_KEYS = {"key", "title", "page", "landscape", "background", "fields", "qr", "overlay", "arabic_date",
             "seal", "verify", "version", "collective"}
_FIELD_KEYS = {"key", "text", "x", "y", "w", "h", "role", "size", "min_size", "colour", "align",
               "spaced_name", "wrap", "valign", "leading", "tracking"}
_BG_KEYS = {"kind", "style", "image"}
_QR_KEYS = {"x", "y", "size"}


class TemplateError(ValueError):
    """A template file or object that cannot be used; the message is Chinese and names the field."""


class _Check:
    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, path: str, problem: str) -> TemplateError:
        head = f"{self.where}：" if self.where else "证书模板："
        return TemplateError(f"{head}{path}{problem}")

    def obj(self, value: object, path: str, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, " 应为一个对象（{…}）")
        unknown = sorted(str(k) for k in value if k not in allowed)
        if unknown:
            raise self.fail(path, f" 中有无法识别的项：{'、'.join(unknown)}（可用：{'、'.join(sorted(allowed))}）")
        return value

    def number(self, value: object, path: str, *, positive: bool = False, minimum: float | None = None) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(path, " 应为数字")
        x = float(value)
        if x != x or x in (float("inf"), float("-inf")):
            raise self.fail(path, " 应为有限的数字")
        if positive and x <= 0:
            raise self.fail(path, " 应为正数")
        if minimum is not None and x < minimum:
            raise self.fail(path, f" 不能小于 {minimum:g}")
        return x

    def boolean(self, value: object, path: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(path, " 应为 true 或 false")
        return value

    def text(self, value: object, path: str, *, empty: bool = True) -> str:
        if not isinstance(value, str):
            raise self.fail(path, " 应为文字")
        if not empty and not value.strip():
            raise self.fail(path, " 不能为空")
        return value

    def choice(self, value: object, path: str, choices: tuple[str, ...] | list[str]) -> str:
        if value not in choices:
            raise self.fail(path, f" 应为 {' / '.join(choices)} 之一，而不是 {value!r}")
        return str(value)

    def triple(self, value: object, path: str, n: int) -> list[float]:
        if not isinstance(value, list | tuple) or len(value) != n:
            raise self.fail(path, f" 应为 {n} 个数字组成的列表")
        return [self.number(v, f"{path}[{i}]") for i, v in enumerate(value)]


def _braces_ok(text: str) -> bool:
    """Placeholders well formed: every ``{`` closes before the next one opens (``{{``
    and ``}}`` are literal braces)."""
    stripped = text.replace("{{", "").replace("}}", "")
    depth = 0
    for ch in stripped:
        if ch == "{":
            depth += 1
            if depth > 1:
                return False
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and not re.search(r"\{(?![A-Za-z_][A-Za-z0-9_]*\})", stripped)


def _field(c: _Check, raw: object, path: str, page: tuple[float, float]) -> TextField:
    d = c.obj(raw, path, _FIELD_KEYS)
    for need in ("key", "text", "x", "y", "w", "h"):
        if need not in d:
            raise c.fail(path, f" 缺少 {need}")
    key = c.text(d["key"], f"{path}.key", empty=False)
    where = f"{path}（{key}）"
    text = c.text(d["text"], f"{where}.text")
    if not _braces_ok(text):
        raise c.fail(f"{where}.text", " 中的花括号不成对，占位符应写成 {name} 这样（字面花括号写 {{ 或 }}）")
    f = TextField(
        key=key,
        text=text,
        x=c.number(d["x"], f"{where}.x", minimum=0),
        y=c.number(d["y"], f"{where}.y", minimum=0),
        w=c.number(d["w"], f"{where}.w", positive=True),
        h=c.number(d["h"], f"{where}.h", positive=True),
    )
    if "role" in d:
        f.role = c.choice(d["role"], f"{where}.role", ROLES)
    if "size" in d:
        f.size = c.number(d["size"], f"{where}.size", positive=True)
    if "min_size" in d:
        f.min_size = c.number(d["min_size"], f"{where}.min_size", positive=True)
    if f.min_size > f.size:
        raise c.fail(f"{where}.min_size", f" 不能大于 size（{f.size:g}）")
    if "colour" in d:
        colour = c.text(d["colour"], f"{where}.colour")
        if not _COLOUR.match(colour):
            raise c.fail(f"{where}.colour", f" 应为 #RRGGBB 形式的颜色，而不是 {colour!r}")
        f.colour = colour.upper()
    if "align" in d:
        f.align = c.choice(d["align"], f"{where}.align", ALIGNS)
    if "valign" in d:
        f.valign = c.choice(d["valign"], f"{where}.valign", VALIGNS)
    for flag in ("spaced_name", "wrap"):
        if flag in d:
            setattr(f, flag, c.boolean(d[flag], f"{where}.{flag}"))
    if "leading" in d:
        f.leading = c.number(d["leading"], f"{where}.leading", minimum=1.0)
    if "tracking" in d:
        f.tracking = c.number(d["tracking"], f"{where}.tracking", minimum=0)
        if f.tracking > 2:
            raise c.fail(f"{where}.tracking", " 不能大于 2（单位为字宽）")
    width, height = page
    if f.x + f.w > width + _EDGE or f.y + f.h > height + _EDGE:
        raise c.fail(where, f" 超出页面：框的右下角在 ({f.x + f.w:g}, {f.y + f.h:g}) 毫米，页面为 {width:g}×{height:g} 毫米")
    return f


def template_from_dict(data: object, *, where: str = "") -> Template:
    """Build and check a :class:`~reports.certificates.model.Template` from plain data."""
    c = _Check(where)
    d = c.obj(data, "模板", _TOP_KEYS)
    if "key" not in d or "title" not in d:
        raise c.fail("模板", " 缺少 " + ("key" if "key" not in d else "title"))
    key = c.text(d["key"], "key", empty=False)
    if not _KEY.match(key):
        raise c.fail("key", f" 只能由字母、数字、下划线和连字符组成（最多 64 个），而不是 {key!r}")
    t = Template(key=key, title=c.text(d["title"], "title", empty=False).strip())
    version = d.get("version", 1)
    if version not in (1, 2) or isinstance(version, bool):
        raise c.fail("version", f" 为 {version!r}，本程序只认识第 1、2 版模板")
    if "page" in d:
        w, h = c.triple(d["page"], "page", 2)
        for i, v in enumerate((w, h)):
            if not 20 <= v <= MAX_PAGE_MM:
                raise c.fail(f"page[{i}]", f" 应在 20 到 {MAX_PAGE_MM:g} 毫米之间")
        t.page = (w, h)
    for flag in ("landscape", "overlay", "arabic_date", "verify", "collective"):
        if flag in d:
            setattr(t, flag, c.boolean(d[flag], flag))
    if d.get("background") is not None:
        b = c.obj(d["background"], "background", _BG_KEYS)
        bg = Background()
        if "kind" in b:
            bg.kind = c.choice(b["kind"], "background.kind", BACKGROUNDS)
        if "style" in b:
            bg.style = c.choice(b["style"], "background.style", list(BORDER_STYLES))
        if b.get("image") is not None:
            bg.image = c.text(b["image"], "background.image", empty=False)
        if bg.kind == "image" and not bg.image:
            raise c.fail("background.image", " 缺少：背景为图片（image）时须给出 PNG 或 JPEG 文件")
        t.background = bg
    page = t.size_mm()
    raw_fields = d.get("fields", [])
    if not isinstance(raw_fields, list):
        raise c.fail("fields", " 应为字段列表（[…]）")
    seen: set[str] = set()
    for i, raw in enumerate(raw_fields):
        f = _field(c, raw, f"fields[{i}]", page)
        if f.key in seen:
            raise c.fail(f"fields[{i}]", f" 的 key“{f.key}”与前面的字段重复")
        seen.add(f.key)
        t.fields.append(f)
    if version < VERSION:
        t.fields = upgrade_fields(t.fields)
    if d.get("qr") is not None:
        q = c.obj(d["qr"], "qr", _QR_KEYS)
        for need in ("x", "y", "size"):
            if need not in q:
                raise c.fail("qr", f" 缺少 {need}")
        t.qr = QrBox(c.number(q["x"], "qr.x", minimum=0), c.number(q["y"], "qr.y", minimum=0),
                     c.number(q["size"], "qr.size", positive=True))
        if t.qr.x + t.qr.size > page[0] + _EDGE or t.qr.y + t.qr.size > page[1] + _EDGE:
            raise c.fail("qr", " 超出页面")
    if d.get("seal") is not None:
        x, y, size = c.triple(d["seal"], "seal", 3)
        if x < 0 or y < 0 or size <= 0 or x + size > page[0] + _EDGE or y + size > page[1] + _EDGE:
            raise c.fail("seal", " 应为页面内的 [x, y, 边长]（毫米）")
        t.seal = (x, y, size)
    return t


def _name_text(text: str) -> str:
    """An old salutation's text without the unit and the team (and their optional parts)."""

    def group(m: re.Match[str]) -> str:
        keys = set(placeholders_in(m.group(0)))
        return "" if keys and keys <= _UNIT_KEYS else m.group(0)

    return _UNIT_TOKEN.sub("", _GROUP.sub(group, text)).strip(" \u3000")


def upgrade_fields(fields: list[TextField]) -> list[TextField]:
    """Version 1 fields as version 2 prints them: a field holding ``{unit}`` and/or ``{team}``
    with ``{name}`` becomes an affiliation line (``{affiliation}``: the unit, or the team for a
    team prize, never twice) over the name field, in the same area; the name keeps the field's
    key, face, size and colour and is never wrapped, the unit line is smaller, in the body face."""
    taken = {f.key for f in fields}
    out: list[TextField] = []
    for f in fields:
        keys = set(placeholders_in(f.text))
        if "name" not in keys or not keys & _UNIT_KEYS:
            out.append(f)
            continue
        key = next(k for k in ("unit", "affiliation", *(f"unit_{i}" for i in range(2, 99))) if k not in taken)
        taken.add(key)
        unit_h = round(f.h * _UNIT_SHARE, 2)
        size = round(max(4.0, min(f.size * _UNIT_SCALE, unit_h * 72 / 25.4 / 1.05)), 1)
        unit = TextField(key, "{affiliation}", f.x, f.y, f.w, unit_h, role="body", size=size,
                         min_size=min(size, max(4.0, round(f.min_size * _UNIT_SCALE, 1))), colour=f.colour,
                         align=f.align, wrap=True, valign="bottom", leading=1.2)
        name = replace(f, text=_name_text(f.text), y=round(f.y + unit_h, 2), h=round(f.h - unit_h, 2), wrap=False)
        out += [unit, name]
    return out


def template_to_dict(t: Template) -> dict[str, Any]:
    """Plain data for JSON: defaults of a field are left out, so saved files stay short."""
    defaults = asdict(TextField(key="", text="", x=0, y=0, w=1, h=1))
    fields = []
    for f in t.fields:
        row = asdict(f)
        out = {k: row[k] for k in ("key", "text", "x", "y", "w", "h")}
        out.update({k: v for k, v in row.items() if k not in out and v != defaults[k]})
        fields.append(out)
    bg: dict[str, Any] = {"kind": t.background.kind}
    if t.background.kind == "border":
        bg["style"] = t.background.style
    if t.background.image:
        bg["image"] = t.background.image
    data: dict[str, Any] = {
        "version": VERSION,
        "key": t.key,
        "title": t.title,
        "page": [t.page[0], t.page[1]],
        "landscape": t.landscape,
        "overlay": t.overlay,
        "arabic_date": t.arabic_date,
        "verify": t.verify,
        "background": bg,
        "fields": fields,
        "qr": None if t.qr is None else {"x": t.qr.x, "y": t.qr.y, "size": t.qr.size},
        "seal": None if t.seal is None else list(t.seal),
    }
    if t.collective:  # written only when set: a person's template stays as before
        data["collective"] = True
    return data
