"""Printing certificate PDFs at exact size and per-printer offsets (the calibration dialog is
``ui.certificates.calibration``).

When the print dialog's target is a file (Qt's PDF output), the certificate PDF itself is
copied there (atomically): vector text, embedded fonts, the size of the PDF. For a real
printer each page is rasterised with pypdfium2 (at the printer's resolution, capped so an A3
page stays a reasonable image) one at a time, the next one while the last is sent, and painted
over the whole sheet (``QPrinter.setFullPage``): no margins, no fit-to-page, so a millimetre in
the template is a millimetre on the paper, and printing starts with the first page.
Offsets for pre-printed stock (套打) are kept per printer in QSettings (an .ini file under
``UNIONDESK_NO_QSETTINGS``), checked with :func:`desktop.certificates.offsets.check_offset`
(a field error, nothing printed or saved) and handed to the renderer, which moves every page.
"""

from __future__ import annotations

import math
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QWidget,
)

from desktop.jobs import Cancelled, Progress, no_progress
from ui.dialogs.common import ui_settings

MAX_DPI = 600
MAX_PIXELS = 40_000_000  # one page image at most (about 160 MB as BGRx)
POINT_MM = 25.4 / 72


def tr(text: str) -> str:
    return QCoreApplication.translate("Printing", text)


# -- per-printer offsets ------------------------------------------------------------------------


def _key(printer_name: str) -> str:
    safe = "".join(ch if ch.isalnum() else "_" for ch in printer_name) or "default"
    return f"printer_offsets/{safe}"


def printer_offset(printer_name: str) -> tuple[float, float]:
    """The (x, y) millimetres saved for this printer, (0, 0) if none."""
    qs = ui_settings()
    try:
        x = float(qs.value(_key(printer_name) + "/x", 0.0) or 0.0)
        y = float(qs.value(_key(printer_name) + "/y", 0.0) or 0.0)
    except (TypeError, ValueError):
        return 0.0, 0.0
    return x, y


def set_printer_offset(printer_name: str, x: float, y: float) -> None:
    qs = ui_settings()
    qs.setValue(_key(printer_name) + "/name", printer_name)
    qs.setValue(_key(printer_name) + "/x", round(float(x), 2))
    qs.setValue(_key(printer_name) + "/y", round(float(y), 2))
    qs.sync()


# -- rasterising --------------------------------------------------------------------------------

#: PDFium is not thread-safe: the preview job and a print job never call it at the same time.
PDFIUM = threading.RLock()


def page_count(pdf: Path) -> int:
    import pypdfium2

    with PDFIUM:
        doc = pypdfium2.PdfDocument(str(pdf))
        try:
            return len(doc)
        finally:
            doc.close()


def render_page(doc: Any, index: int, dpi: float) -> QImage:
    """One page as a QImage (RGB32) without Pillow: pypdfium2's BGRx buffer is Qt's RGB32."""
    import pypdfium2.raw as pdfium_c

    with PDFIUM:
        page = doc[index]
        try:
            bitmap = page.render(scale=dpi / 72.0, force_bitmap_format=pdfium_c.FPDFBitmap_BGRx)
            try:
                # one copy: the QImage is built over PDFium's buffer, then owns its pixels
                view = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB32)
                image = view.copy()
                del view
            finally:
                bitmap.close()
        finally:
            page.close()
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    return image


def rasterise(pdf: Path, dpi: float = 96.0, limit: int | None = None) -> list[QImage]:
    """The first ``limit`` pages as images (the certificate centre's preview)."""
    import pypdfium2

    with PDFIUM:
        doc = pypdfium2.PdfDocument(str(pdf))
        try:
            n = len(doc) if limit is None else min(limit, len(doc))
            return [render_page(doc, i, dpi) for i in range(n)]
        finally:
            doc.close()


def page_size_mm(doc: Any, index: int) -> tuple[float, float]:
    with PDFIUM:
        width, height = doc[index].get_size()
    return width * POINT_MM, height * POINT_MM


def print_dpi(printer: QPrinter, width_mm: float, height_mm: float) -> float:
    return _capped_dpi(printer.resolution(), width_mm, height_mm)


def _capped_dpi(resolution: int, width_mm: float, height_mm: float) -> float:
    dpi = float(min(max(resolution, 150), MAX_DPI))
    area = (width_mm / 25.4) * (height_mm / 25.4)
    return min(dpi, math.sqrt(MAX_PIXELS / area))


def _layout_for(printer: QPrinter, width_mm: float, height_mm: float) -> None:
    """The sheet as the PDF page says, full page, no margins."""
    landscape = width_mm > height_mm
    size = QPageSize(QSizeF(min(width_mm, height_mm), max(width_mm, height_mm)), QPageSize.Unit.Millimeter,
                     "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    printer.setFullPage(True)
    printer.setPageLayout(QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))


Page = tuple[QImage, float, float]  # the page image, its width and height in mm


class _Rasteriser(threading.Thread):
    """Rasterises the pages of a PDF one ahead of the printer: page n+1 is rendered while page n
    is sent, and at most one finished page waits (a 600 dpi A4 page is about 140 MB)."""

    def __init__(self, pdf: Path, resolution: int) -> None:
        super().__init__(name="uniondesk-rasterise", daemon=True)
        import queue

        self.pdf = pdf
        self.resolution = resolution
        self.pages: queue.Queue[Page | BaseException | None] = queue.Queue(maxsize=1)
        self.stop = threading.Event()

    def run(self) -> None:
        import pypdfium2

        try:
            with PDFIUM:
                doc = pypdfium2.PdfDocument(str(self.pdf))
                n = len(doc)
            try:
                for i in range(n):
                    if self.stop.is_set():
                        return
                    w_mm, h_mm = page_size_mm(doc, i)
                    self._put((render_page(doc, i, _capped_dpi(self.resolution, w_mm, h_mm)), w_mm, h_mm))
            finally:
                with PDFIUM:
                    doc.close()
            self._put(None)
        except BaseException as exc:  # handed to the printing thread, raised there
            self._put(exc)

    def _put(self, item: Page | BaseException | None) -> None:
        import queue

        while not self.stop.is_set():
            try:
                self.pages.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def next(self) -> Page | None:
        item = self.pages.get()
        if isinstance(item, BaseException):
            raise item
        return item

    def close(self) -> None:
        self.stop.set()
        self.join()


def print_pdf(pdf: Path, printer: QPrinter, progress: Progress = no_progress,
              cancelled: Callable[[], bool] = lambda: False, offset: tuple[float, float] = (0.0, 0.0)) -> int:
    """Print every page of ``pdf`` at 100% on ``printer``, moved by ``offset`` (mm, right and down
    positive: the printer's calibration); returns the pages sent. Each page is rasterised at the
    printer's resolution just before it is sent (the next one meanwhile), never all up front.

    Safe on a worker thread (QPainter on a QPrinter may be used off the UI thread).
    """
    import pypdfium2

    with PDFIUM:
        doc = pypdfium2.PdfDocument(str(pdf))
        try:
            total = len(doc)
            first = page_size_mm(doc, 0) if total else (0.0, 0.0)
        finally:
            doc.close()
    if not total:
        return 0
    _layout_for(printer, *first)
    res = printer.resolution() / 25.4  # device pixels per millimetre: the whole sheet is the paint area
    pages = _Rasteriser(pdf, printer.resolution())
    pages.start()
    painter = QPainter()
    try:
        if not painter.begin(printer):
            raise OSError(tr("无法开始打印：打印机不可用或已取消。"))
        for i in range(total):
            if cancelled():
                printer.abort()
                raise Cancelled
            page = pages.next()
            if page is None:
                break
            image, w_mm, h_mm = page
            if i:
                printer.newPage()
            painter.drawImage(QRectF(offset[0] * res, offset[1] * res, w_mm * res, h_mm * res), image)
            del image, page
            progress(i + 1, total, tr("正在打印"))
        return total
    finally:
        if painter.isActive():
            painter.end()
        pages.close()


# -- a file as the target: the PDF itself ----------------------------------------------------------


def file_target(printer: QPrinter) -> Path | None:
    """The file the print dialog writes to (Qt's PDF output, 打印到文件), or None for a printer."""
    name = printer.outputFileName()
    if name and printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        return Path(name)
    return None


def copy_pdf(pdf: Path, target: Path) -> Path:
    """Put ``pdf`` at ``target`` atomically (a temporary file in its folder, then renamed):
    the vector PDF with its fonts, not page images."""
    from reports import atomic_output

    with atomic_output(target) as tmp:
        shutil.copyfile(pdf, tmp)
    return target


def deliver_to(printer: QPrinter, progress: Progress = no_progress,
               cancelled: Callable[[], bool] = lambda: False) -> Callable[[Path], None]:
    """What ``issue_and_render`` hands the rendered PDF to: copied when the dialog's target is a
    file, else printed page by page. The serials commit only after it returns."""
    target = file_target(printer)

    def deliver(pdf: Path) -> None:
        if cancelled():
            raise Cancelled
        if target is not None:
            copy_pdf(pdf, target)
            n = page_count(pdf)
            progress(n, n, tr("已保存到文件"))
        else:
            print_pdf(pdf, printer, progress, cancelled)

    return deliver


def choose_printer(parent: QWidget | None, title: str) -> QPrinter | None:
    """The system print dialog; the printer chosen, or None."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintToFile, True)
    # who is printed is chosen in the centre (ticks): a page range would issue serials never printed
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, False)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


def print_calibration(printer: QPrinter, template: Any, offset: tuple[float, float] = (0.0, 0.0)) -> int:
    """The ruler-grid page of ``template`` for the clerk to measure; with an ``offset`` (the
    one entered) it checks the correction, the lines then landing where they are labelled."""
    from reports.certificates.render import render_calibration

    with tempfile.TemporaryDirectory(prefix="uniondesk-calibration-") as folder:
        path = Path(folder) / "calibration.pdf"
        render_calibration(path, template, offset=offset)
        deliver_to(printer)(path)
        return page_count(path)
