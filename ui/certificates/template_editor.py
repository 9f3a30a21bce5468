"""A simple certificate template editor: pick a field, move and size its box (mm), change its
font role, size, alignment and text; save the result as a new template in the data folder.

It edits a copy of the template and emits ``changed`` with it after each edit (the certificate
centre re-renders its preview); ``saved`` carries the key of a template written to
``desktop.paths.templates_dir()``.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from PySide6.QtCore import QCoreApplication, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import paths
from reports.certificates.model import FIELD_LABELS
from reports.certificates.variables import SAMPLE_RECORD, VARIABLES, value_of

ROLES = (("title", "标题字体（黑体/楷体）"), ("name", "姓名字体（楷体）"), ("body", "正文字体（宋体/仿宋）"))
ALIGNS = (("left", "左对齐"), ("center", "居中"), ("right", "右对齐"), ("justify", "两端对齐"))


def tr(text: str) -> str:
    return QCoreApplication.translate("TemplateEditor", text)


def _mm_spin(maximum: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(0.0, maximum)
    spin.setDecimals(1)
    spin.setSingleStep(1.0)
    spin.setSuffix(" mm")
    return spin


def new_key(title: str, taken: set[str]) -> str:
    """A file-safe key for a saved template: ``my_1``, ``my_2``... (the title stays Chinese)."""
    base = re.sub(r"[^A-Za-z0-9_-]+", "_", title).strip("_")[:40] or "my"
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}_{n}"
    return key


class TemplateEditor(QWidget):
    changed = Signal(object)  # the edited Template
    saved = Signal(str)  # key of the template saved
    #: The box of the field being edited as fractions of the page (x, y, w, h), or None.
    field_box = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templateEditor")
        self.setMinimumWidth(300)
        self.key = ""
        self.original: Any = None
        self.template: Any = None
        self.dirty = False

        self.heading = QLabel(tr("调整版式"))
        self.heading.setObjectName("pageSubheading")
        self.fields = QListWidget()
        self.fields.setMaximumHeight(180)
        self.fields.currentRowChanged.connect(self._field_chosen)

        self.text_edit = QPlainTextEdit()
        self.text_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.placeholder_combo = QComboBox()
        self.placeholder_combo.addItem(tr("插入占位符…"), None)
        self.x_spin, self.y_spin = _mm_spin(2000), _mm_spin(2000)
        self.w_spin, self.h_spin = _mm_spin(2000), _mm_spin(2000)
        for spin in (self.w_spin, self.h_spin):
            spin.setMinimum(1.0)
        self.size_spin = QDoubleSpinBox()
        self.size_spin.setRange(4.0, 200.0)
        self.size_spin.setDecimals(1)
        self.size_spin.setSuffix(tr(" 磅"))
        self.role_combo = QComboBox()
        for code, label in ROLES:
            self.role_combo.addItem(tr(label), code)
        self.align_combo = QComboBox()
        for code, label in ALIGNS:
            self.align_combo.addItem(tr(label), code)

        form = QFormLayout()
        form.addRow(tr("文字："), self.text_edit)
        form.addRow("", self.placeholder_combo)
        pos = QHBoxLayout()
        pos.addWidget(QLabel("X"))
        pos.addWidget(self.x_spin)
        pos.addWidget(QLabel("Y"))
        pos.addWidget(self.y_spin)
        form.addRow(tr("位置："), pos)
        size = QHBoxLayout()
        size.addWidget(QLabel(tr("宽")))
        size.addWidget(self.w_spin)
        size.addWidget(QLabel(tr("高")))
        size.addWidget(self.h_spin)
        form.addRow(tr("框大小："), size)
        form.addRow(tr("字号："), self.size_spin)
        form.addRow(tr("字体："), self.role_combo)
        form.addRow(tr("对齐："), self.align_combo)
        hint = QLabel(tr("位置是文字框左上角到纸张左上角的距离。文字放不下时自动缩小、换行。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666; font-size: 90%;")

        self.revert_button = QPushButton(tr("还原"))
        self.save_button = QPushButton(tr("另存为新模板…"))
        self.revert_button.clicked.connect(self.revert)
        self.save_button.clicked.connect(lambda: self.save_as())
        buttons = QHBoxLayout()
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.fields)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.text_edit.textChanged.connect(self.apply)
        self.placeholder_combo.activated.connect(self._insert_placeholder)
        for spin in (self.x_spin, self.y_spin, self.w_spin, self.h_spin, self.size_spin):
            spin.valueChanged.connect(lambda _v: self.apply())
        self.role_combo.currentIndexChanged.connect(lambda _i: self.apply())
        self.align_combo.currentIndexChanged.connect(lambda _i: self.apply())
        self._fill_placeholders()
        self._set_enabled(False)

    def _fill_placeholders(self) -> None:
        """One item per placeholder of the variables registry; its tooltip shows the sample's value."""
        for v in VARIABLES:
            self.placeholder_combo.addItem(f"{v.label}  {{{v.key}}}", v.key)
            sample = value_of(v.key, SAMPLE_RECORD)
            if sample:
                self.placeholder_combo.setItemData(self.placeholder_combo.count() - 1, tr("例：{0}").format(sample),
                                                   Qt.ItemDataRole.ToolTipRole)

    def _set_enabled(self, on: bool) -> None:
        for w in (self.text_edit, self.placeholder_combo, self.x_spin, self.y_spin, self.w_spin, self.h_spin,
                  self.size_spin, self.role_combo, self.align_combo):
            w.setEnabled(on)

    # ------------------------------------------------------------------ the template

    def set_template(self, key: str, template: Any) -> None:
        """Edit a copy of ``template`` (the centre's choice changed)."""
        self.key = key
        self.original = template
        self.template = copy.deepcopy(template) if template is not None else None
        self.dirty = False
        self.heading.setText(tr("调整版式：{0}").format(getattr(template, "title", key)))
        self._fill_fields()

    def _fill_fields(self) -> None:
        blocker = QSignalBlocker(self.fields)
        self.fields.clear()
        fields = list(getattr(self.template, "fields", []) or [])
        for f in fields:
            item = QListWidgetItem(self._item_text(f))
            item.setToolTip(f.text)
            self.fields.addItem(item)
        del blocker
        if fields:
            self.fields.setCurrentRow(0)
            self._field_chosen(0)
        else:
            self._set_enabled(False)
        if self.template is not None:
            width, height = self.template.size_mm()
            for spin, limit in ((self.x_spin, width), (self.w_spin, width), (self.y_spin, height), (self.h_spin, height)):
                spin.setMaximum(limit)

    @staticmethod
    def _item_text(f: Any) -> str:
        text = " ".join(str(f.text).replace("\u3000", " ").split())
        return f"{FIELD_LABELS.get(f.key, f.key)}：{text}"

    def current_field(self) -> Any:
        row = self.fields.currentRow()
        fields = getattr(self.template, "fields", []) or []
        return fields[row] if 0 <= row < len(fields) else None

    def select_field(self, key: str) -> bool:
        for i, f in enumerate(getattr(self.template, "fields", []) or []):
            if f.key == key:
                self.fields.setCurrentRow(i)
                return True
        return False

    def box(self) -> tuple[float, float, float, float] | None:
        f = self.current_field()
        if f is None or self.template is None:
            return None
        width, height = self.template.size_mm()
        return f.x / width, f.y / height, f.w / width, f.h / height

    def _field_chosen(self, _row: int) -> None:
        f = self.current_field()
        self._set_enabled(f is not None)
        self.field_box.emit(self.box())
        if f is None:
            return
        widgets = (self.text_edit, self.x_spin, self.y_spin, self.w_spin, self.h_spin, self.size_spin,
                   self.role_combo, self.align_combo)
        blockers = [QSignalBlocker(w) for w in widgets]
        self.text_edit.setPlainText(f.text)
        self.x_spin.setValue(f.x)
        self.y_spin.setValue(f.y)
        self.w_spin.setValue(f.w)
        self.h_spin.setValue(f.h)
        self.size_spin.setValue(f.size)
        self.role_combo.setCurrentIndex(max(self.role_combo.findData(f.role), 0))
        self.align_combo.setCurrentIndex(max(self.align_combo.findData(f.align), 0))
        del blockers

    def _insert_placeholder(self, index: int) -> None:
        key = self.placeholder_combo.itemData(index)
        self.placeholder_combo.setCurrentIndex(0)
        if key:
            self.text_edit.insertPlainText("{" + str(key) + "}")

    def apply(self) -> None:
        """Write the widgets into the current field (kept inside the page) and tell the centre."""
        f = self.current_field()
        if f is None or self.template is None:
            return
        width, height = self.template.size_mm()
        f.text = self.text_edit.toPlainText()
        f.w = min(self.w_spin.value(), width)
        f.h = min(self.h_spin.value(), height)
        f.x = min(self.x_spin.value(), max(width - f.w, 0.0))
        f.y = min(self.y_spin.value(), max(height - f.h, 0.0))
        f.size = self.size_spin.value()
        f.min_size = min(f.min_size, f.size)
        f.role = str(self.role_combo.currentData())
        f.align = str(self.align_combo.currentData())
        item = self.fields.currentItem()
        if item is not None:
            item.setText(self._item_text(f))
            item.setToolTip(f.text)
        self.dirty = True
        self.field_box.emit(self.box())
        self.changed.emit(self.template)

    def revert(self) -> None:
        self.set_template(self.key, self.original)
        self.changed.emit(self.template)

    def save_as(self, title: str | None = None) -> str | None:
        """Save the edited template under a new title; returns its key."""
        if self.template is None:
            return None
        if title is None:
            suggested = f"{getattr(self.template, 'title', '')}（修改）"
            text, ok = QInputDialog.getText(self, tr("另存为新模板"), tr("新模板的名称："), text=suggested)
            if not ok:
                return None
            title = text
        title = title.strip()
        if not title:
            QMessageBox.warning(self, tr("未能保存"), tr("请填写模板名称。"))
            return None
        from reports.certificates.template import TemplateError, all_templates, save_template

        folder = paths.templates_dir()
        folder.mkdir(parents=True, exist_ok=True)
        taken = set(all_templates(folder))
        saved = copy.deepcopy(self.template)
        saved.title = title
        saved.key = new_key(f"my_{self.key}", taken)
        try:
            save_template(saved, folder / f"{saved.key}.json")
        except (TemplateError, OSError) as exc:
            QMessageBox.warning(self, tr("未能保存"), str(exc))
            return None
        self.dirty = False
        self.saved.emit(saved.key)
        return str(saved.key)
