"""劳模工匠选树: the honour titles page (称号设置): the titles as data, with their level, awarding
body, person or collective, cycle, quota, reward and 劳模待遇; new, edit, 停用/启用 and delete (a
title a round or a holder uses is retired, never deleted). Reads ``register_queries``, writes
``register_service``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMessageBox, QSpinBox, QVBoxLayout, QWidget

from desktop.changes import Changes
from desktop.context import App
from desktop.programmes.honours import register_queries as queries
from desktop.programmes.honours import register_service as service
from ui.kit.changes import listen, perform
from ui.kit.cultivation import Cell, DataTable, FieldSpec, FormDialog, Row, tr
from ui.kit.filter_bar import FilterBar
from ui.kit.menus import stretch_column
from ui.kit.parts import note_label

PRIORITY = 8  # the column that takes the spare width


def label(key: str) -> str:
    """A described field's label: ``label("HonourTitle.level") == "级别"``."""
    return queries.field_labels()[key]


def helps(key: str) -> str:
    return queries.field_helps().get(key, "")


def title_dialog(parent: QWidget, app: App, t: queries.TitleRow | None) -> FormDialog:
    """新建荣誉称号, or 编辑 ``t``."""
    labels = app.labels()
    levels = [(text, code) for code, text in labels.get("honour_level", {}).items()]
    kinds = [(text, code) for code, text in labels.get("recipient_kind", {}).items()]
    v: dict[str, Any] = t.values() if t is not None else {"level": "county", "recipient": "person", "cycle_years": 1}

    def f(name: str, kind: str = "text", choices: list[tuple[str, Any]] | None = None) -> FieldSpec:
        return FieldSpec(name, label(f"HonourTitle.{name}"), kind, choices or (), v.get(name),
                         helps(f"HonourTitle.{name}"))

    fields = [f("name"), f("level", "choice", levels), f("body"), f("recipient", "choice", kinds),
              f("cycle_years", "int"), f("quota", "int"), f("quota_note"), f("reward", "int"), f("benefits", "flag"),
              f("priority"), f("source", "multiline")]

    def submit(values: dict[str, Any]) -> Any:
        values = dict(values)
        for key in ("quota", "reward"):
            values[key] = values.get(key) or None  # 0: not set
        return service.save_title(app, t.id if t else None, values)

    intro = tr("称号的级别、命名单位、授予对象、评选周期、名额和奖励；享受劳模待遇的称号，其获得者列入每年疗休养、体检名单。")
    dlg = FormDialog(parent, app, tr("编辑荣誉称号") if t else tr("新建荣誉称号"), fields, submit, intro=intro)
    for key, none in (("quota", tr("不限")), ("reward", tr("无"))):
        box = dlg.widgets[key]
        if isinstance(box, QSpinBox):
            box.setSpecialValueText(none)  # 0: not set
    return dlg


class TitlesPage(QWidget):
    """The titles as data, edited by the clerk."""

    tables = (service.TITLES, service.HOLDINGS, "selection_rounds", "settings")

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.rows: list[queries.TitleRow] = []
        self.dialog: Any = None  # the last dialog opened (tests)
        self.bar = FilterBar(self)
        b = self.bar.add_button
        self.new_button = b(tr("新建称号…"), "add.svg", tr("增加一个荣誉称号"))
        self.edit_button = b(tr("编辑…"), "edit.svg", tr("修改称号的级别、命名单位、名额、奖励等"))
        self.retire_button = b(tr("停用"), "refresh.svg", tr("不再评选的称号停用（历史记录保留）；再次点击重新启用"))
        self.delete_button = b(tr("删除"), "delete.svg", tr("删除误建的称号（已用于评选或已有获得者的不能删除）"))
        self.bar.search.setPlaceholderText(tr("搜索称号、命名单位"))
        self.bar.filter_changed.connect(lambda text: self.bar.set_count(self.table.filter(text), len(self.rows)))
        heads = [label(f"HonourTitle.{n}") for n in ("name", "level", "body", "recipient", "cycle_years", "quota",
                                                      "reward", "benefits", "priority")] + [tr("使用情况")]
        self.table = DataTable(heads, (150, 48, 130, 64, 80, 122, 100, 80, 100, 150), self, numbered=False)
        stretch_column(self.table, PRIORITY)
        self.table.itemSelectionChanged.connect(self.show_title)
        self.table.doubleClicked.connect(lambda _i: self.edit_title())
        self.bar.lead_to(self.table)
        self.source = note_label(self)
        self.message = note_label(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.bar)
        layout.addWidget(self.table, 1)
        box = QVBoxLayout()
        box.setContentsMargins(10, 0, 10, 6)
        box.addWidget(self.source)
        box.addWidget(self.message)
        layout.addLayout(box)
        self.new_button.clicked.connect(lambda: self.open_dialog(None))
        self.edit_button.clicked.connect(self.edit_title)
        self.retire_button.clicked.connect(self.toggle_retired)
        self.delete_button.clicked.connect(self.delete_title)
        listen(self, self.tables, self.changes_arrived)

    def changes_arrived(self, changes: Changes) -> None:
        self.load()

    def load(self) -> None:
        labels = self.app.labels()
        levels, kinds = labels.get("honour_level", {}), labels.get("recipient_kind", {})
        self.rows = queries.titles(self.app)
        rows = []
        for t in self.rows:
            quota = f"{t.quota} 名" if t.quota else ""
            if t.quota_note:
                quota = f"{quota}（{t.quota_note}）" if quota else t.quota_note
            cycle = tr("每年") if t.cycle_years == 1 else tr("每 {0} 年").format(t.cycle_years)
            used = "、".join(x for x in (tr("评选 {0} 次").format(t.rounds) if t.rounds else "",
                                        tr("获得者 {0} 名").format(t.holders) if t.holders else "") if x)
            state = (Cell(tr("已停用") + (f"（{used}）" if used else ""), "note", tip=used) if t.retired
                     else Cell(used or tr("尚未使用"), "ok" if used else None, tip=used))
            rows.append(Row(t.id, [Cell(t.name, bold=True), levels.get(t.level, t.level), Cell(t.body, tip=t.body),
                                   kinds.get(t.recipient, t.recipient), cycle, quota,
                                   Cell(f"{t.reward:,}" if t.reward else "", align="right"),  # the heading says 元
                                   Cell(tr("享受") if t.benefits else "", "ok", align="centre"),
                                   Cell(t.priority, tip=t.priority), state],
                            fill="left" if t.retired else None, data=t))
        self.table.set_rows(rows)
        if rows and self.table.selected_id() is None:
            self.table.selectRow(0)
        self.bar.set_count(self.table.filter(self.bar.search.text()), len(rows))
        self.show_title()

    def current(self) -> queries.TitleRow | None:
        row = self.table.selected_row()
        return row.data if row is not None else None

    def show_title(self) -> None:
        t = self.current()
        for w in (self.edit_button, self.retire_button, self.delete_button):
            w.setEnabled(t is not None)
        self.retire_button.setText(tr("重新启用") if t is not None and t.retired else tr("停用"))
        self.delete_button.setEnabled(t is not None and not t.in_use)
        lines = [tr("{0}：{1}").format(label(f"HonourTitle.{key}"), text) for key, text in (
            ("priority", t.priority if t else ""), ("source", t.source if t else "")) if text]
        self.source.setText("<br>".join(lines))

    def open_dialog(self, t: queries.TitleRow | None) -> FormDialog:
        dlg = title_dialog(self.window(), self.app, t)
        self.dialog = dlg
        dlg.accepted.connect(lambda: self.said(dlg.result_value))
        dlg.open()
        return dlg

    def edit_title(self) -> FormDialog | None:
        t = self.current()
        return self.open_dialog(t) if t is not None else None

    def said(self, result: Any) -> None:
        changes = getattr(result, "changes", result)
        self.message.setText(getattr(changes, "message", "") or "")

    def toggle_retired(self) -> bool:
        t = self.current()
        if t is None:
            return False
        if not t.retired and not self.confirm(tr("停用称号"), tr("停用“{0}”后不能再用于新的评选和登记，已有获得者不受影响。确定停用吗？")
                                              .format(t.name)):
            return False
        result = perform(lambda: service.retire_title(self.app, t.id, not t.retired), tr("停用称号"), self.warn)
        if result is not None:
            self.said(result)
        return result is not None

    def delete_title(self) -> bool:
        t = self.current()
        if t is None or not self.confirm(tr("删除称号"), tr("确定删除荣誉称号“{0}”吗？").format(t.name)):
            return False
        result = perform(lambda: service.delete_title(self.app, t.id), tr("删除称号"), self.warn)
        if result is not None:
            self.said(result)
        return result is not None

    # Tests replace these two.
    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)
