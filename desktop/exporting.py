"""Export a register (or the rows a filter shows) to .xlsx, from the record description."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from db import audit
from db.fields import describe
from desktop.jobs import Progress, no_progress
from desktop.programmes.core.registers import MODELS
from desktop.records import column_specs, load_table
from reports.spec import TableReport
from reports.xlsx import write_table_xlsx

TITLES = {"workers": "职工名册", "organisations": "单位名册"}


def export_register(session: Session, kind: str, path: Path, labels: dict[str, dict[str, str]], union_name: str,
                    *, ids: Sequence[int] | None = None, full: bool = False, progress: Progress = no_progress,
                    cancelled: Callable[[], bool] = lambda: False) -> int:
    """Write every described column of the chosen rows; returns the row count.

    ``ids`` are the rows a filter shows, in their order (None: all). ``full`` writes whole ID
    and phone numbers and is audit-logged: the audit row is committed (with the session's
    transaction) before the file is written, and when it cannot be, nothing is written.
    """
    model = MODELS[kind]
    table = load_table(session, model, labels, columns=describe(model))
    index = {rid: i for i, rid in enumerate(table.ids)}
    order = [index[r] for r in ids if r in index] if ids is not None else list(range(len(table.ids)))
    rows = [table.masked_row(i, full) for i in order]
    report = TableReport(title=TITLES[kind], columns=column_specs(table.columns, full=full), rows=rows,
                         union_name=union_name, printed_on=date.today(),
                         subtitle=f"共 {len(rows)} 条" + ("（含完整证件号码）" if full else ""))
    if full:  # audited and committed first: no file with whole numbers exists without its row
        audit.log_before_output(session, "export_full", model.__tablename__,  # type: ignore[attr-defined]
                                note=f"{len(rows)} 条，文件 {path}", target=Path(path).name)
    write_table_xlsx(report, path, progress=lambda d, t: progress(d, t, "正在导出"), cancelled=cancelled)
    return len(rows)
