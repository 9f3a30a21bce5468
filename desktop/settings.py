"""Organisation settings stored in the database (they travel with the data), declared once.

The settings dialog renders :data:`SETTINGS`; code reads values with :func:`load`.
Choice-list labels the clerk renamed or added are stored as ``choices.<list>``.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.choices import CHOICES
from db.errors import ValidationError
from db.models.system import Setting


@dataclass(frozen=True)
class SettingDef:
    key: str
    label: str
    default: Any
    kind: str = "text"  # text | int | bool (stored as 1 or 0) | file
    help: str = ""
    minimum: int = 0
    maximum: int = 10_000
    pattern: str | None = None
    min_length: int = 0  # text: characters, checked when not empty
    max_length: int = 0  # text: 0 is no limit

    def clean(self, value: Any) -> Any:
        if self.kind == "bool":
            if isinstance(value, str):
                value = value.strip().lower() not in ("", "0", "false", "no", "否")
            return 1 if value else 0
        if self.kind == "int":
            try:
                number = int(value)
            except (TypeError, ValueError) as exc:
                raise ValidationError("setting_invalid", f"{self.label}必须是整数") from exc
            if not self.minimum <= number <= self.maximum:
                raise ValidationError("setting_invalid", f"{self.label}应在 {self.minimum}–{self.maximum} 之间")
            return number
        text = "" if value is None else str(value).strip()
        if text and self.max_length and not self.min_length <= len(text) <= self.max_length:
            span = f"{self.min_length}–{self.max_length} 个字" if self.min_length else f"不超过 {self.max_length} 个字"
            raise ValidationError("setting_invalid", f"{self.label}应为{span}（现在是 {len(text)} 个字）")
        if self.pattern and text and not re.fullmatch(self.pattern, text):
            raise ValidationError("setting_invalid", f"{self.label}格式不正确：{self.help}")
        return text


SETTINGS: tuple[SettingDef, ...] = (
    SettingDef("union_name", "工会名称", "", min_length=2, max_length=40, help="印在报表和证书上，如：宁海县跃龙街道总工会"),
    SettingDef("township", "乡镇（街道）", "", max_length=40, help="本工会所在的乡镇或街道，如：跃龙街道"),
    SettingDef("issuer", "发证单位", "", max_length=40, help="证书落款；留空则用工会名称"),
    SettingDef("clerk_name", "经办人", "", help="记入操作日志"),
    SettingDef("serial_prefix", "证书编号前缀", "UD", pattern=r"[A-Za-z0-9]{1,12}", help="只能用字母和数字"),
    SettingDef("backup_keep", "自动备份保留份数", 30, kind="int", minimum=1, maximum=1000),
    SettingDef("seal_image", "公章图片", "", kind="file", help="透明背景的 PNG，打印证书时盖在落款处"),
    SettingDef("certificate_verify", "证书校验码", 0, kind="bool",
               help="可用“证书查验”核对证书真伪；不勾选则不印（默认）"),
    SettingDef("apprentice_allowance", "师傅带徒津贴（元/人/月）", 300, kind="int", minimum=0, maximum=100_000,
               help="师徒结对中师傅每带一名徒弟每月的津贴；不足整月的按日历天数折算，保留到分"),
    SettingDef("publicity_days", "公示期（工作日）", 5, kind="int", minimum=1, maximum=30,
               help="劳模工匠、星级工会等评选结果的公示天数，按工作日计算（节假日和调休见“节假日”页）"),
    SettingDef("mediation_body", "调解组织名称", "", max_length=60,
               help="印在劳动争议调解协议书上，如：宁海县跃龙街道劳动争议调解委员会；留空则用工会名称"),
    SettingDef("mediation_days", "调解期限（日）", 15, kind="int", minimum=1, maximum=365,
               help="法律规定：《劳动争议调解仲裁法》第十四条，自收到调解申请之日起十五日内未达成调解协议的，"
                    "当事人可以依法申请仲裁。超过期限的调解案件在台账中标出"),
    SettingDef("arbitration_days", "仲裁审理期限（日）", 45, kind="int", minimum=1, maximum=365,
               help="法律规定：《劳动争议调解仲裁法》第四十三条，仲裁庭应当自受理仲裁申请之日起四十五日内结束；"
                    "案情复杂需要延期的，经批准可以延期，延长期限不得超过十五日"),
    SettingDef("idle_lock_minutes", "空闲锁定（分钟）", 10, kind="int", minimum=0, maximum=240,
               help="多长时间没有键盘和鼠标操作后锁定窗口，要重新输入密码；0 表示不锁定。只在设置了账户后有效"),
)
BY_KEY = {s.key: s for s in SETTINGS}
CHOICE_PREFIX = "choices."


def load(session: Session) -> dict[str, Any]:
    """Every declared setting, stored value or default."""
    stored = {k: v for k, v in session.execute(select(Setting.key, Setting.value))}
    return {d.key: stored.get(d.key, d.default) for d in SETTINGS}


def save(session: Session, values: dict[str, Any]) -> None:
    """Validate and store; unknown keys are refused (audit-logged through the session).

    A file setting (the seal image) stores the file's bytes too, so it travels with the
    database to a new computer and into every backup (:func:`file_path` reads it back).
    """
    for key, value in values.items():
        definition = BY_KEY.get(key)
        if definition is None:
            raise KeyError(key)
        cleaned = definition.clean(value)
        if definition.kind == "file":
            _put(session, key + FILE_DATA, _file_payload(definition, cleaned))
        _put(session, key, cleaned)


FILE_DATA = ".data"  # the key suffix holding a file setting's bytes (base64)
FILE_LIMIT = 2 * 2**20


def _file_payload(definition: SettingDef, path: str) -> str | None:
    if not path:
        return None
    try:
        size = Path(path).stat().st_size
        if size > FILE_LIMIT:
            raise ValidationError("setting_invalid", f"{definition.label}不能超过 2 MB（{path} 有 {size / 2**20:.1f} MB）")
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ValidationError("setting_invalid", f"{definition.label}：找不到或无法读取文件 {path}") from exc
    if not data.startswith((b"\x89PNG", b"\xff\xd8")):
        raise ValidationError("setting_invalid", f"{definition.label}应为 PNG 或 JPG 图片：{path}")
    return base64.b64encode(data).decode("ascii")


def file_path(session: Session, key: str) -> str | None:
    """A file setting as a file on this computer: the copy stored in the database (written once
    to ``files/`` in the data folder), else the chosen file while it exists, else None."""
    from desktop import paths

    row = session.get(Setting, key)
    chosen = str(row.value) if row is not None and row.value else ""
    if not chosen:
        return None
    stored = session.get(Setting, key + FILE_DATA)
    if stored is None or not stored.value:
        return chosen if Path(chosen).is_file() else None
    data = base64.b64decode(str(stored.value))
    folder = paths.data_dir() / "files"
    target = folder / f"{key}-{hashlib.sha256(data).hexdigest()[:16]}{Path(chosen).suffix.lower() or '.png'}"
    if not target.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(target.suffix + ".part")
        partial.write_bytes(data)
        os.replace(partial, target)
    return str(target)


def _put(session: Session, key: str, value: Any) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    elif row.value != value:
        row.value = value


def choice_labels(session: Session) -> dict[str, dict[str, str]]:
    """Every choice list as {code: label}: defaults, then the clerk's renames and additions."""
    result = {key: dict(items) for key, items in CHOICES.items()}
    rows = session.execute(select(Setting.key, Setting.value).where(Setting.key.like(CHOICE_PREFIX + "%")))
    for key, value in rows:
        name = key[len(CHOICE_PREFIX):]
        if name in result and isinstance(value, dict):
            result[name].update({str(k): str(v) for k, v in value.items() if str(v).strip()})
    return result


def save_choice_labels(session: Session, name: str, labels: dict[str, str]) -> None:
    """Store the clerk's labels for one list (codes stay; new codes are added, none removed)."""
    if name not in CHOICES:
        raise KeyError(name)
    defaults = dict(CHOICES[name])
    changed = {code: label.strip() for code, label in labels.items()
               if label.strip() and defaults.get(code) != label.strip()}
    for code in changed:
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,31}", code):
            raise ValidationError("setting_invalid", f"选项代码 {code} 只能用小写字母、数字和下划线")
    _put(session, CHOICE_PREFIX + name, changed)
