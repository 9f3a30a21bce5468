"""A form built from described columns (``db.fields.Column``), two fields to a row.

The caller asks its programme's ``queries`` for the columns (the model never reaches ``ui/``)
and for the values to start from; labels, the required mark, help texts and the editor kind
all come from each column's :class:`~db.fields.Field`. A Boolean column (``extras["flag"]``)
is a check box. Extra widgets a description cannot make (a worker picker, a list) go in with
:meth:`DescribedForm.add_widget`.

    form = DescribedForm(columns, app.labels(), self)     # columns: list[db.fields.Column]
    form.set_values({"title": "…", "kind": "individual"})
    values = form.values()                                # {name: value}: codes for choices
    form.show_errors({"end_date": "结束日期不能早于开始日期"})
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db.fields import Column

#: ``Column.extras`` key marking a Boolean column (the description has no boolean kind).
FLAG = "flag"


def tr(text: str) -> str:
    return QCoreApplication.translate("DescribedForm", text)


def label_html(label: str, required: bool) -> str:
    return label + ("<span style='color:#c62828'> *</span>" if required else "")


class DescribedForm(QWidget):
    """Editors for ``columns``, two to a row; a wide text or a note takes a row of its own."""

    def __init__(self, columns: Sequence[Column], labels: dict[str, dict[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = {c.name: c for c in columns}
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self._getters: dict[str, Callable[[], Any]] = {}
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(6)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self._slot = 0
        for col in columns:
            f = col.field
            widget = self._editor(col, labels)
            widget.setObjectName(f"field_{col.name}")
            if f.help:
                widget.setToolTip(f.help)
            wide = f.kind == "multiline" or (f.kind == "text" and f.width >= 30)
            self._add(col.name, label_html(f.label, f.required), widget, wide=wide)

    @staticmethod
    def _editor(col: Column, labels: dict[str, dict[str, str]]) -> QWidget:
        f = col.field
        if col.extras.get(FLAG):
            return QCheckBox(f.label)
        if f.kind == "choice":
            combo = QComboBox()
            if not f.required:
                combo.addItem("", None)
            for code, label in labels.get(f.choices or "", {}).items():
                combo.addItem(label, code)
            return combo
        if f.kind == "int":
            spin = QSpinBox()
            spin.setRange(0, 9999)
            spin.setMaximumWidth(110)
            return spin
        if f.kind == "multiline":
            text = QPlainTextEdit()
            text.setTabChangesFocus(True)
            text.setFixedHeight(58)
            return text
        edit = QLineEdit()
        if f.kind == "date":
            edit.setPlaceholderText(tr("如 %1").replace("%1", date.today().isoformat()))
        elif f.kind == "phone":
            edit.setPlaceholderText(tr("如 0574-65551234"))
        return edit

    def add_widget(self, name: str, label: str, widget: QWidget, *, wide: bool = True,
                   value: Callable[[], Any] | None = None) -> None:
        """Place a widget the description cannot make; ``value()`` gives its value in :meth:`values`."""
        widget.setObjectName(widget.objectName() or f"field_{name}")
        self._add(name, label, widget, wide=wide)
        if value is not None:
            self._getters[name] = value

    def _add(self, name: str, label: str, widget: QWidget, *, wide: bool) -> None:
        self.editors[name] = widget
        error = QLabel()
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.hide()
        self.errors[name] = error
        if wide:
            row = (self._slot + 1) // 2  # a wide field takes a row of its own, where it is declared
            self._place(widget, error, label, row, 0, 3)
            self._slot = (row + 1) * 2
            return
        self._place(widget, error, label, self._slot // 2, (self._slot % 2) * 2, 1)
        self._slot += 1

    def _place(self, widget: QWidget, error: QLabel, label: str, row: int, col: int, span: int) -> None:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(error)
        if isinstance(widget, QCheckBox):
            self.grid.addWidget(box, row, col + 1, 1, span)
            return
        text = QLabel(label)
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setBuddy(widget)
        self.grid.addWidget(text, row, col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(box, row, col + 1, 1, span)

    def values(self) -> dict[str, Any]:
        """Each field's value: a choice's code, a number, a flag, the text as typed."""
        out: dict[str, Any] = {}
        for name, w in self.editors.items():
            if name in self._getters:
                out[name] = self._getters[name]()
            elif isinstance(w, QCheckBox):
                out[name] = w.isChecked()
            elif isinstance(w, QComboBox):
                out[name] = w.currentData()
            elif isinstance(w, QSpinBox):
                out[name] = w.value()
            elif isinstance(w, QPlainTextEdit):
                out[name] = w.toPlainText()
            elif isinstance(w, QLineEdit):
                out[name] = w.text()
        return out

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Fill the described fields from ``values`` (missing names are left empty)."""
        for name, w in self.editors.items():
            if name in self._getters:
                continue
            value = values.get(name)
            if isinstance(w, QCheckBox):
                w.setChecked(bool(value))
            elif isinstance(w, QComboBox):
                i = w.findData(value)
                w.setCurrentIndex(max(i, 0))
            elif isinstance(w, QSpinBox):
                w.setValue(int(value or 0))
            elif isinstance(w, QPlainTextEdit):
                w.setPlainText(value or "")
            elif isinstance(w, QLineEdit):
                w.setText(value.isoformat() if isinstance(value, date) else (str(value) if value else ""))

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Each field's problem in red under it (none: hidden)."""
        for name, label in self.errors.items():
            message = errors.get(name)
            label.setText(message or "")
            label.setVisible(bool(message))
