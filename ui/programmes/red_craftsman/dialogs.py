"""The 红色工匠 tab's dialogs: each builds a :class:`FormDialog` whose ``submit`` calls the service in one
transaction and hands the tab a message (and the hints, shown under the tables, never as refusals)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from db.errors import ValidationError
from desktop.programmes.red_craftsman import cultivation as cult
from desktop.programmes.red_craftsman import queries as rc
from desktop.programmes.red_craftsman import rules, service
from desktop.programmes.red_craftsman.rules import Hint
from ui.kit.cultivation import FieldSpec, FormDialog, hint_html, tr

if TYPE_CHECKING:
    from ui.programmes.red_craftsman.tab import RedCraftsmanTab


def _choices(tab: RedCraftsmanTab, key: str, codes: tuple[str, ...] | None = None) -> list[tuple[str, Any]]:
    items = tab.labels.get(key, {})
    return [(label, code) for code, label in items.items() if codes is None or code in codes]


def _tracks(tab: RedCraftsmanTab) -> list[tuple[str, Any]]:
    return _choices(tab, "rc_track")


def _open(tab: RedCraftsmanTab, dlg: FormDialog) -> FormDialog:
    tab.dialog = dlg
    dlg.open()
    return dlg


def _day(tab: RedCraftsmanTab) -> date:
    return tab.default_day()


def round_dialog(tab: RedCraftsmanTab, edit: bool = False) -> FormDialog:
    r = tab.round if edit else None
    year = r.year if r else (tab.round.year + 1 if tab.round else date.today().year)

    def submit(v: dict[str, Any]) -> str:
        with tab.app.db.session() as s:
            saved = service.save_round(s, int(v["year"]), v["quota_a"], v["quota_b"], title=v["title"],
                                       announced_on=v["announced_on"], round_id=r.id if r else None)
            tab.select_year = saved.year
        return tr("已保存{0}年度的培育工作").format(v["year"])

    fields = [FieldSpec("year", tr("年度"), "int", default=year),
              FieldSpec("title", tr("名称"), default=r.title if r else f"{year}年度“红色工匠”培育"),
              FieldSpec("quota_a", tr("A类名额（党员→技术能手）"), "int", default=r.quota_a if r else 10),
              FieldSpec("quota_b", tr("B类名额（技术能手→党员）"), "int", default=r.quota_b if r else 10),
              FieldSpec("announced_on", tr("入库公布日期"), "date", default=(r.announced_on if r else None) or date.today())]
    return _open(tab, FormDialog(tab.window(), tab.app, tr("年度设置") if edit else tr("新建培育年度"), fields,
                                 lambda v: tab.done(submit(v)),
                                 intro=tr("按“好中选优”的原则，以 1:2 的比例确定培育对象；上年结转的人员占用本年度名额。")))


def carry_dialog(tab: RedCraftsmanTab) -> FormDialog | None:
    r = tab.round
    if r is None:
        return None

    def submit(v: dict[str, Any]) -> str:
        with tab.app.db.session() as s:
            result = service.carry_over(s, r.year, v["on"], quota_a=v["quota_a"], quota_b=v["quota_b"])
            tab.select_year = result.round.year
        return tr("年度调整完成：{0} 人结转到{1}年度，{2} 人培育完成出库").format(result.carried, r.year + 1,
                                                                         result.completed)

    fields = [FieldSpec("on", tr("调整日期"), "date", default=max(date.today(), date(r.year + 1, 1, 1))),
              FieldSpec("quota_a", tr("{0}年度A类名额").format(r.year + 1), "int", default=r.quota_a),
              FieldSpec("quota_b", tr("{0}年度B类名额").format(r.year + 1), "int", default=r.quota_b)]
    intro = tr("一年一调整：{0}年度仍在库的培育对象结转到{1}年度，占用{1}年度名额；A类已成为技术能手、"
               "B类已发展入党的，培育完成出库。结对导师不变。").format(r.year, r.year + 1)
    return _open(tab, FormDialog(tab.window(), tab.app, tr("年度调整（结转下一年度）"), fields,
                                 lambda v: tab.done(submit(v)), intro=intro))


def nominate_dialog(tab: RedCraftsmanTab) -> FormDialog | None:
    r = tab.round
    if r is None:
        return None

    def preview(v: dict[str, Any]) -> str:
        if not v.get("worker") or not v.get("track"):
            return ""
        with tab.app.db.session() as s:
            hints = service.hints_for(s, v["worker"], v["track"], tab.labels)
        return hint_html(hints, "<span style='color:#047857'>✔ 符合该类别的推荐条件</span>")

    def submit(v: dict[str, Any]) -> str:
        if not v["worker"]:
            raise ValidationError("worker_missing", tr("请从职工名册中选择被推荐人"))
        with tab.app.db.session() as s:
            n, hints = service.nominate(s, r.id, v["worker"], v["track"], v["on"], recommender=v["recommender"],
                                        note=v["note"], labels=tab.labels)
            name = n.worker.name
        tab.hints = hints
        return tr("已推荐 {0}").format(name)

    fields = [FieldSpec("worker", tr("被推荐人"), "worker"),
              FieldSpec("track", tr("培育类别"), "choice", _tracks(tab)),
              FieldSpec("on", tr("推荐日期"), "date", default=_day(tab)),
              FieldSpec("recommender", tr("推荐单位"), help=tr("留空则为所在单位")),
              FieldSpec("note", tr("推荐理由"), "multiline")]
    intro = tr("A类：非公企业技术工人中的党员，优秀党员优先；B类：非党员技术能手，县级以上劳模工匠或技能大赛优胜者优先。"
               "提示仅供参考，不影响推荐。")
    return _open(tab, FormDialog(tab.window(), tab.app, tr("推荐培育对象人选"), fields,
                                 lambda v: tab.done(submit(v)), intro=intro, preview=preview))


def decide_dialog(tab: RedCraftsmanTab, nomination_ids: list[int], decision: str) -> FormDialog | None:
    if not nomination_ids:
        return None
    r = tab.round
    label = tab.labels.get("rc_decision", {}).get(decision, decision)

    def submit(v: dict[str, Any]) -> str:
        with tab.app.db.session() as s:
            for nid in nomination_ids:
                service.decide(s, nid, decision, v["on"])
        return tr("{0} 人：{1}").format(len(nomination_ids), label)

    default = (r.announced_on if r and r.announced_on else None) or _day(tab)
    fields = [FieldSpec("on", tr("入库日期") if decision == "admitted" else tr("确定日期"), "date", default=default),
              FieldSpec("count", tr("人选"), "info", default=tr("选中的 {0} 人").format(len(nomination_ids)))]
    return _open(tab, FormDialog(tab.window(), tab.app, tr("确定为“{0}”").format(label), fields,
                                 lambda v: tab.done(submit(v))))


def remove_dialog(tab: RedCraftsmanTab, row: rc.PoolRow) -> FormDialog:
    def submit(v: dict[str, Any]) -> str:
        with tab.app.db.session() as s:
            service.remove(s, row.membership_id, v["on"], v["reason"], v["note"])
        return tr("{0} 已移出培育库").format(row.name)

    reasons = [(label, code) for code, label in tab.labels.get("rc_leave_reason", {}).items()
               if code not in ("carried", "completed")]
    fields = [FieldSpec("name", tr("培育对象"), "info", default=f"{row.name}（{row.unit}）"),
              FieldSpec("reason", tr("移出原因"), "choice", reasons),
              FieldSpec("on", tr("移出日期"), "date", default=_day(tab)),
              FieldSpec("note", tr("具体说明"), "multiline")]
    return _open(tab, FormDialog(tab.window(), tab.app, tr("移出培育库"), fields, lambda v: tab.done(submit(v)),
                                 intro=tr("对发现有违纪违法或其他不宜继续培育的人选移出培育库；记录保留在变动记录中。")))


def replenish_dialog(tab: RedCraftsmanTab) -> FormDialog | None:
    r = tab.round
    if r is None:
        return None

    def preview(v: dict[str, Any]) -> str:
        if not v.get("worker"):
            return ""
        with tab.app.db.session() as s:
            return hint_html(service.hints_for(s, v["worker"], v["track"], tab.labels))

    def submit(v: dict[str, Any]) -> str:
        if not v["worker"]:
            raise ValidationError("worker_missing", tr("请选择补充入库的人员"))
        with tab.app.db.session() as s:
            m, hints = service.replenish(s, r.id, v["worker"], v["track"], v["on"], note=v["note"], labels=tab.labels)
            name = m.candidate.worker.name
        tab.hints = hints
        return tr("{0} 已补充入库").format(name)

    fields = [FieldSpec("worker", tr("补充人员"), "worker"), FieldSpec("track", tr("培育类别"), "choice", _tracks(tab)),
              FieldSpec("on", tr("入库日期"), "date", default=_day(tab)), FieldSpec("note", tr("说明"), "multiline")]
    return _open(tab, FormDialog(tab.window(), tab.app, tr("补充入库"), fields, lambda v: tab.done(submit(v)),
                                 intro=tr("对新发现的优秀人员及时补充入库。"), preview=preview))


def mentor_dialog(tab: RedCraftsmanTab, row: rc.PoolRow) -> FormDialog:
    def preview(v: dict[str, Any]) -> str:
        if not v.get("mentor"):
            return ""
        with tab.app.db.session() as s:
            try:
                hints = cult.check_mentor(s, row.candidate_id, v["mentor"], tab.labels)
            except ValidationError as exc:
                return hint_html([Hint("error", exc.message)])
        return hint_html(hints, "<span style='color:#047857'>✔ 符合导师条件</span>")

    def submit(v: dict[str, Any]) -> str:
        if not v["mentor"]:
            raise ValidationError("worker_missing", tr("请从职工名册中选择导师"))
        with tab.app.db.session() as s:
            link, hints = cult.assign_mentor(s, row.candidate_id, v["mentor"], v["on"], tab.labels)
            name = link.mentor.name
        tab.hints = hints
        return tr("{0} 的导师：{1}").format(row.name, name)

    need = (tr("B类：由企业党组织选派党员导师（中共党员或中共预备党员）进行政治帮带，引导其入党。")
            if row.track == rules.TRACK_B else tr("A类：由企业工会选派优秀技术骨干（技师及以上或竞赛获奖）进行技术帮带。"))
    if row.mentor:
        need += tr("现导师为{0}；另选导师即重新结对，原结对记录保留。").format(row.mentor)
    fields = [FieldSpec("name", tr("培育对象"), "info", default=f"{row.name}（{rules.TRACK_SHORT[row.track]}，{row.unit}）"),
              FieldSpec("mentor", tr("导师"), "worker"), FieldSpec("on", tr("结对日期"), "date", default=_day(tab))]
    return _open(tab, FormDialog(tab.window(), tab.app, tr("选派导师（结对帮带）"), fields,
                                 lambda v: tab.done(submit(v)), intro=need, preview=preview))


def training_dialog(tab: RedCraftsmanTab, rows: list[rc.PoolRow], chosen: list[int]) -> FormDialog:
    def submit(v: dict[str, Any]) -> str:
        with tab.app.db.session() as s:
            done = cult.add_training(s, v["who"], v["on"], v["content"], kind=v["kind"], hours=v["hours"] or None,
                                     organiser=v["organiser"])
        return tr("已登记培训：{0}，{1} 人").format(v["content"], len(done))

    people = [(f"{p.name}（{rules.TRACK_SHORT[p.track]}，{p.unit}）", p.candidate_id) for p in rows]
    fields = [FieldSpec("content", tr("培训内容"), default="“红色工匠”培育对象集中培训班"),
              FieldSpec("kind", tr("培训形式"), "choice", _choices(tab, "rc_training_kind")),
              FieldSpec("on", tr("培训日期"), "date", default=_day(tab)),
              FieldSpec("hours", tr("学时"), "hours", default=8),
              FieldSpec("organiser", tr("组织单位"), default=tab.app.union_name),
              FieldSpec("who", tr("参训人员"), "checklist", people, default=chosen)]
    return _open(tab, FormDialog(tab.window(), tab.app, tr("登记培训"), fields, lambda v: tab.done(submit(v)),
                                 intro=tr("确保培育对象每年至少参加一次市或区县组织的集中学习培训。")))


def degree_dialog(tab: RedCraftsmanTab, row: rc.PoolRow) -> FormDialog:
    def submit(v: dict[str, Any]) -> str:
        with tab.app.db.session() as s:
            cult.set_degree(s, row.candidate_id, v["level"], v["school"], v["start"] if v["level"] else None)
        return tr("{0}：学历提升已登记（学费补贴优先）").format(row.name) if v["level"] else tr("已清除学历提升记录")

    levels = [(tr("（无）"), None), *_choices(tab, "degree_level")]
    fields = [FieldSpec("name", tr("培育对象"), "info", default=row.name),
              FieldSpec("level", tr("在读学历"), "choice", levels, default=row.degree),
              FieldSpec("school", tr("就读学校"), default=row.degree_school),
              FieldSpec("start", tr("入学日期"), "date", default=date(date.today().year, 9, 1))]
    return _open(tab, FormDialog(tab.window(), tab.app, tr("学历提升"), fields, lambda v: tab.done(submit(v)),
                                 intro=tr("通过学习取得国家认可的大专、本科学历的，学费补贴优先享受“农民工求学圆梦行动”相关政策。")))


def evaluation_dialog(tab: RedCraftsmanTab, line: rc.EvaluationLine, year: int) -> FormDialog:
    row = line.row

    def preview(v: dict[str, Any]) -> str:
        from desktop.programmes.core import cultivation as core

        flags = core.flags(v["of_mentee"], v["of_mentor"])
        return hint_html([Hint("warning" if f == core.REPAIR_FLAG else "priority", f) for f in flags])

    def submit(v: dict[str, Any]) -> str:
        with tab.app.db.session() as s:
            flags, hints = cult.evaluate(s, row.link_id, year, v["on"], v["of_mentee"], v["of_mentor"], v["note"])
        tab.hints = [*hints, *(Hint("warning", f) for f in flags)]
        return tr("{0}年度评议已录入：{1} — {2}").format(year, row.mentor, row.mentee)

    fields = [FieldSpec("pair", tr("结对"), "info", default=tr("导师 {0} — 培育对象 {1}").format(row.mentor, row.mentee)),
              FieldSpec("of_mentee", tr("导师评培育对象"), "level", default=row.rating_of_mentee or 4),
              FieldSpec("of_mentor", tr("培育对象评导师"), "level", default=row.rating_of_mentor or 4),
              FieldSpec("on", tr("评议日期"), "date", default=row.evaluated_on or _day(tab)),
              FieldSpec("note", tr("帮带成效及意见"), "multiline", default=row.note)]
    return _open(tab, FormDialog(tab.window(), tab.app, tr("{0}年度师徒双向评议").format(year), fields,
                                 lambda v: tab.done(submit(v)), preview=preview,
                                 intro=tr("任一方评为基本合格及以下的，督促企业及时调整结对；导师被评为优秀的，评先评优时优先。")))


def expert_dialog(tab: RedCraftsmanTab, row: rc.PoolRow) -> FormDialog:
    def submit(v: dict[str, Any]) -> str:
        with tab.app.db.session() as s:
            hints = cult.record_expert(s, row.candidate_id, v["on"], v["how"], v["detail"],
                                       v["grade"] if v["how"] == "grade" else None)
        tab.hints = hints
        return tr("{0} 已登记为技术能手").format(row.name)

    grades = [(label, code) for code, label in tab.labels.get("skill_grade", {}).items() if code != "none"]
    fields = [FieldSpec("name", tr("培育对象"), "info", default=row.name),
              FieldSpec("how", tr("成才途径"), "choice", _choices(tab, "rc_expert_how")),
              FieldSpec("grade", tr("新技能等级"), "choice", grades, default="technician",
                        help=tr("途径为“晋升技能等级”时，职工名册中的技能等级随之更新")),
              FieldSpec("on", tr("日期"), "date", default=_day(tab)),
              FieldSpec("detail", tr("成效说明"), help=tr("如：县职工职业技能大赛数控铣工项目一等奖"))]
    return _open(tab, FormDialog(tab.window(), tab.app, tr("登记培育成效：成为技术能手"), fields,
                                 lambda v: tab.done(submit(v))))


def stage_dialog(tab: RedCraftsmanTab, row: rc.PoolRow) -> FormDialog:
    done = row.latest_stage
    nxt = rules.STAGES[rules.STAGES.index(done) + 1] if done and done != rules.STAGES[-1] else (
        done or rules.STAGES[0])

    def submit(v: dict[str, Any]) -> str:
        with tab.app.db.session() as s:
            _row, hints = cult.record_stage(s, row.candidate_id, v["stage"], v["on"], v["note"])
        tab.hints = hints
        status = rules.STAGE_STATUS[v["stage"]]
        after = tab.labels.get("political_status", {}).get(status or "", "")
        stage = tab.labels.get("party_stage", {}).get(v["stage"], v["stage"])
        return tr("{0}：{1}").format(row.name, stage) + (tr("，政治面貌改为{0}").format(after) if after else "")

    fields = [FieldSpec("name", tr("培育对象"), "info", default=row.name),
              FieldSpec("stage", tr("党建阶段"), "choice", _choices(tab, "party_stage"), default=nxt),
              FieldSpec("on", tr("日期"), "date", default=_day(tab)), FieldSpec("note", tr("说明"))]
    return _open(tab, FormDialog(tab.window(), tab.app, tr("登记党建阶段"), fields, lambda v: tab.done(submit(v)),
                                 intro=tr("入党申请 → 入党积极分子 → 发展对象 → 预备党员 → 正式党员；"
                                          "登记后职工名册中的政治面貌随之更新（入党申请不改变政治面貌）。")))
