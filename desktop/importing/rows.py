"""What a programme's own import (a nomination list, a demand list, a score sheet) shares: the
refusal of one row, and the counts every such import reports (CLI.md, ``import``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlalchemy.orm import Session

from desktop.importing.problems import Problem
from desktop.importing.validation import cell_text


class RowRejected(Exception):
    """One row refused with its stable ``code`` and a Chinese ``reason``; the row writes nothing."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


@dataclass
class RowsResult:
    rows: int = 0
    imported: int = 0
    skipped: int = 0
    created_organisations: int = 0
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    #: what a created organisation is called in the summary line (企业 for a demand list)
    created_word: ClassVar[str] = "单位"

    @property
    def failed(self) -> bool:
        """Every data row rejected (CLI exit 1)."""
        return self.rows > 0 and len(self.rejected) == self.rows

    def summary(self) -> str:
        made = f"，新建{self.created_word} {self.created_organisations} 家" if self.created_organisations else ""
        return f"导入 {self.imported} 条，跳过 {self.skipped} 条，拒绝 {len(self.rejected)} 条{made}"

    def as_json(self) -> dict[str, Any]:
        return {"imported": self.imported, "updated": 0, "skipped": self.skipped,
                "created_organisations": self.created_organisations,
                "rejected": [p.as_dict() for p in self.rejected], "warnings": [p.as_dict() for p in self.warnings]}


def text(value: object) -> str:
    """A cell as text ('' for an empty one)."""
    return cell_text(value) or ""


def write_rows(session: Session, rows: Sequence[tuple[int, dict[str, Any]]], result: RowsResult,
               write: Callable[[int, dict[str, Any]], list[Problem]], *, dry_run: bool = False,
               progress: Callable[[int, int, str], None] | None = None,
               cancelled: Callable[[], bool] = lambda: False) -> None:
    """Each row through ``write(row_number, record)`` (which returns the row's warnings) in a
    savepoint of its own: a rejected row (RowRejected, ValidationError) leaves nothing and is listed
    with its number; everything is rolled back on a dry run or a cancel."""
    from db.errors import ValidationError
    from desktop.jobs import Cancelled

    outer = session.begin_nested()
    for i, (number, rec) in enumerate(rows, 1):
        if cancelled():
            outer.rollback()
            raise Cancelled
        step = session.begin_nested()
        try:
            warnings = write(number, rec)
        except (RowRejected, ValidationError) as exc:
            step.rollback()
            reason = exc.reason if isinstance(exc, RowRejected) else exc.message
            result.rejected.append(Problem(number, exc.code, reason))
        else:
            step.commit()
            result.warnings.extend(warnings)
        if progress is not None:
            progress(i, len(rows), "正在导入")
    if dry_run:
        outer.rollback()
    else:
        outer.commit()
