"""Importing a nominations list (推荐名单) from Excel/CSV into a round: ``import honours.nominations
FILE --round ID`` and the 评选 page's 导入推荐名单…. No Qt.

The round is the one chosen (``--round ID``), else each row's 评选名称 column (a round's name as
the 评选 page lists it, or its number). A row names its nominee by 身份证号 (or a name the register
holds once), and for a collective title by its unit (单位, and 集体（班组）); the worker or unit must
already be in the register: an unknown one is a rejected row, never created. 推荐方式 is 组织推荐
(the default) or 个人自荐; 推荐单位, 主要事迹, 申报材料, 备注 are copied. Rows are numbered as the
spreadsheet shows them (CLI.md); a rejected row writes nothing, the others are written together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import validators
from db.errors import ValidationError
from db.models.core.registers import Organisation, Worker, organisation_name_key
from db.models.core.selection import Candidacy, SelectionRound
from db.privacy import mask_id
from desktop.changes import Changes, Done
from desktop.importing.headers import HeaderField, apply_mapping, find_header, header_field
from desktop.importing.problems import Problem
from desktop.importing.rows import RowRejected, RowsResult, write_rows
from desktop.importing.rows import text as _text
from desktop.importing.validation import Choices
from desktop.programmes.honours import rounds
from desktop.programmes.honours.workflow import HONOURS

App = Any  # desktop.context.App

KEY = "honours.nominations"
FIELDS: tuple[HeaderField, ...] = (
    header_field(SelectionRound, "name", key="round", extra=("评选", "评选编号", "推荐评选"), required=False),
    header_field(Worker, "name", extra=("推荐对象", "被推荐人", "被推荐人姓名"), required=False),
    header_field(Worker, "id_number", required=False),
    header_field(Candidacy, "organisation_id", key="unit", extra=("工作单位", "单位名称", "推荐集体"), required=False),
    header_field(Candidacy, "team"),
    header_field(Candidacy, "channel"),
    header_field(Candidacy, "recommender"),
    header_field(Candidacy, "deeds"),
    header_field(Candidacy, "materials"),
    header_field(Candidacy, "note"),
    HeaderField("on", "推荐日期", ("推荐时间", "申报日期")),
)


@dataclass
class ImportResult(RowsResult):
    rounds: set[int] = field(default_factory=set)



def _day(value: object, today: date) -> date:
    if value in (None, ""):
        return today
    try:
        return validators.date_value(value) or today
    except ValidationError as exc:
        raise RowRejected("date_invalid", f"推荐日期{exc.message}") from None


class _Rows:
    def __init__(self, session: Session, round_id: int | None, labels: dict[str, dict[str, str]], today: date) -> None:
        self.s = session
        self.round_id = round_id
        self.choices = Choices(labels)
        self.today = today
        self.row = 0
        self.pending: list[Problem] = []
        self.by_name: dict[str, list[SelectionRound]] = {}
        for r in session.scalars(select(SelectionRound).where(SelectionRound.programme == HONOURS)):
            self.by_name.setdefault(r.name, []).append(r)

    def round(self, raw: object) -> SelectionRound:
        if self.round_id is not None:
            return rounds.get_round(self.s, self.round_id)
        text = _text(raw)
        if not text:
            raise RowRejected("round_missing", "缺少评选名称（或用 --round 指定评选编号）")
        found = self.by_name.get(text, [])
        if not found and text.isdigit():
            r = self.s.get(SelectionRound, int(text))
            found = [r] if r is not None and r.programme == HONOURS else []
        if len(found) != 1:
            raise RowRejected("round_unknown", f"没有名为“{text}”的评选" if not found
                              else f"有 {len(found)} 个名为“{text}”的评选，请改用评选编号")
        return found[0]

    def worker(self, rec: dict[str, Any]) -> Worker:
        name = _text(rec.get("name"))
        raw_id = _text(rec.get("id_number"))
        if raw_id:
            try:
                number = validators.id_number(rec.get("id_number"))
            except ValidationError as exc:
                raise RowRejected(exc.code, exc.message) from None
            found = self.s.scalar(select(Worker).where(Worker.id_number == number))
            if found is None:
                raise RowRejected("worker_unknown", f"职工名册中没有身份证号为 {mask_id(number)} 的职工"
                                                    f"{f'（{name}）' if name else ''}，请先录入职工名册")
            if name and name != found.name:
                raise RowRejected("name_mismatch", f"身份证号 {mask_id(number)} 属于职工名册中的“{found.name}”，"
                                                   f"与姓名“{name}”不符")
            return found
        if not name:
            raise RowRejected("name_missing", "缺少姓名和身份证号")
        matches = list(self.s.scalars(select(Worker).where(Worker.name == name).limit(5)))
        if not matches:
            raise RowRejected("worker_unknown", f"职工名册中没有“{name}”，请先录入职工名册或填写身份证号")
        if len(matches) > 1:
            raise RowRejected("name_ambiguous", f"职工名册中有 {len(matches)} 名“{name}”，请填写身份证号")
        return matches[0]

    def organisation(self, rec: dict[str, Any]) -> Organisation:
        unit = _text(rec.get("unit"))
        if not unit:
            raise RowRejected("unit_missing", "集体称号须填写单位名称")
        org = self.s.scalar(select(Organisation).where(Organisation.name_key == organisation_name_key(unit)))
        if org is None:
            raise RowRejected("organisation_unknown", f"单位名册中没有“{unit}”，请先录入单位名册")
        return org

    def channel(self, raw: object) -> str:
        text = _text(raw)
        if not text:
            return rounds.ORGANISATION
        code = self.choices.code("nomination_channel", text)
        if code is None:
            raise RowRejected("channel_invalid", f"推荐方式“{text}”无效，应为组织推荐或个人自荐")
        return code

    def write(self, rec: dict[str, Any]) -> int:
        r = self.round(rec.get("round"))
        t = rounds.title_of(self.s, r)
        common = {"channel": self.channel(rec.get("channel")), "recommender": _text(rec.get("recommender")) or None,
                  "deeds": rec.get("deeds") and str(rec.get("deeds")).strip(), "materials": _text(rec.get("materials")),
                  "note": _text(rec.get("note"))}
        on = _day(rec.get("on"), self.today)
        if t.recipient == rounds.COLLECTIVE:
            org = self.organisation(rec)
            c = rounds.nominate(self.s, r.id, on, organisation_id=org.id, team=_text(rec.get("team")) or None, **common)
        else:
            w = self.worker(rec)
            unit = _text(rec.get("unit"))
            if unit and w.employer is not None and organisation_name_key(unit) != w.employer.name_key:
                self.pending.append(Problem(self.row, "unit_differs",
                                            f"单位“{unit}”与职工名册不一致（名册：{w.employer.name}），已按名册"))
            c = rounds.nominate(self.s, r.id, on, worker_id=w.id, **common)
        return c.round_id


def import_sheet(session: Session, path: str | Path, *, round_id: int | None = None, sheet: str | None = None,
                 dry_run: bool = False, labels: dict[str, dict[str, str]] | None = None, today: date | None = None,
                 progress: Callable[[int, int, str], None] | None = None,
                 cancelled: Callable[[], bool] = lambda: False) -> ImportResult:
    """Read the file and nominate what its rows hold; raises ReadError for a file that cannot be read,
    ValidationError when the file names no round or lacks the nominee's columns."""
    from desktop.importing.readers import read_sheet
    from desktop.settings import choice_labels

    if round_id is not None:
        rounds.get_round(session, round_id)
    data = read_sheet(Path(path), sheet)
    match = find_header(data.rows, FIELDS)
    found = set(match.mapping.values())
    if not found & {"name", "id_number", "unit"}:
        raise ValidationError("header_missing", f"“{Path(path).name}”中找不到“姓名”“身份证号”或“单位”列，请检查表头")
    if round_id is None and "round" not in found:
        raise ValidationError("round_missing", "请指定评选（命令行 --round 评选编号），或在表中加“评选名称”列")
    rows = apply_mapping(data.rows, match)
    result = ImportResult(rows=len(rows), dry_run=dry_run)
    importer = _Rows(session, round_id, labels if labels is not None else choice_labels(session),
                     today or date.today())

    def write(number: int, rec: dict[str, Any]) -> list[Problem]:
        importer.row, importer.pending = number, []
        result.rounds.add(importer.write(rec))
        result.imported += 1
        return importer.pending

    write_rows(session, rows, result, write, dry_run=dry_run, progress=progress, cancelled=cancelled)
    return result


def import_file(app: App, path: str | Path, *, round_id: int | None = None, sheet: str | None = None,
                dry_run: bool = False, progress: Callable[[int, int, str], None] | None = None,
                cancelled: Callable[[], bool] = lambda: False) -> Done[ImportResult]:
    """导入推荐名单 in one transaction (the page's job and the CLI): the result and what it changed."""
    from desktop.accounts.roles import WRITE

    app.require(WRITE, "导入数据")
    labels = app.labels()
    with app.db.session() as s:
        result = import_sheet(s, path, round_id=round_id, sheet=sheet, dry_run=dry_run, labels=labels,
                              progress=progress, cancelled=cancelled)
    changed = Changes.of("selection_candidates", "selection_moves", rows=[("selection_rounds", i) for i in result.rounds]) \
        if result.imported and not dry_run else Changes()
    return Done(result, changed)


def run_cli(app: App, path: str | Path, *, sheet: str | None = None, dry_run: bool = False,
            options: dict[str, Any] | None = None, progress: Callable[[int, int, str], None] | None = None
            ) -> ImportResult:
    """``import honours.nominations FILE [--round ID]`` (desktop.cli.common.ImportCommand)."""
    from desktop.params import parse_id

    raw = (options or {}).get("round")
    round_id = parse_id(raw, "评选", "（见 honours 命令）") if raw not in (None, "") else None
    return import_file(app, path, round_id=round_id, sheet=sheet, dry_run=dry_run, progress=progress).value
