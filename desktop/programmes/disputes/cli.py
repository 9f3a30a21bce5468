"""The ``disputes [--json]`` listing (CLI.md): every labour dispute, by number."""

from __future__ import annotations

from typing import Any

from desktop.cli.common import Items, Listing


def _disputes(session: Any) -> Items:
    from desktop.programmes.disputes.queries import rows

    return [{"id": r.id, "number": r.number, "workers": [w for w in r.workers.split("、") if w],
             "employer": r.employer, "kind": r.kind_label, "stage": r.stage_label,
             "opened_at": r.opened_at.isoformat(timespec="minutes")} for r in rows(session, None)]


LISTING = Listing(
    "disputes", "列出劳动争议案件（编号、劳动者、用人单位、争议类型、阶段、登记时间）",
    "以 JSON 输出：id、number、workers、employer、kind、stage、opened_at", _disputes,
    lambda d: f"{d['id']}\t{d['number']}\t{'、'.join(d['workers'])}\t{d['employer']}\t{d['kind']}\t{d['stage']}"
              f"\t{d['opened_at']}",
    "还没有劳动争议案件。")
