"""The main window: programme navigation on the left, the programme's page on the right.

The window and its navigation (titles and icons from ``desktop.registry.entries()``) are
painted before SQLAlchemy is imported; each tab class is imported from its dotted path
(``"ui.programmes.workers.tab:WorkersTab"``) once the database is open, the first time it is shown.
Menu actions call the dialogs of ``ui.dialogs`` (imported when used).
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_TITLE
from desktop.changes import EVERYTHING
from desktop.registry import Entry, entries
from ui import icon
from ui.kit.changes import hub
from ui.kit.tab import section_shortcuts
from ui.window_menus import WindowMenus

if TYPE_CHECKING:
    from desktop.context import App
    from ui.kit.tab import ProgrammeTab

log = logging.getLogger(__name__)
EntryRole = int(Qt.ItemDataRole.UserRole) + 1
#: How often the window checks its database file is still the one it opened (and whether an
#: idle TRUNCATE checkpoint is due): one os.stat or two, never per keystroke.
WATCH_INTERVAL_MS = 5000


def _use_qsettings() -> bool:
    return not os.environ.get("UNIONDESK_NO_QSETTINGS")


def tab_class(entry: Entry) -> type[ProgrammeTab]:
    """The tab class named by the registry entry (``module:Class``), imported now."""
    module_name, _, class_name = entry.tab.partition(":")
    cls: type[ProgrammeTab] = getattr(importlib.import_module(module_name), class_name)
    return cls


class Placeholder(QWidget):
    """What a page shows until its tab exists (database opening, or a tab that failed)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.label = QLabel(text, self)
        self.label.setObjectName("emptyState")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        layout.addWidget(self.label)


class MainWindow(WindowMenus, QMainWindow):
    """工会工作台 — union name. ``attach_app`` puts an open database behind it."""

    #: The database is open and the tabs exist (again after switching databases).
    app_attached = Signal()
    #: A tab has loaded its data (key).
    tab_loaded = Signal(str)
    #: What a write changed (desktop.changes.Changes): every tab and page listens (ui.kit.changes).
    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.app: App | None = None
        self.entries = entries()
        self.tabs: dict[str, ProgrammeTab] = {}
        self.pages: dict[str, QWidget] = {}
        #: Set by ui.app: opens another database file (切换数据库…); returns True when it did.
        self.switch_database: Callable[[str], bool] | None = None
        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(icon("app.svg"))
        hub().changed.connect(self._changed)

        central = QWidget(self)
        central.setObjectName("central")
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self._build_navigation(central))
        self.stack = QStackedWidget(central)
        self.stack.setObjectName("pages")
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        for e in self.entries:
            page = Placeholder(self.tr("正在打开数据库…"), self.stack)
            self.pages[e.key] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(icon(e.icon), e.title, self.nav)
            item.setData(EntryRole, e.key)
            item.setToolTip(e.title)
            item.setSizeHint(QSize(0, 46))
        self.section_keys = section_shortcuts(self, self.nav)  # Ctrl+1 … Ctrl+9 choose a section
        self._build_menus()
        self._build_status_bar()
        from ui.accounts import window as account_parts

        account_parts.install(self)  # the account in the status bar, the idle lock, permissions
        self._set_app_actions_enabled(False)
        self.nav.currentRowChanged.connect(self._nav_changed)
        self.nav.setCurrentRow(0)
        self.file_problem: str | None = None
        self._checkpoint_thread: threading.Thread | None = None
        self.watch_timer = QTimer(self)
        self.watch_timer.setInterval(WATCH_INTERVAL_MS)
        self.watch_timer.timeout.connect(self.watch_tick)
        self.resize(1280, 800)
        self._restore_geometry()

    # ----------------------------------------------------------------- building

    def _build_navigation(self, parent: QWidget) -> QWidget:
        panel = QWidget(parent)
        panel.setObjectName("navPanel")
        panel.setFixedWidth(168)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        brand = QWidget(panel)
        brand.setObjectName("brand")
        b = QVBoxLayout(brand)
        b.setContentsMargins(14, 12, 10, 10)
        b.setSpacing(4)
        top = QHBoxLayout()
        top.setSpacing(8)
        logo = QLabel(brand)
        logo.setPixmap(icon("app.svg").pixmap(QSize(28, 28)))
        top.addWidget(logo)
        self.brand_title = QLabel(APP_TITLE, brand)
        self.brand_title.setObjectName("brandTitle")
        top.addWidget(self.brand_title, 1)
        b.addLayout(top)
        self.brand_union = QLabel("", brand)
        self.brand_union.setObjectName("brandUnion")
        self.brand_union.setWordWrap(True)
        self.brand_union.hide()
        b.addWidget(self.brand_union)
        layout.addWidget(brand)

        self.nav = QListWidget(panel)
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setFrameShape(QListWidget.Shape.NoFrame)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setUniformItemSizes(True)
        layout.addWidget(self.nav, 1)
        return panel

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        status.setSizeGripEnabled(True)
        self.db_label = QLabel(self.tr("正在打开数据库…"), self)
        self.db_label.setObjectName("dbLabel")
        self.count_label = QLabel("", self)
        self.count_label.setObjectName("countStatus")
        status.addWidget(self.db_label, 1)
        status.addPermanentWidget(self.count_label)

    def _set_app_actions_enabled(self, enabled: bool) -> None:
        from ui.accounts.permits import allowed

        for action in self.findChildren(QAction):
            if action.property("needs_app"):
                action.setEnabled(enabled and allowed(action, self.app))  # greyed out by permission
        self.reports_menu.setEnabled(enabled and not self.reports_menu.isEmpty() and allowed(
            self.reports_menu.menuAction(), self.app))

    # ----------------------------------------------------------------- the database

    def attach_app(self, app: App) -> None:
        """Show an open database: title, status bar, reports menu, then the current tab's data."""
        self.detach_app()
        self.app = app
        self.file_problem = None
        from ui.kit import jobs

        jobs.watch(app)
        self.watch_timer.start()
        self._update_title()
        self.db_label.setText(self.tr("数据库：%1").replace("%1", app.display))
        self.db_label.setToolTip(app.display)
        self._build_reports_menu()
        self._set_app_actions_enabled(True)
        for e in self.entries:
            self._set_page(e.key, Placeholder(self.tr("正在读取…"), self.stack))
        self.app_attached.emit()
        self.ensure_tab(self.current_key())

    def detach_app(self) -> None:
        """Drop the tabs of the database shown (before switching or closing)."""
        for tab in self.tabs.values():
            tab.shutdown()
        for key in list(self.tabs):
            self.tabs.pop(key)
            self._set_page(key, Placeholder(self.tr("正在打开数据库…"), self.stack))  # deletes the tab
        self.watch_timer.stop()
        if self._checkpoint_thread is not None:
            self._checkpoint_thread.join()
            self._checkpoint_thread = None
        if self.app is not None:
            from ui.kit import jobs

            jobs.unwatch(self.app)
        self.app = None
        self._set_app_actions_enabled(False)
        self.count_label.clear()

    # ----------------------------------------------------------------- the file under us

    def watch_tick(self) -> None:
        """Timer: the database file is still the one opened; an idle TRUNCATE checkpoint if due."""
        app = self.app
        if app is None or self.file_problem is not None:
            return
        from db.errors import DatabaseProblem

        try:
            app.check_file()
        except DatabaseProblem as problem:
            self.stop_writing(problem.message)
            return
        running = self._checkpoint_thread is not None and self._checkpoint_thread.is_alive()
        if not running and app.db.is_sqlite and app.wal_pending():
            from desktop.context import IDLE_CHECKPOINT_S

            if app.idle_for() >= IDLE_CHECKPOINT_S:  # on a worker thread, busy_timeout 0, skipped if busy
                self._checkpoint_thread = threading.Thread(target=app.idle_checkpoint, name="idle-checkpoint",
                                                           daemon=True)
                self._checkpoint_thread.start()

    def stop_writing(self, message: str) -> None:
        """The file was replaced (or its -wal removed): no more saving, and say so once."""
        self.file_problem = message
        self.watch_timer.stop()
        self._set_app_actions_enabled(False)
        self.db_label.setText(self.tr("数据库文件已被替换，已停止保存"))
        self.db_label.setStyleSheet("color: #b71c1c;")
        log.error("stopped writing: %s", message)
        QMessageBox.critical(self, self.tr("数据库文件已被替换"), message)

    def _update_title(self) -> None:
        name = self.app.union_name if self.app is not None else ""
        self.setWindowTitle(f"{APP_TITLE} — {name}" if name else APP_TITLE)
        self.brand_union.setText(name)
        self.brand_union.setVisible(bool(name))

    def _set_page(self, key: str, widget: QWidget) -> None:
        old = self.pages.get(key)
        index = self.stack.indexOf(old) if old is not None else -1
        current = self.stack.currentWidget() is old
        self.pages[key] = widget
        if index >= 0:
            self.stack.insertWidget(index, widget)
            self.stack.removeWidget(old)
            if old is not None and old not in self.tabs.values():
                old.deleteLater()
        else:
            self.stack.addWidget(widget)
        if current:
            self.stack.setCurrentWidget(widget)

    # ----------------------------------------------------------------- tabs

    def current_key(self) -> str:
        item = self.nav.currentItem()
        return str(item.data(EntryRole)) if item is not None else self.entries[0].key

    def current_tab(self) -> ProgrammeTab | None:
        return self.tabs.get(self.current_key())

    def show_tab(self, key: str) -> ProgrammeTab | None:
        """Switch to a programme's page (creating and loading its tab when a database is open)."""
        for i in range(self.nav.count()):
            if self.nav.item(i).data(EntryRole) == key:
                self.nav.setCurrentRow(i)
                break
        else:
            raise KeyError(key)
        return self.tabs.get(key)

    def _nav_changed(self, row: int) -> None:
        if row < 0:
            return
        key = str(self.nav.item(row).data(EntryRole))
        self.stack.setCurrentWidget(self.pages[key])
        self.ensure_tab(key)
        self._update_count()

    def ensure_tab(self, key: str) -> ProgrammeTab | None:
        """The tab of ``key``, created (and its loading started) on first use."""
        if key in self.tabs:
            return self.tabs[key]
        if self.app is None:
            return None
        entry = next(e for e in self.entries if e.key == key)
        try:
            tab = tab_class(entry)(self.app, self.stack)
        except Exception as exc:  # one broken programme must not stop the others
            log.exception("creating tab %s failed", key)
            self._set_page(key, Placeholder(self.tr("“%1”页面无法打开：%2").replace("%1", entry.title)
                                            .replace("%2", str(exc)), self.stack))
            return None
        self.tabs[key] = tab
        tab.loaded.connect(lambda k=key: self.tab_loaded.emit(k))
        tab.count_changed.connect(self._update_count)
        self._set_page(key, tab)
        tab.load()
        return tab

    def _update_count(self) -> None:
        tab = self.current_tab()
        if tab is None:
            self.count_label.clear()
            return
        title = next((e.title for e in self.entries if e.key == tab.key), "")
        self.count_label.setText(self.tr("%1：%2 条记录").replace("%1", title)
                                 .replace("%2", f"{tab.record_count():,}"))
        self.export_action.setEnabled(self.app is not None and tab.export_kind() is not None)

    def _changed(self, changes: Any) -> None:
        """The one place the window sees a change: everything (restore, settings, demo) reloads
        every tab; anything else reaches the tabs and pages that listen to its tables."""
        if self.app is None or self.app.closed:  # a window of a database closed since (tests)
            return
        if changes.touches(EVERYTHING):
            self.reload_tabs()
        self.changed.emit(changes)

    def reload_tabs(self) -> None:
        """Re-read every open tab (after an import, a restore, a settings change)."""
        if self.app is not None:
            self._update_title()
        for tab in self.tabs.values():
            tab.reload()

    # ----------------------------------------------------------------- window state

    def _restore_geometry(self) -> None:
        if not _use_qsettings():
            return
        value = QSettings("UnionDesk", "UnionDesk").value("window/geometry")
        if isinstance(value, QByteArray | bytes):
            self.restoreGeometry(QByteArray(value))

    def closeEvent(self, event: QCloseEvent) -> None:
        if _use_qsettings():
            QSettings("UnionDesk", "UnionDesk").setValue("window/geometry", self.saveGeometry())
        for tab in self.tabs.values():
            tab.shutdown()
        super().closeEvent(event)
