"""The 师徒结对 tab's dialogs: each submit calls the service in one transaction, then the tab reloads."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from db.errors import ValidationError
from db.models.core.registers import Worker
from desktop.programmes.core import cultivation as core
from desktop.programmes.mentoring import queries as svc
from ui.kit.cultivation import FieldSpec, FormDialog, tr

if TYPE_CHECKING:
    from ui.programmes.mentoring.tab import MentoringTab


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


def _form(tab: MentoringTab, title: str, fields: list[FieldSpec], submit: Any, intro: str = "") -> FormDialog:
    dlg = FormDialog(tab.window(), tab.app, title, fields, lambda v: tab.done(submit(v)), intro=intro)
    tab.dialog = dlg
    dlg.open()
    return dlg


def pair_dialog(tab: MentoringTab, edit: bool) -> FormDialog | None:
    p = tab.current() if edit else None
    if edit and p is None:
        return None
    today = date.today()

    def submit(v: dict[str, Any]) -> str:
        if not v["master"]:
            raise ValidationError("worker_missing", tr("请从职工名册中选择师傅"))
        if not edit and not v["apprentice"]:
            raise ValidationError("worker_missing", tr("请选择徒弟（其他徒弟可随后添加）"))
        with tab.app.db.session() as s:
            master = s.get(Worker, v["master"])
            trade = v["trade"] or (master.trade if master is not None else "") or ""
            pair = svc.save_pair(s, p.id if p else None, v["master"], trade, v["start"], v["term"],
                                 goals=v["goals"], ceremony_on=v["ceremony"])
            if not edit:
                svc.add_apprentice(s, pair.id, v["apprentice"], v["start"])
            pid = pair.id
        tab.select_after = pid
        return tr("已保存师徒结对")

    fields = [FieldSpec("master", tr("师傅"), "worker", default=p.master_id if p else None)]
    if not edit:
        fields.append(FieldSpec("apprentice", tr("徒弟"), "worker"))
    fields += [FieldSpec("trade", tr("传授工种（技艺）"), default=p.trade if p else "",
                         help=tr("留空则用师傅的工种")),
               FieldSpec("start", tr("结对日期"), "date", default=p.started_on if p else today),
               FieldSpec("term", tr("带徒期限（月）"), "int", default=p.term_months if p else 12),
               FieldSpec("ceremony", tr("拜师日期"), "date", default=p.started_on if p else today),
               FieldSpec("goals", tr("带徒目标"), "multiline", default=p.goals if p else "")]
    return _form(tab, tr("编辑师徒结对") if edit else tr("新建师徒结对"), fields, submit,
                      tr("师傅每带一名徒弟每月享受带徒津贴；拜师帖可在结对后打印。"))

def apprentice_dialog(tab: MentoringTab) -> FormDialog | None:
    p = tab.current()
    if p is None:
        return None

    def submit(v: dict[str, Any]) -> str:
        if not v["who"]:
            raise ValidationError("worker_missing", tr("请选择徒弟"))
        with tab.app.db.session() as s:
            lk = svc.add_apprentice(s, p.id, v["who"], v["on"])
            name = lk.mentee.name
        return tr("{0} 拜 {1} 为师").format(name, p.master)

    return _form(tab, tr("添加徒弟"), [FieldSpec("who", tr("徒弟"), "worker"),
                                     FieldSpec("on", tr("拜师日期"), "date", default=max(date.today(), p.started_on))],
                      submit)

def _apprentice(tab: MentoringTab) -> Any:
    row = tab.apprentices.selected_row()
    if row is None:
        tab.warn(tr("请选择"), tr("请先选中一名徒弟"))
    return row.data if row is not None else None

def evaluation_dialog(tab: MentoringTab) -> FormDialog | None:
    lk = _apprentice(tab)
    if lk is None:
        return None
    today = date.today()

    def submit(v: dict[str, Any]) -> str:
        with tab.app.db.session() as s:
            ev = svc.evaluate(s, lk.id, v["period"], v["on"], v["of_mentee"], v["of_mentor"], v["note"])
            tab.hints = core.flags(ev.rating_of_mentee, ev.rating_of_mentor)
        return tr("已录入 {0} 的评议：{1}").format(lk.mentee.name, v["period"])

    fields = [FieldSpec("period", tr("评议期"), default=svc.half_year(today)),
              FieldSpec("on", tr("评议日期"), "date", default=today),
              FieldSpec("of_mentee", tr("师傅评徒弟"), "level", default=4),
              FieldSpec("of_mentor", tr("徒弟评师傅"), "level", default=4),
              FieldSpec("note", tr("评议意见"), "multiline")]
    return _form(tab, tr("师徒双向评议：{0} — {1}").format(lk.mentor.name, lk.mentee.name), fields, submit,
                      tr("任一方评为基本合格及以下的，建议调整结对；师傅被评为优秀的，评先评优时优先。"))

def outcome_dialog(tab: MentoringTab) -> FormDialog | None:
    lk = _apprentice(tab)
    if lk is None:
        return None
    grades = [(label, code) for code, label in tab.labels.get("skill_grade", {}).items() if code != "none"]

    def submit(v: dict[str, Any]) -> str:
        with tab.app.db.session() as s:
            tab.hints = svc.record_outcome(s, lk.id, v["on"], v["grade"], v["note"])
        return tr("{0} 取得{1}，职工名册已更新").format(lk.mentee.name, tab.grade_label(v["grade"]))

    return _form(tab, tr("登记晋级：{0}").format(lk.mentee.name), [
        FieldSpec("grade", tr("取得技能等级"), "choice", grades, default="intermediate"),
        FieldSpec("on", tr("取得日期"), "date", default=date.today()),
        FieldSpec("note", tr("说明"), default=tr("通过职业技能等级认定"))], submit)

def release_dialog(tab: MentoringTab) -> FormDialog | None:
    lk = _apprentice(tab)
    if lk is None:
        return None

    def submit(v: dict[str, Any]) -> str:
        with tab.app.db.session() as s:
            svc.end_apprentice(s, lk.id, v["on"], v["reason"])
        return tr("{0} 的师徒关系已于 {1} 结束").format(lk.mentee.name, _d(v["on"]))

    return _form(tab, tr("解除师徒关系"), [FieldSpec("on", tr("结束日期（最后一天）"), "date", default=date.today()),
                                       FieldSpec("reason", tr("原因"), default=tr("调岗"))], submit)

def end_dialog(tab: MentoringTab) -> FormDialog | None:
    p = tab.current()
    if p is None:
        return None

    def submit(v: dict[str, Any]) -> str:
        with tab.app.db.session() as s:
            svc.end_pair(s, p.id, v["on"], v["reason"])
        return tr("{0} 师傅的结对已于 {1} 结束").format(p.master, _d(v["on"]))

    return _form(tab, tr("结束结对"), [FieldSpec("on", tr("结束日期（最后一天）"), "date",
                                             default=min(date.today(), p.term_end)),
                                   FieldSpec("reason", tr("原因"), default=tr("带徒期满"))], submit)
