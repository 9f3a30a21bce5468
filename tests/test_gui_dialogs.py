"""The dialogs driven through real widgets with qtbot: import, rejected rows, export, settings,
backup and restore, reports, the job runner (cancel) and the crash dialog.

File dialogs are replaced by functions returning temporary paths and message boxes by
recorders that answer 是/确定, so every test runs unattended and offscreen. Set
``UNIONDESK_TEST_SHOTS=/some/folder`` to save a PNG of each dialog.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox, QSpinBox, QWidget
from sqlalchemy import delete, func, select

from db.errors import DatabaseProblem
from db.models.core.registers import Organisation, Worker
from db.models.system import AuditEntry
from desktop.context import App, open_app
from desktop.jobs import Cancelled
from tests.support import valid_id, write_workbook
from ui.kit.changes import listen

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


# -- helpers ------------------------------------------------------------------------------------


def shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("UNIONDESK_TEST_SHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / f"ud_dlg_{name}.png"))


class Boxes:
    """Every message box shown: (kind, title, text). Questions are answered 是."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.crashes: list[BaseException] = []
        self.opened: list[str] = []

    def texts(self, kind: str | None = None) -> list[str]:
        return [t for k, _title, t in self.shown if kind is None or k == kind]


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    rec = Boxes()

    def static(kind: str, answer: Any) -> Callable[..., Any]:
        def show(_parent: Any, title: str, text: str, *_a: Any, **_k: Any) -> Any:
            rec.shown.append((kind, title, text))
            return answer
        return show

    monkeypatch.setattr(QMessageBox, "information", static("information", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "warning", static("warning", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "critical", static("critical", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", static("question", QMessageBox.StandardButton.Yes))

    def exec_box(box: QMessageBox) -> int:
        rec.shown.append(("box", box.windowTitle(), box.text()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_box)

    def crash(exc_type: type[BaseException], exc: BaseException, tb: Any, parent: Any = None) -> None:
        rec.crashes.append(exc)

    monkeypatch.setattr("ui.dialogs.crash.show_crash", crash)
    from PySide6.QtGui import QDesktopServices

    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: rec.opened.append(url.toLocalFile()) or True)
    return rec


def files(monkeypatch: pytest.MonkeyPatch, *, open_: Path | None = None, save: Path | None = None,
          folder: Path | None = None) -> None:
    if open_ is not None:
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(open_), ""))
    if save is not None:
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(save), ""))
    if folder is not None:
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))


@pytest.fixture
def parent(qtbot: Any) -> QWidget:
    w = QWidget()
    w.resize(900, 700)
    qtbot.addWidget(w)
    return w


def count(app: App, model: type) -> int:
    with app.db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def wait_job(qtbot: Any, holder: Any) -> None:
    qtbot.waitUntil(lambda: holder.job is not None and holder.job.done, timeout=30_000)


HEADER = ["序号", "姓 名", "性别", "身份证号码", "手机号码", "工作单位", "备注"]


def messy_workbook(path: Path) -> Path:
    """A title row, a header, two good rows, a bad check digit (row 4), an ID Excel turned into
    a number (row 5), and a remark that looks like a formula on the rejected row."""
    bad_checksum = valid_id(seq=2, male=False)
    bad_checksum = bad_checksum[:17] + ("0" if bad_checksum[17] != "0" else "1")
    rows: list[list[Any]] = [
        HEADER,
        [1, "张三", "男", valid_id(seq=1), "13805741234", "宁波拓锋精密机械有限公司", "先进个人"],
        [2, "李四", "女", bad_checksum, "13805741235", "宁波拓锋精密机械有限公司", "=1+1"],
        [3, "王五", "男", 3.30281199001011e17, "", "", ""],
        [4, "赵六", "女", valid_id(seq=4, male=False), "12345", "浙江信安智能科技有限公司", ""],
    ]
    write_workbook(path, rows, title="2026年跃龙街道职工花名册")
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    cell = ws.cell(row=4, column=7)  # "=1+1" as text, the way a clerk typed it with a leading '
    cell.value = "=1+1"
    cell.data_type = "s"
    wb.save(path)
    return path


# -- import ------------------------------------------------------------------------------------


def test_import_messy_workbook_end_to_end(qtbot: Any, app_ctx: App, boxes: Boxes, parent: QWidget,
                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs.importing import ImportDialog, open_import

    path = messy_workbook(tmp_path / "花名册.xlsx")
    files(monkeypatch, open_=path)
    done: list[int] = []
    open_import(parent, app_ctx, "workers", lambda: done.append(1))
    announced: list[Any] = []
    listen(parent, ["workers"], announced.append)
    dlg = parent.findChild(ImportDialog)
    assert dlg is not None
    wait_job(qtbot, dlg)
    assert dlg.match is not None and dlg.match.row_number == 2  # the title row is skipped
    mapping = dlg.current_mapping()
    assert mapping[1] == "name" and mapping[3] == "id_number" and mapping[5] == "employer_id"
    assert mapping[0] is None  # 序号
    assert dlg.preview_button.isEnabled()
    shot(dlg, "import")

    qtbot.mouseClick(dlg.preview_button, Qt.MouseButton.LeftButton)
    wait_job(qtbot, dlg)
    assert dlg.stack.currentIndex() == 1
    assert dlg.preview_problems.rejected.row_numbers() == [4, 5]
    reasons = [dlg.preview_problems.rejected.item(r, 2).text() for r in range(2)]
    assert "校验" in reasons[0] and "Excel" in reasons[1]
    assert dlg.preview_problems.rejected.item(0, 1).text() == "李四"
    assert 6 in dlg.preview_problems.warnings.row_numbers()  # 12345 is not a mobile number
    assert "新增 <b>2</b>" in dlg.counts_label.text()
    # Units not in the register have not been created yet: the preview says 将新建, not 已新建.
    created = [t for t in dlg.preview_problems.warnings.reasons() if "不在单位名册中" in t]
    assert created and all("将新建" in t and "已新建" not in t for t in created)
    assert "将新建单位 2 个" in dlg.counts_label.text()
    assert count(app_ctx, Worker) == 0  # the preview writes nothing
    shot(dlg, "import_preview")

    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    wait_job(qtbot, dlg)
    assert dlg.stack.currentIndex() == 2
    assert done == [1]
    assert [c.tables for c in announced] == [frozenset({"workers", "organisations"})]  # the views refresh themselves
    assert any("已新建" in t for t in dlg.result_problems.warnings.reasons())  # now they have been
    report = dlg.result_report
    assert report is not None and report.imported == 2 and len(report.rejected) == 2
    assert report.created_organisations == 2
    with app_ctx.db.session() as s:
        people = {w.name: w for w in s.scalars(select(Worker))}
        assert set(people) == {"张三", "赵六"}
        assert people["张三"].employer is not None and people["张三"].employer.name == "宁波拓锋精密机械有限公司"
        assert people["赵六"].gender == "female"
    backups = list((Path(os.environ["UNIONDESK_HOME"]) / "backups").glob("*before-import*"))
    assert len(backups) == 1
    assert "备份" in dlg.result_label.text()
    shot(dlg, "import_result")

    # The rejected rows, written back for the clerk to fix and re-import; the save dialog starts
    # in the imported file's folder.
    out = tmp_path / "rejected.xlsx"
    offered: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda _p, _t, start, *_a, **_k: (offered.append(start)
                                                                                          or (str(out), "")))
    qtbot.mouseClick(dlg.export_result_button, Qt.MouseButton.LeftButton)
    wait_job(qtbot, dlg)
    assert out.is_file()
    assert offered == [str(tmp_path / "花名册-被拒绝的行.xlsx")]
    ws = load_workbook(out).active
    assert ws is not None
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["原行号", *HEADER, "拒绝原因"]
    assert [r[0] for r in rows[1:]] == ["4", "5"]
    assert rows[1][2] == "李四" and rows[1][7] == "=1+1"
    assert rows[2][4] == "3.30281199001011E+17"
    assert "校验" in rows[1][-1] and "Excel" in rows[2][-1]
    for r in ws.iter_rows():
        for c in r:
            if c.value is not None:
                assert c.data_type == "s", (c.coordinate, c.value)
    assert any("已导出 2 行" in t for t in boxes.texts("box"))
    assert not boxes.crashes

    # Re-importing the fixed file: the 原行号 and 拒绝原因 columns are left out.
    from desktop.importing import importer

    _data, match = importer.read_and_match(out, "workers")
    assert match.row_number == 1 and "name" in match.mapping.values()
    assert set(match.mapping.values()) >= {"name", "id_number", "gender", "phone", "employer_id", "notes"}


def test_import_corrected_mapping_is_remembered(qtbot: Any, app_ctx: App, boxes: Boxes, parent: QWidget,
                                                tmp_path: Path) -> None:
    from ui.dialogs.importing import ImportDialog

    path = write_workbook(tmp_path / "名单.xlsx", [
        ["姓名", "号码（身份）", "说明"],
        ["张三", valid_id(seq=1), "x"],
        ["李四", valid_id(seq=2, male=False), "y"],
    ])
    dlg = ImportDialog(parent, app_ctx, "workers", lambda: None)
    dlg.open()
    wait = dlg.load_file(path)
    assert wait.wait()
    mapping = dlg.current_mapping()
    assert "id_number" not in mapping.values()
    assert not dlg.preview_button.isEnabled()
    assert dlg.missing_label.isVisibleTo(dlg) and "身份证号" in dlg.missing_label.text()
    shot(dlg, "import_missing")

    dlg.set_mapping(1, "id_number")  # what the clerk picks in the combo
    assert dlg.preview_button.isEnabled() and not dlg.missing_label.isVisibleTo(dlg)
    dlg.set_mapping(2, "name")  # a field comes from one column only: column 0 lets go of it
    assert dlg.current_mapping()[0] is None
    dlg.set_mapping(0, "name")
    dlg.set_mapping(2, None)
    qtbot.mouseClick(dlg.preview_button, Qt.MouseButton.LeftButton)
    wait_job(qtbot, dlg)
    assert dlg.preview_report is not None and not dlg.preview_report.rejected
    dlg.close()

    again = ImportDialog(parent, app_ctx, "workers", lambda: None)
    again.open()
    assert again.load_file(path).wait()
    assert again.current_mapping() == {0: "name", 1: "id_number", 2: None}
    assert "上次" in again.mapping_hint.text()
    assert again.preview_button.isEnabled()
    again.close()
    assert not boxes.crashes


@pytest.mark.parametrize(("content", "word"), [
    (b"", "空"),
    (b"PK\x03\x04 this is not really a zip file at all" * 3, ""),
    ("姓名,身份证号\n".encode("utf-16")[:3], ""),
])
def test_import_read_errors_are_shown(qtbot: Any, app_ctx: App, boxes: Boxes, parent: QWidget, tmp_path: Path,
                                      content: bytes, word: str) -> None:
    from ui.dialogs.importing import ImportDialog

    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(content)
    dlg = ImportDialog(parent, app_ctx, "workers", lambda: None)
    dlg.open()
    assert dlg.load_file(path).wait()
    warnings = boxes.texts("warning")
    if warnings:  # a read error: named, shown inline too, nothing to preview
        assert "坏文件.xlsx" in warnings[0] and word in warnings[0]
        assert dlg.read_error.isVisibleTo(dlg) and dlg.read_error.text() == warnings[0]
        assert not dlg.preview_button.isEnabled()
        shot(dlg, "import_read_error")
    else:  # readable after all (a tiny text file): no data, nothing to import
        assert dlg.data is not None
    assert not boxes.crashes
    dlg.close()


def test_broken_ole_file_message(qtbot: Any, app_ctx: App, boxes: Boxes, parent: QWidget,
                                    tmp_path: Path) -> None:
    from desktop.importing.readers import ENCRYPTED_MESSAGE
    from ui.dialogs.importing import ImportDialog

    path = tmp_path / "加密.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    dlg = ImportDialog(parent, app_ctx, "workers", lambda: None)
    dlg.open()
    assert dlg.load_file(path).wait()
    assert boxes.texts("warning"), "a broken OLE file is a read error"
    assert "加密.xlsx" in boxes.texts("warning")[0] or ENCRYPTED_MESSAGE in boxes.texts("warning")[0]
    assert not boxes.crashes
    dlg.close()


# -- the job runner ----------------------------------------------------------------------------


def big_plan(app: App, tmp_path: Path, n: int) -> Any:
    from desktop.importing import importer

    rows: list[list[Any]] = [["姓名", "身份证号"]]
    given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
    rows += [["张王李赵刘陈杨黄"[i % 8] + given[i // 8 % len(given)] + given[i // 200 % len(given)], valid_id(seq=i % 500, birth=f"19{60 + i // 500:02d}0101", male=i % 2 == 0)]
             for i in range(n)]
    path = write_workbook(tmp_path / "big.xlsx", rows)
    data, match = importer.read_and_match(path, "workers")
    with app.db.session() as s:
        return importer.plan(s, "workers", data, match, app.labels())


def test_job_cancelled_midway_writes_nothing(qtbot: Any, app_ctx: App, boxes: Boxes, parent: QWidget,
                                             tmp_path: Path) -> None:
    from desktop.importing import importer
    from ui.kit.jobs import Job

    plan = big_plan(app_ctx, tmp_path, 4500)  # three batches of 2000
    assert len(plan.inserts) == 4500 and not plan.report.rejected
    first_batch = threading.Event()

    def write(progress: Any, cancelled: Callable[[], bool]) -> Any:
        def step(done: int, total: int, what: str = "") -> None:
            progress(done, total, what)
            if done >= 2000 and not first_batch.is_set():  # a batch is in the transaction
                first_batch.set()
                for _ in range(1000):  # wait for the clerk's 取消
                    if cancelled():
                        return
                    threading.Event().wait(0.01)

        return importer.write(app_ctx.db, plan, progress=step, cancelled=cancelled)

    results: list[Any] = []
    cancelled_seen: list[int] = []
    job = Job(parent, write, results.append).on_cancel(lambda: cancelled_seen.append(1))
    job.with_progress("正在导入…").run()
    qtbot.waitUntil(first_batch.is_set, timeout=30_000)
    qtbot.waitUntil(lambda: job.dialog is not None and job.dialog.isVisible(), timeout=5_000)
    assert job.dialog is not None and job.dialog.cancel_button is not None
    shot(job.dialog, "progress")
    qtbot.mouseClick(job.dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert job.wait()
    assert isinstance(job.error, Cancelled) and results == [] and cancelled_seen == [1]
    assert any("已取消" in t and "未写入" in t for t in boxes.texts("information"))
    assert count(app_ctx, Worker) == 0
    with app_ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "insert")) == 0
    assert not boxes.crashes


def test_job_failures_are_routed(qtbot: Any, boxes: Boxes, parent: QWidget) -> None:
    from ui.kit.jobs import Job

    def problem(_p: Any, _c: Any) -> None:
        raise DatabaseProblem("locked", "数据库正被另一个程序或窗口占用，请稍后再试。")

    def bug(_p: Any, _c: Any) -> None:
        raise ZeroDivisionError("division by zero")

    def locked_file(_p: Any, _c: Any) -> None:
        raise PermissionError(13, "Permission denied", "C:/职工名册.xlsx")

    assert Job(parent, problem).run().wait()
    assert boxes.texts("warning") == ["数据库正被另一个程序或窗口占用，请稍后再试。"]
    assert Job(parent, locked_file).run().wait()
    assert "Excel" in boxes.texts("warning")[1] and "职工名册.xlsx" in boxes.texts("warning")[1]
    assert Job(parent, bug).run().wait()
    assert len(boxes.crashes) == 1 and isinstance(boxes.crashes[0], ZeroDivisionError)
    handled: list[BaseException] = []
    assert Job(parent, bug).failure(handled.append).run().wait()
    assert len(handled) == 1 and len(boxes.crashes) == 1
    got: list[int] = []
    job = Job(parent, lambda p, c: (p(1, 2, "一半"), 42)[1], got.append).with_progress("计算")
    with qtbot.waitSignal(job.finished, timeout=10_000):
        job.run()
    assert got == [42] and Job._running == set()


def test_crash_dialog(qtbot: Any, tmp_path: Path) -> None:
    from ui.dialogs.crash import CrashDialog, install_excepthook, show_crash

    try:
        {}["missing"]
    except KeyError as exc:
        dlg = show_crash(type(exc), exc, exc.__traceback__)
    assert isinstance(dlg, CrashDialog)
    qtbot.addWidget(dlg)
    assert dlg.windowTitle() == "程序遇到意外错误"
    assert "uniondesk.log" in dlg.log_label.text()
    assert not dlg.details.isVisible()
    qtbot.mouseClick(dlg.toggle_button, Qt.MouseButton.LeftButton)
    assert dlg.details.isVisible() and "KeyError" in dlg.details.toPlainText()
    assert "Traceback" in dlg.details.toPlainText()
    shot(dlg, "crash")
    qtbot.mouseClick(dlg.copy_button, Qt.MouseButton.LeftButton)
    assert "KeyError: 'missing'" in QGuiApplication.clipboard().text()
    dlg.close()
    import sys

    old = sys.excepthook
    try:
        install_excepthook()
        assert sys.excepthook is not old
    finally:
        sys.excepthook = old


# -- export ------------------------------------------------------------------------------------


def test_export_rows_masked_and_full(qtbot: Any, app_ctx: App, boxes: Boxes, parent: QWidget, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("reports.xlsx", reason="reports.xlsx (the workbook writer) is not written yet")
    from tests.conftest import insert_handful
    from ui.dialogs.exporting import ExportDialog, default_name, export_rows

    insert_handful(app_ctx)
    with app_ctx.db.session() as s:
        ids = list(s.scalars(select(Worker.id).order_by(Worker.id.desc())))[:3]
        ids_full = s.execute(select(Worker.id, Worker.id_number)).tuples().all()
    assert default_name("workers").startswith("职工名册-") and default_name("workers").endswith(".xlsx")
    assert default_name("workers", 3).startswith("职工名册-筛选出的3条-")  # what the file holds
    out = tmp_path / "名册.xlsx"
    files(monkeypatch, save=out)
    export_rows(parent, app_ctx, "workers", ids)
    dlg = parent.findChild(ExportDialog)
    assert dlg is not None and "3" in dlg.count_label.text()
    shot(dlg, "export")
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    wait_job(qtbot, dlg)
    text = "\n".join(str(c.value) for r in load_workbook(out).active.iter_rows() for c in r if c.value)
    assert all(number not in text for _i, number in ids_full)  # masked
    assert "*" in text

    out_full = tmp_path / "名册-完整.xlsx"
    files(monkeypatch, save=out_full)
    export_rows(parent, app_ctx, "workers", None)
    dlg = [d for d in parent.findChildren(ExportDialog) if d.isVisible()][-1]
    dlg.full_check.setChecked(True)
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    wait_job(qtbot, dlg)
    text = "\n".join(str(c.value) for r in load_workbook(out_full).active.iter_rows() for c in r if c.value)
    assert all(number in text for _i, number in ids_full)
    with app_ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "export_full")) == 1
    assert not boxes.crashes


# -- settings ----------------------------------------------------------------------------------


def test_settings_saved_and_reloaded(qtbot: Any, app_ctx: App, boxes: Boxes, parent: QWidget,
                                     db_path: Path, tmp_path: Path) -> None:
    from desktop.settings import SETTINGS
    from ui.dialogs.settings import SettingsDialog, open_settings

    done: list[int] = []
    open_settings(parent, app_ctx, lambda: done.append(1))
    dlg = parent.findChild(SettingsDialog)
    assert dlg is not None
    assert set(dlg.editors) == {d.key for d in SETTINGS}  # every setting once
    assert len(dlg.findChildren(QLineEdit, "union_name")) == 1
    shot(dlg, "settings")

    union = dlg.findChild(QLineEdit, "union_name")
    union.setText("宁海县跃龙街道总工会")  # QTest types only Latin keys
    prefix = dlg.findChild(QLineEdit, "serial_prefix")
    prefix.clear()
    qtbot.keyClicks(prefix, "NB-01")  # only letters and digits
    keep = dlg.findChild(QSpinBox, "backup_keep")
    keep.setValue(45)
    dlg.set_value("seal_image", str(tmp_path / "没有这个文件.png"))
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert done == [] and dlg.isVisible()
    prefix_error = dlg.editors["serial_prefix"][2]
    assert prefix_error.isVisibleTo(dlg) and "字母和数字" in prefix_error.text()
    assert "找不到文件" in dlg.editors["seal_image"][2].text()
    shot(dlg, "settings_errors")
    prefix.setText("NB01")
    dlg.set_value("seal_image", "")

    table = dlg.select_choice_list("political_status")
    table.set_label("masses", "普通群众")
    dlg.tabs.setCurrentIndex(1)
    qtbot.mouseClick(dlg.add_choice_button, Qt.MouseButton.LeftButton)
    assert table.labels().get("custom_1") == ""
    table.set_label("custom_1", "中共党员")  # the same label twice is refused
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert done == [] and "不能重复" in dlg.choice_error.text()
    table.set_label("custom_1", "民主党派")
    shot(dlg, "settings_choices")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert done == [1]
    assert app_ctx.settings["union_name"] == "宁海县跃龙街道总工会" and app_ctx.union_name == "宁海县跃龙街道总工会"
    assert app_ctx.settings["serial_prefix"] == "NB01" and app_ctx.settings["backup_keep"] == 45

    other = open_app(str(db_path), daily_backup=False)  # what the next start sees
    try:
        assert other.settings["union_name"] == "宁海县跃龙街道总工会"
        labels = other.labels()["political_status"]
        assert labels["masses"] == "普通群众" and labels["custom_1"] == "民主党派"
        assert labels["party_member"] == "中共党员"
        with other.db.session() as s:
            logged = s.scalars(select(AuditEntry.note).where(AuditEntry.table_name == "settings")).all()
        assert "union_name" in logged and "choices.political_status" in logged
        assert "choices.gender" not in logged  # lists nobody touched are not written
    finally:
        other.close()

    open_settings(parent, app_ctx, lambda: None)  # reopened: shows what was saved
    again = [d for d in parent.findChildren(SettingsDialog) if d.isVisible()][-1]
    assert again.findChild(QLineEdit, "union_name").text() == "宁海县跃龙街道总工会"
    assert again.choice_tables["political_status"].labels()["custom_1"] == "民主党派"
    again.select_choice_list("political_status").add_new()
    assert again.choice_tables["political_status"].labels().get("custom_2") == ""
    again.reject()


def test_settings_checkbox_wrapped_notes_and_announced(qtbot: Any, app_ctx: App, boxes: Boxes,
                                                       parent: QWidget) -> None:
    """证书校验码 is a checkbox (stored as 1/0, as before); the notes under it and under
    师傅带徒津贴 wrap and show whole; saving announces that everything changed."""
    from PySide6.QtWidgets import QCheckBox, QLabel

    from ui.dialogs.settings import SettingsDialog, open_settings

    announced: list[Any] = []
    listen(parent, ["workers"], announced.append)
    open_settings(parent, app_ctx)
    dlg = parent.findChild(SettingsDialog)
    assert dlg is not None
    check = dlg.findChild(QCheckBox, "certificate_verify")
    assert check is not None and not check.isChecked()
    assert dlg.findChild(QSpinBox, "certificate_verify") is None
    qtbot.waitExposed(dlg)
    for key in ("certificate_verify", "apprentice_allowance"):
        editor = dlg.findChild(QWidget, key)
        notes = [lb for lb in editor.parentWidget().findChildren(QLabel) if lb.wordWrap() and lb.text()]
        assert notes, key
        for note in notes:  # tall enough for every wrapped line, and nothing cut on the right
            assert note.height() >= note.heightForWidth(note.width()), (key, note.text())
            assert note.width() <= note.parentWidget().width()
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=check.rect().topLeft() + QPoint(6, check.height() // 2))
    assert check.isChecked()
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert app_ctx.settings["certificate_verify"] == 1
    assert len(announced) == 1 and announced[0].touches("workers")


# -- backup and restore ------------------------------------------------------------------------


def test_backup_now_then_restore_brings_back_deleted_data(qtbot: Any, app_ctx: App, boxes: Boxes, parent: QWidget,
                                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop import paths
    from tests.conftest import insert_handful
    from ui.dialogs.backup import BackupList, RestoreDialog, backup_now, backup_to_folder, restore

    insert_handful(app_ctx)
    assert count(app_ctx, Worker) == 6
    assert backup_now(parent, app_ctx).wait()
    made = list(paths.backups_dir().glob("*-manual.sqlite3"))
    assert len(made) == 1 and any("已备份到" in t for t in boxes.texts("box"))

    usb = tmp_path / "U盘"
    usb.mkdir()
    files(monkeypatch, folder=usb)
    monkeypatch.setattr("ui.dialogs.backup_password.ask_backup_password", lambda _p: (True, None))  # no password
    job = backup_to_folder(parent, app_ctx)
    assert job is not None and job.wait()
    assert len(list(usb.glob("uniondesk-*.sqlite3"))) == 1

    damaged = paths.backups_dir() / "uniondesk-20200101-080000-daily.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    os.utime(damaged, (1_577_836_800, 1_577_836_800))

    with app_ctx.db.session() as s:
        s.execute(delete(Worker))
    assert count(app_ctx, Worker) == 0

    done: list[int] = []
    restore(parent, app_ctx, lambda: done.append(1))
    dlg = parent.findChild(RestoreDialog)
    assert dlg is not None
    wait_job(qtbot, dlg)
    lst: BackupList = dlg.list
    assert [i.ok for i in lst.infos] == [True, False]  # newest first; the damaged one last
    assert lst.infos[0].workers == 6 and lst.infos[0].organisations == 2
    assert lst.item(1, 4).text() == "已损坏" and lst.item(0, 1).text() == "手动备份"
    lst.selectRow(1)
    assert lst.selected_info() is None or lst.selected_info().ok  # a damaged backup cannot be chosen
    lst.selectRow(0)
    assert dlg.action_button.isEnabled()
    shot(dlg, "restore")
    qtbot.mouseClick(dlg.action_button, Qt.MouseButton.LeftButton)
    wait_job(qtbot, dlg)
    question = [t for k, _title, t in boxes.shown if k == "question"]
    assert question and "6 名职工" in question[0] and "2 个单位" in question[0]
    assert done == [1]
    assert count(app_ctx, Worker) == 6
    assert list(paths.backups_dir().glob("*-before-restore.sqlite3"))
    assert not boxes.crashes


def test_choose_backup_for_corrupt_db_lists_good_backups_newest_first(qtbot: Any, app_ctx: App,
                                                                      tmp_path: Path) -> None:
    from ui.dialogs.backup import _ChooseBackupDialog, choose_backup_for_corrupt_db

    folder = tmp_path / "backups"
    old = app_ctx.backup("manual", folder / "uniondesk-20250101-080000-manual.sqlite3")
    new = app_ctx.backup("daily", folder / "uniondesk-20250102-080000-daily.sqlite3")
    os.utime(old, (1_735_718_400, 1_735_718_400))
    os.utime(new, (1_735_804_800, 1_735_804_800))
    bad = folder / "uniondesk-20250103-080000-daily.sqlite3"
    bad.write_bytes(b"not a database")
    seen: list[list[Path]] = []

    def accept_when_loaded() -> None:
        dlgs = [w for w in QApplication.topLevelWidgets() if isinstance(w, _ChooseBackupDialog) and w.isVisible()]
        if dlgs and dlgs[0].job is not None and dlgs[0].job.done:
            seen.append([i.path for i in dlgs[0].list.infos])
            shot(dlgs[0], "corrupt_restore")
            dlgs[0].action_button.click()
        else:
            QTimer.singleShot(20, accept_when_loaded)

    QTimer.singleShot(0, accept_when_loaded)
    chosen = choose_backup_for_corrupt_db(None, folder)
    assert seen == [[new, old]]
    assert chosen == new


# -- reports -----------------------------------------------------------------------------------


def test_report_dialog_writes_roster_pdf(qtbot: Any, app_ctx: App, boxes: Boxes, parent: QWidget, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("reports.pdf_table", reason="reports.pdf_table (the PDF writer) is not written yet")
    from desktop import registry
    from tests.conftest import insert_handful
    from ui.dialogs.reports import ReportDialog, open_report

    insert_handful(app_ctx)
    with app_ctx.db.session() as s:
        org_id = s.scalar(select(Organisation.id).where(Organisation.name == "宁海县跃龙模具有限公司"))
    spec = registry.report("workers.roster")
    out = tmp_path / "花名册.pdf"
    files(monkeypatch, save=out)
    open_report(parent, app_ctx, spec)
    dlg = parent.findChild(ReportDialog)
    assert dlg is not None and set(dlg.params) == {p.name for p in spec.params}
    dlg.set_param("employer", org_id)
    dlg.set_param("status", "active")
    dlg.set_format("pdf")
    assert dlg.values() == {"employer": org_id, "status": "active"}
    shot(dlg, "report")
    qtbot.mouseClick(dlg.run_button, Qt.MouseButton.LeftButton)
    wait_job(qtbot, dlg)
    assert not boxes.crashes, boxes.crashes
    assert out.is_file() and out.read_bytes()[:5] == b"%PDF-"
    assert any("已生成职工花名册" in t for t in boxes.texts("box"))


def test_report_dialog_refuses_an_unknown_organisation(qtbot: Any, app_ctx: App, boxes: Boxes,
                                                       parent: QWidget) -> None:
    from desktop import registry
    from ui.dialogs.reports import ReportDialog, open_report

    open_report(parent, app_ctx, registry.report("workers.roster"))
    dlg = parent.findChild(ReportDialog)
    assert dlg is not None
    combo = dlg.params["employer"].widget
    combo.setEditText("不存在的公司")
    assert dlg.values() is None
    assert "不存在的公司" in dlg.params["employer"].error.text()
    assert dlg.run_report() is None
    dlg.reject()


def test_report_file_names_say_what_they_hold_and_never_repeat(qtbot: Any, demo_app: App, boxes: Boxes,
                                                                parent: QWidget, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Two 拜师帖 printed the same day used to be offered the same name (拜师帖-2026-12-05.pdf):
    the name says whose it is, and a name already in the folder gets （2）."""
    from desktop import registry
    from ui.dialogs.common import remember_folder
    from ui.dialogs.reports import ReportDialog

    dlg = ReportDialog(parent, demo_app, registry.report("mentoring.letter"))
    qtbot.addWidget(dlg)
    combo = dlg.params["pair"].widget
    pairs = [(combo.itemData(i), combo.itemText(i)) for i in range(combo.count()) if combo.itemData(i) is not None]
    assert len(pairs) >= 2
    names = []
    for pair_id, text in pairs[:2]:
        dlg.set_param("pair", pair_id)
        names.append(dlg.default_name())
        assert names[-1].startswith("拜师帖-") and text.split("（")[0] in names[-1] and names[-1].endswith(".pdf")
    assert names[0] != names[1]

    remember_folder("reports", tmp_path)
    (tmp_path / names[1]).write_bytes(b"%PDF-")  # printed once already today
    offered: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda _p, _t, start, *_a, **_k: (offered.append(start)
                                                                                          or ("", "")))
    assert dlg.run_report() is None  # the clerk cancels the save dialog
    stem = names[1].removesuffix(".pdf")
    assert offered == [str(tmp_path / f"{stem}（2）.pdf")]


def test_closing_a_busy_dialog_cancels_its_job(qtbot: Any, app_ctx: App, boxes: Boxes, parent: QWidget,
                                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.dialogs.importing as importing
    from ui.dialogs.importing import ImportDialog

    preview = importing.import_preview

    def slow_preview(*args: Any, cancelled: Callable[[], bool], **kwargs: Any) -> Any:
        for _ in range(500):  # still running when the clerk closes the window (however busy the machine)
            if cancelled():
                break
            threading.Event().wait(0.01)
        return preview(*args, cancelled=cancelled, **kwargs)

    monkeypatch.setattr(importing, "import_preview", slow_preview)
    path = messy_workbook(tmp_path / "花名册.xlsx")
    dlg = ImportDialog(parent, app_ctx, "workers", lambda: None)
    dlg.open()
    assert dlg.load_file(path).wait()
    job = dlg.run_preview()
    assert job is not None
    dlg.reject()  # the clerk closes the window while the preview runs
    assert dlg.isVisible() and job.token()
    assert job.wait()
    assert isinstance(job.error, Cancelled) and dlg.stack.currentIndex() == 0
    assert dlg.preview_button.isEnabled()
    dlg.reject()
    assert not dlg.isVisible()
    assert not boxes.crashes


def test_a_job_outliving_its_window_does_not_crash(qtbot: Any, boxes: Boxes) -> None:
    from ui.kit.jobs import Job

    window = QWidget()
    called: list[Any] = []
    gate = threading.Event()

    def slow(_p: Any, _c: Any) -> int:
        gate.wait(5)
        return 1

    job = Job(window, slow, called.append).with_progress("请稍候").run()
    window.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(window), timeout=5_000)
    gate.set()
    assert job.wait()
    assert called == [] and not boxes.crashes


def test_dialogs_without_a_parent_stay_open(qtbot: Any, app_ctx: App, boxes: Boxes) -> None:
    import gc

    from desktop import registry
    from ui.dialogs.exporting import ExportDialog, export_rows
    from ui.dialogs.reports import ReportDialog, open_report
    from ui.dialogs.settings import SettingsDialog, open_settings

    open_settings(None, app_ctx, lambda: None)
    export_rows(None, app_ctx, "organisations", None)
    open_report(None, app_ctx, registry.report("workers.roster"))
    gc.collect()
    qtbot.wait(10)
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for cls in (SettingsDialog, ExportDialog, ReportDialog):
        dlg = next(w for w in shown if isinstance(w, cls))
        dlg.reject()
    assert not boxes.crashes

