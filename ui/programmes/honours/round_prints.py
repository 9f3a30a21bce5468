"""The 评选 page's prints (公示名单, 推荐表, 推荐对象汇总表: the report dialog opened on the chosen
round and nomination) and its 导入推荐名单 (a background job into the chosen round)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from desktop.context import App
from desktop.programmes.honours import queries
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
        from ui.kit.import_job import import_job

        r = self.current()
        if r is None:
            return None
        app, rid = self.app, r.id
        self.job = import_job(self, tr("推荐名单"), "honours", lambda target, progress, cancelled: import_file(
            app, target, round_id=rid, progress=progress, cancelled=cancelled), self.message.setText, path)
        return self.job
