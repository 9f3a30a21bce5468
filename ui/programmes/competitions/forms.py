"""Forms of the competitions tab, built from the record description (db.fields, through the kit's
:class:`~ui.kit.described_form.DescribedForm`): a competition, an event (项目) and its prize tiers
(设定奖项). A dialog gets what it shows and a ``submit`` that writes (the tab's call to the
service); a refusal stays in the dialog, under the fields."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db.errors import DatabaseProblem, ValidationError
from desktop.programmes.competitions import rules, service
from desktop.programmes.competitions.queries import PrizeTiers, RecordForm
from ui.kit.described_form import DescribedForm


def tr(text: str) -> str:
    return QCoreApplication.translate("CompetitionForms", text)


class _SaveDialog(QDialog):
    """保存 runs :meth:`write` (which calls ``submit``); a refusal is shown and the dialog stays."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
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

    def write(self) -> int:
        raise NotImplementedError

    def save(self) -> None:
        try:
            saved = self.write()
        except (ValidationError, DatabaseProblem) as exc:
            self.problem.setText(exc.message)
            self.problem.show()
            return
        self.saved_id = saved
        self.accept()


class CompetitionDialog(_SaveDialog):
    """新建竞赛 / 编辑竞赛: ``submit(values)`` saves and returns the competition's id."""

    def __init__(self, form: RecordForm, labels: dict[str, dict[str, str]], submit: Callable[[dict[str, Any]], int],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.submit = submit
        self.form = DescribedForm(form.columns, labels, self)
        self.form.set_values(form.values)
        layout = QVBoxLayout(self)
        hint = QLabel(tr("带 * 的为必填项。结束日期用作证书落款日期；公示天数和异议受理电话印在成绩公示上。"))
        hint.setObjectName("formHint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setWindowTitle(tr("编辑竞赛 — %1").replace("%1", form.title) if form.title else tr("新建竞赛"))
        self.resize(720, self.sizeHint().height())

    def write(self) -> int:
        values = self.form.values()
        errors = service.competition_errors(values)
        self.form.show_errors(errors)
        if errors:
            raise ValidationError("field_invalid", tr("请先改正标出的问题"))
        return self.submit(values)


class EventDialog(_SaveDialog):
    """添加项目 / 项目设置: the trade, judges, weights and the drop-extremes rule."""

    def __init__(self, form: RecordForm, labels: dict[str, dict[str, str]], submit: Callable[[dict[str, Any]], int],
                 *, new: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.submit = submit
        self.form = DescribedForm(form.columns, labels, self)
        self.form.set_values(form.values)
        trade_edit = self.form.editors["trade"]
        if isinstance(trade_edit, QLineEdit):
            completer = QCompleter(form.trades, trade_edit)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            trade_edit.setCompleter(completer)
            trade_edit.setPlaceholderText(tr("工种或项目名称，如 数控铣工"))
        layout = QVBoxLayout(self)
        hint = QLabel(tr("团体赛按必答、抢答成绩之和排名，加赛成绩只用于决定同分队伍的名次。") if form.team else
                      tr("总成绩 = 理论 × 理论权重 + 实操 × 实操权重（两项权重之和为 100%）。"
                         "“去掉最高分和最低分”只在评委不少于 3 人时生效。"))
        hint.setObjectName("formHint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setWindowTitle((tr("添加项目 — %1") if new else tr("项目设置 — %1")).replace("%1", form.title))
        self.resize(640, self.sizeHint().height())

    def write(self) -> int:
        return self.submit(self.form.values())


class PrizeDialog(_SaveDialog):
    """设定奖项: tiers by count (名额) or by share (比例, rounded down, at least one)."""

    def __init__(self, tiers: PrizeTiers, ranked: int, labels: dict[str, str], heading: str,
                 submit: Callable[[str, Sequence[int], Sequence[int]], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.submit = submit
        self.ranked = ranked
        mode, counts, shares, trade = tiers.mode, tiers.counts, tiers.shares, tiers.trade
        self.setWindowTitle(tr("设定奖项 — %1").replace("%1", trade))
        self.by_count = QRadioButton(tr("按名额"))
        self.by_share = QRadioButton(tr("按比例（向下取整，每个奖项至少 1 名）"))
        group = QButtonGroup(self)
        group.addButton(self.by_count)
        group.addButton(self.by_share)
        (self.by_share if mode == rules.SHARE else self.by_count).setChecked(True)
        grid = QGridLayout()
        grid.addWidget(QLabel(heading), 0, 0)
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

    def write(self) -> int:
        self.submit(self.mode(), [s.value() for s in self.count_spins], [s.value() for s in self.share_spins])
        return 0
