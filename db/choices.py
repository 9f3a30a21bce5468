"""Default choice lists: stable codes behind labels the clerk may rename or extend in Settings.

Rules compare codes (``party_member``), never the labels. ``aliases`` are other spellings the
importer accepts for a code (``党员`` for ``party_member``).
"""

from __future__ import annotations

CHOICES: dict[str, list[tuple[str, str]]] = {
    "gender": [("male", "男"), ("female", "女")],
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
}


def default_labels(key: str) -> dict[str, str]:
    return dict(CHOICES[key])
