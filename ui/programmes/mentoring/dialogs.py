"""The 师徒结对 tab's dialogs. Each takes what it needs (the app, a plain row) and returns a
:class:`FormDialog` whose ``submit`` calls the programme's service; the result (message and
flags) stays in the dialog for the opener to show. Labels come from the field descriptions, in
师徒结对's words (师傅, 徒弟).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from PySide6.QtWidgets import QWidget

from desktop.context import App
from desktop.programmes.mentoring import queries, service
from desktop.programmes.mentoring.pairs import half_year
from ui.kit.cultivation import FieldSpec, FormDialog, tr


@cache
def label(key: str) -> str:
    """A field's label: ``label("MentorEvaluation.rating_of_mentee") == "师傅评徒弟"``."""
    return queries.field_labels()[key]


def _help(key: str) -> str:
    return queries.field_helps().get(key, "")


def pair_dialog(parent: QWidget, app: App, p: queries.PairRow | None) -> FormDialog:
    """新建师徒结对 (``p`` None: the master and the first apprentice) or 编辑师徒结对 of ``p``."""
    today = date.today()

    def submit(v: dict[str, Any]) -> Any:
        return service.save_pair(app, p.id if p else None, v["master"], v["trade"], v["start"], v["term"],
                                 goals=v["goals"], ceremony_on=v["ceremony"], apprentice_id=v.get("apprentice"))

    fields = [FieldSpec("master", label("Pair.master_id"), "worker", default=p.master_id if p else None)]
    if p is None:
        fields.append(FieldSpec("apprentice", label("MentorLink.mentee_id"), "worker"))
    fields += [FieldSpec("trade", label("Pair.trade"), default=p.trade if p else "",
                         help=tr("{0}；留空则用师傅的工种").format(_help("Pair.trade"))),
               FieldSpec("start", label("Pair.started_on"), "date", default=p.started_on if p else today),
               FieldSpec("term", label("Pair.term_months"), "int", default=p.term_months if p else 12),
               FieldSpec("ceremony", label("Pair.ceremony_on"), "date", default=p.started_on if p else today),
               FieldSpec("goals", label("Pair.goals"), "multiline", default=p.goals if p else "")]
    return FormDialog(parent, app, tr("编辑师徒结对") if p else tr("新建师徒结对"), fields, submit,
                      intro=tr("师傅每带一名徒弟每月享受带徒津贴；拜师帖可在结对后打印。"))


def apprentice_dialog(parent: QWidget, app: App, p: queries.PairRow) -> FormDialog:
    fields = [FieldSpec("who", label("MentorLink.mentee_id"), "worker"),
              FieldSpec("on", label("MentorLink.started_on"), "date", default=max(date.today(), p.started_on))]
    return FormDialog(parent, app, tr("添加徒弟"), fields,
                      lambda v: service.add_apprentice(app, p.id, v["who"], v["on"]))


def evaluation_dialog(parent: QWidget, app: App, a: queries.ApprenticeRow) -> FormDialog:
    today = date.today()
    fields = [FieldSpec("period", label("MentorEvaluation.period"), default=half_year(today)),
              FieldSpec("on", label("MentorEvaluation.evaluated_on"), "date", default=today),
              FieldSpec("of_mentee", label("MentorEvaluation.rating_of_mentee"), "level", default=4),
              FieldSpec("of_mentor", label("MentorEvaluation.rating_of_mentor"), "level", default=4),
              FieldSpec("note", label("MentorEvaluation.note"), "multiline")]
    return FormDialog(parent, app, tr("师徒双向评议：{0} — {1}").format(a.mentor, a.mentee), fields,
                      lambda v: service.evaluate(app, a.link_id, v["period"], v["on"], v["of_mentee"], v["of_mentor"],
                                                 v["note"], a.mentee),
                      intro=tr("任一方评为基本合格及以下的，建议调整结对；师傅被评为优秀的，评先评优时优先。"))


def outcome_dialog(parent: QWidget, app: App, a: queries.ApprenticeRow) -> FormDialog:
    grades = [(text, code) for code, text in app.labels().get("skill_grade", {}).items() if code != "none"]
    fields = [FieldSpec("grade", label("MentorLink.outcome_grade"), "choice", grades, default="intermediate"),
              FieldSpec("on", label("MentorLink.outcome_on"), "date", default=date.today()),
              FieldSpec("note", label("MentorLink.outcome_note"), default=tr("通过职业技能等级认定"))]
    return FormDialog(parent, app, tr("登记晋级：{0}").format(a.mentee), fields,
                      lambda v: service.record_outcome(app, a.link_id, v["on"], v["grade"], v["note"]))


def _end_fields(default_on: date, reason: str) -> list[FieldSpec]:
    return [FieldSpec("on", tr("{0}（最后一天）").format(label("MentorLink.ended_on")), "date", default=default_on),
            FieldSpec("reason", label("MentorLink.end_reason"), default=reason, help=_help("MentorLink.end_reason"))]


def release_dialog(parent: QWidget, app: App, a: queries.ApprenticeRow) -> FormDialog:
    return FormDialog(parent, app, tr("解除师徒关系"), _end_fields(date.today(), tr("调岗")),
                      lambda v: service.end_apprentice(app, a.link_id, v["on"], v["reason"]))


def end_dialog(parent: QWidget, app: App, p: queries.PairRow) -> FormDialog:
    return FormDialog(parent, app, tr("结束结对"), _end_fields(min(date.today(), p.term_end), tr("带徒期满")),
                      lambda v: service.end_pair(app, p.id, v["on"], v["reason"]))
