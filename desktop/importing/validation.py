"""Checking one mapped row of a register import: each column by its description, the rules across
columns, and the match against what the register already holds (read once per plan)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import validators
from db.choices import ALIASES
from db.errors import ValidationError
from db.fields import Column, check_length
from db.models.core.registers import Organisation, Worker, organisation_name_key
from db.privacy import ID_VISIBLE, mask_phone
from desktop.importing.targets import EMPLOYER, EMPLOYER_LABEL, ORG_NAME


class Choices:
    """Label, alias or code -> code, for each choice list."""

    def __init__(self, labels: dict[str, dict[str, str]]) -> None:
        self.maps: dict[str, dict[str, str]] = {}
        for name, items in labels.items():
            m = {_norm(code): code for code in items}
            m.update({_norm(alias): code for alias, code in ALIASES.get(name, {}).items()})
            m.update({_norm(label): code for code, label in items.items()})
            self.maps[name] = m

    def code(self, name: str, value: Any) -> str | None:
        return self.maps.get(name, {}).get(_norm(value))


def _norm(value: Any) -> str:
    return "".join(str(value).split()).lower()


def cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    return text or None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class RowValidator:
    """Turns one mapped row into column values; raises ValidationError to reject it."""

    def __init__(self, columns: list[Column], choices: Choices) -> None:
        self.columns = [c for c in columns if c.field.editable and c.name != EMPLOYER]
        self.choices = choices

    def __call__(self, raw: dict[str, Any], warn: Callable[[str, str], None]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for col in self.columns:
            if col.name not in raw:
                continue
            value, f = raw[col.name], col.field
            if f.kind == "id_number":
                info = validators.id_info(value)  # once per row: the number, birth date and sex
                out[col.name], out["_id_info"] = info.number, info
            elif f.kind in ("name", "credit_code") and f.validator is not None:
                result = f.validator(value)
                if result is not None:
                    out[col.name] = result
            elif _blank(value):
                continue
            elif f.kind == "choice" and f.choices:
                code = self.choices.code(f.choices, value)
                if code is None:
                    warn("choice_unknown", f"{f.label}「{cell_text(value)}」不在选项中，已留空")
                else:
                    out[col.name] = code
            elif f.kind == "phone":
                out[col.name] = self._phone(f.label, value, warn)
            elif f.kind in ("date", "datetime"):
                try:
                    read = validators.date_value if f.kind == "date" else validators.datetime_value
                    out[col.name] = read(value)
                except ValidationError as exc:
                    warn("date_invalid", f"{f.label}：{exc.message}，已留空")
            elif f.kind == "int":
                try:
                    out[col.name] = int(float(str(value).replace(",", "").strip()))
                except ValueError:
                    warn("number_invalid", f"{f.label}「{cell_text(value)}」不是数字，已留空")
            else:
                out[col.name] = cell_text(value)
        for col in self.columns:  # String(N): rejected here on both back ends, never half-stored
            check_length(col, out.get(col.name))
        return out

    @staticmethod
    def _phone(label: str, value: Any, warn: Callable[[str, str], None]) -> str:
        text = cell_text(value) or ""
        try:
            phone = validators.phone(value)
        except ValidationError:
            phone = None
        if phone is None or not validators.is_mobile(phone):
            warn("phone_format", f"{label}「{mask_phone(text)}」不是手机号码")  # never a whole number
        return (phone or text)[:20]


def _same_person_name(a: str, b: str) -> bool:
    """Two spellings of one name: width, case, spaces and the kind of middle dot ignored."""
    def loose(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", text).split()).replace("·", "").casefold()

    return loose(a) == loose(b)


def _tail(number: str) -> str:
    return "尾号" + number[-ID_VISIBLE:]


class Register:
    """What the register holds, read once per plan: the keys rows are matched on."""

    def __init__(self, session: Session, kind: str) -> None:
        self.kind = kind
        self.ids: dict[str, int] = {}  # workers: ID number -> id; organisations: credit code -> id
        self.names: dict[str, str] = {}  # workers: ID number -> the registered name
        self.by_name: dict[str, tuple[int, str | None]] = {}  # organisations: name key -> (id, credit code)
        self.employers: dict[str, int] = {}  # workers: an employer's name key -> organisation id
        if kind == "workers":
            for number, rid, name in session.execute(select(Worker.id_number, Worker.id, Worker.name)):
                self.ids[number] = rid
                self.names[number] = name
            for rid, name, key in session.execute(
                    select(Organisation.id, Organisation.name, Organisation.name_key).order_by(Organisation.id)):
                found = key or organisation_name_key(name)  # NULL: a duplicate the migration left unkeyed
                if found:
                    self.employers.setdefault(found, rid)
            return
        for rid, code, name, key in session.execute(
                select(Organisation.id, Organisation.credit_code, Organisation.name, Organisation.name_key)
                .order_by(Organisation.id)):
            if code:
                self.ids[code] = rid
            found = key or organisation_name_key(name)
            if found:
                self.by_name.setdefault(found, (rid, code))

    def find(self, key: str, values: dict[str, Any], name_key: str | None) -> int | None:
        """The record a valid row matches, or None; raises for a row that contradicts it."""
        if self.kind == "workers":
            rid = self.ids.get(key)
            if rid is not None and not _same_person_name(self.names[key], values["name"]):
                raise ValidationError(
                    "id_name_conflict",
                    f"身份证号（{_tail(key)}）已登记为“{self.names[key]}”，与本行姓名“{values['name']}”不一致，未导入")
            return rid
        code = values.get("credit_code")
        named = self.by_name.get(name_key) if name_key else None
        rid = self.ids.get(code) if code else None
        if rid is not None:
            if named is not None and named[0] != rid:
                raise ValidationError("organisation_conflict",
                                      f"单位名称“{values['name']}”已是另一个单位的名称（统一社会信用代码不同），未导入")
            return rid
        if named is None:
            return None
        if code and named[1] and named[1] != code:
            raise ValidationError("organisation_conflict",
                                  f"单位名称“{values['name']}”已登记，但统一社会信用代码不同（已登记为 {named[1]}），未导入")
        return named[0]


def key_label(kind: str) -> str:
    return "身份证号" if kind == "workers" else "统一社会信用代码或单位名称"


def check_row(kind: str, values: dict[str, Any], raw: dict[str, Any]) -> str:
    """Cross-field rules; returns the row's identity (ID number, credit code or name)."""
    if kind == "workers":
        if not values.get("name"):
            raise ValidationError("name_missing", "缺少姓名")
        info = values.pop("_id_info", None)
        if info is None:
            raise ValidationError("id_missing", "缺少身份证号")
        validators.check_gender(info, values.get("gender"))
        values["gender"] = info.gender
        values["birth_date"] = info.birth_date
        return info.number
    name = cell_text(raw.get("name"))
    if not name:
        raise ValidationError("name_missing", "缺少单位名称")
    check_length(ORG_NAME, name)
    values["name"] = name
    return values.get("credit_code") or "name:" + (organisation_name_key(name) or name)


def employer_name(raw: dict[str, Any]) -> str | None:
    """A worker row's employer name, refused when no organisation name can hold it."""
    name = cell_text(raw.get(EMPLOYER))
    if name and ORG_NAME.length is not None and len(name) > ORG_NAME.length:
        raise ValidationError("too_long", f"{EMPLOYER_LABEL}超过 {ORG_NAME.length} 个字（{len(name)} 个字）")
    return name
