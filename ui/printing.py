"""Printing certificate PDFs at exact size, per-printer offsets, and the calibration dialog.

A PDF page is rasterised with pypdfium2 (at the printer's resolution, capped so an A3 page
stays a reasonable image) and painted over the whole sheet (``QPrinter.setFullPage``): no
margins, no fit-to-page, so a millimetre in the template is a millimetre on the paper.
Offsets for pre-printed stock (套打) are kept per printer in QSettings (an .ini file under
``UNIONDESK_NO_QSETTINGS``) and handed to the renderer, which moves every field by them.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.jobs import Cancelled, Progress, no_progress
from ui.dialogs.common import keep_open, ui_settings

MAX_DPI = 600
MAX_PIXELS = 40_000_000  # one page image at most (about 160 MB as BGRx)
POINT_MM = 25.4 / 72
OFFSET_LIMIT = 30.0  # mm either way


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


def page_count(pdf: Path) -> int:
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return len(doc)
    finally:
        doc.close()


def render_page(doc: Any, index: int, dpi: float) -> QImage:
    """One page as a QImage (RGB32) without Pillow: pypdfium2's BGRx buffer is Qt's RGB32."""
    import pypdfium2.raw as pdfium_c

    page = doc[index]
    try:
        bitmap = page.render(scale=dpi / 72.0, force_bitmap_format=pdfium_c.FPDFBitmap_BGRx)
        image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB32)
        image = image.copy()  # own the pixels before the buffer goes
        image.setDotsPerMeterX(round(dpi / 0.0254))
        image.setDotsPerMeterY(round(dpi / 0.0254))
        return image
    finally:
        page.close()


def rasterise(pdf: Path, dpi: float = 96.0, limit: int | None = None) -> list[QImage]:
    """The first ``limit`` pages as images (the certificate centre's preview)."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        n = len(doc) if limit is None else min(limit, len(doc))
        return [render_page(doc, i, dpi) for i in range(n)]
    finally:
        doc.close()


def page_size_mm(doc: Any, index: int) -> tuple[float, float]:
    width, height = doc[index].get_size()
    return width * POINT_MM, height * POINT_MM


def print_dpi(printer: QPrinter, width_mm: float, height_mm: float) -> float:
    dpi = float(min(max(printer.resolution(), 150), MAX_DPI))
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


def print_pdf(pdf: Path, printer: QPrinter, progress: Progress = no_progress,
              cancelled: Callable[[], bool] = lambda: False, offset: tuple[float, float] = (0.0, 0.0)) -> int:
    """Print every page of ``pdf`` at 100% on ``printer``, moved by ``offset`` (mm, right and down
    positive: the printer's calibration); returns the pages sent.

    Safe on a worker thread (QPainter on a QPrinter may be used off the UI thread).
    """
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    painter = QPainter()
    try:
        total = len(doc)
        if not total:
            return 0
        width_mm, height_mm = page_size_mm(doc, 0)
        _layout_for(printer, width_mm, height_mm)
        if not painter.begin(printer):
            raise OSError(tr("无法开始打印：打印机不可用或已取消。"))
        for i in range(total):
            if cancelled():
                printer.abort()
                raise Cancelled
            if i:
                printer.newPage()
            w_mm, h_mm = page_size_mm(doc, i)
            image = render_page(doc, i, print_dpi(printer, w_mm, h_mm))
            # Device pixels per millimetre: the whole sheet is the paint area (full page).
            res = printer.resolution() / 25.4
            painter.drawImage(QRectF(offset[0] * res, offset[1] * res, w_mm * res, h_mm * res), image)
            progress(i + 1, total, tr("正在打印"))
        return total
    finally:
        if painter.isActive():
            painter.end()
        doc.close()


def choose_printer(parent: QWidget | None, title: str) -> QPrinter | None:
    """The system print dialog; the printer chosen, or None."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintToFile, True)
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
        return print_pdf(path, printer)


# -- the calibration dialog ---------------------------------------------------------------------


def _offset_spin() -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(-OFFSET_LIMIT, OFFSET_LIMIT)
    spin.setDecimals(1)
    spin.setSingleStep(0.5)
    spin.setSuffix(" mm")
    spin.setMaximumWidth(120)
    return spin


class CalibrationDialog(QDialog):
    """打印机校准: print the calibration page, measure, enter the printer's x/y offsets."""

    def __init__(self, parent: QWidget | None, template: Any = None, printer_name: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("打印机校准"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(480)
        self.template = template
        intro = QLabel(tr(
            "套打（在已印好的证书纸上只打文字）前，请为这台打印机校准一次：\n"
            "1. 点“打印校准页”，用普通纸按实际大小（100%）打印；\n"
            "2. 量出标有 50 的粗竖线到纸张左边缘、粗横线到纸张上边缘的距离（毫米）；\n"
            "3. 偏移量 = 50 − 量得的距离（如竖线在 51.5 毫米处，水平偏移填 −1.5），向右、向下为正。\n"
            "保存后，从本程序打印到这台打印机的证书都会按此自动校正。"))
        intro.setWordWrap(True)
        self.printer_combo = QComboBox()
        names = QPrinterInfo.availablePrinterNames()
        default = QPrinterInfo.defaultPrinterName()
        self.printer_combo.addItems(names or [tr("（默认打印机）")])
        if printer_name and printer_name in names:
            self.printer_combo.setCurrentText(printer_name)
        elif default in names:
            self.printer_combo.setCurrentText(default)
        self.x_spin = _offset_spin()
        self.y_spin = _offset_spin()
        form = QFormLayout()
        form.addRow(tr("打印机："), self.printer_combo)
        form.addRow(tr("水平偏移（右为正）："), self.x_spin)
        form.addRow(tr("垂直偏移（下为正）："), self.y_spin)
        self.check_box = QCheckBox(tr("按上面的偏移量打印校准页（检查校正效果）"))
        form.addRow("", self.check_box)
        self.print_button = QPushButton(tr("打印校准页…"))
        self.print_button.clicked.connect(self.print_page)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.printer_combo.currentTextChanged.connect(self._load)
        self._load(self.printer_combo.currentText())

    def printer_name(self) -> str:
        return self.printer_combo.currentText()

    def _load(self, name: str) -> None:
        x, y = printer_offset(name)
        self.x_spin.setValue(x)
        self.y_spin.setValue(y)

    def _template(self) -> Any:
        if self.template is not None:
            return self.template
        from desktop.certificates.issuing import templates

        found = templates()
        return found.get("overlay") or next(iter(found.values()))

    def print_page(self, printer: QPrinter | None = None) -> bool:
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            if self.printer_name() in QPrinterInfo.availablePrinterNames():
                printer.setPrinterName(self.printer_name())
            dialog = QPrintDialog(printer, self)
            dialog.setWindowTitle(tr("打印校准页"))
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
        try:
            offset = (self.x_spin.value(), self.y_spin.value()) if self.check_box.isChecked() else (0.0, 0.0)
            print_calibration(printer, self._template(), offset)
        except Exception as exc:
            QMessageBox.warning(self, tr("未能打印"), tr("打印校准页失败：{0}").format(exc))
            return False
        return True

    def save(self) -> None:
        set_printer_offset(self.printer_name(), self.x_spin.value(), self.y_spin.value())
        self.accept()


def open_calibration(parent: QWidget | None, template: Any = None, printer_name: str | None = None) -> CalibrationDialog:
    dlg = CalibrationDialog(parent, template, printer_name)
    keep_open(dlg).open()
    return dlg
