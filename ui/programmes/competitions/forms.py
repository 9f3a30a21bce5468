"""Forms of the competitions tab, built from the record description (db.fields): a competition,
an event (项目) and its prize tiers (设定奖项). Saving goes through competition_service."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from db.errors import DatabaseProblem, ValidationError
from db.fields import describe
from db.models.competitions import Competition, Event
from db.models.core.registers import Worker
from desktop.context import App
from desktop.programmes.competitions import rules, service

#: Trades of the seed articles, offered beside those in the workers register.
COMMON_TRADES = ("数控铣工", "数控车工", "电工", "焊工", "钳工", "中式烹调师", "医疗装配工", "机电一体化", "育婴师",
                 "养老护理员", "电子商务", "集体协商")


def tr(text: str) -> str:
    return QCoreApplication.translate("CompetitionForms", text)


class DescribedForm(QWidget):
    """Editors for the described columns ``names`` of ``model``, two to a row."""

    def __init__(self, model: type, names: list[str], labels: dict[str, dict[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        by_name = {c.name: c for c in describe(model)}
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        slot = 0
        for name in names:
            col = by_name[name]
            f = col.field
            widget: QWidget
            if service.is_flag(model, name):
                widget = QCheckBox(f.label)
            elif f.kind == "choice":
                combo = QComboBox()
                if not f.required:
                    combo.addItem("", None)
                for code, label in labels.get(f.choices or "", {}).items():
                    combo.addItem(label, code)
                widget = combo
            elif f.kind == "int":
                spin = QSpinBox()
                spin.setRange(0, 9999)
                spin.setMaximumWidth(110)
                widget = spin
            elif f.kind == "multiline":
                text = QPlainTextEdit()
                text.setTabChangesFocus(True)
                text.setFixedHeight(58)
                widget = text
            else:
                edit = QLineEdit()
                if f.kind == "date":
                    edit.setPlaceholderText(tr("如 %1").replace("%1", date.today().isoformat()))
                elif f.kind == "phone":
                    edit.setPlaceholderText(tr("如 0574-65551234"))
                widget = edit
            widget.setObjectName(f"field_{name}")
            if f.help:
                widget.setToolTip(f.help)
            self.editors[name] = widget
            error = QLabel()
            error.setObjectName("fieldError")
            error.setWordWrap(True)
            error.hide()
            self.errors[name] = error
            if f.kind == "multiline" or (f.kind == "text" and f.width >= 30):
                row = (slot + 1) // 2  # a wide field takes a row of its own, where it is declared
                self._place(grid, name, f.label, f.required, row, 0, 3)
                slot = (row + 1) * 2
                continue
            self._place(grid, name, f.label, f.required, slot // 2, (slot % 2) * 2, 1)
            slot += 1

    def _place(self, grid: QGridLayout, name: str, label: str, required: bool, row: int, col: int,
               span: int) -> None:
        widget = self.editors[name]
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(self.errors[name])
        if isinstance(widget, QCheckBox):
            grid.addWidget(box, row * 1, col + 1, 1, span)
            return
        text = QLabel(label + ("<span style='color:#c62828'> *</span>" if required else ""))
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setBuddy(widget)
        grid.addWidget(text, row, col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(box, row, col + 1, 1, span)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, w in self.editors.items():
            if isinstance(w, QCheckBox):
                out[name] = w.isChecked()
            elif isinstance(w, QComboBox):
                out[name] = w.currentData()
            elif isinstance(w, QSpinBox):
                out[name] = w.value()
            elif isinstance(w, QPlainTextEdit):
                out[name] = w.toPlainText()
            elif isinstance(w, QLineEdit):
                out[name] = w.text()
        return out

    def set_values(self, obj: Any) -> None:
        for name, w in self.editors.items():
            value = getattr(obj, name, None)
            if isinstance(w, QCheckBox):
                w.setChecked(bool(value))
            elif isinstance(w, QComboBox):
                i = w.findData(value)
                w.setCurrentIndex(max(i, 0))
            elif isinstance(w, QSpinBox):
                w.setValue(int(value or 0))
            elif isinstance(w, QPlainTextEdit):
                w.setPlainText(value or "")
            elif isinstance(w, QLineEdit):
                w.setText(value.isoformat() if isinstance(value, date) else (value or ""))

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, label in self.errors.items():
            message = errors.get(name)
            label.setText(message or "")
            label.setVisible(bool(message))


class _SaveDialog(QDialog):
    saved = Signal(int)

    def __init__(self, app: App, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.app = app
        self.saved_id: int | None = None
        self.problem = QLabel()
        self.problem.setObjectName("formProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def write(self, session: Any) -> int:
        raise NotImplementedError

    def save(self) -> None:
        try:
            with self.app.db.session() as s:
                saved = self.write(s)
        except ValidationError as exc:
            self.problem.setText(exc.message)
            self.problem.show()
            return
        except DatabaseProblem as exc:
            self.problem.setText(exc.message)
            self.problem.show()
            return
        self.saved_id = saved
        self.saved.emit(saved)
        self.accept()


class CompetitionDialog(_SaveDialog):
    """新建竞赛 / 编辑竞赛."""

    FIELDS = ("title", "organiser", "level", "kind", "start_date", "end_date", "publicity_days", "objection_phone",
              "notes")

    def __init__(self, app: App, competition_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(app, parent)
        self.competition_id = competition_id
        self.form = DescribedForm(Competition, list(self.FIELDS), app.labels(), self)
        layout = QVBoxLayout(self)
        hint = QLabel(tr("带 * 的为必填项。结束日期用作证书落款日期；公示天数和异议受理电话印在成绩公示上。"))
        hint.setObjectName("formHint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        if competition_id is None:
            self.setWindowTitle(tr("新建竞赛"))
            self.form.set_values(Competition(kind=rules.INDIVIDUAL, publicity_days=5))
        else:
            with app.db.session() as s:
                comp = s.get(Competition, competition_id)
                if comp is None:
                    raise ValidationError("not_found", "竞赛已不存在（可能已被删除）")
                self.form.set_values(comp)
                self.setWindowTitle(tr("编辑竞赛 — %1").replace("%1", comp.title))
        self.resize(720, self.sizeHint().height())

    def write(self, session: Any) -> int:
        values = self.form.values()
        _clean, errors = service.validate(Competition, values)
        self.form.show_errors(errors)
        if errors:
            raise ValidationError("field_invalid", tr("请先改正标出的问题"))
        return service.save_competition(session, self.competition_id, values)


class EventDialog(_SaveDialog):
    """添加项目 / 项目设置: the trade, judges, weights and the drop-extremes rule."""

    def __init__(self, app: App, competition_id: int, event_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(app, parent)
        self.competition_id = competition_id
        self.event_id = event_id
        with app.db.session() as s:
            comp = s.get(Competition, competition_id)
            if comp is None:
                raise ValidationError("not_found", "竞赛已不存在（可能已被删除）")
            team = comp.kind == rules.TEAM
            title = comp.title
            ev = s.get(Event, event_id) if event_id is not None else None
            names = ["trade", "notes"] if team else ["trade", "judges", "theory_weight", "practical_weight",
                                                      "drop_extremes", "notes"]
            self.form = DescribedForm(Event, names, app.labels(), self)
            self.form.set_values(ev if ev is not None else Event(judges=3, theory_weight=30, practical_weight=70,
                                                                drop_extremes=False))
            trades = sorted({t for (t,) in s.execute(select(Worker.trade).distinct()) if t} | set(COMMON_TRADES))
        trade_edit = self.form.editors["trade"]
        if isinstance(trade_edit, QLineEdit):
            completer = QCompleter(trades, trade_edit)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            trade_edit.setCompleter(completer)
            trade_edit.setPlaceholderText(tr("工种或项目名称，如 数控铣工"))
        layout = QVBoxLayout(self)
        hint = QLabel(tr("团体赛按必答、抢答成绩之和排名，加赛成绩只用于决定同分队伍的名次。") if team else
                      tr("总成绩 = 理论 × 理论权重 + 实操 × 实操权重（两项权重之和为 100%）。"
                         "“去掉最高分和最低分”只在评委不少于 3 人时生效。"))
        hint.setObjectName("formHint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setWindowTitle((tr("添加项目 — %1") if event_id is None else tr("项目设置 — %1")).replace("%1", title))
        self.resize(640, self.sizeHint().height())

    def write(self, session: Any) -> int:
        return service.save_event(session, self.competition_id, self.event_id, self.form.values())


class PrizeDialog(_SaveDialog):
    """设定奖项: tiers by count (名额) or by share (比例, rounded down, at least one)."""

    def __init__(self, app: App, event_id: int, ranked: int, parent: QWidget | None = None) -> None:
        super().__init__(app, parent)
        self.event_id = event_id
        self.ranked = ranked
        labels = app.labels().get("prize") or rules.PRIZE_LABELS
        with app.db.session() as s:
            ev = s.get(Event, event_id)
            if ev is None:
                raise ValidationError("not_found", "竞赛项目已不存在（可能已被删除）")
            mode, counts, shares, trade = ev.prize_mode, service.counts(ev), service.shares(ev), ev.trade
        self.setWindowTitle(tr("设定奖项 — %1").replace("%1", trade))
        self.by_count = QRadioButton(tr("按名额"))
        self.by_share = QRadioButton(tr("按比例（向下取整，每个奖项至少 1 名）"))
        group = QButtonGroup(self)
        group.addButton(self.by_count)
        group.addButton(self.by_share)
        (self.by_share if mode == rules.SHARE else self.by_count).setChecked(True)
        grid = QGridLayout()
        grid.addWidget(QLabel(tr("奖项")), 0, 0)
        grid.addWidget(QLabel(tr("名额（人）")), 0, 1)
        grid.addWidget(QLabel(tr("比例（%）")), 0, 2)
        self.count_spins: list[QSpinBox] = []
        self.share_spins: list[QSpinBox] = []
        for i, code in enumerate(rules.PRIZES):
            grid.addWidget(QLabel(labels.get(code, rules.PRIZE_LABELS[code])), i + 1, 0)
            count = QSpinBox()
            count.setRange(0, 999)
            count.setValue(counts[i])
            count.setObjectName(f"count_{code}")
            share = QSpinBox()
            share.setRange(0, 100)
            share.setSuffix(" %")
            share.setValue(shares[i])
            share.setObjectName(f"share_{code}")
            grid.addWidget(count, i + 1, 1)
            grid.addWidget(share, i + 1, 2)
            self.count_spins.append(count)
            self.share_spins.append(share)
            count.valueChanged.connect(self.preview)
            share.valueChanged.connect(self.preview)
        self.by_count.toggled.connect(self.preview)
        self.preview_label = QLabel()
        self.preview_label.setObjectName("formHint")
        self.preview_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.by_count)
        layout.addWidget(self.by_share)
        layout.addLayout(grid)
        layout.addWidget(self.preview_label)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.labels = labels
        self.preview()
        self.resize(440, self.sizeHint().height())

    def mode(self) -> str:
        return rules.SHARE if self.by_share.isChecked() else rules.COUNT

    def preview(self, *_args: object) -> None:
        counts = [s.value() for s in self.count_spins]
        shares = [s.value() for s in self.share_spins]
        for s in self.count_spins:
            s.setEnabled(self.mode() == rules.COUNT)
        for s in self.share_spins:
            s.setEnabled(self.mode() == rules.SHARE)
        try:
            sizes = rules.tier_sizes(self.ranked, self.mode(), counts, shares)
        except ValidationError as exc:
            self.preview_label.setText(exc.message)
            return
        text = "，".join(f"{self.labels.get(c, rules.PRIZE_LABELS[c])} {n} 名"
                        for c, n in zip(rules.PRIZES, sizes, strict=True) if n)
        self.preview_label.setText(tr("按目前有成绩的 %1 名（队）：%2。同分跨档者均得较高奖项。")
                                   .replace("%1", str(self.ranked)).replace("%2", text or tr("无")))

    def write(self, session: Any) -> int:
        service.set_prize_tiers(session, self.event_id, self.mode(), [s.value() for s in self.count_spins],
                                [s.value() for s in self.share_spins])
        return self.event_id
