"""The edit form of a register record, built from the record description (db.fields).

One editor per described column, made and placed by the kit's described form
(ui.kit.described_form: its editor factory and its grid): a line edit for text, names, ID,
phone and credit codes; a combo box for choices (labels shown, codes kept); a line edit taking
``2024-03-05`` for dates; a spin box for numbers; an editable combo box with completion for
references; a plain-text box for notes. Each field shows its problem in red under it as the clerk types
or leaves it; OK stays disabled while anything is wrong. Derived fields (the birth date)
are read-only and follow the ID number live.

A stored ID or phone number starts masked, as on the worker's page: 显示 shows it whole (the
look audit-logged, ``registers.reveal_values``), 重填 clears it to type a new one; a masked number
the clerk leaves alone is not sent and stays as it is. The form reads through
``register_queries``, checks with ``registers.validate`` (the service checks the same way) and
saves through ``registers.save_record``, announcing what changed; it never opens a session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from db.errors import DatabaseProblem, ValidationError
from db.fields import Column
from desktop import registry
from desktop.context import App
from desktop.programmes.core import register_queries, registers
from desktop.programmes.core.register_queries import FormRecord
from desktop.records import ref_choices
from ui.kit.changes import announce
from ui.kit.described_form import DescribedForm
from ui.kit.form_fields import FieldEditor

_UNIQUE_KEY = {"workers": "id_number", "organisations": "credit_code"}


def kind_title(kind: str) -> str:
    """The register's title (职工, 单位): its programme's tab title."""
    try:
        return registry.entry(kind).title
    except KeyError:
        return kind


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
        self.record: FormRecord | None = None
        title = kind_title(kind)
        labels = labels if labels is not None else app.labels()
        columns = register_queries.form_columns(kind)
        refs = self._load_refs(columns)
        if record_id is not None:  # read first: a record deleted meanwhile raises not_found
            self.record = register_queries.form_record(app, kind, record_id)

        self.editors: dict[str, FieldEditor] = {}
        # The kit's described-form grid, two to a row; references and notes each take a row, last.
        body = DescribedForm([], labels, self)
        grid = body.grid
        grid.setVerticalSpacing(8)
        grid.setContentsMargins(4, 4, 12, 4)
        grid.setColumnMinimumWidth(1, 220)
        grid.setColumnMinimumWidth(3, 220)
        for col in columns:
            self.editors[col.name] = FieldEditor(self, col, labels, refs)
        for wide in (False, True):
            for editor in self.editors.values():
                if (editor.col.field.kind in ("multiline", "ref")) == wide:
                    body.place(editor.label, editor.box, wide=wide)
        grid.setRowStretch(body.rows(), 1)

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
        from desktop.accounts.roles import WRITE
        from ui.accounts.permits import gate

        gate(self.ok_button, WRITE, app)  # a 只读 account may open a record, never save it
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

        if self.record is None:
            self.setWindowTitle(self.tr("新增%1").replace("%1", title))
        else:
            self._fill(self.record)
            self.setWindowTitle(self.tr("编辑%1 — %2").replace("%1", title).replace("%2", self.record.name))
        self.resize(780, min(760, body.sizeHint().height() + 130))
        self.revalidate()

    def _load_refs(self, columns: list[Column]) -> dict[str, list[tuple[int, str]]]:
        wanted = {c.field.ref for c in columns if c.field.kind == "ref" and c.field.ref}
        return {key: ref_choices(self.app, key) for key in sorted(wanted)}

    def _fill(self, record: FormRecord) -> None:
        for name, editor in self.editors.items():
            value = record.values.get(name)
            if name in record.masked:
                editor.set_masked(str(value))
            else:
                editor.set(value, record.ref_names.get(name))

    # ----------------------------------------------------------------- masked numbers

    def reveal(self, name: str) -> str:
        """Show a masked number whole (audit-logged before it is shown), editable."""
        if self.record_id is None:
            return ""
        try:
            full = registers.reveal_values(self.app, self.kind, self.record_id, [name])
        except (ValidationError, DatabaseProblem) as exc:
            QMessageBox.warning(self, self.tr("无法显示"), exc.message)
            return ""
        self._updating = True
        try:
            self.editors[name].unmask(full.get(name, ""))
            for other, value in full.items():  # the birth date's day, with the ID number
                if other != name and other in self.editors and not self.editors[other].col.field.editable:
                    self.editors[other].set(value)
        finally:
            self._updating = False
        self.revalidate()
        return full.get(name, "")

    def replace(self, name: str) -> None:
        """Clear a masked number to type a new one (the old one is never shown)."""
        editor = self.editors[name]
        editor.unmask("")
        editor.widget.setFocus(Qt.FocusReason.OtherFocusReason)
        self.revalidate()

    # ----------------------------------------------------------------- validation

    def values(self) -> dict[str, Any]:
        """What the clerk entered; a number still masked is left out (stays as stored)."""
        return {name: e.get() for name, e in self.editors.items() if e.col.field.editable and not e.masked}

    def field_edited(self, editor: FieldEditor, touch: bool = False) -> None:
        # Focus leaving a field while the form is being destroyed still signals: ignore that.
        if self._updating or not shiboken6.isValid(self) or not shiboken6.isValid(self.ok_button):
            return
        if touch:
            editor.touched = True
        self.revalidate()

    def _check(self) -> tuple[dict[str, Any], dict[str, str]]:
        id_editor = self.editors.get("id_number")
        known = self.record.id_info if self.record is not None and id_editor is not None and id_editor.masked \
            else None
        clean, errors = registers.validate(self.kind, self.values(), known)
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
        if editor.col.field.kind in ("id_number", "credit_code") and not editor.masked:
            value = editor.get()
            return isinstance(value, str) and len(value.strip()) >= 18
        return False

    def _derive(self, clean: dict[str, Any], errors: dict[str, str]) -> None:
        """Fill derived fields from the ID number; offer the gender it implies when none is chosen."""
        id_editor = self.editors.get("id_number")
        if id_editor is None or id_editor.masked:
            return  # a stored number left alone: the stored birth date stays
        ok = "id_number" not in errors and bool(clean.get("id_number"))
        birth = self.editors.get("birth_date")
        if birth is not None:
            birth.set(clean.get("birth_date") if ok else None)
        gender = self.editors.get("gender")
        if ok and gender is not None and gender.get() is None and not gender.touched:
            gender.set(clean.get("gender"))

    # ----------------------------------------------------------------- saving

    def save(self) -> None:
        for editor in self.editors.values():
            editor.touched = True
        if self.revalidate():
            return
        try:
            done = registers.save_record(self.app, self.kind, self.record_id, self.values())
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
        announce(done.changes)  # every list and page showing this record refreshes itself
        rid = done.value
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
