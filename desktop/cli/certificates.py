"""CLI: ``certificates`` (batch PDFs with serials) and ``verify`` (CLI.md, Certificates)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from desktop.cli.common import FAILED, OK, UsageError, err, print_json, progress_line, say


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("certificates", parents=[common], help="批量生成证书 PDF（自动编号、登记）")
    p.add_argument("--templates", action="store_true", help="列出全部证书模板")
    p.add_argument("--calibration", action="store_true", help="生成套打校准页（与 --out、--template、偏移量合用）")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--competition", type=int, metavar="ID", help="某次竞赛的全部获奖者")
    what.add_argument("--source", metavar="KEY", help="证书来源（业务代码；写错时列出可用的来源）")
    what.add_argument("--from", dest="from_file", type=Path, metavar="FILE", help="名单（.xlsx/.xls/.csv）")
    p.add_argument("--year", type=int, help="年度（--source 用，默认今年）")
    p.add_argument("--title", metavar="TEXT", help="竞赛名称（--from 用；名单没有“竞赛”列时印在每张证书上，"
                                                   "默认取表头上方的标题行）")
    p.add_argument("--sheet", help="名单所在的工作表（默认第一个可见的）")
    p.add_argument("--out", type=Path, metavar="FILE.pdf")
    p.add_argument("--template", metavar="KEY", help="证书模板，见 --templates（默认随来源）")
    p.add_argument("--offset-x", default="0", metavar="MM", help="整体右移（毫米，负数左移，±50 以内）")
    p.add_argument("--offset-y", default="0", metavar="MM", help="整体下移（毫米，负数上移，±50 以内）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_certificates)

    p = sub.add_parser("verify", parents=[common], help="查验证书编号、校验码或二维码内容")
    p.add_argument("code", metavar="CODE_OR_SERIAL")
    p.set_defaults(handler=cmd_verify)


def _open(args: argparse.Namespace) -> Any:
    from desktop.context import open_app

    return open_app(getattr(args, "db", None))


def _offset(args: argparse.Namespace) -> tuple[float, float]:
    """The offsets as millimetres, or exit 2 with the Chinese message (nothing is written)."""
    from db.errors import ValidationError
    from desktop.certificates.offsets import check_offsets

    try:
        return check_offsets(args.offset_x, args.offset_y)
    except ValidationError as exc:
        raise UsageError(exc.message) from exc


def cmd_certificates(args: argparse.Namespace) -> int:
    from desktop.certificates import issuing as certs

    if args.templates:
        for key, tpl in certs.templates().items():
            say(f"{key}\t{certs.template_title(tpl, key)}")
        return OK
    chosen = [x for x in (args.competition, args.source, args.from_file) if x is not None]
    if args.calibration and chosen:
        raise UsageError("--calibration 不能与 --competition、--source 或 --from 同时使用")
    if not args.calibration and not chosen:
        raise UsageError("请指定 --competition ID、--source KEY 或 --from FILE 之一（或 --templates、--calibration）")
    if args.title is not None and args.from_file is None:
        raise UsageError("--title 只能与 --from 同时使用")
    if args.out is None or args.out.suffix.lower() != ".pdf":
        raise UsageError("缺少 --out FILE.pdf（输出文件必须以 .pdf 结尾）")
    offset = _offset(args)
    if args.template is not None:
        known = list(certs.templates())
        if args.template not in known:
            raise UsageError(f"未知的证书模板 {args.template}，可用：{' '.join(known)}")
    if args.calibration:
        return _calibration(args, offset)
    if args.source is not None:
        from desktop.certificates.sources import sources

        keys = [s.key for s in sources()]
        if args.source not in keys:
            raise UsageError(f"未知的证书来源 {args.source}，可用：{' '.join(keys) or '（无）'}")
    if not args.out.parent.is_dir():
        err(f"文件夹不存在：{args.out.parent}")
        return FAILED

    app = _open(args)
    try:
        selection = _select(args, app)
        if selection is None:
            return FAILED
        if not args.json:
            for s in selection.skipped:
                say(s.line())
        if not selection.records:
            err("没有可以生成证书的记录，未生成文件。")
            if args.json:
                print_json({"pages": 0, "serials": [], "skipped": [s.as_dict() for s in selection.skipped]})
            return FAILED
        # the source's own (its units' when it lists only units); a batch of people and units
        # prints each on a template of its kind (desktop.certificates.recipients)
        template = args.template or selection.default_template()
        if template not in certs.templates():
            template = certs.DEFAULT_TEMPLATE
        issued = certs.issue_and_render(app, template, selection.records, args.out, offset=offset,
                                        progress=progress_line)
    finally:
        app.close()
    if issued.unsigned:
        from desktop.certificates.signing import LOCKED_NOTICE

        err(LOCKED_NOTICE)
    if args.json:
        print_json({"pages": issued.pages, "serials": issued.serials,
                    "skipped": [s.as_dict() for s in selection.skipped]})
    else:
        if issued.reprinted:
            say(f"其中 {issued.reprinted} 张已发过证书，按原编号补打")
        say(f"已生成 {issued.pages} 张证书：{args.out}")
    return OK if issued.pages > 0 else FAILED


def _select(args: argparse.Namespace, app: Any) -> Any:
    """The records to print, or None after saying why (exit 1)."""
    from db.errors import ValidationError
    from desktop.certificates import sources as cs
    from desktop.importing.readers import ReadError

    if args.from_file is not None:
        try:
            return cs.from_spreadsheet(args.from_file, args.sheet, args.title)
        except (ReadError, ValidationError) as exc:
            err(exc.message)
            return None
    try:
        with app.db.session() as s:
            if args.competition is not None:  # CLI.md's shorthand: the source picking one competition
                return cs.from_reference(s, "competition", args.competition)
            return cs.from_source(s, args.source, {"year": args.year or date.today().year})
    except cs.UnknownSource as exc:
        raise UsageError(exc.message) from exc
    except (cs.NotFound, ValidationError) as exc:
        err(exc.message)
        return None


def _calibration(args: argparse.Namespace, offset: tuple[float, float]) -> int:
    """``certificates --calibration --out FILE.pdf``: the calibration page of a template's size
    and fields, shifted by the offsets and naming them (no database needed)."""
    from desktop.certificates import issuing as certs
    from reports.certificates.calibration import render_calibration

    if not args.out.parent.is_dir():
        err(f"文件夹不存在：{args.out.parent}")
        return FAILED
    key, template = certs.resolve_template(args.template or certs.DEFAULT_TEMPLATE)
    try:
        render_calibration(args.out, template, offset)
    except OSError as exc:
        err(f"无法写入 {args.out}：{exc.strerror or exc}")
        return FAILED
    say(f"已生成校准页（{certs.template_title(template, key)}）：{args.out}")
    return OK


def cmd_verify(args: argparse.Namespace) -> int:
    from desktop.certificates.register import verify

    app = _open(args)
    try:
        with app.db.session() as s:
            verdict = verify(s, args.code, app.keys)
    finally:
        app.close()
    say(verdict.message)
    if verdict.certificate and verdict.status in ("valid", "void"):
        say(verdict.detail())
    return OK if verdict.ok else FAILED
