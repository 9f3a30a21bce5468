"""Fixtures of the accounts GUI tests: a database with an administrator signed in, a main window."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.accounts.roles import ADMIN

ADMIN_NAME, ADMIN_PASSWORD = "admin", "admin-pass-1"
SHOTS = Path(tempfile.gettempdir()) / "uniondesk-shots"


@pytest.fixture
def fresh_app(app_ctx: Any) -> Any:
    """A new database (no accounts); its ring holds the master key through this machine's key."""
    assert app_ctx.keys is not None and not app_ctx.keys.locked
    return app_ctx


@pytest.fixture
def admin_app(fresh_app: Any) -> Any:
    """The first account, an administrator with the sensitive permission, signed in."""
    from desktop.accounts import service

    service.create_account(fresh_app, ADMIN_NAME, "王管理", ADMIN_PASSWORD, ADMIN)
    assert fresh_app.has_accounts and fresh_app.user is not None
    return fresh_app


@pytest.fixture
def window(qtbot: Any, look: None) -> Iterator[Any]:
    from ui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1100, 720)
    w.show()
    yield w
    w.detach_app()


@pytest.fixture
def no_recovery_dialogs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    """The recovery sheet's save dialog answers a file in tmp_path; printing is declined."""
    from ui.accounts import recovery

    saved: list[Path] = []

    def ask_path(_parent: Any) -> Path:
        path = tmp_path / f"恢复密钥-{len(saved) + 1}.pdf"
        saved.append(path)
        return path

    monkeypatch.setattr(recovery, "ask_path", ask_path)
    monkeypatch.setattr(recovery, "ask_print", lambda _parent, _pdf: False)
    monkeypatch.setattr(recovery, "confirm_reprint", lambda _parent: True)
    return saved


def shot(widget: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path
