"""CLI: ``report --list`` and ``report KEY --out FILE`` over the report registry."""

from __future__ import annotations

import argparse
import re
from datetime import date
from pathlib import Path
from typing import Any

from desktop.cli.common import OK, UsageError, say


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("report", parents=[common], help="生成报表（PDF 或 Excel）")
    p.add_argument("key", nargs="?", help="报表代码，见 --list")
    p.add_argument("--list", action="store_true", help="列出全部报表")
    p.add_argument("--out", type=Path)
    p.add_argument("--year", type=int)
    p.add_argument("--month")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--full", action="store_true", help="打印完整的身份证号和电话号码（记入操作日志）")
    p.set_defaults(handler=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from desktop import registry

    specs = registry.reports()
    if args.list:
        for r in specs:
            say("\t".join((r.key, r.title, ",".join(r.formats), " ".join(p.usage() for p in r.params))))
        return OK
    keys = [r.key for r in specs]
    if not args.key or args.key not in keys:
        raise UsageError(f"未知的报表 {args.key or ''}，可用：{' '.join(keys)}")
    spec = registry.report(args.key)
    if args.out is None:
        raise UsageError("缺少 --out 文件（.pdf 或 .xlsx）")
    fmt = args.out.suffix.lower().lstrip(".")
    if fmt not in spec.formats:
        raise UsageError(f"报表 {spec.key} 不提供 .{fmt} 格式，可用：{','.join(spec.formats)}")
    params = parse_params(spec, args)
    from desktop.report_runner import run_report

    run_report(getattr(args, "db", None), spec, params, args.out, full=args.full)
    say(f"已生成报表：{args.out}")
    return OK


def parse_params(spec: Any, args: argparse.Namespace) -> dict[str, Any]:
    known = {p.name: p for p in spec.params}
    values: dict[str, Any] = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep or name not in known:
            raise UsageError(f"报表 {spec.key} 不接受参数 {item}，可用：{' '.join(p.usage() for p in spec.params) or '无'}")
        values[name] = value
    if "year" in known or args.year is not None:
        values["year"] = args.year or date.today().year
    if args.month is not None:
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", args.month):
            raise UsageError("--month 格式应为 YYYY-MM")
        values["month"] = args.month
    for p in spec.params:
        if p.required and p.name not in values:
            raise UsageError(f"报表 {spec.key} 需要参数 {p.usage()}")
    return values
