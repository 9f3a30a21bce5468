"""The command line (CLI.md): parsing, exit codes, and the commands over the shared functions."""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from desktop import APP_NAME, __version__, logs

log = logging.getLogger(__name__)
OK, FAILED, USAGE = 0, 1, 2



class UsageError(Exception):
    """Bad usage: exit 2 with the list of valid values."""


_ARGPARSE_CN = (
    (re.compile(r"argument COMMAND: invalid choice: '([^']*)' \(choose from (.*)\)"), "未知的命令 {0}，可用：{1}"),
    (re.compile(r"argument (\S+): invalid choice: '([^']*)' \(choose from (.*)\)"), "参数 {0} 的值 {1} 无效，可用：{2}"),
    (re.compile(r"argument (\S+): invalid int value: '([^']*)'"), "参数 {0} 的值 {1} 不是整数"),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 缺少取值"),
    (re.compile(r"the following arguments are required: (.*)"), "缺少参数：{0}"),
    (re.compile(r"unrecognized arguments: (.*)"), "无法识别的参数：{0}"),
)


def chinese_usage(message: str) -> str:
    """argparse's English message in Chinese (the valid values listed as they are)."""
    for pattern, template in _ARGPARSE_CN:
        m = pattern.fullmatch(message.strip())
        if m:
            return template.format(*(g.replace("'", "").replace(",", "") for g in m.groups()))
    return message


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"用法错误：{chinese_usage(message)}\n")
        self.exit(USAGE)


def say(text: str) -> None:
    print(text, flush=True)


def err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def progress_line(done: int, total: int, what: str = "") -> None:
    if total:
        sys.stderr.write(f"\r{what} {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=None, default=str))


def build_parser() -> Parser:
    from desktop import cli_certificates, cli_programmes, cli_registers, cli_reports

    db_help = "数据库文件路径或 URL（优先于 UNIONDESK_DATABASE_URL 和设置）"
    p = Parser(prog="python -m desktop", description="工会工作台（UnionDesk）命令行")
    p.add_argument("--version", action="store_true", help="显示版本")
    p.add_argument("--db", help=db_help)
    sub = p.add_subparsers(dest="command", parser_class=Parser, metavar="COMMAND")
    common = Parser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help=db_help)
    cli_registers.add_commands(sub, common)
    cli_reports.add_commands(sub, common)
    cli_certificates.add_commands(sub, common)
    cli_programmes.add_commands(sub, common)
    return p


def run(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        say(f"{APP_NAME} {__version__}")
        return OK
    if not args.command:
        parser.print_help()
        return USAGE
    logs.setup()
    from desktop import context

    context.set_program(f"命令行 {args.command}")  # names us in other processes' "in use" messages
    handler: Callable[[argparse.Namespace], int] = args.handler
    from db.errors import DatabaseProblem, ValidationError
    from db.privacy import mask_numbers

    try:
        return handler(args)
    except UsageError as exc:
        err(str(exc))
        return USAGE
    except (DatabaseProblem, ValidationError) as exc:
        err(mask_numbers(exc.message))
        return FAILED
    except KeyboardInterrupt:
        err("已取消，未写入任何数据。")
        return FAILED
    except Exception as exc:
        # A database error is translated before anything is printed or logged: the clerk sees
        # the Chinese message, the log gets the traceback without SQL, parameters or numbers.
        from db.database import describe_error, translate

        problem = translate(exc)
        if problem is not None:
            log.warning("command %s failed: %s (%s)", args.command, problem.code, describe_error(exc))
            err(problem.message)
        else:
            log.exception("command %s failed", args.command)
            from desktop.paths import log_file

            err(f"发生意外错误：{describe_error(exc)}（详见日志 {log_file()}）")
        return FAILED
