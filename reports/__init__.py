"""Output files from plain data: printable reports (ReportLab), Excel workbooks (openpyxl),
Chinese dates and numerals, font discovery.

This package imports nothing of ours except ``resources`` and never Qt or SQLAlchemy:
``desktop/`` hands it plain values (see ``reports.spec``). Importing the package itself
is cheap; ReportLab and openpyxl load only with the submodule that needs them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

__all__ = ["CancelCallback", "Cancelled", "ProgressCallback", "atomic_output"]

#: ``progress(done, total)``: called now and then by a long job; ``total`` stays fixed.
ProgressCallback = Callable[[int, int], None]
#: ``cancelled()``: polled by a long job; ``True`` makes it stop and raise :class:`Cancelled`.
CancelCallback = Callable[[], bool]


class Cancelled(Exception):
    """A long job was stopped because its ``cancelled()`` callback returned ``True``.

    Nothing is left behind: the output file is written to a temporary file and only
    moved into place when the job finishes.
    """

    def __init__(self, message: str = "已取消") -> None:
        super().__init__(message)


@contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces ``path``
    (``os.replace``), on any error or :class:`Cancelled` it is removed, so a failed job
    never leaves a half-written file (nor destroys an older one)."""
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        raise FileNotFoundError(f"文件夹不存在：{folder}")
    # not tempfile.mkstemp: its 0600 mode would stick to the finished file; this honours umask
    while True:
        tmp = folder / f".{target.stem}-{secrets.token_hex(4)}.tmp"
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            break
        except FileExistsError:
            continue
    try:
        yield tmp
        try:
            os.replace(tmp, target)
        except PermissionError as exc:
            raise PermissionError(f"无法写入“{target}”：文件可能正在其他程序中打开，请关闭后重试。") from exc
    finally:
        with suppress(FileNotFoundError, PermissionError):
            tmp.unlink()
