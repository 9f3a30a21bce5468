"""One problem an import found in a row: its number as the spreadsheet shows it, a stable code and
the reason in Chinese. Every importer (registers, competitions) reports rows this way."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# A unit missing from the register: what the plan (preview, --dry-run) says, then what the write did.
PLANNED, CREATED = "导入时将新建", "已新建"


@dataclass
class Problem:
    row: int
    code: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "code": self.code, "reason": self.reason}
