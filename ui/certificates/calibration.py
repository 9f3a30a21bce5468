"""打印机校准: print the calibration page, measure, type the printer's offsets (checked with
:func:`desktop.certificates.offsets.check_offset`: a wrong one is a field error, nothing is
printed or saved). The offsets are kept per printer (:func:`ui.printing.set_printer_offset`).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.errors import ValidationError
from desktop.certificates.offsets import AXIS_LABELS, check_offset
from ui.dialogs.common import keep_open
from ui.printing import print_calibration, printer_offset, set_printer_offset


def tr(text: str) -> str:
    return QCoreApplication.translate("Printing", text)


class OffsetField(QWidget):
    """A printer offset in millimetres, typed; checked with :func:`check_offset` (finite, within
    ±50 mm): a wrong value is outlined red with the Chinese reason beside it."""

    def __init__(self, axis: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.axis = axis
        self.edit = QLineEdit()
        self.edit.setObjectName(f"offset_{axis}")
        self.edit.setMaximumWidth(90)
        self.edit.setPlaceholderText("0")
        self.edit.setAccessibleName(tr(AXIS_LABELS.get(axis, axis)))
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setStyleSheet("color: #b71c1c;")
        self.error.setWordWrap(True)
        self.error.hide()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit)
        row.addWidget(QLabel(tr("毫米")))
        row.addWidget(self.error, 1)
        self.edit.textEdited.connect(lambda _t: self._clear())

    def setValue(self, value: float) -> None:
        self.edit.setText(f"{value:g}")
        self._clear()

    def text(self) -> str:
        return self.edit.text()

    def value(self) -> float | None:
        """The millimetres typed (empty is 0), or None after showing why not."""
        typed = unicodedata.normalize("NFKC", self.edit.text()).replace("\u2212", "-").strip()
        try:
            value = check_offset(typed or "0", self.axis)
        except ValidationError as exc:
            self.error.setText(tr(exc.message))
            self.error.show()
            self.edit.setStyleSheet("border: 1px solid #b71c1c;")
            return None
        self._clear()
        return value

    def _clear(self) -> None:
        self.error.hide()
        self.error.clear()
        self.edit.setStyleSheet("")


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
            "3. 新偏移量 = 打印校准页时的偏移量 + 50 − 量得的距离（未勾选“按上面的偏移量打印校准页”时为 0；"
            "如竖线在 51.5 毫米处，水平偏移填 −1.5），向右、向下为正，不超过 ±50 毫米。\n"
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
        self.x_field = OffsetField("x")
        self.y_field = OffsetField("y")
        form = QFormLayout()
        form.addRow(tr("打印机："), self.printer_combo)
        form.addRow(tr("水平偏移（右为正）："), self.x_field)
        form.addRow(tr("垂直偏移（下为正）："), self.y_field)
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
        self.x_field.setValue(x)
        self.y_field.setValue(y)

    def offsets(self) -> tuple[float, float] | None:
        """Both offsets, or None when either is wrong (each field then says why)."""
        x, y = self.x_field.value(), self.y_field.value()
        return None if x is None or y is None else (x, y)

    def _template(self) -> Any:
        if self.template is not None:
            return self.template
        from desktop.certificates.issuing import templates

        found = templates()
        return found.get("overlay") or next(iter(found.values()))

    def print_page(self, printer: QPrinter | None = None) -> bool:
        offset = self.offsets() if self.check_box.isChecked() else (0.0, 0.0)
        if offset is None:
            return False  # the field says why; nothing printed
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            if self.printer_name() in QPrinterInfo.availablePrinterNames():
                printer.setPrinterName(self.printer_name())
            dialog = QPrintDialog(printer, self)
            dialog.setWindowTitle(tr("打印校准页"))
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
        try:
            print_calibration(printer, self._template(), offset)
        except Exception as exc:
            QMessageBox.warning(self, tr("未能打印"), tr("打印校准页失败：{0}").format(exc))
            return False
        return True

    def save(self) -> bool:
        offsets = self.offsets()
        if offsets is None:
            return False  # the field says why; nothing saved
        set_printer_offset(self.printer_name(), *offsets)
        self.accept()
        return True


def open_calibration(parent: QWidget | None, template: Any = None, printer_name: str | None = None) -> CalibrationDialog:
    dlg = CalibrationDialog(parent, template, printer_name)
    keep_open(dlg).open()
    return dlg
