"""The 评选 page's dialogs. Each takes what it needs (the app, plain rows) and returns a
:class:`~ui.kit.cultivation.FormDialog` whose ``submit`` calls the programme's service; the
result (its message, with the quota's warning) stays in the dialog for the opener to show. Labels
come from the field descriptions (``queries.field_labels``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import QComboBox, QSpinBox, QWidget

from desktop.context import App
from desktop.programmes.honours import queries, service
from ui.kit.cultivation import FieldSpec, FormDialog, tr


def label(key: str) -> str:
    """A field's label: ``label("Candidacy.deeds") == "主要事迹"``."""
    return queries.field_labels()[key]


def _help(key: str) -> str:
    return queries.field_helps().get(key, "")


def _channels(app: App) -> list[tuple[str, Any]]:
    return [(text, code) for code, text in app.labels().get("nomination_channel", {}).items()]


def round_dialog(parent: QWidget, app: App, titles: list[queries.TitleOption],
                 r: queries.RoundRow | None = None) -> FormDialog:
    """新建评选 (a title, its quota by default) or 编辑评选 of ``r``."""
    today = date.today()
    levels = app.labels().get("honour_level", {})
    items = [(f"{t.name}（{levels.get(t.level, t.level)}{'，集体' if t.collective else ''}）", t.id) for t in titles]
    by_id = {t.id: t for t in titles}

    def submit(v: dict[str, Any]) -> Any:
        return service.save_round(app, r.id if r else None, year=v["year"], title_id=v["title"],
                                  quota=v["quota"] or None, call_start=v["call_start"], call_end=v["call_end"],
                                  name=v["name"] if r else None, document=v["document"], note=v["note"])

    first = r.title_id if r else (items[0][1] if items else None)
    fields = [FieldSpec("year", label("SelectionRound.year"), "int", default=r.year if r else today.year),
              FieldSpec("title", label("HonourTitle.name"), "choice", items, default=first)]
    if r is not None:
        fields.append(FieldSpec("name", label("SelectionRound.name"), default=r.name,
                                help=_help("SelectionRound.name")))
    start = r.call_start if r and r.call_start else today
    fields += [FieldSpec("quota", label("SelectionRound.quota"), "int",
                         default=(r.quota if r else by_id[first].quota if first in by_id else None) or 0,
                         help=tr("留空（0）为不限名额；超出名额只提醒，不拒绝")),
               FieldSpec("call_start", label("SelectionRound.call_start"), "date", default=start),
               FieldSpec("call_end", label("SelectionRound.call_end"), "date",
                         default=r.call_end if r and r.call_end else start + timedelta(days=30)),
               FieldSpec("document", label("SelectionRound.document"), default=r.document if r else "",
                         help=_help("SelectionRound.document")),
               FieldSpec("note", label("SelectionRound.note"), "multiline", default=r.note if r else "")]
    dlg = FormDialog(parent, app, tr("编辑评选") if r else tr("新建评选"), fields, submit,
                     intro=tr("镇级称号：推荐 → 初审 → 评审 → 公示 → 命名；县级及以上称号在公示后上报，再登记上级命名结果。"
                              "评选名称按年度和称号自动生成。"))
    quota = dlg.widgets["quota"]
    if isinstance(quota, QSpinBox):
        quota.setSpecialValueText(tr("不限"))
    combo = dlg.widgets["title"]
    if r is None and isinstance(combo, QComboBox) and isinstance(quota, QSpinBox):
        combo.currentIndexChanged.connect(
            lambda _i: quota.setValue((by_id[combo.currentData()].quota or 0) if combo.currentData() in by_id else 0))
    return dlg


def nomination_day(r: queries.RoundRow, today: date | None = None) -> date:
    """A new nomination's date: today, but not before the call opens, and within the round's year
    when a past year's round is filled in afterwards."""
    today = today or date.today()
    day = max(today, r.call_start or date.min)
    if r.year < today.year:
        day = min(day, r.call_end or date(r.year, 12, 31))
    return day


def nomination_dialog(parent: QWidget, app: App, r: queries.RoundRow,
                      n: queries.NominationRow | None = None) -> FormDialog:
    """添加推荐 (a worker, or a unit and team for a collective title) or 修改推荐材料 of ``n``."""
    if n is None:
        if r.collective:
            who = [FieldSpec("organisation", label("Candidacy.organisation_id"), "choice",
                             queries.organisation_options(app)),
                   FieldSpec("team", label("Candidacy.team"), help=_help("Candidacy.team"))]
        else:
            who = [FieldSpec("worker", label("Candidacy.worker_id"), "worker")]
        who.append(FieldSpec("on", tr("推荐日期"), "date", default=nomination_day(r)))
    else:
        who = [FieldSpec("who", label("Candidacy.worker_id"), "info", default=n.name)]
        if r.collective:
            who.append(FieldSpec("team", label("Candidacy.team"), default=n.team))
    fields = [
        *who,
        FieldSpec("channel", label("Candidacy.channel"), "choice", _channels(app), default=n.channel if n else "organisation"),
        FieldSpec("recommender", label("Candidacy.recommender"), default=n.recommender if n else "",
                  help=tr("组织推荐时留空则为推荐对象所在单位")),
        FieldSpec("deeds", label("Candidacy.deeds"), "multiline", default=n.deeds if n else ""),
        FieldSpec("materials", label("Candidacy.materials"), "multiline", default=n.materials if n else "",
                  help=_help("Candidacy.materials")),
        FieldSpec("note", label("Candidacy.note"), "multiline", default=n.note if n else "")]

    def submit(v: dict[str, Any]) -> Any:
        if n is not None:
            return service.edit_nomination(app, n.id, channel=v["channel"], recommender=v["recommender"],
                                           deeds=v["deeds"], materials=v["materials"], note=v["note"],
                                           team=v.get("team"))
        return service.nominate(app, r.id, v["on"], worker_id=v.get("worker"), organisation_id=v.get("organisation"),
                                team=v.get("team"), channel=v["channel"], recommender=v["recommender"],
                                deeds=v["deeds"], materials=v["materials"], note=v["note"])

    dlg = FormDialog(parent, app, tr("修改推荐材料：{0}").format(n.name) if n else tr("添加推荐：{0}").format(r.name),
                     fields, submit,
                     intro="" if n else tr("同一人在一次评选中只能推荐一次。获得过优先推荐称号（如卓越工程师）的，名单中标为“优先”。"))
    if "worker" in dlg.widgets:
        dlg.setMinimumWidth(800)  # the worker list shows its columns (unit, trade, grade) unclipped
    return dlg


def advance_dialog(parent: QWidget, app: App, r: queries.RoundRow, chosen: list[queries.NominationRow],
                   others: list[queries.NominationRow]) -> FormDialog:
    """推进到下一阶段 for the chosen nominations (and, when ticked, the others at the same stage)."""
    step = chosen[0].next_stage
    naming = step in ("命名", "上级命名")
    after = r.publicity_end + timedelta(days=1) if r.publicity_end and step in ("命名", "上级命名", "上报") else None
    default_on = max(date.today(), after) if after else date.today()
    names = "、".join(n.name for n in chosen)
    fields = [FieldSpec("on", tr("{0}日期").format(step), "date", default=default_on)]
    if naming:
        fields.append(FieldSpec("document", label("SelectionRound.document"), default=r.document,
                                help=tr("命名文件的文号，如：县总工〔2026〕12号；记入荣誉档案")))
    if others:
        fields.append(FieldSpec("all", tr("同时推进同一阶段的其他 {0} 名：{1}").format(
            len(others), "、".join(o.name for o in others[:6]) + ("等" if len(others) > 6 else "")), "flag", default=False))

    def submit(v: dict[str, Any]) -> Any:
        ids = [n.id for n in chosen] + ([o.id for o in others] if v.get("all") else [])
        return service.advance(app, ids, v["on"], document=v.get("document"))

    intro = tr("{0}：从“{1}”推进到“{2}”。").format(names, chosen[0].stage_shown, step)
    if naming:
        intro += tr("命名后记入劳模档案（荣誉称号名册）；超出名额只提醒。")
    return FormDialog(parent, app, tr("推进到{0}").format(step), fields, submit, intro=intro)


def reject_dialog(parent: QWidget, app: App, n: queries.NominationRow, after_report: bool) -> FormDialog:
    word = tr("未获命名") if after_report else tr("未通过")
    fields = [FieldSpec("on", label("StageMove.on"), "date", default=date.today()),
              FieldSpec("reason", label("Candidacy.reason"),
                        default=tr("上级评审未入选") if after_report else "",
                        help=tr("必填，如：申报材料不全、不符合推荐条件、评审未入选"))]
    return FormDialog(parent, app, tr("{0}：{1}").format(word, n.name), fields,
                      lambda v: service.reject(app, n.id, v["on"], v["reason"]),
                      intro=tr("{0}目前处于“{1}”阶段。登记后不能再推进。").format(n.name, n.stage_shown))


def publicity_dialog(parent: QWidget, app: App, r: queries.RoundRow, ready: int) -> FormDialog:
    """开始公示: the first day and the working days; the end date shown as the clerk types."""
    first = queries.next_working_day(app, date.today())
    days = int(app.settings.get("publicity_days") or 5)

    def preview(v: dict[str, Any]) -> str:
        end, n = queries.publicity_end(app, v["start"], v["days"] or None)
        return tr("公示期：{0} 至 {1}<br>共 {2} 个工作日（已扣除节假日，计入调休上班日）").format(
            v["start"].isoformat(), end.isoformat(), n)

    fields = [FieldSpec("start", label("SelectionRound.publicity_start"), "date", default=first),
              FieldSpec("days", tr("公示期（工作日）"), "int", default=days,
                        help=tr("默认取“设置”中的公示天数"))]
    return FormDialog(parent, app, tr("开始公示：{0}").format(r.name), fields,
                      lambda v: service.start_publicity(app, r.id, v["start"], v["days"] or None),
                      intro=tr("处于“评审”阶段的 {0} 名对象将进入公示；公示期满后方可{1}。").format(
                          ready, tr("上报") if r.upward else tr("命名")), preview=preview)
