"""Importing a list of enterprise demands (企业需求) from Excel/CSV: ``import help_desk.demands FILE``.
No Qt.

The columns are the Demand fields' labels and synonyms (企业名称 / 需求内容 / 需求类型 / 紧急程度 /
来源渠道 / 服务地域 / 接收时间 …), plus 统一社会信用代码 and 地址 for the enterprise. A row names its
enterprise by unified social credit code or by name; an enterprise not yet in the register is
created, as the worker import does (a warning ``organisation_created``; with only a code and no
name the row is rejected). Kinds, urgency, channel and region are read by their labels or
aliases (急诊 → 急诊单); received times by ``datetime_value`` (Excel serials, 2026年3月5日 14时30分).

A row is **rejected**, with its code: no enterprise (``enterprise_missing``), an invalid credit code
(``credit_code_invalid``), a code unknown with no name to create it (``organisation_unknown``), no
problem (``problem_missing``), no received time (``received_missing``) or an unreadable one
(``received_invalid``), no or an unknown kind (``kind_missing`` / ``kind_invalid``), an unknown
urgency, channel or region (``urgency_invalid`` …), no channel (``channel_missing``), 协作地区
missing for a 对口协作 / 跨地区 demand (``place_missing``), the same demand as an earlier row
(``duplicate_in_file``), and whatever ``demands.add_demand`` refuses (a time in the future, a
deadline before the received time). **Warnings**, the row imported: ``organisation_created``, an
unreadable phone or deadline (left empty), an unknown 服务队 (left empty). A demand already
registered (same enterprise, received time and problem) is **skipped**. Each imported row opens a
case at 待派. Rows are numbered as the spreadsheet shows them (CLI.md); a rejected row writes
nothing, the others are written in one transaction, and ``--dry-run`` writes nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import validators
from db.errors import ValidationError
from db.fields import Column, check_length, column
from db.models.core.cases import Case
from db.models.core.registers import Organisation, organisation_name_key
from db.models.help_desk import Demand, Team
from db.privacy import mask_phone
from desktop.changes import Changes, Done
from desktop.importing.headers import HeaderField, apply_mapping, find_header, header_field
from desktop.importing.problems import CREATED, PLANNED, Problem
from desktop.importing.rows import RowRejected, RowsResult, write_rows
from desktop.importing.rows import text as _text
from desktop.importing.validation import Choices
from desktop.programmes.help_desk import demands

App = Any  # desktop.context.App

KEY = "help_desk.demands"
ENTERPRISE = "enterprise"  # the row's enterprise name (Demand.organisation_id's label and synonyms)
FIELDS: tuple[HeaderField, ...] = (
    header_field(Demand, "organisation_id", key=ENTERPRISE, extra=("企业（单位）名称", "服务企业"), required=False),
    header_field(Organisation, "credit_code", required=False),
    header_field(Organisation, "address", required=False, extra=("企业地址",)),
    header_field(Demand, "problem"),
    header_field(Demand, "kind"),
    header_field(Demand, "urgency", required=False),
    header_field(Demand, "channel"),
    header_field(Demand, "region", required=False),
    header_field(Demand, "place"),
    header_field(Demand, "received_at"),
    header_field(Demand, "deadline"),
    header_field(Demand, "contact_name"),
    header_field(Demand, "contact_phone"),
    header_field(Demand, "team_id", key="team", extra=("服务队名称", "服务团队")),
)
CHOICES = {"kind": "hd_kind", "urgency": "hd_urgency", "channel": "hd_channel", "region": "hd_region"}
DEFAULTS = {"urgency": "normal", "region": "local"}


def _col(name: str) -> Column:
    return column(Demand, name)


@dataclass
class ImportResult(RowsResult):
    demand_ids: list[int] = field(default_factory=list)
    created_word: ClassVar[str] = "企业"



class _Rows:
    """Turns mapped rows into demands in the caller's session, one savepoint per row."""

    def __init__(self, session: Session, labels: dict[str, dict[str, str]], dry_run: bool) -> None:
        self.s = session
        self.labels = labels
        self.choices = Choices(labels)
        self.dry_run = dry_run
        self.row = 0
        self.pending: list[Problem] = []
        self.created = 0
        self.seen: dict[tuple[int | str, datetime, str], int] = {}  # (enterprise, time, problem) -> row
        self.teams = {organisation_name_key(name): tid for tid, name in session.execute(select(Team.id, Team.name))}

    def warn(self, code: str, reason: str) -> None:
        self.pending.append(Problem(self.row, code, reason))

    # -- one column at a time -------------------------------------------------------------------------

    def choice(self, name: str, raw: object) -> str | None:
        text = _text(raw)
        if not text:
            if name in DEFAULTS:
                return DEFAULTS[name]
            raise RowRejected(f"{name}_missing", f"缺少{_col(name).label}")
        code = self.choices.code(CHOICES[name], text)
        if code is None:
            allowed = "、".join(self.labels.get(CHOICES[name], {}).values())
            raise RowRejected(f"{name}_invalid", f"{_col(name).label}“{text}”无效，可选：{allowed}")
        return code

    def received(self, raw: object) -> datetime:
        what = _col("received_at").label
        try:
            at = validators.datetime_value(raw)
        except ValidationError as exc:
            raise RowRejected("received_invalid", f"{what}{exc.message}") from None
        if at is None:
            raise RowRejected("received_missing", f"缺少{what}")
        return at

    def optional(self, name: str, raw: object, read: Callable[[object], Any]) -> Any:
        """A value read by ``read``; one it cannot read is left empty, with a warning."""
        if _text(raw) == "":
            return None
        try:
            return read(raw)
        except ValidationError:
            shown = mask_phone(_text(raw)) if name == "contact_phone" else _text(raw)
            self.warn("phone_format" if name == "contact_phone" else "date_invalid",
                      f"{_col(name).label}「{shown}」无法识别，已留空")
            return None

    def text(self, name: str, raw: object) -> str | None:
        value = raw.strip() if isinstance(raw, str) else _text(raw)
        value = value or None
        check_length(_col(name), value)
        return value

    def team(self, raw: object) -> int | None:
        name = _text(raw)
        if not name:
            return None
        found = self.teams.get(organisation_name_key(name))
        if found is None:
            self.warn("team_unknown", f"{_col('team_id').label}“{name}”不存在，已留空")
        return found

    # -- the enterprise -------------------------------------------------------------------------------

    def enterprise(self, rec: dict[str, Any]) -> tuple[int | None, dict[str, Any] | None]:
        """The registered enterprise's id, or (None, the values of one to create)."""
        name = _text(rec.get(ENTERPRISE))
        raw_code = _text(rec.get("credit_code"))
        code = None
        if raw_code:
            try:
                code = validators.credit_code(raw_code)
            except ValidationError as exc:
                raise RowRejected("credit_code_invalid", exc.message) from None
        if code:
            found = self.s.scalar(select(Organisation.id).where(Organisation.credit_code == code))
            if found is not None:
                return int(found), None
        if not name:
            if code:
                raise RowRejected("organisation_unknown", f"单位名册中没有统一社会信用代码为 {code} 的企业，请填写企业名称")
            raise RowRejected("enterprise_missing", f"缺少{_col('organisation_id').label}")
        check_length(column(Organisation, "name"), name)
        key = organisation_name_key(name)
        found = self.s.scalar(select(Organisation.id).where(Organisation.name_key == key))
        if found is not None:
            return int(found), None
        return None, {"name": name, "credit_code": code, "kind": "enterprise",
                      "address": self.text_of(Organisation, "address", rec.get("address"))}

    @staticmethod
    def text_of(model: type, name: str, raw: object) -> str | None:
        value = _text(raw) or None
        check_length(column(model, name), value)
        return value

    # -- the row --------------------------------------------------------------------------------------

    def values(self, rec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
        org_id, new_org = self.enterprise(rec)
        problem = rec.get("problem")
        problem_text = problem.strip() if isinstance(problem, str) else _text(problem)
        if not problem_text:
            raise RowRejected("problem_missing", f"缺少{_col('problem').label}")
        values: dict[str, Any] = {
            "organisation_id": org_id, "problem": problem_text, "received_at": self.received(rec.get("received_at")),
            **{name: self.choice(name, rec.get(name)) for name in CHOICES},
        }
        values["place"] = self.text("place", rec.get("place"))
        if values["region"] != "local" and not values["place"]:
            region = self.labels.get("hd_region", {}).get(values["region"], values["region"])
            raise RowRejected("place_missing", f"{region}服务须填写{_col('place').label}（如：四川省普格县）")
        values["deadline"] = self.optional("deadline", rec.get("deadline"), validators.date_value)
        values["contact_name"] = self.text("contact_name", rec.get("contact_name"))
        values["contact_phone"] = self.optional("contact_phone", rec.get("contact_phone"), validators.phone)
        values["team_id"] = self.team(rec.get("team"))
        return values, new_org

    def write(self, rec: dict[str, Any]) -> int | None:
        """The new demand's id; None when the same demand is registered already (skipped)."""
        values, new_org = self.values(rec)
        who = values["organisation_id"] if new_org is None else "new:" + (organisation_name_key(new_org["name"]) or "")
        same = (who, values["received_at"], " ".join(values["problem"].split()))
        if same in self.seen:
            raise RowRejected("duplicate_in_file", f"与第 {self.seen[same]} 行重复（企业、接收时间、需求内容均相同）")
        self.seen[same] = self.row
        if new_org is None:
            existing = self.registered(values)
            if existing is not None:
                self.warn("duplicate", f"已登记为{existing}，未重复导入")
                return None
        else:
            org = Organisation(**new_org)
            self.s.add(org)
            self.s.flush()
            values["organisation_id"] = org.id
            self.warn("organisation_created", f"企业「{org.name}」不在单位名册中，{PLANNED if self.dry_run else CREATED}")
        return demands.add_demand(self.s, values).id

    def registered(self, values: dict[str, Any]) -> str | None:
        """The number of a demand already registered with the same enterprise, time and problem."""
        found = self.s.execute(select(Case.number, Demand.problem).join(Case, Demand.case_id == Case.id).where(
            Demand.organisation_id == values["organisation_id"], Demand.received_at == values["received_at"]))
        problem = " ".join(values["problem"].split())
        return next((str(n) for n, p in found if " ".join((p or "").split()) == problem), None)


Rows = list[tuple[int, dict[str, object]]]


def read_rows(path: str | Path, sheet: str | None = None) -> Rows:
    """The file's data rows mapped to the fields (row numbers as the spreadsheet shows them).
    Raises ReadError for a file that cannot be read, ValidationError when a needed column is missing."""
    from desktop.importing.readers import read_sheet

    data = read_sheet(Path(path), sheet)
    match = find_header(data.rows, FIELDS)
    found = set(match.mapping.values())
    missing = [f.label for f in FIELDS if f.required and f.key not in found]
    if not found & {ENTERPRISE, "credit_code"}:
        missing.insert(0, _col("organisation_id").label)
    if missing:
        raise ValidationError("header_missing", f"“{Path(path).name}”中找不到必填列：{'、'.join(missing)}"
                                                "（在前 15 行中未找到，请检查表头名称）")
    return apply_mapping(data.rows, match)


def import_rows(session: Session, rows: Rows, *, dry_run: bool = False,
                labels: dict[str, dict[str, str]] | None = None,
                progress: Callable[[int, int, str], None] | None = None,
                cancelled: Callable[[], bool] = lambda: False) -> ImportResult:
    """Register the demands ``rows`` hold in ``session``: each row in a savepoint (a rejected row
    leaves nothing), all of it rolled back on a dry run or a cancel."""
    from desktop.settings import choice_labels

    result = ImportResult(rows=len(rows), dry_run=dry_run)
    importer = _Rows(session, labels if labels is not None else choice_labels(session), dry_run)

    def write(number: int, rec: dict[str, Any]) -> list[Problem]:
        importer.row, importer.pending = number, []
        demand_id = importer.write(rec)
        if demand_id is None:
            result.skipped += 1
        else:
            result.imported += 1
            result.demand_ids.append(demand_id)
            result.created_organisations += sum(1 for p in importer.pending if p.code == "organisation_created")
        return importer.pending

    write_rows(session, rows, result, write, dry_run=dry_run, progress=progress, cancelled=cancelled)
    return result


def import_file(app: App, path: str | Path, *, sheet: str | None = None, dry_run: bool = False,
                progress: Callable[[int, int, str], None] | None = None,
                cancelled: Callable[[], bool] = lambda: False) -> Done[ImportResult]:
    """导入企业需求 in one transaction, after a backup (the tab's job and the CLI): the result and
    what it changed."""
    from desktop.accounts.roles import WRITE

    if not dry_run:
        app.require(WRITE, "导入数据")
    rows = read_rows(path, sheet)
    labels = app.labels()
    if rows and not dry_run:
        if progress is not None:
            progress(0, 0, "正在备份数据库")
        app.backup("before-import")
    with app.db.session() as s:
        result = import_rows(s, rows, dry_run=dry_run, labels=labels, progress=progress, cancelled=cancelled)
    if not result.imported or dry_run:
        return Done(result, Changes())
    tables = ["hd_demands", "cases", "case_moves"] + (["organisations"] if result.created_organisations else [])
    return Done(result, Changes.of(*tables, rows=[("hd_demands", i) for i in result.demand_ids],
                                   message=result.summary()))


def run_cli(app: App, path: str | Path, *, sheet: str | None = None, dry_run: bool = False,
            options: dict[str, Any] | None = None, progress: Callable[[int, int, str], None] | None = None
            ) -> ImportResult:
    """``import help_desk.demands FILE [--sheet NAME] [--dry-run] [--json]`` (desktop.cli.common.ImportCommand)."""
    return import_file(app, path, sheet=sheet, dry_run=dry_run, progress=progress).value
