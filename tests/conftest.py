"""Shared fixtures: a private data folder per test, no QSettings, offscreen Qt, open databases.

The environment is set here, before anything imports Qt: ``QT_QPA_PLATFORM=offscreen`` and
``UNIONDESK_NO_QSETTINGS=1`` (a test never reads or writes the clerk's registry/ini), and
``UNIONDESK_NO_WIZARD=1`` (no first-run wizard even when the tests run on a real display).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["UNIONDESK_NO_QSETTINGS"] = "1"
os.environ["UNIONDESK_NO_WIZARD"] = "1"
# Cheap Argon2 parameters for the hundreds of accounts and wrapped keys the suite makes
# (desktop/keys/kdf.py; the parameters are stored with each hash, so nothing else changes).
os.environ["UNIONDESK_TEST_KDF"] = "1"
os.environ.pop("UNIONDESK_DATABASE_URL", None)
# The suite opens hundreds of throwaway databases: their lock files go to a folder of this run
# (subprocesses inherit it), not to the machine-wide /run/lock/uniondesk.
os.environ["UNIONDESK_LOCK_DIR"] = tempfile.mkdtemp(prefix="uniondesk-test-locks-")

pytest_plugins = ["tests.plugins.postgres"]

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from desktop.context import App

#: Size of the demo database of the ``demo_app`` fixture.
DEMO_SIZE = 300


@pytest.fixture(autouse=True)
def uniondesk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary data folder (``UNIONDESK_HOME``) for every test."""
    home = tmp_path / "home"
    monkeypatch.setenv("UNIONDESK_HOME", str(home))
    monkeypatch.setenv("UNIONDESK_NO_QSETTINGS", "1")
    monkeypatch.setenv("UNIONDESK_NO_WIZARD", "1")
    monkeypatch.delenv("UNIONDESK_DATABASE_URL", raising=False)
    return home


@pytest.fixture(autouse=True)
def own_change_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test announces changes on a hub of its own: views of earlier tests' databases (closed,
    not yet deleted) never hear them. Qt is not imported for tests that do not use it."""
    import sys

    changes = sys.modules.get("ui.kit.changes")
    if changes is not None:
        monkeypatch.setattr(changes, "_hub", None)


@pytest.fixture
def look(qapp: QApplication) -> None:
    """The application's font and style sheet, as run_gui sets them (GUI test files use it)."""
    from ui import apply_look

    apply_look(qapp)


@pytest.fixture
def open_tab(qtbot: Any) -> Iterator[Callable[..., Any]]:
    """``open_tab(TabClass, app, (w, h))``: a programme tab shown and loading (waited for unless
    ``wait=False``); shut down after the test."""
    opened: list[Any] = []

    def make(cls: type, app: App, size: tuple[int, int], *, wait: bool = True) -> Any:
        tab = cls(app)
        qtbot.addWidget(tab)
        tab.resize(*size)
        tab.show()
        tab.load()
        if wait:
            qtbot.waitUntil(lambda: tab.is_loaded, timeout=20_000)
        opened.append(tab)
        return tab

    yield make
    for tab in opened:
        tab.shutdown()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test's SQLite database lives (created by ``app_ctx``)."""
    return tmp_path / "uniondesk-test.sqlite3"


@pytest.fixture
def app_ctx(uniondesk_home: Path, db_path: Path) -> Iterator[App]:
    """An opened App on a new temporary SQLite file (no records)."""
    from desktop.context import open_app

    app = open_app(str(db_path), daily_backup=False)
    try:
        yield app
    finally:
        app.close()


@pytest.fixture
def demo_app(app_ctx: App) -> App:
    """``app_ctx`` filled with demo data: 300 workers and their organisations."""
    try:
        from desktop import demo
    except ImportError:  # the demo generator is not installed: a handful of rows
        insert_handful(app_ctx)
    else:
        demo.create(app_ctx.db, size=DEMO_SIZE)
    return app_ctx


def insert_handful(app: App) -> None:
    """A few organisations and workers written through desktop.programmes.core.registers (audited)."""
    from desktop.programmes.core import registers
    from tests.support import valid_id

    with app.db.session() as s:
        a = registers.save(s, "organisations", None, {"name": "宁海县跃龙模具有限公司", "kind": "enterprise"})
        b = registers.save(s, "organisations", None, {"name": "跃龙街道社区卫生服务中心",
                                                       "kind": "public_institution"})
        for i, name in enumerate(("张三", "李四", "王小燕", "赵强", "钱芳芳", "孙伟")):
            registers.save(s, "workers", None, {
                "name": name, "id_number": valid_id(seq=i + 1, male=i % 2 == 0), "phone": f"1381234{i:04d}",
                "employer_id": a if i < 4 else b, "member_status": "active",
            })


@pytest.fixture(scope="module")
def fontset() -> Any:
    """The machine's CJK TrueType fonts; the test is skipped, with what to install, when there are none."""
    from reports.fonts import FontMissing, find_fonts

    try:
        return find_fonts()
    except FontMissing:
        pytest.skip("no CJK TrueType font on this machine: sudo apt install fonts-lxgw-wenkai")
