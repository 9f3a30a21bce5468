"""The command line (CLI.md): parsing, exit codes, and the commands over the shared functions."""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import sys
from collections.abc import Callable

from desktop import APP_NAME, __version__, logs
from desktop.cli.common import FAILED, OK, USAGE, Parser, UsageError, err, say

log = logging.getLogger(__name__)


def build_parser() -> Parser:
    from desktop.cli import certificates as cli_certificates
    from desktop.cli import registers as cli_registers
    from desktop.cli import reports as cli_reports

    db_help = "数据库文件路径或 URL（优先于 UNIONDESK_DATABASE_URL 和设置）"
    user_help = "登录名（数据库设置了账户时必填；密码从终端输入或取自 UNIONDESK_PASSWORD）"
    p = Parser(prog="python -m desktop", description="工会工作台（UnionDesk）命令行")
    p.add_argument("--version", action="store_true", help="显示版本")
    p.add_argument("--db", help=db_help)
    p.add_argument("--user", help=user_help)
    sub = p.add_subparsers(dest="command", parser_class=Parser, metavar="COMMAND")
    common = Parser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help=db_help)
    common.add_argument("--user", default=argparse.SUPPRESS, help=user_help)
    cli_registers.add_commands(sub, common)
    cli_reports.add_commands(sub, common)
    cli_certificates.add_commands(sub, common)
    from desktop.cli import accounts as cli_accounts

    cli_accounts.add_commands(sub, common)
    from desktop.cli import keys as cli_keys

    cli_keys.add_commands(sub, common)
    from desktop import registry

    for e in registry.entries():  # the programmes' own listing commands (competitions, pairs)
        if e.cli:
            module, name = e.cli.split(":")
            getattr(importlib.import_module(module), name).add_to(sub, common)
    return p


#: options whose value may start with "-" (a negative offset, "-inf"), which argparse would take
#: for an option of its own and refuse in English
NUMBER_OPTIONS = ("--offset-x", "--offset-y")


def joined_numbers(argv: list[str]) -> list[str]:
    """``--offset-x -inf`` as ``--offset-x=-inf``, so the command's own check answers in Chinese."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        if argv[i] in NUMBER_OPTIONS and i + 1 < len(argv) and argv[i + 1].startswith("-"):
            out.append(f"{argv[i]}={argv[i + 1]}")
            i += 2
            continue
        out.append(argv[i])
        i += 1
    return out


def run(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(joined_numbers(list(argv)))
    if args.version:
        say(f"{APP_NAME} {__version__}")
        return OK
    if not args.command:
        parser.print_help()
        return USAGE
    logs.setup()
    from desktop import context

    if gc.get_freeze_count():  # a process running this one command (desktop.__main__): the models
        gc.freeze()  # just loaded live as long as it does, so the collector need not scan them again

    context.set_program(f"命令行 {args.command}")  # names us in other processes' "in use" messages
    from desktop.cli import signin

    signin.install(getattr(args, "user", None))  # every open_app signs --user in where accounts exist
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
    finally:
        signin.install(None, hook=False)  # run() in-process (tests): the next open_app is not signed in
        _say_font_notice()


def _say_font_notice() -> None:
    """Once: a font chosen in Settings is missing on this computer and another printed instead."""
    if "reports.fonts" in sys.modules:  # something was printed
        from desktop.fonts import take_notice

        notice = take_notice()
        if notice:
            err(notice)
