"""The one described form of the kit: editors made from descriptions, placed in one grid.

Every form of the application is built here: the programmes' record forms (columns described by
``db.fields.Column``), the 红色工匠 / 师徒结对 dialogs (:class:`~ui.kit.cultivation.FormDialog`,
fields named by :class:`Spec`) and the registers' record form (:class:`~ui.kit.form.RecordForm`,
which makes its plain editors with :func:`make_editor`, reads and fills them with
:func:`read_value` / :func:`write_value` and places them with :meth:`DescribedForm.place`).

One editor factory (:func:`make_editor`) makes each kind: ``text``, ``multiline``, ``date`` (a
calendar date editor), ``choice`` (the given items, codes kept), ``int``, ``hours`` (halves),
``flag`` (a check box), ``checklist`` (items ticked), ``info`` (read-only text) and ``worker``
(the kit's worker picker). A widget no kind makes goes in with :meth:`DescribedForm.add_widget`.
One layout: label on the right of its field, the field's problem in red under it, two fields to
a row (a wide one takes a row of its own), or one to a row for a dialog's short list.

    form = DescribedForm(columns, app.labels(), self)     # columns: list[db.fields.Column]
    form.set_values({"title": "…", "kind": "individual"})
    values = form.values()                                # {name: value}: codes for choices
    form.show_errors({"end_date": "结束日期不能早于开始日期"})
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QSignalBlocker, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db.fields import Column

if TYPE_CHECKING:
    from desktop.context import App

#: ``Column.extras`` key marking a Boolean column (the description has no boolean kind).
FLAG = "flag"
#: Where a checklist item keeps its value.
ValueRole = int(Qt.ItemDataRole.UserRole) + 11
#: The columns a form's worker picker shows (described Worker fields): enough to choose a mentor
#: (grade, political status) and to tell namesakes apart (the ID's tail).
PICKER_COLUMNS = ("name", "employer_id", "trade", "skill_grade", "political_status", "id_number")


def tr(text: str) -> str:
    return QCoreApplication.translate("DescribedForm", text)


def label_html(label: str, required: bool) -> str:
    return label + ("<span style='color:#c62828'> *</span>" if required else "")


@dataclass(frozen=True)
class Spec:
    """One editor: its name, label and kind, and what that kind needs."""

    name: str
    label: str
    kind: str = "text"  # text | multiline | date | choice | int | hours | flag | checklist | info | worker
    choices: Sequence[tuple[str, Any]] = ()  # (label, value): a choice's items, a checklist's lines
    default: Any = None
    help: str = ""
    required: bool = False
    wide: bool = False  # a row of its own in a two-to-a-row form
    placeholder: str = ""
    blank: bool = False  # choice: an empty first item (nothing chosen); int: 0 shows empty
    maximum: int = 9999  # int: the largest number


def column_spec(col: Column, labels: Mapping[str, Mapping[str, str]]) -> Spec:
    """The editor a described column calls for (a date or phone is typed, with an example)."""
    f = col.field
    kind = "flag" if col.extras.get(FLAG) else f.kind if f.kind in ("choice", "int", "multiline", "datetime") else "text"
    example = {"date": tr("如 %1").replace("%1", date.today().isoformat()),
               "phone": tr("如 0574-65551234")}.get(f.kind, "")
    items = [(text, code) for code, text in labels.get(f.choices or "", {}).items()]
    return Spec(col.name, f.label, kind, items, help=f.help, required=f.required, placeholder=example,
                blank=not f.required, wide=f.kind == "multiline" or (f.kind == "text" and f.width >= 30))


# -- one editor factory, one way in and out --------------------------------------------------------------


def make_editor(spec: Spec, parent: QWidget | None = None, app: App | None = None) -> QWidget:
    """The widget ``spec.kind`` calls for, holding ``spec.default``, named ``field_<name>``."""
    kind = spec.kind
    w: QWidget
    if kind == "flag":
        w = QCheckBox(spec.label, parent)
    elif kind == "date":
        w = QDateEdit(parent)
        w.setCalendarPopup(True)
        w.setDisplayFormat("yyyy-MM-dd")
    elif kind == "datetime":
        w = QDateTimeEdit(parent)
        w.setCalendarPopup(True)
        w.setDisplayFormat("yyyy-MM-dd HH:mm")
    elif kind == "choice":
        w = QComboBox(parent)
        if spec.blank:
            w.addItem("", None)
        for text, value in spec.choices:
            w.addItem(text, value)
    elif kind == "int":
        w = QSpinBox(parent)
        w.setRange(0, spec.maximum)
        w.setMaximumWidth(110)
        if spec.blank:
            w.setSpecialValueText(" ")  # 0 shows empty: not filled in
            w.setGroupSeparatorShown(True)
    elif kind == "hours":
        w = QDoubleSpinBox(parent)
        w.setRange(0, 1000)
        w.setDecimals(1)
        w.setSingleStep(0.5)
        w.setMaximumWidth(110)
    elif kind == "checklist":
        w = QListWidget(parent)
        w.setMinimumHeight(180)
        for text, value in spec.choices:
            item = QListWidgetItem(text)
            item.setData(ValueRole, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            w.addItem(item)
    elif kind == "multiline":
        w = QPlainTextEdit(parent)
        w.setTabChangesFocus(True)
        w.setFixedHeight(64)
    elif kind == "info":
        w = QLabel(parent)
        w.setWordWrap(True)
    elif kind == "worker":
        from ui.kit.worker_picker import WorkerPicker

        assert app is not None, "a worker picker needs the app"
        w = WorkerPicker(app, parent, columns=PICKER_COLUMNS)
        w.setMinimumSize(760, 160)
    else:
        w = QLineEdit(parent)
        if spec.placeholder:
            w.setPlaceholderText(spec.placeholder)
    w.setObjectName(f"field_{spec.name}")
    if spec.help:
        w.setToolTip(spec.help)
    if kind == "date":
        write_value(w, spec.default or date.today())
    elif kind == "datetime":
        write_value(w, spec.default or datetime.now().replace(second=0, microsecond=0))
    elif kind == "worker":
        if spec.default:
            write_value(w, spec.default)
        else:
            w.table.clearSelection()  # type: ignore[attr-defined]  # nobody is chosen until the clerk chooses
    elif spec.default is not None:
        write_value(w, spec.default)
    return w


def read_value(w: QWidget) -> Any:
    """An editor's value: a choice's code, a number, a flag, a date, ticked values, the text as typed."""
    from ui.kit.worker_picker import WorkerPicker

    if isinstance(w, QCheckBox):
        return w.isChecked()
    if isinstance(w, QDateEdit):
        d = w.date()
        return date(d.year(), d.month(), d.day())
    if isinstance(w, QDateTimeEdit):  # after QDateEdit, its subclass
        d, t = w.date(), w.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())
    if isinstance(w, QComboBox):
        return w.currentData()
    if isinstance(w, QSpinBox | QDoubleSpinBox):
        return w.value()
    if isinstance(w, WorkerPicker):
        return w.value()
    if isinstance(w, QListWidget):
        return [w.item(i).data(ValueRole) for i in range(w.count())
                if w.item(i).checkState() == Qt.CheckState.Checked]
    if isinstance(w, QPlainTextEdit):
        return w.toPlainText()
    if isinstance(w, QLabel):
        return w.text()
    if isinstance(w, QLineEdit):
        return w.text()
    return None


def write_value(w: QWidget, value: Any, *, keep_unknown: bool = False, quiet: bool = False) -> None:
    """Fill an editor as the clerk would; ``keep_unknown``: a code no longer offered stays, as its
    own item; ``quiet``: no change signals."""
    from ui.kit.worker_picker import WorkerPicker

    blocker = QSignalBlocker(w) if quiet else None
    if isinstance(w, QCheckBox):
        w.setChecked(bool(value))
    elif isinstance(w, QDateEdit):
        w.setDate(QDate(value.year, value.month, value.day))
    elif isinstance(w, QDateTimeEdit):
        w.setDateTime(QDateTime(QDate(value.year, value.month, value.day),
                                QTime(getattr(value, "hour", 0), getattr(value, "minute", 0))))
    elif isinstance(w, QComboBox):
        i = w.findData(value)
        if i < 0 and value and keep_unknown:
            w.addItem(str(value), value)
            i = w.count() - 1
        w.setCurrentIndex(max(i, 0))
    elif isinstance(w, QSpinBox):
        w.setValue(int(value or 0))
    elif isinstance(w, QDoubleSpinBox):
        w.setValue(float(value or 0))
    elif isinstance(w, WorkerPicker):
        w.set_worker(int(value))
    elif isinstance(w, QListWidget):
        ticked = set(value or ())
        for i in range(w.count()):
            item = w.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(ValueRole) in ticked else Qt.CheckState.Unchecked)
    elif isinstance(w, QPlainTextEdit):
        w.setPlainText("" if value is None else str(value))
    elif isinstance(w, QLabel | QLineEdit):
        w.setText(value.isoformat()[:10] if isinstance(value, date | datetime) else ("" if value is None else str(value)))
    del blocker


def changed_signal(w: QWidget) -> Any:
    """The signal an editor sends when the clerk changes it (None for read-only text)."""
    from ui.kit.worker_picker import WorkerPicker

    for kind, signal in ((QCheckBox, "toggled"), (QDateEdit, "dateChanged"), (QDateTimeEdit, "dateTimeChanged"), (QComboBox, "currentIndexChanged"),
                         (QSpinBox, "valueChanged"), (QDoubleSpinBox, "valueChanged"),
                         (WorkerPicker, "current_changed"), (QListWidget, "itemChanged"),
                         (QPlainTextEdit, "textChanged"), (QLineEdit, "textChanged")):
        if isinstance(w, kind):
            return getattr(w, signal)
    return None


def field_label(text: str, buddy: QWidget, parent: QWidget | None = None) -> QLabel:
    """A field's label (rich text: the red required mark), centred on the first line of its editor."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    label.setBuddy(buddy)
    label.setMinimumHeight(min(buddy.sizeHint().height(), 32))
    return label


def error_label(parent: QWidget | None = None) -> QLabel:
    """A field's problem line, in red under it (hidden while there is none)."""
    error = QLabel(parent)
    error.setObjectName("fieldError")
    error.setWordWrap(True)
    error.hide()
    return error


# -- one grid ---------------------------------------------------------------------------------------------


class DescribedForm(QWidget):
    """Editors for ``columns`` (and :meth:`add_field` specs), two to a row (``per_row=1``: one, at
    their natural width unless they expand, labels ending in ``suffix``)."""

    changed = Signal()  # the clerk changed a field

    def __init__(self, columns: Sequence[Column], labels: Mapping[str, Mapping[str, str]],
                 parent: QWidget | None = None, *, per_row: int = 2, suffix: str = "",
                 app: App | None = None, strip: bool = False) -> None:
        super().__init__(parent)
        self.app = app
        self.per_row = per_row
        self.suffix = suffix
        self.strip = strip  # values(): typed text without surrounding spaces
        self.columns = {c.name: c for c in columns}
        self.specs: dict[str, Spec] = {}
        self.editors: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        self._getters: dict[str, Callable[[], Any]] = {}
        self._setters: dict[str, Callable[[Any], None]] = {}
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(6)
        self.grid.setColumnStretch(1, 1)
        if per_row == 2:
            self.grid.setColumnStretch(3, 1)
        self._slot = 0
        for col in columns:
            self.add_field(column_spec(col, labels))

    def add_field(self, spec: Spec) -> QWidget:
        """Make ``spec``'s editor and place it; returns the editor."""
        widget = make_editor(spec, self, self.app)
        self.specs[spec.name] = spec
        signal = changed_signal(widget)
        if signal is not None:
            signal.connect(lambda *_a: self.changed.emit())
        wide = spec.wide or spec.kind in ("worker", "checklist")
        text = label_html(spec.label, spec.required) + (self.suffix if spec.label else "")
        self._add(spec.name, text, widget, wide=wide)
        return widget

    def add_widget(self, name: str, label: str, widget: QWidget, *, wide: bool = True,
                   value: Callable[[], Any] | None = None, set_value: Callable[[Any], None] | None = None) -> None:
        """Place a widget no kind makes; ``value()`` gives its value in :meth:`values`, ``set_value``
        fills it in :meth:`set_values`."""
        widget.setObjectName(widget.objectName() or f"field_{name}")
        self._add(name, label, widget, wide=wide)
        if value is not None:
            self._getters[name] = value
        if set_value is not None:
            self._setters[name] = set_value

    def _add(self, name: str, label: str, widget: QWidget, *, wide: bool) -> None:
        self.editors[name] = widget
        error = error_label()
        self.errors[name] = error
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        grows = widget.sizePolicy().horizontalPolicy() in (QSizePolicy.Policy.Expanding,
                                                           QSizePolicy.Policy.MinimumExpanding)
        if self.per_row == 1 and not grows and not isinstance(widget, QLabel):
            column.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft)  # its natural width, as a form row
        else:
            column.addWidget(widget)
        column.addWidget(error)
        text = None if isinstance(widget, QCheckBox) else field_label(label, widget, self)
        if text is not None:
            self.labels[name] = text
        self.place(text, box, wide=wide)

    def place(self, label: QLabel | None, box: QWidget, *, wide: bool = False) -> None:
        """Put a label and its field (the editor with its error line) in the next free place: two
        to a row, a wide one in a row of its own where it comes."""
        if self.per_row == 1 or wide:
            row = (self._slot + self.per_row - 1) // self.per_row
            self._cell(label, box, row, 0, 1 if self.per_row == 1 else 3)
            self._slot = (row + 1) * self.per_row
            return
        self._cell(label, box, self._slot // 2, (self._slot % 2) * 2, 1)
        self._slot += 1

    def _cell(self, label: QLabel | None, box: QWidget, row: int, col: int, span: int) -> None:
        if label is not None:
            self.grid.addWidget(label, row, col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(box, row, col + 1, 1, span, Qt.AlignmentFlag.AlignTop)

    def rows(self) -> int:
        """How many grid rows the fields take."""
        return (self._slot + self.per_row - 1) // self.per_row

    # -- values in and out, in one place ---------------------------------------------------------------

    def value(self, name: str) -> Any:
        if name in self._getters:
            return self._getters[name]()
        value = read_value(self.editors[name])
        if self.strip and isinstance(value, str) and not isinstance(self.editors[name], QLabel):
            return value.strip()
        return value

    def values(self) -> dict[str, Any]:
        """Each field's value: a choice's code, a number, a flag, a date, the text as typed."""
        return {name: self.value(name) for name in self.editors
                if name in self._getters or name in self.specs}

    def set_value(self, name: str, value: Any) -> None:
        """Fill one field as the clerk would."""
        if name in self._setters:
            self._setters[name](value)
        elif name in self.specs:
            write_value(self.editors[name], value)

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Fill the described fields from ``values`` (missing names are left empty)."""
        for name, spec in self.specs.items():
            if spec.kind not in ("info", "worker", "date") or name in values:
                self.set_value(name, values.get(name))

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Each field's problem in red under it (none: hidden)."""
        for name, label in self.errors.items():
            message = errors.get(name)
            label.setText(message or "")
            label.setVisible(bool(message))
