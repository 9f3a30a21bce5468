"""Starting the GUI: the window first, then the database, then the tabs' data.

Order matters for speed: the main window with its navigation is shown before SQLAlchemy,
openpyxl or ReportLab are imported; the database is opened from the event loop's first
turn (``QTimer.singleShot(0)``), and each tab loads its first rows at once.

Opening problems get a clear Chinese message and a choice, never a silent exit and never
a silently created empty database: a corrupt file offers the newest backup that passes
the integrity check; other problems offer another file or quitting. A second window on
the same SQLite file is refused through any path or hard link: the window lock of ``db.lock``
is keyed by the file's identity (device and inode), in the machine-wide lock folder.

The first interactive opening offers the first-run wizard (ui/dialogs/first_run.py) when the
database has no union name yet; ``wizard_wanted`` keeps it away from offscreen runs, tests,
benchmarks and ``screenshot`` (which never calls ``Starter.start``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QObject,
    QTimer,
    QTranslator,
    Signal,
)
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from desktop import APP_NAME
from ui import apply_look
from ui.kit import screen
from ui.main_window import MainWindow

if TYPE_CHECKING:
    from db.errors import DatabaseProblem
    from db.lock import WindowLock
    from desktop.context import App

log = logging.getLogger(__name__)
ALREADY_OPEN = "该数据库已在另一个工会工作台窗口中打开"


def tr(text: str) -> str:
    return QCoreApplication.translate("ui.app", text)


# --------------------------------------------------------------------------- the application


def qt_application() -> QApplication:
    """The QApplication (created once), named and styled."""
    existing = QApplication.instance()
    qapp = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    qapp.setApplicationName(APP_NAME)
    qapp.setOrganizationName(APP_NAME)
    _load_qt_chinese(qapp)
    apply_look(qapp)
    return qapp


def _load_qt_chinese(qapp: QApplication) -> None:
    """Qt's own texts (确定/取消, the file and print dialogs) in Simplified Chinese."""
    if qapp.property("ud_translated"):
        return
    translator = QTranslator(qapp)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_",
                       QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        qapp.installTranslator(translator)
    qapp.setProperty("ud_translated", True)


def run_gui(db_arg: str | None) -> int:
    """``python -m desktop``: show the main window, open the database, run until closed."""
    from desktop import logs

    logs.setup()
    qapp = qt_application()
    from ui.dialogs.crash import install_excepthook

    install_excepthook()
    screen.install(qapp)  # every window opens inside the screen's free area, its buttons in view
    _window, starter = start_gui(db_arg)  # keep the window referenced while the loop runs
    starter.gave_up.connect(qapp.exit)
    code = qapp.exec()
    starter.close()
    return starter.exit_code or code


def start_gui(db_arg: str | None) -> tuple[MainWindow, Starter]:
    """Show the main window and paint it, then open the database on the event loop's first turn."""
    window = MainWindow()
    if os.environ.get("UNIONDESK_PROBE"):
        from ui import probe

        probe.install(window)
    window.show()
    QApplication.processEvents()  # paint the window and its tabs now, before the data layer loads
    starter = Starter(window)
    QTimer.singleShot(0, lambda: starter.start(db_arg))
    return window, starter


# --------------------------------------------------------------------------- opening the database


class Starter(QObject):
    """Opens databases for a main window: lock, open, handle problems, attach."""

    #: Start-up gave up (the clerk chose to quit, or another window has the file): the exit code.
    gave_up = Signal(int)

    def __init__(self, window: MainWindow, *, interactive: bool = True, daily_backup: bool = True) -> None:
        super().__init__(window)
        self.window = window
        self.interactive = interactive
        self.daily_backup = daily_backup
        self.app: App | None = None
        self.lock: WindowLock | None = None
        self.exit_code = 0
        self._backup_thread: threading.Thread | None = None
        window.switch_database = self.switch

    # ----------------------------------------------------------------- entry points

    def start(self, db_arg: str | None) -> App | None:
        """First opening at start-up; quits the application (exit 1) when the clerk gives up."""
        opened = self.open(db_arg)
        if opened is None:
            self.exit_code = 1
            self.gave_up.emit(1)
            self.window.close()
            return None
        if not self._signed_in(*opened):  # 退出 on the sign-in dialog: quit cleanly, nothing shown
            self.gave_up.emit(0)
            self.window.close()
            return None
        self._attach(*opened)
        if self.interactive:
            # On a later turn of the event loop (start() returns, the window keeps painting); the
            # wizard decides itself whether to appear, and opens without blocking (dlg.open()).
            QTimer.singleShot(0, self, lambda a=self.app: self._offer_first_run(a))
        return self.app

    def _offer_first_run(self, app: App | None) -> None:
        """The first-run wizard, if ``wizard_wanted`` says so (never offscreen, in tests or the CLI)."""
        if app is None or app is not self.app:
            return
        from ui.accounts.account_step import offer_admin_setup
        from ui.dialogs.first_run import offer_first_run

        if offer_admin_setup(self.window, app) is not None:  # an older database with records: set a password
            return
        offer_first_run(self.window, app)  # it announces what changed: every view refreshes itself

    def _signed_in(self, app: App, lock: WindowLock | None) -> bool:
        """A database with accounts shows nothing before someone signs in; False (the app closed,
        its lock released) when the clerk gives up."""
        if not app.has_accounts or app.user is not None or not self.interactive:
            return True
        from ui.accounts.sign_in import sign_in

        if sign_in(self._parent(), app):
            return True
        app.close()
        if lock is not None:
            lock.release()
        return False

    def switch(self, target: str) -> bool:
        """文件 → 切换数据库…: open another file; the current one stays open if that fails."""
        opened = self.open(target, switching=True)
        if opened is None or not self._signed_in(*opened):
            return False
        self._release()
        self._attach(*opened)
        if not os.environ.get("UNIONDESK_NO_QSETTINGS"):
            from desktop.context import save_url

            save_url(opened[0].db.url)
        return True

    def close(self) -> None:
        self._wait_for_backup()
        self.window.detach_app()
        self._release()

    def _attach(self, app: App, lock: WindowLock | None) -> None:
        self.app, self.lock = app, lock
        self.window.attach_app(app)
        if self.daily_backup and app.found != "new":
            # The day's first backup runs once the first rows are on screen, off the UI thread.
            QTimer.singleShot(2000, self, lambda a=app: self._start_daily_backup(a))

    def _start_daily_backup(self, app: App) -> None:
        if app is not self.app or self._backup_thread is not None:
            return

        def run() -> None:
            try:
                app.daily_backup()
            except Exception:  # a failed backup must not stop work; the log says why
                log.exception("the daily backup failed")

        self._backup_thread = threading.Thread(target=run, name="daily-backup")
        self._backup_thread.start()

    def _wait_for_backup(self) -> None:
        if self._backup_thread is not None:
            self._backup_thread.join()
            self._backup_thread = None

    def _release(self) -> None:
        self._wait_for_backup()
        if self.app is not None:
            self.window.detach_app()
            self.app.close()
            self.app = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    # ----------------------------------------------------------------- the loop of attempts

    def open(self, db_arg: str | None, *, switching: bool = False) -> tuple[App, WindowLock | None] | None:
        """Lock and open; on a problem ask what to do (or raise it when not interactive)."""
        from db.errors import DatabaseProblem
        from db.lock import WINDOW
        from desktop.context import database_file, open_app, resolve_url

        target = db_arg
        while True:
            url, _source = resolve_url(target)
            path = database_file(url)
            lock: WindowLock | None = None
            if path is not None:
                if self.app is not None and self.app.db.path is not None and _same(self.app.db.path, path):
                    self.say(tr("切换数据库"), tr("该数据库已经打开。"))
                    return None
                free, lock, holder = self._lock(path)
                if not free:
                    problem = DatabaseProblem("already_open", tr(ALREADY_OPEN) + f"（{holder}）：{path}")
                    if not self.interactive:
                        raise problem
                    self.say(tr("无法打开数据库"), tr(ALREADY_OPEN) + f"（{holder}）"
                             + tr("。\n\n请切换到那个窗口继续工作。") + f"\n\n{path}")
                    return None
            try:
                # the daily backup runs after the first rows
                app = open_app(target, daily_backup=False, program=WINDOW)
            except DatabaseProblem as problem:
                if lock is not None:
                    lock.release()
                log.warning("opening %s failed: %s (%s)", path or "database", problem.code, problem.message)
                if not self.interactive:
                    raise
                choice = self.resolve(problem, path, switching)
                if choice is None:
                    return None
                target = choice
                continue
            return app, lock

    @staticmethod
    def _lock(path: Path) -> tuple[bool, WindowLock | None, str]:
        """(free, lock, holder): the window lock keyed by the file's identity (any path or hard
        link meets it); not free when another window holds it, ``holder`` then names it."""
        from db.errors import DatabaseProblem
        from db.lock import WindowLock
        from desktop.context import lock_fallback

        try:
            if not path.exists():  # a new database: the empty file gives it its identity now
                path.parent.mkdir(parents=True, exist_ok=True)
                with contextlib.suppress(FileExistsError):
                    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
            lock = WindowLock(path, fallback=lock_fallback())
        except (OSError, DatabaseProblem) as exc:
            # No file or no lock folder (a read-only folder): open_app reports what matters.
            log.warning("no window lock for %s (%s)", path, exc)
            return True, None, ""
        if lock.try_acquire():
            return True, lock, ""
        return False, None, lock.holder()

    def resolve(self, problem: DatabaseProblem, path: Path | None, switching: bool) -> str | None:
        """Ask the clerk what to do about a database that cannot be opened.

        Returns the next thing to try (a file path) or None to give up (quit at start-up,
        keep the current database when switching).
        """
        if problem.code == "corrupt" and path is not None:
            return self._corrupt(problem, path)
        give_up = tr("取消") if switching else tr("退出")
        options = [tr("选择其他数据库文件…"), give_up]
        if problem.code == "locked":
            options.insert(0, tr("重试"))
        answer = self.ask(tr("无法打开数据库"), problem.message + "\n\n" + tr("您可以选择其他数据库文件，或%1。")
                          .replace("%1", give_up), options)
        if answer == tr("重试"):
            return str(path) if path is not None else None
        if answer == tr("选择其他数据库文件…"):
            return self.pick_file()
        return None

    def _corrupt(self, problem: DatabaseProblem, path: Path) -> str | None:
        from db import backup as backups
        from desktop import paths

        good = backups.newest_good(paths.backups_dir())
        pick, give_up, restore = tr("选择其他数据库文件…"), tr("退出"), tr("从备份恢复")
        if good is None:
            answer = self.ask(tr("数据库已损坏"), problem.message + "\n\n" + tr(
                "没有找到可用的备份。请联系技术支持，或选择其他数据库文件。损坏的文件保持原样，未做任何改动。"),
                [pick, give_up])
            return self.pick_file() if answer == pick else None
        info = backups.info(good)
        text = problem.message + "\n\n" + tr(
            "找到一份完好的备份：%1 的备份（%2 名职工，%3 个单位）。\n"
            "恢复后，这个时间之后录入的数据需要重新录入。损坏的文件会另存一份，不会删除。\n\n是否用这份备份恢复？"
        ).replace("%1", f"{info.taken:%Y年%m月%d日 %H:%M}").replace("%2", str(info.workers)) \
            .replace("%3", str(info.organisations))
        answer = self.ask(tr("数据库已损坏"), text, [restore, pick, give_up])
        if answer == pick:
            return self.pick_file()
        if answer != restore:
            return None
        from desktop.context import restore_damaged

        try:
            aside = restore_damaged(str(path), good)  # the damaged file is copied aside first
        except Exception as exc:  # any failure is told, never swallowed
            log.exception("restoring %s from %s failed", path, good)
            message = getattr(exc, "message", None) or str(exc)
            self.say(tr("恢复失败"), tr("未能从备份恢复：%1").replace("%1", message))
            return None
        log.warning("restored %s from %s; the corrupt file was kept as %s", path, good, aside)
        self.say(tr("已恢复"), tr("已用 %1 的备份恢复数据库。\n损坏的文件另存为：%2")
                 .replace("%1", f"{info.taken:%Y-%m-%d %H:%M}").replace("%2", str(aside)))
        return str(path)

    # ----------------------------------------------------------------- talking (tests replace these)

    def _parent(self) -> QWidget | None:
        return self.window if self.window.isVisible() else None

    def say(self, title: str, text: str) -> None:
        if self.interactive:
            QMessageBox.warning(self._parent(), title, text)

    def ask(self, title: str, text: str, options: list[str]) -> str | None:
        """A message with one button per option; returns the option chosen (None: closed)."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self._parent())
        buttons = {}
        for i, option in enumerate(options):
            role = QMessageBox.ButtonRole.RejectRole if i == len(options) - 1 else QMessageBox.ButtonRole.AcceptRole
            buttons[box.addButton(option, role)] = option
        box.exec()
        return buttons.get(box.clickedButton())

    def pick_file(self) -> str | None:
        path, _filter = QFileDialog.getOpenFileName(
            self._parent(), tr("选择数据库文件"), "", tr("工会工作台数据库 (*.sqlite3 *.db);;所有文件 (*)"))
        return path or None


def _same(a: Path, b: Path) -> bool:
    """The same file, through any path or hard link."""
    from db.lock import identity

    ident = identity(a)
    if ident is not None and ident == identity(b):
        return True
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b
