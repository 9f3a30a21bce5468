"""What a write changed: the tables and rows a service touched (in the spirit of Anki's OpChanges).

Every function in a programme's ``service`` returns :class:`Changes` (or :class:`Done`, a value
with its changes). The window announces them once; each tab and page that shows one of those
tables refreshes itself. Plain Python: no Qt, no session.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")

#: A change that touches every table (restore, demo data, a new database, settings).
EVERYTHING = "*"


@dataclass(frozen=True)
class Changes:
    """Tables (``workers``, ``competition_entries`` …) and, where known, their row ids."""

    tables: frozenset[str] = frozenset()
    rows: frozenset[tuple[str, int]] = field(default_factory=frozenset)
    message: str = ""  # what to tell the clerk ("已保存：张三"), may be empty

    @classmethod
    def of(cls, *tables: str, rows: Iterable[tuple[str, int]] = (), message: str = "") -> Changes:
        return cls(frozenset(tables), frozenset(rows), message)

    @classmethod
    def everything(cls, message: str = "") -> Changes:
        return cls(frozenset({EVERYTHING}), frozenset(), message)

    def __bool__(self) -> bool:
        return bool(self.tables)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.tables | other.tables, self.rows | other.rows,
                       "；".join(m for m in (self.message, other.message) if m))

    def touches(self, *tables: str) -> bool:
        """Whether a view of ``tables`` must refresh."""
        return EVERYTHING in self.tables or not self.tables.isdisjoint(tables)

    def ids(self, table: str) -> set[int]:
        return {i for t, i in self.rows if t == table}


NOTHING = Changes()


@dataclass(frozen=True)
class Done(Generic[T]):
    """A service's result together with what it changed (a new record's id, a count …)."""

    value: T
    changes: Changes
