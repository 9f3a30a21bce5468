"""The certificate centre's selection widgets: a source's parameters (year, a competition...)
as a small form, and the list of who will receive a certificate with the rows skipped."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)
from sqlalchemy import select

from desktop.certificates.sources import Selection
from desktop.context import App
from desktop.registry import ReportParam
from ui.dialogs.common import error_label, show_error

ALL = "（全部）"


def tr(text: str) -> str:
    return QCoreApplication.translate("CertificateParams", text)


def ref_options(app: App, ref: str) -> list[tuple[int, str]]:
    """(id, title) of the records of the table ``ref`` (a register, or competitions), newest first."""
    from desktop import registry

    for prog in registry.programmes():
        for model in prog.models:
            if getattr(model, "__tablename__", None) == ref:
                label = getattr(model, "title", None) or model.name  # type: ignore[attr-defined]
                with app.db.session() as s:
                    rows = s.execute(select(model.id, label).order_by(model.id.desc())).all()  # type: ignore[attr-defined]
                return [(int(i), str(n)) for i, n in rows]
    return []


class ParamForm(QWidget):
    """One widget per :class:`~desktop.registry.ReportParam`; ``values()`` reads them."""

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.widgets: dict[str, tuple[QWidget, Callable[[], Any]]] = {}
        self.error = error_label()

    def set_params(self, params: list[ReportParam]) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.widgets = {}
        for p in params:
            widget, read = self._widget(p)
            widget.setObjectName(f"param_{p.name}")
            self.form.addRow(QLabel(p.label + "："), widget)
            self.widgets[p.name] = (widget, read)
        self.error = error_label()
        self.form.addRow(self.error)
        self.setVisible(bool(params))

    def _widget(self, p: ReportParam) -> tuple[QWidget, Callable[[], Any]]:
        if p.kind == "year" or p.name == "year":
            spin = QSpinBox()
            spin.setRange(1950, 2100)
            spin.setValue(date.today().year)
            spin.setSuffix(tr(" 年"))
            return spin, spin.value
        if p.kind == "ref" and p.ref:
            combo = QComboBox()
            if not p.required:
                combo.addItem(tr(ALL), None)
            for rid, title in ref_options(self.app, p.ref):
                combo.addItem(title, rid)
            combo.setMinimumContentsLength(16)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

            def read_ref() -> int | None:
                value = combo.currentData()
                if value is None and p.required:
                    raise ValueError(tr("请选择{0}").format(p.label))
                return None if value is None else int(value)

            return combo, read_ref
        if p.kind == "choice" and p.choices:
            combo = QComboBox()
            if not p.required:
                combo.addItem(tr(ALL), None)
            for code, label in self.app.labels().get(p.choices, {}).items():
                combo.addItem(label, code)
            return combo, combo.currentData
        if p.kind == "int":
            spin = QSpinBox()
            spin.setRange(0, 1_000_000_000)
            return spin, spin.value
        edit = QLineEdit()

        def read_text() -> str | None:
            text = edit.text().strip()
            if not text and p.required:
                raise ValueError(tr("请填写{0}").format(p.label))
            return text or None

        return edit, read_text

    def set_values(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            if name not in self.widgets:
                continue
            widget = self.widgets[name][0]
            if isinstance(widget, QComboBox):
                index = widget.findData(value)
                if index < 0 and value is not None:  # a record made after the list was filled
                    widget.addItem(str(value), value)
                    index = widget.count() - 1
                widget.setCurrentIndex(index)
            elif isinstance(widget, QSpinBox):
                widget.setValue(int(value))
            elif isinstance(widget, QLineEdit):
                widget.setText("" if value is None else str(value))

    def values(self) -> dict[str, Any] | None:
        out: dict[str, Any] = {}
        for name, (_widget, read) in self.widgets.items():
            try:
                value = read()
            except ValueError as exc:
                show_error(self.error, str(exc))
                return None
            if value is not None:
                out[name] = value
        show_error(self.error, None)
        return out



class RecordsTable(QTableWidget):
    """Who receives a certificate: name, unit, award, event."""

    KEYS = ("name", "unit", "award", "event")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.KEYS), parent)
        self.setHorizontalHeaderLabels([tr("姓名"), tr("单位"), tr("奖项"), tr("项目")])
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
