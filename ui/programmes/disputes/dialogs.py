"""The 劳动争议 tab's case dialogs: 登记争议 (a new dispute at 预警), 办理 (the next stage, 结案 with
its outcome and amounts) and 编辑 (the dispute's described fields, the sensitive ones only for an
account that may open them). Each returns a :class:`~ui.kit.cultivation.FormDialog` whose
``submit`` calls the programme's service; labels come from the field descriptions
(``queries.field_labels``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QSpinBox, QWidget

from desktop import protected_fields
from desktop.context import App
from desktop.programmes.disputes import queries, rules, service
from ui.kit.cultivation import FieldSpec, FormDialog, tr
from ui.programmes.disputes.fields import (
    AMOUNTS,
    SENSITIVE,
    example,
    help_text,
    items,
    label,
    money,
    now,
    protected_note,
)
from ui.programmes.disputes.parties import EmployerField, WorkersField

#: The dispute's other described fields the 编辑 dialog offers (the case's people have their own dialogs).
EDITED = ("kind", "source", "collective", "headcount", "claim", "claim_amount", "agencies", "facts", "terms",
          "agreed_amount", "paid_amount", "confirmed_on")
#: The sensitive fields in the 编辑 dialog's order (the short one beside 仲裁确认日期).
SENSITIVE_ORDER = ("income", "injury", "health")


def short_fields(dlg: FormDialog) -> None:
    """Amounts and dates as short lines with an example; a head count of 0 shows empty."""
    for name, widget in dlg.form.editors.items():
        if name.endswith("amount") or name == "confirmed_on":
            widget.setProperty("placeholderText", example("date" if name == "confirmed_on" else "amount"))
            widget.setMaximumWidth(220)
        elif name == "headcount" and isinstance(widget, QSpinBox):
            widget.setSpecialValueText(" ")


def _rows(dlg: FormDialog, names: tuple[str, ...], shown: bool) -> None:
    """Show or hide fields of a dialog (each with its label)."""
    for name in names:
        editor = dlg.form.editors.get(name)
        if editor is None:
            continue
        box = editor.parentWidget()
        (box or editor).setVisible(shown)
        text = dlg.form.labels.get(name)
        if text is not None:
            text.setVisible(shown)


# -- 登记争议 -----------------------------------------------------------------------------------------------


def open_dialog(parent: QWidget, app: App) -> FormDialog:
    """登记争议: source, kind, time, the worker(s), the employer, collective and headcount, the claim."""
    labels = app.labels()

    def submit(v: dict[str, Any]) -> Any:
        values = {k: v[k] for k in ("source", "kind", "collective", "claim", "claim_amount")}
        values["headcount"] = v["headcount"] or None
        return service.open_dispute(app, values, v["opened_at"], workers=v["workers"], employer=v["employer"])

    def preview(v: dict[str, Any]) -> str:
        lines = []
        named_unit = (v.get("employer") or {}).get("name")
        if named_unit:
            lines.append(tr("· 单位名册中没有“{0}”：只记单位名称，登记进名册后可在“当事人”中关联").format(named_unit))
        named = [w["name"] for w in v.get("workers") or () if "name" in w]
        if named:
            lines.append(tr("· {0}只记姓名，职工登记进名册后可在“当事人”中关联").format("、".join(named)))
        if v.get("collective") and (v.get("headcount") or 0) < 10:
            lines.append(tr("<span style='color:#b45309'>▲ 集体争议的劳动者一方一般在十人以上，请填写涉及人数</span>"))
        return "<br>".join(lines)

    fields = [FieldSpec("source", label("Dispute.source"), "choice", items(app, "dp_source"), default="warning"),
              FieldSpec("kind", label("Dispute.kind"), "choice", items(app, "dp_kind"), default="wages"),
              FieldSpec("opened_at", label("Case.opened_at"), "datetime", default=now())]
    dlg = FormDialog(parent, app, tr("登记劳动争议"), fields, submit, preview=preview,
                     intro=tr("登记后为“预警”阶段，按 年份-TJ-序号 编号。职工可从名册中选择，也可以先只记姓名和电话。"))
    form = dlg.form
    workers = WorkersField(app, form)
    form.add_widget("workers", tr("劳动者") + tr("："), workers, value=workers.value)
    employer = EmployerField(app, form)
    form.add_widget("employer", tr("用人单位") + tr("："), employer, value=employer.value,
                    set_value=lambda text: employer.set_text(str(text or "")))
    workers.employer_seen.connect(lambda name: employer.set_text(name) if not employer.text() else None)
    for f in (FieldSpec("collective", label("Dispute.collective"), "flag", default=False,
                        help=help_text("Dispute.collective")),
              FieldSpec("headcount", label("Dispute.headcount"), "int", default=0),
              FieldSpec("claim", label("Dispute.claim"), "multiline", help=help_text("Dispute.claim")),
              FieldSpec("claim_amount", label("Dispute.claim_amount"))):
        form.add_field(f.spec(labels))
    short_fields(dlg)
    workers.changed.connect(dlg.update_preview)
    employer.editTextChanged.connect(lambda _t: dlg.update_preview())
    dlg.update_preview()
    dlg.setMinimumWidth(720)
    return dlg


# -- 办理 ------------------------------------------------------------------------------------------------


def advance_dialog(parent: QWidget, app: App, d: queries.DisputeDetail) -> FormDialog:
    """办理: the next stage (any later one, skipping allowed) with its time and a note; 结案 also names
    the outcome and the agreed and paid amounts."""
    stages = [(text, code) for code, text in d.next_stages]
    closing = rules.CLOSED
    r = d.row

    def submit(v: dict[str, Any]) -> Any:
        if v["to"] != closing:
            return service.advance(app, r.id, v["to"], v["at"], note=v["note"] or None)
        # The amounts first: refused (not a number, paid above agreed) while the case is still open,
        # the dialog stays and nothing has moved; saved again unchanged if the move is then refused.
        amounts = {k: v[k] for k in AMOUNTS}
        saved = service.save_dispute(app, r.id, amounts) if any(amounts.values()) else None
        moved = service.advance(app, r.id, closing, v["at"], note=v["note"] or None, outcome=v["outcome"])
        return moved | saved if saved is not None else moved

    def preview(v: dict[str, Any]) -> str:
        if v.get("to") == rules.MEDIATION:
            days = d.mediation_limit
            return tr("· 调解期限 {0} 日（法律规定：《劳动争议调解仲裁法》第十四条）：自今日起 {0} 日内未达成调解协议的，"
                      "当事人可以依法申请仲裁").format(days)
        return ""

    fields = [FieldSpec("to", tr("办理到"), "choice", stages, default=stages[0][1] if stages else None),
              FieldSpec("at", label("CaseMove.at"), "datetime", default=now()),
              FieldSpec("note", label("CaseMove.note"), help=tr("如：已告知人社局；双方同意调解")),
              FieldSpec("outcome", tr("办理结果"), "choice", [(text, code) for code, text in d.outcomes],
                        default=rules.MEDIATED),
              FieldSpec("agreed_amount", label("Dispute.agreed_amount"), default=money(r.agreed_amount)),
              FieldSpec("paid_amount", label("Dispute.paid_amount"), default=money(r.paid_amount))]
    dlg = FormDialog(parent, app, tr("办理：{0}").format(r.number), fields, submit, preview=preview,
                     intro=tr("{0}　当前为“{1}”。阶段只能向后推进，可以跳过（如协商解决的不经调解直接结案）。").format(
                         r.summary, r.stage_label))
    short_fields(dlg)

    def target_changed() -> None:
        _rows(dlg, ("outcome", *AMOUNTS), dlg.value("to") == closing)
        dlg.adjustSize()

    dlg.form.changed.connect(target_changed)
    target_changed()
    return dlg


# -- 编辑 ------------------------------------------------------------------------------------------------


def edit_dialog(parent: QWidget, app: App, d: queries.DisputeDetail) -> FormDialog:
    """编辑: the dispute's described fields; 工伤情况/健康状况/月收入 editable only for an account that
    may open them, otherwise shown as 「（受保护）」 and never sent back."""
    opened = d.sensitive_open and protected_fields.can_open(app)
    r = d.row
    kinds = {"kind": "choice", "source": "choice", "collective": "flag", "headcount": "int", "claim": "multiline",
             "facts": "multiline", "terms": "multiline", "injury": "multiline", "health": "multiline"}
    choices = {"kind": items(app, "dp_kind"), "source": items(app, "dp_source")}
    dates = {"confirmed_on"}

    def default(name: str) -> Any:
        value = d.values.get(name)
        if name in ("claim_amount", *AMOUNTS):
            return money(value)
        if name in dates:
            return value.isoformat() if value else ""
        if name == "headcount":
            return value or 0
        return value

    fields = [FieldSpec(name, label(f"Dispute.{name}"), kinds.get(name, "text"), choices.get(name, ()),
                        default=default(name), help=help_text(f"Dispute.{name}")) for name in EDITED]
    if opened:
        fields += [FieldSpec(name, label(f"Dispute.{name}"), kinds.get(name, "text"), default=d.values.get(name),
                             help=help_text(f"Dispute.{name}")) for name in SENSITIVE_ORDER]
    else:
        fields += [FieldSpec(name, label(f"Dispute.{name}"), "info", default=protected_fields.PROTECTED_TEXT)
                   for name in SENSITIVE_ORDER]

    def submit(v: dict[str, Any]) -> Any:
        values = {k: x for k, x in v.items() if k in EDITED or (opened and k in SENSITIVE)}
        values["headcount"] = values.get("headcount") or None
        for name in SENSITIVE:  # the placeholder is never a value
            if values.get(name) == protected_fields.PROTECTED_TEXT:
                values.pop(name)
        return service.save_dispute(app, r.id, values)

    intro = tr("{0}　{1}").format(r.number, r.summary)
    dlg = FormDialog(parent, app, tr("编辑争议：{0}").format(r.number), fields, submit,
                     intro=intro if opened else intro + "<br>" + protected_note(), per_row=2)
    short_fields(dlg)
    if not opened:
        for name in SENSITIVE:
            dlg.form.editors[name].setObjectName(f"protected_{name}")
            dlg.form.editors[name].setStyleSheet("color:#4b5563")
    dlg.setMinimumWidth(760)
    return dlg
