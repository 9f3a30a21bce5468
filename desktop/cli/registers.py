"""CLI commands for the registers and the database: demo, import, export, screenshot, backup..."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop.cli.common import FAILED, OK, ImportCommand, UsageError, err, print_json, progress_line, say

KINDS = ("workers", "organisations")


def programme_imports() -> dict[str, ImportCommand]:
    """The imports the programmes declare (``IMPORTS`` in their CLI modules), by key."""
    import importlib

    from desktop import registry

    found: dict[str, ImportCommand] = {}
    for e in registry.entries():
        if e.cli:
            for command in getattr(importlib.import_module(e.cli.split(":")[0]), "IMPORTS", ()):
                found[command.key] = command
    return found


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo", parents=[common], help="生成演示数据")
    p.add_argument("--size", type=int, default=2000, help="职工人数（默认 2000）")
    p.add_argument("--force", action="store_true", help="先备份，再用演示数据替换全部记录")
    p.set_defaults(handler=cmd_demo)

    imports = programme_imports()
    more = "".join(f"；{c.key}：{c.help}" for c in imports.values())
    p = sub.add_parser("import", parents=[common], help="从 Excel/CSV 导入职工或单位" + more)
    p.add_argument("kind", choices=KINDS + tuple(imports))
    p.add_argument("file", type=Path)
    for name, text in dict(o for c in imports.values() for o in c.options).items():
        p.add_argument(f"--{name}", help=text)
    p.add_argument("--sheet")
    p.add_argument("--dry-run", action="store_true", help="只校验，不写入")
    p.add_argument("--on-duplicate", choices=("skip", "update"), default="skip")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("export", parents=[common], help="导出职工或单位名册为 .xlsx")
    p.add_argument("kind", choices=KINDS)
    p.add_argument("file", type=Path)
    p.add_argument("--full", action="store_true", help="导出完整身份证号和电话（记入操作日志）")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("screenshot", parents=[common], help="把主窗口渲染为 PNG")
    p.add_argument("file", type=Path)
    p.add_argument("--tab", default="workers")
    p.add_argument("--size", default="1280x800")
    p.set_defaults(handler=cmd_screenshot)

    p = sub.add_parser("backup", parents=[common], help="备份数据库")
    p.add_argument("dest", nargs="?", type=Path)
    p.add_argument("--password", action="store_true",
                   help="为备份设置密码（复制到U盘时建议；密码从终端输入或取自 UNIONDESK_BACKUP_PASSWORD）")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", parents=[common], help="从备份恢复数据库")
    p.add_argument("file", type=Path)
    p.add_argument("--yes", action="store_true", help="不询问，直接恢复")
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser("check", parents=[common], help="检查数据库完整性和结构版本")
    p.set_defaults(handler=cmd_check)


def _open(args: argparse.Namespace, *, daily_backup: bool = True) -> Any:
    from desktop.context import open_app

    return open_app(getattr(args, "db", None), daily_backup=daily_backup)


def _confirm(question: str) -> bool:
    if not sys.stdin or not sys.stdin.isatty():
        return False
    try:
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes", "是")
    except EOFError:
        return False


def cmd_demo(args: argparse.Namespace) -> int:
    from desktop import demo

    if args.size < 1 or args.size > 1_000_000:
        raise UsageError("--size 应在 1 到 1000000 之间")
    app = _open(args)
    try:
        with app.db.session() as s:
            existing = demo.record_count(s)
        if existing and not args.force and not _confirm(f"数据库中已有 {existing} 条记录，要先备份再用演示数据替换吗？"):
            err(f"数据库中已有 {existing} 条记录，未生成演示数据。如需替换，请加 --force（会先自动备份）。")
            return FAILED
        counts = demo.replace(app, args.size, progress_line, on_backup=lambda path: err(f"已备份到 {path}"))
    finally:
        app.close()
    say(f"已生成演示数据：{counts['organisations']} 个单位，{counts['workers']} 名职工")
    return OK


def cmd_import(args: argparse.Namespace) -> int:
    from desktop.importing import service
    from desktop.importing.readers import ReadError

    command = programme_imports().get(args.kind)
    app = _open(args)
    try:
        try:
            if command is not None:
                report = _programme_import(app, command, args)
            else:
                report = service.import_file(app, args.kind, args.file, sheet=args.sheet, dry_run=args.dry_run,
                                             on_duplicate=args.on_duplicate, progress=progress_line)
        except ReadError as exc:
            err(exc.message)
            return FAILED
    finally:
        app.close()
    if args.json:
        print_json(report.as_json())
    else:
        say(report.summary() + ("（试运行，未写入）" if args.dry_run else ""))
        for p in report.rejected:
            say(f"第 {p.row} 行：{p.reason}")
    return FAILED if report.failed else OK


def _programme_import(app: Any, command: ImportCommand, args: argparse.Namespace) -> Any:
    import importlib

    module, name = command.run.split(":")
    options = {o: getattr(args, o, None) for o, _help in command.options}
    return getattr(importlib.import_module(module), name)(app, args.file, sheet=args.sheet, dry_run=args.dry_run,
                                                          options=options, progress=progress_line)


def cmd_export(args: argparse.Namespace) -> int:
    from desktop.exporting import export_register

    if args.file.suffix.lower() != ".xlsx":
        raise UsageError("导出文件必须以 .xlsx 结尾")
    app = _open(args)
    try:
        if args.full:
            from desktop.accounts.roles import REVEAL

            app.require(REVEAL, "导出完整证件号码")
        with app.db.session() as s:
            n = export_register(s, args.kind, args.file, app.labels(), app.union_name, full=args.full,
                                progress=progress_line)
    finally:
        app.close()
    say(f"已导出 {n} 条：{args.file}")
    return OK


def cmd_screenshot(args: argparse.Namespace) -> int:
    from desktop import registry

    keys = [e.key for e in registry.entries()]
    if args.tab not in keys:
        raise UsageError(f"未知的页签 {args.tab}，可用：{' '.join(keys)}")
    try:
        width, height = (int(x) for x in args.size.lower().split("x"))
    except ValueError as exc:
        raise UsageError("--size 格式应为 宽x高，如 1280x800") from exc
    from ui.screenshot import render  # the one CLI command that builds widgets

    render(getattr(args, "db", None), args.tab, (width, height), args.file)
    say(f"已保存截图：{args.file}")
    return OK


def cmd_backup(args: argparse.Namespace) -> int:
    password = None
    if args.password:
        from desktop.cli.backup_password import backup_password

        password = backup_password(new=True)
        if password is None:
            return FAILED
    app = _open(args, daily_backup=False)
    try:
        dest = app.backup("manual", args.dest, password=password)
    finally:
        app.close()
    say(f"已备份到 {dest}")
    return OK


def cmd_restore(args: argparse.Namespace) -> int:
    """Checks a copy of the backup before anything is replaced; refused while the database is
    open elsewhere (the exclusive lock of db.lock)."""
    from datetime import datetime

    from db import backup as backups

    if not args.file.is_file():
        err(f"找不到备份文件 {args.file}")
        return FAILED
    from desktop import secure_backup

    if secure_backup.is_encrypted(args.file):  # a password-protected copy: decrypted first, then as any other
        from desktop.cli.backup_password import decrypted_for_restore

        plain, code = decrypted_for_restore(args.file)
        if plain is None:
            return code
        try:
            return cmd_restore(argparse.Namespace(**{**vars(args), "file": plain}))
        finally:
            secure_backup.discard(plain)
    with args.file.open("rb") as fh:
        pg_dump = fh.read(5) == b"PGDMP"
    if pg_dump:
        taken = datetime.fromtimestamp(args.file.stat().st_mtime)
        desc = f"{taken:%Y-%m-%d %H:%M} 的 PostgreSQL 备份"
    else:
        info = backups.info(args.file)
        if not info.ok:
            err(f"备份文件 {args.file} 已损坏或不是工会工作台备份，未恢复。当前数据库未改变。")
            return FAILED
        desc = f"{info.taken:%Y-%m-%d %H:%M} 的备份（{info.workers} 名职工，{info.organisations} 个单位）"
    if not args.yes and not _confirm(f"用 {desc} 替换当前数据库吗？当前数据库会先备份。"):
        err("未恢复。如确认恢复，请加 --yes。")
        return FAILED
    app = _open(args, daily_backup=False)
    try:
        if pg_dump == app.db.is_sqlite:
            kind = "PostgreSQL" if pg_dump else "SQLite"
            err(f"{args.file} 是 {kind} 备份，不能恢复到当前数据库（{app.display}）。当前数据库未改变。")
            return FAILED
        app.restore(args.file)
    finally:
        app.close()
    say(f"已从{desc}恢复")
    return OK


def cmd_check(args: argparse.Namespace) -> int:
    from db import migrate
    from db.database import Database, sqlite_path
    from desktop.context import resolve_url

    url, _ = resolve_url(getattr(args, "db", None))
    path = sqlite_path(url)
    if path is not None and not path.exists():  # checking never creates an empty file
        err(f"数据库文件不存在：{path}")
        return FAILED
    db = Database(url)
    try:
        state = migrate.state(db.engine)
        ok = True
        if db.is_sqlite:
            with db.engine.connect() as conn:
                result = conn.exec_driver_sql("PRAGMA integrity_check").scalar()
            ok = result == "ok"
            say(f"完整性检查：{'正常' if ok else '异常（' + str(result) + '）'}")
        names = {"current": "最新", "older": "较旧，打开时会自动升级", "newer": "比本程序新，请升级程序",
                 "new": "空数据库", "foreign": "不是工会工作台的数据库"}
        say(f"结构版本：{migrate.current_revision(db.engine) or '无'}（{names[state]}）")
        if state == "current":  # the audit chain, its signed heads, no foreign trigger/view/table/index
            from desktop import audit_check

            with db.engine.connect() as conn:
                audit = audit_check.check(conn)
            for line in audit.lines:
                say(line)
            for line in audit.problems:
                err(line)
            ok = ok and audit.ok
            from desktop.keys import key_check_lines

            with db.session() as s:
                key_lines, key_bad = key_check_lines(s)  # public keys vs this profile and the private keys
            for line in key_lines:
                (err if key_bad and line.startswith("密钥检查：") else say)(line)
            ok = ok and not key_bad
    finally:
        db.dispose()
    return OK if ok and state in ("current", "older") else FAILED
