"""CLI: ``pairs [--json]``, the 师徒结对 pairs (CLI.md): the ``pair=ID`` of the 拜师帖 report."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli import OK, err, print_json, say


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("pairs", parents=[common], help="列出师徒结对（拜师帖报表的 pair=ID）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出：id、master、apprentices、trade、start")
    p.set_defaults(handler=cmd_pairs)


def cmd_pairs(args: argparse.Namespace) -> int:
    from desktop.context import open_app
    from desktop.programmes.mentoring_reports import pairs_json

    app = open_app(getattr(args, "db", None))
    try:
        with app.db.session() as s:
            items = pairs_json(s)
    finally:
        app.close()
    if args.json:
        print_json(items)
        return OK
    if not items:
        err("还没有师徒结对。")
    for p in items:
        say(f"{p['id']}\t师傅 {p['master']}\t徒弟 {'、'.join(p['apprentices']) or '（无）'}\t{p['trade']}\t{p['start']}")
    return OK
