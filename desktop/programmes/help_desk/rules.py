"""劳模工匠助企行's rules: the 派工单's states and the figures they imply. No Qt, no session."""

from __future__ import annotations

from desktop.programmes.core.cases import CaseFlow, CaseStage

PENDING, DISPATCHED, ACCEPTED, SERVING = "pending", "dispatched", "accepted", "serving"
SOLVED, UNSOLVED, TRANSFERRED, REVISITED = "solved", "unsolved", "transferred", "revisited"

#: 待派 → 已派 → 已接单 → 服务中 → 已解决 / 未解决 / 转办 → 已回访 (a state may be skipped).
FLOW = CaseFlow("help_desk", "BB", (
    CaseStage(PENDING, "待派", 0),
    CaseStage(DISPATCHED, "已派", 1),
    CaseStage(ACCEPTED, "已接单", 2),
    CaseStage(SERVING, "服务中", 3),
    CaseStage(SOLVED, "已解决", 4, closes=True),
    CaseStage(UNSOLVED, "未解决", 4, closes=True),
    CaseStage(TRANSFERRED, "转办", 4, closes=True),
    CaseStage(REVISITED, "已回访", 5),
))

#: The party role of a craftsman sent on a 派工单.
CRAFTSMAN = "craftsman"
EMERGENCY = "emergency"
