"""The edit form of a register record, built from the record description (db.fields).

One editor per described column: a line edit for text, names, ID, phone and credit codes;
a combo box for choices (labels shown, codes kept); a line edit taking ``2024-03-05`` for
dates; a spin box for numbers; an editable combo box with completion for references; a
plain-text box for notes. Each field shows its problem in red under it as the clerk types
or leaves it; OK stays disabled while anything is wrong. Derived fields (the birth date)
are read-only and follow the ID number live. Saving goes through desktop.programmes.core.registers.save.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import shiboken6
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from db import validators
from db.errors import DatabaseProblem, ValidationError
from db.fields import Column, describe
from desktop.context import App
from desktop.programmes.core import registers
from desktop.records import ref_model

KIND_TITLES = {"workers": "职工", "organisations": "单位"}
_LINE_KINDS = ("text", "name", "id_number", "phone", "credit_code")
_PLACEHOLDERS = {
    "id_number": "18位身份证号码",
    "phone": "如 13812345678 或 0574-65551234",
    "credit_code": "18位统一社会信用代码",
    "date": "如 2024-03-05",
}
_UNIQUE_KEY = {"workers": "id_number", "organisations": "credit_code"}


class FieldEditor:
    """One column's editor, its label and its error line."""

    def __init__(self, form: RecordForm, col: Column, labels: dict[str, dict[str, str]],
                 refs: dict[str, list[tuple[int, str]]]) -> None:
        self.col = col
        self.name = col.name
        f = col.field
        self.touched = False
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
            placeholder = _PLACEHOLDERS.get(f.kind)
            if placeholder:
                edit.setPlaceholderText(form.tr(placeholder))
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
        box.addWidget(self.widget)
        box.addWidget(self.error)

    # ----------------------------------------------------------------- values

    def get(self) -> Any:
        """The value for desktop.programmes.core.registers.validate: codes for choices, ids for refs."""
        w = self.widget
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


class RecordForm(QDialog):
    """新增/编辑 a worker or an organisation. Emits ``saved(record_id)`` after a commit."""

    saved = Signal(int)

    def __init__(self, app: App, kind: str, record_id: int | None = None,
                 parent: QWidget | None = None, labels: dict[str, dict[str, str]] | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.kind = kind
        self.record_id = record_id
        self.saved_id: int | None = None
        self._updating = False
        self.setObjectName("recordForm")
        model = registers.MODELS[kind]
        title = KIND_TITLES.get(kind, kind)
        labels = labels if labels is not None else app.labels()
        columns = describe(model)
        refs = self._load_refs(columns)

        self.editors: dict[str, FieldEditor] = {}
        body = QWidget(self)
        grid = QGridLayout(body)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        grid.setContentsMargins(4, 4, 12, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setColumnMinimumWidth(1, 220)
        grid.setColumnMinimumWidth(3, 220)
        slot = 0
        wide: list[FieldEditor] = []
        for col in columns:
            editor = FieldEditor(self, col, labels, refs)
            self.editors[col.name] = editor
            if col.field.kind in ("multiline", "ref"):
                wide.append(editor)
                continue
            self._place(grid, editor, slot // 2, (slot % 2) * 2, 1)
            slot += 1
        row = (slot + 1) // 2
        for editor in wide:
            self._place(grid, editor, row, 0, 3)
            row += 1
        grid.setRowStretch(row, 1)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)

        self.problem = QLabel(self)
        self.problem.setObjectName("formProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("带 * 的为必填项。身份证号、手机号码仅用于会员管理，列表中默认隐藏部分数字。"), self)
        heading.setObjectName("formHint")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

        if record_id is None:
            self.setWindowTitle(self.tr("新增%1").replace("%1", title))
        else:
            name = self._fill(model, record_id)
            self.setWindowTitle(self.tr("编辑%1 — %2").replace("%1", title).replace("%2", name))
        self.resize(780, min(760, body.sizeHint().height() + 130))
        self.revalidate()

    @staticmethod
    def _place(grid: QGridLayout, editor: FieldEditor, row: int, col: int, span: int) -> None:
        grid.addWidget(editor.label, row, col, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        grid.addWidget(editor.box, row, col + 1, 1, span, Qt.AlignmentFlag.AlignTop)

    def _load_refs(self, columns: list[Column]) -> dict[str, list[tuple[int, str]]]:
        refs: dict[str, list[tuple[int, str]]] = {}
        wanted = {c.field.ref for c in columns if c.field.kind == "ref" and c.field.ref}
        if not wanted:
            return refs
        with self.app.db.session() as s:
            for key in wanted:
                m = ref_model(key)
                rows = s.execute(select(m.id, m.name).order_by(m.name)).all()  # type: ignore[attr-defined]
                refs[key] = [(int(r[0]), str(r[1])) for r in rows]
        return refs

    def _fill(self, model: type, record_id: int) -> str:
        with self.app.db.session() as s:
            obj = s.get(model, record_id)
            if obj is None:
                raise ValidationError("not_found", "记录已不存在（可能已被删除）")
            for name, editor in self.editors.items():
                value = getattr(obj, name)
                ref_name = None
                if editor.col.field.kind == "ref" and value is not None and editor.col.field.ref:
                    target = s.get(ref_model(editor.col.field.ref), value)
                    ref_name = getattr(target, "name", None)
                editor.set(value, ref_name)
            return str(getattr(obj, "name", "") or "")

    # ----------------------------------------------------------------- validation

    def values(self) -> dict[str, Any]:
        return {name: e.get() for name, e in self.editors.items() if e.col.field.editable}

    def field_edited(self, editor: FieldEditor, touch: bool = False) -> None:
        # Focus leaving a field while the form is being destroyed still signals: ignore that.
        if self._updating or not shiboken6.isValid(self) or not shiboken6.isValid(self.ok_button):
            return
        if touch:
            editor.touched = True
        self.revalidate()

    def _check(self) -> tuple[dict[str, Any], dict[str, str]]:
        clean, errors = registers.validate(self.kind, self.values())
        for name, editor in self.editors.items():
            problem = editor.ref_problem()
            if problem:
                errors[name] = problem
        return clean, errors

    def errors(self) -> dict[str, str]:
        """Every current problem, keyed by field name (shown or not yet)."""
        return self._check()[1]

    def revalidate(self) -> dict[str, str]:
        """Check every field, fill derived ones, show the errors of fields the clerk has touched."""
        clean, errors = self._check()
        self._updating = True
        try:
            self._derive(clean, errors)
        finally:
            self._updating = False
        for name, editor in self.editors.items():
            message = errors.get(name)
            if message and not editor.touched:
                editor.touched = self._complete_enough(editor)
            editor.show_error(message if editor.touched else None)
        self.problem.hide()
        self.ok_button.setEnabled(not errors)
        return errors

    def _complete_enough(self, editor: FieldEditor) -> bool:
        """Show an error before the field is left once it is long enough to judge (a full ID)."""
        if editor.col.field.kind in ("id_number", "credit_code"):
            value = editor.get()
            return isinstance(value, str) and len(value.strip()) >= 18
        return False

    def _derive(self, clean: dict[str, Any], errors: dict[str, str]) -> None:
        """Fill derived fields from the ID number; offer the gender it implies when none is chosen."""
        if self.kind != "workers" or "id_number" not in self.editors:
            return
        birth = self.editors.get("birth_date")
        info = None
        if "id_number" not in errors:
            raw = self.editors["id_number"].get()
            try:
                info = validators.id_info(raw) if raw and str(raw).strip() else None
            except ValidationError:
                info = None
        if birth is not None:
            birth.set(info.birth_date if info else None)
        gender = self.editors.get("gender")
        if info is not None and gender is not None and gender.get() is None and not gender.touched:
            gender.set(info.gender)

    # ----------------------------------------------------------------- saving

    def save(self) -> None:
        for editor in self.editors.values():
            editor.touched = True
        if self.revalidate():
            return
        try:
            with self.app.db.session() as s:
                rid = registers.save(s, self.kind, self.record_id, self.values())
        except ValidationError as exc:
            key = _UNIQUE_KEY.get(self.kind)
            if exc.code == "duplicate" and key in self.editors:
                self.editors[key].show_error(exc.message)
            else:
                self.problem.setText(exc.message)
                self.problem.show()
            self.ok_button.setEnabled(False)
            return
        except DatabaseProblem as exc:
            QMessageBox.warning(self, self.tr("未能保存"), exc.message)
            return
        self.saved_id = rid
        self.record_id = rid
        self.saved.emit(rid)
        self.accept()


def edit_record(parent: QWidget, app: App, kind: str, record_id: int | None,
                on_saved: Callable[[int], None], labels: dict[str, dict[str, str]] | None = None) -> RecordForm:
    """Open the form window-modally (not blocking); ``on_saved(record_id)`` after a save."""
    form = RecordForm(app, kind, record_id, parent, labels=labels)
    form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    form.saved.connect(on_saved)
    form.open()
    return form
