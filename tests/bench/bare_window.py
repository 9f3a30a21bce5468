"""The startup baseline: a bare PySide6 window with the same number of empty tabs on the left,
started the same way as the app (a fresh interpreter), printing the same probe lines."""

from __future__ import annotations

import resource
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget, QWidget


class Probe(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.done = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            print(f"PROBE painted {time.time():.6f}", flush=True)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"PROBE rss {rss:.1f}", flush=True)
            QTimer.singleShot(0, QApplication.quit)
        return False


def main() -> int:
    tabs_count = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    app = QApplication(sys.argv)
    win = QMainWindow()
    tabs = QTabWidget()
    tabs.setTabPosition(QTabWidget.TabPosition.West)
    for i in range(tabs_count):
        tabs.addTab(QWidget(), f"页签{i}")
    win.setCentralWidget(tabs)
    win.resize(1280, 800)
    probe = Probe()
    win.installEventFilter(probe)
    win.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
