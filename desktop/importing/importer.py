"""Validate a register's rows from a spreadsheet and write the valid ones in one transaction.

Reading (readers, headers) is separate; this module turns mapped rows into records, using
the record description for labels, kinds, choices and validators.
"""

from __future__ import annotations

import os
import time
import unicodedata
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
from db.fields import Column, check_length, column, describe
from db.models.core.registers import Organisation, Worker, organisation_name_key
from db.privacy import ID_VISIBLE, mask_phone
from desktop.importing.headers import HeaderField, HeaderMatch, apply_mapping, find_header
from desktop.importing.readers import SheetData, read_sheet
from desktop.jobs import Cancelled, Progress, no_progress
from desktop.pinyin import initials

MODELS: dict[str, type] = {"workers": Worker, "organisations": Organisation}
EMPLOYER = "employer_id"  # a worker row's employer column holds an organisation's name
BATCH = 2000
_ORG_NAME = column(Organisation, "name")  # an employer's name becomes an organisation's name
_EMPLOYER_LABEL = column(Worker, EMPLOYER).label
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
    new_organisations: dict[str, dict[str, Any]] = field(default_factory=dict)  # name key -> row


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
        for col in self.columns:  # String(N): rejected here on both back ends, never half-stored
            check_length(col, out.get(col.name))
        return out

    @staticmethod
    def _phone(label: str, value: Any, warn: Callable[[str, str], None]) -> str:
        text = _text(value) or ""
        try:
            phone = validators.phone(value)
        except ValidationError:
            phone = None
        if phone is None or not validators.is_mobile(phone):
            warn("phone_format", f"{label}「{mask_phone(text)}」不是手机号码")  # never a whole number
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
    register = _Register(session, kind)
    _formula_warnings(data, match, report)
    seen: dict[str, int] = {}
    seen_names: dict[str, int] = {}  # organisations: name key -> the row that had it first
    for n, (row_no, raw) in enumerate(rows):
        if n % 500 == 0:
            if cancelled():
                raise Cancelled
            progress(n, len(rows), "正在校验")
        warnings: list[Problem] = []

        def warn(code: str, reason: str, _row: int = row_no, _w: list[Problem] = warnings) -> None:
            _w.append(Problem(_row, code, reason))

        name_key: str | None = None
        employer: str | None = None
        try:
            values = validate(raw, warn)
            key = _check_row(kind, values, raw)
            if key in seen:
                raise ValidationError("duplicate_in_file", f"与第 {seen[key]} 行重复（{_key_label(kind)}相同）")
            if kind == "organisations":
                name_key = organisation_name_key(values["name"])
                if name_key in seen_names:
                    raise ValidationError("duplicate_in_file", f"与第 {seen_names[name_key]} 行重复（单位名称相同）")
            else:
                employer = _employer(raw)
            record_id = register.find(key, values, name_key)
        except ValidationError as exc:
            report.rejected.append(Problem(row_no, exc.code, exc.message))
            report.rejected_rows.append((row_no, originals.get(row_no, raw)))
            continue
        seen[key] = row_no
        if name_key is not None:
            seen_names[name_key] = row_no
        report.warnings.extend(warnings)
        if record_id is not None and on_duplicate != "update":
            report.skipped += 1  # nothing of a skipped row is written: no unit is created for it
            continue
        if kind == "workers":
            _attach_employer(values, employer, register.employers, result, row_no)
            values["name_initials"] = initials(values["name"])
        if record_id is None:
            if kind == "workers" and "member_status" not in raw:  # no such column: a new member
                values["member_status"] = "active"
            result.inserts.append(values)
        else:
            result.updates.append({"id": record_id, **values})
    # What this plan would create; ``write`` counts what the committed transaction created.
    report.created_organisations = len(result.new_organisations)
    report.warnings.sort(key=lambda p: p.row)
    return result


def _formula_warnings(data: SheetData, match: HeaderMatch, report: ImportReport) -> None:
    """A formula cell with no cached result read as empty: say so, naming the cell."""
    listed = [(row, ref) for row, ref in data.formula_cells if row >= match.row_number]
    for row, ref in listed:
        report.warnings.append(Problem(row, "formula_no_value",
                                       f"{ref} 单元格是公式但没有计算结果（请在 Excel 中打开并保存后再导入）"))
    more = data.formula_total - len(data.formula_cells)
    if more > 0 and listed:
        report.warnings.append(Problem(listed[-1][0], "formula_no_value",
                                       f"另有 {more} 个公式单元格没有计算结果（请在 Excel 中打开并保存后再导入）"))


def _same_person_name(a: str, b: str) -> bool:
    """Two spellings of one name: width, case, spaces and the kind of middle dot ignored."""
    def loose(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", text).split()).replace("·", "").casefold()

    return loose(a) == loose(b)


def _tail(number: str) -> str:
    return "尾号" + number[-ID_VISIBLE:]


class _Register:
    """What the register holds, read once per plan: the keys rows are matched on."""

    def __init__(self, session: Session, kind: str) -> None:
        self.kind = kind
        self.ids: dict[str, int] = {}  # workers: ID number -> id; organisations: credit code -> id
        self.names: dict[str, str] = {}  # workers: ID number -> the registered name
        self.by_name: dict[str, tuple[int, str | None]] = {}  # organisations: name key -> (id, credit code)
        self.employers: dict[str, int] = {}  # workers: an employer's name key -> organisation id
        if kind == "workers":
            for number, rid, name in session.execute(select(Worker.id_number, Worker.id, Worker.name)):
                self.ids[number] = rid
                self.names[number] = name
            for rid, name, key in session.execute(
                    select(Organisation.id, Organisation.name, Organisation.name_key).order_by(Organisation.id)):
                found = key or organisation_name_key(name)  # NULL: a duplicate the migration left unkeyed
                if found:
                    self.employers.setdefault(found, rid)
            return
        for rid, code, name, key in session.execute(
                select(Organisation.id, Organisation.credit_code, Organisation.name, Organisation.name_key)
                .order_by(Organisation.id)):
            if code:
                self.ids[code] = rid
            found = key or organisation_name_key(name)
            if found:
                self.by_name.setdefault(found, (rid, code))

    def find(self, key: str, values: dict[str, Any], name_key: str | None) -> int | None:
        """The record a valid row matches, or None; raises for a row that contradicts it."""
        if self.kind == "workers":
            rid = self.ids.get(key)
            if rid is not None and not _same_person_name(self.names[key], values["name"]):
                raise ValidationError(
                    "id_name_conflict",
                    f"身份证号（{_tail(key)}）已登记为“{self.names[key]}”，与本行姓名“{values['name']}”不一致，未导入")
            return rid
        code = values.get("credit_code")
        named = self.by_name.get(name_key) if name_key else None
        rid = self.ids.get(code) if code else None
        if rid is not None:
            if named is not None and named[0] != rid:
                raise ValidationError("organisation_conflict",
                                      f"单位名称“{values['name']}”已是另一个单位的名称（统一社会信用代码不同），未导入")
            return rid
        if named is None:
            return None
        if code and named[1] and named[1] != code:
            raise ValidationError("organisation_conflict",
                                  f"单位名称“{values['name']}”已登记，但统一社会信用代码不同（已登记为 {named[1]}），未导入")
        return named[0]


def header_names(values: Sequence[object], data: SheetData | None = None) -> list[str]:
    """A header row's texts as rejected rows are keyed (a blank header: 第N列, the sheet's
    column number when ``data`` left far empty columns out)."""
    number = data.column_number if data is not None else (lambda i: i + 1)
    return [str(h).strip() if h not in (None, "") else f"第{number(i)}列" for i, h in enumerate(values)]


def _originals(data: SheetData, match: HeaderMatch) -> dict[int, dict[str, Any]]:
    """Each data row as the clerk wrote it, keyed by the file's header texts."""
    if match.index < 0:
        return {}
    names = header_names(data.rows[match.index][1], data)
    out: dict[int, dict[str, Any]] = {}
    for number, cells in data.rows[match.index + 1:]:
        out[number] = {names[i] if i < len(names) else f"第{data.column_number(i)}列": v for i, v in enumerate(cells)}
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
    check_length(_ORG_NAME, name)
    values["name"] = name
    return values.get("credit_code") or "name:" + (organisation_name_key(name) or name)


def _employer(raw: dict[str, Any]) -> str | None:
    """A worker row's employer name, refused when no organisation name can hold it."""
    name = _text(raw.get(EMPLOYER))
    if name and _ORG_NAME.length is not None and len(name) > _ORG_NAME.length:
        raise ValidationError("too_long", f"{_EMPLOYER_LABEL}超过 {_ORG_NAME.length} 个字（{len(name)} 个字）")
    return name


def _attach_employer(values: dict[str, Any], name: str | None, orgs: dict[str, int], result: Plan,
                     row: int) -> None:
    key = organisation_name_key(name)
    if not name or not key:
        return
    if key in orgs:
        values[EMPLOYER] = orgs[key]
        return
    if key not in result.new_organisations:
        result.new_organisations[key] = {"name": name}
        result.report.warnings.append(Problem(row, "organisation_created", f"单位「{name}」不在单位名册中，已新建"))
    values["_employer_key"] = key


def write(db: Database, p: Plan, *, progress: Progress = no_progress,
          cancelled: Callable[[], bool] = lambda: False) -> ImportReport:
    """Write a plan in one transaction: every valid row or, on any failure or cancel, none."""
    table = MODELS[p.kind].__table__  # type: ignore[attr-defined]
    total = len(p.inserts) + len(p.updates) + len(p.new_organisations)
    done = 0
    created_organisations = imported = 0
    with db.session() as session:
        conn = session.connection()
        if p.new_organisations:
            created, by_key = _upsert_organisations(conn, list(p.new_organisations.values()), db)
            created_organisations = len(created)
            for values in (*p.inserts, *p.updates):
                key = values.pop("_employer_key", None)
                if key is not None:
                    values[EMPLOYER] = by_key[key]
            done += len(p.new_organisations)
        for start in range(0, len(p.inserts), BATCH):
            if cancelled():
                raise Cancelled
            chunk = [_complete(r, table) for r in p.inserts[start:start + BATCH]]
            if p.kind == "organisations":  # a unit another import created meanwhile is left as it is
                imported += len(_upsert_organisations(conn, chunk, db)[0])
            else:
                _insert(conn, table, chunk, db)
                imported += len(chunk)
            done += len(chunk)
            progress(done, total, "正在写入")
        if p.updates:
            _apply_updates(conn, table, p.updates, db)
            done += len(p.updates)
            progress(done, total, "正在写入")
        if cancelled():
            raise Cancelled
        _test_pause()
    # Only what the committed transaction wrote: units and rows another import wrote first
    # are matched, not counted.
    p.report.imported = imported
    p.report.skipped += len(p.inserts) - imported
    p.report.updated = len(p.updates)
    p.report.created_organisations = created_organisations
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


def _upsert_organisations(conn: Any, rows: list[dict[str, Any]],
                          db: Database) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Create units by name once, however many imports run at once.

    INSERT ... ON CONFLICT (name_key) DO NOTHING, in name-key order (imports running at once
    then take the key locks in the same order and cannot deadlock), then the id of every
    key is read back. Returns the rows this transaction created (audit-logged, with ids)
    and name key -> id for all of them.
    """
    table = Organisation.__table__
    for r in rows:
        r["name_key"] = organisation_name_key(r["name"])
    rows = sorted(rows, key=lambda r: r["name_key"])
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    stmt = (dialect_insert(table).on_conflict_do_nothing(index_elements=[table.c.name_key])
            .returning(table.c.id, table.c.name_key))
    ids: dict[str, int] = {}
    for start in range(0, len(rows), BATCH):
        ids.update({key: rid for rid, key in conn.execute(stmt, rows[start:start + BATCH])})
    created = [r for r in rows if r["name_key"] in ids]
    for r in created:
        r["id"] = ids[r["name_key"]]
    if created:
        audit.log_rows(conn, "insert", table.name, created, db.actor)
    missing = [r["name_key"] for r in rows if r["name_key"] not in ids]
    for start in range(0, len(missing), 900):
        part = missing[start:start + 900]
        ids.update({key: rid for rid, key in conn.execute(
            select(table.c.id, table.c.name_key).where(table.c.name_key.in_(part)))})
    return created, ids


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
        if table.name == "organisations" and "name" in values:
            values["name_key"] = organisation_name_key(values["name"])
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
