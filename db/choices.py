"""Default choice lists: stable codes behind labels the clerk may rename or extend in Settings.

Rules compare codes (``party_member``), never the labels. ``aliases`` are other spellings the
importer accepts for a code (``党员`` for ``party_member``).
"""

from __future__ import annotations

CHOICES: dict[str, list[tuple[str, str]]] = {
    "gender": [("male", "男"), ("female", "女")],
    "account_roles": [("admin", "管理员"), ("clerk", "经办人"), ("readonly", "只读")],
    "skill_grade": [
        ("none", "无"),
        ("junior", "初级工"),
        ("intermediate", "中级工"),
        ("senior", "高级工"),
        ("technician", "技师"),
        ("senior_technician", "高级技师"),
    ],
    "political_status": [
        ("masses", "群众"),
        ("league_member", "共青团员"),
        ("activist", "入党积极分子"),
        ("development_target", "发展对象"),
        ("probationary_member", "中共预备党员"),
        ("party_member", "中共党员"),
    ],
    "education": [
        ("junior_high", "初中及以下"),
        ("senior_high", "高中"),
        ("vocational", "中专/技校"),
        ("college", "大专"),
        ("bachelor", "本科"),
        ("master", "硕士"),
        ("doctor", "博士"),
    ],
    "worker_category": [
        ("employee", "职工"),
        ("migrant", "农民工"),
        ("new_form", "新就业形态劳动者"),
    ],
    "member_status": [("active", "在会"), ("transferred", "转出"), ("withdrawn", "退会")],
    "org_kind": [
        ("enterprise", "企业"),
        ("social_org", "社会组织"),
        ("public_institution", "机关事业单位"),
        ("village", "村社区"),
    ],
    "ownership": [("non_public", "非公"), ("state", "国有")],
    "union_form": [("none", "未建会"), ("own", "单独建会"), ("federation", "联合会覆盖")],
    # 劳动和技能竞赛 (competitions)
    "competition_level": [("county", "县级"), ("town", "镇级"), ("industry", "行业"), ("enterprise", "企业")],
    "competition_kind": [("individual", "个人赛"), ("team", "团体赛")],
    "prize_mode": [("count", "按名额"), ("share", "按比例")],
    "prize": [("first", "一等奖"), ("second", "二等奖"), ("third", "三等奖"), ("merit", "优秀奖")],
    "score_part": [
        ("theory", "理论"),
        ("practical", "实操"),
        ("round_required", "必答"),
        ("round_buzzer", "抢答"),
        ("round_extra", "加赛"),
    ],
    # 红色工匠 (red_craftsman) and 师徒结对 (mentoring)
    "rc_track": [("a", "A类（党员→技术能手）"), ("b", "B类（技术能手→党员）")],
    "rc_decision": [("pending", "待定"), ("admitted", "已入库"), ("not_selected", "未入选")],
    "rc_source": [("new", "新入库"), ("carried", "上年结转"), ("replenished", "补充入库")],
    "rc_leave_reason": [("discipline", "违纪违法"), ("transfer", "调离"), ("other", "其他"),
                        ("carried", "结转下一年度"), ("completed", "培育完成")],
    "rc_training_kind": [("central", "集中培训"), ("other", "其他学习")],
    "rc_expert_how": [("prize", "竞赛获奖"), ("grade", "晋升技能等级"), ("other", "其他")],
    "degree_level": [("college", "大专"), ("bachelor", "本科")],
    "party_stage": [("application", "入党申请"), ("activist", "入党积极分子"), ("development_target", "发展对象"),
                    ("probationary", "预备党员"), ("full_member", "正式党员")],
    "evaluation_level": [("excellent", "优秀"), ("good", "良好"), ("pass", "合格"), ("basic", "基本合格"),
                         ("fail", "不合格")],
    # 劳模工匠选树 (honours) and 星级工会 (star_unions): the selection core
    "honour_level": [("national", "全国"), ("province", "省级"), ("city", "市级"), ("county", "县级"),
                     ("town", "镇级")],
    "recipient_kind": [("person", "个人"), ("collective", "集体")],
    "nomination_channel": [("organisation", "组织推荐"), ("self", "个人自荐")],
    "benefit_kind": [("sanatorium", "疗休养"), ("checkup", "免费体检"), ("mutual_aid", "职工医疗互助")],
    "outreach_kind": [("enterprise", "进企业"), ("community", "进社区"), ("school", "进学校")],
    "star_level": [("three", "三星级"), ("four", "四星级"), ("five", "五星级")],
    "star_review": [("keep", "保持"), ("lower", "降级"), ("revoke", "撤销")],
}

ALIASES: dict[str, dict[str, str]] = {
    "gender": {"男性": "male", "女性": "female", "m": "male", "f": "female"},
    "political_status": {
        "党员": "party_member",
        "中共党员": "party_member",
        "预备党员": "probationary_member",
        "团员": "league_member",
        "共青团员": "league_member",
        "积极分子": "activist",
        "群众": "masses",
    },
    "skill_grade": {
        "初级": "junior",
        "中级": "intermediate",
        "高级": "senior",
        "五级": "junior",
        "四级": "intermediate",
        "三级": "senior",
        "二级": "technician",
        "一级": "senior_technician",
    },
    "education": {"初中": "junior_high", "小学": "junior_high", "中专": "vocational", "技校": "vocational",
                  "专科": "college", "大学本科": "bachelor", "研究生": "master"},
    "worker_category": {"新就业形态": "new_form", "骑手": "new_form", "快递员": "new_form"},
    "member_status": {"在册": "active", "正常": "active", "已转出": "transferred", "已退会": "withdrawn"},
    "org_kind": {"公司": "enterprise", "事业单位": "public_institution", "机关": "public_institution",
                 "社区": "village", "村": "village"},
    "ownership": {"民营": "non_public", "私营": "non_public", "非公有制": "non_public", "国企": "state",
                  "国有企业": "state"},
    "union_form": {"未建": "none", "否": "none", "是": "own", "单独": "own", "联合会": "federation"},
    "competition_level": {"县": "county", "县级": "county", "区级": "county", "镇": "town", "街道": "town",
                          "镇街": "town", "行业级": "industry", "系统": "industry", "企业级": "enterprise"},
    "competition_kind": {"个人": "individual", "团体": "team", "团队": "team", "团队赛": "team"},
    "prize": {"一等": "first", "二等": "second", "三等": "third", "优秀": "merit", "金奖": "first",
              "银奖": "second", "铜奖": "third"},
    "honour_level": {"全国": "national", "国家级": "national", "省": "province", "省部级": "province",
                     "市": "city", "地市级": "city", "县": "county", "区级": "county", "县区级": "county",
                     "镇": "town", "街道": "town", "乡镇": "town"},
    "recipient_kind": {"个人奖": "person", "集体奖": "collective", "单位": "collective", "班组": "collective"},
    "nomination_channel": {"推荐": "organisation", "单位推荐": "organisation", "组织": "organisation",
                           "自荐": "self", "本人自荐": "self", "个人申报": "self"},
    "benefit_kind": {"疗养": "sanatorium", "休养": "sanatorium", "体检": "checkup", "健康体检": "checkup",
                     "医疗互助": "mutual_aid", "互助保障": "mutual_aid"},
    "star_level": {"三星": "three", "四星": "four", "五星": "five", "3星": "three", "4星": "four", "5星": "five",
                   "三星级规范达标工会": "three", "四星级规范活力工会": "four", "五星级示范工会": "five"},
}


def default_labels(key: str) -> dict[str, str]:
    return dict(CHOICES[key])
