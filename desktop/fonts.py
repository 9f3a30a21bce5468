"""The fonts chosen per role (title, name, body, rare), stored in the database's settings by
family name so every seat of an office prints with the same family. No Qt.

A seat that lacks a chosen family prints with what it has (``reports.fonts.find_fonts``) and
says so once: a logged warning, and :func:`take_notice` for the window to show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desktop import paths
from desktop.changes import Changes

if TYPE_CHECKING:
    from desktop.context import App
    from reports.fonts import FontSet

ROLES = ("title", "name", "body", "rare")
ROLE_LABELS = {"title": "标题", "name": "姓名", "body": "正文", "rare": "生僻字"}
PREFIX = "font."  # setting keys: font.title, font.name, font.body, font.rare
PREVIEW = "荣誉证书 张三同志：在二〇二六年职工职业技能竞赛中荣获一等奖。堃喆䶮𠮷"


@dataclass(frozen=True)
class FamilyRow:
    """One installed family, as the settings page lists it."""

    name: str  # stored in the settings
    label: str  # 霞鹜文楷, 宋体 ...
    style: str  # 楷体 / 宋体 / 黑体 / 仿宋 / ""
    files: tuple[str, ...]

    @property
    def text(self) -> str:
        extra = f"（{self.style}）" if self.style and self.style not in self.label else ""
        alias = f" {self.name}" if self.name != self.label else ""
        return f"{self.label}{alias}{extra}"


def use_cache_folder() -> None:
    """Keep parsed font tables in the data folder (``cache/fonts``) between runs."""
    from reports.fonts import cache

    if cache.cache_dir() is None:
        cache.set_cache_dir(paths.data_dir() / "cache" / "fonts")


def families() -> list[FamilyRow]:
    """Every CJK TrueType family installed here (or shipped in resources/fonts)."""
    from reports.fonts import list_families

    return [FamilyRow(f.name, f.label, f.style_label, tuple(sorted({i.path for i in f.faces})))
            for f in list_families()]


def chosen(settings: Mapping[str, Any]) -> dict[str, str]:
    """{role: family} from loaded settings rows (``font.<role>`` keys); unset roles left out."""
    return {r: str(settings[PREFIX + r]).strip() for r in ROLES if str(settings.get(PREFIX + r) or "").strip()}


def load(app: App) -> dict[str, str]:
    """The families chosen in the database, {role: family}."""
    from sqlalchemy import select

    from db.models.system import Setting

    with app.db.session() as s:
        rows = dict(s.execute(select(Setting.key, Setting.value).where(Setting.key.like(PREFIX + "%"))).all())
    return chosen(rows)


def save(app: App, choice: Mapping[str, str]) -> Changes:
    """Store the family per role (an empty value: the automatic choice). Unknown roles or a
    family name longer than 100 characters are refused with a Chinese message."""
    from db.errors import ValidationError
    from db.models.system import Setting

    for role, family in choice.items():
        if role not in ROLES:
            raise ValidationError("setting_invalid", f"未知的字体用途：{role}")
        if len(str(family or "")) > 100:
            raise ValidationError("setting_invalid", f"{ROLE_LABELS[role]}字体名称过长")
    with app.db.session() as s:
        for role, family in choice.items():
            key, value = PREFIX + role, str(family or "").strip()
            row = s.get(Setting, key)
            if not value:
                if row is not None:
                    s.delete(row)
            elif row is None:
                s.add(Setting(key=key, value=value))
            elif row.value != value:
                row.value = value
    return Changes.of("settings")


def fontset(app: App | None = None, choice: Mapping[str, str] | None = None) -> FontSet:
    """The fonts to print with: the families chosen in the database (or ``choice``), falling
    back per role to the usual discovery on a seat that lacks one (said once)."""
    from reports.fonts import find_fonts

    use_cache_folder()
    if choice is None:
        choice = load(app) if app is not None else {}
    return find_fonts(families=choice)


def take_notice() -> str:
    """The one-time message that a chosen family is missing here ("" once shown)."""
    from reports.fonts import take_notice as notice

    return notice()
