"""A programme's own list imported from a spreadsheet (推荐名单, 企业需求): the file chosen by the
clerk, the import run as a job behind a progress dialog, what changed announced once, and the
summary with the rejected rows (their row numbers and reasons) shown on the page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from ui.kit.changes import announce
from ui.kit.cultivation import tr

SHEETS = "表格文件 (*.xlsx *.xlsm *.xls *.csv)"


def import_job(owner: QWidget, what: str, remember: str, work: Callable[[Path, Any, Any], Any],
               show: Callable[[str], None], path: Path | None = None) -> Any:
    """Import ``what`` (推荐名单): ``work(path, progress, cancelled)`` returns ``Done(result, changes)``
    with the result's ``summary()``, ``rejected`` and ``warnings``. The running job (the caller keeps
    it), or None when the clerk chose no file."""
    from ui.kit.jobs import Job

    if path is None:
        from ui.dialogs.common import choose_open_file

        path = choose_open_file(owner, tr("选择") + what, tr(SHEETS), remember)
        if path is None:
            return None
    target = Path(path)

    def done(outcome: Any) -> None:
        announce(outcome.changes)
        result = outcome.value
        lines = [tr("导入完成：") + result.summary()]
        lines += [tr("第 {0} 行：{1}").format(p.row, p.reason) for p in result.rejected[:20]]
        if len(result.rejected) > 20:
            lines.append(tr("……另有 {0} 行被拒绝（命令行 import --json 可列出全部）").format(len(result.rejected) - 20))
        lines += [tr("第 {0} 行（提示）：{1}").format(p.row, p.reason) for p in result.warnings[:5]]
        show("<br>".join(lines))

    job = Job(owner, lambda progress, cancelled: work(target, progress, cancelled), done)
    return job.with_progress(tr("正在导入") + what + "…").run()
