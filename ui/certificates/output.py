"""The certificate centre's output: 保存 PDF…, 打印… (serials and PDF in one job, with progress
and cancel: the serials are given only then, and only for the records chosen) and 打印校准页….

A printer's saved offsets are checked before anything is printed; they move every page in the
PDF itself, so a file target (Qt's PDF output) receives that PDF copied (:mod:`ui.printing`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from db.errors import ValidationError
from desktop.certificates import issuing as certs
from desktop.certificates.offsets import check_offsets
from desktop.certificates.signing import LOCKED_NOTICE
from desktop.changes import Done
from desktop.jobs import Progress
from ui.dialogs.common import choose_save_file, offer_open
from ui.kit.changes import announce
from ui.kit.jobs import Job, report_failure

if TYPE_CHECKING:
    from desktop.certificates import sources as cs
    from desktop.context import App


def tr(text: str) -> str:
    return QCoreApplication.translate("CertificateCentre", text)


class CentreOutput:
    """Mixed into :class:`ui.certificates.centre.CertificateCentre` (a QDialog)."""

    app: App
    template: Any
    selection: cs.Selection | None
    job: Job | None
    last_issued: certs.Issued | None
    status: QLabel
    print_button: QPushButton
    save_button: QPushButton

    def records(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _update_buttons(self) -> None:
        raise NotImplementedError

    def _widget(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self

    def _issue(self, title: str, out: Path | None, printer: QPrinter | None,
               done: Callable[[certs.Issued], None]) -> Job | None:
        """Serials and PDF in one job (``issue_and_render``); printed when a printer is given."""
        records = self.records()
        if not records or self.template is None:
            return None
        app, template = self.app, self.template
        from ui.printing import deliver_to, printer_offset

        offset = (0.0, 0.0)
        if printer is not None:
            try:  # the saved calibration, checked as typed ones are: a bad one prints nothing
                offset = check_offsets(*printer_offset(printer.printerName()))
            except ValidationError as exc:
                self.status.setStyleSheet("color: #b71c1c;")
                self.status.setText(tr("未打印：这台打印机保存的{0}（请在“打印校准页…”中改正）").format(exc.message))
                return None

        def work(progress: Progress, cancelled: Callable[[], bool]) -> Done[certs.Issued]:
            # The offset moves every page in the PDF itself; a file target then gets that PDF copied.
            deliver = deliver_to(printer, progress, cancelled) if printer is not None else None
            return certs.issue(app, template, records, out, offset=offset, progress=progress, cancelled=cancelled,
                               deliver=deliver)

        def finished(result: Done[certs.Issued]) -> None:
            announce(result.changes)
            issued = result.value
            self.last_issued = issued
            self.status.setStyleSheet("")
            text = tr("已{0} {1} 张证书（新发 {2} 张，按原编号补打 {3} 张）").format(
                tr("送打印机") if printer is not None else tr("生成"), issued.pages, issued.new, issued.reprinted)
            if issued.unsigned:  # the key ring is locked: no QR or code was printed
                text += "\n" + LOCKED_NOTICE
            self.status.setText(text)
            done(issued)

        self.save_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self.job = Job(self._widget(), work, finished).with_progress(title)
        self.job.finished.connect(self._update_buttons)
        return self.job.run()

    def save_pdf(self, path: Path | None = None) -> Job | None:
        """Give serials and write the whole selection as one PDF."""
        if path is None:
            name = f"{self.selection.title if self.selection else '证书'}-{date.today():%Y-%m-%d}.pdf"
            path = choose_save_file(self._widget(), tr("保存证书 PDF"), name, tr("PDF 文件 (*.pdf)"), ".pdf", "certificates")
            if path is None:
                return None
        target = Path(path)
        return self._issue(tr("正在生成证书…"), target, None, lambda issued: offer_open(
            self._widget(), tr("证书已生成"), tr("已生成 {0} 张证书：\n{1}").format(issued.pages, target), target))

    def print_certificates(self, printer: QPrinter | None = None) -> Job | None:
        """Print through the system print dialog, at 100%, with this printer's saved offsets."""
        from ui.printing import choose_printer

        if printer is None:
            printer = choose_printer(self._widget(), tr("打印证书"))
            if printer is None:
                return None
        return self._issue(tr("正在打印证书…"), None, printer, lambda _issued: None)

    def calibrate(self) -> None:
        from ui.certificates.calibration import open_calibration

        try:
            open_calibration(self._widget(), self.template)
        except Exception as exc:  # pragma: no cover - shown, not fatal
            report_failure(self._widget(), exc)
