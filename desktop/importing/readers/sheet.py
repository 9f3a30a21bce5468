"""What a reader returns (``SheetData``), how it fails (``ReadError``), and the limits it enforces."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

# --- limits (module constants so tests and callers can see them) -------------------------
MAX_UNCOMPRESSED_TOTAL: Final = 500 * 1024 * 1024  # sum of a zip's declared member sizes
MAX_MEMBER_RATIO: Final = 100  # uncompressed : compressed, checked on large members
RATIO_CHECK_MIN_SIZE: Final = 20 * 1024 * 1024  # a member this large must not exceed the ratio
MAX_ZIP_MEMBERS: Final = 10_000
MAX_CENTRAL_DIRECTORY: Final = 32 * 1024 * 1024
MAX_TEXT_BYTES: Final = 128 * 1024 * 1024  # a CSV larger than this is refused
MAX_CELLS: Final = 20_000_000  # stored cells (after trimming), a memory bound beside max_rows
MAX_SCANNED_CELLS: Final = 150_000_000  # cells the parser hands over, blank ones included: a time bound
MAX_MERGED_RANGES: Final = 200_000
DENSE_LIMIT: Final = 1024  # a row with a value past this column is kept sparse until the table is laid out
MAX_EMPTY_RUN: Final = 64  # more empty columns than this in a row are left out of the table
MAX_FORMULA_CELLS: Final = 10_000  # formula cells without a cached value that are listed
XLS_MERGE_INFO_LIMIT: Final = 64 * 1024 * 1024  # .xls files up to this size get merged-cell info
PROLOG_SCAN_BYTES: Final = 64 * 1024

ERROR_CODES: Final = (
    "empty_file",
    "not_spreadsheet",
    "encrypted",
    "zip_bomb",
    "xml_bomb",
    "too_many_rows",
    "sheet_not_found",
    "corrupt",
    "unreadable",
)

OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MESSAGE: Final = "文件已加密，请在 Excel 中取消密码后另存再导入"


class ReadError(ValueError):
    """A file that cannot be read as a table; ``code`` is one of ``ERROR_CODES``."""

    def __init__(self, code: str, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.detail = detail  # the underlying library's wording, for logs; not shown to the clerk

    def __repr__(self) -> str:
        return f"ReadError({self.code!r}, {self.message!r})"


@dataclass
class SheetData:
    """One sheet's non-blank rows as (row number as shown, cell values)."""

    name: str
    rows: list[tuple[int, tuple[object, ...]]]
    sheet_names: list[str]
    # The sheet's 1-based column number of each position when empty columns were left out.
    columns: list[int] | None = None
    # (row number, cell reference such as "C5") of formula cells without a cached value, in
    # sheet order, at most MAX_FORMULA_CELLS of them; formula_total counts them all.
    formula_cells: list[tuple[int, str]] = field(default_factory=list)
    formula_total: int = 0

    def column_number(self, position: int) -> int:
        """The sheet's 1-based column number of a 0-based position in the rows."""
        if self.columns is None or position >= len(self.columns):
            return position + 1
        return self.columns[position]

