"""The ``pairs [--json]`` listing (CLI.md), declared by the programme."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.common import Items, listing


def _pairs(session: Any) -> Items:
    from desktop.programmes.mentoring.reports import pairs_json

    return pairs_json(session)


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("pairs", parents=[common], help="列出师徒结对（拜师帖报表的 pair=ID）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出：id、master、apprentices、trade、start")
    p.set_defaults(handler=listing(
        _pairs,
        lambda p: f"{p['id']}\t师傅 {p['master']}\t徒弟 {'、'.join(p['apprentices']) or '（无）'}\t{p['trade']}\t{p['start']}",
        "还没有师徒结对。"))
