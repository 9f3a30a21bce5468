"""The ``competitions [--json]`` listing (CLI.md), declared by the programme."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.common import Items, listing


def _competitions(session: Any) -> Items:
    from desktop.programmes.competitions.reports import summary

    return summary(session)


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("competitions", parents=[common], help="列出劳动和技能竞赛")
    p.add_argument("--json", action="store_true", help="以 JSON 输出：id、title、events、entries、prize_winners")
    p.set_defaults(handler=listing(
        _competitions,
        lambda c: f"{c['id']}\t{c['title']}\t{c['events']} 个项目\t{c['entries']} 个报名\t{c['prize_winners']} 人获奖",
        "还没有竞赛。"))
