"""Small pieces the dialogs share: remembered folders, file choosers, "open the file?" offers."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QMessageBox, QVBoxLayout, QWidget

from desktop import paths


def tr(text: str) -> str:
    return QCoreApplication.translate("Dialogs", text)


_kept: set[QDialog] = set()


def keep_open(dialog: QDialog) -> QDialog:
    """Hold a dialog opened without a parent until it closes (else Python collects it at once)."""
    _kept.add(dialog)
    dialog.finished.connect(lambda _r, d=dialog: _kept.discard(d))
    return dialog


def ui_settings() -> QSettings:
    """Window and dialog state. Tests (``UNIONDESK_NO_QSETTINGS``) get an .ini in the data folder
    instead of the user's registry, so they still exercise what is remembered."""
    if os.environ.get("UNIONDESK_NO_QSETTINGS"):
        return QSettings(str(paths.data_dir() / "ui-state.ini"), QSettings.Format.IniFormat)
    return QSettings("UnionDesk", "UnionDesk")


def documents_dir() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def last_folder(key: str) -> Path:
    value = ui_settings().value(f"folders/{key}")
    if value and Path(str(value)).is_dir():
        return Path(str(value))
    return documents_dir()


def remember_folder(key: str, path: Path) -> None:
    folder = path if path.is_dir() else path.parent
    ui_settings().setValue(f"folders/{key}", str(folder))


def choose_open_file(parent: QWidget | None, title: str, filters: str, folder_key: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, str(last_folder(folder_key)), filters)
    if not name:
        return None
    path = Path(name)
    remember_folder(folder_key, path)
    return path


def choose_save_file(parent: QWidget | None, title: str, default_name: str, filters: str, suffix: str,
                     folder_key: str, folder: Path | None = None) -> Path | None:
    """A save dialog starting in ``folder`` (else the last folder used for ``folder_key``) with
    ``default_name`` made free there (``名称（2）.pdf`` when it exists); the suffix is enforced,
    and choosing a file that exists asks before it is replaced."""
    start_folder = folder if folder is not None and folder.is_dir() else last_folder(folder_key)
    start = start_folder / paths.free_name(start_folder, default_name)
    name, _ = QFileDialog.getSaveFileName(parent, title, str(start), filters)
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() != suffix.lower():
        path = path.with_name(path.name + suffix)
        # the file dialog asked about the name typed, not this one
        if path.exists() and QMessageBox.question(
                parent, title, tr("{0} 已存在。要替换它吗？").format(path.name),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return None
    remember_folder(folder_key, path)
    return path


def open_path(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def offer_open(parent: QWidget | None, title: str, text: str, path: Path, *, folder_only: bool = False) -> None:
    """Tell the clerk a file was written and offer to open it (or its folder)."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.NoButton, parent)
    open_file = None if folder_only else box.addButton(tr("打开文件"), QMessageBox.ButtonRole.AcceptRole)
    open_folder = box.addButton(tr("打开所在文件夹"), QMessageBox.ButtonRole.ActionRole)
    close = box.addButton(tr("关闭"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_file or close)
    box.exec()
    clicked = box.clickedButton()
    if open_file is not None and clicked is open_file:
        open_path(path)
    elif clicked is open_folder:
        open_path(path.parent if path.is_file() or not path.exists() else path)


def error_label() -> QLabel:
    """A red line under a field, hidden until there is something to say."""
    label = QLabel()
    label.setStyleSheet("color: #c0392b;")
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def show_error(label: QLabel, message: str | None) -> None:
    label.setText(message or "")
    label.setVisible(bool(message))


def hint_label(text: str) -> QLabel:
    """A field's note: grey, smaller, wrapped (never cut)."""
    hint = QLabel(text)
    hint.setWordWrap(True)
    hint.setStyleSheet("color: #666; font-size: 90%;")
    return hint


def field_box(editor: QWidget, *below: QWidget, bottom: int = 0) -> QWidget:
    """A form field: the editor with what goes under it (its note, its red error line)."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, bottom)
    column.setSpacing(2)
    column.addWidget(editor)
    for widget in below:
        column.addWidget(widget)
    return box
