"""The first-run wizard: township, union name, issuer and, if wanted, the demo data.

Shown once, by :class:`ui.app.Starter` at the first interactive start on a database that has
no union name yet. Whether it appears is decided by :func:`wizard_wanted`, a pure function:
never on the ``offscreen`` or ``minimal`` Qt platforms (tests, ``screenshot``, benchmarks),
never with ``UNIONDESK_NO_WIZARD`` or ``UNIONDESK_PROBE`` set, never once the database has a
union name, and never again on this computer after the clerk chose 以后再说 (a QSettings flag,
not written when ``UNIONDESK_NO_QSETTINGS`` is set). The CLI never reaches this module.

Labels and help come from :data:`desktop.settings.SETTINGS`; the values are cleaned and stored
by ``App.save_settings`` (one transaction, audit-logged), the same way the settings dialog
stores them, so 设置 can change them later; when the wizard closes it announces that everything
changed (``ui.kit.changes``) and every view refreshes itself. The demo data is
written by :func:`desktop.demo.create` on the job thread behind the usual progress dialog,
after a backup when the database already holds records (as ``demo --force`` does), holding the
database's exclusive lock: refused, naming the holder, while another program has it open.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from db.errors import DatabaseProblem, ValidationError
from desktop.changes import Changes
from desktop.context import App
from desktop.jobs import Cancelled, Progress
from desktop.reads import record_count
from desktop.settings import BY_KEY
from ui.dialogs.common import error_label, field_box, hint_label, keep_open, show_error
from ui.kit.changes import announce
from ui.kit.headed_dialog import accept_reject, headed_layout
from ui.kit.job_dialog import JobDialog
from ui.kit.jobs import Job

log = logging.getLogger(__name__)

#: The settings the wizard asks for, in the order shown.
FIELDS = ("township", "union_name", "issuer")
#: Qt platforms without a screen a clerk looks at: tests, ``screenshot``, benchmarks.
HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal"})
#: Environment variables that keep the wizard away.
NO_WIZARD_ENV = ("UNIONDESK_NO_WIZARD", "UNIONDESK_PROBE")
#: The QSettings key remembering 以后再说 on this computer.
DISMISSED_KEY = "first_run/dismissed"
#: Workers in the demo data (the CLI's default); tests make it smaller.
DEMO_SIZE = 2000
UNION_SUFFIX = "总工会"


def tr(text: str) -> str:
    return QCoreApplication.translate("FirstRunWizard", text)


# --------------------------------------------------------------------------- the decision


def wizard_wanted(platform_name: str, environ: Mapping[str, str], settings_values: Mapping[str, Any],
                  already_dismissed: bool) -> bool:
    """Whether the first-run wizard should appear (pure: everything it reads is passed in)."""
    if platform_name.strip().lower() in HEADLESS_PLATFORMS:
        return False
    if any(environ.get(name) for name in NO_WIZARD_ENV):
        return False
    if str(settings_values.get("union_name") or "").strip():
        return False
    return not already_dismissed


def _use_qsettings() -> bool:
    return not os.environ.get("UNIONDESK_NO_QSETTINGS")


def _qsettings() -> QSettings:
    """Where the flag lives (tests replace this with a temporary .ini)."""
    return QSettings("UnionDesk", "UnionDesk")


def was_dismissed() -> bool:
    """The clerk chose 以后再说 on this computer before (never true without QSettings)."""
    if not _use_qsettings():
        return False
    return bool(_qsettings().value(DISMISSED_KEY, False, type=bool))


def remember_dismissed() -> None:
    """Do not offer the wizard again on this computer (nothing written without QSettings)."""
    if not _use_qsettings():
        return
    store = _qsettings()
    store.setValue(DISMISSED_KEY, True)
    store.sync()


def suggested_union_name(township: str) -> str:
    """``{township}总工会`` (empty without a township; no second 总工会)."""
    town = township.strip()
    if not town:
        return ""
    return town if town.endswith(UNION_SUFFIX) else town + UNION_SUFFIX


def problems(values: Mapping[str, str]) -> dict[str, str]:
    """The wizard's own check, before ``SettingDef.clean`` (lengths): the union name is required."""
    if values.get("union_name", "").strip():
        return {}
    return {"union_name": tr("请填写{0}，它会印在证书和报表上。").format(BY_KEY["union_name"].label)}


def offer_first_run(parent: QWidget | None, app: App,
                    on_done: Callable[[], object] | None = None) -> FirstRunWizard | None:
    """Open the wizard (not blocking: ``open()``) if :func:`wizard_wanted` says so."""
    wanted = wizard_wanted(QGuiApplication.platformName(), os.environ, app.settings, was_dismissed())
    if not wanted:
        return None
    log.info("no union name yet: showing the first-run wizard")
    dlg = FirstRunWizard(parent, app, on_done)
    keep_open(dlg).open()
    return dlg


def load_demo(app: App, size: int, progress: Progress, cancelled: Callable[[], bool]) -> dict[str, int]:
    """The demo data (job thread): a backup first if the database holds records, then one transaction."""
    from desktop import demo

    def report(done: int, total: int, what: str = "") -> None:
        if cancelled():
            raise Cancelled  # inside demo.create's transaction: rolled back, nothing written
        progress(done, total, what)

    if cancelled():
        raise Cancelled
    return demo.replace(app, size, report)


# --------------------------------------------------------------------------- the dialog


class FirstRunWizard(JobDialog):
    """欢迎使用工会工作台: three fields, the demo checkbox, 以后再说 / 完成."""

    def __init__(self, parent: QWidget | None, app: App, on_done: Callable[[], object] | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.on_done = on_done
        self.saved = False
        self._union_follows_township = True
        self.setObjectName("firstRunWizard")
        self.setWindowTitle(tr("欢迎使用工会工作台"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(640)
        self.existing_records = self._count_records()


        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(6)
        for key in FIELDS:
            self._add_field(form, key)
        self.township_edit = self.edits["township"]
        self.union_edit = self.edits["union_name"]
        self.issuer_edit = self.edits["issuer"]
        self._prefill()
        self.township_edit.textChanged.connect(self._township_changed)
        self.union_edit.textEdited.connect(self._union_edited)
        self.union_edit.textChanged.connect(self._union_changed)
        self._union_changed(self.union_edit.text())

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        self.demo_box = QCheckBox(tr("载入演示数据"))
        self.demo_box.setObjectName("loadDemo")
        self.demo_box.setChecked(False)
        self.demo_help = hint_label(tr("演示数据中的单位、职工和工作记录都是虚构的，取材于报刊公开报道，"
                                       "只供试用和熟悉软件。\n以后可以换成本单位的真实数据："
                                       "用“文件 → 切换数据库…”新建一个数据库即可。"))
        self.demo_help.setContentsMargins(22, 0, 0, 0)  # under the checkbox's text, not its box
        self.demo_warning = QLabel(tr("注意：数据库中已有 {0} 条记录，载入演示数据会先自动备份，再替换全部记录。")
                                   .format(f"{self.existing_records:,}"))
        self.demo_warning.setWordWrap(True)
        self.demo_warning.setStyleSheet("color: #b71c1c; font-size: 90%;")
        self.demo_warning.setContentsMargins(22, 0, 0, 0)
        self.demo_warning.setVisible(bool(self.existing_records))

        buttons, self.finish_button, self.later_button = accept_reject(tr("完成"), tr("以后再说"), self.finish,
                                                                       self.reject)
        self.later_button.setToolTip(tr("不保存任何内容；以后可以在“文件 → 设置…”中填写"))
        layout, _intro = headed_layout(self, tr("欢迎使用工会工作台"),
                                       tr("请先填写本工会的基本信息，它们会印在证书和报表上。\n"
                                          "以后可以随时在“文件 → 设置…”中修改。"))
        layout.addLayout(form)
        layout.addWidget(line)
        layout.addWidget(self.demo_box)
        layout.addWidget(self.demo_help)
        layout.addWidget(self.demo_warning)
        layout.addStretch(1)
        layout.addSpacing(8)
        layout.addWidget(buttons)
        self.township_edit.setFocus()

    # -- building -----------------------------------------------------------------------------

    def _add_field(self, form: QFormLayout, key: str) -> None:
        definition = BY_KEY[key]
        edit = QLineEdit()
        edit.setObjectName(key)
        edit.setMaxLength(BY_KEY[key].max_length * 2)  # room to show the length message rather than cut silently
        error = error_label()
        error.setObjectName("fieldError")
        notes = [hint_label(tr(definition.help))] if definition.help else []
        box = field_box(edit, *notes, error, bottom=4)
        text = tr(definition.label) + tr("：")
        if key == "union_name":
            text = "<span style='color:#c62828'>*</span> " + text
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setBuddy(edit)
        label.setFixedHeight(edit.sizeHint().height())  # level with the editor, not its help
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(label, box)
        edit.textChanged.connect(lambda _t, e=error: show_error(e, None))
        self.edits[key] = edit
        self.errors[key] = error

    def _prefill(self) -> None:
        """Whatever the database already has (a township set in 设置, say)."""
        current = self.app.settings
        for key in FIELDS:
            self.edits[key].setText(str(current.get(key) or ""))
        if self.union_edit.text().strip():
            self._union_follows_township = False
        elif self.township_edit.text().strip():
            self.union_edit.setText(suggested_union_name(self.township_edit.text()))

    def _count_records(self) -> int:
        try:
            return record_count(self.app)
        except DatabaseProblem:
            log.exception("counting records for the first-run wizard failed")
            return 0

    # -- live behaviour -----------------------------------------------------------------------

    def _township_changed(self, text: str) -> None:
        if self._union_follows_township:
            self.union_edit.setText(suggested_union_name(text))

    def _union_edited(self, text: str) -> None:
        """The clerk typed in the union name: stop suggesting (unless they emptied it again)."""
        self._union_follows_township = not text.strip()

    def _union_changed(self, text: str) -> None:
        name = text.strip()
        self.issuer_edit.setPlaceholderText(name or tr("与工会名称相同"))

    # -- values -------------------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        """What would be stored: the issuer left empty is the union name."""
        found = {key: self.edits[key].text().strip() for key in FIELDS}
        if not found["issuer"]:
            found["issuer"] = found["union_name"]
        return found

    def validate(self) -> dict[str, Any] | None:
        """Cleaned values that differ from the database, or None (messages shown under the fields)."""
        raw = self.values()
        found = problems(raw)
        cleaned: dict[str, Any] = {}
        for key in FIELDS:
            if key in found:
                continue
            try:
                cleaned[key] = BY_KEY[key].clean(raw[key])
            except ValidationError as exc:
                found[key] = exc.message
        for key in FIELDS:
            show_error(self.errors[key], found.get(key))
        if found:
            self.edits[next(k for k in FIELDS if k in found)].setFocus()
            return None
        current = self.app.settings
        return {k: v for k, v in cleaned.items() if v != current.get(k, BY_KEY[k].default)}

    # -- finishing ----------------------------------------------------------------------------

    def finish(self) -> bool:
        """完成: check, store the settings (one transaction), then load the demo data if ticked."""
        if self.job is not None:
            return False
        values = self.validate()
        if values is None:
            return False
        demo = self.demo_box.isChecked()
        if demo and self.existing_records and QMessageBox.question(
                self, tr("载入演示数据"),
                tr("数据库中已有 {0} 条记录。载入演示数据会先自动备份，再用演示数据替换全部记录。\n\n要继续吗？")
                .format(f"{self.existing_records:,}"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.app.save_settings(values)
        except (DatabaseProblem, ValidationError) as exc:
            QMessageBox.warning(self, tr("未能保存"), exc.message)
            return False
        self.saved = True
        if not demo:
            self._done()
            return True
        self.later_button.setEnabled(False)
        self.finish_button.setEnabled(False)
        self.demo_box.setEnabled(False)
        size = DEMO_SIZE
        job = Job(self, lambda p, c: load_demo(self.app, size, p, c)).with_progress(tr("正在载入演示数据…"))
        job.finished.connect(self._done)
        self.start(job)
        return True

    def _done(self) -> None:
        """Settings stored (and the demo job over, however it ended): close, tell every view."""
        self.app.reload_settings()  # demo.create fills settings the clerk left empty
        self.accept()
        announce(Changes.everything())
        from ui.accounts.account_step import offer_account_step

        self.account_step = offer_account_step(self.parentWidget(), self.app)  # the administrator, or 不设密码
        if self.on_done is not None:
            self.on_done()

    def reject(self) -> None:
        """以后再说 (or Esc, or the close box): nothing stored, not offered again on this computer.
        Once the settings are stored it does nothing: the demo job (if any) closes the wizard."""
        if self.saved:
            return
        remember_dismissed()
        super().reject()
