"""Importing the entry lists enterprises send and the score sheets judges fill in (Excel/CSV). No Qt.

One sheet may hold registrations, marks or both: a row names its contestant (参赛号, or
姓名 + 身份证号), its event (项目, unless the competition has one event or one is chosen),
for team events its team (队名), and any marks (理论, 实操, 必答, 抢答, 加赛) with the judge
(评委; without that column the judge chosen for the file). Rows are numbered as the
spreadsheet shows them (CLI.md); a row that cannot be used is rejected with its reason and
nothing of it is written; the other rows are written together, then the events ranked again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import validators
from db.errors import ValidationError
from db.fields import column
from db.models.competitions import TEAM, Competition, Entry, Event, Score, TeamMember
from db.models.core.registers import Worker
from db.privacy import mask_phone
from desktop.changes import Changes, Done
from desktop.importing.headers import HeaderField, apply_mapping, find_header, header_field
from desktop.importing.problems import Problem
from desktop.importing.rows import RowRejected
from desktop.programmes.competitions import rules, service
from desktop.programmes.core import registers

if TYPE_CHECKING:
    from desktop.context import App

NUMBER = header_field(Entry, "number", extra=("选手号",))
SHEET_FIELDS: tuple[HeaderField, ...] = (
    NUMBER,
    header_field(Worker, "name", extra=("选手姓名", "选手", "队员姓名", "队员"), required=False),
    header_field(Worker, "id_number", required=False),
    header_field(Worker, "employer_id", key="unit", extra=("参赛单位", "推荐单位"), required=False),
    header_field(Event, "trade", key="event", extra=("参赛项目", "参赛工种"), required=False),
    header_field(Entry, "team_name", key="team", extra=("队伍名称", "团队")),
    header_field(Score, "judge", extra=("评委序号",), required=False),
    HeaderField("theory", "理论", ("理论成绩", "理论得分", "理论考试", "笔试成绩", "理论知识")),
    HeaderField("practical", "实操", ("实操成绩", "实操得分", "技能操作", "操作成绩", "实际操作", "实操考核")),
    HeaderField("round_required", "必答", ("必答题", "团队必答", "必答得分")),
    HeaderField("round_buzzer", "抢答", ("抢答题", "抢答得分")),
    HeaderField("round_extra", "加赛", ("加赛题", "加赛得分")),
    header_field(Worker, "phone", required=False),
)
MARKS = (rules.THEORY, rules.PRACTICAL, rules.ROUND_REQUIRED, rules.ROUND_BUZZER, rules.ROUND_EXTRA)


@dataclass
class ImportResult:
    rows: int = 0
    entries: int = 0  # new entries (contestants or teams)
    workers: int = 0  # new workers put into the register
    members: int = 0  # team members added
    scores: int = 0  # marks written
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    events: set[int] = field(default_factory=set)
    dry_run: bool = False

    @property
    def failed(self) -> bool:
        return self.rows > 0 and len(self.rejected) == self.rows

    def summary(self) -> str:
        return (f"新报名 {self.entries} 个，新增职工 {self.workers} 人，队员 {self.members} 人，"
                f"成绩 {self.scores} 项，拒绝 {len(self.rejected)} 行")

    def as_json(self) -> dict[str, Any]:
        return {"entries": self.entries, "workers": self.workers, "members": self.members, "scores": self.scores,
                "rejected": [p.as_dict() for p in self.rejected], "warnings": [p.as_dict() for p in self.warnings]}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _int(value: object, label: str) -> int | None:
    text = _text(value)
    if not text:
        return None
    try:
        number = int(float(text))
    except ValueError:
        raise RowRejected("number_invalid", f"{label}“{text}”不是整数") from None
    if number < 1:
        raise RowRejected("number_invalid", f"{label}应为正整数（{text}）")
    return number


class _Importer:
    def __init__(self, session: Session, comp: Competition, event_id: int | None, judge: int,
                 result: ImportResult) -> None:
        self.s = session
        self.comp = comp
        self.team = comp.kind == TEAM
        self.events = list(session.scalars(select(Event).where(Event.competition_id == comp.id).order_by(Event.id)))
        self.event_id = event_id
        self.judge = judge
        self.result = result
        self.current_row = 0
        self.pending: list[Problem] = []  # warnings of the row under way

    def event(self, raw: object) -> Event:
        name = _text(raw)
        if name:
            exact = [e for e in self.events if e.trade == name]
            loose = [e for e in self.events if name in e.trade or e.trade in name]
            found = exact or loose
            if len(found) != 1:
                raise RowRejected("event_unknown", f"本竞赛没有“{name}”项目" if not found
                                  else f"“{name}”对应多个项目，请写全项目名称")
            return found[0]
        if self.event_id is not None:
            return next(e for e in self.events if e.id == self.event_id)
        if len(self.events) == 1:
            return self.events[0]
        if not self.events:
            raise RowRejected("event_missing", "本竞赛还没有竞赛项目，请先添加项目")
        raise RowRejected("event_missing", "请在“项目”列写明竞赛项目（本竞赛有多个项目）")

    def worker(self, rec: dict[str, Any]) -> Worker | None:
        """The register's worker of the row: by ID number, else a unique name; a new one is saved."""
        name = _text(rec.get("name"))
        raw_id = rec.get("id_number")
        if raw_id not in (None, "") and _text(raw_id):
            try:
                number = validators.id_number(raw_id)
            except ValidationError as exc:
                raise RowRejected(exc.code, exc.message) from None
            found = self.s.scalar(select(Worker).where(Worker.id_number == number))
            if found is not None:
                if name and name != found.name:
                    raise RowRejected("name_mismatch", f"身份证号 {number[:6]}…属于职工名册中的“{found.name}”，与姓名“{name}”不符")
                return found
            if not name:
                raise RowRejected("name_missing", "缺少姓名")
            values: dict[str, Any] = {"name": name, "id_number": number, "employer_id": self.organisation(rec)}
            if _text(rec.get("phone")):
                try:  # as the register import: a phone that is not a mobile is a warning, not a refusal
                    values["phone"] = validators.mobile(rec.get("phone"))
                except ValidationError:
                    self.pending.append(Problem(self.current_row, "phone_format",
                                                f"{column(Worker, 'phone').label}「{mask_phone(_text(rec.get('phone')))}」"
                                                "不是手机号码，未录入"))
            try:
                wid = registers.save(self.s, "workers", None, values)
            except ValidationError as exc:
                raise RowRejected(exc.code, exc.message) from None
            self.result.workers += 1
            return self.s.get(Worker, wid)
        if not name:
            return None
        matches = list(self.s.scalars(select(Worker).where(Worker.name == name).limit(5)))
        unit = _text(rec.get("unit"))
        if unit and len(matches) > 1:
            matches = [w for w in matches if w.employer is not None and w.employer.name == unit] or matches
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise RowRejected("id_missing", f"职工名册中没有“{name}”，新选手报名需填写身份证号")
        raise RowRejected("name_ambiguous", f"职工名册中有 {len(matches)} 名“{name}”，请填写身份证号")

    def organisation(self, rec: dict[str, Any]) -> int | None:
        unit = _text(rec.get("unit"))
        if not unit:
            return None
        found, created = registers.ensure_organisation(self.s, unit)  # matched on the normalised name
        if created:
            self.pending.append(Problem(self.current_row, "organisation_created", f"单位名册中没有“{unit}”，已新建"))
        return found

    def entry(self, ev: Event, rec: dict[str, Any]) -> Entry:
        number = _int(rec.get("number"), NUMBER.label)
        by_number = None
        if number is not None:
            by_number = self.s.scalar(select(Entry).where(Entry.event_id == ev.id, Entry.number == number))
        if self.team:
            return self.team_entry(ev, rec, number, by_number)
        has_person = bool(_text(rec.get("name")) or _text(rec.get("id_number")))
        if by_number is not None and not has_person:
            return by_number
        person = self.worker(rec)
        if person is None:
            raise RowRejected("name_missing", "缺少姓名（或参赛号）" if number is None else f"没有参赛号为 {number} 的选手")
        if by_number is not None:
            if by_number.worker_id != person.id:
                raise RowRejected("number_mismatch", f"参赛号 {number} 是另一名选手，不是“{person.name}”")
            return by_number
        found = self.s.scalar(select(Entry).where(Entry.event_id == ev.id, Entry.worker_id == person.id))
        if found is not None:
            return found
        entry_id = service.register_worker(self.s, ev.id, person.id, _text(rec.get("unit")) or None)
        entry = self.s.get(Entry, entry_id)
        assert entry is not None
        if number is not None and not self.s.scalar(select(Entry.id).where(Entry.event_id == ev.id,
                                                                            Entry.number == number)):
            entry.number = number
        self.result.entries += 1
        return entry

    def team_entry(self, ev: Event, rec: dict[str, Any], number: int | None, by_number: Entry | None) -> Entry:
        team = _text(rec.get("team"))
        entry = by_number
        if team:
            named = self.s.scalar(select(Entry).where(Entry.event_id == ev.id, Entry.team_name == team))
            if entry is not None and named is not None and entry.id != named.id:
                raise RowRejected("number_mismatch", f"参赛号 {number} 不是“{team}”")
            entry = entry or named
        if entry is None:
            if not team:
                raise RowRejected("team_missing", "团体赛请填写队名（或参赛号）")
            entry = Entry(event_id=ev.id, team_name=team, employer=_text(rec.get("unit")) or None,
                          number=number if number is not None else service._next_number(self.s, ev.id))
            self.s.add(entry)
            self.s.flush()
            self.result.entries += 1
        if _text(rec.get("name")) or _text(rec.get("id_number")):
            person = self.worker(rec)
            assert person is not None
            if not any(m.worker_id == person.id for m in entry.members):
                other = self.s.scalar(select(Entry.team_name).join(TeamMember, TeamMember.entry_id == Entry.id)
                                      .where(Entry.event_id == ev.id, TeamMember.worker_id == person.id))
                if other is not None:
                    raise RowRejected("duplicate", f"{person.name}已是“{other}”的队员")
                self.s.add(TeamMember(entry_id=entry.id, worker_id=person.id, position=len(entry.members) + 1))
                self.s.flush()
                self.s.expire(entry, ["members"])
                self.result.members += 1
        return entry

    def marks(self, ev: Event, entry: Entry, rec: dict[str, Any]) -> None:
        judge = _int(rec.get("judge"), "评委") or self.judge
        if judge > rules.MAX_JUDGES:
            raise RowRejected("judge_invalid", f"评委序号应在 1–{rules.MAX_JUDGES} 之间")
        allowed = rules.TEAM_PARTS if self.team else rules.INDIVIDUAL_PARTS
        parsed: list[tuple[str, float]] = []
        for part in MARKS:
            raw = rec.get(part)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            if part not in allowed:
                raise RowRejected("part_invalid", f"{'团体赛' if self.team else '个人赛'}没有“{rules.PART_LABELS[part]}”成绩")
            try:
                value = rules.parse_score(raw, part)
            except ValidationError as exc:
                raise RowRejected(exc.code, exc.message) from None
            if value is not None:
                parsed.append((part, value))
        for part, value in parsed:
            slot = 1 if self.team else judge
            service.store_mark(self.s, entry.id, part, slot, value)
            self.result.scores += 1
        if parsed and not self.team and judge > ev.judges:
            ev.judges = judge

    def row(self, number: int, rec: dict[str, Any]) -> None:
        self.current_row = number
        self.pending = []
        ev = self.event(rec.get("event"))
        entry = self.entry(ev, rec)
        self.marks(ev, entry, rec)
        self.result.events.add(ev.id)


def import_sheet(session: Session, competition_id: int, path: str | Path, *, event_id: int | None = None,
                 judge: int = 1, sheet: str | None = None, dry_run: bool = False,
                 progress: Callable[[int, int, str], None] | None = None,
                 cancelled: Callable[[], bool] = lambda: False) -> ImportResult:
    """Read the file and write what its rows hold; raises ReadError for a file that cannot be read."""
    from desktop.importing.readers import read_sheet

    comp = session.get(Competition, competition_id)
    if comp is None:
        raise ValidationError("not_found", f"找不到编号为 {competition_id} 的竞赛")
    data = read_sheet(Path(path), sheet)
    match = find_header(data.rows, SHEET_FIELDS)
    found = set(match.mapping.values())
    if not found & {"name", "number", "team", "id_number"}:
        raise ValidationError("header_missing", f"“{Path(path).name}”中找不到“姓名”“参赛号”或“队名”列，请检查表头")
    rows = apply_mapping(data.rows, match)
    result = ImportResult(rows=len(rows), dry_run=dry_run)
    outer = session.begin_nested()
    importer = _Importer(session, comp, event_id, max(1, int(judge)), result)
    for i, (number, rec) in enumerate(rows, 1):
        if cancelled():
            from desktop.jobs import Cancelled

            outer.rollback()
            raise Cancelled
        step = session.begin_nested()
        before = (result.entries, result.workers, result.members, result.scores)
        try:
            importer.row(number, rec)
        except (RowRejected, ValidationError) as exc:
            step.rollback()
            result.entries, result.workers, result.members, result.scores = before
            reason = exc.reason if isinstance(exc, RowRejected) else exc.message
            result.rejected.append(Problem(number, exc.code, reason))
        else:
            step.commit()
            result.warnings.extend(importer.pending)
        if progress is not None:
            progress(i, len(rows), "正在导入")
    for ev_id in sorted(result.events):
        service.compute_event(session, ev_id)
    if dry_run:
        outer.rollback()
    else:
        outer.commit()
    return result


def import_file(app: App, competition_id: int, path: str | Path, *, event_id: int | None = None, judge: int = 1,
                progress: Callable[[int, int, str], None] | None = None,
                cancelled: Callable[[], bool] = lambda: False) -> Done[ImportResult]:
    """导入报名表/成绩 in one transaction (the GUI's job): the result and what it changed."""
    from desktop.accounts.roles import WRITE

    app.require(WRITE, "导入数据")
    with app.db.session() as s:
        result = import_sheet(s, competition_id, path, event_id=event_id, judge=judge, progress=progress,
                              cancelled=cancelled)
    tables = ["competition_entries", "competition_team_members", "competition_scores"]
    return Done(result, Changes.of(*tables, *(["workers"] if result.workers else [])))
