"""The files a clerk asks for: a registered report (PDF or .xlsx) or a register exported to
.xlsx, built from the database on the job thread, and the name such a file is offered under.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from db import audit
from desktop.accounts.roles import REVEAL, WRITE
from desktop.context import App, open_app
from desktop.jobs import Progress, no_progress
from desktop.paths import file_name
from desktop.registry import ReportContext, ReportSpec


def write_report(app: App, spec: ReportSpec, params: dict[str, Any], out: Path, *, full: bool = False,
                 progress: Progress = no_progress, cancelled: Callable[[], bool] = lambda: False) -> None:
    if full:  # whole ID numbers: a legal document (拜师帖) or a report printed --full
        app.require(REVEAL, "打印完整证件号码")
    with app.db.session() as s:
        ctx = ReportContext(union_name=app.union_name, today=date.today(), full=full, labels=app.labels(),
                            contact=app.can(WRITE))
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


def report_file_name(spec: ReportSpec, shown: Sequence[str], fmt: str, today: date | None = None) -> str:
    """What the report holds, then the day: ``拜师帖-王建国（数控铣工）-2026-12-05.pdf``,
    ``职工名册-宁海县跃龙模具有限公司-在会-2026-12-05.xlsx`` (``shown``: the chosen parameters
    as the dialog shows them; those left at （全部） are not in it)."""
    return file_name(spec.title, *shown, f"{(today or date.today()):%Y-%m-%d}", suffix="." + fmt)


def export_file_name(kind: str, shown: int | None, today: date | None = None) -> str:
    """``职工名册-2026-12-05.xlsx``, or ``职工名册-筛选出的35条-2026-12-05.xlsx`` for the rows a
    filter shows."""
    from desktop.exporting import TITLES

    scope = f"筛选出的{shown}条" if shown is not None else ""
    return file_name(TITLES.get(kind, kind), scope, f"{(today or date.today()):%Y-%m-%d}", suffix=".xlsx")


def export_register_file(app: App, kind: str, out: Path, *, ids: Sequence[int] | None = None, full: bool = False,
                         progress: Progress = no_progress, cancelled: Callable[[], bool] = lambda: False) -> int:
    """A register (or the rows ``ids``, in their order) as an .xlsx workbook; the number of rows."""
    from desktop.exporting import export_register

    if full:
        app.require(REVEAL, "导出完整证件号码")
    labels = app.labels()
    with app.db.session() as s:
        return export_register(s, kind, out, labels, app.union_name, ids=ids, full=full, progress=progress,
                               cancelled=cancelled)
