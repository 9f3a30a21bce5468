"""The ``competitions [--json]`` listing (CLI.md), declared by the programme."""

from __future__ import annotations

from typing import Any

from desktop.cli.common import Items, Listing


def _competitions(session: Any) -> Items:
    from desktop.programmes.competitions.reports import summary

    return summary(session)


LISTING = Listing(
    "competitions", "列出劳动和技能竞赛", "以 JSON 输出：id、title、events、entries、prize_winners", _competitions,
    lambda c: f"{c['id']}\t{c['title']}\t{c['events']} 个项目\t{c['entries']} 个报名\t{c['prize_winners']} 人获奖",
    "还没有竞赛。")
