"""The settings dialog, rendered from ``desktop.settings.SETTINGS`` and the choice lists.

Nothing here lists a setting by name: each :class:`~desktop.settings.SettingDef` becomes a
line edit, a spin box, a checkbox or a file chooser with its help text (wrapped, never cut) and
an inline error from ``SettingDef.clean``; the settings scroll, the buttons stay. The 选项 tab
edits the labels of every choice list: codes stay (rules compare codes), labels may be renamed,
options added. Everything is saved by ``App.save_settings`` (one transaction, audit-logged), and
the change is announced (``ui.kit.changes``): every view refreshes itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.choices import CHOICES
from db.errors import DatabaseProblem, ValidationError
from db.fields import describe
from desktop.changes import Changes
from desktop.context import App
from desktop.settings import SETTINGS, SettingDef
from ui.dialogs.common import (
    error_label,
    field_box,
    hint_label,
    keep_open,
    last_folder,
    remember_folder,
    show_error,
)
from ui.kit.changes import announce
from ui.kit.screen import scroller

FILE_FILTER = "图片文件 (*.png *.jpg *.jpeg *.bmp);;所有文件 (*)"
CUSTOM_PREFIX = "custom_"


def tr(text: str) -> str:
    return QCoreApplication.translate("SettingsDialog", text)


def open_settings(parent: QWidget | None, app: App, on_done: Callable[[], object] | None = None) -> None:
    """Edit the settings; on 保存 they are stored and read back, the change is announced, then
    ``on_done()`` runs (optional)."""
    dlg = SettingsDialog(parent, app, on_done)
    keep_open(dlg).open()


def choice_list_names() -> dict[str, str]:
    """Each choice list's Chinese name: the label of the first field that uses it."""
    names: dict[str, str] = {}
    try:
        from desktop import registry

        models = [m for p in registry.programmes() for m in p.models]
    except Exception:
        from desktop.importing.importer import MODELS

        models = list(MODELS.values())
    for model in models:
        for col in describe(model):
            if col.field.choices:
                names.setdefault(col.field.choices, col.label)
    return {key: names.get(key, key) for key in CHOICES}


def next_custom_code(codes: list[str]) -> str:
    used = {int(c[len(CUSTOM_PREFIX):]) for c in codes
            if c.startswith(CUSTOM_PREFIX) and c[len(CUSTOM_PREFIX):].isdigit()}
    n = 1
    while n in used:
        n += 1
    return f"{CUSTOM_PREFIX}{n}"


class _FileField(QWidget):
    def __init__(self, definition: SettingDef) -> None:
        super().__init__()
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(tr("未选择"))
        choose = QPushButton(tr("选择…"))
        choose.clicked.connect(self.choose)
        clear = QPushButton(tr("清除"))
        clear.clicked.connect(self.edit.clear)
        self.definition = definition
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(choose)
        row.addWidget(clear)

    def choose(self) -> None:
        start = self.edit.text().strip() or str(last_folder("settings"))
        name, _ = QFileDialog.getOpenFileName(self, tr("选择{0}").format(self.definition.label), start, tr(FILE_FILTER))
        if name:
            remember_folder("settings", Path(name))
            self.edit.setText(name)


class _ChoiceTable(QTableWidget):
    """One choice list: code (read-only) and label (editable)."""

    def __init__(self, name: str, labels: dict[str, str]) -> None:
        super().__init__(0, 2)
        self.name = name
        self.defaults = dict(CHOICES[name])
        self.setHorizontalHeaderLabels([tr("代码（不可改）"), tr("显示名称")])
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.SelectedClicked)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        for code, label in labels.items():
            self.add(code, label)
        self.original = self.labels()

    def add(self, code: str, label: str = "") -> int:
        r = self.rowCount()
        self.insertRow(r)
        code_item = QTableWidgetItem(code)
        code_item.setFlags(code_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        code_item.setForeground(QColor("#777777"))
        if code in self.defaults:
            code_item.setToolTip(tr("默认名称：{0}").format(self.defaults[code]))
        self.setItem(r, 0, code_item)
        self.setItem(r, 1, QTableWidgetItem(label))
        return r

    def add_new(self) -> str:
        code = next_custom_code([self.item(r, 0).text() for r in range(self.rowCount())])
        r = self.add(code)
        self.setCurrentCell(r, 1)
        self.editItem(self.item(r, 1))
        return code

    def restore_defaults(self) -> None:
        for r in range(self.rowCount()):
            code = self.item(r, 0).text()
            if code in self.defaults:
                self.item(r, 1).setText(self.defaults[code])

    def labels(self) -> dict[str, str]:
        return {self.item(r, 0).text(): self.item(r, 1).text().strip() for r in range(self.rowCount())}

    def set_label(self, code: str, label: str) -> None:
        for r in range(self.rowCount()):
            if self.item(r, 0).text() == code:
                self.item(r, 1).setText(label)

    def problem(self) -> str | None:
        seen: dict[str, str] = {}
        for code, label in self.labels().items():
            shown = label or self.defaults.get(code, "")
            if not shown:
                continue  # a new option left empty is simply not added
            if shown in seen:
                return tr("“{0}”用了两次（{1} 和 {2}），同一列表中的名称不能重复。").format(shown, seen[shown], code)
            seen[shown] = code
        return None

    def to_save(self) -> dict[str, str]:
        """Labels as save_choice_labels wants them: an emptied default label goes back to its default."""
        return {code: label or self.defaults.get(code, "") for code, label in self.labels().items() if label
                or code in self.defaults}


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None, app: App, on_done: Callable[[], object] | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.on_done = on_done
        self.setWindowTitle(tr("设置"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(680, 600)
        self.editors: dict[str, tuple[Callable[[], Any], Callable[[Any], None], QLabel]] = {}

        self.tabs = QTabWidget()
        self.tabs.addTab(self._general_tab(), tr("常规"))
        self.tabs.addTab(self._choices_tab(), tr("选项"))
        from ui.dialogs.holiday_page import HolidayPage

        self.holiday_page = HolidayPage(app)  # the working-day calendar (公示期)
        self.tabs.addTab(self.holiday_page, tr("节假日"))
        from ui.dialogs.font_settings import FontPage

        self.font_page = FontPage(app)
        self.tabs.addTab(scroller(self.font_page), tr("字体"))
        from desktop.accounts.roles import MANAGE_ACCOUNTS

        self.accounts_page = None
        if app.can(MANAGE_ACCOUNTS):  # administrators (or a database without accounts)
            from ui.accounts.page import AccountsPage

            self.accounts_page = AccountsPage(app)
            self.tabs.addTab(self.accounts_page, tr("账户"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

    # -- 常规 ---------------------------------------------------------------------------------

    def _general_tab(self) -> QWidget:
        page = QWidget()
        scroll = scroller(page)  # a small screen scrolls the settings; 保存 and 取消 stay in view
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        form = QFormLayout(page)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        # Every field's box (editor, note, error) takes the whole width: the notes wrap there.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(4)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        current = self.app.settings
        for d in SETTINGS:
            editor, getter, setter = self._editor(d)
            setter(current.get(d.key, d.default))
            error = error_label()
            notes = [hint_label(d.help)] if d.help else []
            box = field_box(editor, *notes, error, bottom=6)
            label = QLabel(d.label + "：")
            label.setBuddy(editor)
            # Level with the editor, not with the middle of editor + help + error.
            label.setFixedHeight(editor.sizeHint().height())
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            form.addRow(label, box)
            self.editors[d.key] = (getter, setter, error)
        return scroll

    def _editor(self, d: SettingDef) -> tuple[QWidget, Callable[[], Any], Callable[[Any], None]]:
        if d.kind == "bool":
            check = QCheckBox(tr("在证书上印校验码和二维码") if d.key == "certificate_verify" else d.label)
            check.setObjectName(d.key)
            return check, lambda: 1 if check.isChecked() else 0, lambda v: check.setChecked(bool(d.clean(v)))
        if d.kind == "int":
            spin = QSpinBox()
            spin.setRange(d.minimum, d.maximum)
            spin.setMaximumWidth(140)
            spin.setObjectName(d.key)

            def set_int(v: Any) -> None:
                try:
                    spin.setValue(int(v))
                except (TypeError, ValueError):
                    spin.setValue(int(d.default))

            return spin, spin.value, set_int
        if d.kind == "file":
            chooser = _FileField(d)
            chooser.setObjectName(d.key)
            return chooser, chooser.edit.text, lambda v: chooser.edit.setText("" if v is None else str(v))
        edit = QLineEdit()
        edit.setObjectName(d.key)
        if d.help:
            edit.setToolTip(d.help)
        return edit, edit.text, lambda v: edit.setText("" if v is None else str(v))

    # -- 选项 ---------------------------------------------------------------------------------

    def _choices_tab(self) -> QWidget:
        page = QWidget()
        intro = QLabel(tr("可以修改选项的显示名称或添加新选项。代码用于程序内部判断，不能修改；"
                          "已有的选项不能删除（已录入的数据仍在使用）。"))
        intro.setWordWrap(True)
        self.choice_names = choice_list_names()
        self.choice_error = error_label()
        self.choice_list = QListWidget()
        self.choice_list.setMaximumWidth(150)
        self.choice_list.setSpacing(2)
        self.choice_stack = QStackedWidget()
        self.choice_tables: dict[str, _ChoiceTable] = {}
        labels = self.app.labels()
        for key in CHOICES:
            self.choice_list.addItem(self.choice_names[key])
            table = _ChoiceTable(key, labels.get(key, dict(CHOICES[key])))
            self.choice_tables[key] = table
            self.choice_stack.addWidget(table)
            table.itemChanged.connect(lambda _item: show_error(self.choice_error, None))
        self.choice_list.currentRowChanged.connect(self.choice_stack.setCurrentIndex)
        self.choice_list.setCurrentRow(0)
        self.add_choice_button = add = QPushButton(tr("添加选项"))
        add.clicked.connect(lambda: self.current_choice_table().add_new())
        defaults = QPushButton(tr("恢复默认名称"))
        defaults.clicked.connect(lambda: self.current_choice_table().restore_defaults())
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(defaults)
        buttons.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.choice_stack, 1)
        right.addLayout(buttons)
        right.addWidget(self.choice_error)
        body = QHBoxLayout()
        body.addWidget(self.choice_list)
        body.addLayout(right, 1)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addLayout(body, 1)
        return page

    def current_choice_table(self) -> _ChoiceTable:
        return self.choice_tables[list(CHOICES)[max(self.choice_list.currentRow(), 0)]]

    def select_choice_list(self, key: str) -> _ChoiceTable:
        self.choice_list.setCurrentRow(list(CHOICES).index(key))
        return self.choice_tables[key]

    # -- saving -------------------------------------------------------------------------------

    def set_value(self, key: str, value: Any) -> None:
        self.editors[key][1](value)

    def validate(self) -> dict[str, Any] | None:
        """Cleaned values of the settings that changed, or None (errors shown inline)."""
        changed: dict[str, Any] = {}
        first_error: int | None = None
        for d in SETTINGS:
            getter, _setter, error = self.editors[d.key]
            try:
                value = d.clean(getter())
                current = self.app.settings.get(d.key, d.default)
                # an unchanged seal path may be gone (a new computer): its copy is in the database
                if d.kind == "file" and value and value != current and not Path(value).is_file():
                    raise ValidationError("setting_invalid", tr("找不到文件：{0}").format(value))
            except ValidationError as exc:
                show_error(error, exc.message)
                first_error = 0 if first_error is None else first_error
                continue
            show_error(error, None)
            if value != self.app.settings.get(d.key, d.default):
                changed[d.key] = value
        for key, table in self.choice_tables.items():
            problem = table.problem()
            if problem:
                show_error(self.choice_error, f"{self.choice_names[key]}：{problem}")
                if first_error is None:
                    first_error = 1
                    self.select_choice_list(key)
                break
        else:
            show_error(self.choice_error, None)
        if first_error is not None:
            self.tabs.setCurrentIndex(first_error)
            return None
        return changed

    def save(self) -> bool:
        values = self.validate()
        if values is None:
            return False
        holidays = self.holiday_page.is_changed()
        if holidays and self.holiday_page.check() is None:  # the row at fault is named on the page
            self.tabs.setCurrentWidget(self.holiday_page)
            return False
        lists = {key: t.to_save() for key, t in self.choice_tables.items() if t.labels() != t.original}
        try:
            changes = self.holiday_page.save() if holidays else Changes()
            changes = self.app.save_settings(values, lists) | changes
            self.font_page.save()  # font.<role>: the family per role
        except (DatabaseProblem, ValidationError) as exc:
            QMessageBox.warning(self, tr("未能保存"), exc.message)
            return False
        self.accept()
        announce(changes)
        if self.on_done is not None:
            self.on_done()
        return True
