"""A form's values checked against the record description (db.fields), for every programme. No Qt.

``validate_form(model, values)`` is the one place a typed value becomes a stored one: text is
stripped (empty is None), a required field must be filled, a Boolean column becomes a flag, an
``int`` field a whole number, then the field's own validator (db.validators, declared on the
field) and the column's ``String(N)`` length. The edit form checks with it as the clerk types,
the services check with it again before writing, so a value the form accepts is a value the
service stores.
"""

from __future__ import annotations

from typing import Any

from db.errors import ValidationError
from db.fields import Column, check_length, describe


def is_flag(model: type, name: str) -> bool:
    """A Boolean column (shown as a check box; the description has no boolean kind)."""
    col = model.__table__.c[name]  # type: ignore[attr-defined]
    try:
        return col.type.python_type is bool
    except NotImplementedError:  # pragma: no cover
        return False


def validate_form(model: type, values: dict[str, Any], *,
                  int_limit: int | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean a form's values (choices arrive as codes, refs as ids); errors keyed by field name.

    Only the editable described fields present in ``values`` are checked and returned.
    ``int_limit``: whole numbers must be below it (none: any number not below 0).
    """
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for col in describe(model):
        f = col.field
        if not f.editable or col.name not in values:
            continue
        value = values[col.name]
        if is_flag(model, col.name):
            clean[col.name] = bool(value)
            continue
        if isinstance(value, str):
            value = value.strip() or None
        if value is None:
            if f.required:
                errors[col.name] = f"请填写{f.label}"
            clean[col.name] = None
            continue
        try:
            if f.kind == "int":
                value = _whole_number(f.label, value, int_limit)
            clean[col.name] = f.validator(value) if f.validator else value
            check_length(col, clean[col.name])  # the column's String(N), the same on every back end
        except ValidationError as exc:
            errors[col.name] = exc.message
        except (TypeError, ValueError):
            errors[col.name] = f"{f.label}应为整数"
    return clean, errors


def _whole_number(label: str, value: Any, limit: int | None) -> int:
    number = int(value)
    if number < 0 or (limit is not None and number >= limit):
        raise ValidationError("int_range", f"{label}应为不小于 0 的整数")
    return number


def first_error(errors: dict[str, str]) -> None:
    """Raise the first problem of a checked form (``field_invalid``), if any."""
    if errors:
        raise ValidationError("field_invalid", next(iter(errors.values())))


_PLACEHOLDERS = {
    "id_number": "18位身份证号码",
    "phone": "如 13812345678 或 0574-65551234",
    "credit_code": "18位统一社会信用代码",
    "date": "如 2024-03-05",
    "datetime": "如 2024-03-05 14:30",
}


def placeholder(col: Column) -> str:
    """The grey example an empty editor of ``col`` shows (what its validator accepts)."""
    from db import validators

    if col.field.validator is validators.mobile:
        return "11位手机号码，如 13812345678"
    return _PLACEHOLDERS.get(col.field.kind, "")
