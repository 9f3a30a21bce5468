"""The 操作日志 screen (管理员): filters, pages, the Excel export, refused without the permission."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from db import audit
from db.actor import Actor
from desktop import audit_log
from desktop.accounts.roles import PermissionDenied, SignedIn
from desktop.context import App
from tests.conftest import insert_handful


def _log_as(app: App, account: str, clerk: str, n: int) -> None:
    with app.db.session() as s:
        for i in range(n):
            audit.log(s, "reveal", "workers", i + 1, note="id_number", actor=Actor(clerk, "os", account))


@pytest.fixture
def logged(app_ctx: App) -> App:
    insert_handful(app_ctx)
    app_ctx.settings["_base"] = audit_log.query(app_ctx, audit_log.AuditFilter()).total  # keys, records
    _log_as(app_ctx, "lihua", "李华", 3)
    _log_as(app_ctx, "wangqiang", "王强", 250)
    return app_ctx


def test_queries_filter_by_account_person_record_and_date_newest_first(logged: App) -> None:
    page = audit_log.query(logged, audit_log.AuditFilter(account="lihua"))
    assert page.total == 3 and [r[3] for r in page.table.rows] == ["lihua"] * 3
    assert [r[4] for r in page.table.rows] == ["查看完整号码"] * 3
    seqs = [r[0] for r in page.table.rows]
    assert seqs == sorted(seqs, reverse=True)
    assert audit_log.query(logged, audit_log.AuditFilter(clerk="王")).total == 250
    total = logged.settings["_base"] + 253
    whole = audit_log.query(logged, audit_log.AuditFilter())
    assert whole.total == total and len(whole.table.rows) == audit_log.PAGE
    assert len(audit_log.query(logged, audit_log.AuditFilter(), offset=200).table.rows) == total - 200
    one = audit_log.query(logged, audit_log.AuditFilter(table="workers", record_id=2))
    assert one.total == 3 and all(r[5].endswith(" #2") for r in one.table.rows)  # insert + two reveals
    inserted = [r for r in one.table.rows if r[4] == "新增"]
    assert inserted and "身份证号：" in inserted[0][7] and "*" in inserted[0][7]  # labels, masked number
    tomorrow = date.today() + timedelta(days=1)
    assert audit_log.query(logged, audit_log.AuditFilter(since=tomorrow)).total == 0
    assert audit_log.query(logged, audit_log.AuditFilter(until=tomorrow)).total == total
    assert audit_log.accounts(logged) == ["lihua", "wangqiang"]


def test_a_clerk_without_the_permission_is_refused(logged: App, qapp: Any,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    logged.has_accounts = True
    logged.user = SignedIn(2, "wangqiang", "王强", "clerk")
    with pytest.raises(PermissionDenied) as info:
        audit_log.query(logged, audit_log.AuditFilter())
    assert info.value.message == "当前账户没有权限查看操作日志。"
    from ui.dialogs.audit_log import open_audit_log

    shown: list[str] = []
    import ui.dialogs.audit_log as screen

    monkeypatch.setattr(screen.QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    assert open_audit_log(None, logged) is None and shown == ["当前账户没有权限查看操作日志。"]


def test_export_writes_the_filtered_log(logged: App, tmp_path: Path) -> None:
    target = tmp_path / "操作日志.xlsx"
    assert audit_log.export_xlsx(logged, audit_log.AuditFilter(account="lihua"), target) == 3
    ws = load_workbook(target).active
    values = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
    assert any("lihua" in row for row in values) and not any("wangqiang" in row for row in values)
    assert any("账户" in row and "操作" in row for row in values)
    exported = audit_log.query(logged, audit_log.AuditFilter(table="audit_log"))
    assert exported.total == 1 and exported.table.rows[0][4] == "导出"


def test_the_screen_filters_by_account(qtbot: Any, look: None, logged: App, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import Qt

    from ui.dialogs.audit_log import AuditLogDialog

    dlg = AuditLogDialog(None, logged)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.model.rowCount() == audit_log.PAGE and dlg.next_button.isEnabled()
    qtbot.mouseClick(dlg.next_button, Qt.MouseButton.LeftButton)
    assert dlg.model.rowCount() == logged.settings["_base"] + 53 and not dlg.next_button.isEnabled()
    dlg.account_combo.setCurrentText("lihua")
    qtbot.keyClick(dlg.clerk_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.model.rowCount() == 3)
    assert {dlg.model.value(r, 3) for r in range(3)} == {"lihua"}
    assert dlg.model.headerData(4, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) == "操作"
    assert "共 3 条" in dlg.count_label.text() and not dlg.prev_button.isEnabled()
    dlg.grab().save(str(tmp_path.parent / "audit_log_screen.png"))
    import ui.dialogs.audit_log as screen

    shown: list[str] = []
    monkeypatch.setattr(screen, "offer_open", lambda _p, _t, text, _path: shown.append(text))
    job = dlg.export_to(tmp_path / "lihua.xlsx")
    assert job.wait()
    assert (tmp_path / "lihua.xlsx").is_file() and shown == ["已导出 3 条操作日志到 lihua.xlsx"]


def test_the_menu_offers_the_screen_only_to_an_administrator(qtbot: Any, logged: App) -> None:
    from ui.accounts.permits import allowed
    from ui.main_window import MainWindow

    window = MainWindow(logged) if _takes_app(MainWindow) else MainWindow()
    qtbot.addWidget(window)
    assert allowed(window.audit_log_action, logged)
    logged.has_accounts = True
    logged.user = SignedIn(2, "wangqiang", "王强", "clerk")
    assert not allowed(window.audit_log_action, logged)
    logged.user = SignedIn(1, "admin", "管理员", "admin")
    assert allowed(window.audit_log_action, logged)


def _takes_app(cls: type) -> bool:
    import inspect

    return "app" in inspect.signature(cls.__init__).parameters
