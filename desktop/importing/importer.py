"""Validate a register's rows from a spreadsheet and write the valid ones in one transaction.

Reading (readers, headers) is separate; this module turns mapped rows into records, using
the record description for labels, kinds, choices and validators.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from db import audit, validators
from db.choices import ALIASES
from db.database import Database
from db.errors import ValidationError
from db.fields import Column, describe
from db.models.registers import Organisation, Worker
from desktop.importing.headers import HeaderField, HeaderMatch, apply_mapping, find_header
from desktop.importing.readers import SheetData, read_sheet
from desktop.jobs import Cancelled, Progress, no_progress
from desktop.pinyin import initials

MODELS: dict[str, type] = {"workers": Worker, "organisations": Organisation}
EMPLOYER = "employer_id"  # a worker row's employer column holds an organisation's name
BATCH = 2000
# Columns that tell the rows of one import apart (the file's duplicates are rejected first).
IDENTITY: dict[str, tuple[str, ...]] = {"workers": ("id_number",), "organisations": ("name", "credit_code")}


@dataclass
class Problem:
    row: int
    code: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "code": self.code, "reason": self.reason}


@dataclass
class ImportReport:
    kind: str
    imported: int = 0
    updated: int = 0
    skipped: int = 0
    created_organisations: int = 0
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    data_rows: int = 0
    header_row: int = 0
    # Rejected rows as read (header text -> value), so the clerk can fix and re-import them.
    rejected_rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def summary(self) -> str:
        return (f"导入 {self.imported} 条，更新 {self.updated} 条，跳过 {self.skipped} 条，"
                f"拒绝 {len(self.rejected)} 条")

    def as_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported, "updated": self.updated, "skipped": self.skipped,
            "created_organisations": self.created_organisations,
            "rejected": [p.as_dict() for p in self.rejected],
            "warnings": [p.as_dict() for p in self.warnings],
        }

    @property
    def failed(self) -> bool:
        """CLI exit 1: the file had data rows and every one was rejected."""
        return self.data_rows > 0 and len(self.rejected) == self.data_rows


@dataclass
class Plan:
    """Validated rows, ready to write."""

    kind: str
    report: ImportReport
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)  # each with "id"
    new_organisations: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> row


def header_fields(model: type) -> list[HeaderField]:
    return [HeaderField(c.name, c.label, c.field.synonyms, c.field.required) for c in describe(model)]


def read_and_match(path: Path, kind: str, sheet: str | None = None) -> tuple[SheetData, HeaderMatch]:
    data = read_sheet(path, sheet)
    return data, find_header(data.rows, header_fields(MODELS[kind]))


class _Choices:
    """Label, alias or code -> code, for each choice list."""

    def __init__(self, labels: dict[str, dict[str, str]]) -> None:
        self.maps: dict[str, dict[str, str]] = {}
        for name, items in labels.items():
            m = {_norm(code): code for code in items}
            m.update({_norm(alias): code for alias, code in ALIASES.get(name, {}).items()})
            m.update({_norm(label): code for code, label in items.items()})
            self.maps[name] = m

    def code(self, name: str, value: Any) -> str | None:
        return self.maps.get(name, {}).get(_norm(value))


def _norm(value: Any) -> str:
    return "".join(str(value).split()).lower()


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    return text or None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _RowValidator:
    """Turns one mapped row into column values; raises ValidationError to reject it."""

    def __init__(self, columns: list[Column], choices: _Choices) -> None:
        self.columns = [c for c in columns if c.field.editable and c.name != EMPLOYER]
        self.choices = choices

    def __call__(self, raw: dict[str, Any], warn: Callable[[str, str], None]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for col in self.columns:
            if col.name not in raw:
                continue
            value, f = raw[col.name], col.field
            if f.kind == "id_number":
                info = validators.id_info(value)  # once per row: the number, birth date and sex
                out[col.name], out["_id_info"] = info.number, info
            elif f.kind in ("name", "credit_code") and f.validator is not None:
                result = f.validator(value)
                if result is not None:
                    out[col.name] = result
            elif _blank(value):
                continue
            elif f.kind == "choice" and f.choices:
                code = self.choices.code(f.choices, value)
                if code is None:
                    warn("choice_unknown", f"{f.label}「{_text(value)}」不在选项中，已留空")
                else:
                    out[col.name] = code
            elif f.kind == "phone":
                out[col.name] = self._phone(f.label, value, warn)
            elif f.kind == "date":
                try:
                    out[col.name] = validators.date_value(value)
                except ValidationError as exc:
                    warn("date_invalid", f"{f.label}：{exc.message}，已留空")
            elif f.kind == "int":
                try:
                    out[col.name] = int(float(str(value).replace(",", "").strip()))
                except ValueError:
                    warn("number_invalid", f"{f.label}「{_text(value)}」不是数字，已留空")
            else:
                out[col.name] = _text(value)
        return out

    @staticmethod
    def _phone(label: str, value: Any, warn: Callable[[str, str], None]) -> str:
        text = _text(value) or ""
        try:
            phone = validators.phone(value)
        except ValidationError:
            phone = None
        if phone is None or not validators.is_mobile(phone):
            warn("phone_format", f"{label}「{text}」不是手机号码")
        return (phone or text)[:20]


def plan(session: Session, kind: str, data: SheetData, match: HeaderMatch, labels: dict[str, dict[str, str]],
         *, mapping: dict[int, str | None] | None = None, on_duplicate: str = "skip",
         progress: Progress = no_progress, cancelled: Callable[[], bool] = lambda: False) -> Plan:
    """Validate every row against the register; nothing is written."""
    validate = _RowValidator(describe(MODELS[kind]), _Choices(labels))
    report = ImportReport(kind, header_row=match.row_number)
    result = Plan(kind, report)
    rows = apply_mapping(data.rows, match, mapping)
    originals = _originals(data, match)
    report.data_rows = len(rows)
    existing = _existing_keys(session, kind)
    orgs_by_name: dict[str, int] = {}
    if kind == "workers":
        orgs_by_name = dict(session.execute(select(Organisation.name, Organisation.id)).all())
    seen: dict[str, int] = {}
    for n, (row_no, raw) in enumerate(rows):
        if n % 500 == 0:
            if cancelled():
                raise Cancelled
            progress(n, len(rows), "正在校验")
        warnings: list[Problem] = []

        def warn(code: str, reason: str, _row: int = row_no, _w: list[Problem] = warnings) -> None:
            _w.append(Problem(_row, code, reason))

        try:
            values = validate(raw, warn)
            key = _check_row(kind, values, raw)
            if key in seen:
                raise ValidationError("duplicate_in_file", f"与第 {seen[key]} 行重复（{_key_label(kind)}相同）")
        except ValidationError as exc:
            report.rejected.append(Problem(row_no, exc.code, exc.message))
            report.rejected_rows.append((row_no, originals.get(row_no, raw)))
            continue
        seen[key] = row_no
        if kind == "workers":
            _attach_employer(values, raw, orgs_by_name, result, warn)
            values["name_initials"] = initials(values["name"])
        report.warnings.extend(warnings)
        record_id = existing.get(key)
        if record_id is None:
            if kind == "workers" and "member_status" not in raw:  # no such column: a new member
                values["member_status"] = "active"
            result.inserts.append(values)
        elif on_duplicate == "update":
            result.updates.append({"id": record_id, **values})
        else:
            report.skipped += 1
    report.created_organisations = len(result.new_organisations)
    return result


def header_names(values: Sequence[object]) -> list[str]:
    """A header row's texts as rejected rows are keyed (a blank header: 第N列)."""
    return [str(h).strip() if h not in (None, "") else f"第{i + 1}列" for i, h in enumerate(values)]


def _originals(data: SheetData, match: HeaderMatch) -> dict[int, dict[str, Any]]:
    """Each data row as the clerk wrote it, keyed by the file's header texts."""
    if match.index < 0:
        return {}
    names = header_names(data.rows[match.index][1])
    out: dict[int, dict[str, Any]] = {}
    for number, cells in data.rows[match.index + 1:]:
        out[number] = {names[i] if i < len(names) else f"第{i + 1}列": v for i, v in enumerate(cells)}
    return out


def _key_label(kind: str) -> str:
    return "身份证号" if kind == "workers" else "统一社会信用代码或单位名称"


def _check_row(kind: str, values: dict[str, Any], raw: dict[str, Any]) -> str:
    """Cross-field rules; returns the row's identity (ID number, credit code or name)."""
    if kind == "workers":
        if not values.get("name"):
            raise ValidationError("name_missing", "缺少姓名")
        info = values.pop("_id_info", None)
        if info is None:
            raise ValidationError("id_missing", "缺少身份证号")
        validators.check_gender(info, values.get("gender"))
        values["gender"] = info.gender
        values["birth_date"] = info.birth_date
        return info.number
    name = _text(raw.get("name"))
    if not name:
        raise ValidationError("name_missing", "缺少单位名称")
    values["name"] = name[:100]
    return values.get("credit_code") or "name:" + values["name"]


def _attach_employer(values: dict[str, Any], raw: dict[str, Any], orgs: dict[str, int], result: Plan,
                     warn: Callable[[str, str], None]) -> None:
    name = _text(raw.get(EMPLOYER))
    if not name:
        return
    if name in orgs:
        values[EMPLOYER] = orgs[name]
        return
    if name not in result.new_organisations:
        result.new_organisations[name] = {"name": name[:100]}
        warn("organisation_created", f"单位「{name}」不在单位名册中，已新建")
    values["_employer_name"] = name


def _existing_keys(session: Session, kind: str) -> dict[str, int]:
    if kind == "workers":
        return dict(session.execute(select(Worker.id_number, Worker.id)).all())
    out: dict[str, int] = {}
    for rid, code, name in session.execute(select(Organisation.id, Organisation.credit_code, Organisation.name)):
        if code:
            out[code] = rid
        out.setdefault("name:" + name, rid)
    return out


def write(db: Database, p: Plan, *, progress: Progress = no_progress,
          cancelled: Callable[[], bool] = lambda: False) -> ImportReport:
    """Write a plan in one transaction: every valid row or, on any failure or cancel, none."""
    table = MODELS[p.kind].__table__  # type: ignore[attr-defined]
    total = len(p.inserts) + len(p.updates) + len(p.new_organisations)
    done = 0
    with db.session() as session:
        conn = session.connection()
        if p.new_organisations:
            org_rows = list(p.new_organisations.values())
            _insert(conn, Organisation.__table__, org_rows, db)
            by_name = {r["name"]: r["id"] for r in org_rows}
            for values in (*p.inserts, *p.updates):
                name = values.pop("_employer_name", None)
                if name is not None:
                    values[EMPLOYER] = by_name[name[:100]]
            done += len(org_rows)
        for start in range(0, len(p.inserts), BATCH):
            if cancelled():
                raise Cancelled
            chunk = [_complete(r, table) for r in p.inserts[start:start + BATCH]]
            _insert(conn, table, chunk, db)
            done += len(chunk)
            progress(done, total, "正在写入")
        if p.updates:
            _apply_updates(conn, table, p.updates, db)
            done += len(p.updates)
            progress(done, total, "正在写入")
        if cancelled():
            raise Cancelled
        _test_pause()
    p.report.imported = len(p.inserts)
    p.report.updated = len(p.updates)
    return p.report


def _insert(conn: Any, table: Any, rows: list[dict[str, Any]], db: Database) -> None:
    """Batched INSERT ... RETURNING; ids are matched to rows by their unique key columns
    (asking for RETURNING in parameter order makes SQLAlchemy send one row at a time)."""
    keys = [k for k in IDENTITY[table.name] if k in rows[0]] if rows else []
    returned = conn.execute(insert(table).returning(table.c.id, *(table.c[k] for k in keys)), rows).all()
    ids = {tuple(r[1:]): r[0] for r in returned}
    for row in rows:
        row["id"] = ids[tuple(row[k] for k in keys)]
    audit.log_rows(conn, "insert", table.name, rows, db.actor)


def _complete(row: dict[str, Any], table: Any) -> dict[str, Any]:
    """Every column key present (an executemany needs the same keys in every row)."""
    return {c.name: row.get(c.name) for c in table.columns if c.name not in ("id", "created_at", "updated_at")}


def _apply_updates(conn: Any, table: Any, updates: Sequence[dict[str, Any]], db: Database) -> None:
    old_rows: dict[int, dict[str, Any]] = {}
    ids = [u["id"] for u in updates]
    for start in range(0, len(ids), 900):
        for r in conn.execute(select(table).where(table.c.id.in_(ids[start:start + 900]))).mappings():
            old_rows[r["id"]] = {k: audit.plain(v) for k, v in r.items()}
    changed = []
    for u in updates:
        values = {k: v for k, v in u.items() if k != "id" and v is not None}
        conn.execute(update(table).where(table.c.id == u["id"]).values(**values, updated_at=func.current_timestamp()))
        changed.append({"id": u["id"], **values})
    olds = {u["id"]: {k: old_rows.get(u["id"], {}).get(k) for k in u if k != "id"} for u in changed}
    audit.log_rows(conn, "update", table.name, changed, db.actor, old_rows=olds)


def _test_pause() -> None:
    """Test-only pause inside the transaction, just before COMMIT (the kill tests use it)."""
    marker = os.environ.get("UNIONDESK_TEST_PAUSE_BEFORE_COMMIT")
    if marker:
        Path(marker).touch()
        time.sleep(float(os.environ.get("UNIONDESK_TEST_PAUSE_SECONDS", "0.05")))
