"""The audit-log screen's reads and its export (for 管理员: the MANAGE_ACCOUNTS permission).

Filter by person (the clerk's name as logged), record (table and id), account and date range;
newest first, a page at a time for large logs. The log already holds ID and phone numbers
masked (db.audit), so rows and the exported workbook show what is stored. Times on SQLite are
stored in UTC (CURRENT_TIMESTAMP, db.audit_chain) and shown in local time.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, select

from db import audit
from db.base import Base
from db.fields import Column, Field, describe
from db.models.system import AuditEntry
from desktop.accounts.roles import MANAGE_ACCOUNTS
from desktop.records import RecordTable

if TYPE_CHECKING:
    from desktop.context import App

PAGE = 200
WHAT = "查看操作日志"

#: The actions the log records, in Chinese.
ACTIONS = {
    "insert": "新增", "update": "修改", "delete": "删除", "reveal": "查看完整号码", "export_full": "完整导出",
    "print": "打印", "print_full": "完整打印", "import": "导入", "restore": "恢复", "demo": "演示数据",
    "create": "创建", "export": "导出", "login": "登录", "login_failed": "登录失败", "logout": "退出登录",
    "password_changed": "修改密码", "password_reset": "重设密码", "unlock": "解锁账户",
    "grant_sensitive": "授予敏感信息权限", "withdraw_sensitive": "收回敏感信息权限",
}
#: Tables that belong to no programme, in Chinese.
TABLES = {"settings": "设置", "certificates": "证书", "accounts": "账户", "audit_log": "操作日志",
          "key_wraps": "密钥", "key_material": "密钥",
          # the case core's tables serve two programmes (助企行, 劳动争议): named for both
          "cases": "案件", "case_moves": "案件办理环节", "case_parties": "案件当事人", "case_attachments": "案件附件"}


def _col(name: str, label: str, width: int, kind: str = "text") -> Column:
    return Column(name, Field(label, kind, editable=False, width=width))


#: The screen's (and the workbook's) columns; the filter fields reuse these labels.
COLUMNS = [
    _col("seq", "序号", 7, "int"), _col("at", "时间", 21), _col("clerk", "经办人", 10), _col("account", "账户", 10),
    _col("action", "操作", 12), _col("record", "记录", 16), _col("old", "原值", 36), _col("new", "新值", 36),
    _col("note", "说明", 20),
]
LABELS = {c.name: c.label for c in COLUMNS}


@dataclass(frozen=True)
class AuditFilter:
    """Empty fields match everything. ``since``/``until``: local dates, both included."""

    clerk: str = ""
    account: str = ""
    table: str = ""
    record_id: int | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class Page:
    table: RecordTable
    total: int
    offset: int


def table_titles() -> dict[str, str]:
    """Every audited table's Chinese name (a programme's title for its models)."""
    from desktop import registry

    titles = dict(TABLES)
    for entry in registry.entries():
        for model in registry.programme(entry.key).models:
            titles.setdefault(model.__tablename__, entry.title)  # type: ignore[attr-defined]
    return titles


def _bound(day: date, utc: bool) -> datetime:
    moment = datetime.combine(day, time())
    return moment.astimezone(UTC).replace(tzinfo=None) if utc else moment


def _where(stmt: Select[Any], f: AuditFilter, utc: bool) -> Select[Any]:
    if f.clerk.strip():
        stmt = stmt.where(AuditEntry.clerk.contains(f.clerk.strip(), autoescape=True))
    if f.account.strip():
        stmt = stmt.where(AuditEntry.account == f.account.strip())
    if f.table:
        stmt = stmt.where(AuditEntry.table_name == f.table)
    if f.record_id is not None:
        stmt = stmt.where(AuditEntry.record_id == f.record_id)
    if f.since is not None:
        stmt = stmt.where(AuditEntry.at >= _bound(f.since, utc))
    if f.until is not None:
        stmt = stmt.where(AuditEntry.at < _bound(f.until + timedelta(days=1), utc))
    return stmt


def _local(at: datetime | None, utc: bool) -> str:
    if at is None:
        return ""
    if utc:
        at = at.replace(tzinfo=UTC).astimezone()
    return at.strftime("%Y-%m-%d %H:%M:%S")


class _Readable:
    """Old and new values as 「label：value；...」 with the model's labels and choice labels."""

    def __init__(self, choices: dict[str, dict[str, str]]) -> None:
        self.choices = choices
        self._columns: dict[str, dict[str, Column]] = {}

    def columns(self, table: str) -> dict[str, Column]:
        if table not in self._columns:
            t = Base.metadata.tables.get(table)
            model = next((m.class_ for m in Base.registry.mappers if m.local_table is t), None) if t is not None else None
            self._columns[table] = {c.name: c for c in describe(model)} if model is not None else {}
        return self._columns[table]

    def __call__(self, table: str, values: Any) -> str:
        if values is None:
            return ""
        if not isinstance(values, dict):
            return str(values)
        if table == "settings" and "value" in values:  # the setting's key is the entry's note
            return "" if values["value"] is None else str(values["value"])
        cols = self.columns(table)
        parts = []
        for name, value in values.items():
            col = cols.get(name)
            shown = "" if value is None else str(value)
            if col is not None and col.field.choices and isinstance(value, str):
                shown = self.choices.get(col.field.choices, {}).get(value, value)
            parts.append(f"{col.label if col else name}：{shown}")
        return "；".join(parts)


def _rows(app: App, f: AuditFilter, offset: int, limit: int | None) -> tuple[RecordTable, int]:
    utc = app.db.is_sqlite
    titles = table_titles()
    readable = _Readable(app.labels())
    with app.db.session() as s:
        total = int(s.scalar(_where(select(func.count()).select_from(AuditEntry), f, utc)) or 0)
        stmt = _where(select(AuditEntry), f, utc).order_by(AuditEntry.seq.desc(), AuditEntry.id.desc()).offset(offset)
        if limit is not None:
            stmt = stmt.limit(limit)
        ids, rows, keys = [], [], []
        for e in s.execute(stmt).scalars():
            record = titles.get(e.table_name, e.table_name)
            if e.record_id is not None:
                record = f"{record} #{e.record_id}"
            row = (e.seq, _local(e.at, utc), e.clerk, e.account, ACTIONS.get(e.action, e.action), record,
                   readable(e.table_name, e.old), readable(e.table_name, e.new), e.note or "")
            ids.append(e.id)
            rows.append(row)
            keys.append(" ".join(str(v) for v in row if v).lower())
    return RecordTable(list(COLUMNS), ids, rows, keys), total


def query(app: App, f: AuditFilter, *, offset: int = 0, limit: int = PAGE) -> Page:
    """One page of matching entries, newest first (needs MANAGE_ACCOUNTS)."""
    app.require(MANAGE_ACCOUNTS, WHAT)
    table, total = _rows(app, f, max(0, offset), limit)
    return Page(table, total, max(0, offset))


def accounts(app: App) -> list[str]:
    """Account names that appear in the log (for the filter's list)."""
    app.require(MANAGE_ACCOUNTS, WHAT)
    with app.db.session() as s:
        return [a for a in s.scalars(select(AuditEntry.account).distinct().order_by(AuditEntry.account)) if a]


def export_xlsx(app: App, f: AuditFilter, path: str | os.PathLike[str],
                progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> int:
    """Every matching entry into an .xlsx workbook (the project's writer); logged. Returns the count."""
    from reports.spec import ColumnSpec, TableReport
    from reports.xlsx import write_table_xlsx

    app.require(MANAGE_ACCOUNTS, WHAT)
    table, total = _rows(app, f, 0, None)
    specs = [ColumnSpec(c.name, c.label, c.field.width, "int" if c.field.kind == "int" else "text") for c in COLUMNS]
    report = TableReport("操作日志", specs, table.rows, app.union_name,
                         subtitle=f"共 {total} 条（证件号码、电话号码均已遮蔽）", landscape=True)
    write_table_xlsx(report, path, progress, cancelled)
    with app.db.session() as s:
        audit.log(s, "export", "audit_log", note=f"导出操作日志 {total} 条")
    return total
