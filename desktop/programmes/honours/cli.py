"""The ``honours [--json]`` listing of selection rounds and the ``import honours.nominations`` import
(CLI.md), declared by the programme. Cheap to import: the CLI reads it while parsing."""

from __future__ import annotations

from typing import Any

from desktop.cli.common import ImportCommand, Items, Listing


def _rounds(session: Any) -> Items:
    from desktop.programmes.honours.queries import round_rows_in

    return [{"id": r.id, "year": r.year, "name": r.name, "title": r.title, "quota": r.quota,
             "nominations": r.total, "counted": r.counted,
             "stages": {label: n for label, n in r.stages if n},
             "publicity_start": r.publicity_start.isoformat() if r.publicity_start else None,
             "publicity_end": r.publicity_end.isoformat() if r.publicity_end else None} for r in round_rows_in(session)]


def _line(r: dict[str, Any]) -> str:
    stages = "　".join(f"{k} {v}" for k, v in r["stages"].items()) or "（暂无推荐对象）"
    quota = f"名额 {r['quota']}" if r["quota"] is not None else "名额不限"
    period = f"\t公示 {r['publicity_start']} 至 {r['publicity_end']}" if r["publicity_start"] else ""
    return f"{r['id']}\t{r['name']}\t{quota}\t{stages}{period}"


LISTING = Listing(
    "honours", "列出劳模工匠评选（报表和导入的 round=ID）",
    "以 JSON 输出：id、year、name、title、quota、nominations、counted、stages、publicity_start、publicity_end",
    _rounds, _line, "还没有劳模工匠评选。")

IMPORTS = (
    ImportCommand(
        "honours.nominations",
        "推荐名单（姓名、身份证号、单位、推荐方式、推荐单位、主要事迹…）导入一个评选，用 --round 指定评选编号，"
        "或在表中加“评选名称”列；名册中没有的职工或单位整行拒绝",
        "desktop.programmes.honours.importing:run_cli",
        (("round", "评选编号（见 honours 命令）；honours.nominations 不指定时按表中“评选名称”列逐行确定"),)),
)
