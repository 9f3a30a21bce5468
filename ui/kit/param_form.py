"""The one parameter form: a widget per :class:`~desktop.registry.ReportParam` (a year, a month,
a number, a record of a register or programme, a choice, text), read back as plain values.

The report dialog and the certificate centre both build their parameters with it. Records for a
``ref`` parameter come from the ``options`` function the owner passes (a ``desktop`` function: this
module runs no query); a searchable combo lists them (type part of a name to find it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from desktop.registry import ReportParam
from ui.dialogs.common import error_label, field_box, show_error
from ui.kit.filter_bar import fit_combo

ALL = "（全部）"
#: (id, shown name) of the records a ``ref`` parameter may name, or None: type the value instead.
Options = Callable[[str], Sequence[tuple[int, str]] | None]
Labels = Callable[[], dict[str, dict[str, str]]]


def tr(text: str) -> str:
    return QCoreApplication.translate("ParamForm", text)


@dataclass
class Field:
    """One parameter's widget, how to read it and the red line under it."""

    param: ReportParam
    widget: QWidget
    read: Callable[[], Any]  # -> value, None (not given), or raises ValueError with a message
    error: QLabel


class ParamForm(QWidget):
    """One row per parameter; :meth:`values` reads them all (errors shown under the fields)."""

    def __init__(self, options: Options, labels: Labels, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.options = options
        self.labels = labels
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fields: dict[str, Field] = {}
        self._rows = 0

    # -- building -------------------------------------------------------------------------------

    def set_params(self, params: Sequence[ReportParam]) -> None:
        """Replace the parameter rows (rows the owner added after them stay)."""
        for _ in range(self._rows):
            self.form.removeRow(0)
        self.fields = {}
        choice_labels = self.labels() if any(p.kind == "choice" and p.choices for p in params) else {}
        for row, p in enumerate(params):
            widget, read = self._widget(p, choice_labels)
            widget.setObjectName(f"param_{p.name}")
            error = error_label()
            box = field_box(widget, error)
            label = QLabel(p.label + (tr("（必填）") if p.required else "") + tr("："))
            label.setBuddy(widget)
            self.form.insertRow(row, label, box)
            self.fields[p.name] = Field(p, widget, read, error)
        self._rows = len(params)
        self.setVisible(bool(params) or self.form.rowCount() > 0)

    def _widget(self, p: ReportParam, choice_labels: dict[str, dict[str, str]]
                ) -> tuple[QWidget, Callable[[], Any]]:
        today = date.today()
        if p.kind == "year" or p.name == "year":
            spin = QSpinBox()
            spin.setRange(1950, 2100)
            spin.setValue(today.year)
            spin.setSuffix(tr(" 年"))
            spin.setMaximumWidth(120)
            return spin, spin.value
        if p.kind == "month" or p.name == "month":
            edit = QDateEdit(QDate(today.year, today.month, 1))
            edit.setDisplayFormat("yyyy年M月")
            edit.setCalendarPopup(False)
            edit.setMaximumWidth(140)
            if p.required:
                return edit, lambda: f"{edit.date().year():04d}-{edit.date().month():02d}"
            # An optional month (a statistics table): 全年 leaves it out, and the report covers the year.
            box, whole = QWidget(), QCheckBox(tr("全年"))
            whole.setObjectName(f"param_{p.name}_whole")
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(edit)
            row.addWidget(whole)
            row.addStretch(1)
            whole.toggled.connect(lambda on: edit.setEnabled(not on))
            return box, lambda: None if whole.isChecked() else f"{edit.date().year():04d}-{edit.date().month():02d}"
        if p.kind == "int":
            spin = QSpinBox()
            spin.setRange(0, 1_000_000_000)
            return spin, spin.value
        if p.kind == "ref" and p.ref:
            options = self.options(p.ref)
            if options is not None:
                return self._ref_combo(p, options)
        if p.kind == "choice" and p.choices:
            combo = QComboBox()
            if not p.required:
                combo.addItem(tr(ALL), None)
            for code, label in choice_labels.get(p.choices, {}).items():
                combo.addItem(label, code)
            fit_combo(combo)  # （全部） and the longest label whole, at 100 % and 125 %
            return combo, combo.currentData
        edit = QLineEdit()

        def read_text() -> str | None:
            text = edit.text().strip()
            if not text and p.required:
                raise ValueError(tr("请填写{0}").format(p.label))
            return text or None

        return edit, read_text

    def _ref_combo(self, p: ReportParam, options: Sequence[tuple[int, str]]) -> tuple[QWidget, Callable[[], Any]]:
        """A searchable combo of the records (type part of a name to find it)."""
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        if not p.required:
            combo.addItem(tr(ALL), None)
        for rid, name in options:
            combo.addItem(name, rid)
        completer = QCompleter(combo.model(), combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        combo.setCompleter(completer)
        combo.setMinimumContentsLength(16)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        def read_ref() -> int | None:
            text = combo.currentText().strip()
            if not text or text == tr(ALL):
                if p.required:
                    raise ValueError(tr("请选择{0}").format(p.label))
                return None
            index = combo.findText(text, Qt.MatchFlag.MatchExactly)
            if index < 0:
                raise ValueError(tr("没有名为“{0}”的{1}，请从列表中选择").format(text, p.label))
            value = combo.itemData(index)
            return int(value) if value is not None else None

        return combo, read_ref

    # -- values ---------------------------------------------------------------------------------

    def set_value(self, name: str, value: Any) -> None:
        """Choose a parameter's value as the clerk would (a record made after the list was
        filled is added to it)."""
        field = self.fields.get(name)
        if field is None:
            return
        widget = field.widget
        if isinstance(widget, QComboBox):
            index = widget.findData(value)
            if index < 0 and value is not None:
                widget.addItem(str(value), value)
                index = widget.count() - 1
            widget.setCurrentIndex(index)
            if widget.isEditable() and index >= 0:
                widget.setEditText(widget.itemText(index))
        elif isinstance(widget, QSpinBox):
            widget.setValue(int(value))
        elif isinstance(widget, QDateEdit) or widget.findChild(QDateEdit) is not None:
            edit = widget if isinstance(widget, QDateEdit) else widget.findChild(QDateEdit)
            whole = widget.findChild(QCheckBox)
            if whole is not None:  # an optional month: None is the whole year
                whole.setChecked(value is None)
            if value is not None:
                y, m = (int(x) for x in str(value).split("-")[:2])
                edit.setDate(QDate(y, m, 1))
        elif isinstance(widget, QLineEdit):
            widget.setText("" if value is None else str(value))

    def set_values(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            self.set_value(name, value)

    def values(self) -> dict[str, Any] | None:
        """Every given value, or None (the problems shown under their fields)."""
        out: dict[str, Any] = {}
        ok = True
        for name, field in self.fields.items():
            try:
                value = field.read()
            except ValueError as exc:
                show_error(field.error, str(exc))
                ok = False
                continue
            show_error(field.error, None)
            if value is not None:
                out[name] = value
        return out if ok else None

    def shown(self) -> list[str]:
        """What the chosen values say, in order (a pair's name, 2026年3月, a status): the words
        a file name is made of. Parameters left at （全部） are left out."""
        words: list[str] = []
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, QComboBox):
                text = widget.currentText().strip() if widget.currentData() is not None else ""
            elif isinstance(widget, QSpinBox):
                text = widget.text().replace(" ", "")
            elif isinstance(widget, QDateEdit):
                text = widget.text()
            elif isinstance(widget, QLineEdit):
                text = widget.text().strip()
            else:
                text = ""
            if text:
                words.append(text)
        return words
