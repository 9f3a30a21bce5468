"""The 字体 page of the settings dialog: the font family per role (title, name, body, rare)
among the CJK TrueType families on this machine, each with a preview line drawn in it. The
choice is stored in the database by family name (``desktop.fonts``), so every seat prints
with the same family; a seat that lacks it falls back and says so once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from desktop import fonts as desktop_fonts

if TYPE_CHECKING:
    from desktop.context import App

AUTO = ""  # the combo's data for the automatic choice


def tr(text: str) -> str:
    return QCoreApplication.translate("FontSettings", text)


class FontPage(QWidget):
    """One combo box and one preview line per role; :meth:`to_save` gives {role: family}."""

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.rows = desktop_fonts.families()
        self.original = desktop_fonts.load(app)
        self._qt_family: dict[str, str] = {}  # stored family -> the family name Qt knows it by
        self.combos: dict[str, QComboBox] = {}
        self.previews: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        intro = QLabel(tr("为证书和报表的各部分选择字体（只列出本机可嵌入 PDF 的中文 TrueType 字体）。"
                          "设置保存在数据库中，同一数据库的每台电脑都用同一字体；"
                          "某台电脑没有该字体时自动改用本机字体，并提示一次。"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        for role in desktop_fonts.ROLES:
            combo = QComboBox()
            combo.addItem(tr("自动（按本机字体选择）"), AUTO)
            for row in self.rows:
                combo.addItem(row.text, row.name)
            wanted = self.original.get(role, "")
            if wanted and combo.findData(wanted) < 0:
                combo.addItem(tr("{0}（本机未安装）").format(wanted), wanted)
            combo.setCurrentIndex(max(combo.findData(wanted), 0))
            preview = QLabel()
            preview.setWordWrap(True)
            self.combos[role], self.previews[role] = combo, preview
            combo.currentIndexChanged.connect(lambda _i, r=role: self.update_preview(r))
            form.addRow(tr(desktop_fonts.ROLE_LABELS[role]), combo)
            form.addRow("", preview)
            self.update_preview(role)
        layout.addLayout(form)
        layout.addStretch(1)

    def _qt_name(self, family: str) -> str | None:
        """The family as Qt knows it (its files loaded into Qt once), or None."""
        if family in self._qt_family:
            return self._qt_family[family]
        row = next((r for r in self.rows if r.name == family), None)
        found: str | None = None
        if row is not None:
            for path in row.files:
                fid = QFontDatabase.addApplicationFont(path)
                names = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
                found = found or next((n for n in names if n in (row.name, row.label)), names[0] if names else None)
        self._qt_family[family] = found or ""
        return found

    def update_preview(self, role: str) -> None:
        family = str(self.combos[role].currentData() or "")
        label = self.previews[role]
        label.setText(desktop_fonts.PREVIEW)
        qt_name = self._qt_name(family) if family else None
        font = QFont(qt_name) if qt_name else QFont()
        font.setPointSize(14)
        label.setFont(font)
        label.setToolTip(tr("预览：{0}").format(self.combos[role].currentText()))

    def to_save(self) -> dict[str, str]:
        """{role: family} for the roles changed (an empty family: automatic)."""
        now = {role: str(c.currentData() or "") for role, c in self.combos.items()}
        return {r: v for r, v in now.items() if v != self.original.get(r, "")}

    def save(self) -> None:
        changed = self.to_save()
        if changed:
            desktop_fonts.save(self.app, changed)
            self.original = desktop_fonts.load(self.app)
