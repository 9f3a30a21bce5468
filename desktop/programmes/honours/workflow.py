"""The two ways an honour is selected, over the selection core (``desktop.programmes.core.selection``).

- A title the township names itself (镇级): 推荐 → 初审 → 评审 → 公示 → 命名.
- A title named above the township (县/市/省/全国): the township recommends upward, so after its
  own 公示 it reports (上报) and then records what the upper body decided (上级命名, or 未获命名
  with the reason). For these the quota is the township's recommendation places: it counts from
  上报 on.

The title's level (``HonourTitle.level``) picks the workflow. No Qt.
"""

from __future__ import annotations

from collections.abc import Iterable

from desktop.programmes.core.selection import FAILED, Stage, Workflow

HONOURS = "honours"  # the programme key on rounds and holdings
TOWN = "town"
NOMINATED, SCREENED, REVIEWED, PUBLICITY, REPORTED, NAMED = (
    "nominated", "screened", "reviewed", "publicity", "reported", "named")

LOCAL = Workflow((Stage(NOMINATED, "推荐"), Stage(SCREENED, "初审"), Stage(REVIEWED, "评审"),
                  Stage(PUBLICITY, "公示"), Stage(NAMED, "命名")), named=NAMED, publicity=PUBLICITY)
UPWARD = Workflow((Stage(NOMINATED, "推荐"), Stage(SCREENED, "初审"), Stage(REVIEWED, "评审"),
                   Stage(PUBLICITY, "公示"), Stage(REPORTED, "上报"), Stage(NAMED, "上级命名")),
                  named=NAMED, publicity=PUBLICITY, quota_from=REPORTED)
#: What a failure is called once the nomination went up (the upper body did not name it).
NOT_NAMED = "未获命名"


def upward(level: str | None) -> bool:
    """Whether a title of ``level`` is named above the township (anything but 镇级)."""
    return (level or TOWN) != TOWN


def flow_for(level: str | None) -> Workflow:
    return UPWARD if upward(level) else LOCAL


def stage_label(flow: Workflow, stage: str, reached: Iterable[str] = ()) -> str:
    """The stage as the tab and the prints show it: a failure after 上报 is 未获命名."""
    if stage == FAILED and REPORTED in set(reached):
        return NOT_NAMED
    return flow.label(stage)


def next_label(flow: Workflow, stage: str) -> str:
    """What 推进到下一阶段 does from ``stage`` (``""`` when there is nothing next)."""
    if stage == FAILED:
        return ""
    nxt = flow.next(stage)
    return nxt.label if nxt is not None else ""


def quota_word(flow: Workflow) -> str:
    """How the quota's warning names what it counts."""
    return "已上报" if flow.quota_from == REPORTED else "已命名"
