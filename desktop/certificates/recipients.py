"""Whom a certificate addresses: a person (某某同志：) or a unit, an organisation or a team (集体奖状,
牌匾: 「授予 宁波某某有限公司工会 “四星级规范活力工会”称号」).

A source's record for a unit says ``collective: True``; its ``name`` is the unit as printed (never
spaced, no 同志, no ID number), and it is recognised again by its ``source_ref`` or its
``organisation_id`` (:func:`unit_ref`) rather than a worker. A template says whom it addresses
(``Template.collective``). In a batch each record prints on the chosen template when that
template addresses its kind, and otherwise on its source's template for its kind
(``CertificateSource.template`` for people, ``collective_template`` for units; a spreadsheet's:
``honour`` and ``citation``): :func:`plan`. So the certificate centre and ``certificates --source``
print a source holding people and units right with no flag, and ``--template`` (or the centre's
choice) picks the look of the records of its own kind. A reprint keeps the kind its template had.
No Qt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from db.models.certificates import Certificate
from desktop import registry

__all__ = ["COLLECTIVE_TEMPLATE", "NAME_MAX", "PERSONAL_TEMPLATE", "UNIT_MAX", "addresses_units", "is_collective",
           "kind_templates", "plan", "register_name", "register_unit", "unit_ref"]

PERSONAL_TEMPLATE = "honour"
COLLECTIVE_TEMPLATE = "citation"
#: what the register's name and unit columns hold (a unit's whole name is kept in ``unit``)
NAME_MAX = int(getattr(Certificate.__table__.c.name.type, "length", None) or 40)
UNIT_MAX = int(getattr(Certificate.__table__.c.unit.type, "length", None) or 100)
_REF_MAX = int(getattr(Certificate.__table__.c.source_ref.type, "length", None) or 100)


def is_collective(record: Mapping[str, Any]) -> bool:
    """The record names an organisation or a team, not a person."""
    return bool(record.get("collective"))


def addresses_units(template: Any) -> bool:
    """The template is addressed to a unit (``Template.collective``)."""
    return bool(getattr(template, "collective", False))


def unit_ref(record: Mapping[str, Any]) -> str | None:
    """What recognises a unit's certificate again: the source's ``source_ref``, else its
    organisation (``organisations:12``, with the team: ``organisations:12:数控车间一班``)."""
    ref = str(record.get("source_ref") or "").strip()
    if ref:
        return ref[:_REF_MAX]
    org = record.get("organisation_id")
    if not org:
        return None
    team = " ".join(str(record.get("team") or "").split())
    return f"organisations:{int(org)}{':' + team if team else ''}"[:_REF_MAX]


def register_name(record: Mapping[str, Any]) -> str:
    """The name as the register's ``name`` column holds it (a unit's longer name is cut there and
    kept whole in ``unit``: :func:`register_unit`)."""
    name = str(record.get("name") or "")
    return name[:NAME_MAX] if is_collective(record) else name


def register_unit(record: Mapping[str, Any]) -> str | None:
    """The register's ``unit`` column: a person's employer, a unit's own whole name."""
    if is_collective(record):
        return str(record.get("name") or "")[:UNIT_MAX] or None
    return record.get("unit") or None


def kind_templates(programme: str | None) -> tuple[str, str]:
    """(the personal template, the collective template) a source prints on by default."""
    for src in registry.certificate_sources():
        if src.key == programme:
            return src.template, getattr(src, "collective_template", COLLECTIVE_TEMPLATE)
    return PERSONAL_TEMPLATE, COLLECTIVE_TEMPLATE


def _of_kind(templates: Mapping[str, Any], wanted: bool, *keys: str) -> tuple[str, Any] | None:
    for key in keys:
        t = templates.get(key)
        if t is not None and addresses_units(t) == wanted:
            return key, t
    return None


def plan(chosen: tuple[str, Any], records: Sequence[Mapping[str, Any]],
         templates: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(key, template) for each record: ``chosen`` when it addresses the record's kind, else the
    record's source's template of that kind (then the built-in one of that kind). A reprinted
    record (it names its ``template``) is of the kind that template addresses."""
    out: list[tuple[str, Any]] = []
    others: dict[tuple[str, str, bool], tuple[str, Any]] = {}
    for r in records:
        unit = is_collective(r) or addresses_units(templates.get(str(r.get("template") or "")))
        if addresses_units(chosen[1]) == unit:
            out.append(chosen)
            continue
        programme, own = str(r.get("programme") or ""), str(r.get("template") or "")
        key = (programme, own, unit)
        if key not in others:
            personal, collective = kind_templates(programme)
            found = _of_kind(templates, unit, own, collective if unit else personal,
                             COLLECTIVE_TEMPLATE if unit else PERSONAL_TEMPLATE)
            others[key] = found if found is not None else chosen
        out.append(others[key])
    return out
