"""What every command module shares: exit codes, output, usage errors, the Chinese parser."""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

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


Items = list[dict[str, Any]]


@dataclass(frozen=True)
class Listing:
    """A programme's listing command (CLI.md: ``competitions``, ``pairs``): one line per item,
    or the items as JSON with ``--json``."""

    name: str
    help: str
    json_help: str
    fetch: Callable[[Any], Items]  # session -> items
    line: Callable[[dict[str, Any]], str]
    empty: str

    def add_to(self, sub: Any, common: argparse.ArgumentParser) -> None:
        p = sub.add_parser(self.name, parents=[common], help=self.help)
        p.add_argument("--json", action="store_true", help=self.json_help)
        p.set_defaults(handler=self.run)

    def run(self, args: argparse.Namespace) -> int:
        from desktop.context import open_app

        app = open_app(getattr(args, "db", None))
        try:
            with app.db.session() as s:
                items = self.fetch(s)
        finally:
            app.close()
        if args.json:
            print_json(items)
            return OK
        if not items:
            err(self.empty)
        for item in items:
            say(self.line(item))
        return OK


@dataclass(frozen=True)
class ImportCommand:
    """A programme's spreadsheet import among the ``import`` command's kinds (CLI.md:
    ``import honours.nominations FILE --round ID``), declared in its CLI module as ``IMPORTS``.

    ``options`` are the extra ``--NAME VALUE`` options it takes, as ``(name, help)``; ``run`` names
    ``"module:function"``, imported when the command runs and called as ``function(app, path,
    sheet=, dry_run=, options={name: value}, progress=)``; it returns a result with ``summary()``,
    ``rejected`` and ``warnings`` (rows), ``failed`` and ``as_json()``, like the registers' import."""

    key: str
    help: str
    run: str
    options: tuple[tuple[str, str], ...] = ()
