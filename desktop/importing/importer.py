"""Validate a register's rows from a spreadsheet and write the valid ones in one transaction.

Reading (readers, headers) is separate; this module turns mapped rows into a ``Plan``, using
the record description for labels, kinds, choices and validators: each row is checked by
``validation``, and ``writing.write`` (re-exported here) writes the plan.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from db.errors import ValidationError
from db.fields import describe
from db.models.core.registers import organisation_name_key
from desktop.importing.headers import HeaderMatch, apply_mapping, find_header, header_fields
from desktop.importing.problems import PLANNED, Problem
from desktop.importing.readers import SheetData, read_sheet
from desktop.importing.report import ImportReport, Plan
from desktop.importing.targets import BATCH, EMPLOYER, IDENTITY, MODELS
from desktop.importing.validation import Choices, Register, RowValidator, check_row, employer_name, key_label
from desktop.importing.writing import write
from desktop.jobs import Cancelled, Progress, no_progress
from desktop.pinyin import initials

__all__ = [
    "BATCH",
    "EMPLOYER",
    "IDENTITY",
    "MODELS",
    "ImportReport",
    "Plan",
    "Problem",
    "header_fields",
    "header_names",
    "plan",
    "read_and_match",
    "write",
]


def read_and_match(path: Path, kind: str, sheet: str | None = None) -> tuple[SheetData, HeaderMatch]:
    data = read_sheet(path, sheet)
    return data, find_header(data.rows, header_fields(MODELS[kind]))


def plan(session: Session, kind: str, data: SheetData, match: HeaderMatch, labels: dict[str, dict[str, str]],
         *, mapping: dict[int, str | None] | None = None, on_duplicate: str = "skip",
         progress: Progress = no_progress, cancelled: Callable[[], bool] = lambda: False) -> Plan:
    """Validate every row against the register; nothing is written."""
    validate = RowValidator(describe(MODELS[kind]), Choices(labels))
    report = ImportReport(kind, header_row=match.row_number)
    result = Plan(kind, report)
    rows = apply_mapping(data.rows, match, mapping)
    originals = _originals(data, match)
    report.data_rows = len(rows)
    register = Register(session, kind)
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
            key = check_row(kind, values, raw)
            if key in seen:
                raise ValidationError("duplicate_in_file", f"与第 {seen[key]} 行重复（{key_label(kind)}相同）")
            if kind == "organisations":
                name_key = organisation_name_key(values["name"])
                if name_key in seen_names:
                    raise ValidationError("duplicate_in_file", f"与第 {seen_names[name_key]} 行重复（单位名称相同）")
            else:
                employer = employer_name(raw)
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
        result.report.warnings.append(Problem(row, "organisation_created", f"单位「{name}」不在单位名册中，{PLANNED}"))
    values["_employer_key"] = key

