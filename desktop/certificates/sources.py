"""Who receives a certificate: a programme's certificate source, one record a source selects by
(a competition), or a spreadsheet.

Each collector returns a :class:`Selection`: plain records holding the ``record`` placeholders
(:mod:`reports.certificates.variables`: ``name``, ``unit``, ``award``, ``title``, ``event``,
``team``, ``date``; optionally ``deed`` and ``issuer``) plus ``worker_id``, ``id_number``,
``source_ref``, tagged with the programme key their serials' code comes from, and the rows
skipped with the reason (spreadsheets). ``event`` is a grammatical noun phrase
(:func:`desktop.certificates.wording.event_phrase`). A record may carry ``legacy``: the
(award, event) it had under older wording, so a certificate issued then is reprinted with its
serial. A record with ``collective: True`` names a unit (an organisation or a team): its name is
kept as written, it has no worker or ID number, and it is recognised again by its ``source_ref``
or ``organisation_id`` (:mod:`desktop.certificates.recipients`). What a programme offers comes
from its registry declaration; nothing here names a programme. No Qt.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import validators
from db.errors import ValidationError
from db.models.core.registers import Worker
from desktop import registry
from desktop.certificates import recipients, wording
from desktop.certificates.serials import GENERAL
from desktop.importing.headers import HeaderField, apply_mapping, find_header, header_field
from desktop.params import NotFound, record_param
from reports.certificates import variables

if TYPE_CHECKING:
    from desktop.context import App

__all__ = ["GENERAL", "SHEET_FIELDS", "NotFound", "Selection", "Skipped", "UnknownSource", "collect",
           "from_reference", "from_source", "from_spreadsheet", "reference_choices", "source", "sources"]

#: Other headers clerks write for a placeholder's column (CLI.md: certificates --from).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("获奖人", "获奖者", "获奖人姓名"),  # besides the worker field's own (db/models/core/registers.py)
    "unit": ("推荐单位",),
    "award": ("获奖等次", "获奖等级", "等次", "奖次", "荣誉称号", "获奖情况"),
    "event": ("竞赛项目", "比赛项目", "赛项", "工种", "参赛工种", "参赛项目"),
    "title": ("竞赛名称", "比赛名称", "赛事名称", "赛事", "活动名称"),
    "team": ("队名", "代表队", "团队名称"),
    "date": ("发证日期", "颁奖日期", "获奖日期", "落款日期"),
}
_WORKER_COLUMNS = {"name": "name", "unit": "employer_id", "id_number": "id_number"}


def _sheet_field(key: str) -> HeaderField:
    if key in _WORKER_COLUMNS:  # a person's columns go by the worker register's names
        return header_field(Worker, _WORKER_COLUMNS[key], key=key, extra=SYNONYMS.get(key, ()), required=key == "name")
    variable = variables.by_key(key)  # the rest go by the placeholders' column names
    assert variable is not None, key
    return HeaderField(key, variable.column, SYNONYMS[key])


#: How a spreadsheet's headers map to placeholders: the ``record`` placeholders a list supplies,
#: its date, and the ID number that recognises a person again.
SHEET_FIELDS: tuple[HeaderField, ...] = tuple(_sheet_field(k) for k in ("name", "unit", "award", "title", "event",
                                                                      "team", "date", "id_number"))
#: the placeholders a source supplies as plain text (the name is cleaned as a name)
TEXT_KEYS = tuple(k for k in variables.keys(variables.RECORD) if k != "name")


class UnknownSource(LookupError):
    """A source key no programme declares (CLI exit 2 with the list)."""

    def __init__(self, key: str, choices: list[str]) -> None:
        super().__init__(f"未知的证书来源 {key}，可用：{' '.join(choices) or '（无）'}")
        self.key = key
        self.choices = choices
        self.message = str(self)


@dataclass(frozen=True)
class Skipped:
    row: int
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "reason": self.reason}

    def line(self) -> str:
        return f"第 {self.row} 行：{self.reason}"


@dataclass
class Selection:
    """The records one batch of certificates is printed for."""

    programme: str  # the programme key in the serials
    title: str  # what the clerk chose, for messages and the default file name
    records: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    template: str = "honour"  # the source's default template (for people)
    collective_template: str = recipients.COLLECTIVE_TEMPLATE  # the source's default template for units

    def default_template(self) -> str:
        """The template to start from: the units' one when every record is a unit (the people's
        otherwise; a batch of both prints each on its own kind: recipients.plan)."""
        if self.records and all(recipients.is_collective(r) for r in self.records):
            return self.collective_template
        return self.template


# -- cleaning ---------------------------------------------------------------------------------


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F") or 0x3400 <= ord(ch) <= 0x2FFFF


def clean_name(value: object) -> str:
    """A name as printed: 张　三 or 张 三 typed to line up in a sheet becomes 张三; 'John  Smith' keeps one space."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).strip()
    parts = text.split()
    if all(_is_cjk(ch) or ch in "·•" for ch in "".join(parts)):
        return "".join(parts)
    return " ".join(parts)


def clean_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def clean_id(value: object) -> str | None:
    """An ID number for recognising a person again: validated when it can be, else as written."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return validators.id_number(value)
    except ValidationError:
        text = "".join(str(value).split()).upper()
        return text[:18] or None


def normalise(record: dict[str, Any], programme: str) -> dict[str, Any]:
    """A source's record with clean text values and its programme key; a unit's name as written
    (宁波某某有限公司 数控车间一班 keeps its space), with no worker or ID number and its reference."""
    out = dict(record)
    for key in TEXT_KEYS:
        out[key] = clean_text(record.get(key))
    if recipients.is_collective(record):
        out["collective"] = True
        out["name"] = clean_text(record.get("name"))
        out["worker_id"] = out["id_number"] = None
        ref = recipients.unit_ref(out)
        if ref:
            out["source_ref"] = ref
    else:
        out["name"] = clean_name(record.get("name"))
        out["id_number"] = clean_id(record.get("id_number"))
    out["programme"] = programme
    return out


def identity(record: dict[str, Any], head: tuple[str, str] | None = None) -> tuple[object, ...]:
    """Who a record is, for 'the same person with the same award and event' (CLI.md); soft
    breaks do not count. ``head``: another (award, event) for the same person."""
    award, event = head if head is not None else (record.get("award"), record.get("event"))
    head = (wording.plain(award), wording.plain(event))
    if recipients.is_collective(record):  # a unit: its reference, else its name as the register holds it
        ref = recipients.unit_ref(record)
        if ref:
            return (*head, "r", ref)
        return (*head, "n", recipients.register_name(record), recipients.register_unit(record) or "")
    if record.get("worker_id"):
        return (*head, "w", int(record["worker_id"]))
    if record.get("id_number"):
        return (*head, "i", str(record["id_number"]))
    return (*head, "n", record.get("name") or "", record.get("unit") or "")


def legacy_identities(record: dict[str, Any]) -> list[tuple[object, ...]]:
    """The identities the record had under older wording (its ``legacy`` (award, event) pairs)."""
    return [identity(record, (str(a or ""), str(e or ""))) for a, e in record.get("legacy") or ()]


# -- collectors -------------------------------------------------------------------------------


def sources() -> list[registry.CertificateSource]:
    return registry.certificate_sources()


def source(key: str) -> registry.CertificateSource:
    found = {s.key: s for s in sources()}
    if key not in found:
        raise UnknownSource(key, list(found))
    return found[key]


def from_source(session: Session, key: str, params: dict[str, Any] | None = None) -> Selection:
    """A programme's records that can receive a certificate (``year`` defaults to this year)."""
    src = source(key)
    values = dict(params or {})
    values.setdefault("year", date.today().year)
    records = [normalise(r, src.key) for r in src.records(session, values)]
    selection = Selection(src.key, src.title, [], [], src.template, _collective_template(src))
    _keep(selection, [(i + 1, r) for i, r in enumerate(records)], numbered=False)
    return selection


def _collective_template(src: registry.CertificateSource) -> str:
    return str(getattr(src, "collective_template", "") or recipients.COLLECTIVE_TEMPLATE)


def collect(app: App, key: str, params: dict[str, Any] | None = None) -> Selection:
    """:func:`from_source` in a session of its own (the certificate centre's job)."""
    with app.db.session() as s:
        return from_source(s, key, params)


def record_title(record: object) -> str:
    """What a referenced record is called: its ``title`` or ``name``, else its id."""
    return str(getattr(record, "title", "") or getattr(record, "name", "") or getattr(record, "id", ""))


def _ref_model(ref: str) -> type | None:
    """The model a source's ``ref`` parameter names: a declared reference, else the table of that name."""
    found = registry.ref_models().get(ref)
    if found is not None:
        return found
    for prog in registry.programmes():
        for model in prog.models:
            if getattr(model, "__tablename__", None) == ref:
                return model
    return None


def reference_choices(app: App, ref: str) -> list[tuple[int, str]]:
    """(id, title) of the records a ``ref`` parameter may name, newest first (the centre's picker)."""
    model: Any = _ref_model(ref)
    if model is None:
        return []
    label = getattr(model, "title", None) or model.name
    with app.db.session() as s:
        rows = s.execute(select(model.id, label).order_by(model.id.desc())).all()
    return [(int(i), str(n)) for i, n in rows]


def from_reference(session: Session, param: str, raw: object) -> Selection:
    """Every certificate of the one record ``raw`` names, through the source whose ``ref``
    parameter is called ``param`` (``certificates --competition 7``: all prize-winners of that
    competition, one certificate per team member). :class:`NotFound` for an unknown id."""
    found = [(s, p) for s in sources() for p in s.params if p.name == param and p.kind == "ref" and p.ref]
    if not found:
        raise UnknownSource(param, [s.key for s in sources()])
    src, p = found[0]
    assert p.ref is not None
    model = _ref_model(p.ref)
    if model is None:
        raise UnknownSource(param, [s.key for s in sources()])
    record = record_param(session, model, raw, p.label)
    records = [normalise(r, src.key) for r in src.records(session, {p.name: getattr(record, "id", raw)})]
    selection = Selection(src.key, record_title(record), [], [], src.template, _collective_template(src))
    _keep(selection, [(i + 1, r) for i, r in enumerate(records)], numbered=False)
    return selection


def from_spreadsheet(path: str | Path, sheet: str | None = None, title: str | None = None) -> Selection:
    """A list from .xlsx/.xls/.csv, mapped by its headers; rows numbered as in ``import``.

    The competition a row names comes from its 竞赛/竞赛名称 column, else ``title`` (``--title``),
    else the sheet's title row above the header (…竞赛获奖人员名单 → …竞赛); the event is that
    name and the row's 项目/工种 as one phrase (…竞赛数控铣工项目). A row with a team says
    团体一等奖. Raises ``ReadError`` for a file that cannot be read; a sheet without a 姓名
    column is a ``ValidationError``.
    """
    from desktop.importing.readers import read_sheet

    path = Path(path)
    data = read_sheet(path, sheet)
    match = find_header(data.rows, SHEET_FIELDS)
    if "name" not in match.mapping.values():
        raise ValidationError("name_missing", f"“{path.name}”中找不到“{SHEET_FIELDS[0].label}”列，请检查表头")
    above = [values for _number, values in data.rows[:max(match.index, 0)]]
    default_title = clean_text(title) or wording.title_row(above)
    selection = Selection(GENERAL, default_title or path.stem)
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, raw in apply_mapping(data.rows, match):
        record = normalise(raw, GENERAL)
        if not record["name"]:
            selection.skipped.append(Skipped(number, "缺少姓名"))
            continue
        try:
            record["date"] = validators.date_value(raw.get("date")) if raw.get("date") not in (None, "") else None
        except ValidationError as exc:
            selection.skipped.append(Skipped(number, exc.message))
            continue
        _word(record, default_title)
        record["source_ref"] = f"{path.name}:{number}"[:100]
        rows.append((number, record))
    _keep(selection, rows, numbered=True)
    return selection


def _word(record: dict[str, Any], default_title: str) -> None:
    """A list row's wording: the event as a phrase with the row's title (else ``default_title``),
    团体 on a team's prize; what the row said before (the bare trade, the plain prize) is kept
    as its ``legacy`` identity."""
    trade, award = record.get("event") or "", record.get("award") or ""
    record["title"] = record.get("title") or default_title
    record["trade"] = trade
    record["event"] = wording.event_phrase(record["title"], trade)
    if record.get("team"):
        record["award"] = wording.team_award(award)
    record["legacy"] = [(award, trade)]


def _keep(selection: Selection, rows: list[tuple[int, dict[str, Any]]], *, numbered: bool) -> None:
    """Add the rows, one per person and prize: a repeat is skipped (named when rows are numbered)."""
    first: dict[tuple[object, ...], int] = {}
    for number, record in rows:
        if not record.get("name"):
            if numbered:
                selection.skipped.append(Skipped(number, "缺少姓名"))
            continue
        key = identity(record)
        if key in first:
            if numbered:
                selection.skipped.append(Skipped(number, f"与第 {first[key]} 行是同一人的同一奖项，已跳过"))
            continue
        first[key] = number
        selection.records.append(record)
    selection.skipped.sort(key=lambda s: s.row)
