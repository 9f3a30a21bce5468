"""The frame of a dialog that opens with a heading and a wrapped line under it, and ends with an
accept and a reject button (the first-run wizard, its account step, sign-in)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout


def headed_layout(dialog: QDialog, heading: str, intro: str) -> tuple[QVBoxLayout, QLabel]:
    """(the dialog's layout holding the heading and the intro, the intro label) for the body to follow."""
    title = QLabel(heading)
    title.setObjectName("pageHeading")
    under = QLabel(intro)
    under.setObjectName("pageSubheading")
    under.setWordWrap(True)
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(24, 20, 24, 16)
    layout.setSpacing(8)
    layout.addWidget(title)
    layout.addWidget(under)
    layout.addSpacing(6)
    return layout, under


def accept_reject(accept: str, reject: str, on_accept: Callable[[], object],
                  on_reject: Callable[[], object]) -> tuple[QDialogButtonBox, QPushButton, QPushButton]:
    """(the button row, its default accept button, its reject button)."""
    buttons = QDialogButtonBox()
    yes = buttons.addButton(accept, QDialogButtonBox.ButtonRole.AcceptRole)
    no = buttons.addButton(reject, QDialogButtonBox.ButtonRole.RejectRole)
    yes.setDefault(True)
    yes.setAutoDefault(True)
    no.setAutoDefault(False)
    buttons.accepted.connect(on_accept)
    buttons.rejected.connect(on_reject)
    return buttons, yes, no
