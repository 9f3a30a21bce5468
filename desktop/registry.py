"""The programme registry: the one list of programmes and their reports.

The main window, the certificate centre, the reports menu, the CLI and the demo generator
read it; nothing else lists programmes. An entry is cheap to import (no SQLAlchemy, no
Qt), so the main window can paint its tabs before the data layer loads; the rest of a
programme's declaration (:class:`Programme`) lives in its module and loads on demand.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Entry:
    """One registry line: what the main window needs to paint a tab."""

    key: str
    title: str
    icon: str  # file name in resources/icons
    order: int
    module: str  # desktop.programmes.<key>: defines PROGRAMME
    tab: str  # "ui.tabs.workers:WorkersTab", imported by ui/ only


ENTRIES: tuple[Entry, ...] = (
    Entry("workers", "职工", "workers.svg", 10, "desktop.programmes.workers", "ui.tabs.workers:WorkersTab"),
    Entry("organisations", "单位", "organisations.svg", 20, "desktop.programmes.organisations",
          "ui.tabs.organisations:OrganisationsTab"),
    Entry("red_craftsman", "红色工匠", "red_craftsman.svg", 30, "desktop.programmes.red_craftsman",
          "ui.tabs.red_craftsman:RedCraftsmanTab"),
    Entry("competitions", "技能竞赛", "competitions.svg", 40, "desktop.programmes.competitions",
          "ui.tabs.competitions:CompetitionsTab"),
    Entry("mentoring", "师徒结对", "mentoring.svg", 60, "desktop.programmes.mentoring",
          "ui.tabs.mentoring:MentoringTab"),
)


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
    (``year`` defaults to the current year).
    """

    key: str  # the programme key, used in serials: UD-2026-competitions-00001
    title: str
    records: Callable[[Session, dict[str, Any]], list[dict[str, Any]]]
    params: tuple[ReportParam, ...] = ()
    template: str = "honour"  # the default template key


@dataclass(frozen=True)
class Programme:
    key: str
    models: tuple[type, ...] = ()
    reports: tuple[ReportSpec, ...] = ()
    certificate_sources: tuple[CertificateSource, ...] = ()
    worker_facts: Callable[[Session, int], Sequence[WorkerFact]] | None = None
    demo: Callable[..., Any] | None = None


def entries() -> list[Entry]:
    return sorted(ENTRIES, key=lambda e: e.order)


def entry(key: str) -> Entry:
    for e in ENTRIES:
        if e.key == key:
            return e
    raise KeyError(key)


@cache
def programme(key: str) -> Programme:
    module = importlib.import_module(entry(key).module)
    prog: Programme = module.PROGRAMME
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


def worker_facts(session: Session, worker_id: int) -> list[WorkerFact]:
    """Everything every programme knows about one worker (the worker's page, eligibility hints)."""
    facts: list[WorkerFact] = []
    for p in programmes():
        if p.worker_facts is not None:
            facts.extend(p.worker_facts(session, worker_id))
    return facts
