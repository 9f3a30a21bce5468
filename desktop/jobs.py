"""Long work as plain functions: progress through a callback, cancellation through a flag.

The GUI runs them on a worker thread behind a progress dialog; the CLI with a progress line.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

Progress = Callable[[int, int, str], None]


class Cancelled(Exception):
    """The clerk cancelled; whatever the job wrote has been rolled back."""


def no_progress(_done: int, _total: int, _what: str = "") -> None:
    return None


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    def __call__(self) -> bool:
        return self._event.is_set()


def database_problem(exc: BaseException) -> str | None:
    """The clerk-readable message for a database driver error (locked, disk full, damaged file),
    or None when ``exc`` is not one (the GUI's job runner asks this without importing db)."""
    from db.database import translate

    problem = translate(exc)
    return problem.message if problem is not None else None


def describe_error(exc: BaseException) -> str:
    """One line about an error for the crash dialog: a database error's driver message, never
    its SQL or numbers (``db.database.describe_error``)."""
    from db.database import describe_error as describe

    return describe(exc)
