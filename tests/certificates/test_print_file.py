"""Printing from the certificate centre (ui/printing.py, issue 12 item 6): a file target gets the
certificate PDF itself (vector text, same pages), a printer gets pages rasterised one at a time;
offsets are checked (a field error, nothing printed or saved)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pymupdf
import pytest
from PySide6.QtPrintSupport import QPrinter

from desktop.context import App
from desktop.jobs import Cancelled
from tests.certificates.test_centre_gui import (  # noqa: F401  (fixtures)
    boxes,
    centre,
    first_ink,
    load,
    serials,
    sheet,
)
from tests.support import write_workbook
from ui.certificates.centre import CertificateCentre

pytestmark = [pytest.mark.usefixtures("look"), pytest.mark.filterwarnings("ignore::DeprecationWarning")]
NAMES = ["张三", "李四", "欧阳小燕", "阿卜杜·热合曼", "王五", "赵六", "钱七"]


@pytest.fixture
def winners(tmp_path: Path) -> Path:
    rows: list[list[Any]] = [["姓名", "工作单位", "奖项", "项目"]]
    rows += [[n, "宁海县跃龙模具有限公司", "一等奖", "2026年跃龙街道职工技能竞赛焊工项目"] for n in NAMES]
    return write_workbook(tmp_path / "名单.xlsx", rows)


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def read(path: Path) -> tuple[int, list[str], int]:
    """(pages, each page's text without spaces, images drawn)."""
    with pymupdf.open(path) as doc:
        return (doc.page_count, ["".join(p.get_text().split()) for p in doc],
                sum(len(p.get_images()) for p in doc))


def test_printing_to_a_file_copies_the_vector_pdf(qtbot: Any, app_ctx: App, centre: CertificateCentre,  # noqa: F811
                                                  winners: Path, tmp_path: Path) -> None:
    load(qtbot, centre, centre.choose_sheet(winners))
    out = tmp_path / "打印到文件.pdf"
    job = centre.print_certificates(pdf_printer(out))
    assert job is not None and job.wait(60_000) and job.error is None
    pages, texts, images = read(out)
    assert pages == len(NAMES)
    for name, text in zip(NAMES, texts, strict=True):
        assert name in text  # text, not a picture of text
    given = serials(app_ctx)
    assert len(given) == len(NAMES) and all(s in t for s, t in zip(given, texts, strict=True))
    assert images == 0  # no page images (the rasterised file was 3 MB a page)
    assert out.stat().st_size < 400_000 * len(NAMES)
    assert not list(tmp_path.glob(".*.tmp"))  # the atomic copy left nothing behind
    assert "送打印机 7 张" in centre.status.text()


def test_a_file_that_cannot_be_written_gives_no_serials(qtbot: Any, app_ctx: App, winners: Path, tmp_path: Path,
                                                        centre: CertificateCentre,  # noqa: F811
                                                        boxes: list[tuple[str, str]]) -> None:  # noqa: F811
    load(qtbot, centre, centre.choose_sheet(winners))
    out = tmp_path / "没有这个文件夹" / "证书.pdf"
    job = centre.print_certificates(pdf_printer(out))
    assert job is not None and job.wait(60_000)
    assert job.error is not None and not out.exists()
    assert serials(app_ctx) == []  # the serials commit only once the file is in place


def test_a_printer_gets_each_page_rasterised_in_turn(qtbot: Any, centre: CertificateCentre,  # noqa: F811
                                                     winners: Path, tmp_path: Path) -> None:
    from ui.printing import print_pdf, rasterise

    load(qtbot, centre, centre.choose_sheet(winners))
    source = tmp_path / "证书.pdf"
    assert centre.save_pdf(source).wait()  # type: ignore[union-attr]
    printed = tmp_path / "printer.pdf"
    printer = pdf_printer(printed)
    printer.setResolution(150)
    steps: list[int] = []
    assert print_pdf(source, printer, progress=lambda done, _t, _w: steps.append(done)) == len(NAMES)
    assert steps == list(range(1, len(NAMES) + 1))
    pages, texts, images = read(printed)
    assert pages == len(NAMES) and images >= len(NAMES) and not any(texts)  # what a printer gets: images
    moved = pdf_printer(tmp_path / "moved.pdf")
    moved.setResolution(150)
    assert print_pdf(source, moved, offset=(5.0, 3.0)) == len(NAMES)
    original, plain, shifted = (rasterise(p, 150.0, 1)[0] for p in (source, printed, tmp_path / "moved.pdf"))
    assert abs(plain.width() - original.width()) <= 1 and abs(plain.height() - original.height()) <= 1
    (x0, y0), (x1, y1), (x2, y2) = first_ink(original), first_ink(plain), first_ink(shifted)
    assert abs(x1 - x0) <= 1 and abs(y1 - y0) <= 1  # 100 %, full page: the pixels land where the PDF says
    mm = 150.0 / 25.4
    assert abs((x2 - x1) - 5 * mm) <= 1.5 and abs((y2 - y1) - 3 * mm) <= 1.5

    stopped = pdf_printer(tmp_path / "stopped.pdf")
    stopped.setResolution(150)
    with pytest.raises(Cancelled):
        print_pdf(source, stopped, progress=lambda done, _t, _w: steps.append(-done), cancelled=lambda: -2 in steps)
    assert -3 not in steps  # stopped after the page it was on; the rasterising thread ended with it


def test_offsets_typed_wrong_are_a_field_error_and_nothing_is_saved_or_printed(qtbot: Any,
                                                                              tmp_path: Path) -> None:
    from ui.certificates.calibration import CalibrationDialog
    from ui.printing import printer_offset, set_printer_offset

    dlg = CalibrationDialog(None)
    qtbot.addWidget(dlg)
    name = dlg.printer_name()
    set_printer_offset(name, 1.0, 1.0)
    for typed, said in (("nan", "不是有效的数字"), ("inf", "不是有效的数字"), ("1000", "超出范围"), ("-60", "超出范围"),
                        ("1.5毫米", "不是数字")):
        dlg.x_field.edit.setText(typed)
        assert not dlg.save()
        assert dlg.x_field.error.isVisibleTo(dlg) and said in dlg.x_field.error.text()
        assert "水平偏移" in dlg.x_field.error.text() and "#b71c1c" in dlg.x_field.edit.styleSheet()
        assert printer_offset(name) == (1.0, 1.0)  # nothing saved
    dlg.check_box.setChecked(True)
    out = tmp_path / "calibration.pdf"
    assert not dlg.print_page(pdf_printer(out)) and not out.exists()  # nothing printed
    dlg.x_field.edit.setText("－１．５")  # typed with a Chinese input method
    dlg.y_field.edit.setText("")
    assert dlg.x_field.value() == -1.5 and not dlg.x_field.error.isVisibleTo(dlg)
    assert dlg.print_page(pdf_printer(out)) and read(out)[0] == 1
    assert dlg.save() and printer_offset(name) == (-1.5, 0.0)


def test_a_bad_saved_offset_prints_nothing(qtbot: Any, app_ctx: App, centre: CertificateCentre,  # noqa: F811
                                           sheet: Path, tmp_path: Path) -> None:  # noqa: F811
    from ui.printing import set_printer_offset

    load(qtbot, centre, centre.choose_sheet(sheet))
    set_printer_offset("", 15.0 * 10, 0.0)  # 150 mm: 15 typed for 1.5, once, in an old version
    out = tmp_path / "证书.pdf"
    assert centre.print_certificates(pdf_printer(out)) is None
    assert "超出范围" in centre.status.text() and not out.exists() and serials(app_ctx) == []
