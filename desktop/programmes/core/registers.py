"""Editing the shared registers: validate a form, save, delete (refused while in use), reveal."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import audit, validators
from db.errors import ValidationError
from db.fields import check_length, describe
from db.models.core.registers import Organisation, Worker, organisation_name_key
from desktop import registry
from desktop.pinyin import initials

MODELS: dict[str, type] = {"workers": Worker, "organisations": Organisation}


def validate(kind: str, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean a form's values (choices arrive as codes, refs as ids); errors keyed by field."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for col in describe(MODELS[kind]):
        f = col.field
        if not f.editable or col.name not in values:
            continue
        value = values[col.name]
        if isinstance(value, str):
            value = value.strip() or None
        if value is None:
            if f.required:
                errors[col.name] = f"请填写{f.label}"
            clean[col.name] = None
            continue
        try:
            clean[col.name] = f.validator(value) if f.validator else value
            check_length(col, clean[col.name])  # the column's String(N), the same on every back end
        except ValidationError as exc:
            errors[col.name] = exc.message
    if kind == "workers" and "id_number" in clean and "id_number" not in errors and clean["id_number"]:
        info = validators.id_info(clean["id_number"])
        try:
            validators.check_gender(info, clean.get("gender"))
        except ValidationError as exc:
            errors["gender"] = exc.message
        clean["gender"] = clean.get("gender") or info.gender
        clean["birth_date"] = info.birth_date
    if kind == "workers" and clean.get("name"):
        clean["name_initials"] = initials(clean["name"])
    return clean, errors


def save(session: Session, kind: str, record_id: int | None, values: dict[str, Any]) -> int:
    """Insert or update one record; raises ValidationError naming the first bad field."""
    clean, errors = validate(kind, values)
    if errors:
        raise ValidationError("field_invalid", next(iter(errors.values())))
    model = MODELS[kind]
    _check_unique(session, kind, record_id, clean)
    obj = session.get(model, record_id) if record_id is not None else model()
    if obj is None:
        raise ValidationError("not_found", "记录已不存在（可能已被删除）")
    for key, value in clean.items():
        setattr(obj, key, value)
    if record_id is None:
        if kind == "workers" and not clean.get("member_status"):
            obj.member_status = "active"  # type: ignore[attr-defined]
        session.add(obj)
    session.flush()
    return int(obj.id)  # type: ignore[attr-defined]


def _check_unique(session: Session, kind: str, record_id: int | None, clean: dict[str, Any]) -> None:
    model = MODELS[kind]
    if kind == "organisations" and clean.get("name"):
        other = session.execute(select(Organisation.id, Organisation.name).where(
            Organisation.name_key == organisation_name_key(clean["name"]))).first()
        if other is not None and other[0] != record_id:
            raise ValidationError("duplicate", f"单位名称与已有单位「{other[1]}」相同")
    key, label = ("id_number", "身份证号") if kind == "workers" else ("credit_code", "统一社会信用代码")
    value = clean.get(key)
    if not value:
        return
    other = session.execute(select(model.id, model.name).where(getattr(model, key) == value)).first()  # type: ignore[attr-defined]
    if other is not None and other[0] != record_id:
        raise ValidationError("duplicate", f"{label}与已有记录「{other[1]}」重复")


def ensure_organisation(session: Session, name: str) -> tuple[int, bool]:
    """The unit called ``name`` (matched on its normalised name), created when there is none;
    returns (id, created). Another process creating the same unit at the same moment is
    safe: INSERT ... ON CONFLICT (name_key) DO NOTHING, then read back."""
    key = organisation_name_key(name)
    if not key:
        raise ValidationError("name_missing", "缺少单位名称")
    table = Organisation.__table__
    found = session.scalar(select(Organisation.id).where(Organisation.name_key == key))
    if found is not None:
        return int(found), False
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    created = conn.execute(dialect_insert(table).values(name=name, name_key=key)
                           .on_conflict_do_nothing(index_elements=[table.c.name_key])
                           .returning(table.c.id)).scalar()
    if created is None:  # another process created it after our look
        return int(session.scalar(select(Organisation.id).where(Organisation.name_key == key))), False
    audit.log(session, "insert", table.name, int(created), new={"name": name})
    return int(created), True


def usages(session: Session, kind: str, record_id: int) -> list[str]:
    """Where a record is used: for a worker, every programme's facts; for a unit, its workers."""
    if kind == "workers":
        return [f"{registry.entry(f.programme).title}：{f.label}" for f in registry.worker_facts(session, record_id)
                if f.programme != "workers"]
    count = session.scalar(select(func.count()).select_from(Worker).where(Worker.employer_id == record_id)) or 0
    return [f"职工名册：{count} 名职工在此单位"] if count else []


def delete(session: Session, kind: str, record_id: int) -> None:
    """Delete, or refuse with the list of where the record is used."""
    used = usages(session, kind, record_id)
    if used:
        hint = "可将会籍状态设为“退会”。" if kind == "workers" else "请先调整这些职工的工作单位。"
        raise ValidationError("in_use", "不能删除，该记录仍在使用：\n" + "\n".join(used) + "\n" + hint)
    obj = session.get(MODELS[kind], record_id)
    if obj is not None:
        session.delete(obj)
        session.flush()


def reveal(session: Session, kind: str, record_id: int, column: str) -> str:
    """The full value of a masked field; the look is audit-logged."""
    model = MODELS[kind]
    value = session.scalar(select(getattr(model, column)).where(model.id == record_id))  # type: ignore[attr-defined]
    audit.log(session, "reveal", model.__tablename__, record_id, note=column)  # type: ignore[attr-defined]
    return "" if value is None else str(value)
