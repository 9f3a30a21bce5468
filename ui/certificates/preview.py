"""The certificate centre's live preview: any page of the chosen records, rendered on demand.

``schedule(make)`` asks for a new preview (debounced); ``make()`` is called on the UI thread
and returns what to render (app, template, records) or None. The pane pages through all the
records (◀ ▶, 第 [x] 页 / 共 n 页, the page box jumps): the page shown and the next few are
rendered together off the UI thread (placeholder serials, a temporary PDF rasterised with
pypdfium2, no Pillow) and kept in a small cache; a page not yet rendered is rendered when asked
for. A preview never assigns serials.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QKeyEvent, QPainter, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QSpinBox, QToolButton, QVBoxLayout, QWidget

from desktop.certificates import issuing as certs
from desktop.jobs import Progress
from ui.kit.jobs import Job

CHUNK = 3  # pages rendered per request: the one asked for and the next ones
CACHED = 12  # pages kept as images (about 5 MB each); the farthest from the one shown go first
PREVIEW_DPI = 110
DEBOUNCE_MS = 250
Request = tuple[Any, Any, list[dict[str, Any]]]  # app, template, records


def tr(text: str) -> str:
    return QCoreApplication.translate("CertificatePreview", text)


class PageSpin(QSpinBox):
    """The page box: Enter jumps to the page typed and goes no further (not to 保存 PDF…, the
    dialog's default button)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


class PreviewPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages: dict[int, QImage] = {}
        self.total = 0
        self.page = 0
        self.job: Job | None = None
        self._request: Request | None = None
        self._generation = 0
        self._again = False
        self._make: Callable[[], Request | None] | None = None
        #: A box to outline on the page (the field being edited), as fractions of the page.
        self.highlight: tuple[float, float, float, float] | None = None

        nav = QHBoxLayout()
        self.prev_button = QToolButton()
        self.prev_button.setText("◀")
        self.prev_button.setToolTip(tr("上一页"))
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.next_button.setToolTip(tr("下一页"))
        self.page_spin = PageSpin()
        self.page_spin.setObjectName("previewPage")
        self.page_spin.setPrefix(tr("第 "))
        self.page_spin.setSuffix(tr(" 页"))
        self.page_spin.setToolTip(tr("输入页码后按回车跳到该页"))
        self.page_spin.setKeyboardTracking(False)  # typing 12 does not visit page 1 first
        self.page_label = QLabel()
        self.prev_button.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.page + 1))
        self.page_spin.valueChanged.connect(lambda v: self.show_page(v - 1))
        heading = QLabel(tr("预览（证书编号在打印或保存时才分配）"))
        heading.setObjectName("pageSubheading")
        nav.addWidget(heading, 1)
        for w in (self.prev_button, self.page_spin, self.page_label, self.next_button):
            nav.addWidget(w)

        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.area.setStyleSheet("QScrollArea { background: #e9ebef; border: 1px solid #d5d9e0; }")
        self.label = QLabel(tr("正在生成预览…"))
        self.label.setObjectName("certificatePreview")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setStyleSheet("background: #e9ebef; color: #666;")
        self.area.setWidget(self.label)

        column = QVBoxLayout(self)
        column.setContentsMargins(6, 0, 6, 0)
        column.addLayout(nav)
        column.addWidget(self.area, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        self._update_nav()

    # -- what to preview

    def schedule(self, make: Callable[[], Request | None]) -> None:
        self._make = make
        self._timer.start()

    def busy(self) -> bool:
        return self._timer.isActive() or (self.job is not None and self.job.running)

    def ready(self) -> bool:
        """The page shown is rendered and nothing is pending (tests)."""
        return not self.busy() and self.page in self.pages

    def current_image(self) -> QImage | None:
        return self.pages.get(self.page)

    def refresh(self) -> None:
        """Take a new request (the records, the template): the cached pages are dropped."""
        if self.job is not None and self.job.running:
            self._again = True
            self.job.cancel()  # what it renders is out of date
            return
        request = self._make() if self._make is not None else None
        if request is None:
            return
        self._request = request
        self._generation += 1
        self.pages.clear()
        self.total = len(request[2])
        self.page = max(0, min(self.page, self.total - 1))
        self.show_page(self.page)

    # -- rendering on demand

    def _render(self, first: int) -> None:
        """Render the page ``first`` and the next ones not yet cached, off the UI thread."""
        if self._request is None or (self.job is not None and self.job.running):
            return
        app, template, records = self._request
        wanted = [i for i in range(first, min(first + CHUNK, self.total)) if i not in self.pages]
        if not wanted:
            return
        start, stop = wanted[0], wanted[-1] + 1
        chunk = records[start:stop]
        generation = self._generation

        def work(_progress: Progress, cancelled: Callable[[], bool]) -> list[QImage]:
            from ui.printing import rasterise

            with tempfile.TemporaryDirectory(prefix="uniondesk-preview-") as folder:
                pdf = Path(folder) / "preview.pdf"
                certs.render_preview(app, template, chunk, pdf, limit=len(chunk), cancelled=cancelled)
                return rasterise(pdf, PREVIEW_DPI, len(chunk))

        def done(images: list[QImage]) -> None:
            if len(images) != len(chunk):  # never expected: say so rather than ask again and again
                failed(RuntimeError(tr("预览页数不符")))
                return
            if generation == self._generation:
                for k, image in enumerate(images):
                    self.pages[start + k] = image
                self._evict()
            self._after()

        def failed(exc: BaseException) -> None:
            self.label.setPixmap(QPixmap())
            self.label.setText(tr("无法生成预览：{0}").format(getattr(exc, "message", None) or exc))
            self._after(show=False)

        self.job = Job(self, work, done).failure(failed).on_cancel(self._after, quiet=True)
        self.job.run()

    def _after(self, show: bool = True) -> None:
        if self._again:
            self._again = False
            self._timer.start()
        elif show:
            self.show_page(self.page)

    def _evict(self) -> None:
        while len(self.pages) > CACHED:
            far = max(self.pages, key=lambda i: abs(i - self.page))
            del self.pages[far]

    # -- showing

    def _update_nav(self) -> None:
        n = self.total
        self.page_spin.blockSignals(True)
        self.page_spin.setRange(1 if n else 0, max(n, 1) if n else 0)
        self.page_spin.setValue(self.page + 1 if n else 0)
        self.page_spin.blockSignals(False)
        self.page_spin.setEnabled(n > 1)
        self.page_label.setText(tr("/ 共 {0} 页").format(n) if n else "")
        self.prev_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page < n - 1)

    def show_page(self, index: int) -> None:
        """Show page ``index`` (from 0), rendering it first when it is not cached."""
        self.page = max(0, min(index, self.total - 1)) if self.total else 0
        self._update_nav()
        image = self.pages.get(self.page)
        if image is None:
            if self.total:
                self.label.setPixmap(QPixmap())
                self.label.setText(tr("正在生成第 {0} 页…").format(self.page + 1))
                self._render(self.page)
            return
        pixmap = QPixmap.fromImage(image)
        room = self.area.viewport().size()
        if room.width() > 40 and room.height() > 40:
            pixmap = pixmap.scaled(room.width() - 24, room.height() - 24, Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
        if self.highlight is not None:
            x, y, w, h = self.highlight
            painter = QPainter(pixmap)
            pen = QPen(QColor("#1e88e5"))
            pen.setWidthF(1.5)
            pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawRect(QRectF(x * pixmap.width(), y * pixmap.height(), w * pixmap.width(),
                                    h * pixmap.height()).adjusted(0.5, 0.5, -0.5, -0.5))
            painter.end()
        self.label.setPixmap(pixmap)

    def set_highlight(self, box: tuple[float, float, float, float] | None) -> None:
        self.highlight = box
        self.show_page(self.page)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.pages:
            self.show_page(self.page)
