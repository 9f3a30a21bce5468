"""One import as the clerk runs it: read, match headers, validate, back up, write.

The CLI calls :func:`import_file`; the GUI reads and matches first (the clerk may correct
the mapping), previews with ``importer.plan``, then calls :func:`validate_and_write`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop.context import App
from desktop.importing import importer
from desktop.importing.headers import HeaderMatch
from desktop.importing.readers import ReadError, SheetData
from desktop.jobs import Cancelled, Progress, no_progress


def import_file(app: App, kind: str, path: Path, *, sheet: str | None = None, dry_run: bool = False,
                on_duplicate: str = "skip", progress: Progress = no_progress,
                cancelled: Callable[[], bool] = lambda: False) -> importer.ImportReport:
    """Import ``path`` into a register. Raises ReadError for a file that cannot be read."""
    if not dry_run:
        from desktop.accounts.roles import WRITE

        app.require(WRITE, "导入数据")
    progress(0, 1, "正在读取文件")
    data, match = importer.read_and_match(path, kind, sheet)
    if match.missing_required:
        labels = {f.key: f.label for f in importer.header_fields(importer.MODELS[kind])}
        raise ReadError("header_missing", f"找不到必填列：{'、'.join(labels.get(m, m) for m in match.missing_required)}"
                        f"（在前 15 行中未找到表头，请检查表头名称）")
    report, _ = validate_and_write(app, kind, data, match, dry_run=dry_run, on_duplicate=on_duplicate,
                                   progress=progress, cancelled=cancelled)
    return report


def validate_and_write(app: App, kind: str, data: SheetData, match: HeaderMatch, *,
                       mapping: dict[int, str | None] | None = None, on_duplicate: str = "skip",
                       dry_run: bool = False, progress: Progress = no_progress,
                       cancelled: Callable[[], bool] = lambda: False) -> tuple[importer.ImportReport, Path | None]:
    """Validate against the register as it is now, back up, then write every valid row at once.

    Returns the report and the pre-import backup (None when nothing was written).
    A write needs the WRITE permission (checked before the backup: Core bulk writes).
    """
    if not dry_run:
        from desktop.accounts.roles import WRITE

        app.require(WRITE, "导入数据")
    labels = app.labels()
    with app.db.session() as s:
        p = importer.plan(s, kind, data, match, labels, mapping=mapping, on_duplicate=on_duplicate,
                          progress=progress, cancelled=cancelled)
    if dry_run or not (p.inserts or p.updates):
        return p.report, None
    if cancelled():
        raise Cancelled
    progress(0, 0, "正在备份数据库")
    backup = app.backup("before-import")
    return importer.write(app.db, p, progress=progress, cancelled=cancelled), backup
