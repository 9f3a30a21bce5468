"""One editor of the registers' record form (ui.kit.form): the widget a field's kind calls for (made
by the described form's factory, ui.kit.described_form.make_editor, except the reference list), its
label, its error line, and for a stored ID or phone number the masked view with 显示/重填."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
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
from ui.kit.described_form import (
    Spec,
    error_label,
    field_label,
    label_html,
    make_editor,
    read_value,
    write_value,
)


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
        self.error = error_label(form)
        self._ref_items: dict[str, int] = {}
        self.widget: QWidget
        if f.kind == "ref" and f.editable:
            self.widget = self._ref_combo(form, refs.get(f.ref or "", []))
        else:
            kind = f.kind if f.kind in ("choice", "int", "multiline") and f.editable else "text"
            items = [(text, code) for code, text in labels.get(f.choices or "", {}).items()]
            self.widget = make_editor(Spec(col.name, f.label, kind, items, help=f.help, placeholder=placeholder(col),
                                           blank=True, maximum=99_999_999), form)
            if f.editable:
                self._connect(form, self.widget)
        if not f.editable:
            assert isinstance(self.widget, QLineEdit)
            self.widget.setReadOnly(True)
            self.widget.setPlaceholderText(form.tr("根据身份证号自动填写") if f.kind == "date" else "")
        self.widget.setObjectName(f"field_{col.name}")
        if f.help:
            self.widget.setToolTip(f.help)
        self.label = field_label(label_html(f.label, f.required), self.widget, form)
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
            from desktop.accounts.roles import REVEAL
            from ui.accounts.permits import gate

            gate(self.reveal_button, REVEAL, getattr(form, "app", None))
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

    def _connect(self, form: EditorHost, w: QWidget) -> None:
        """Each edit re-checks the form; a choice made, or a line left, shows its problem."""
        if isinstance(w, QComboBox):
            w.currentIndexChanged.connect(lambda _i: form.field_edited(self, touch=True))
        elif isinstance(w, QSpinBox):
            w.valueChanged.connect(lambda _v: form.field_edited(self))
        elif isinstance(w, QPlainTextEdit):
            w.textChanged.connect(lambda: form.field_edited(self))
        elif isinstance(w, QLineEdit):
            w.textChanged.connect(lambda _t: form.field_edited(self))
            w.editingFinished.connect(lambda: form.field_edited(self, touch=True))

    def _ref_combo(self, form: EditorHost, refs: list[tuple[int, str]]) -> QComboBox:
        """A reference (the employer): an editable list with completion on any part of the name."""
        combo = QComboBox(form)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItem("", None)
        for rid, name in refs:
            combo.addItem(name, rid)
            self._ref_items.setdefault(name, rid)
        completer = QCompleter([n for _r, n in refs], combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        combo.setCompleter(completer)
        edit = combo.lineEdit()
        edit.setPlaceholderText(form.tr("输入单位名称的一部分，从列表中选择"))
        edit.textChanged.connect(lambda _t: form.field_edited(self))
        edit.editingFinished.connect(lambda: form.field_edited(self, touch=True))
        return combo

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
        if isinstance(w, QComboBox) and self.col.field.kind == "ref":
            text = w.currentText().strip()
            return self._ref_items.get(text) if text else None
        value = read_value(w)
        return (value or None) if isinstance(w, QSpinBox) else value

    def ref_problem(self) -> str | None:
        if self.col.field.kind != "ref" or not isinstance(self.widget, QComboBox):
            return None
        text = self.widget.currentText().strip()
        if text and text not in self._ref_items:
            return f"单位名册中没有“{text}”，请从列表中选择，或先在“单位”页新增"
        return None

    def set(self, value: Any, ref_name: str | None = None) -> None:
        if isinstance(self.widget, QComboBox) and self.col.field.kind == "ref":
            blocker = QSignalBlocker(self.widget)
            self.widget.setEditText(ref_name or "")
            del blocker
            return
        write_value(self.widget, value, keep_unknown=True, quiet=True)  # a code no longer listed: kept

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
