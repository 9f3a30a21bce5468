"""The 劳动争议 tab's dialogs for a dispute's people and papers: 添加劳动者 (from the workers register,
or named only), 添加经办人 (劳动法律监督员, 法律援助志愿者, 律师 …), 关联名册 (a worker or unit named only
linked to its register record once it is there) and 登记附件."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QWidget

from db.errors import ValidationError
from desktop.context import App
from desktop.programmes.disputes import queries, rules, service
from desktop.reads import ref_options
from ui.kit.cultivation import FieldSpec, FormDialog, tr
from ui.kit.parts import searchable
from ui.kit.worker_picker import WorkerPicker
from ui.programmes.disputes.fields import items, label
from ui.programmes.disputes.parties import worker_label

#: A dialog holding the kit's worker picker: wide enough for its columns beside the label.
PICKER_WIDTH = 940


def worker_dialog(parent: QWidget, app: App, d: queries.DisputeDetail) -> FormDialog:
    """添加劳动者: a worker of the register, or (nobody chosen) one named only with a phone."""

    def submit(v: dict[str, Any]) -> Any:
        if v["name"]:
            values = {"name": v["name"], "phone": v["phone"] or None, "note": v["note"] or None}
        elif v["worker"] is not None:
            values = {"worker_id": v["worker"], "note": v["note"] or None}
        else:
            raise ValidationError("field_invalid", tr("请从职工名册中选择一名职工，或填写名册中还没有的职工的姓名"))
        return service.add_party(app, d.row.id, rules.WORKER, values)

    fields = [FieldSpec("worker", tr("从职工名册选择"), "worker"),
              FieldSpec("name", tr("或只记姓名"), help=tr("名册中还没有的职工：填写姓名和电话，登记进名册后再关联")),
              FieldSpec("phone", worker_label("phone")),
              FieldSpec("note", label("CaseParty.note"))]
    dlg = FormDialog(parent, app, tr("添加劳动者：{0}").format(d.row.number), fields, submit,
                     intro=tr("集体争议可逐一添加劳动者代表。填写了姓名的，按“只记姓名”添加。"))
    dlg.setMinimumWidth(PICKER_WIDTH)
    return dlg


def handler_dialog(parent: QWidget, app: App, d: queries.DisputeDetail) -> FormDialog:
    """添加经办人: who handles the case for the union, and in what capacity."""

    def submit(v: dict[str, Any]) -> Any:
        return service.add_handler(app, d.row.id, {"capacity": v["capacity"], "name": v["name"],
                                               "phone": v["phone"] or None, "note": v["note"] or None})

    capacities = items(app, "dp_handler")
    fields = [FieldSpec("capacity", tr("经办人身份"), "choice", capacities,
                        default=capacities[0][1] if capacities else None),
              FieldSpec("name", label("CaseParty.name")),
              FieldSpec("phone", label("CaseParty.phone"), help=tr("手机或座机，如 13812345678、0571-63712345")),
              FieldSpec("note", label("CaseParty.note"), help=tr("如：所在律师事务所、负责的环节"))]
    return FormDialog(parent, app, tr("添加经办人：{0}").format(d.row.number), fields, submit,
                      intro=tr("工会劳动法律监督员、法律援助志愿者、律师等参与化解本案的人员。"))


def link_dialog(parent: QWidget, app: App, d: queries.DisputeDetail, party: queries.PartyRow) -> FormDialog:
    """关联名册: a worker named only → the register's worker; an employer named only → the register's unit."""
    employer = party.role == rules.EMPLOYER
    if employer:
        units = ref_options(app, "organisations") or []
        guess = next((uid for uid, name in units if name == party.name), units[0][0] if units else None)
        fields = [FieldSpec("unit", tr("单位名册中的单位"), "choice", [(name, uid) for uid, name in units],
                          default=guess)]
    else:
        fields = [FieldSpec("worker", tr("职工名册中的职工"), "worker")]

    def submit(v: dict[str, Any]) -> Any:
        if employer:
            return service.link_party(app, party.id, organisation_id=v["unit"])
        if v["worker"] is None:
            raise ValidationError("field_invalid", tr("请在列表中选择一名职工（可输入姓名、身份证号尾号查找）"))
        return service.link_party(app, party.id, worker_id=v["worker"])

    dlg = FormDialog(parent, app, tr("关联名册：{0}").format(party.name), fields, submit,
                     intro=tr("“{0}”登记时只记了名称。{1}登记进名册后，在这里选择对应的记录，本案即与名册关联。").format(
                         party.name, tr("该单位") if employer else tr("该职工")))
    if employer:
        searchable(dlg.widgets["unit"])
    else:
        picker = dlg.widgets["worker"]
        assert isinstance(picker, WorkerPicker)

        def found() -> None:  # nobody of that name yet: say what to do
            text = "" if picker.hits else tr("<span style='color:#b45309'>▲ 职工名册中没有找到“{0}”：请先在“职工”页"
                                             "登记该职工，或输入其他关键字查找</span>").format(picker.search.text().strip())
            dlg.hints.setText(text)
            dlg.hints.setVisible(bool(text))

        picker.current_changed.connect(found)
        picker.search.setText(party.name)
        picker.refresh()
        dlg.setMinimumWidth(PICKER_WIDTH)
    return dlg


def attachment_dialog(parent: QWidget, app: App, d: queries.DisputeDetail) -> FormDialog:
    """登记附件: a paper of the case noted by name (the file itself stays in the office's folders)."""
    fields = [FieldSpec("name", label("CaseAttachment.name"), help=tr("如：调解申请书、调解笔录、调解协议书、仲裁确认书")),
              FieldSpec("on", label("CaseAttachment.added_on"), "date", default=date.today()),
              FieldSpec("note", label("CaseAttachment.note"), "multiline", help=tr("如：原件存放位置、份数"))]
    return FormDialog(parent, app, tr("登记附件：{0}").format(d.row.number), fields,
                      lambda v: service.add_attachment(app, d.row.id, v["name"], v["on"], v["note"] or None),
                      intro=tr("附件只登记名称，原件或电子文件请存放在办公室的案卷中。"))
