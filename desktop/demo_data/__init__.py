"""Realistic demo data for the two shared registers: organisations (单位) and workers (职工、会员).

Qt-free and database-free: :func:`build_registers` returns plain dicts keyed by the model
attribute names of :class:`db.models.core.registers.Organisation` and ``Worker``; choice columns hold
the codes of :mod:`db.choices`. The vocabulary (the home county 宁海县 and its towns, the
industries, chains and trades of the seed articles, surnames, given-name characters, the home
places of migrant workers) lives in ``resources/demo/places.json``.

Everything is drawn from one ``random.Random(seed)``, so a seed (and ``today``) always gives the
same registers. Speed matters (100,000 workers in a few seconds): every weighted choice is a
precomputed cumulative table and a ``bisect``; dates and their strings are cached per day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.demo_data.draw import load_vocabulary
from desktop.demo_data.workers import RegisterBuilder

MAX_ORGANISATIONS = 3000
MIN_ORGANISATIONS = 30
WORKERS_PER_ORGANISATION = 25


def organisation_count(size: int) -> int:
    """How many organisations go with ``size`` workers: one per 25, at least 30, at most 3000."""
    return min(MAX_ORGANISATIONS, max(MIN_ORGANISATIONS, round(size / WORKERS_PER_ORGANISATION)))


def build_registers(
    size: int = 2000, seed: int = 2024, today: date | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Build ``(organisations, workers)`` for the demo database.

    Organisation dicts carry ``"id"`` 1..n and every ``Organisation`` column; worker dicts carry
    ``"employer_id"`` (one of those ids) and every ``Worker`` column except ``id``. Choice columns
    hold codes (``"male"``, ``"party_member"``...), dates are :class:`datetime.date`. The same
    ``seed`` and ``today`` always give the same registers; ``today`` defaults to the current date.
    """
    if size < 0:
        raise ValueError("size must not be negative")
    builder = RegisterBuilder(seed, today or date.today())
    orgs, profiles = builder.organisations(organisation_count(size))
    workers = builder.workers(size, orgs, profiles)
    return orgs, workers


__all__ = ["build_registers", "load_vocabulary", "organisation_count"]
