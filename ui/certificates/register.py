"""发证登记簿 (the issue register: filter, 补打, 作废, 导出 Excel) and 证书查验 (verify a serial/code)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.certificates import register
from desktop.certificates.issuing import DEFAULT_PREFIX, format_serial
from desktop.certificates.signing import LOCKED_NOTICE
from desktop.certificates.sources import GENERAL
from desktop.changes import Done
from desktop.context import App
from desktop.jobs import Progress
from reports.spec import format_cell
from ui.dialogs.common import choose_save_file, keep_open, offer_open
from ui.kit.changes import announce, listen, perform
from ui.kit.jobs import Job

COLUMNS = register.SHOWN_COLUMNS
LIMIT = 20_000


def tr(text: str) -> str:
    return QCoreApplication.translate("CertificateRegister", text)


def programme_titles() -> dict[str, str]:
    from desktop import registry

    titles = {e.key: e.title for e in registry.entries()}
    titles["general"] = "名单"
    return titles


class RegisterModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self.programme_titles = programme_titles()

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if key == "status":
                return register.status_label(row)
            if key == "programme":
                return self.programme_titles.get(row[key], row[key])
            return format_cell(row.get(key))
        if role == Qt.ItemDataRole.ForegroundRole and row.get("voided_at"):
            return QColor("#9e9e9e") if key != "status" else QColor("#c62828")
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("printed_count", "date", "status", "programme"):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(COLUMNS[section][1])
        return None


class RegisterDialog(QDialog):
    """Every certificate issued; select rows to reprint or void them."""

    def __init__(self, parent: QWidget | None, app: App) -> None:
        super().__init__(parent)
        self.app = app
        self.job: Job | None = None
        self.setWindowTitle(tr("发证登记簿"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(1080, 620)

        self.search = QLineEdit()
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText(tr("按编号、姓名、单位、奖项或项目查找"))
        self.search.setClearButtonEnabled(True)
        self.year_combo = QComboBox()
        self.status_combo = QComboBox()
        for code, label in ((register.STATUS_ALL, "全部"), (register.STATUS_VALID, "有效"), (register.STATUS_VOID, "已作废")):
            self.status_combo.addItem(tr(label), code)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(QLabel(tr("年度：")))
        bar.addWidget(self.year_combo)
        bar.addWidget(QLabel(tr("状态：")))
        bar.addWidget(self.status_combo)
        bar.addWidget(self.count_label)

        self.model = RegisterModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((200, 70, 180, 70, 150, 60, 84, 64, 60)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: None)

        self.reprint_button = QPushButton(tr("补打…"))
        self.void_button = QPushButton(tr("作废…"))
        self.export_button = QPushButton(tr("导出 Excel…"))
        close = QPushButton(tr("关闭"))
        self.reprint_button.clicked.connect(lambda: self.reprint())
        self.void_button.clicked.connect(lambda: self.void_selected())
        self.export_button.clicked.connect(lambda: self.export())
        from desktop.accounts.roles import PRINT, WRITE
        from ui.accounts.permits import gate

        for button, permission in ((self.reprint_button, WRITE), (self.void_button, WRITE),
                                   (self.export_button, PRINT)):
            gate(button, permission, self.app)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for b in (self.reprint_button, self.void_button, self.export_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.year_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.status_combo.currentIndexChanged.connect(lambda _i: self.reload())
        listen(self, ("certificates",), lambda _changes: self._changed())
        self._fill_years()
        self.reload()

    def _changed(self) -> None:
        """The register changed (here, in the centre or in another window): show it."""
        year = self.year_combo.currentData()
        self._fill_years()
        self.year_combo.setCurrentIndex(max(self.year_combo.findData(year), 0))
        self.reload()

    def _fill_years(self) -> None:
        years = register.register_years(self.app)
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        self.year_combo.addItem(tr("全部"), None)
        for y in years:
            self.year_combo.addItem(str(y), y)
        self.year_combo.blockSignals(False)

    def current_filter(self) -> register.RegisterFilter:
        return register.RegisterFilter(text=self.search.text().strip(), year=self.year_combo.currentData(),
                                       status=str(self.status_combo.currentData() or register.STATUS_ALL))

    def reload(self) -> None:
        rows = register.find(self.app, self.current_filter(), limit=LIMIT)
        self.model.set_rows(rows)
        self.count_label.setText(tr("共 {0} 张").format(len(rows)))
        self._update_buttons()

    def selected(self) -> list[dict[str, Any]]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.rows[r] for r in rows]

    def select_serials(self, serials: list[str]) -> None:
        """Select rows by serial (tests, and after a search)."""
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for r, row in enumerate(self.model.rows):
            if row["serial"] in serials:
                self.table.selectRow(r)
        self.table.setSelectionMode(mode)

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.reprint_button.setEnabled(bool(chosen) and all(not r.get("voided_at") for r in chosen))
        self.void_button.setEnabled(len(chosen) == 1 and not chosen[0].get("voided_at"))

    def void_selected(self, reason: str | None = None) -> bool:
        chosen = self.selected()
        if len(chosen) != 1:
            return False
        row = chosen[0]
        if reason is None:
            text, ok = QInputDialog.getText(self, tr("作废证书"), tr("作废 {0}（{1}）的原因：").format(row["serial"], row["name"]))
            if not ok:
                return False
            reason = text
        certificate_id = int(row["id"])
        done = perform(lambda: register.void_certificate(self.app, certificate_id, reason), tr("未能作废"),
                       parent=self)
        return done is not None

    def reprint(self, path: Path | None = None) -> Job | None:
        """Print the selected certificates again to a PDF, with their serials."""
        chosen = self.selected()
        if not chosen:
            return None
        if path is None:
            path = choose_save_file(self, tr("补打证书"), f"补打证书-{date.today():%Y-%m-%d}.pdf", tr("PDF 文件 (*.pdf)"),
                                    ".pdf", "certificates")
            if path is None:
                return None
        ids = [int(r["id"]) for r in chosen]
        app, target = self.app, Path(path)

        def work(progress: Progress, cancelled: Callable[[], bool]) -> Done[Any]:
            return register.reprint(app, ids, target, progress, cancelled)

        def done(result: Done[Any]) -> None:
            announce(result.changes)
            text = tr("已补打 {0} 张证书（编号不变）：\n{1}").format(result.value.pages, target)
            if result.value.unsigned:  # the key ring is locked: no QR or code was printed
                text += "\n" + LOCKED_NOTICE
            offer_open(self, tr("补打完成"), text, target)

        self.job = Job(self, work, done).with_progress(tr("正在补打证书…"))
        return self.job.run()

    def export(self, path: Path | None = None) -> Job | None:
        if path is None:
            path = choose_save_file(self, tr("导出发证登记簿"), f"发证登记簿-{date.today():%Y-%m-%d}.xlsx",
                                    tr("Excel 工作簿 (*.xlsx)"), ".xlsx", "certificates")
            if path is None:
                return None
        app, target, flt = self.app, Path(path), self.current_filter()

        def work(progress: Progress, cancelled: Callable[[], bool]) -> int:
            return register.export(app, target, flt, progress, cancelled)

        def done(n: int) -> None:
            offer_open(self, tr("已导出"), tr("已导出 {0} 张证书的登记：\n{1}").format(n, target), target)

        self.job = Job(self, work, done).with_progress(tr("正在导出发证登记簿…"))
        return self.job.run()


class VerifyDialog(QDialog):
    """证书查验: a serial or a code (as on the certificate or read from its QR) against the register."""

    def __init__(self, parent: QWidget | None, app: App) -> None:
        super().__init__(parent)
        self.app = app
        self.setWindowTitle(tr("证书查验"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(520)
        self.edit = QLineEdit()
        example = format_serial(DEFAULT_PREFIX, date.today().year, GENERAL, 1) + ".K7QF2M"
        self.edit.setPlaceholderText(tr("输入证书编号或校验码，如 {0}").format(example))
        self.edit.returnPressed.connect(self.check)
        button = QPushButton(tr("查验"))
        button.setDefault(True)
        button.clicked.connect(self.check)
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(button)
        self.result = QLabel()
        font = QFont(self.result.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.result.setFont(font)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("证书编号或校验码：")))
        layout.addLayout(row)
        layout.addWidget(self.result)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        layout.addLayout(bottom)

    def check(self) -> register.Verdict | None:
        text = self.edit.text().strip()
        if not text:
            return None
        verdict = register.check(self.app, text)
        colour = "#2e7d32" if verdict.ok else "#c62828"
        self.result.setStyleSheet(f"color: {colour};")
        self.result.setText(verdict.message)
        self.detail.setText(verdict.detail().replace("；", "\n"))
        return verdict


def open_register(parent: QWidget | None, app: App) -> RegisterDialog:
    dlg = RegisterDialog(parent, app)
    keep_open(dlg).open()
    return dlg


def open_verify(parent: QWidget | None, app: App) -> VerifyDialog:
    dlg = VerifyDialog(parent, app)
    keep_open(dlg).open()
    return dlg
