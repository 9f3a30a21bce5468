"""The 评选 page's prints (公示名单, 推荐表, 推荐对象汇总表: the report dialog opened on the chosen
round and nomination) and its 导入推荐名单 (a background job into the chosen round)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from desktop.context import App
from desktop.programmes.honours import queries
from ui.kit.changes import announce
from ui.kit.cultivation import tr


class RoundPrints:
    """Mixed into the 评选 page, which gives the chosen round and nomination."""

    # What the page has (annotations only: nothing here hides the page's or QWidget's own).
    app: App
    dialog: Any
    job: Any
    message: QLabel
    current: Callable[[], queries.RoundRow | None]
    nomination: Callable[[], queries.NominationRow | None]
    window: Callable[[], QWidget]

    def open_report(self, key: str, params: dict[str, Any]) -> Any:
        from ui.dialogs.reports import open_report_with

        self.dialog = open_report_with(self.window(), self.app, key, params)
        return self.dialog

    def print_publicity(self) -> Any:
        r = self.current()
        return self.open_report("honours.publicity", {"round": r.id}) if r is not None else None

    def print_summary(self) -> Any:
        r = self.current()
        return self.open_report("honours.nominations", {"round": r.id}) if r is not None else None

    def print_form(self) -> Any:
        n = self.nomination()
        return self.open_report("honours.form", {"round": n.round_id, "nomination": n.id}) if n is not None else None

    def import_file(self, path: Path | None = None) -> Any:
        """导入推荐名单… into the chosen round (a file chosen by the clerk unless ``path``)."""
        from desktop.programmes.honours.importing import import_file
        from ui.kit.jobs import Job

        r = self.current()
        if r is None:
            return None
        if path is None:
            from ui.dialogs.common import choose_open_file

            path = choose_open_file(self, tr("选择推荐名单"), tr("表格文件 (*.xlsx *.xlsm *.xls *.csv)"), "honours")
            if path is None:
                return None
        app, rid, target = self.app, r.id, Path(path)

        def work(progress: Any, cancelled: Any) -> Any:
            return import_file(app, target, round_id=rid, progress=progress, cancelled=cancelled)

        def done(outcome: Any) -> None:
            announce(outcome.changes)
            result = outcome.value
            lines = [tr("导入完成：") + result.summary()]
            lines += [f"第 {p.row} 行：{p.reason}" for p in result.rejected[:20]]
            lines += [f"第 {p.row} 行（提示）：{p.reason}" for p in result.warnings[:5]]
            self.message.setText("<br>".join(lines))

        self.job = Job(self, work, done).with_progress(tr("正在导入推荐名单…"))
        return self.job.run()

