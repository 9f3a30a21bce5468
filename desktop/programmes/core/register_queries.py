"""What the register screens show (the list, the edit form, a record's page), as plain rows. No Qt.

ID and phone numbers leave here masked (``desktop.records.display``); the whole value only
through ``registers.reveal_values``, which logs the look first. The register table is the one
exception: it holds whole values and masks them as it paints (DESIGN.md, "Big tables").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.fields import BIRTH, CONTACT, ID_NUMBER, PHONE, PUBLIC, Column, Field, describe
from db.models.system import AuditEntry
from db.privacy import mask, mask_id
from db.validators import IdInfo
from desktop import registry
from desktop.programmes.core.registers import MODELS, NOT_FOUND, stored_id
from desktop.records import RecordTable, display, load_table, ref_model
from desktop.records import table_columns as _table_columns
from desktop.registry import WorkerFact

if TYPE_CHECKING:
    from desktop.context import App

#: Privacy classes shown masked with a 显示 button beside them (the look audit-logged).
REVEALABLE = (ID_NUMBER, PHONE, CONTACT)
ACTIONS = {
    "insert": "新增", "update": "修改", "delete": "删除", "reveal": "查看完整号码",
    "export_full": "完整导出", "import": "导入", "restore": "恢复",
}


def table_columns(kind: str) -> list[Column]:
    """The columns of a register's list: described (``in_table``), then the facts programmes
    declare for it (``registry.FactColumn``: an organisation's star level …)."""
    return _table_columns(MODELS[kind]) + [_fact_column(i, c.label) for i, c in enumerate(registry.fact_columns(kind))]


def _fact_column(number: int, label: str) -> Column:
    return Column(f"{FACT}{number}", Field(label, editable=False, width=max(6, len(label) + 2)))


#: Names of the columns programmes add to a register's list (not model attributes).
FACT = "fact:"


def form_columns(kind: str) -> list[Column]:
    """Every described column of a register record (its edit form)."""
    return describe(MODELS[kind])


def register_table(app: App, kind: str, labels: dict[str, dict[str, str]], *, limit: int | None = None,
                   ids: Sequence[int] | None = None, columns: Sequence[Column] | None = None) -> RecordTable:
    """A register's rows (all, the first ``limit``, or those of ``ids``) for its list."""
    model = MODELS[kind]
    where = model.id.in_(list(ids)) if ids is not None else None  # type: ignore[attr-defined]
    wanted = list(columns) if columns is not None else table_columns(kind)
    described = [c for c in wanted if not c.name.startswith(FACT)]
    with app.db.session() as s:
        table = load_table(s, model, labels, columns=described, where=where, limit=limit)
        facts = [c for c in registry.fact_columns(kind) if any(w.name.startswith(FACT) for w in wanted)]
        if not facts:
            return table
        found = [fact.values(s, table.ids) for fact in facts]
    table.columns = described + [_fact_column(i, f.label) for i, f in enumerate(facts)]
    table.rows = [(*row, *(values.get(rid) for values in found)) for rid, row in zip(table.ids, table.rows, strict=True)]
    return table


def fact_tables() -> frozenset[str]:
    """Every table a programme declares: a change to one may change what a record's page shows."""
    return frozenset(m.__tablename__ for p in registry.programmes() for m in p.models)  # type: ignore[attr-defined]


# -- the edit form ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormRecord:
    """A stored record as its edit form starts: ID and phone numbers masked."""

    name: str
    values: dict[str, Any]  # by column name; masked columns hold their masked text
    masked: frozenset[str] = frozenset()  # columns shown masked (holding a value)
    ref_names: dict[str, str] = field(default_factory=dict)  # ref column -> the name it points to
    id_info: IdInfo | None = None  # the stored ID's sex and birth date (its number masked)


def form_record(app: App, kind: str, record_id: int) -> FormRecord:
    """What the edit form shows of one record; ``not_found`` when it is gone."""
    from db.errors import ValidationError

    model = MODELS[kind]
    with app.db.session() as s:
        obj = s.get(model, record_id)
        if obj is None:
            raise ValidationError("not_found", NOT_FOUND)
        values: dict[str, Any] = {}
        masked: set[str] = set()
        refs: dict[str, str] = {}
        for col in form_columns(kind):
            value = getattr(obj, col.name)
            if col.field.privacy in REVEALABLE and value not in (None, ""):
                value = display(col, value, full=False)
                masked.add(col.name)
            elif col.field.privacy == BIRTH:
                value = display(col, value, full=False)
            elif col.field.kind == "ref" and value is not None and col.field.ref:
                target = s.get(ref_model(col.field.ref), value)
                refs[col.name] = str(getattr(target, "name", "") or "")
            values[col.name] = value
        info = stored_id(s, record_id) if kind == "workers" else None
        if info is not None:
            info = IdInfo(mask_id(info.number), info.birth_date, info.gender)
        return FormRecord(str(getattr(obj, "name", "") or ""), values, frozenset(masked), refs, info)


# -- a record's page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    """One audit log entry of a record, described for the clerk (numbers masked)."""

    at: str  # local time, 2024-10-20 08:30
    who: str
    action: str  # 新增, 修改 …
    text: str  # what changed


@dataclass(frozen=True)
class RecordView:
    """A register record as its page shows it: every described column as text (masked)."""

    kind: str
    id: int
    name: str
    columns: list[Column]  # the described columns, in order
    shown: dict[str, str]  # column name -> text as shown ("" when empty)
    revealable: tuple[str, ...]  # masked columns holding a value (a 显示 button each)
    facts: list[WorkerFact]
    history: list[HistoryRow]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.isoformat()[:10]
    return str(value)


def shown_value(col: Column, value: Any, labels: dict[str, dict[str, str]]) -> str:
    """A stored value as a page shows it: choices as the clerk's labels, masked numbers."""
    if value is None or value == "":
        return ""
    f = col.field
    if f.privacy != PUBLIC:
        return _text(display(col, value, full=False))
    if f.kind == "choice" and f.choices:
        return labels.get(f.choices, {}).get(str(value), str(value))
    return _text(value)


def record_view(session: Session, kind: str, record_id: int, labels: dict[str, dict[str, str]],
                facts: Callable[[Session, int], list[WorkerFact]], *, utc_times: bool) -> RecordView | None:
    """One record's page: its columns as text, what every programme knows of it, its history."""
    model = MODELS[kind]
    obj = session.get(model, record_id)
    if obj is None:
        return None
    columns = describe(model)
    shown: dict[str, str] = {}
    revealable: list[str] = []
    for col in columns:
        value = getattr(obj, col.name)
        if col.field.kind == "ref" and value is not None and col.field.ref:
            target = session.get(ref_model(col.field.ref), value)
            shown[col.name] = str(getattr(target, "name", "") or "")
            continue
        shown[col.name] = shown_value(col, value, labels)
        if col.field.privacy in REVEALABLE and value not in (None, ""):
            revealable.append(col.name)
    return RecordView(kind, record_id, str(getattr(obj, "name", "") or ""), columns, shown, tuple(revealable),
                      list(facts(session, record_id)),
                      history(session, kind, record_id, labels, utc_times=utc_times))


def history(session: Session, kind: str, record_id: int, labels: dict[str, dict[str, str]],
            *, utc_times: bool) -> list[HistoryRow]:
    """The audit log entries of one record, newest first. ``utc_times``: stored in UTC (SQLite's
    CURRENT_TIMESTAMP), shown in the clerk's local time."""
    model = MODELS[kind]
    by_name = {c.name: c for c in describe(model)}
    rows = session.execute(
        select(AuditEntry.at, AuditEntry.clerk, AuditEntry.os_user, AuditEntry.action, AuditEntry.old,
               AuditEntry.new, AuditEntry.note)
        .where(AuditEntry.table_name == model.__tablename__, AuditEntry.record_id == record_id)  # type: ignore[attr-defined]
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    ).all()
    out = []
    for at, clerk, os_user, action, old, new, note in rows:
        who = f"{clerk}（{os_user}）" if clerk and os_user else (clerk or os_user or "")
        out.append(HistoryRow(_local_time(at, utc_times), who, ACTIONS.get(action, action),
                              _describe_change(by_name, labels, action, old, new, note or "")))
    return out


def _local_time(at: datetime | None, utc: bool) -> str:
    if at is None:
        return ""
    if utc and at.tzinfo is None:
        at = at.replace(tzinfo=UTC).astimezone()
    return at.strftime("%Y-%m-%d %H:%M")


def _describe_change(by_name: dict[str, Column], labels: dict[str, dict[str, str]], action: str,
                     old: Any, new: Any, note: str) -> str:
    if action == "reveal":
        col = by_name.get(note)
        return f"查看了完整的{col.label if col else note}"
    if action == "insert":
        return "新增记录"
    if action == "delete":
        return "删除记录"
    if action == "update" and isinstance(new, dict):
        parts = []
        before = old if isinstance(old, dict) else {}
        for name, after in new.items():
            col = by_name.get(name)
            if col is not None:
                parts.append(f"{col.label}：{_history_value(col, before.get(name), labels)} → "
                             f"{_history_value(col, after, labels)}")
        return "；".join(parts) or note
    return note


def _history_value(col: Column, value: Any, labels: dict[str, dict[str, str]]) -> str:
    if value is None or value == "":
        return "（空）"
    if col.field.privacy != PUBLIC:
        return str(mask(str(value), col.field.privacy))
    if col.field.kind == "ref":
        return f"#{value}"
    return shown_value(col, value, labels)
