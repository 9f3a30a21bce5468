"""The ``pairs [--json]`` listing (CLI.md), declared by the programme."""

from __future__ import annotations

from typing import Any

from desktop.cli.common import Items, Listing


def _pairs(session: Any) -> Items:
    from desktop.programmes.mentoring.reports import pairs_json

    return pairs_json(session)


LISTING = Listing(
    "pairs", "列出师徒结对（拜师帖报表的 pair=ID）", "以 JSON 输出：id、master、apprentices、trade、start", _pairs,
    lambda p: f"{p['id']}\t师傅 {p['master']}\t徒弟 {'、'.join(p['apprentices']) or '（无）'}\t{p['trade']}\t{p['start']}",
    "还没有师徒结对。")
