"""The first-run wizard's account step (administrator or 不设密码, the recovery sheet on both paths)
and the upgrade prompt of an older database with records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt

from desktop.accounts import service
from tests.accounts_gui.conftest import shot
from tests.conftest import insert_handful
from ui.accounts import account_step
from ui.accounts.account_step import AccountStepDialog


@pytest.fixture
def wanted(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a clerk's screen (the tests' environment keeps wizards away otherwise)."""
    monkeypatch.setattr(account_step, "_wanted", lambda: True)


def _dialog(qtbot: Any, app: Any, **kw: Any) -> AccountStepDialog:
    dialog = AccountStepDialog(None, app, **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_wizard_step_creates_the_administrator(qtbot: Any, look: None, fresh_app: Any,
                                               no_recovery_dialogs: list[Path]) -> None:
    dialog = _dialog(qtbot, fresh_app)
    step = dialog.step
    qtbot.keyClicks(step.name_edit, "admin")
    step.display_edit.setText("王管理")
    qtbot.keyClicks(step.password, "admin-pass-1")
    qtbot.keyClicks(step.again, "admin-pass-1")
    shot(dialog, "wizard_account_step")
    qtbot.mouseClick(dialog.finish_button, Qt.MouseButton.LeftButton)
    assert fresh_app.has_accounts
    assert fresh_app.user is not None and fresh_app.user.role == "admin" and fresh_app.user.sensitive
    assert len(no_recovery_dialogs) == 1 and no_recovery_dialogs[0].is_file()
    assert dialog.sheet == no_recovery_dialogs[0]


def test_wizard_step_checks_before_creating(qtbot: Any, fresh_app: Any, no_recovery_dialogs: list[Path]) -> None:
    dialog = _dialog(qtbot, fresh_app)
    step = dialog.step
    step.name_edit.setText("admin")
    step.password.setText("admin-pass-1")
    step.again.setText("admin-pass-2")
    qtbot.mouseClick(dialog.finish_button, Qt.MouseButton.LeftButton)
    assert "不一致" in step.message.text() and step.message.isVisible()
    step.again.setText("admin-pass-1")
    step.password.setText("admin")
    step.again.setText("admin")
    qtbot.mouseClick(dialog.finish_button, Qt.MouseButton.LeftButton)
    assert step.message.isVisible()
    assert not fresh_app.has_accounts and not no_recovery_dialogs


def test_wizard_no_password_path(qtbot: Any, look: None, fresh_app: Any, no_recovery_dialogs: list[Path]) -> None:
    dialog = _dialog(qtbot, fresh_app)
    step = dialog.step
    qtbot.mouseClick(step.none_choice, Qt.MouseButton.LeftButton, pos=QPoint(8, step.none_choice.height() // 2))
    assert step.none_choice.isChecked() and not step.fields.isEnabled()
    assert "敏感信息" in step.warning.text() and "任何能使用这台电脑的人" in step.warning.text()
    step.none_choice.setFocus()
    shot(dialog, "wizard_no_password")
    qtbot.mouseClick(dialog.finish_button, Qt.MouseButton.LeftButton)
    assert not fresh_app.has_accounts and service.no_password(fresh_app)
    assert len(no_recovery_dialogs) == 1 and no_recovery_dialogs[0].is_file()  # printed on this path too
    assert account_step.offer_account_step(None, fresh_app) is None  # not asked again


def test_first_run_wizard_goes_on_to_the_account_step(qtbot: Any, fresh_app: Any, wanted: None) -> None:
    from ui.dialogs.first_run import FirstRunWizard

    wizard = FirstRunWizard(None, fresh_app)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.township_edit.setText("跃龙街道")
    qtbot.mouseClick(wizard.finish_button, Qt.MouseButton.LeftButton)
    step = wizard.account_step
    assert isinstance(step, AccountStepDialog)
    qtbot.addWidget(step)
    assert step.isVisible() and fresh_app.union_name == "跃龙街道总工会"


def test_upgrade_prompt_for_a_database_with_records(qtbot: Any, fresh_app: Any, wanted: None,
                                                    no_recovery_dialogs: list[Path]) -> None:
    assert account_step.offer_admin_setup(None, fresh_app) is None  # no records: the wizard's business
    insert_handful(fresh_app)
    dialog = account_step.offer_admin_setup(None, fresh_app)
    assert isinstance(dialog, AccountStepDialog)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "设置管理员"
    shot(dialog, "upgrade_prompt")
    dialog.step.name_edit.setText("admin")
    dialog.step.password.setText("admin-pass-1")
    dialog.step.again.setText("admin-pass-1")
    qtbot.mouseClick(dialog.finish_button, Qt.MouseButton.LeftButton)
    assert fresh_app.has_accounts and not service.needs_admin_setup(fresh_app)
    assert account_step.offer_admin_setup(None, fresh_app) is None


def test_upgrade_prompt_not_in_tests_or_offscreen(fresh_app: Any) -> None:
    insert_handful(fresh_app)
    assert account_step.offer_admin_setup(None, fresh_app) is None


def test_settings_page_without_accounts_offers_an_administrator(qtbot: Any, fresh_app: Any) -> None:
    from ui.dialogs.settings import SettingsDialog

    dialog = SettingsDialog(None, fresh_app)
    qtbot.addWidget(dialog)
    page = dialog.accounts_page
    assert page is not None and page.create_admin_button.isVisible() is False  # not shown yet
    dialog.show()
    dialog.tabs.setCurrentWidget(page)
    step = page.create_admin()
    qtbot.addWidget(step)
    assert isinstance(step, AccountStepDialog)
