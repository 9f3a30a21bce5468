"""The 星级工会 tab's form dialogs. Each takes what it needs (the app, a plain row) and returns a
:class:`~ui.kit.cultivation.FormDialog` whose ``submit`` calls the programme's service; labels
come from the field descriptions (``queries.field_labels``)."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from desktop.context import App
from desktop.programmes.core.selection import FAILED
from desktop.programmes.star_unions import queries, rules, service
from desktop.programmes.star_unions.rules import WORKFLOW
from ui.kit.cultivation import FieldSpec, FormDialog, tr
from ui.kit.parts import searchable


@cache
def label(key: str) -> str:
    """A field's label: ``label("Candidacy.award") == "申报星级"``."""
    return queries.field_labels()[key]


def _help(key: str) -> str:
    return queries.field_helps().get(key, "")


def level_items(app: App) -> list[tuple[str, str]]:
    return [(text, code) for code, text in app.labels().get("star_level", {}).items()]


def apply_dialog(parent: QWidget, app: App, year: int) -> FormDialog:
    """新增申报: a unit (founded unions first), the level (its next one by default), the date."""
    units = queries.unit_choices(app)
    by_id = {u.id: u for u in units}
    shown = [(u.name if u.founded else tr("{0}（未建会）").format(u.name), u.id) for u in units]
    first = next((u for u in units if u.founded), None)

    def preview(v: dict[str, Any]) -> str:
        u = by_id.get(v.get("unit") or 0)
        if u is None:
            return ""
        if not u.founded:
            return tr("<span style='color:#b71c1c'>✖ 该单位尚未建立工会，不能申报</span>")
        now = tr("现为{0}").format(u.held) if u.held else tr("尚未评定星级")
        labels = app.labels().get("star_level", {})
        may = tr("，可申报{0}").format(labels.get(u.next_level or "", "")) if u.next_level else tr("，已是最高星级")
        return f"<span style='color:#4b5563'>· {now}{may}</span>"

    def submit(v: dict[str, Any]) -> Any:
        return service.apply(app, year, v["unit"], v["level"], v["on"], materials=v["materials"])

    today = date.today()
    fields = [FieldSpec("unit", label("Candidacy.organisation_id"), "choice", shown, default=first.id if first else None),
              FieldSpec("level", label("Candidacy.award"), "choice", level_items(app),
                        default=(first.next_level if first else None) or "three"),
              FieldSpec("on", tr("申报日期"), "date", default=today if today.year == year else date(year, 3, 1)),
              FieldSpec("materials", label("Candidacy.materials"), "multiline", default=tr("申报表、自评表、佐证材料"),
                        help=_help("Candidacy.materials"))]
    dlg = FormDialog(parent, app, tr("新增{0}年度星级工会申报").format(year), fields, submit, preview=preview,
                     intro=tr("只有已建立工会的单位可以申报；星级逐级创建：先创三星级，再申报四星级、五星级。"))
    searchable(dlg.widgets["unit"])

    def unit_changed() -> None:
        u = by_id.get(dlg.value("unit") or 0)
        if u is not None and u.next_level:
            dlg.form.set_value("level", u.next_level)

    dlg.form.editors["unit"].currentIndexChanged.connect(lambda _i: unit_changed())  # type: ignore[attr-defined]
    return dlg


def advance_dialog(parent: QWidget, app: App, row: queries.ApplicationRow, *, naming: bool = False,
                   document: str = "") -> FormDialog:
    """推进 to the next stage, or 未通过 with a reason; ``naming``: 命名 (with the document's number,
    ``document`` the round's so far)."""
    nxt = row.next_stage
    choices = [(tr("下一阶段：{0}").format(WORKFLOW.label(nxt)), nxt)] if nxt and nxt != rules.REVIEW else []
    if not row.named:
        choices.append((tr("未通过"), FAILED))
    fields = [FieldSpec("to", tr("推进到"), "choice", choices, default=choices[0][1] if choices else None),
              FieldSpec("on", tr("推进日期"), "date", default=date.today()),
              FieldSpec("reason", label("Candidacy.reason"), help=tr("设为未通过时必填"))]
    if naming:
        fields = [FieldSpec("on", label("Holding.named_on"), "date", default=date.today()),
                  FieldSpec("document", label("SelectionRound.document"), default=document,
                            help=_help("SelectionRound.document"))]

    def submit(v: dict[str, Any]) -> Any:
        if naming:
            return service.advance(app, row.id, rules.NAMED, v["on"], document=v.get("document"))
        return service.advance(app, row.id, v["to"] or "", v["on"], v.get("reason"))

    intro = (tr("{0}申报{1}，县评定得分 {2} 分（达标分数 {3} 分）。命名后该工会自命名日期起为{1}，原星级同日终止。").format(
        row.unit, row.applied_title, rules.fmt(row.totals.get(rules.COUNTY)) or tr("未评"), row.threshold)
        if naming else tr("{0}：当前为“{1}”。进入自评、镇初审、县评定前，须先录入该阶段全部评分。").format(
        row.unit, row.stage_label))
    return FormDialog(parent, app, tr("命名") if naming else tr("推进申报"), fields, submit, intro=intro)


def review_dialog(parent: QWidget, app: App, row: queries.ApplicationRow) -> FormDialog:
    """回头看: 保持, 降级 (one level down from the date) or 撤销, the last two with a reason."""
    results = [(text, code) for code, text in app.labels().get("star_review", {}).items()]
    fields = [FieldSpec("result", label("Candidacy.review"), "choice", results, default=rules.KEEP),
              FieldSpec("on", tr("回头看日期"), "date", default=date.today()),
              FieldSpec("reason", tr("原因（降级、撤销必填）"), "multiline")]
    return FormDialog(parent, app, tr("回头看：{0}").format(row.unit), fields,
                      lambda v: service.review(app, row.id, v["on"], v["result"], v["reason"]),
                      intro=tr("现为{0}。降级的自回头看之日起降为下一星级；撤销的自该日起不再享有星级。").format(
                          row.held or row.applied_title))


def level_dialog(parent: QWidget, app: App, lv: queries.LevelRow) -> FormDialog:
    fields = [FieldSpec("title", label("StarLevel.title"), default=lv.title, help=_help("StarLevel.title")),
              FieldSpec("threshold", label("StarLevel.threshold"), "int", default=lv.threshold,
                        help=_help("StarLevel.threshold"))]
    return FormDialog(parent, app, tr("编辑星级：{0}星").format(lv.rank), fields,
                      lambda v: service.save_level(app, lv.code, v["title"], v["threshold"]),
                      intro=tr("达标分数为默认值，请按本县（市、区）总工会的星级工会评定标准调整。"))


def item_dialog(parent: QWidget, app: App, view: queries.StandardView, it: queries.ItemRow | None) -> FormDialog:
    fields = [FieldSpec("dimension", label("StarItem.dimension"),
                        default=it.dimension if it else (view.dimensions[0] if view.dimensions else None)),
              FieldSpec("item", label("StarItem.item"), default=it.item if it else ""),
              FieldSpec("max_score", label("StarItem.max_score"), "int", default=it.max_score if it else 5),
              FieldSpec("evidence", label("StarItem.evidence"), default=it.evidence if it else "")]
    if it is not None:
        fields.append(FieldSpec("retired", label("StarItem.retired"), "choice", [(tr("在用"), False), (label("StarItem.retired"), True)],
                                default=it.retired))
    dlg = FormDialog(parent, app, tr("编辑评分内容") if it else tr("新增评分内容"), fields,
                     lambda v: service.save_item(app, it.id if it else None, v["dimension"], v["item"], v["max_score"],
                                                 v["evidence"], retired=bool(v.get("retired"))),
                     intro=tr("评分项目可直接输入新的名称。现有评分标准满分 {0} 分。").format(view.full_marks))
    edit = dlg.widgets["dimension"]
    assert isinstance(edit, QLineEdit)
    edit.setCompleter(QCompleter(view.dimensions, edit))  # an area in use, or a new one typed in
    return dlg
