"""Database exceptions in a clerk's words: :func:`translate` turns a driver error into a
:class:`DatabaseProblem` (disk full, locked, duplicate, too long...) naming the field where it
can, and :func:`describe_error` gives one masked line for a screen or a log. Neither ever shows
the SQL or its parameters (whole ID and phone numbers)."""

from __future__ import annotations

import errno
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, StatementError

from db.errors import DatabaseProblem, ValidationError
from db.privacy import mask_numbers

#: SQLite files opened by this process: a "disk I/O error" is a full disk when their folder is full.
_SQLITE_FOLDERS: set[Path] = set()
#: Below this many free bytes beside the database, an I/O error is taken for a full disk.
DISK_FULL_MARGIN = 2 * 1024 * 1024

MSG_DISK_FULL = "磁盘空间已满，本次操作未写入任何数据。请清理磁盘后重试。"
_NOT_WRITTEN = "本次操作未写入任何数据。"


def note_sqlite_folder(folder: Path) -> None:
    """Remember the folder of an SQLite file this process opened (for ``disk I/O error``)."""
    _SQLITE_FOLDERS.add(folder)


def _sqlstate(orig: BaseException) -> str:
    """PostgreSQL's SQLSTATE of a driver error ('' for SQLite and others)."""
    return str(getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or "")


def _folder_full() -> bool:
    import shutil

    for folder in list(_SQLITE_FOLDERS):
        try:
            if shutil.disk_usage(folder).free < DISK_FULL_MARGIN:
                return True
        except OSError:
            continue
    return False


def _model_column(table: str, column: str) -> tuple[str, int | None]:
    """(Chinese label, VARCHAR length) of ``table.column`` from the record description."""
    from sqlalchemy import String

    from db.base import Base
    from db.fields import Field

    t = Base.metadata.tables.get(table)
    col = t.c.get(column) if t is not None else None
    if col is None:
        return column, None
    f = col.info.get("field")
    label = f.label if isinstance(f, Field) else column
    length = col.type.length if isinstance(col.type, String) else None
    return label, length


def _table_of(statement: str | None) -> str | None:
    m = re.match(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?', statement or "", re.I)
    return m.group(1) if m else None


def _param_items(params: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(params, dict):
        yield from params.items()
    elif isinstance(params, list | tuple):
        for p in params:
            if isinstance(p, dict):
                yield from p.items()


def _too_long_column(exc: BaseException) -> tuple[str, int | None] | None:
    """Which described column a PostgreSQL "value too long" was about, from the statement's
    target table and the bound values (their names only are used, never shown)."""
    if not isinstance(exc, DBAPIError):
        return None
    table = _table_of(exc.statement)
    if table is None:
        return None
    for key, value in _param_items(exc.params):
        if not isinstance(value, str):
            continue
        name = re.sub(r"(?:__\d+|_m\d+|_\d+)$", "", str(key))
        label, length = _model_column(table, name)
        if length is not None and len(value) > length:
            return label, length
    return None


def _unique_column(exc: BaseException, orig: BaseException) -> tuple[str, str] | None:
    """(table, column) of a unique-key violation, from the driver's message (no values)."""
    text = str(orig)
    m = re.search(r"UNIQUE constraint failed: ([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)", text)
    if m:
        return m.group(1), m.group(2)
    diag = getattr(orig, "diag", None)
    table = getattr(diag, "table_name", None) or (_table_of(getattr(exc, "statement", None)) or "")
    detail = getattr(diag, "message_detail", None) or ""
    m = re.search(r"Key \(([^)]+)\)=", detail) or re.search(r"Key \(([^)]+)\)=", text)
    if m:
        return table, m.group(1).split(",")[0].strip().strip('"')
    constraint = getattr(diag, "constraint_name", None) or ""
    if table and constraint.startswith(f"{table}_") and constraint.endswith("_key"):
        return table, constraint[len(table) + 1:-4]
    return (table, "") if table else None


def _integrity_problem(exc: BaseException, orig: BaseException) -> DatabaseProblem:
    text = str(orig).lower()
    state = _sqlstate(orig)
    if "unique" in text or state == "23505":
        where = _unique_column(exc, orig)
        label = _model_column(*where)[0] if where and where[1] else ""
        what = f"「{label}」" if label else "这条记录的唯一项"
        return DatabaseProblem(
            "duplicate",
            f"{what}与已有记录重复（可能另一个窗口或程序刚刚保存了相同的记录），{_NOT_WRITTEN}请刷新后再试。",
        )
    if "not null" in text or state == "23502":
        column = getattr(getattr(orig, "diag", None), "column_name", None)
        m = re.search(r"NOT NULL constraint failed: ([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)", str(orig))
        label = _model_column(m.group(1), m.group(2))[0] if m else (column or "")
        return DatabaseProblem("missing_value", f"缺少必填项{f'「{label}」' if label else ''}，{_NOT_WRITTEN}")
    if "foreign key" in text or state == "23503":
        return DatabaseProblem(
            "missing_reference", f"引用的记录不存在或已被删除（可能另一个窗口刚刚删除了它），{_NOT_WRITTEN}请刷新后再试。"
        )
    return DatabaseProblem("constraint", f"数据不符合数据库的规则，{_NOT_WRITTEN}")


def translate(exc: BaseException) -> DatabaseProblem | None:
    """A clerk-readable problem for a database exception, or None when it is a plain bug.

    The message never carries the SQL or its parameters (whole ID and phone numbers).
    """
    if isinstance(exc, DatabaseProblem):
        return exc
    if isinstance(exc, StatementError) and isinstance(exc.orig, DatabaseProblem):
        return exc.orig  # raised while binding a value (db.protected: a sensitive field without the key)
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    text = str(orig).lower()
    state = _sqlstate(orig)
    if isinstance(exc, IntegrityError) or isinstance(orig, sqlite3.IntegrityError) or state.startswith("23"):
        return _integrity_problem(exc, orig)
    if (
        "disk is full" in text or "disk full" in text or "no space" in text or state == "53100"
        or (isinstance(orig, OSError) and orig.errno == errno.ENOSPC)
    ):
        return DatabaseProblem("disk_full", MSG_DISK_FULL)
    if "disk i/o error" in text:
        if _folder_full():
            return DatabaseProblem("disk_full", MSG_DISK_FULL)
        return DatabaseProblem("io_error", f"读写数据库文件时出错（磁盘故障或磁盘空间不足），{_NOT_WRITTEN}请检查磁盘后重试。")
    if "locked" in text or "busy" in text or state in ("55P03", "40P01"):
        return DatabaseProblem("locked", f"数据库正被另一个程序或窗口占用，请稍后再试。{_NOT_WRITTEN}")
    if state == "22001" or type(orig).__name__ == "StringDataRightTruncation" or "value too long" in text:
        found = _too_long_column(exc)
        if found is not None:
            label, length = found
            return DatabaseProblem("too_long", f"「{label}」的内容超过了 {length} 个字的上限，{_NOT_WRITTEN}请缩短后重试。")
        return DatabaseProblem("too_long", f"有一项内容超过了数据库允许的长度，{_NOT_WRITTEN}请缩短后重试。")
    if "readonly" in text or "read-only" in text:
        return DatabaseProblem("read_only", f"数据库文件是只读的，无法保存。{_NOT_WRITTEN}")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return DatabaseProblem("corrupt", "数据库文件已损坏。请从备份恢复（数据 → 从备份恢复）。")
    if "unable to open" in text:
        return DatabaseProblem("unreadable", "无法打开数据库文件，请检查文件是否存在以及访问权限。")
    if isinstance(exc, OperationalError) and ("connection" in text or "could not connect" in text):
        first = mask_numbers(str(orig).strip().splitlines()[0]) if str(orig).strip() else ""
        return DatabaseProblem("unreachable", f"无法连接数据库服务器：{first}")
    if isinstance(orig, sqlite3.OperationalError | sqlite3.DatabaseError) and "no such table" in text:
        return DatabaseProblem("not_uniondesk", "这个文件不是工会工作台的数据库。")
    return None


def describe_error(exc: BaseException) -> str:
    """One line about an exception for a clerk's screen or a log: the driver's first line for a
    database error (never the SQL or its parameters), ID- and phone-shaped numbers masked."""
    if isinstance(exc, DatabaseProblem | ValidationError):
        return mask_numbers(exc.message)
    if isinstance(exc, StatementError):
        orig = exc.orig
        first = (str(orig).strip().splitlines() or [""])[0] if orig is not None else ""
        name = type(orig).__name__ if orig is not None else type(exc).__name__
        return mask_numbers(f"{name}: {first}" if first else name)
    text = str(exc).strip()
    first = text.splitlines()[0] if text else ""
    return mask_numbers(f"{type(exc).__name__}: {first}" if first else type(exc).__name__)
