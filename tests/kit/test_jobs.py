"""The job runner's progress window: a short job never leaves it behind (issue 11, item 7).

After a short job (rejected-rows export, 拜师帖, 立即备份, backup to a USB folder) the 请稍候
window used to appear on top of the "done" message (QProgressDialog's own show timer fired
inside the message's event loop), and neither 取消 nor Esc closed it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from ui.kit import jobs
from ui.kit.jobs import Job

#: How long the "done" message stays open: several times the (shortened) show delay.
MESSAGE_MS = 100


@pytest.fixture
def parent(qtbot: Any) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture(autouse=True)
def short_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "SHOW_DELAY_MS", 30)


def visible_progress() -> list[QProgressDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]


def run_out_timers() -> None:
    """Let every timer of every progress window run out now (QProgressDialog shows itself from
    its own 4-second timer): what the clerk saw a few seconds into the done message."""
    for dialog in QApplication.topLevelWidgets():
        if isinstance(dialog, QProgressDialog):
            for timer in dialog.findChildren(QTimer):
                timer.timeout.emit()


def done_message(parent: QWidget, seen: list[list[QProgressDialog]]) -> Callable[[Any], None]:
    """on_success: a modal "done" message (its own event loop, as offer_open's), which looks at
    the screen while it is open and then closes itself."""
    def show(_result: Any) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "备份完成", "已备份到：…", QMessageBox.StandardButton.Ok,
                          parent)

        def look_and_close() -> None:
            run_out_timers()
            QApplication.processEvents()
            seen.append(visible_progress())
            box.done(0)

        QTimer.singleShot(MESSAGE_MS, look_and_close)
        box.exec()

    return show


@pytest.mark.parametrize("cancellable", [True, False])
def test_a_job_that_ends_at_once_leaves_no_progress_window(qtbot: Any, parent: QWidget, cancellable: bool) -> None:
    seen: list[list[QProgressDialog]] = []
    job = Job(parent, lambda _p, _c: 1, done_message(parent, seen)).with_progress("正在备份数据库…", cancellable)
    with qtbot.waitSignal(job.finished, timeout=10_000):  # delivered inside a running event loop, as in the app
        job.run()
    assert seen == [[]]  # nothing on top of the done message while it was open
    assert visible_progress() == []


@pytest.mark.parametrize("cancellable", [True, False])
def test_a_job_that_ends_just_after_its_window_shows_closes_it(qtbot: Any, parent: QWidget,
                                                               cancellable: bool) -> None:
    gate = threading.Event()
    seen: list[list[QProgressDialog]] = []

    def work(progress: Any, _cancelled: Any) -> int:
        progress(0, 3, "正在导出被拒绝的行…")
        gate.wait(10)
        progress(3, 3, "")
        return 3

    job = Job(parent, work, done_message(parent, seen)).with_progress("正在导出被拒绝的行…", cancellable)
    job.run()
    dialog = job.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        gate.set()
    assert seen == [[]]
    assert visible_progress() == []


def test_an_ended_jobs_window_never_shows_again_and_closes(qtbot: Any, parent: QWidget) -> None:
    """Whatever asks to show it after the job ended (Qt's timer, a late progress post), it stays
    hidden; a window still up when the job ended closes with Esc, 取消 or its close box."""
    job = Job(parent, lambda _p, _c: 1).with_progress("正在备份数据库…", cancellable=False)
    job.run()
    dialog = job.dialog
    assert dialog is not None
    assert job.wait()
    if shiboken6.isValid(dialog):
        dialog.show()
        dialog.forceShow()
        QApplication.processEvents()
        assert not dialog.isVisible()


def test_a_running_job_that_cannot_be_cancelled_keeps_its_window(qtbot: Any, parent: QWidget) -> None:
    gate = threading.Event()
    job = Job(parent, lambda _p, _c: gate.wait(10)).with_progress("正在恢复数据库…", cancellable=False)
    job.run()
    dialog = job.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    dialog.close()
    assert dialog.isVisible() and not job.token()  # a restore is never abandoned half-way
    gate.set()
    assert job.wait()
    assert visible_progress() == []


def test_cancel_after_the_end_closes_the_window(qtbot: Any, parent: QWidget) -> None:
    """取消 (or Esc) on a window whose job has ended closes it instead of doing nothing."""
    gate = threading.Event()
    job = Job(parent, lambda _p, _c: gate.wait(10)).with_progress("正在导出…")
    job.run()
    dialog = job.dialog
    assert dialog is not None and dialog.cancel_button is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    job.done = True  # ended, its result not yet delivered (the queued signal is on its way)
    dialog.cancel_button.click()
    assert not dialog.isVisible()
    job.done = False
    gate.set()
    assert job.wait()
    assert visible_progress() == []


def test_a_missing_chosen_font_is_said_once_after_the_job(qtbot: Any, parent: QWidget,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from reports.fonts import FontMissing, find_fonts, take_notice

    take_notice()  # what earlier tests left
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a, **k: said.append(text))

    def render(_p: Any, _c: Any) -> None:  # a print job whose font, chosen in Settings, is not here
        try:
            find_fonts(families={"title": "方正小标宋简体-本机没有"})
        except FontMissing:
            pytest.skip("no CJK TrueType font on this machine")

    for _ in range(2):
        job = Job(parent, render, lambda _r: None).run()
        assert job.wait()
    assert len(said) == 1 and "方正小标宋简体-本机没有" in said[0] and "标题" in said[0]
