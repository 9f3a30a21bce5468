"""The certificate centre's live preview: the first pages, rendered off the UI thread.

``schedule(make)`` asks for a new preview (debounced); ``make()`` is called on the UI thread
and returns what to render (app, template, records) or None. The PDF is rendered with
placeholder serials to a temporary file on the job thread and rasterised with pypdfium2
into QImages (no Pillow); a request made while one renders runs once that one is done.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QToolButton, QVBoxLayout, QWidget

from desktop.certificates import issuing as certs
from desktop.jobs import Progress
from ui.kit.jobs import Job

PREVIEW_PAGES = 3
PREVIEW_DPI = 110
DEBOUNCE_MS = 250
Request = tuple[Any, Any, list[dict[str, Any]]]  # app, template, records


def tr(text: str) -> str:
    return QCoreApplication.translate("CertificatePreview", text)


class PreviewPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.images: list[QImage] = []
        self.page = 0
        self.job: Job | None = None
        self._again = False
        self._make: Callable[[], Request | None] | None = None
        #: A box to outline on the page (the field being edited), as fractions of the page.
        self.highlight: tuple[float, float, float, float] | None = None

        nav = QHBoxLayout()
        self.prev_button = QToolButton()
        self.prev_button.setText("◀")
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.page_label = QLabel()
        self.page_label.setMinimumWidth(self.page_label.fontMetrics().horizontalAdvance("第 99/99 页") + 8)
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prev_button.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.page + 1))
        heading = QLabel(tr("预览（前几页；证书编号在打印或保存时才分配）"))
        heading.setObjectName("pageSubheading")
        nav.addWidget(heading, 1)
        nav.addWidget(self.prev_button)
        nav.addWidget(self.page_label)
        nav.addWidget(self.next_button)

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
        self.show_page(0)

    def schedule(self, make: Callable[[], Request | None]) -> None:
        self._make = make
        self._timer.start()

    def busy(self) -> bool:
        return self._timer.isActive() or (self.job is not None and self.job.running)

    def refresh(self) -> None:
        if self.job is not None and self.job.running:
            self._again = True
            return
        request = self._make() if self._make is not None else None
        if request is None:
            return
        app, template, records = request

        def work(_progress: Progress, cancelled: Callable[[], bool]) -> list[QImage]:
            from ui.printing import rasterise

            with tempfile.TemporaryDirectory(prefix="uniondesk-preview-") as folder:
                pdf = Path(folder) / "preview.pdf"
                certs.render_preview(app, template, records, pdf, limit=PREVIEW_PAGES, cancelled=cancelled)
                return rasterise(pdf, PREVIEW_DPI, PREVIEW_PAGES)

        def done(images: list[QImage]) -> None:
            self.images = images
            self.show_page(min(self.page, max(len(images) - 1, 0)))
            self._after()

        def failed(exc: BaseException) -> None:
            self.images = []
            self.show_page(0)
            self.label.setPixmap(QPixmap())
            self.label.setText(tr("无法生成预览：{0}").format(getattr(exc, "message", None) or exc))
            self._after()

        self.job = Job(self, work, done).failure(failed).on_cancel(self._after, quiet=True)
        self.job.run()

    def _after(self) -> None:
        if self._again:
            self._again = False
            self._timer.start()

    def show_page(self, index: int) -> None:
        if not self.images:
            self.page_label.setText("")
            self.prev_button.setEnabled(False)
            self.next_button.setEnabled(False)
            return
        self.page = max(0, min(index, len(self.images) - 1))
        pixmap = QPixmap.fromImage(self.images[self.page])
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
        self.page_label.setText(tr("第 {0}/{1} 页").format(self.page + 1, len(self.images)))
        self.prev_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page < len(self.images) - 1)

    def set_highlight(self, box: tuple[float, float, float, float] | None) -> None:
        self.highlight = box
        self.show_page(self.page)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.images:
            self.show_page(self.page)
