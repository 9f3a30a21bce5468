"""The crash dialog and the excepthook that opens it (after Vorta's ``ExceptionDialog``).

An exception nobody handled is logged with its traceback, then shown to the clerk as
程序遇到意外错误 with the log file's path, a 复制详细信息 button and the details folded away.
The program keeps running: the clerk closes the dialog and carries on (or restarts).
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from datetime import datetime
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)
_open_dialogs: list[CrashDialog] = []
_MAX_OPEN = 3  # an exception raised on every repaint must not bury the screen in dialogs


def tr(text: str) -> str:
    return QCoreApplication.translate("CrashDialog", text)


def crash_details(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    """What 复制详细信息 copies: versions, system, time and the traceback."""
    try:
        from desktop import __version__
    except ImportError:  # pragma: no cover
        __version__ = "?"
    from PySide6 import __version__ as qt_version

    lines = [
        f"UnionDesk {__version__}",
        f"Python {platform.python_version()} / PySide6 {qt_version}",
        f"{platform.system()} {platform.release()} ({platform.version()})",
        f"{datetime.now():%Y-%m-%d %H:%M:%S}",
        "",
        _safe_traceback(exc_type, exc, tb),
    ]
    return "\n".join(lines)


def _safe_traceback(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    """The traceback without a database error's SQL and parameters, whole numbers masked
    (the clerk may paste it into a chat with support)."""
    try:
        from desktop.logs import safe_traceback

        if exc.__traceback__ is None and tb is not None:
            exc = exc.with_traceback(tb)
        return safe_traceback(exc).rstrip()
    except Exception:  # the dialog must open whatever happens
        from db.privacy import mask_numbers

        return mask_numbers("".join(traceback.format_exception(exc_type, exc, tb)).rstrip())


def _summary(exc_type: type[BaseException], exc: BaseException) -> str:
    """One line for the dialog: a database error's driver message, never its SQL or numbers."""
    try:
        from desktop.jobs import describe_error

        return describe_error(exc)
    except Exception:
        return exc_type.__name__


def _log_path() -> str:
    try:
        from desktop.paths import log_file

        return str(log_file())
    except OSError:
        return tr("（日志文件夹不可用）")


class CrashDialog(QDialog):
    def __init__(self, details: str, summary: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("程序遇到意外错误"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(520)

        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)

        title = QLabel(tr("程序遇到意外错误"))
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        title.setFont(font)
        body = QLabel(tr(
            "刚才的操作没有完成，已经保存的数据不受影响。<br>"
            "可以关闭此窗口继续工作；如果问题反复出现，请重新启动程序，"
            "并把详细信息（或下面的日志文件）发给技术支持。"))
        body.setWordWrap(True)
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setStyleSheet("color: #a61b1b;")
        self.log_label = QLabel(tr("日志文件：{0}").format(_log_path()))
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        mono = QFont("Consolas")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.details.setFont(mono)
        self.details.setMinimumHeight(220)
        self.details.setVisible(False)

        self.toggle_button = QPushButton(tr("显示详细信息"))
        self.toggle_button.setCheckable(True)
        self.toggle_button.toggled.connect(self._toggle)
        self.copy_button = QPushButton(tr("复制详细信息"))
        self.copy_button.clicked.connect(self.copy_details)
        self.close_button = QPushButton(tr("关闭"))
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)

        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(body)
        text.addWidget(self.summary)
        text.addWidget(self.log_label)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addLayout(text, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.toggle_button)
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details, 1)
        layout.addLayout(buttons)

    def _toggle(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.toggle_button.setText(tr("隐藏详细信息") if shown else tr("显示详细信息"))
        self.adjustSize()

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText(tr("已复制"))


def show_crash(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None,
               parent: QWidget | None = None) -> CrashDialog | None:
    """Show the crash dialog (non-blocking); None when there is no QApplication to show it in."""
    if QApplication.instance() is None:
        return None
    _open_dialogs[:] = [d for d in _open_dialogs if _alive(d)]
    if len(_open_dialogs) >= _MAX_OPEN:
        return None
    summary = _summary(exc_type, exc)
    dlg = CrashDialog(crash_details(exc_type, exc, tb), summary[:500], parent)
    _open_dialogs.append(dlg)
    dlg.finished.connect(lambda _r, d=dlg: _open_dialogs.remove(d) if d in _open_dialogs else None)
    dlg.show()
    dlg.raise_()
    dlg.activateWindow()
    return dlg


def _alive(dlg: CrashDialog) -> bool:
    try:
        dlg.isVisible()
    except RuntimeError:  # the C++ object is gone
        return False
    return True


_in_hook = False


def excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Log an unhandled exception and show it; never raises."""
    global _in_hook
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    log.critical("unhandled exception", exc_info=(exc_type, exc, tb))
    if _in_hook:  # the dialog itself failed: the log has it, stop here
        sys.__excepthook__(exc_type, exc, tb)
        return
    _in_hook = True
    try:
        problem = _clerk_problem(exc)
        if problem is not None and QApplication.instance() is not None:
            # locked, disk full, read-only, a bad value...: the message says what to do
            QMessageBox.warning(QApplication.activeWindow(), tr("操作未完成"), problem)
        elif show_crash(exc_type, exc, tb) is None:
            sys.__excepthook__(exc_type, exc, tb)
    except Exception:
        log.exception("the crash dialog failed")
        _plain_box(exc_type, exc, tb)
    finally:
        _in_hook = False


def _clerk_problem(exc: BaseException) -> str | None:
    """The Chinese message of an error the clerk can act on, or None for a real bug."""
    errors = sys.modules.get("db.errors")  # not imported yet: then it cannot be one of ours
    if errors is not None and isinstance(exc, errors.DatabaseProblem | errors.ValidationError):
        return str(exc.message)  # type: ignore[attr-defined]
    database = sys.modules.get("db.database")
    translated = database.translate(exc) if database is not None else None
    return str(translated.message) if translated is not None else None


def _plain_box(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """The last resort when the crash dialog itself fails: a message box with the log path."""
    if QApplication.instance() is None:
        sys.__excepthook__(exc_type, exc, tb)
        return
    box = QMessageBox(QMessageBox.Icon.Critical, tr("程序遇到意外错误"),
                      tr("已保存的数据不受影响。错误详情已记入日志文件：\n{0}").format(_log_path()))
    box.setDetailedText(crash_details(exc_type, exc, tb))
    box.exec()


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    """A plain thread's exception is logged (widgets belong to the UI thread)."""
    if args.exc_type is SystemExit:
        return
    log.critical("unhandled exception in thread %s", getattr(args.thread, "name", "?"),
                 exc_info=(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback))


def install_excepthook() -> None:
    """Route unhandled exceptions (including those raised in Qt slots) to the crash dialog."""
    sys.excepthook = excepthook
    threading.excepthook = _thread_hook
