"""The certificate centre on a 1366×768 laptop screen (issue 11): it opens inside the screen and
打印…/保存 PDF…/关闭 stay visible above the taskbar, at 100 % and 125 % scaling (each case in a
fresh process whose offscreen screen is that laptop's); made smaller, the content scrolls and the
buttons stay."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop.context import App

ROOT = Path(__file__).resolve().parents[2]
TASKBAR = 40  # px kept free at the bottom of the screen

PROBE = r"""
import json, sys
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QPushButton
app = QApplication(sys.argv)
from ui import apply_look
apply_look(app)
from desktop.context import open_app
from ui.certificates.centre import open_certificate_centre
ctx = open_app(sys.argv[1], daily_backup=False)
dlg = open_certificate_centre(None, ctx)
for _ in range(5):
    app.processEvents()
window = dlg.frameGeometry()
buttons = {}
for b in dlg.findChildren(QPushButton):
    if b.isVisibleTo(dlg) and b.text() in ("打印…", "保存 PDF…", "关闭", "打印校准页…"):
        top_left = b.mapToGlobal(QPoint(0, 0))
        buttons[b.text()] = [top_left.x(), top_left.y(), b.width(), b.height()]
print(json.dumps({"window": [window.x(), window.y(), window.width(), window.height()], "buttons": buttons}))
for job in (dlg.job, dlg.preview.job, dlg._load_job):
    if job is not None:
        job.wait()
ctx.close()
"""


@pytest.mark.parametrize("dpi", [96, 120], ids=["100%", "125%"])
def test_buttons_stay_on_a_1366x768_screen(tmp_path: Path, dpi: int) -> None:
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366,
                                               "height": 768, "logicalDpi": dpi}]}), encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "UNIONDESK_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "t.sqlite3")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    shown = json.loads(run.stdout.strip().splitlines()[-1])
    x, y, w, h = shown["window"]
    assert x >= 0 and y >= 0 and x + w <= 1366 and y + h <= 768 - TASKBAR, shown
    assert set(shown["buttons"]) == {"打印…", "保存 PDF…", "关闭", "打印校准页…"}, shown
    for text, (bx, by, bw, bh) in shown["buttons"].items():
        assert bx >= 0 and bx + bw <= 1366 and by >= 0 and by + bh <= 768 - TASKBAR, (text, shown)


def test_a_small_window_scrolls_the_content_not_the_buttons(qtbot: Any, app_ctx: App) -> None:
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QPushButton

    from ui.certificates.centre import open_certificate_centre

    dlg = open_certificate_centre(None, app_ctx)
    qtbot.addWidget(dlg)
    dlg.resize(600, 300)
    qtbot.waitUntil(lambda: dlg.height() <= 300 and dlg.width() <= 600)
    buttons = [b for b in dlg.findChildren(QPushButton) if b.text() in ("打印…", "保存 PDF…", "关闭")]
    assert len(buttons) == 3
    for b in buttons:
        top_left = b.mapTo(dlg, QPoint(0, 0))
        assert dlg.rect().contains(top_left) and dlg.rect().contains(top_left + QPoint(b.width(), b.height()))
    bars = (dlg.content.verticalScrollBar(), dlg.content.horizontalScrollBar())
    assert any(bar.maximum() > 0 for bar in bars)  # what does not fit scrolls
    qtbot.waitUntil(lambda: not dlg.preview_busy(), timeout=30_000)
    for job in (dlg.job, dlg.preview.job, dlg._load_job):
        if job is not None:
            job.wait()
