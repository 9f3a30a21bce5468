"""The backup dialog's 「为备份设置密码（复制到U盘时建议）」 and restoring a backup that has a password."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from db.backup_crypt import is_encrypted
from desktop.context import App
from tests.conftest import insert_handful

PASSWORD = "U盘-口令-7"


@pytest.fixture
def parent(qtbot: Any) -> QWidget:
    w = QWidget()
    qtbot.addWidget(w)
    return w


def test_the_password_fields_must_match(qtbot: Any, parent: QWidget) -> None:
    from ui.dialogs.backup_password import BackupPasswordDialog

    dlg = BackupPasswordDialog(parent)
    qtbot.addWidget(dlg)
    assert dlg.use.text() == "为备份设置密码（复制到U盘时建议）" and dlg.use.isChecked()
    dlg.first.setText(PASSWORD)
    dlg.second.setText(PASSWORD + "x")
    dlg.accept()
    assert dlg.result() != dlg.DialogCode.Accepted and "不一致" in dlg.problem.text()
    dlg.first.clear()
    dlg.second.clear()
    dlg.accept()
    assert "请输入密码" in dlg.problem.text()
    dlg.first.setText(PASSWORD)
    dlg.second.setText(PASSWORD)
    dlg.accept()
    assert dlg.result() == dlg.DialogCode.Accepted and dlg.password() == PASSWORD
    dlg.use.setChecked(False)
    assert dlg.password() is None and not dlg.first.isEnabled()


def test_backup_to_a_stick_with_a_password_and_restore_it(qtbot: Any, app_ctx: App, parent: QWidget,
                                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs import backup as backup_ui
    from ui.dialogs.backup import RestoreDialog, backup_to_folder

    insert_handful(app_ctx)
    usb = tmp_path / "U盘"
    usb.mkdir()
    shown: list[str] = []
    monkeypatch.setattr(backup_ui, "offer_open", lambda _p, _t, text, *_a, **_k: shown.append(text))
    monkeypatch.setattr("ui.dialogs.backup_password.ask_backup_password", lambda _p: (True, PASSWORD))
    job = backup_to_folder(parent, app_ctx, usb)
    assert job is not None and job.wait()
    (copy,) = usb.iterdir()
    assert is_encrypted(copy) and "张三".encode() not in copy.read_bytes()
    assert shown and "加密" in shown[0]

    warnings: list[str] = []
    monkeypatch.setattr(backup_ui.QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    dlg = RestoreDialog(parent, app_ctx)
    dlg.open()
    monkeypatch.setattr("ui.dialogs.backup_password.ask_restore_password", lambda _p, _n: "wrong")
    assert dlg.choose_elsewhere(copy) is None
    assert warnings and "密码不正确" in warnings[0]
    monkeypatch.setattr("ui.dialogs.backup_password.ask_restore_password", lambda _p, _n: None)
    assert dlg.choose_elsewhere(copy) is None and len(warnings) == 1  # cancelled: nothing said
    monkeypatch.setattr("ui.dialogs.backup_password.ask_restore_password", lambda _p, _n: PASSWORD)
    found = dlg.choose_elsewhere(copy)
    assert found is not None and found.ok and found.workers == 6
    plain = found.path
    assert plain.exists() and plain.name == copy.name.removesuffix(".encrypted")
    dlg.close()
    assert not plain.exists()  # the plain copy goes with the dialog
