"""Editing the shared registers (workers, organisations): check a form, save, delete (refused
while in use), reveal a masked number (audit-logged). No Qt.

Two levels. The session functions (``validate``, ``save``, ``delete``, ``reveal``,
``ensure_organisation``) work inside a caller's transaction: importers and other programmes'
services use them. The service functions (``save_record``, ``delete_record``, ``withdraw``,
``reveal_values``, ``refusal``) take the open app, do one transaction and return what changed
(desktop.changes): the UI calls those. The reads the UI shows are in ``register_queries``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import audit, validators
from db.errors import ValidationError
from db.fields import BIRTH, ID_NUMBER, describe
from db.models.core.registers import Organisation, Worker, organisation_name_key
from desktop import registry
from desktop.changes import Changes, Done
from desktop.pinyin import initials
from desktop.programmes.core.forms import first_error, validate_form

if TYPE_CHECKING:
    from desktop.context import App

MODELS: dict[str, type] = {"workers": Worker, "organisations": Organisation}
NOT_FOUND = "记录已不存在（可能已被删除）"


def validate(kind: str, values: dict[str, Any], known_id: validators.IdInfo | None = None,
             ) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean a form's values (choices arrive as codes, refs as ids); errors keyed by field.

    A worker's ID number fills the birth date and, when none is chosen, the gender; a gender
    contradicting it is an error. ``known_id``: the stored ID number's facts, for a form that
    leaves the (masked) number unchanged and so does not send it.
    """
    clean, errors = validate_form(MODELS[kind], values)
    if kind != "workers":
        return clean, errors
    info = None
    if clean.get("id_number") and "id_number" not in errors:
        info = validators.id_info(clean["id_number"])
        clean["gender"] = clean.get("gender") or info.gender
        clean["birth_date"] = info.birth_date
    elif "id_number" not in values and clean.get("gender"):
        info = known_id
    if info is not None:
        try:
            validators.check_gender(info, clean.get("gender"))
        except ValidationError as exc:
            errors["gender"] = exc.message
    if clean.get("name"):
        clean["name_initials"] = initials(clean["name"])
    return clean, errors


def stored_id(session: Session, worker_id: int) -> validators.IdInfo | None:
    """The facts of a worker's stored ID number (None when it is missing or unreadable)."""
    number = session.scalar(select(Worker.id_number).where(Worker.id == worker_id))
    try:
        return validators.id_info(number) if number else None
    except ValidationError:
        return None


def save(session: Session, kind: str, record_id: int | None, values: dict[str, Any]) -> int:
    """Insert or update one record; raises ValidationError naming the first bad field."""
    model = MODELS[kind]
    obj = session.get(model, record_id) if record_id is not None else model()
    if obj is None:
        raise ValidationError("not_found", NOT_FOUND)
    known = stored_id(session, record_id) if kind == "workers" and record_id is not None \
        and "id_number" not in values and values.get("gender") else None
    clean, errors = validate(kind, values, known)
    first_error(errors)
    _check_unique(session, kind, record_id, clean)
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


def _referring_rows(session: Session, table: str, record_id: int) -> dict[str, int]:
    """Rows of other tables whose foreign key points at ``table``'s row ``record_id``, by table."""
    from db.base import Base

    registry.programmes()  # every programme's models loaded: their foreign keys are known
    found: dict[str, int] = {}
    for other in Base.metadata.sorted_tables:
        if other.name in (table, "audit_log"):
            continue
        for fk in other.foreign_keys:
            if fk.column.table.name == table and not fk.ondelete:  # SET NULL / CASCADE do not block
                n = session.scalar(select(func.count()).select_from(other).where(fk.parent == record_id)) or 0
                if n:
                    found[other.name] = found.get(other.name, 0) + int(n)
    return found


def usages(session: Session, kind: str, record_id: int) -> list[str]:
    """Where a record is used: every programme's facts (a unit: its workers), then any other
    record that still points at it."""
    used: list[str] = []
    facts = registry.worker_facts(session, record_id) if kind == "workers" else \
        registry.organisation_facts(session, record_id)
    used += [f"{registry.entry(f.programme).title}：{f.label}" for f in facts if f.programme != kind]
    referring = _referring_rows(session, kind, record_id)
    workers = referring.pop("workers", 0) if kind == "organisations" else 0
    if workers:
        used.insert(0, f"职工名册：{workers} 名职工在此单位")
    if referring and not used:
        used.append(f"其他记录：{sum(referring.values())} 条")
    return used


def _refused(kind: str, used: list[str]) -> str:
    hint = "可将会籍状态设为“退会”。" if kind == "workers" else "请先调整这些职工的工作单位。"
    return "不能删除，该记录仍在使用：\n" + "\n".join(used) + "\n" + hint


def delete(session: Session, kind: str, record_id: int) -> None:
    """Delete, or refuse with the list of where the record is used."""
    used = usages(session, kind, record_id)
    if used:
        raise ValidationError("in_use", _refused(kind, used))
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


# -- the services the UI calls: one transaction each, returning what changed -----------------------


def _name(session: Session, kind: str, record_id: int) -> str:
    model = MODELS[kind]
    return str(session.scalar(select(model.name).where(model.id == record_id)) or "")  # type: ignore[attr-defined]


def save_record(app: App, kind: str, record_id: int | None, values: dict[str, Any]) -> Done[int]:
    """新增/保存 one worker or organisation from a form; the new or saved record's id."""
    with app.db.session() as s:
        rid = save(s, kind, record_id, values)
        name = _name(s, kind, rid)
    verb = "已新增" if record_id is None else "已保存"
    return Done(rid, Changes.of(kind, rows=[(kind, rid)], message=f"{verb}：{name}"))


def withdraw(app: App, worker_id: int) -> Done[int]:
    """Mark a worker 退会 (what a worker with programme records gets instead of deletion)."""
    return save_record(app, "workers", worker_id, {"member_status": "withdrawn"})


def refusal(app: App, kind: str, record_id: int) -> str | None:
    """Why the record cannot be deleted (where it is used), or None when it can: asked before
    the clerk is asked to confirm."""
    with app.db.session() as s:
        used = usages(s, kind, record_id)
    return _refused(kind, used) if used else None


def delete_record(app: App, kind: str, record_id: int) -> Changes:
    """Delete one record (refused with ``in_use`` while it is used)."""
    with app.db.session() as s:
        name = _name(s, kind, record_id)
        delete(s, kind, record_id)
    return Changes.of(kind, rows=[(kind, record_id)], message=f"已删除：{name}" if name else "已删除")


def reveal_values(app: App, kind: str, record_id: int, columns: list[str]) -> dict[str, str]:
    """The full values of masked columns, each look audit-logged (committed before they are
    returned). Revealing an ID number also gives the birth date's day (BIRTH columns), which
    the number shows anyway."""
    from desktop.accounts.roles import REVEAL

    app.require(REVEAL, "查看完整号码")
    model = MODELS[kind]
    described = {c.name: c for c in describe(model)}
    with app.db.session() as s:
        shown = {name: reveal(s, kind, record_id, name) for name in columns}
        if any(described[n].field.privacy == ID_NUMBER for n in columns if n in described):
            for col in described.values():
                if col.field.privacy == BIRTH:
                    value = s.scalar(select(getattr(model, col.name)).where(model.id == record_id))  # type: ignore[attr-defined]
                    shown[col.name] = value.isoformat()[:10] if value is not None else ""
    return shown
