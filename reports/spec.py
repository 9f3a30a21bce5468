"""The plain table description ``desktop/`` hands to the report writers.

``reports`` never imports the models: ``desktop/`` builds a :class:`TableReport` from a
record description (labels, kinds) and rows of plain values it has already masked.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from .linebreak import SOFT

__all__ = [
    "KINDS",
    "PAYMENT_SIGNATURES",
    "ColumnSpec",
    "TableReport",
    "column_units",
    "display_width",
    "format_cell",
    "sample_rows",
]

#: ``text`` left-aligned; ``int`` and ``amount`` (money, 1,234.50) right-aligned;
#: ``date`` (2024-03-05) and ``id`` (ID/phone numbers, always text) centred.
KINDS: tuple[str, ...] = ("text", "date", "int", "id", "amount")


@dataclass(frozen=True)
class ColumnSpec:
    """One column. ``width`` is the preferred width in characters counted as Excel
    does: a digit or Latin letter is 1, a Chinese character 2 (姓名 with three-character
    names: 8; an 18-digit ID number: 20). Columns grow to fit their header label and,
    within reason, their contents."""

    key: str
    label: str
    width: int = 12
    kind: str = "text"
    #: filled in by hand on the printed form (签字, blank scores, 评议, 备注 to write in): a table with
    #: such a column gets rows tall enough to write in (at least 10 mm)
    handwritten: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"列“{self.label}”的类型 {self.kind!r} 无效，应为 {', '.join(KINDS)} 之一")


@dataclass
class TableReport:
    """A titled table for printing (PDF) or handing on (Excel).

    ``rows`` hold ``str``/``int``/``float``/``Decimal``/``date``/``None`` values in
    column order, already masked by ``desktop``. ``landscape=None`` chooses landscape
    when the columns do not fit a portrait A4 page.
    """

    title: str
    columns: list[ColumnSpec]
    rows: Sequence[Sequence[object]]
    union_name: str
    subtitle: str = ""
    printed_on: date = field(default_factory=date.today)
    landscape: bool | None = None
    footnote: str = ""
    zebra: bool = False
    #: the signature block under the table (制表人：＿＿＿, 评委签名：＿＿＿, 日期：＿＿＿), laid out in rows of
    #: up to three; printed on the same page as the table's last rows
    signatures: tuple[str, ...] = ()

    @property
    def handwritten(self) -> bool:
        """Whether any column is filled in by hand (the rows are then tall enough to write in)."""
        return any(c.handwritten for c in self.columns)

    def check(self) -> None:
        """Raise ``ValueError`` naming the first row whose length is wrong."""
        if not self.columns:
            raise ValueError(f"报表“{self.title}”没有列")
        n = len(self.columns)
        for i, row in enumerate(self.rows, 1):
            if len(row) != n:
                raise ValueError(f"报表“{self.title}”第 {i} 行有 {len(row)} 个值，应有 {n} 个")


#: the lines every payment list (津贴发放表 and any list of money paid) ends with
PAYMENT_SIGNATURES: tuple[str, ...] = ("制表人：＿＿＿＿＿＿", "审核人：＿＿＿＿＿＿", "日期：＿＿＿＿年＿＿月＿＿日")


def display_width(text: str) -> int:
    """Width in Excel character units: East Asian wide/fullwidth characters count 2."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def format_cell(value: object, kind: str = "text") -> str:
    """A value as printed in a table cell: dates 2024-03-05, amounts 1,234.50, ``None`` empty."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "是" if value else "否"
    if kind == "amount" and isinstance(value, int | float | Decimal):
        return f"{value:,.2f}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0")
    return str(value).replace(SOFT, "")  # a certificate's break mark (event names) is never printed


# how far contents may widen a column beyond its declared width
_CONTENT_CAP = 30


def sample_rows(
    rows: Sequence[Sequence[object]], head: int = 500, spread: int = 1500
) -> Sequence[Sequence[object]]:
    """Rows to size the columns by: the first ``head`` rows, about ``spread`` more taken
    evenly from the rest, and the last row (where serial numbers are longest)."""
    rows = rows if isinstance(rows, list | tuple) else list(rows)
    n = len(rows)
    if n <= head + spread:
        return rows
    step = max(1, (n - head) // spread)
    return [*rows[:head], *rows[head::step], rows[-1]]


def column_units(report: TableReport) -> list[int]:
    """Each column's width in character units: the declared width, widened to fit the
    header label and (sampling the first rows) the contents, up to a cap."""
    units = []
    sample = sample_rows(report.rows)
    for j, col in enumerate(report.columns):
        content = 0
        for row in sample:
            text = format_cell(row[j], col.kind)
            if text:
                content = max(content, max(display_width(line) for line in text.splitlines() or [""]))
        cap = max(col.width, _CONTENT_CAP)
        label = max((display_width(part) for part in col.label.splitlines()), default=0)
        units.append(max(col.width, label, min(content, cap), 2))
    return units
