"""The one description of a record's columns.

Each model column carries a :class:`Field` in ``info["field"]``. The table model, the
edit form, the importer, the exporter, the printed roster and the search read it; nothing
else spells out a record's columns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from sqlalchemy import inspect as sa_inspect

from db.errors import ValidationError

# What kind of value a column holds; decides the widget, the parser and the cell format.
KINDS = ("text", "name", "id_number", "phone", "credit_code", "date", "datetime", "choice", "int", "ref",
         "multiline")

# Privacy classes: how a value is shown in lists, exports and prints unless revealed.
PUBLIC, ID_NUMBER, PHONE, SENSITIVE = "public", "id_number", "phone", "sensitive"
# A birth date: beside a masked ID number only its year and month are shown (db.privacy).
BIRTH = "birth"
# A unit's work phone (an enterprise contact's): masked like a phone in lists and exports, printed
# whole on the slips handed to the craftsman (派工单, 急诊单) by any clerk, and logged when it is.
CONTACT = "contact"


@dataclass(frozen=True)
class Field:
    """How one column is labelled, entered, validated, shown and imported."""

    label: str
    kind: str = "text"
    choices: str | None = None  # key of a choice list (db.choices)
    validator: Callable[[Any], Any] | None = None  # raw -> normalised, or raises ValidationError
    privacy: str = PUBLIC
    required: bool = False
    synonyms: tuple[str, ...] = ()  # other header names clerks use for this column
    width: int = 12  # column width in characters for lists and workbooks
    in_table: bool = True  # shown as a column in the register table
    editable: bool = True  # False: derived (birth date from the ID number)
    ref: str | None = None  # for kind "ref": the register it points to ("organisations")
    help: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown field kind {self.kind!r}")
        if isinstance(self.synonyms, str) or not all(isinstance(s, str) for s in self.synonyms):
            raise TypeError(f"synonyms of {self.label!r} must be a tuple of str")

    @property
    def names(self) -> tuple[str, ...]:
        """Every header name the column goes by: the label first, then the synonyms."""
        return tuple(dict.fromkeys((self.label, *self.synonyms)))


def field(label: str, kind: str = "text", *, synonyms: tuple[str, ...] = (), **kwargs: Any) -> dict[str, Any]:
    """``info=`` for ``mapped_column``: ``mapped_column(String(40), info=field("姓名", "name"))``.

    ``synonyms`` are the other header names clerks' spreadsheets use for the column (the label
    itself always counts); every importer reads them from here (desktop.importing.headers).
    """
    names = synonyms if isinstance(synonyms, str) else tuple(synonyms)  # a bare str is refused by Field
    return {"field": Field(label, kind, synonyms=names, **kwargs)}


@dataclass(frozen=True)
class Column:
    """A described column of a model: attribute name plus its :class:`Field`."""

    name: str
    field: Field
    extras: dict[str, Any] = dc_field(default_factory=dict)
    length: int | None = None  # the column's String(N): the most characters it holds

    @property
    def label(self) -> str:
        return self.field.label


def check_length(col: Column, value: Any) -> None:
    """Raise ``too_long`` when a text value has more characters than its column holds.

    SQLite would store it whole and PostgreSQL refuse the whole transaction; both back ends
    get this message instead, naming the field: ``工种（岗位）超过 40 个字（5000 个字）``.
    """
    if col.length is not None and isinstance(value, str) and len(value) > col.length:
        raise ValidationError("too_long", f"{col.label}超过 {col.length} 个字（{len(value)} 个字）")


def describe(model: type) -> list[Column]:
    """The described columns of ``model`` in declaration order (undescribed ones are internal)."""
    mapper = sa_inspect(model)
    out: list[Column] = []
    for attr in mapper.column_attrs:
        col = attr.columns[0]
        f = col.info.get("field")
        if isinstance(f, Field):
            length = getattr(col.type, "length", None)
            out.append(Column(attr.key, f, length=length if isinstance(length, int) else None))
    return out


def column(model: type, name: str) -> Column:
    for c in describe(model):
        if c.name == name:
            return c
    raise KeyError(name)
