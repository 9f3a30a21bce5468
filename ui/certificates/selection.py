"""The certificate centre's selection widgets: the list of who will receive a certificate, and
what the centre says under the source (how many, the rows skipped). A source's parameters are
the kit's :class:`ui.kit.param_form.ParamForm`."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.certificates.sources import Selection
from reports.certificates import variables


def tr(text: str) -> str:
    return QCoreApplication.translate("CertificateParams", text)


class RecordsTable(QTableWidget):
    """Who receives a certificate: name, unit, award, event (headed as the placeholders are)."""

    KEYS = ("name", "unit", "award", "event")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.KEYS), parent)
        headings = [variables.by_key(k) for k in self.KEYS]
        self.setHorizontalHeaderLabels([tr(v.column) for v in headings if v is not None])
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)

    def show_records(self, records: list[dict[str, Any]]) -> None:
        self.setRowCount(len(records))
        for r, rec in enumerate(records):
            for c, key in enumerate(self.KEYS):
                item = QTableWidgetItem(str(rec.get(key) or ""))
                item.setToolTip(item.text())
                self.setItem(r, c, item)


def describe(selection: Selection | None) -> tuple[str, str]:
    """(summary, skipped rows) as the centre shows them under the source."""
    if selection is None:
        return tr("尚未读取名单"), ""
    n = len(selection.records)
    summary = tr("{0}：共 {1} 人").format(selection.title, n) + ("" if n else tr("（预览为示例）"))
    lines = [s.line() for s in selection.skipped]
    skipped = (tr("跳过 {0} 行：").format(len(lines)) + "；".join(lines[:8]) + ("…" if len(lines) > 8 else "")
               if lines else "")
    return summary, skipped
