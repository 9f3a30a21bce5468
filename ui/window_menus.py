"""The main window's menus and what their actions do: each opens a dialog of ``ui.dialogs`` or
``ui.certificates`` (imported when used) and announces what changed through the window's one
``changed`` signal (``ui.kit.changes``), which every tab and page listens to.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from desktop import __version__
from desktop.accounts.roles import MANAGE_ACCOUNTS
from ui import icon

if TYPE_CHECKING:
    from desktop.context import App
    from ui.kit.tab import ProgrammeTab

log = logging.getLogger(__name__)


class WindowMenus:
    """Mixed into :class:`ui.main_window.MainWindow` (a QMainWindow): its menus and their slots."""

    app: App | None
    switch_database: Callable[[str], bool] | None
    reports_menu: QMenu

    if TYPE_CHECKING:  # provided by QMainWindow and MainWindow
        def tr(self, text: str) -> str: ...
        def menuBar(self) -> Any: ...
        def close(self) -> bool: ...
        def current_tab(self) -> ProgrammeTab | None: ...
        def reload_tabs(self) -> None: ...

    def _action(self, menu: QMenu, text: str, slot: Callable[[], object], icon_name: str = "",
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                needs_app: bool = True) -> QAction:
        action = QAction(text, self)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        action.setProperty("needs_app", needs_app)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("文件(&F)"))
        self.switch_action = self._action(file_menu, self.tr("切换数据库…"), self.choose_database, "database.svg",
                                          QKeySequence.StandardKey.Open, needs_app=False)
        self.settings_action = self._action(file_menu, self.tr("设置…"), self.open_settings, "settings.svg")
        self.switch_account_action = self._action(file_menu, self.tr("切换账户…"), self.switch_account)
        self.change_password_action = self._action(file_menu, self.tr("修改密码…"), self.change_password)
        file_menu.addSeparator()
        self._action(file_menu, self.tr("退出"), self.close, shortcut=QKeySequence.StandardKey.Quit,
                     needs_app=False)

        data = bar.addMenu(self.tr("数据(&D)"))
        self.import_workers_action = self._action(data, self.tr("导入职工…"), lambda: self.import_kind("workers"),
                                                  "import.svg")
        self.import_orgs_action = self._action(data, self.tr("导入单位…"),
                                               lambda: self.import_kind("organisations"), "import.svg")
        self.export_action = self._action(data, self.tr("导出当前列表…"), self.export_current, "export.svg")
        data.addSeparator()
        self.backup_action = self._action(data, self.tr("立即备份"), self.backup_now, "backup.svg")
        self.backup_folder_action = self._action(data, self.tr("备份到文件夹/U盘…"), self.backup_to_folder,
                                                 "backup.svg")
        self.restore_action = self._action(data, self.tr("从备份恢复…"), self.restore_backup, "restore.svg")
        data.addSeparator()
        self.audit_log_action = self._action(data, self.tr("操作日志…"), self.open_audit_log)
        self.audit_log_action.setProperty("ud_permission", MANAGE_ACCOUNTS)  # 管理员 only (greyed otherwise)

        self.reports_menu = bar.addMenu(self.tr("报表(&R)"))
        self.reports_menu.setEnabled(False)

        certificates = bar.addMenu(self.tr("证书(&C)"))
        self.certificate_centre_action = self._action(certificates, self.tr("证书中心…"), self.open_certificate_centre,
                                                      "report.svg")
        self._action(certificates, self.tr("发证登记簿…"), self.open_certificate_register)
        self._action(certificates, self.tr("证书查验…"), self.open_certificate_verify, "search.svg")
        certificates.addSeparator()
        self._action(certificates, self.tr("打印机校准…"), self.open_printer_calibration, needs_app=False)

        help_menu = bar.addMenu(self.tr("帮助(&H)"))
        self._action(help_menu, self.tr("关于工会工作台"), self.about, needs_app=False)

    def _build_reports_menu(self) -> None:
        self.reports_menu.clear()
        from desktop import registry

        try:
            specs = registry.reports()
        except Exception:  # a broken programme must not take the window down
            log.exception("listing reports failed")
            specs = []
        for spec in specs:
            action = self._action(self.reports_menu, spec.title + "…",
                                  lambda s=spec: self.open_report(s), "report.svg")
            action.setObjectName(f"report:{spec.key}")

    # ----------------------------------------------------------------- menu actions

    def choose_database(self) -> None:
        dialog = QFileDialog(self, self.tr("切换数据库：选择或新建数据库文件"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilters([self.tr("工会工作台数据库 (*.sqlite3 *.db)"), self.tr("所有文件 (*)")])
        if self.app is not None and self.app.db.path is not None:
            dialog.setDirectory(str(self.app.db.path.parent))
        if not dialog.exec():
            return
        files = dialog.selectedFiles()
        if files and self.switch_database is not None:
            self.switch_database(files[0])

    def open_settings(self) -> None:
        from ui.dialogs.settings import open_settings

        if self.app is not None:
            open_settings(self, self.app)  # announces what it changed

    def switch_account(self) -> None:
        from ui.accounts.window import switch_account

        switch_account(self)  # type: ignore[arg-type]

    def change_password(self) -> None:
        from ui.accounts.window import change_password

        change_password(self)  # type: ignore[arg-type]

    def import_kind(self, kind: str) -> None:
        from ui.dialogs.importing import open_import

        if self.app is not None:
            open_import(self, self.app, kind)  # announces what it imported

    def export_current(self) -> None:
        from ui.dialogs.exporting import export_rows

        tab = self.current_tab()
        if self.app is None or tab is None or tab.export_kind() is None:
            return
        export_rows(self, self.app, tab.export_kind(), tab.visible_ids())

    def backup_now(self) -> None:
        from ui.dialogs.backup import backup_now

        if self.app is not None:
            backup_now(self, self.app)

    def backup_to_folder(self) -> None:
        from ui.dialogs.backup import backup_to_folder

        if self.app is not None:
            backup_to_folder(self, self.app)

    def restore_backup(self) -> None:
        from ui.dialogs.backup import restore

        if self.app is not None:
            restore(self, self.app)  # announces that everything changed

    def open_audit_log(self) -> None:
        from ui.dialogs.audit_log import open_audit_log

        if self.app is not None and self.app.can(MANAGE_ACCOUNTS):
            open_audit_log(self, self.app)

    def open_report(self, spec: Any) -> None:
        from ui.dialogs.reports import open_report

        if self.app is not None:
            open_report(self, self.app, spec)

    def open_certificate_centre(self) -> None:
        from ui.certificates.centre import open_certificate_centre

        if self.app is not None:
            open_certificate_centre(self, self.app)

    def open_certificate_register(self) -> None:
        from ui.certificates.register import open_register

        if self.app is not None:
            open_register(self, self.app)

    def open_certificate_verify(self) -> None:
        from ui.certificates.register import open_verify

        if self.app is not None:
            open_verify(self, self.app)

    def open_printer_calibration(self) -> None:
        from ui.certificates.calibration import open_calibration

        open_calibration(self)

    def about(self) -> None:
        from desktop import paths

        database = self.app.display if self.app is not None else self.tr("（未打开）")
        text = self.tr(
            "<h3>工会工作台 %1</h3>"
            "<p>乡镇（街道）工会日常工作的离线桌面程序：职工与单位名册、各项工作台账、证书和报表。</p>"
            "<p>数据文件夹：<br>%2</p><p>当前数据库：<br>%3</p><p>日志文件：<br>%4</p>"
        ).replace("%1", __version__).replace("%2", str(paths.data_dir())).replace("%3", database) \
            .replace("%4", str(paths.log_file()))
        QMessageBox.about(self, self.tr("关于工会工作台"), text)

