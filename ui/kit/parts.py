"""The small pieces programme pages and dialogs build alike: a page's heading and the wrapped line
under it, a grey note, a dialog's heading and its problem line, 确定/取消, a page's column of parts,
a combo that finds an item by part of its name."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QCompleter, QDialog, QDialogButtonBox, QLabel, QWidget


def tr(text: str) -> str:
    return QCoreApplication.translate("Kit", text)


def page_heading(parent: QWidget | None = None, *, wrap: bool = False) -> QLabel:
    """A detail pane's heading (the chosen pair, round, event): bold, 14 pt."""
    heading = QLabel(parent)
    heading.setObjectName("pageHeading")
    heading.setWordWrap(wrap)
    font = QFont(heading.font())
    font.setPointSizeF(14)
    font.setBold(True)
    heading.setFont(font)
    return heading


def note_label(parent: QWidget | None = None, text: str = "", name: str = "infoLabel") -> QLabel:
    """A wrapped line of grey text (``name``: infoLabel, or pageSubheading under a heading)."""
    note = QLabel(text, parent)
    note.setObjectName(name)
    note.setWordWrap(True)
    return note


def facts_label(parent: QWidget | None, name: str) -> QLabel:
    """A case's facts as wrapped rich text, read from the top and selectable (to copy a number)."""
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def dialog_heading(text: str, parent: QWidget | None = None) -> QLabel:
    """A dialog's heading over its fields: bold, a little larger than the text."""
    heading = QLabel(text, parent)
    font = QFont(heading.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.15)
    heading.setFont(font)
    return heading


def problem_label(parent: QWidget | None = None) -> QLabel:
    """A form's problem line in red above its buttons (hidden while there is none)."""
    problem = note_label(parent, name="formProblem")
    problem.hide()
    return problem


def ok_cancel(dialog: QDialog, ok: str = "", cancel: str = "") -> QDialogButtonBox:
    """确定 (or ``ok``) and 取消 (or ``cancel``), wired to the dialog's accept and reject."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok or tr("确定"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel or tr("取消"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def searchable(combo: QWidget) -> None:
    """Type part of an item's name (a unit's) to find it."""
    assert isinstance(combo, QComboBox)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = QCompleter(combo.model(), combo)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    combo.setCompleter(completer)
