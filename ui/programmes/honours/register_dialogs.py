"""The 劳模档案 dialogs: 登记获得者, 终止称号, 登记待遇, 登记宣讲. Each takes what it needs (the app,
plain rows) and returns a :class:`FormDialog` whose ``submit`` calls ``register_service``. Labels
come from the field descriptions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtWidgets import QComboBox, QSpinBox, QWidget

from desktop.context import App
from desktop.programmes.honours import register_queries as queries
from desktop.programmes.honours import register_service as service
from ui.kit.cultivation import FieldSpec, FormDialog, tr
from ui.programmes.honours.titles_page import helps, label


def holder_dialog(parent: QWidget, app: App, worker_id: int | None = None) -> FormDialog:
    """登记获得者: the title, then the worker (a person's title) or the unit and team (a collective's)."""
    levels = app.labels().get("honour_level", {})
    titles = [t for t in queries.titles(app) if not t.retired]
    by_id = {t.id: t for t in titles}
    items = [(f"{t.name}（{levels.get(t.level, t.level)}{tr('·集体') if t.collective else ''}）", t.id) for t in titles]
    units = [(name, oid) for oid, name in queries.organisations(app)]
    today = date.today()
    fields = [FieldSpec("title", label("Holding.title"), "choice", items),
              FieldSpec("worker", label("Holding.worker_id"), "worker", default=worker_id),
              FieldSpec("organisation", label("Holding.organisation_id"), "choice", [("", None), *units]),
              FieldSpec("team", label("Holding.team"), help=tr("授予单位内的班组、车间时填写，如：数控车间一班")),
              FieldSpec("year", label("Holding.year"), "int", default=today.year),
              FieldSpec("named_on", label("Holding.named_on"), "date", default=today),
              FieldSpec("body", label("Holding.body"), help=tr("留空则用称号的命名单位")),
              FieldSpec("document", label("Holding.document"), help=tr("如：县总工〔2024〕12号")),
              FieldSpec("note", label("Holding.note"), "multiline")]

    def submit(v: dict[str, Any]) -> Any:
        t = by_id.get(v["title"])
        collective = t is not None and t.collective
        return service.add_holder(app, v["title"], named_on=v["named_on"], year=v["year"] or None,
                                  worker_id=None if collective else v["worker"],
                                  organisation_id=v["organisation"] if collective else None,
                                  team=v["team"] if collective else None, body=v["body"], document=v["document"],
                                  note=v["note"])

    dlg = FormDialog(parent, app, tr("登记获得者"), fields, submit,
                     intro=tr("登记本程序使用前已命名的，或由上级直接命名的称号获得者；经本会评选命名的，在评选中自动登记。"))

    def fit(resize: bool = True) -> None:
        t = by_id.get(dlg.value("title"))
        collective = t is not None and t.collective
        for name, shown in (("worker", not collective), ("organisation", collective), ("team", collective)):
            dlg.widgets[name].setVisible(shown)
            lab = dlg.form.labels.get(name)
            if lab is not None:
                lab.setVisible(shown)
        if resize:
            dlg.adjustSize()

    dlg.setMinimumWidth(800)  # the worker list shows its columns (unit, trade, grade) unclipped
    unit = dlg.widgets["organisation"]
    assert isinstance(unit, QComboBox)
    unit.setMinimumContentsLength(24)
    dlg.form.editors["title"].currentIndexChanged.connect(lambda _i: fit())  # type: ignore[attr-defined]
    fit(resize=False)
    return dlg


def end_dialog(parent: QWidget, app: App, h: queries.HolderRow) -> FormDialog:
    fields = [FieldSpec("on", label("Holding.ended_on"), "date", default=max(date.today(), h.named_on)),
              FieldSpec("reason", label("Holding.end_reason"), help=tr("如：因违纪被撤销称号、去世、调离本地"))]
    return FormDialog(parent, app, tr("终止称号：{0}（{1}）").format(h.holder, h.title), fields,
                      lambda v: service.end_holding(app, h.id, v["on"], v["reason"]),
                      intro=tr("终止后不再列入名册和待遇名单，历史记录保留。"))


def benefit_dialog(parent: QWidget, app: App, people: Sequence[tuple[int, str]], year: int,
                   kind: str | None = None) -> FormDialog:
    """登记待遇 for one holder or several (the 本年待落实 list): ``people`` are (worker id, name)."""
    kinds = [(text, code) for code, text in app.labels().get("benefit_kind", {}).items()]
    today = date.today()
    names = "、".join(n for _i, n in people[:8]) + (tr(" 等 {0} 人").format(len(people)) if len(people) > 8 else "")
    fields = [FieldSpec("who", label("Benefit.worker_id"), "info", default=names),
              FieldSpec("kind", label("Benefit.kind"), "choice", kinds, default=kind or kinds[0][1]),
              FieldSpec("year", label("Benefit.year"), "int", default=year),
              FieldSpec("given_on", label("Benefit.given_on"), "date",
                        default=today if today.year == year else date(year, 12, 31)),
              FieldSpec("place", label("Benefit.place"), help=helps("Benefit.place")),
              FieldSpec("note", label("Benefit.note"), "multiline")]
    return FormDialog(parent, app, tr("登记劳模待遇"), fields,
                      lambda v: service.give_benefit(app, [i for i, _n in people], v["year"], v["kind"], v["given_on"],
                                                     v["place"], v["note"]),
                      intro=tr("疗休养、免费体检、职工医疗互助每年各一次。"))


def outreach_dialog(parent: QWidget, app: App, worker_id: int, name: str) -> FormDialog:
    kinds = [(text, code) for code, text in app.labels().get("outreach_kind", {}).items()]
    fields = [FieldSpec("who", label("Outreach.worker_id"), "info", default=name),
              FieldSpec("kind", label("Outreach.kind"), "choice", kinds),
              FieldSpec("held_on", label("Outreach.held_on"), "date", default=date.today()),
              FieldSpec("place", label("Outreach.place")),
              FieldSpec("topic", label("Outreach.topic")),
              FieldSpec("audience", label("Outreach.audience"), "int"),
              FieldSpec("note", label("Outreach.note"), "multiline")]
    dlg = FormDialog(parent, app, tr("登记宣讲：{0}").format(name), fields,
                     lambda v: service.add_outreach(app, worker_id, v["kind"], v["held_on"], v["place"], v["topic"],
                                                    v["audience"] or None, v["note"]),
                     intro=tr("劳模工匠进企业、进社区、进学校宣讲，记入本人的劳模档案。"))
    audience = dlg.widgets["audience"]
    if isinstance(audience, QSpinBox):
        audience.setSpecialValueText(tr("未统计"))
    return dlg
