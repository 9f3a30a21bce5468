"""Masking that holds (issue 10, item 3): no output lets an attacker rebuild an ID number.

A masked ID shows only its last 3 characters; beside it an output shows at most the sex and the
year and month of birth. The rule is checked by trying the reconstruction (tests/support_reconstruct)
on a demo database over every masked output: the register list and the worker page of the GUI,
``export``, every report in PDF and xlsx, the pickers' search hits, ``competitions``/``pairs --json``,
and the messages (plain and ``--json``) of an import and a certificate list with bad rows. For every
person found in an output, at least 10,000 ID numbers must fit what that output shows.

Run with ``-s`` to see the line ``RECONSTRUCT min_candidates=...`` (quoted in the closing note).
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from db import validators as v
from db.errors import ValidationError
from db.fields import BIRTH, column
from db.models.core.registers import Worker
from db.privacy import mask, mask_birth, mask_id, mask_phone
from desktop.records import column_specs, display, shown_label
from tests.support import cli
from tests.support_reconstruct import (
    THRESHOLD,
    Finding,
    Shown,
    candidates,
    check_char,
    consistent,
    counties,
    read_line,
    read_text,
)

ON = date(2026, 6, 15)


def make_id(area: str, born: str, seq: str) -> str:
    body = area + born + seq
    return body + check_char(body)


# -- the mask itself -------------------------------------------------------------------------------------


def test_mask_id_keeps_only_the_last_three_characters() -> None:
    assert mask_id("330281199001011234") == "***************234"
    assert mask_id("11010519491231002X") == "***************02X"
    assert mask_id("110105491231002") == "************002"  # a legacy 15-digit number: its last 3 too
    assert mask(" 330281199001011234 ", "id_number") == "***************234"
    assert mask_phone("13812345678") == "138****5678"  # phones keep 138****1234


def test_birth_date_masked_to_year_and_month() -> None:
    assert mask_birth(date(1990, 3, 15)) == "1990-03"
    assert mask_birth(datetime(1990, 3, 15, 8, 0)) == "1990-03"
    assert mask_birth("1990-03-15") == "1990-03"
    assert mask_birth("not a date") == "***"
    assert mask(date(1990, 3, 15), BIRTH) == "1990-03"
    assert mask(None, BIRTH) is None


def test_one_helper_masks_the_birth_date_beside_a_masked_id() -> None:
    birth, id_col = column(Worker, "birth_date"), column(Worker, "id_number")
    assert birth.field.privacy == BIRTH
    assert display(birth, "1990-03-15", full=False) == "1990-03"
    assert display(birth, "1990-03-15", full=True) == "1990-03-15"  # --full / revealed: the whole date
    assert display(id_col, "330281199003151234", full=False) == "***************234"
    assert shown_label(birth, full=False) == "出生年月" and shown_label(birth, full=True) == "出生日期"
    labels = [c.label for c in column_specs([id_col, birth], full=False)]
    assert labels == ["身份证号", "出生年月"]


def test_worker_page_and_table_show_the_day_only_once_the_id_is_revealed(app_ctx: Any, qapp: Any) -> None:
    from PySide6.QtCore import Qt

    from desktop.programmes.core import registers
    from desktop.records import load_table
    from ui.kit.table_model import RecordTableModel
    from ui.programmes.workers.page import WorkerPage

    number = make_id("330226", "19880512", "135")
    with app_ctx.db.session() as s:
        wid = registers.save(s, "workers", None, {"name": "甘文彬", "id_number": number, "member_status": "active"})
        table = load_table(s, Worker, app_ctx.labels())
    page = WorkerPage(app_ctx, wid)
    try:
        assert page.value_labels["id_number"].text() == "***************" + number[-3:]
        assert page.value_labels["birth_date"].text() == "1988-05"
        assert "birth_date" not in page.reveal_buttons  # revealed with the ID number, not on its own
        page.reveal("id_number")
        assert page.value_labels["id_number"].text() == number
        assert page.value_labels["birth_date"].text() == "1988-05-12"
    finally:
        page.deleteLater()
    model = RecordTableModel("workers", table.columns)
    model.set_table(table)
    c = [col.name for col in model.columns].index("birth_date")
    assert model.data(model.index(0, c), Qt.ItemDataRole.DisplayRole) == "1988-05"
    model.reveal(0, app_ctx)
    assert model.data(model.index(0, c), Qt.ItemDataRole.DisplayRole) == "1988-05-12"


# -- the reconstruction: counted right, and it fails the old mask ----------------------------------------------


def test_counting_agrees_with_brute_force() -> None:
    """A small case enumerated digit by digit: counties 3302xx, March 1990, two free digits."""
    number = make_id("330281", "19900315", "123")
    shown = Shown.of("3302" + "*" * 10 + "*" * 2 + number[16:], ON, None, (1990, 3))
    area = [c for c in counties() if c.startswith("3302")]
    brute = 0
    for c in area:
        for day in range(1, 32):
            for seq in range(100):
                body = f"{c}199003{day:02d}{seq:02d}{number[16]}"
                brute += check_char(body[:17]) == number[17]
    assert candidates(shown) == brute
    assert consistent(number, shown)
    assert not consistent(number, Shown.of("*" * 15 + number[-3:], ON, None, (1990, 4)))
    assert not consistent(number, Shown.of("*" * 15 + number[-3:], ON, "female" if int(number[16]) % 2 else "male"))


def test_the_rule_fails_the_old_mask_and_passes_the_new_one() -> None:
    number = make_id("330226", "19900315", "123")
    old = number[:6] + "*" * 8 + number[-4:]
    assert candidates(Shown.of(old, ON, "male", date(1990, 3, 15))) <= 1  # the old outputs: rebuilt whole
    assert candidates(Shown.of(old, ON)) < THRESHOLD  # even without a birth date (about 2,800)
    new = "*" * 15 + number[-3:]
    assert candidates(Shown.of(new, ON, "male", date(1990, 3, 15))) < THRESHOLD  # why the day is never shown
    assert THRESHOLD < 72_000 < candidates(Shown.of(new, ON, "male", (1990, 2))) < 74_000  # February
    assert 75_000 < candidates(Shown.of(new, ON, "male", (1990, 3))) < 82_000  # "about 77,000"


def test_a_line_is_read_pessimistically() -> None:
    number = make_id("330226", "19900315", "123")
    line = f"1 张三 男 {mask_id(number)} 1990-03 2026-01-07 入库"
    (found,) = read_line("unit", line, ON)
    assert found.shown.birth == (1990, 3) and found.shown.sex == "male"  # the admission date cannot be a birth
    (old,) = read_line("unit", f"1 张三 男 {number[:6]}********{number[-4:]} 1990-03-15", ON)
    assert old.count <= 1
    (whole,) = read_line("unit", f"第 3 行：身份证号校验位错误（{number}）", ON)
    assert whole.count == 1


# -- the validators' messages ------------------------------------------------------------------------------------


def _error(fn: Any, *args: Any) -> v.ValidationError:
    with pytest.raises(v.ValidationError) as info:
        fn(*args)
    return info.value


def _no_whole_number(message: str, number: str) -> None:
    assert not re.search(r"[0-9]{7,}", message), message
    assert number[6:14] not in message and number[-7:] not in message, message


def test_validator_messages_never_print_a_whole_id() -> None:
    good = make_id("330226", "19900315", "124")  # female
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    err = _error(v.id_info, bad_check)
    assert err.code == "id_checksum" and err.message == f"身份证号校验位错误（{mask_id(bad_check)}）"
    _no_whole_number(err.message, bad_check)
    err = _error(v.check_gender, v.id_info(good), "male")
    assert err.code == "sex_mismatch" and mask_id(good) in err.message and "显示为女" in err.message
    _no_whole_number(err.message, good)
    for typed in (good[:17], good + "1", good[:10] + "A" + good[11:]):
        err = _error(v.id_info, typed)
        assert err.code == "id_format" and f"（{mask_id(typed)}，{len(typed)}位）" in err.message
        _no_whole_number(err.message, typed)
    for damaged in (float(good[:17] + "0"), int(good[:17] + "0"), good[:17] + "0.0"):
        err = _error(v.id_info, damaged)
        assert err.code == "id_damaged_by_excel" and "3.30226E+17" in err.message
        _no_whole_number(err.message, good)


# -- every masked output of a demo database ----------------------------------------------------------------


@dataclass
class Output:
    name: str
    lines: list[str]
    raw: str = ""  # everything the output wrote (file text, stdout, stderr), for the whole-number scan
    expect_ids: int = 0  # how many people it must show at least (so a parse that finds nobody fails)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Person:
    name: str
    number: str


@dataclass
class Survey:
    on: date
    outputs: list[Output]
    people: list[Person]
    file_rows: dict[int, Person]  # the import file's rows, by row number


def pdf_lines(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.splitlines()


_A_DATE = re.compile(r"(19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}")


def xlsx_lines(path: Path) -> list[str]:
    """One line per row. Under a heading row, a date in a column whose heading is not a birth date
    (入会时间, 入库日期) is left out: the attacker reads headings too, and would not take it for one."""
    wb = load_workbook(path, read_only=True)
    lines = []
    for ws in wb.worksheets:
        heads: list[str] = []
        for row in ws.iter_rows(values_only=True):
            texts = ["" if c is None else str(c) for c in row]
            if not heads and any(t in ("姓名", "身份证号") for t in texts):
                heads = texts
            kept = [t for i, t in enumerate(texts) if t and not (
                heads and i < len(heads) and "出生" not in heads[i] and _A_DATE.match(t))]
            if kept:
                lines.append(" | ".join(kept))
    wb.close()
    return lines


# Import rows, each with what is wrong with it (the messages must name the row, never the number).
BAD_ROWS: list[tuple[str, str, Any, str | None, str | None]] = [
    # name, gender, ID number as typed, phone, expected code
    ("甘文彬", "男", make_id("330226", "19850712", "131"), "13812345678", None),
    ("施晓丽", "男", make_id("330226", "19880204", "222"), None, "sex_mismatch"),
    ("柴红英", "男", make_id("130104", "19791130", "046"), None, "sex_mismatch"),
    ("麻建国", "女", make_id("441302", "19710528", "017"), None, "sex_mismatch"),
    ("翁立新", "男", make_id("330281", "19920101", "033")[:17] + "9", None, "id_checksum"),
    ("岑美华", "女", make_id("510107", "19860321", "448")[:17] + "0", None, "id_checksum"),
    ("应志坚", "男", make_id("330226", "19850712", "131"), None, "duplicate_in_file"),
    ("邬雅琴", "女", make_id("330226", "19900315", "124")[:17], None, "id_format"),
    ("屠国平", "男", float(make_id("330226", "19800901", "135")[:17] + "0"), None, "id_damaged_by_excel"),
    ("鲍一鸣", "男", "33022619900230" + "1357", None, "id_birth_date"),
    ("储云飞", "男", make_id("330226", "19830809", "155"), "0574-65512345", None),
]


def _fix_checks(rows: list[tuple[str, str, Any, str | None, str | None]]) -> None:
    """The checksum rows must really be wrong (a replaced check digit may happen to be right)."""
    for i, (name, gender, number, phone, code) in enumerate(rows):
        if code == "id_checksum" and check_char(number[:17]) == number[17]:
            rows[i] = (name, gender, number[:17] + ("1" if number[17] != "1" else "2"), phone, code)


_fix_checks(BAD_ROWS)


def _import_file(path: Path) -> dict[int, Person]:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "性别", "身份证号", "手机号码", "工作单位"])
    rows: dict[int, Person] = {}
    for i, (name, gender, number, phone, _code) in enumerate(BAD_ROWS, start=2):
        ws.append([name, gender, number, phone, "宁海县跃龙模具有限公司"])
        rows[i] = Person(name, str(number))
    wb.save(path)
    return rows


def _certificate_file(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "身份证号", "单位", "奖项"])
    for name, _gender, number, _phone, _code in BAD_ROWS:
        ws.append([name, number, "宁海县跃龙模具有限公司", "一等奖"])
    wb.save(path)


def _report_variants(params: list[str], competitions: list[dict[str, Any]], pairs: list[dict[str, Any]],
                     on: date, refs: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Parameter sets for a report (its ``report --list`` parameters), every required one filled."""
    variants: list[dict[str, Any]] = [{"year": on.year}]
    for p in params:
        name = p.split("=")[0].rstrip("*")
        if name == "month":
            variants = [{**a, "month": f"{on:%Y-%m}"} for a in variants]
        elif name == "competition":
            variants = [{**a, "competition": str(c["id"])} for a in variants for c in competitions]
        elif name == "pair":
            variants = [{**a, "pair": str(pr["id"])} for a in variants for pr in pairs[:2]]
        elif name in refs:  # 劳模工匠's rounds, 助企行's demands, 劳动争议's cases (their listings' --json)
            variants = [{**a, name: str(r["id"])} for a in variants for r in refs[name][:3]]
        elif p.endswith("*"):
            raise AssertionError(f"the masking survey does not know how to fill {p}")
    return variants


def _as_args(params: dict[str, Any]) -> list[str]:
    args = []
    for name, value in params.items():
        args += [f"--{name}", str(value)] if name in ("year", "month") else ["--param", f"{name}={value}"]
    return args


def _file_output(name: str, out: Path, expect: int = 0) -> Output:
    lines = pdf_lines(out) if out.suffix == ".pdf" else xlsx_lines(out)
    return Output(name, lines, "\n".join(lines), expect_ids=expect)


def _in_process_outputs(db: Path, home: Path, root: Path, listing: str, comps: list[dict[str, Any]],
                        pairs: list[dict[str, Any]], on: date, refs: dict[str, list[dict[str, Any]]]) -> Iterator[Output]:
    """What the GUI shows (the register table of the 职工 tab, the worker page, the pickers' hits),
    then every report of ``report --list`` in every format, written by the function ``report`` runs."""
    from PySide6.QtCore import Qt

    from desktop import registry
    from desktop.context import open_app
    from desktop.programmes.core import worker_search
    from desktop.records import load_table
    from desktop.report_runner import write_report
    from ui.kit.table_model import RecordTableModel
    from ui.programmes.workers.page import WorkerPage

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("UNIONDESK_HOME", str(home))
        app = open_app(str(db), daily_backup=False)
        try:
            with app.db.session() as s:
                table = load_table(s, Worker, app.labels())
            model = RecordTableModel("workers", table.columns)
            model.set_table(table)
            heads = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]
            rows = [" | ".join(str(model.data(model.index(r, c)) or "") for c in range(model.columnCount()))
                    for r in range(model.rowCount())]
            yield Output("GUI 职工名册 table rows", [" | ".join(heads), *rows], expect_ids=len(table.ids))

            pages = []
            for worker_id in table.ids[::4]:  # every fourth worker: a dialog each
                page = WorkerPage(app, worker_id)
                texts = [page.heading.text(), page.subheading.text()]
                texts += [f"{name}：{label.text()}" for name, label in page.value_labels.items()]
                pages.append("　".join(texts))
                page.deleteLater()
            yield Output("GUI worker page", pages, expect_ids=len(pages))

            with app.db.session() as s:
                hits = worker_search.search_in(s, "", app.labels(), limit=100_000)
            yield Output("GUI worker picker hits (competitions, 红色工匠, 师徒结对)",
                         [f"{h.name} | {h.id_masked} | {h.employer} | {h.trade}" for h in hits], expect_ids=len(hits))

            for line in listing.splitlines():
                key, _title, formats, *rest = line.split("\t")
                if key == "workers.roster":
                    continue  # through the CLI itself
                spec = registry.report(key)
                for n, params in enumerate(_report_variants(rest[0].split() if rest else [], comps, pairs, on, refs)):
                    for fmt in formats.split(","):
                        out = root / f"{key}-{n}.{fmt}"
                        try:
                            write_report(app, spec, params, out)
                        except ValidationError:  # refused for this record (a 公示名单 before its 公示)
                            continue
                        yield _file_output(f"report {key} {' '.join(_as_args(params))} .{fmt}", out)
        finally:
            app.close()


@pytest.fixture(scope="module")
def survey(tmp_path_factory: pytest.TempPathFactory, qapp: Any) -> Survey:
    root = tmp_path_factory.mktemp("masking")
    home, db = root / "home", root / "demo.sqlite3"
    r = cli("demo", "--size", "200", home=home, db=db)
    assert r.returncode == 0, r.stderr
    on = date.today()
    with sqlite3.connect(db) as conn:
        people = [Person(n, i) for n, i in conn.execute("select name, id_number from workers")]
    n_workers = len(people)
    imp = root / "bad-rows.xlsx"
    file_rows = _import_file(imp)
    certs = root / "cert-rows.xlsx"
    _certificate_file(certs)

    # One command first, alone: it takes the day's automatic backup, which the others then skip.
    listing = cli("report", "--list", home=home, db=db)
    assert listing.returncode == 0, listing.stderr
    year = ["--year", str(on.year)]
    jobs: list[tuple[str, list[str], Path | None]] = [
        ("competitions --json", ["competitions", "--json"], None),
        ("pairs --json", ["pairs", "--json"], None),
        ("honours --json", ["honours", "--json"], None),
        ("help-desk --json", ["help-desk", "--json"], None),
        ("disputes --json", ["disputes", "--json"], None),
        ("export workers .xlsx", ["export", "workers"], root / "export.xlsx"),
        ("import plain", ["import", "workers", str(imp), "--dry-run"], None),
        ("import --json", ["import", "workers", str(imp), "--dry-run", "--json"], None),
        ("certificates --from --json", ["certificates", "--from", str(certs), "--json", "--out"], root / "c.pdf"),
        (f"report workers.roster --year {on.year} .pdf", ["report", "workers.roster", *year, "--out"], root / "r.pdf"),
        (f"report workers.roster --year {on.year} .xlsx", ["report", "workers.roster", *year, "--out"], root / "r.xlsx"),
    ]

    def run(job: tuple[str, list[str], Path | None]) -> tuple[str, list[Output]]:
        name, args, out = job
        r = cli(*args, *([str(out)] if out else []), home=home, db=db)
        assert r.returncode in (0, 1) and (r.stdout or "--json" not in args), (name, r.returncode, r.stderr[-2000:])
        said = r.stdout + r.stderr
        # --json: one line per object, so each line is one person (or one row's message)
        lines = _json_lines(r.stdout) + r.stderr.splitlines() if "--json" in args else said.splitlines()
        found = [Output(name if out is None else f"{name} (messages)", lines, said)]
        if out is not None and out.exists():
            expect = n_workers if name.startswith(("export workers", "report workers.roster")) else 0
            found.append(_file_output(name, out, expect))
        elif out is not None:
            assert r.returncode == 1, (name, "no file written")
        return r.stdout, found

    outputs: list[Output] = []
    said: dict[str, str] = {"report --list": listing.stdout}
    with ThreadPoolExecutor(max_workers=3) as pool:
        for (name, _args, _out), (stdout, result) in zip(jobs, pool.map(run, jobs), strict=True):
            said[name] = stdout
            outputs.extend(result)
    outputs.extend(_in_process_outputs(db, home, root, said["report --list"], json.loads(said["competitions --json"]),
                                       json.loads(said["pairs --json"]), on,
                                       {"round": json.loads(said["honours --json"]),
                                        "demand": json.loads(said["help-desk --json"]),
                                        "dispute": json.loads(said["disputes --json"])}))
    for o in outputs:
        o.raw = o.raw or "\n".join(o.lines)
        o.findings = read_text(o.name, "\n".join(o.lines), on)
    return Survey(on, outputs, people, file_rows)


def _truths(survey: Survey, finding: Finding, text: str | None = None) -> list[str]:
    """The real numbers of the person a finding is about (by name, on the finding's line or in
    ``text``, and visible characters)."""
    m = re.match(r"第 ?([0-9]+) 行", finding.line) or re.search(r'"row": ([0-9]+)', finding.line)
    if m and int(m[1]) in survey.file_rows:
        return [survey.file_rows[int(m[1])].number]
    vis = finding.shown.visible
    return [p.number for p in survey.people
            if p.name in (finding.line if text is None else text) and all(c is None or c == x for c, x in zip(vis, p.number, strict=True))]


def test_every_masked_output_leaves_ten_thousand_candidates(survey: Survey) -> None:
    failures, checked, rows = [], 0, 0
    lowest: Finding | None = None
    for o in survey.outputs:
        checked += 1
        assert len(o.findings) >= o.expect_ids, (o.name, len(o.findings), o.lines[:5])
        for f in o.findings:
            rows += 1
            if lowest is None or f.count < lowest.count:
                lowest = f
            if f.count < THRESHOLD:
                failures.append(f"{o.name}: {f.count} candidates for {f.line!r}")
            # the parse found a real person: named on the line, or (a one-person form such as the
            # 推荐表, whose ID line does not repeat the name) in the same document
            truths = _truths(survey, f) or _truths(survey, f, "\n".join(o.lines))
            assert truths, (o.name, f.line)
            if all(re.fullmatch(r"[0-9]{17}[0-9X]", t) and check_char(t[:17]) == t[17] for t in truths):
                assert any(consistent(t, f.shown, any_county=True) for t in truths), (o.name, f.line, f.shown)
    assert not failures, "\n".join(failures[:20])
    assert lowest is not None
    names = sorted({o.name for o in survey.outputs})
    print(f"\nRECONSTRUCT min_candidates={lowest.count} outputs={checked} person_rows={rows} "
          f"lowest_in={lowest.output!r} line={lowest.line.strip()!r}")
    print("RECONSTRUCT outputs: " + "; ".join(f"{o.name}={len(o.findings)}" for o in survey.outputs))
    assert len(names) >= 30


def test_the_survey_covers_every_kind_of_output(survey: Survey) -> None:
    by_name = {o.name: o for o in survey.outputs}
    for name in ("export workers .xlsx", "report workers.roster --year {y} .pdf", "report workers.roster --year {y} .xlsx",
                 "report red_craftsman.roster --year {y} .pdf", "report mentoring.allowance --year {y} --month {m} .xlsx",
                 "GUI 职工名册 table rows", "GUI worker page", "import plain", "import --json"):
        key = name.format(y=survey.on.year, m=f"{survey.on:%Y-%m}")
        assert key in by_name, (key, sorted(by_name))
        assert by_name[key].findings, key
    imp = by_name["import --json"]
    codes = {item["code"] for item in json.loads(_json_of(imp.raw))["rejected"]}
    assert {"sex_mismatch", "id_checksum", "duplicate_in_file", "id_format", "id_damaged_by_excel"} <= codes


def _json_lines(text: str) -> list[str]:
    start = min(i for i in (text.find("{"), text.find("[")) if i >= 0)
    data, _end = json.JSONDecoder().raw_decode(text[start:])
    lines: list[str] = []

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            lines.append(json.dumps({k: w for k, w in x.items() if not isinstance(w, dict | list)}, ensure_ascii=False))
            for w in x.values():
                if isinstance(w, dict | list):
                    walk(w)
        elif isinstance(x, list):
            for w in x:
                walk(w)
        else:
            lines.append(json.dumps(x, ensure_ascii=False))

    walk(data)
    return lines


def _json_of(text: str) -> str:
    start = text.index("{")
    return text[start:text.rindex("}") + 1]


def test_no_output_prints_a_whole_id_or_its_birth_day(survey: Survey) -> None:
    numbers = [p.number for p in survey.people] + [p.number for p in survey.file_rows.values()]
    for o in survey.outputs:
        runs = set(re.findall(r"[0-9X]{8,}", o.raw))
        leaked = {r for r in runs if any(r in n or n[:14] in r for n in numbers)}
        assert not leaked, (o.name, sorted(leaked)[:3])
    # Beside a masked ID only year and month: a table row of the roster never holds a whole birth date.
    roster = next(o for o in survey.outputs if o.name.startswith("report workers.roster") and o.name.endswith(".pdf"))
    with_id = [line for line in roster.lines if "*" * 15 in line]
    assert with_id and not any(re.search(r"(19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}", line) for line in with_id)
    assert any("出生年月" in line for line in roster.lines)
