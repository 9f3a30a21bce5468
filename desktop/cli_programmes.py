"""CLI commands of the programmes: ``competitions [--json]`` (CLI.md)."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli import OK, err, print_json, say


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("competitions", parents=[common], help="列出劳动和技能竞赛")
    p.add_argument("--json", action="store_true", help="以 JSON 输出：id、title、events、entries、prize_winners")
    p.set_defaults(handler=cmd_competitions)


def cmd_competitions(args: argparse.Namespace) -> int:
    from desktop.context import open_app
    from desktop.programmes.competition_reports import summary

    app = open_app(getattr(args, "db", None))
    try:
        with app.db.session() as s:
            items = summary(s)
    finally:
        app.close()
    if args.json:
        print_json(items)
        return OK
    if not items:
        err("还没有竞赛。")
    for c in items:
        say(f"{c['id']}\t{c['title']}\t{c['events']} 个项目\t{c['entries']} 个报名\t{c['prize_winners']} 人获奖")
    return OK
