"""The 助企行 tab's words from the one description: field labels and help lines, and the editors a
described field calls for in the tab's forms (a unit or a team chosen from its register, a required
date with the calendar, an optional one typed)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from db.fields import Column
from desktop.context import App
from desktop.programmes.help_desk import descriptions
from desktop.reads import ref_options
from ui.kit.described_form import DescribedForm, Spec, column_spec


@cache
def label(key: str) -> str:
    """A field's label: ``label("Demand.problem") == "需求内容"``."""
    return descriptions.field_labels()[key]


def helps(key: str) -> str:
    return descriptions.field_helps().get(key, "")


def spec_for(app: App, col: Column, labels: Mapping[str, Mapping[str, str]], default: Any = None) -> Spec:
    """The editor ``col`` calls for: a reference is a list of its register's records (by name;
    nothing chosen at first), a required date has the calendar; the rest as the kit's described
    form makes them."""
    f = col.field
    if f.kind == "ref" and f.ref:
        items = [(name, rid) for rid, name in ref_options(app, f.ref) or []]
        spec = Spec(col.name, f.label, "choice", items, help=f.help, required=f.required, blank=True,
                    wide=f.width >= 20)  # a unit's long name: a row of its own
    elif f.kind == "date" and f.required:
        spec = Spec(col.name, f.label, "date", help=f.help, required=True)
    else:
        spec = column_spec(col, labels)
    return dataclasses.replace(spec, default=default) if default is not None else spec


def described_form(app: App, model: str, names: Sequence[str], parent: Any, *, per_row: int = 2,
                   defaults: Mapping[str, Any] | None = None, before: Sequence[Spec] = ()) -> DescribedForm:
    """A form of ``model``'s described fields ``names`` (in that order), filled with ``defaults``;
    ``before``: fields no description makes, placed first."""
    labels = app.labels()
    form = DescribedForm([], labels, parent, per_row=per_row, suffix="：", app=app, strip=True)
    for spec in before:
        form.add_field(spec)
    for col in descriptions.form_columns(model, names):
        form.add_field(spec_for(app, col, labels, (defaults or {}).get(col.name)))
    return form


def shown(value: Any) -> str:
    """A value as a form or a list shows it: 2026-03-05 14:30, 45.5, empty for nothing."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)
