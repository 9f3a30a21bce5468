"""One editor of the described form (ui.kit.form): the widget a field's kind calls for, its
label, its error line, and for a stored ID or phone number the masked view with 显示/重填."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db.fields import Column
from desktop.programmes.core.forms import placeholder
from desktop.programmes.core.register_queries import REVEALABLE


class EditorHost(Protocol):
    """What an editor asks of its form."""

    def tr(self, text: str) -> str: ...
    def field_edited(self, editor: FieldEditor, touch: bool = False) -> None: ...
    def reveal(self, name: str) -> str: ...
    def replace(self, name: str) -> None: ...


class FieldEditor:
    """One column's editor, its label and its error line."""

    def __init__(self, form: EditorHost, col: Column, labels: dict[str, dict[str, str]],
                 refs: dict[str, list[tuple[int, str]]]) -> None:
        self.col = col
        self.name = col.name
        f = col.field
        self.touched = False
        self.masked = False  # showing a stored number masked: not sent unless revealed or replaced
        self.reveal_button: QToolButton | None = None
        self.replace_button: QToolButton | None = None
        self.label = QLabel(f.label + ("<span style='color:#c62828'> *</span>" if f.required else ""), form)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.error = QLabel(form)
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        self._ref_items: dict[str, int] = {}
        self.widget: QWidget
        if not f.editable:
            edit = QLineEdit(form)
            edit.setReadOnly(True)
            edit.setObjectName("derivedField")
            edit.setPlaceholderText(form.tr("根据身份证号自动填写") if f.kind == "date" else "")
            self.widget = edit
        elif f.kind == "choice":
            combo = QComboBox(form)
            combo.addItem("", None)
            for code, label in labels.get(f.choices or "", {}).items():
                combo.addItem(label, code)
            combo.currentIndexChanged.connect(lambda _i: form.field_edited(self, touch=True))
            self.widget = combo
        elif f.kind == "int":
            spin = QSpinBox(form)
            spin.setRange(0, 99_999_999)
            spin.setSpecialValueText(" ")  # 0 shows empty: not filled in
            spin.setGroupSeparatorShown(True)
            spin.valueChanged.connect(lambda _v: form.field_edited(self))
            self.widget = spin
        elif f.kind == "ref":
            combo = QComboBox(form)
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.addItem("", None)
            for rid, name in refs.get(f.ref or "", []):
                combo.addItem(name, rid)
                self._ref_items.setdefault(name, rid)
            completer = QCompleter([n for _r, n in refs.get(f.ref or "", [])], combo)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            combo.setCompleter(completer)
            edit = combo.lineEdit()
            edit.setPlaceholderText(form.tr("输入单位名称的一部分，从列表中选择"))
            edit.textChanged.connect(lambda _t: form.field_edited(self))
            edit.editingFinished.connect(lambda: form.field_edited(self, touch=True))
            self.widget = combo
        elif f.kind == "multiline":
            text = QPlainTextEdit(form)
            text.setTabChangesFocus(True)
            text.setFixedHeight(64)
            text.textChanged.connect(lambda: form.field_edited(self))
            self.widget = text
        else:
            edit = QLineEdit(form)
            example = placeholder(col)
            if example:
                edit.setPlaceholderText(example)
            edit.textChanged.connect(lambda _t: form.field_edited(self))
            edit.editingFinished.connect(lambda: form.field_edited(self, touch=True))
            self.widget = edit
        self.widget.setObjectName(f"field_{col.name}")
        if f.help:
            self.widget.setToolTip(f.help)
        self.label.setBuddy(self.widget)
        self.label.setMinimumHeight(min(self.widget.sizeHint().height(), 32))
        # The editor with its error line under it, as one cell of the form's grid.
        self.box = QWidget(form)
        box = QVBoxLayout(self.box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        if f.privacy in REVEALABLE and isinstance(self.widget, QLineEdit) and f.editable:
            line = QHBoxLayout()
            line.setSpacing(4)
            line.addWidget(self.widget, 1)
            self.reveal_button = QToolButton(self.box)
            self.reveal_button.setText(form.tr("显示"))
            self.reveal_button.setToolTip(form.tr("显示完整号码（将记入操作日志）"))
            self.reveal_button.setObjectName(f"reveal_{col.name}")
            self.reveal_button.clicked.connect(lambda: form.reveal(self.name))
            self.replace_button = QToolButton(self.box)
            self.replace_button.setText(form.tr("重填"))
            self.replace_button.setToolTip(form.tr("清空后重新填写（不显示原号码）"))
            self.replace_button.setObjectName(f"replace_{col.name}")
            self.replace_button.clicked.connect(lambda: form.replace(self.name))
            line.addWidget(self.reveal_button)
            line.addWidget(self.replace_button)
            self.reveal_button.hide()
            self.replace_button.hide()
            box.addLayout(line)
        else:
            box.addWidget(self.widget)
        box.addWidget(self.error)

    def set_masked(self, text: str) -> None:
        """Show a stored number masked, read-only, with 显示 and 重填 beside it."""
        assert isinstance(self.widget, QLineEdit)
        self.masked = True
        self.set(text)
        self.widget.setReadOnly(True)
        self.widget.setObjectName("maskedField")
        for button in (self.reveal_button, self.replace_button):
            if button is not None:
                button.show()

    def unmask(self, text: str) -> None:
        """Editable again, holding ``text`` (the revealed number, or nothing to type a new one)."""
        assert isinstance(self.widget, QLineEdit)
        self.masked = False
        self.widget.setReadOnly(False)
        self.widget.setObjectName(f"field_{self.name}")
        for button in (self.reveal_button, self.replace_button):
            if button is not None:
                button.hide()
        self.set(text)

    # ----------------------------------------------------------------- values

    def get(self) -> Any:
        """The value for desktop.programmes.core.registers.validate: codes for choices, ids for refs."""
        w = self.widget
        if self.masked:
            return None  # not sent (RecordForm.values leaves it out)
        if isinstance(w, QComboBox):
            if self.col.field.kind == "ref":
                text = w.currentText().strip()
                return self._ref_items.get(text) if text else None
            return w.currentData()
        if isinstance(w, QSpinBox):
            return w.value() or None
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        assert isinstance(w, QLineEdit)
        return w.text()

    def ref_problem(self) -> str | None:
        if self.col.field.kind != "ref" or not isinstance(self.widget, QComboBox):
            return None
        text = self.widget.currentText().strip()
        if text and text not in self._ref_items:
            return f"单位名册中没有“{text}”，请从列表中选择，或先在“单位”页新增"
        return None

    def set(self, value: Any, ref_name: str | None = None) -> None:
        w = self.widget
        blocker = QSignalBlocker(w)
        if isinstance(w, QComboBox):
            if self.col.field.kind == "ref":
                w.setEditText(ref_name or "")
            else:
                i = w.findData(value)
                if i < 0 and value:
                    w.addItem(str(value), value)  # a code no longer in the list: keep it
                    i = w.count() - 1
                w.setCurrentIndex(max(i, 0))
        elif isinstance(w, QSpinBox):
            w.setValue(int(value or 0))
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText("" if value is None else str(value))
        else:
            assert isinstance(w, QLineEdit)
            if isinstance(value, date | datetime):
                value = value.isoformat()[:10]
            w.setText("" if value is None else str(value))
        del blocker

    def show_error(self, message: str | None) -> None:
        if message:
            self.error.setText(message)
            self.error.show()
            self.widget.setProperty("invalid", True)
        else:
            self.error.clear()
            self.error.hide()
            self.widget.setProperty("invalid", False)
        self.widget.style().unpolish(self.widget)
        self.widget.style().polish(self.widget)
