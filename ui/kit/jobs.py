"""Long work off the UI thread, the way Anki's ``QueryOp`` does it::

    Job(parent, fn, on_success).failure(on_fail).with_progress("正在导入…").run()

``fn(progress, cancelled)`` runs on a worker thread and must not touch widgets; it reports
through ``progress(done, total, what)`` and polls ``cancelled()``. Progress is posted back to
the UI thread through a signal into a progress dialog whose 取消 button (or closing it, or
Esc) sets the job's :class:`~desktop.jobs.CancelToken`. The result or the exception comes
back on the UI thread:

- the result goes to ``on_success``;
- :class:`~desktop.jobs.Cancelled` shows a quiet 已取消，未写入任何数据 (then ``on_cancel``);
- any other exception goes to ``on_fail`` if one was given, else :func:`report_failure`
  shows it: a clerk-readable message for a database problem, a bad value, a bad file or a
  file Windows keeps locked; the crash dialog (and the log) for a bug.

Jobs run one at a time on one worker thread: SQLite has one writer, and a restore must
never swap the database under a running import.

For the databases a window shows (:func:`watch`), each job first checks the file was not
replaced or its ``-wal`` removed (the job then fails with that message, writing nothing), and
afterwards runs ``PRAGMA wal_checkpoint(PASSIVE)`` on the job's thread, so the ``.db`` file
alone holds what an import, batch, report, backup or restore wrote.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import sys
import time
from collections.abc import Callable
from typing import Any, ClassVar

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QEventLoop,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QMessageBox, QProgressBar, QProgressDialog, QPushButton, QWidget

from db.errors import DatabaseProblem, ValidationError
from desktop import audit_heads
from desktop.jobs import Cancelled, CancelToken, Progress, database_problem

log = logging.getLogger(__name__)

JobFn = Callable[[Progress, Callable[[], bool]], Any]

PROGRESS_INTERVAL = 0.05  # seconds between progress posts from the worker (the last is always sent)
SHOW_DELAY_MS = 300  # a job quicker than this never flashes a progress dialog (read at run())

_pool: QThreadPool | None = None
_watched: list[Any] = []  # the Apps of open windows: checked before, checkpointed after each job


def watch(app: Any) -> None:
    """Check ``app``'s file before each job and checkpoint it after (MainWindow.attach_app)."""
    if app not in _watched:
        _watched.append(app)


def unwatch(app: Any) -> None:
    with contextlib.suppress(ValueError):
        _watched.remove(app)


def _check_files() -> None:
    for app in list(_watched):
        app.check_file()


def _checkpoint() -> None:
    for app in list(_watched):
        try:
            audit_heads.sign_now(app)  # the job's end: a signed audit chain head (never raises)
            app.checkpoint("PASSIVE")
        except Exception:  # a checkpoint is housekeeping: it never fails a job
            log.exception("checkpoint after a job failed")


def tr(text: str) -> str:
    return QCoreApplication.translate("Job", text)


def pool() -> QThreadPool:
    """The one worker thread every job runs on, in the order they were started."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
        _pool.setExpiryTimeout(-1)
    return _pool


class _Signals(QObject):
    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, fn: JobFn, token: CancelToken, signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the Job holds it: Python owns it, Qt never deletes it under us
        self.fn = fn
        self.token = token
        self.signals = signals
        self._last = 0.0

    def _progress(self, done: int, total: int, what: str = "") -> None:
        now = time.monotonic()
        if done >= total or now - self._last >= PROGRESS_INTERVAL:
            self._last = now
            self.signals.progress.emit(int(done), int(total), str(what))

    def run(self) -> None:
        try:
            if self.token():
                raise Cancelled
            _check_files()
            result = self.fn(self._progress, self.token)
        except BaseException as exc:
            _checkpoint()
            self.signals.failed.emit(exc)
        else:
            _checkpoint()
            self.signals.succeeded.emit(result)


class _ProgressDialog(QProgressDialog):
    """A progress dialog that cancels through the job's token, or cannot be closed while its job
    runs. The job alone decides when it shows (QProgressDialog's own timer, which shows the window
    4 s after it was made even if the job ended long before, is stopped) and once the job has
    ended it never shows again, and Esc, 取消 or its close box close it."""

    def __init__(self, parent: QWidget | None, title: str, cancellable: bool) -> None:
        super().__init__(parent)
        self.cancellable = cancellable
        self.ended = False
        self.setWindowTitle(tr("请稍候"))
        self.setLabelText(title)
        self.setAutoClose(False)
        self.setAutoReset(False)
        # Progress goes to the bar itself: QProgressDialog.setValue would start its show timer
        # again and process events (running the job's result inside a progress post).
        self.progress_bar = QProgressBar(self)
        self.setBar(self.progress_bar)
        self.setMinimumWidth(360)
        self.setWindowModality(Qt.WindowModality.WindowModal if parent else Qt.WindowModality.ApplicationModal)
        self.cancel_button: QPushButton | None = None
        if cancellable:
            self.cancel_button = QPushButton(tr("取消"))
            self.setCancelButton(self.cancel_button)
            # Keep the dialog up, saying 正在取消…, until the job has really stopped.
            self.canceled.disconnect(self.cancel)
        else:
            self.setCancelButton(None)  # type: ignore[arg-type]
            self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.reset()  # stops the show timer QProgressDialog starts when it is made
        self.setRange(0, 0)

    def setVisible(self, visible: bool) -> None:
        if visible and self.ended:
            return  # a late show (a timer, a progress post) after the job ended
        super().setVisible(visible)

    def end(self) -> None:
        """The job has ended: hide now and refuse to show again."""
        self.ended = True
        self.hide()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.ended:
            event.accept()
            return
        if self.cancellable:
            self.canceled.emit()
        event.ignore()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            if self.ended:
                self.hide()
            elif self.cancellable:
                self.canceled.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class Job(QObject):
    """One piece of long work: build it, chain options, ``run()`` it."""

    finished = Signal()  # after on_success / on_fail / the messages, on the UI thread

    _running: ClassVar[set[Job]] = set()

    def __init__(self, parent: QWidget | None, fn: JobFn, on_success: Callable[[Any], Any] | None = None) -> None:
        super().__init__(None)  # not owned by the widget: the job outlives a closed dialog
        self._parent = parent
        self._fn = fn
        self._on_success = on_success
        self._on_fail: Callable[[BaseException], Any] | None = None
        self._on_cancel: Callable[[], Any] | None = None
        self._quiet_cancel = False
        self._title: str | None = None
        self._cancellable = True
        self.token = CancelToken()
        self.dialog: _ProgressDialog | None = None
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False
        self._signals = _Signals()
        self._runnable: _Runnable | None = None
        self._show_timer: QTimer | None = None

    # -- building ---------------------------------------------------------------------------

    def failure(self, on_fail: Callable[[BaseException], Any] | None) -> Job:
        """Handle errors yourself (not cancellation, which is always shown quietly)."""
        self._on_fail = on_fail
        return self

    def on_cancel(self, callback: Callable[[], Any] | None, *, quiet: bool = False) -> Job:
        """Run ``callback`` after a cancel; ``quiet`` leaves out the 已取消 message (a job that
        only reads, such as a listing)."""
        self._on_cancel = callback
        self._quiet_cancel = quiet
        return self

    def with_progress(self, title: str, cancellable: bool = True) -> Job:
        self._title = title
        self._cancellable = cancellable
        return self

    # -- running ----------------------------------------------------------------------------

    def run(self) -> Job:
        Job._running.add(self)
        self._signals.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._signals.succeeded.connect(self._on_succeeded, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        if self._title is not None:
            self.dialog = _ProgressDialog(self._parent, self._title, self._cancellable)
            self.dialog.canceled.connect(self.cancel)
            # A job quicker than SHOW_DELAY_MS never flashes its window.
            self._show_timer = QTimer(self)
            self._show_timer.setSingleShot(True)
            self._show_timer.timeout.connect(self._show_dialog)
            self._show_timer.start(SHOW_DELAY_MS)
        self._runnable = _Runnable(self._fn, self.token, self._signals)
        pool().start(self._runnable)
        return self

    @property
    def running(self) -> bool:
        return self in Job._running and not self.done

    def cancel(self) -> None:
        """Ask the job to stop; it stops at its next ``cancelled()`` poll and writes nothing.
        On a job that has ended it closes the progress window (取消 always does something)."""
        if self.done:
            self._close_dialog()
            return
        self.token.cancel()
        if self.dialog is not None and shiboken6.isValid(self.dialog):
            self.dialog.setLabelText(tr("正在取消…"))
            if self.dialog.cancel_button is not None:
                self.dialog.cancel_button.setEnabled(False)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Process events until the job has finished (tests, start-up); False on timeout."""
        clock = QElapsedTimer()
        clock.start()
        while not self.done and clock.elapsed() < timeout_ms:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            pool().waitForDone(5)
        QCoreApplication.processEvents()
        return self.done

    # -- back on the UI thread --------------------------------------------------------------

    def _show_dialog(self) -> None:
        dlg = self.dialog
        if dlg is not None and not self.done and shiboken6.isValid(dlg):
            dlg.show()

    def _on_progress(self, done: int, total: int, what: str) -> None:
        dlg = self.dialog
        if dlg is None or self.done or not shiboken6.isValid(dlg):
            return
        if self.token():
            return
        bar = dlg.progress_bar
        if total > 0:
            if bar.maximum() != total:
                bar.setRange(0, total)
            bar.setValue(min(done, total))
        else:
            bar.setRange(0, 0)
        if what:
            dlg.setLabelText(what if not self._title or what == self._title else f"{self._title}\n{what}")

    def _close_dialog(self) -> None:
        """Before anything else runs after the job (a message box with its own event loop)."""
        if self._show_timer is not None:
            self._show_timer.stop()
        if self.dialog is not None and shiboken6.isValid(self.dialog):
            self.dialog.end()
            self.dialog.deleteLater()
        self.dialog = None

    def _parent_gone(self) -> bool:
        """The widget that started the job was deleted while it ran (its callbacks would fail)."""
        if self._parent is not None and not shiboken6.isValid(self._parent):
            self._parent = None
            return True
        return False

    def _on_succeeded(self, result: Any) -> None:
        self.done = True
        self.result = result
        self._close_dialog()
        try:
            if self._parent_gone():
                log.info("job finished after its window was closed; result dropped")
            else:
                if self._on_success is not None:
                    self._on_success(result)
                show_font_notice(self._parent)
        finally:
            self._finish()

    def _on_failed(self, exc: BaseException) -> None:
        self.done = True
        self.error = exc
        self._close_dialog()
        try:
            if self._parent_gone():
                if not isinstance(exc, Cancelled):
                    report_failure(None, exc)
            elif isinstance(exc, Cancelled) or _is_reports_cancelled(exc):
                if not self._quiet_cancel:
                    show_cancelled(self._parent)
                if self._on_cancel is not None:
                    self._on_cancel()
            elif self._on_fail is not None:
                self._on_fail(exc)
            else:
                report_failure(self._parent, exc)
        finally:
            self._finish()

    def _finish(self) -> None:
        Job._running.discard(self)
        self.finished.emit()


def show_font_notice(parent: QWidget | None) -> None:
    """Once per run: a font chosen in Settings is missing on this computer and another was used."""
    if "reports.fonts" not in sys.modules:  # nothing was printed yet
        return
    from desktop.fonts import take_notice

    notice = take_notice()
    if notice:
        QMessageBox.information(parent, tr("字体"), notice)


def _is_reports_cancelled(exc: BaseException) -> bool:
    """``reports`` raises its own Cancelled (it imports nothing of ours)."""
    try:
        from reports import Cancelled as ReportsCancelled
    except ImportError:  # pragma: no cover
        return False
    return isinstance(exc, ReportsCancelled)


def show_cancelled(parent: QWidget | None) -> None:
    QMessageBox.information(parent, tr("已取消"), tr("已取消，未写入任何数据。"))


def failure_message(exc: BaseException) -> str | None:
    """A message a clerk can act on, or None when the exception is a bug."""
    from desktop.importing.readers import ReadError

    if isinstance(exc, DatabaseProblem | ValidationError | ReadError):
        return exc.message
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return tr("磁盘空间已满，本次操作未写入任何数据。请清理磁盘后重试。")
    if isinstance(exc, PermissionError):
        name = exc.filename or ""
        return tr("无法写入文件 {0}：文件正被其他程序（如 Excel、WPS）打开，或没有写入权限。"
                  "请关闭该文件或换一个位置后重试。").format(name)
    if isinstance(exc, OSError) and exc.filename:
        return tr("无法读写文件 {0}：{1}").format(exc.filename, exc.strerror or exc)
    return database_problem(exc)


def report_failure(parent: QWidget | None, exc: BaseException) -> None:
    """The default failure handling: a message for known problems, the crash dialog for bugs."""
    message = failure_message(exc)
    if message is not None:
        log.warning("job failed: %s", message)
        QMessageBox.warning(parent, tr("未能完成"), message)
        return
    log.error("job failed", exc_info=(type(exc), exc, exc.__traceback__))
    from ui.dialogs.crash import show_crash

    show_crash(type(exc), exc, exc.__traceback__, parent=parent)
