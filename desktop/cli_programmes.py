"""CLI listings of the programmes (CLI.md): ``competitions [--json]`` and ``pairs [--json]``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from desktop.cli import OK, err, print_json, say

Items = list[dict[str, Any]]


def _listing(fetch: Callable[[Any], Items], line: Callable[[dict[str, Any]], str], empty: str
             ) -> Callable[[argparse.Namespace], int]:
    """A command that prints one line per item, or the items as JSON with ``--json``."""

    def handler(args: argparse.Namespace) -> int:
        from desktop.context import open_app

        app = open_app(getattr(args, "db", None))
        try:
            with app.db.session() as s:
                items = fetch(s)
        finally:
            app.close()
        if args.json:
            print_json(items)
            return OK
        if not items:
            err(empty)
        for item in items:
            say(line(item))
        return OK

    return handler


def _competitions(session: Any) -> Items:
    from desktop.programmes.competition_reports import summary

    return summary(session)


def _pairs(session: Any) -> Items:
    from desktop.programmes.mentoring_reports import pairs_json

    return pairs_json(session)


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("competitions", parents=[common], help="列出劳动和技能竞赛")
    p.add_argument("--json", action="store_true", help="以 JSON 输出：id、title、events、entries、prize_winners")
    p.set_defaults(handler=_listing(
        _competitions,
        lambda c: f"{c['id']}\t{c['title']}\t{c['events']} 个项目\t{c['entries']} 个报名\t{c['prize_winners']} 人获奖",
        "还没有竞赛。"))
    p = sub.add_parser("pairs", parents=[common], help="列出师徒结对（拜师帖报表的 pair=ID）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出：id、master、apprentices、trade、start")
    p.set_defaults(handler=_listing(
        _pairs,
        lambda p: f"{p['id']}\t师傅 {p['master']}\t徒弟 {'、'.join(p['apprentices']) or '（无）'}\t{p['trade']}\t{p['start']}",
        "还没有师徒结对。"))
