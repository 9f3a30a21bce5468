"""A help-desk form's values checked against the record description, for ``teams`` and ``demands``:
the shared form check (``desktop.programmes.core.forms``), each message naming its field, choice
codes checked against the choice lists. No Qt; works in the caller's session.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from db.errors import ValidationError
from db.fields import describe
from desktop.programmes.core.forms import validate_form
from desktop.settings import choice_labels

INT_LIMIT = 1_000_000


def clean(session: Session, model: type, values: dict[str, Any], *,
          only: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The stored values of the described fields in ``values`` (refused with the first problem,
    naming its field). ``only``: the fields this form may change (another is refused)."""
    cols = {c.name: c for c in describe(model)}
    for name in values:
        if name not in cols or (only is not None and name not in only):
            label = cols[name].label if name in cols else name
            raise ValidationError("field_invalid", f"此处不能修改“{label}”")
    out, errors = validate_form(model, values, int_limit=INT_LIMIT)
    for name, message in errors.items():
        label = cols[name].label
        raise ValidationError("field_invalid", message if label in message else f"{label}：{message}")
    labels: dict[str, dict[str, str]] | None = None
    for name, value in out.items():
        f = cols[name].field
        if f.kind == "choice" and f.choices and value is not None:
            labels = labels if labels is not None else choice_labels(session)
            if str(value) not in labels.get(f.choices, {}):
                raise ValidationError("field_invalid", f"{f.label}“{value}”不在可选项中，请从列表中选择")
    return out


def label(model: type, name: str) -> str:
    """A field's label, for messages."""
    for c in describe(model):
        if c.name == name:
            return c.label
    return name
