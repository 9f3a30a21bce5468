"""The 助企行 tab's form dialogs. Each takes what it needs (the app, a plain row or detail) and runs
the programme's service on 确定: a refusal stays in the dialog under the fields, a result closes it
(``result_value``). Fields and labels come from the one description (``described``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import QComboBox, QVBoxLayout, QWidget

from desktop.changes import Changes, Done
from desktop.context import App
from desktop.programmes.help_desk import queries, service
from ui.kit.cultivation import FieldSpec, FormDialog, ServiceDialog, tr
from ui.kit.parts import dialog_heading, note_label, ok_cancel, problem_label, searchable
from ui.programmes.help_desk.described import described_form, label, shown

#: The demand's own fields in the order its form shows them (a wide field takes a row of its own).
DEMAND_FIELDS = ("organisation_id", "problem", "kind", "urgency", "channel", "received_at", "deadline", "team_id",
                 "region", "place", "contact_name", "contact_phone")
OUTCOME_FIELDS = ("solution", "benefit_actual", "benefit_expected", "cost_saved", "orders", "trained",
                  "result_count", "results", "rating", "transferred_to", "feedback")
VISIT_FIELDS = ("visited_on", "people", "content")
ATTACHMENT_FIELDS = ("name", "added_on", "note")


def now() -> datetime:
    return datetime.now().replace(second=0, microsecond=0)


def form_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Stored values as a form shows them (an amount without trailing zeros)."""
    return {k: shown(v) if isinstance(v, Decimal) else v for k, v in values.items()}


class RecordDialog(ServiceDialog):
    """A heading, an intro, a described form of ``model``'s fields ``names``, the problem line and
    确定/取消; 确定 runs ``submit(values)``."""

    def __init__(self, parent: QWidget | None, app: App, title: str, model: str, names: Sequence[str],
                 submit: Callable[[dict[str, Any]], Changes | Done[Any]], *, intro: str = "",
                 defaults: Mapping[str, Any] | None = None, per_row: int = 2) -> None:
        super().__init__(parent)
        self.app, self.submit = app, submit
        self.result_value: Any = None
        self.setWindowTitle(title)
        self.setMinimumWidth(640 if per_row == 2 else 480)
        self.form = described_form(app, model, names, self, per_row=per_row, defaults=defaults)
        self.widgets = self.form.editors
        self.error = problem_label(self)
        layout = QVBoxLayout(self)
        layout.addWidget(dialog_heading(title, self))
        if intro:
            layout.addWidget(note_label(self, intro))
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self))

    def value(self, key: str) -> Any:
        return self.form.value(key)

    def values(self) -> dict[str, Any]:
        """The form's values; a unit typed whole into a searchable list counts as chosen."""
        values = self.form.values()
        for name, editor in self.widgets.items():
            if isinstance(editor, QComboBox) and editor.isEditable():
                found = editor.findText(editor.currentText().strip())
                values[name] = editor.itemData(found) if found >= 0 else None
        return values

    def set(self, key: str, value: Any) -> None:
        """Fill a field as the clerk would (tests)."""
        self.form.set_value(key, value)

    def accept(self) -> None:
        for name, editor in self.widgets.items():
            text = editor.currentText().strip() if isinstance(editor, QComboBox) and editor.isEditable() else ""
            if text and editor.findText(text) < 0:  # type: ignore[attr-defined]
                self._problem("", tr("没有名为“{0}”的{1}，请从列表中选择").format(text, self.form.specs[name].label))
                return
        self.finish(lambda: self.submit(self.values()))


# -- the demand ------------------------------------------------------------------------------------------


def demand_dialog(parent: QWidget, app: App, detail: queries.DemandDetail | None = None) -> RecordDialog:
    """登记需求 (``detail`` None) or 编辑需求: the enterprise from the unit register, the problem, kind,
    urgency, channel, received time and the rest. The contact's phone shows masked; left as it is,
    it is kept."""
    if detail is None:
        defaults: dict[str, Any] = {"received_at": now(), "urgency": "normal", "channel": "online", "region": "local"}
        title = tr("登记企业需求")
        intro = tr("企业从线上点单、走访或直接下单提出的技术需求；急诊单排在列表最前面。登记后为“待派”，再派单给服务队的工匠。")
    else:
        defaults = {k: v for k, v in form_values(detail.values).items() if k in DEMAND_FIELDS}
        title = tr("编辑企业需求：{0}").format(detail.row.number)
        intro = tr("联系人电话显示为隐去中间数字的号码；不改动则保留原号码，要更换请整个重新填写。")
    masked = defaults.get("contact_phone") if detail is not None else None

    def submit(values: dict[str, Any]) -> Any:
        if detail is None:
            return service.add_demand(app, values)
        if masked and values.get("contact_phone") == masked:
            values.pop("contact_phone")
        return service.save_demand(app, detail.row.id, values)

    dlg = RecordDialog(parent, app, title, "Demand", DEMAND_FIELDS, submit, intro=intro, defaults=defaults)
    unit = dlg.widgets["organisation_id"]
    searchable(unit)
    assert isinstance(unit, QComboBox)
    unit.lineEdit().setPlaceholderText(tr("输入企业名称的一部分，从列表中选择"))
    dlg.setMinimumWidth(720)
    return dlg


def advance_dialog(parent: QWidget, app: App, row: queries.DemandRow) -> FormDialog:
    """办理: 接单, 开始服务, 办结 (已解决 / 未解决 / 转办) or 回访: only the stages that may come next."""
    stages = queries.next_stages(app, row.id)
    fields = [FieldSpec("to", tr("办理到"), "choice", [(text, code) for code, text in stages],
                        default=stages[0][0] if stages else None),
              FieldSpec("at", label("CaseMove.at"), "datetime", default=now()),
              FieldSpec("note", label("CaseMove.note"), help=tr("如：电话确认已接单；现场调试后设备恢复正常"))]
    intro = tr("{0}　{1}：当前为“{2}”。可跳过中间环节，但不能退回；办结后可登记回访。").format(
        row.number, row.enterprise, row.stage_label)
    return FormDialog(parent, app, tr("办理派工单"), fields,
                      lambda v: service.advance(app, row.id, v["to"] or "", v["at"], v.get("note") or None),
                      intro=intro)


def outcome_dialog(parent: QWidget, app: App, detail: queries.DemandDetail) -> RecordDialog:
    """登记成效: how it was solved, the benefits in 万元, people trained, results and the rating."""
    defaults = {k: v for k, v in form_values(detail.values).items() if k in OUTCOME_FIELDS and v is not None}
    row = detail.row
    return RecordDialog(parent, app, tr("登记服务成效：{0}").format(row.number), "Demand", OUTCOME_FIELDS,
                        lambda v: service.record_outcome(app, row.id, v), defaults=defaults,
                        intro=tr("{0}：效益、成本、订单以万元计，可保留两位小数；未产生的不填。转办的请填写转办单位。").format(
                            row.enterprise))


def visit_dialog(parent: QWidget, app: App, row: queries.DemandRow) -> RecordDialog:
    """登记上门服务: the day, how many craftsmen went (人次) and what was done."""
    return RecordDialog(parent, app, tr("登记上门服务：{0}").format(row.number), "Visit", VISIT_FIELDS,
                        lambda v: service.add_visit(app, row.id, v), per_row=1,
                        defaults={"visited_on": date.today()},
                        intro=tr("{0}。服务人次不填时，按派工单上的工匠人数计入“劳模工匠进企业”。").format(row.enterprise))


def attachment_dialog(parent: QWidget, app: App, row: queries.DemandRow) -> RecordDialog:
    """附件: a paper or photo of the 派工单 noted by name (the file stays in the office's folders)."""
    return RecordDialog(parent, app, tr("登记附件：{0}").format(row.number), "CaseAttachment", ATTACHMENT_FIELDS,
                        lambda v: service.add_attachment(app, row.id, v["name"], v["added_on"], v.get("note") or None),
                        per_row=1, defaults={"added_on": date.today()},
                        intro=tr("只登记材料名称（如：企业需求表、现场照片、验收单），文件本身请存放在单位的文件夹中。"))


def team_dialog(parent: QWidget, app: App, team: queries.TeamRow | None) -> RecordDialog:
    names = ("name", "kind", "area", "founded_on", "note")
    defaults = ({"name": team.name, "kind": team.kind, "area": team.area, "founded_on": team.founded_on,
                 "note": team.note} if team is not None else {"kind": "helpers"})
    return RecordDialog(parent, app, tr("编辑服务队") if team else tr("新建服务队"), "Team", names,
                        lambda v: service.save_team(app, team.id if team else None, v), defaults=defaults, per_row=1)
