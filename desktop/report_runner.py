"""Build a registered report from the database and write it as PDF or .xlsx."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from db import audit
from desktop.context import App, open_app
from desktop.jobs import Progress, no_progress
from desktop.registry import ReportContext, ReportSpec


def write_report(app: App, spec: ReportSpec, params: dict[str, Any], out: Path, *, full: bool = False,
                 progress: Progress = no_progress, cancelled: Callable[[], bool] = lambda: False) -> None:
    with app.db.session() as s:
        ctx = ReportContext(union_name=app.union_name, today=date.today(), full=full, labels=app.labels())
        table = spec.build(s, params, ctx)
        if full:  # committed before the file is written; when it cannot be, nothing is written
            audit.log_before_output(s, "print_full", spec.key, note=f"{out}", target=Path(out).name)
    if spec.write is not None:  # a document of its own (拜师帖), not a table
        spec.write(table, out)
        return
    step = lambda d, t: progress(d, t, "正在生成报表")  # noqa: E731
    if out.suffix.lower() == ".pdf":
        from reports.fonts import find_fonts
        from reports.pdf_table import write_table_pdf

        write_table_pdf(table, out, find_fonts(), progress=step, cancelled=cancelled)
    else:
        from reports.xlsx import write_table_xlsx

        write_table_xlsx(table, out, progress=step, cancelled=cancelled)


def run_report(db_arg: str | None, spec: ReportSpec, params: dict[str, Any], out: Path, *, full: bool) -> None:
    app = open_app(db_arg)
    try:
        write_report(app, spec, params, out, full=full)
    finally:
        app.close()
