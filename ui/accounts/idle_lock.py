"""The idle lock: after ``idle_lock_minutes`` (a setting, default 10, 0 = never) without keyboard or
mouse input the window's content is hidden behind a lock screen that asks for the same account's
password (``check_password``) or offers 切换账户. Only while the database has accounts.

An application-wide event filter notes the last input. Locking hides the main window's central
widget and puts an opaque screen over the whole window (menus and status bar included) and an
opaque cover over every other open window, so nothing of the data shows, not even in a screenshot
(``QWidget.grab``). Open dialogs stay open underneath (nothing typed is lost). When a modal dialog
is open the password prompt goes over it (it is the window that receives input).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.errors import DatabaseProblem, ValidationError
from ui.accounts.common import password_edit, service
from ui.dialogs.common import error_label, show_error

DEFAULT_MINUTES = 10
INPUT_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                          QEvent.Type.Wheel, QEvent.Type.TouchBegin})


def tr(text: str) -> str:
    return QCoreApplication.translate("IdleLock", text)


class Cover(QWidget):
    """An opaque sheet over a whole window that follows its size."""

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#lockCover, #lockScreen { background: #eef1f5; }")
        host.installEventFilter(self)
        self.setGeometry(host.rect())
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        return False


class LockScreen(Cover):
    """已锁定: the account's password (解锁) or 切换账户."""

    def __init__(self, host: QWidget, lock: IdleLock) -> None:
        super().__init__(host)
        self.setObjectName("lockScreen")
        self.lock = lock
        user = lock.app.user if lock.app is not None else None
        who = (user.display_name or user.name) if user is not None else ""
        heading = QLabel(tr("工会工作台已锁定"))
        heading.setObjectName("pageHeading")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        note = QLabel(tr("长时间没有操作，窗口已锁定。\n请输入 {0} 的密码继续，或切换账户。").format(who))
        note.setWordWrap(True)
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password = password_edit(tr("密码"), "lockPassword")
        self.password.returnPressed.connect(self.unlock)
        self.message = error_label()
        self.message.setObjectName("lockMessage")
        self.unlock_button = QPushButton(tr("解锁"))
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.unlock)
        self.switch_button = QPushButton(tr("切换账户…"))
        self.switch_button.clicked.connect(lock.switch_account)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.switch_button)
        buttons.addWidget(self.unlock_button)

        panel = QWidget(self)
        panel.setObjectName("lockPanel")
        panel.setMaximumWidth(460)
        panel.setStyleSheet("#lockPanel { background: white; border: 1px solid #c9d1db; border-radius: 8px; }")
        column = QVBoxLayout(panel)
        column.setContentsMargins(24, 20, 24, 16)
        column.setSpacing(10)
        column.addWidget(heading)
        column.addWidget(note)
        column.addWidget(self.password)
        column.addWidget(self.message)
        column.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(panel, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.password.setFocus()

    def unlock(self) -> bool:
        password = self.password.text()
        if not password:
            show_error(self.message, tr("请输入密码。"))
            return False
        try:
            ok = bool(service().check_password(self.lock.app, password))
        except (DatabaseProblem, ValidationError) as exc:  # locked after too many tries
            ok = False
            show_error(self.message, exc.message)
        else:
            if not ok:
                show_error(self.message, tr("密码不正确。"))
        self.password.clear()
        if ok:
            self.lock.unlock()
        return ok


class IdleLock(QObject):
    """Watches input for ``window``; locks it after the idle time. ``app()`` gives the open App."""

    def __init__(self, window: QMainWindow, app: Callable[[], Any],
                 on_switched: Callable[[], object] | None = None) -> None:
        super().__init__(window)
        self.window = window
        self._app = app
        self.on_switched = on_switched
        self.last_input = time.monotonic()
        self.idle_seconds: float = 0.0  # 0: never (no accounts, or the setting is 0)
        self.screen: LockScreen | None = None
        self.covers: list[Cover] = []
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.tick)
        qapp = QApplication.instance()
        if qapp is not None:
            qapp.installEventFilter(self)

    @property
    def app(self) -> Any:
        return self._app()

    @property
    def locked(self) -> bool:
        return self.screen is not None

    def configure(self, seconds: float | None = None) -> None:
        """Read the idle time from the settings (or take ``seconds``); start or stop watching."""
        app = self.app
        if seconds is None:
            minutes = DEFAULT_MINUTES
            if app is not None:
                try:
                    minutes = int(app.settings.get("idle_lock_minutes", DEFAULT_MINUTES))
                except (TypeError, ValueError):
                    minutes = DEFAULT_MINUTES
            seconds = minutes * 60.0
        active = app is not None and bool(app.has_accounts) and app.user is not None and seconds > 0
        self.idle_seconds = seconds if active else 0.0
        self.last_input = time.monotonic()
        if self.idle_seconds:
            self.timer.start(int(max(50, min(self.idle_seconds * 1000 / 4, 15_000))))
        else:
            self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self.last_input = time.monotonic()
        return False

    def tick(self) -> None:
        app = self.app
        if app is None or app.closed or app.user is None:
            return  # no database (switching), or nobody to unlock for
        if self.idle_seconds and not self.locked and time.monotonic() - self.last_input >= self.idle_seconds:
            self.lock()

    def lock(self) -> None:
        if self.locked:
            return
        modal = QApplication.activeModalWidget()
        prompt_host = modal if modal is not None and modal is not self.window else self.window
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and widget is not prompt_host and widget.isWindow():
                self.covers.append(Cover(widget))
        central = self.window.centralWidget()
        if central is not None:
            central.hide()
        self.window.menuBar().setEnabled(False)
        self.screen = LockScreen(prompt_host, self)
        self.screen.password.setFocus()

    def unlock(self) -> None:
        if self.screen is not None:
            self.screen.deleteLater()
            self.screen.hide()
        self.screen = None
        for cover in self.covers:
            cover.hide()
            cover.deleteLater()
        self.covers.clear()
        central = self.window.centralWidget()
        if central is not None:
            central.show()
        self.window.menuBar().setEnabled(True)
        self.last_input = time.monotonic()

    def switch_account(self) -> None:
        from ui.accounts.sign_in import sign_in

        app = self.app
        before = app.user if app is not None else None
        host = self.screen.window() if self.screen is not None else self.window
        if app is None or not sign_in(host, app, switching=True):
            return
        self.unlock()
        if self.on_switched is not None and app.user != before:
            self.on_switched()
