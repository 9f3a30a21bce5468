"""One import as the clerk runs it: read, match headers, validate, back up, write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop.context import App
from desktop.importing import importer
from desktop.importing.readers import ReadError
from desktop.jobs import Progress, no_progress


def import_file(app: App, kind: str, path: Path, *, sheet: str | None = None, dry_run: bool = False,
                on_duplicate: str = "skip", mapping: dict[int, str | None] | None = None,
                progress: Progress = no_progress,
                cancelled: Callable[[], bool] = lambda: False) -> importer.ImportReport:
    """Import ``path`` into a register. Raises ReadError for a file that cannot be read."""
    progress(0, 1, "正在读取文件")
    data, match = importer.read_and_match(path, kind, sheet)
    missing = [m for m in match.missing_required if mapping is None or m not in mapping.values()]
    if missing:
        labels = {f.key: f.label for f in importer.header_fields(importer.MODELS[kind])}
        raise ReadError("header_missing", f"找不到必填列：{'、'.join(labels.get(m, m) for m in missing)}"
                        f"（在前 15 行中未找到表头，请检查表头名称）")
    labels = app.labels()
    with app.db.session() as s:
        p = importer.plan(s, kind, data, match, labels, mapping=mapping, on_duplicate=on_duplicate,
                          progress=progress, cancelled=cancelled)
    if dry_run or not (p.inserts or p.updates):
        return p.report
    app.backup("before-import")
    return importer.write(app.db, p, progress=progress, cancelled=cancelled)
