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
