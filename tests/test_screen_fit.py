"""Every window and dialog fits a 1366×768 laptop screen, at 100 % and at 125 % (issue 11, item 7).

Qt's offscreen platform takes its screens from a JSON file (``QT_QPA_PLATFORM=offscreen:
configfile=…``); the screen cannot change once a QApplication exists, so each scale runs in a
subprocess of its own: this file run as a script. It opens the main window on a small demo
database, every tab, the app-wide dialogs (settings, import with its preview, export, backup,
restore, reports, the certificate centre with its template editor, the certificate register and
verification, printer calibration, the first-run wizard) and the dialogs the tabs' toolbars open,
and lists every visible button outside 1366×728 physical pixels (40 px left for the taskbar) and
every wrapped label shorter than its text needs. A button in scrolled-away content is not
"outside": it is reachable by scrolling.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCREEN_W, SCREEN_H, TASKBAR = 1366, 768, 40
#: What the probe must have opened (class names), so that a quiet run is not an empty one.
EXPECTED = {"MainWindow", "SettingsDialog", "ImportDialog", "ExportDialog", "RestoreDialog", "ReportDialog",
            "CertificateCentre", "RegisterDialog", "VerifyDialog", "CalibrationDialog", "FirstRunWizard"}


def screen_config(path: Path, dpi: int) -> Path:
    path.write_text(json.dumps({"screens": [{
        "name": "laptop", "x": 0, "y": 0, "width": SCREEN_W, "height": SCREEN_H,
        "logicalDpi": dpi, "logicalBaseDpi": 96, "dpr": 1,
    }]}), encoding="utf-8")
    return path


@pytest.mark.parametrize("dpi", [96, 120], ids=["100%", "125%"])
def test_every_window_fits_a_1366x768_screen(tmp_path: Path, dpi: int) -> None:
    config = screen_config(tmp_path / "screen.json", dpi)
    out = tmp_path / "result.json"
    env = dict(os.environ)
    env.update({"QT_QPA_PLATFORM": f"offscreen:configfile={config}", "UNIONDESK_HOME": str(tmp_path / "home"),
                "UNIONDESK_NO_QSETTINGS": "1", "UNIONDESK_NO_WIZARD": "1", "PYTHONPATH": str(ROOT)})
    env.pop("UNIONDESK_DATABASE_URL", None)
    run = subprocess.run([sys.executable, __file__, str(out)], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=600, check=False)
    assert run.returncode == 0 and out.is_file(), run.stderr[-4000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["dpr"] == pytest.approx(dpi / 96)
    assert set(result["opened"]) >= EXPECTED, sorted(EXPECTED - set(result["opened"]))
    assert len(result["opened"]) > len(EXPECTED) + 3  # and the tabs' own dialogs
    assert result["outside"] == [], "\n".join(result["outside"])
    assert result["clipped"] == [], "\n".join(result["clipped"])  # wrapped notes show every line


# --------------------------------------------------------------------------- the probe (subprocess)


class Probe:
    def __init__(self) -> None:
        from PySide6.QtGui import QGuiApplication

        screen = QGuiApplication.primaryScreen()
        self.dpr = screen.devicePixelRatio()
        self.opened: list[str] = []
        self.outside: list[str] = []
        self.clipped: list[str] = []

    def check(self, window: Any, context: str) -> None:
        """Every visible button of ``window`` (and the window itself) inside 1366×728 physical px."""
        from PySide6.QtCore import QPoint, QRect
        from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QMainWindow

        QApplication.processEvents()
        name = type(window).__name__
        self.opened.append(name)
        shots = os.environ.get("UNIONDESK_TEST_SHOTS")
        if shots:  # to look at
            window.grab().save(str(Path(shots) / f"fit_{round(self.dpr * 100)}_{len(self.opened):02d}_{name}.png"))
        limit = QRect(0, 0, SCREEN_W, SCREEN_H - TASKBAR)

        def physical(rect: QRect) -> QRect:
            return QRect(round(rect.x() * self.dpr), round(rect.y() * self.dpr),
                         round(rect.width() * self.dpr), round(rect.height() * self.dpr))

        shown = QRect(window.mapToGlobal(QPoint(0, 0)), window.size())
        if not limit.contains(physical(shown)):
            self.outside.append(f"{context} {name}: the window {physical(shown).getRect()} is off the screen")
        for label in window.findChildren(QLabel):  # a wrapped note shows every line
            if (label.isVisibleTo(window) and label.wordWrap() and label.text() and not label.visibleRegion().isEmpty()
                    and label.height() < label.heightForWidth(label.width())):
                self.clipped.append(f"{context} {name}: “{label.text()[:30]}” {label.height()} < "
                                    f"{label.heightForWidth(label.width())}")
        parts = list(window.findChildren(QAbstractButton))
        if isinstance(window, QMainWindow) and window.statusBar().isVisible():
            parts.append(window.statusBar())
        for part in parts:
            if not part.isVisible() or not part.isVisibleTo(window):
                continue
            region = part.visibleRegion()
            if region.isEmpty():  # scrolled out of its viewport: reachable by scrolling
                continue
            box = region.boundingRect()
            where = physical(QRect(part.mapToGlobal(box.topLeft()), box.size()))
            if not limit.contains(where):
                text = getattr(part, "text", lambda: "")() or part.objectName() or type(part).__name__
                self.outside.append(f"{context} {name}: “{text}” at {where.getRect()}")


def _wait_jobs(timeout: float = 30.0) -> None:
    from PySide6.QtCore import QCoreApplication

    from ui.kit.jobs import Job

    deadline = time.monotonic() + timeout
    while Job._running and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    QCoreApplication.processEvents()


def run_probe(out: Path) -> None:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QApplication,
        QCheckBox,
        QDialog,
        QFileDialog,
        QMessageBox,
        QRadioButton,
        QTreeWidget,
    )

    from tests.support import closed_demo_database, write_workbook
    from ui.app import Starter, qt_application
    from ui.kit import screen
    from ui.main_window import MainWindow

    home = Path(os.environ["UNIONDESK_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    db = closed_demo_database(home / "demo.sqlite3", 60)
    qapp = qt_application()
    screen.install(qapp)  # as run_gui does
    probe = Probe()
    context = ["start"]

    # Modal loops would stop the probe: each modal dialog is checked, then closed unanswered.
    def exec_checked(dialog: QDialog) -> int:
        dialog.show()
        probe.check(dialog, context[0])
        dialog.hide()
        return 0

    for cls in (QDialog, QMessageBox, QFileDialog):
        cls.exec = exec_checked  # type: ignore[method-assign]
    for kind in ("information", "warning", "critical"):
        setattr(QMessageBox, kind, staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Ok))
    QMessageBox.question = staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.No)  # type: ignore[assignment]
    QFileDialog.getOpenFileName = staticmethod(lambda *_a, **_k: ("", ""))  # type: ignore[assignment]
    QFileDialog.getSaveFileName = staticmethod(lambda *_a, **_k: ("", ""))  # type: ignore[assignment]
    QFileDialog.getExistingDirectory = staticmethod(lambda *_a, **_k: "")  # type: ignore[assignment]

    window = MainWindow()
    starter = Starter(window, interactive=False, daily_backup=False)
    window.show()
    app = starter.start(str(db))
    assert app is not None
    seen: set[int] = {id(window)}
    kept: list[Any] = [window]  # held, so that no id in ``seen`` is reused by a later window

    def new_windows(where: str) -> None:
        """Check and close every window that appeared since the last look."""
        _wait_jobs()
        for w in QApplication.topLevelWidgets():
            if w.isVisible() and id(w) not in seen and w.isWindow() and type(w).__name__ != "QMenu":
                seen.add(id(w))
                kept.append(w)
                probe.check(w, where)
                if isinstance(w, QDialog):
                    w.done(0)
                else:
                    w.close()
        _wait_jobs()

    # The main window and each tab, with the dialogs its toolbar opens.
    skip = ("删除", "计算", "推荐", "解除", "结束", "显示", "导入", "导出")
    for entry in window.entries:
        context[0] = f"tab {entry.key}"
        tab = window.show_tab(entry.key) or window.ensure_tab(entry.key)
        deadline = time.monotonic() + 60
        while tab is not None and not tab.is_loaded and time.monotonic() < deadline:
            qapp.processEvents()
            time.sleep(0.01)
        probe.check(window, context[0])
        if tab is None:
            continue
        for view in tab.findChildren(QAbstractItemView):
            if isinstance(view, QTreeWidget) and view.topLevelItemCount():
                view.setCurrentItem(view.topLevelItem(0))
            elif view.isVisible() and view.model() is not None and view.model().rowCount() > 0:
                view.setCurrentIndex(view.model().index(0, 0))
        qapp.processEvents()
        buttons = [b for b in tab.findChildren(QAbstractButton) if b.isVisible() and b.isEnabled()
                   and b.text() and not isinstance(b, QCheckBox | QRadioButton) and not b.isCheckable()
                   and not any(word in b.text() for word in skip)]
        for button in buttons:
            context[0] = f"tab {entry.key} → {button.text()}"
            button.click()
            new_windows(context[0])

    # The app-wide dialogs, from the menus.
    window.show_tab("workers")
    sheet = write_workbook(home / "花名册.xlsx", [["姓名", "身份证号", "工作单位"], ["张三", "330226199001010011", "某厂"]])
    actions = [
        ("设置", window.open_settings),
        ("导出", window.export_current),
        ("立即备份", window.backup_now),
        ("从备份恢复", window.restore_backup),
        ("证书中心", window.open_certificate_centre),
        ("发证登记簿", window.open_certificate_register),
        ("证书查验", window.open_certificate_verify),
        ("打印机校准", window.open_printer_calibration),
    ]
    from desktop import registry
    from ui.dialogs.reports import open_report

    actions += [(f"报表 {spec.title}", lambda s=spec: open_report(window, app, s)) for spec in registry.reports()]
    for what, act in actions:
        context[0] = what
        act()
        if what == "证书中心":  # its template editor too, then the whole centre again
            _wait_jobs()
            centre = next(w for w in QApplication.topLevelWidgets()
                          if type(w).__name__ == "CertificateCentre" and w.isVisible())
            centre.edit_button.setChecked(True)
            probe.check(centre, "证书中心 → 调整版式")
        new_windows(what)

    from ui.dialogs.first_run import FirstRunWizard
    from ui.dialogs.importing import ImportDialog

    context[0] = "导入"
    dlg = ImportDialog(window, app, "workers")
    dlg.show()
    dlg.load_file(sheet).wait()
    probe.check(dlg, "导入 ① 文件和列")
    job = dlg.run_preview()
    if job is not None:
        job.wait()
    probe.check(dlg, "导入 ② 预览")
    dlg.done(0)

    context[0] = "首次使用"
    wizard = FirstRunWizard(window, app)
    wizard.show()
    probe.check(wizard, "首次使用")
    wizard.done(0)

    out.write_text(json.dumps({"dpr": probe.dpr, "opened": probe.opened, "outside": probe.outside,
                               "clipped": probe.clipped},
                              ensure_ascii=False, indent=1), encoding="utf-8")
    window.hide()
    starter.close()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    tempfile.tempdir = None
    run_probe(Path(sys.argv[1]))
    os._exit(0)  # the job thread and the Qt objects need no orderly teardown here
