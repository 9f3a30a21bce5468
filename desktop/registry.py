"""The programme registry: the one list of programmes and what each declares.

The list is :data:`desktop.programmes.PROGRAMMES`, dotted names of packages; each package's
``__init__.py`` holds its :class:`Entry` (``ENTRY``, cheap: no SQLAlchemy, no Qt, so the main
window can paint its tabs before the data layer loads) and a ``declare()`` function returning its
:class:`Programme` (models, reports, certificate sources, facts, CLI, demo …), loaded on demand.
The main window, the certificate centre, the reports menu, the CLI and the demo generator read
it; nothing else names a programme.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.orm import Session

    from desktop.changes import Changes

@dataclass(frozen=True)
class Entry:
    """What a programme's package declares in its ``__init__.py``: enough to paint its tab."""

    key: str
    title: str
    icon: str  # file name in resources/icons
    order: int
    serial_code: str  # upper-case pinyin initials used in certificate serials: JS 竞赛, HS 红色工匠
    tab: str  # "ui.programmes.workers.tab:WorkersTab", imported by ui/ only
    cli: str = ""  # "desktop.programmes.competitions.cli:LISTING": its listing command (a Listing), if any
    # "desktop.programmes.honours.titles:seed_titles": the standard data a new or upgraded database
    # starts with (titles, a rating standard), ``fn(session)`` writing only into empty tables. Named
    # here, not in ``declare()``, so creating a database does not load every programme.
    defaults: str = ""
    module: str = ""  # the package's dotted name (the registry fills it in)


@dataclass(frozen=True)
class ReportParam:
    name: str  # employer, status, year, month, pair...
    label: str
    kind: str = "text"  # text | int | ref | choice | year | month
    required: bool = False
    choices: str | None = None  # choice list key for kind "choice"
    ref: str | None = None  # register key for kind "ref"

    def usage(self) -> str:
        """How `report --list` names it: ``month*`` when required, ``employer=ID``."""
        if self.name in ("year", "month"):
            return self.name + ("*" if self.required else "")
        value = {"ref": "ID", "choice": "CODE", "int": "N"}.get(self.kind, "TEXT")
        return f"{self.name}={value}" + ("*" if self.required else "")


@dataclass(frozen=True)
class ReportContext:
    union_name: str
    today: date
    full: bool = False  # print whole ID numbers (audit-logged by the caller)
    # print a unit's work phone (privacy class contact) whole on the slips handed out (派工单): any
    # account that may write (经办人, 管理员); the report logs that it did (db.audit.log)
    contact: bool = False
    labels: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportSpec:
    key: str  # "workers.roster"
    title: str
    build: Callable[[Session, dict[str, Any], ReportContext], Any]  # -> reports.spec.TableReport
    formats: tuple[str, ...] = ("pdf", "xlsx")
    params: tuple[ReportParam, ...] = ()
    # A document that is not a table (拜师帖): ``write(built, path)`` writes what ``build`` returned.
    write: Callable[[Any, Path], None] | None = None
    # Whether ``--full`` (打印完整身份证号) applies: every table report, and a document that prints
    # ID numbers (推荐表); None is "a table report".
    full_numbers: bool | None = None

    @property
    def offers_full(self) -> bool:
        return self.write is None if self.full_numbers is None else self.full_numbers


@dataclass(frozen=True)
class WorkerFact:
    """Something a programme knows about a worker (a prize, an honour, a pair, aid)."""

    programme: str
    label: str
    detail: str = ""
    when: date | None = None
    kind: str = ""  # prize | honour | pair | training | aid | membership ...


@dataclass(frozen=True)
class CertificateSource:
    """Records of a programme that can receive a certificate (荣誉证书), as plain dicts.

    ``records(session, params)`` returns one dict per certificate with the placeholders it
    supplies: ``name``, ``unit``, ``award``, ``event`` (and optionally ``team``, ``date``,
    ``worker_id``, ``id_number``, ``source_ref``...). ``params`` are those of ``params``
    (``year`` defaults to the current year). A record addressed to a unit (an organisation or a
    team: 五一劳动奖状, 工人先锋号, a star rating) says ``collective: True``, with ``name`` the unit
    as printed and ``organisation_id`` (or a ``source_ref``) instead of a worker.
    """

    key: str  # the programme key; its ENTRY.serial_code is in the serials: UD-2026-JS-00001
    title: str
    records: Callable[[Session, dict[str, Any]], list[dict[str, Any]]]
    params: tuple[ReportParam, ...] = ()
    template: str = "honour"  # the default template key (for people)
    collective_template: str = "citation"  # the default template for units (集体奖状; or "plaque")


@dataclass(frozen=True)
class RecordRef:
    """A record of one programme handed to another (an action's target): table and id."""

    table: str
    id: int


@dataclass(frozen=True)
class Action:
    """Something a programme offers on another programme's records ("推荐评选荣誉" on a
    competition entry). ``run(app, ref, facts)`` receives the reference and the plain facts the
    owning programme publishes (worker, event, rank, flags) and returns what it changed."""

    target: str  # the table whose rows offer it: "competition_entries"
    label: str
    run: Callable[[Any, RecordRef, dict[str, Any]], Changes]


@dataclass(frozen=True)
class FactColumn:
    """A fact another screen shows as a column (an organisation's star level): ``values(session,
    ids)`` answers ``{id: text}`` for the rows of ``target`` ("workers" or "organisations")."""

    target: str
    label: str
    values: Callable[[Session, Sequence[int]], dict[int, str]]


@dataclass(frozen=True)
class Programme:
    key: str
    models: tuple[type, ...] = ()
    reports: tuple[ReportSpec, ...] = ()
    certificate_sources: tuple[CertificateSource, ...] = ()
    worker_facts: Callable[[Session, int], Sequence[WorkerFact]] | None = None
    organisation_facts: Callable[[Session, int], Sequence[WorkerFact]] | None = None
    demo: Callable[..., Any] | None = None
    # Models a report parameter or a form field may refer to by key ("competitions": Competition).
    ref_models: dict[str, type] = field(default_factory=dict)
    actions: tuple[Action, ...] = ()
    columns: tuple[FactColumn, ...] = ()
    # The models ``Entry.defaults`` fills (titles, the rating standard): standard data, not records, so
    # a database holding only them still counts as empty (demo, the first administrator).
    standard: tuple[type, ...] = ()


def _package_list() -> tuple[str, ...]:
    from desktop.programmes import PROGRAMMES

    return PROGRAMMES


@cache
def _entries() -> tuple[Entry, ...]:
    found = []
    for dotted in _package_list():
        module = importlib.import_module(dotted)
        found.append(replace(module.ENTRY, module=dotted))
    return tuple(sorted(found, key=lambda e: e.order))


def entries() -> list[Entry]:
    return list(_entries())


def entry(key: str) -> Entry:
    for e in _entries():
        if e.key == key:
            return e
    raise KeyError(key)


@cache
def programme(key: str) -> Programme:
    module = importlib.import_module(entry(key).module)
    prog: Programme = module.declare()
    return prog


def programmes() -> list[Programme]:
    return [programme(e.key) for e in entries()]


def reports() -> list[ReportSpec]:
    return [r for p in programmes() for r in p.reports]


def report(key: str) -> ReportSpec:
    for r in reports():
        if r.key == key:
            return r
    raise KeyError(key)


def certificate_sources() -> list[CertificateSource]:
    return [c for p in programmes() for c in p.certificate_sources]


def ref_models() -> dict[str, type]:
    """Every model a reference may name, by key (the registers' and each programme's)."""
    return {k: m for p in programmes() for k, m in p.ref_models.items()}


def actions(target: str) -> list[Action]:
    return [a for p in programmes() for a in p.actions if a.target == target]


def fact_columns(target: str) -> list[FactColumn]:
    return [c for p in programmes() for c in p.columns if c.target == target]


def serial_code(key: str) -> str:
    return entry(key).serial_code


def worker_facts(session: Session, worker_id: int) -> list[WorkerFact]:
    """Everything every programme knows about one worker (the worker's page, eligibility hints)."""
    return [f for p in programmes() if p.worker_facts is not None for f in p.worker_facts(session, worker_id)]


def organisation_facts(session: Session, organisation_id: int) -> list[WorkerFact]:
    """Everything every programme knows about one organisation (its page)."""
    return [f for p in programmes() if p.organisation_facts is not None
            for f in p.organisation_facts(session, organisation_id)]


def seed_defaults(session: Session) -> None:
    """Every programme's standard data and the working-day calendar, into a new or upgraded
    database (each only where its table is empty)."""
    from desktop.programmes.core import working_days

    working_days.seed(session)
    for e in entries():
        if e.defaults:
            module, _, name = e.defaults.partition(":")
            getattr(importlib.import_module(module), name)(session)


def standard_tables() -> set[str]:
    """The tables of every programme's standard data (``Programme.standard``)."""
    return {m.__tablename__ for p in programmes() for m in p.standard}  # type: ignore[attr-defined]
