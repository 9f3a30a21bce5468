"""What a register import found (``ImportReport``) and what it will write (``Plan``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop.importing.problems import Problem


@dataclass
class ImportReport:
    kind: str
    imported: int = 0
    updated: int = 0
    skipped: int = 0
    created_organisations: int = 0
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    data_rows: int = 0
    header_row: int = 0
    # Rejected rows as read (header text -> value), so the clerk can fix and re-import them.
    rejected_rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def summary(self) -> str:
        return (f"导入 {self.imported} 条，更新 {self.updated} 条，跳过 {self.skipped} 条，"
                f"拒绝 {len(self.rejected)} 条")

    def as_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported, "updated": self.updated, "skipped": self.skipped,
            "created_organisations": self.created_organisations,
            "rejected": [p.as_dict() for p in self.rejected],
            "warnings": [p.as_dict() for p in self.warnings],
        }

    @property
    def failed(self) -> bool:
        """CLI exit 1: the file had data rows and every one was rejected."""
        return self.data_rows > 0 and len(self.rejected) == self.data_rows


@dataclass
class Plan:
    """Validated rows, ready to write."""

    kind: str
    report: ImportReport
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)  # each with "id"
    new_organisations: dict[str, dict[str, Any]] = field(default_factory=dict)  # name key -> row
