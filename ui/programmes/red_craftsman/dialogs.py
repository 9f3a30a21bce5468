"""The 红色工匠 tab's dialogs. Each takes what it needs (the app, plain rows, a default date) and
returns a :class:`FormDialog` whose ``submit`` calls the programme's service; the result (message
and hints) stays in the dialog for the opener to show. Labels come from the field descriptions.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from PySide6.QtWidgets import QWidget

from desktop.context import App
from desktop.programmes.core import cultivation as core
from desktop.programmes.red_craftsman import queries as rc
from desktop.programmes.red_craftsman import rules, service
from desktop.programmes.red_craftsman.rules import Hint
from ui.kit.cultivation import FieldSpec, FormDialog, hint_html, tr

OK_NOMINEE = "<span style='color:#047857'>✔ 符合该类别的推荐条件</span>"
OK_MENTOR = "<span style='color:#047857'>✔ 符合导师条件</span>"


@cache
def label(key: str) -> str:
    """A field's label from the description: ``label("Nomination.track") == "培育类别"``."""
    return rc.field_labels()[key]


def _choices(app: App, key: str, skip: tuple[str, ...] = ()) -> list[tuple[str, Any]]:
    return [(text, code) for code, text in app.labels().get(key, {}).items() if code not in skip]


def round_dialog(parent: QWidget, app: App, r: rc.RoundInfo | None, year: int) -> FormDialog:
    """新建培育年度 (``r`` None, for ``year``) or 年度设置 of ``r``."""
    year = r.year if r else year

    def submit(v: dict[str, Any]) -> Any:
        return service.save_round(app, int(v["year"]), v["quota_a"], v["quota_b"], title=v["title"],
                                  announced_on=v["announced_on"], round_id=r.id if r else None)

    fields = [FieldSpec("year", label("Round.year"), "int", default=year),
              FieldSpec("title", label("Round.title"), default=r.title if r else f"{year}年度“红色工匠”培育"),
              *(FieldSpec(f"quota_{t}", f"{label(f'Round.quota_{t}')}（{rules.TRACK_GOAL[t]}）", "int",
                          default=(getattr(r, f"quota_{t}") if r else 10)) for t in rules.TRACKS),
              FieldSpec("announced_on", label("Round.announced_on"), "date",
                        default=(r.announced_on if r else None) or date.today())]
    return FormDialog(parent, app, tr("年度设置") if r else tr("新建培育年度"), fields, submit,
                      intro=tr("按“好中选优”的原则，以 1:2 的比例确定培育对象；上年结转的人员占用本年度名额。"))


def carry_dialog(parent: QWidget, app: App, r: rc.RoundInfo) -> FormDialog:
    nxt = r.year + 1

    def submit(v: dict[str, Any]) -> Any:
        return service.carry_over(app, r.year, v["on"], v["quota_a"], v["quota_b"])

    fields = [FieldSpec("on", tr("调整日期"), "date", default=max(date.today(), date(nxt, 1, 1))),
              *(FieldSpec(f"quota_{t}", tr("{0}年度{1}").format(nxt, label(f"Round.quota_{t}")), "int",
                          default=getattr(r, f"quota_{t}")) for t in rules.TRACKS)]
    intro = tr("一年一调整：{0}年度仍在库的培育对象结转到{1}年度，占用{1}年度名额；A类已成为技术能手、"
               "B类已发展入党的，培育完成出库。结对导师不变。").format(r.year, nxt)
    return FormDialog(parent, app, tr("年度调整（结转下一年度）"), fields, submit, intro=intro)


def nominate_dialog(parent: QWidget, app: App, r: rc.RoundInfo, day: date) -> FormDialog:
    def preview(v: dict[str, Any]) -> str:
        if not v.get("worker") or not v.get("track"):
            return ""
        return hint_html(rc.hints_for(app, v["worker"], v["track"]), OK_NOMINEE)

    def submit(v: dict[str, Any]) -> Any:
        return service.nominate(app, r.id, v["worker"], v["track"], v["on"], recommender=v["recommender"],
                                note=v["note"])

    fields = [FieldSpec("worker", tr("被推荐人"), "worker"),
              FieldSpec("track", label("Nomination.track"), "choice", _choices(app, "rc_track")),
              FieldSpec("on", label("Nomination.nominated_on"), "date", default=day),
              FieldSpec("recommender", label("Nomination.recommender"), help=tr("留空则为所在单位")),
              FieldSpec("note", label("Nomination.note"), "multiline")]
    intro = tr("A类：非公企业技术工人中的党员，优秀党员优先；B类：非党员技术能手，县级以上劳模工匠或技能大赛优胜者优先。"
               "提示仅供参考，不影响推荐。")
    return FormDialog(parent, app, tr("推荐培育对象人选"), fields, submit, intro=intro, preview=preview)


def decide_dialog(parent: QWidget, app: App, nomination_ids: list[int], decision: str, day: date) -> FormDialog:
    text = app.labels().get("rc_decision", {}).get(decision, decision)
    on = label("Membership.admitted_on") if decision == "admitted" else label("Nomination.decided_on")
    fields = [FieldSpec("on", on, "date", default=day),
              FieldSpec("count", tr("人选"), "info", default=tr("选中的 {0} 人").format(len(nomination_ids)))]
    return FormDialog(parent, app, tr("确定为“{0}”").format(text), fields,
                      lambda v: service.decide(app, nomination_ids, decision, v["on"]))


def _who(row: rc.PoolRow, extra: str = "") -> FieldSpec:
    return FieldSpec("name", label("MentorLink.mentee_id"), "info", default=f"{row.name}（{extra or row.unit}）")


def remove_dialog(parent: QWidget, app: App, row: rc.PoolRow, day: date) -> FormDialog:
    reasons = _choices(app, "rc_leave_reason", skip=("carried", "completed"))
    fields = [_who(row), FieldSpec("reason", label("Membership.left_reason"), "choice", reasons),
              FieldSpec("on", label("Membership.left_on"), "date", default=day),
              FieldSpec("note", label("Membership.left_note"), "multiline")]
    return FormDialog(parent, app, tr("移出培育库"), fields,
                      lambda v: service.remove(app, row.membership_id, v["on"], v["reason"], v["note"]),
                      intro=tr("对发现有违纪违法或其他不宜继续培育的人选移出培育库；记录保留在变动记录中。"))


def replenish_dialog(parent: QWidget, app: App, r: rc.RoundInfo, day: date) -> FormDialog:
    def preview(v: dict[str, Any]) -> str:
        return hint_html(rc.hints_for(app, v["worker"], v["track"])) if v.get("worker") and v.get("track") else ""

    fields = [FieldSpec("worker", tr("补充人员"), "worker"),
              FieldSpec("track", label("Nomination.track"), "choice", _choices(app, "rc_track")),
              FieldSpec("on", label("Membership.admitted_on"), "date", default=day),
              FieldSpec("note", label("Membership.note"), "multiline")]
    return FormDialog(parent, app, tr("补充入库"), fields,
                      lambda v: service.replenish(app, r.id, v["worker"], v["track"], v["on"], note=v["note"]),
                      intro=tr("对新发现的优秀人员及时补充入库。"), preview=preview)


def mentor_dialog(parent: QWidget, app: App, row: rc.PoolRow, day: date) -> FormDialog:
    def preview(v: dict[str, Any]) -> str:
        return hint_html(rc.mentor_hints(app, row.candidate_id, v["mentor"]), OK_MENTOR) if v.get("mentor") else ""

    need = (tr("B类：由企业党组织选派党员导师（中共党员或中共预备党员）进行政治帮带，引导其入党。")
            if row.track == rules.TRACK_B else tr("A类：由企业工会选派优秀技术骨干（技师及以上或竞赛获奖）进行技术帮带。"))
    if row.mentor:
        need += tr("现导师为{0}；另选导师即重新结对，原结对记录保留。").format(row.mentor)
    fields = [_who(row, f"{rules.TRACK_SHORT[row.track]}，{row.unit}"),
              FieldSpec("mentor", label("MentorLink.mentor_id"), "worker"),
              FieldSpec("on", label("MentorLink.started_on"), "date", default=day)]
    return FormDialog(parent, app, tr("选派导师（结对帮带）"), fields,
                      lambda v: service.assign_mentor(app, row.candidate_id, v["mentor"], v["on"], row.name),
                      intro=need, preview=preview)


def training_dialog(parent: QWidget, app: App, rows: list[rc.PoolRow], chosen: list[int], day: date) -> FormDialog:
    def submit(v: dict[str, Any]) -> Any:
        return service.add_training(app, v["who"], v["on"], v["content"], kind=v["kind"], hours=v["hours"],
                                    organiser=v["organiser"])

    people = [(f"{p.name}（{rules.TRACK_SHORT[p.track]}，{p.unit}）", p.candidate_id) for p in rows]
    fields = [FieldSpec("content", label("Training.content"), default="“红色工匠”培育对象集中培训班"),
              FieldSpec("kind", label("Training.kind"), "choice", _choices(app, "rc_training_kind")),
              FieldSpec("on", label("Training.held_on"), "date", default=day),
              FieldSpec("hours", label("Training.hours"), "hours", default=8),
              FieldSpec("organiser", label("Training.organiser"), default=app.union_name),
              FieldSpec("who", tr("参训人员"), "checklist", people, default=chosen)]
    return FormDialog(parent, app, tr("登记培训"), fields, submit,
                      intro=tr("确保培育对象每年至少参加一次市或区县组织的集中学习培训。"))


def degree_dialog(parent: QWidget, app: App, row: rc.PoolRow) -> FormDialog:
    levels = [(tr("（无）"), None), *_choices(app, "degree_level")]
    fields = [_who(row), FieldSpec("level", label("Candidate.degree_level"), "choice", levels, default=row.degree),
              FieldSpec("school", label("Candidate.degree_school"), default=row.degree_school),
              FieldSpec("start", label("Candidate.degree_start"), "date", default=date(date.today().year, 9, 1))]
    return FormDialog(parent, app, tr("学历提升"), fields,
                      lambda v: service.set_degree(app, row.candidate_id, row.name, v["level"], v["school"], v["start"]),
                      intro=tr("通过学习取得国家认可的大专、本科学历的，学费补贴优先享受“农民工求学圆梦行动”相关政策。"))


def evaluation_dialog(parent: QWidget, app: App, line: rc.EvaluationLine, year: int, day: date) -> FormDialog:
    row = line.row

    def preview(v: dict[str, Any]) -> str:
        flags = core.flags(v["of_mentee"], v["of_mentor"])
        return hint_html([Hint(rules.WARNING if f == core.REPAIR_FLAG else rules.PRIORITY, f) for f in flags])

    def submit(v: dict[str, Any]) -> Any:
        return service.evaluate(app, row.link_id, year, v["on"], v["of_mentee"], v["of_mentor"], v["note"],
                                f"{row.mentor} — {row.mentee}")

    pair = f"{label('MentorLink.mentor_id')} {row.mentor} — {label('MentorLink.mentee_id')} {row.mentee}"
    fields = [FieldSpec("pair", tr("结对"), "info", default=pair),
              FieldSpec("of_mentee", label("MentorEvaluation.rating_of_mentee"), "level",
                        default=row.rating_of_mentee or 4),
              FieldSpec("of_mentor", label("MentorEvaluation.rating_of_mentor"), "level",
                        default=row.rating_of_mentor or 4),
              FieldSpec("on", label("MentorEvaluation.evaluated_on"), "date", default=row.evaluated_on or day),
              FieldSpec("note", label("MentorEvaluation.note"), "multiline", default=row.note,
                        help=tr("帮带成效及意见"))]
    return FormDialog(parent, app, tr("{0}年度师徒双向评议").format(year), fields, submit, preview=preview,
                      intro=tr("任一方评为基本合格及以下的，督促企业及时调整结对；导师被评为优秀的，评先评优时优先。"))


def expert_dialog(parent: QWidget, app: App, row: rc.PoolRow, day: date) -> FormDialog:
    def submit(v: dict[str, Any]) -> Any:
        return service.record_expert(app, row.candidate_id, row.name, v["on"], v["how"], v["detail"], v["grade"])

    fields = [_who(row), FieldSpec("how", label("Candidate.expert_how"), "choice", _choices(app, "rc_expert_how")),
              FieldSpec("grade", tr("新") + label("Worker.skill_grade"), "choice",
                        _choices(app, "skill_grade", skip=("none",)), default="technician",
                        help=tr("途径为“晋升技能等级”时，职工名册中的技能等级随之更新")),
              FieldSpec("on", label("Candidate.expert_on"), "date", default=day),
              FieldSpec("detail", label("Candidate.expert_detail"), help=tr("如：县职工职业技能大赛数控铣工项目一等奖"))]
    return FormDialog(parent, app, tr("登记培育成效：成为技术能手"), fields, submit)


def stage_dialog(parent: QWidget, app: App, row: rc.PoolRow, day: date) -> FormDialog:
    done = row.latest_stage
    nxt = rules.STAGES[rules.STAGES.index(done) + 1] if done and done != rules.STAGES[-1] else (
        done or rules.STAGES[0])
    fields = [_who(row), FieldSpec("stage", label("PartyStage.stage"), "choice", _choices(app, "party_stage"), default=nxt),
              FieldSpec("on", label("PartyStage.reached_on"), "date", default=day),
              FieldSpec("note", label("PartyStage.note"))]
    return FormDialog(parent, app, tr("登记党建阶段"), fields,
                      lambda v: service.record_stage(app, row.candidate_id, row.name, v["stage"], v["on"], v["note"]),
                      intro=tr("入党申请 → 入党积极分子 → 发展对象 → 预备党员 → 正式党员；"
                               "登记后职工名册中的政治面貌随之更新（入党申请不改变政治面貌）。"))
