"""The certificate centre, the register and verify dialogs, printing, through real widgets.

Message boxes are recorded instead of shown; printing goes to a PDF printer. Set
``UNIONDESK_TEST_SHOTS=/some/folder`` to keep PNGs of the centre.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget
from sqlalchemy import func, select

from db.models.certificates import Certificate
from desktop import paths
from desktop.context import App
from tests.support import write_workbook
from ui.certificates.centre import CertificateCentre, open_certificate_centre

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("UNIONDESK_TEST_SHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / f"ud_cert_{name}.png"))


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def serials(app: App) -> list[str]:
    with app.db.session() as s:
        return list(s.execute(select(Certificate.serial).order_by(Certificate.id)).scalars())


pytestmark = pytest.mark.usefixtures("look")


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []

    def static(kind: str) -> Any:
        def show(_parent: Any, _title: str, text: str, *_a: Any, **_k: Any) -> Any:
            shown.append((kind, text))
            return QMessageBox.StandardButton.Ok
        return show

    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, static(kind))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(("box", box.text())) or 0)
    return shown


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    rows = [
        ["序号", "姓名", "工作单位", "奖项", "项目"],
        [1, "张三", "宁海县跃龙模具有限公司", "一等奖", "2026年跃龙街道职工技能竞赛焊工项目"],
        [2, "李四", "跃龙街道社区卫生服务中心", "二等奖", "2026年跃龙街道职工技能竞赛护理项目"],
        [3, None, "跃龙模具", "三等奖", "焊工"],
        [4, "欧阳小燕", "宁海县跃龙模具有限公司", "三等奖", "2026年跃龙街道职工技能竞赛焊工项目"],
    ]
    return write_workbook(tmp_path / "获奖名单.xlsx", rows, title="2026年技能竞赛获奖名单")


@pytest.fixture
def centre(qtbot: Any, app_ctx: App, boxes: list[tuple[str, str]]) -> Iterator[CertificateCentre]:
    dlg = open_certificate_centre(None, app_ctx)
    qtbot.addWidget(dlg)
    dlg.resize(1280, 800)
    wait_preview(qtbot, dlg)
    yield dlg
    for job in (dlg.job, dlg.preview.job, dlg._load_job):
        if job is not None:
            job.wait()


def wait_preview(qtbot: Any, dlg: CertificateCentre) -> None:
    qtbot.waitUntil(lambda: dlg.preview.ready(), timeout=30_000)


def load(qtbot: Any, dlg: CertificateCentre, job: Any) -> None:
    assert job is not None
    assert job.wait()
    assert dlg.selection is not None
    wait_preview(qtbot, dlg)


def first_ink(image: QImage) -> tuple[int, int]:
    """Where the page's outer border starts: the first dark pixel along the middle row and column."""
    img = image.convertToFormat(QImage.Format.Format_Grayscale8)
    w, h = img.width(), img.height()
    x = next(x for x in range(w) if img.pixelColor(x, h // 2).value() < 160)
    y = next(y for y in range(h) if img.pixelColor(w // 2, y).value() < 160)
    return x, y


# -- the centre -------------------------------------------------------------------------------


def test_a_spreadsheet_previews_then_saves_with_serials(qtbot: Any, app_ctx: App, centre: CertificateCentre,
                                                        sheet: Path, tmp_path: Path,
                                                        boxes: list[tuple[str, str]]) -> None:
    assert centre.preview.current_image() is not None and not centre.save_button.isEnabled()  # a sample preview before any list
    load(qtbot, centre, centre.choose_sheet(sheet))
    assert [r["name"] for r in centre.records()] == ["张三", "李四", "欧阳小燕"]
    assert centre.records_table.rowCount() == 3
    assert "第 5 行：缺少姓名" in centre.skipped_label.text()
    pixmap = centre.preview.label.pixmap()
    assert pixmap is not None and not pixmap.isNull() and pixmap.width() > 300
    assert centre.preview.total == 3 and centre.preview.page_spin.value() == 1
    assert centre.preview.page_label.text() == "/ 共 3 页"
    assert serials(app_ctx) == []  # a preview gives no serial
    shot(centre, "centre_sheet")

    out = tmp_path / "证书.pdf"
    job = centre.save_pdf(out)
    assert job is not None and job.wait()
    assert out.is_file()
    given = serials(app_ctx)
    assert given == [f"UD-2026-MD-0000{n}" for n in (1, 2, 3)]
    text = pdf_text(out)
    assert all(s in text for s in given)
    assert "张三" in "".join(text.split())
    assert "已生成 3 张证书" in centre.status.text()
    assert any("已生成 3 张证书" in t for _k, t in boxes)


def test_a_sheet_without_names_is_explained_in_place(qtbot: Any, centre: CertificateCentre, tmp_path: Path,
                                                     boxes: list[tuple[str, str]]) -> None:
    bad = write_workbook(tmp_path / "单位.xlsx", [["单位", "奖项"], ["跃龙模具", "一等奖"]])
    job = centre.choose_sheet(bad)
    assert job is not None and job.wait()
    assert "姓名" in centre.summary.text() and not boxes  # said beside the list, no message box
    assert centre.selection is None and not centre.save_button.isEnabled()
    wait_preview(qtbot, centre)


def test_template_choice_and_editor_update_the_preview_and_save(qtbot: Any, centre: CertificateCentre) -> None:
    before = centre.preview.pages[0]
    centre.template_combo.setCurrentIndex(centre.template_combo.findData("award"))
    wait_preview(qtbot, centre)
    assert centre.preview.pages[0].size() != before.size()  # 获奖证书 is portrait
    centre.edit_button.click()
    assert centre.editor.isVisible()
    editor = centre.editor
    assert editor.select_field(editor.template.fields[0].key)
    first = centre.preview.pages[0]
    editor.size_spin.setValue(editor.size_spin.value() + 12)
    editor.y_spin.setValue(editor.y_spin.value() + 10)
    qtbot.waitUntil(lambda: centre.preview_busy(), timeout=2_000)
    wait_preview(qtbot, centre)
    assert centre.preview.pages[0] != first
    assert centre.template is editor.template and centre.template is not centre.templates["award"]
    shot(centre, "centre_editor")
    key = editor.save_as("我的获奖证书")
    assert key is not None and (paths.templates_dir() / f"{key}.json").is_file()
    assert centre.template_combo.currentData() == key
    assert centre.template_combo.currentText() == "我的获奖证书"  # its Chinese title, no key


def test_cancel_saving_leaves_nothing(qtbot: Any, app_ctx: App, centre: CertificateCentre, sheet: Path,
                                      tmp_path: Path) -> None:
    load(qtbot, centre, centre.choose_sheet(sheet))
    out = tmp_path / "证书.pdf"
    job = centre.save_pdf(out)
    assert job is not None
    job.cancel()
    job.wait()
    assert not out.exists() and serials(app_ctx) == []


def test_printing_is_full_size_with_the_printer_offset(qtbot: Any, app_ctx: App, centre: CertificateCentre,
                                                       sheet: Path, tmp_path: Path) -> None:
    from ui.printing import printer_offset, rasterise, set_printer_offset

    load(qtbot, centre, centre.choose_sheet(sheet))
    saved = tmp_path / "saved.pdf"
    assert centre.save_pdf(saved).wait()  # type: ignore[union-attr]

    def printed(name: str) -> Path:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        path = tmp_path / name
        printer.setOutputFileName(str(path))
        job = centre.print_certificates(printer)
        assert job is not None and job.wait(60_000)
        return path

    plain = printed("plain.pdf")
    set_printer_offset("", 5.0, 3.0)
    assert printer_offset("") == (5.0, 3.0)
    moved = printed("moved.pdf")
    assert serials(app_ctx) == [f"UD-2026-MD-0000{n}" for n in (1, 2, 3)]  # reprints keep them
    with app_ctx.db.session() as s:
        assert s.execute(select(func.sum(Certificate.printed_count))).scalar() == 9
    dpi = 150.0
    original, first, second = (rasterise(p, dpi, 1)[0] for p in (saved, plain, moved))
    for image in (first, second):  # the sheet as the template says (A4 landscape), to the point
        assert abs(image.width() - original.width()) <= 1 and abs(image.height() - original.height()) <= 1
    (x0, y0), (x1, y1), (x2, y2) = first_ink(original), first_ink(first), first_ink(second)
    assert abs(x1 - x0) <= 1 and abs(y1 - y0) <= 1  # 100%, no margins, no fit-to-page
    mm = dpi / 25.4
    assert abs((x2 - x1) - 5 * mm) <= 1.5 and abs((y2 - y1) - 3 * mm) <= 1.5


def test_opened_on_a_source_with_parameters(qtbot: Any, app_ctx: App, boxes: list[tuple[str, str]]) -> None:
    from desktop.certificates import sources as cs

    keys = [s.key for s in cs.sources()]
    if "competitions" not in keys:
        pytest.skip("no competitions source")
    dlg = open_certificate_centre(None, app_ctx, source="competitions", params={"year": 2026})
    qtbot.addWidget(dlg)
    assert dlg.current_source() == "competitions"
    assert dlg._load_job is not None and dlg._load_job.wait()
    assert dlg.selection is not None and dlg.selection.programme == "competitions"
    wait_preview(qtbot, dlg)


# -- register, verify, calibration, menu ---------------------------------------------------------


def test_a_reprint_on_a_locked_ring_says_why_there_is_no_code(qtbot: Any, app_ctx: App, centre: CertificateCentre,
                                                               sheet: Path, tmp_path: Path,
                                                               boxes: list[tuple[str, str]]) -> None:
    from desktop import settings as app_settings
    from desktop.certificates.signing import LOCKED_NOTICE
    from desktop.keys import KeyRing
    from ui.certificates.register import open_register

    with app_ctx.db.session() as s:
        app_settings.save(s, {"certificate_verify": 1})
    app_ctx.reload_settings()
    load(qtbot, centre, centre.choose_sheet(sheet))
    assert centre.save_pdf(tmp_path / "a.pdf").wait()  # type: ignore[union-attr]
    app_ctx.keys = KeyRing()  # another PC, nobody signed in: the master key is not unwrapped
    dlg = open_register(None, app_ctx)
    qtbot.addWidget(dlg)
    dlg.select_serials(["UD-2026-MD-00001"])
    job = dlg.reprint(tmp_path / "补打.pdf")
    assert job is not None and job.wait()
    assert any("已补打 1 张证书" in text and LOCKED_NOTICE in text for _kind, text in boxes)


def test_register_dialog_voids_reprints_and_exports(qtbot: Any, app_ctx: App, centre: CertificateCentre,
                                                    sheet: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import load_workbook

    from ui.certificates.register import open_register, open_verify

    load(qtbot, centre, centre.choose_sheet(sheet))
    assert centre.save_pdf(tmp_path / "a.pdf").wait()  # type: ignore[union-attr]
    dlg = open_register(None, app_ctx)
    qtbot.addWidget(dlg)
    assert dlg.model.rowCount() == 3
    first, second = "UD-2026-MD-00001", "UD-2026-MD-00002"
    dlg.select_serials([first])
    assert dlg.void_button.isEnabled()
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("姓名有误", True))
    assert dlg.void_selected()
    assert next(r for r in dlg.model.rows if r["serial"] == first)["void_reason"] == "姓名有误"
    dlg.select_serials([first])
    assert not dlg.reprint_button.isEnabled()  # a void certificate is not reprinted
    dlg.select_serials([second])
    job = dlg.reprint(tmp_path / "补打.pdf")
    assert job is not None and job.wait()
    assert second in pdf_text(tmp_path / "补打.pdf")
    assert next(r for r in dlg.model.rows if r["serial"] == second)["printed_count"] == 2
    dlg.search.setText("欧阳")
    qtbot.waitUntil(lambda: dlg.model.rowCount() == 1, timeout=3_000)
    dlg.search.clear()
    qtbot.waitUntil(lambda: dlg.model.rowCount() == 3, timeout=3_000)
    job = dlg.export(tmp_path / "发证登记簿.xlsx")
    assert job is not None and job.wait()
    ws = load_workbook(tmp_path / "发证登记簿.xlsx").active
    assert ws is not None and ws["A1"].value == "发证登记簿"
    shot(dlg, "register")

    verify = open_verify(None, app_ctx)
    qtbot.addWidget(verify)
    verify.edit.setText(second)
    assert verify.check() is not None and verify.result.text() == "有效"
    verify.edit.setText(first)
    verify.check()
    assert verify.result.text() == "已作废（姓名有误）"
    verify.edit.setText("UD-2000-MD-00001")
    verify.check()
    assert verify.result.text() == "无此证书"


def test_calibration_offsets_are_kept_per_printer(qtbot: Any, tmp_path: Path) -> None:
    from ui.certificates.calibration import CalibrationDialog
    from ui.printing import printer_offset

    dlg = CalibrationDialog(None)
    qtbot.addWidget(dlg)
    name = dlg.printer_name()
    dlg.x_field.setValue(-1.5)
    dlg.y_field.setValue(2.0)
    assert dlg.save()
    assert printer_offset(name) == (-1.5, 2.0)
    assert (paths.data_dir() / "ui-state.ini").is_file()  # not the clerk's registry in tests
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "calibration.pdf"))
    again = CalibrationDialog(None, printer_name=name)
    qtbot.addWidget(again)
    assert (again.x_field.value(), again.y_field.value()) == (-1.5, 2.0)
    assert again.print_page(printer)
    assert (tmp_path / "calibration.pdf").stat().st_size > 1000


def test_main_window_has_the_certificates_menu(qtbot: Any, app_ctx: App) -> None:
    from ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    menu = next(a.menu() for a in win.menuBar().actions() if a.text().startswith("证书"))
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts == ["证书中心…", "发证登记簿…", "证书查验…", "打印机校准…"]


# -- the end-to-end: scores typed in the competitions grid, certificates from its button ----


def test_scores_entered_in_the_grid_print_through_the_centre(qtbot: Any, app_ctx: App, tmp_path: Path,
                                                             boxes: list[tuple[str, str]]) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit

    from desktop.programmes.competitions import service
    from desktop.programmes.core import registers
    from tests.support import valid_id
    from ui.main_window import MainWindow

    names = ("张三", "李四", "王小燕", "赵强")
    with app_ctx.db.session() as s:
        org = registers.save(s, "organisations", None, {"name": "宁海县跃龙模具有限公司"})
        people = [registers.save(s, "workers", None, {"name": n, "id_number": valid_id(seq=i + 1), "employer_id": org})
                  for i, n in enumerate(names)]
        cid = service.save_competition(s, None, {"title": "2026年跃龙街道职工职业技能竞赛", "kind": "individual",
                                                  "end_date": "2026-05-20"})
        eid = service.save_event(s, cid, None, {"trade": "焊工", "judges": 1})
        service.set_prize_tiers(s, eid, "count", (1, 1, 1, 0), (0, 0, 0, 0))
        for w in people:
            service.register_worker(s, eid, w)

    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    win.attach_app(app_ctx)
    tab: Any = win.show_tab("competitions") or win.ensure_tab("competitions")
    qtbot.waitUntil(lambda: tab.is_loaded, timeout=20_000)
    assert tab.event_id == eid and tab.model.rowCount() == 4
    view = tab.view
    view.setFocus()
    view.go(view.next_cell(view.currentIndex().siblingAtRow(-1), "right"), edit=False)
    # 理论1 then 实操1 for each contestant, typed and moved on with Tab, as a clerk does.
    marks = {"张三": ("85", "95"), "李四": ("70", "90"), "王小燕": ("90", "70"), "赵强": ("60", "60")}

    def open_editor() -> QLineEdit | None:
        found = [e for e in view.viewport().findChildren(QLineEdit, "scoreEditor") if e.isVisible()]
        return found[0] if found else None

    for name in names:
        for mark in marks[name]:
            editor, rest = open_editor(), mark
            if editor is None:  # the first key typed on a cell opens its editor
                qtbot.keyClicks(view, mark[0])
                editor, rest = open_editor(), mark[1:]
            assert editor is not None
            qtbot.keyClicks(editor, rest)
            qtbot.keyClick(editor, Qt.Key.Key_Tab)  # stored, and on to the next mark
    prizes = {tab.model.row_data(r).name: tab.model.outcomes[tab.model.row_data(r).entry_id].prize
              for r in range(tab.model.rowCount())}
    assert prizes == {"张三": "first", "李四": "second", "王小燕": "third", "赵强": None}

    before = set(QApplication.topLevelWidgets())
    tab.certificates_button.click()
    centres = [w for w in QApplication.topLevelWidgets() if isinstance(w, CertificateCentre) and w not in before]
    assert len(centres) == 1
    centre = centres[0]
    qtbot.addWidget(centre)
    assert centre.current_source() == "competitions"
    assert centre.params.values() == {"year": 2026, "competition": cid} or centre.params.values()["competition"] == cid
    assert centre._load_job is not None and centre._load_job.wait()
    wait_preview(qtbot, centre)
    assert [r["name"] for r in centre.records()] == ["张三", "李四", "王小燕"]
    shot(centre, "centre_competition")
    out = tmp_path / "获奖证书.pdf"
    job = centre.save_pdf(out)
    assert job is not None and job.wait()
    text = "".join(pdf_text(out).split())
    given = serials(app_ctx)
    assert given == [f"UD-2026-JS-0000{n}" for n in (1, 2, 3)]
    for name, serial in zip(("张三", "李四", "王小燕"), given, strict=True):
        assert name in text and serial in text
    assert "一等奖" in text and "二〇二六年五月二十日" in text
    win.detach_app()
