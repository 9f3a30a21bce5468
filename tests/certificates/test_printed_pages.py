"""Acceptance for issue 12 ("Done when"): certificates read back page by page as a county official
reads them.

Certificates are issued through the real CLI (``python -m desktop certificates … --json``) on a
demo database with verification switched on: every demo competition (``--competition``), the red
craftsman pool (``--source red_craftsman``) and a winners list written here with openpyxl (a title
row, a 12-character name, a 40-character unit, a team prize, a two-character name). Each page is
read back by lines with pymupdf (tests/certificates/pdfread.py) and matched to the register row
of the serial the CLI reported for it. A failure names the page, the serial and the offending line.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from reportlab.lib.units import mm

from reports.linebreak import NO_END, NO_START
from tests.certificates.pdfread import (
    Line,
    Qr,
    flat,
    page_flat,
    qr_boxes,
    read_lines,
    read_qr,
    render_gray,
    shown,
)
from tests.support import cli, closed_demo_database, write_workbook

DEMO_SIZE = 300
#: the serial's programme code per source (CLI.md, Certificates)
CODES = {"competitions": "JS", "red_craftsman": "HS", "winners_list": "MD"}
BATCHES = tuple(CODES)
SERIAL = re.compile(r"(?P<prefix>[A-Za-z0-9]+)-(?P<year>\d{4})-(?P<code>[A-Za-z0-9]+)-(?P<counter>\d{5,})")
VERIFY_LABEL = re.compile(r"校验码\s*[：:]\s*(?P<code>[^\s\]］）)】]+)")
ASCII_WORD = re.compile(r"[A-Za-z_]{2,}")
MAX_SHOWN = 12  # problems listed in one failure message

LIST_TITLE = "二〇二六年宁海县职工职业技能竞赛获奖人员名单"
COMPETITION = "二〇二六年宁海县职工职业技能竞赛"
LONG_NAME = "阿卜杜拉·热合曼·买买提"
LONG_UNIT = "浙江省宁波市宁海县跃龙街道城东工业园区恒拓精密模具五金工具制造有限公司工会委员会"
#: a second 12-character name whose unit leaves it straddling the end of a 16 pt line (the old layout
#: broke it there: 「…工会委员会古丽巴哈尔·阿 / 卜杜热合曼同志：」)
LONG_NAME_2 = "古丽巴哈尔·阿卜杜热合曼"
MID_UNIT = "宁海县跃龙街道城东工业园区精密模具制造有限公司工会委员会"
TEAM = "宁波恒拓五金工具有限公司代表队"
TEAM_UNIT = "宁波恒拓五金工具有限公司"
LIST_ROWS: list[list[Any]] = [
    ["序号", "姓名", "工作单位", "项目", "获奖等次", "队名"],
    [1, LONG_NAME, LONG_UNIT, "数控铣工", "一等奖", None],  # the worst case: both long on one page
    [2, "王素兰", "宁波舜威精密模具有限公司", "数控铣工", "二等奖", None],
    [3, "张三", "宁海县跃龙模具有限公司", "焊工", "三等奖", None],
    [4, "周国全", TEAM_UNIT, "钳工", "一等奖", TEAM],
    [5, "李小燕", TEAM_UNIT, "钳工", "一等奖", TEAM],
    [6, LONG_NAME_2, MID_UNIT, "焊工", "二等奖", None],
]


def _problems(what: str, found: list[str]) -> str:
    more = f"\n  …and {len(found) - MAX_SHOWN} more" if len(found) > MAX_SHOWN else ""
    return f"{what} ({len(found)}):\n" + "\n".join(f"  {p}" for p in found[:MAX_SHOWN]) + more


# -- issuing through the CLI -----------------------------------------------------------------------


@dataclass
class Office:
    home: Path
    db: Path
    out: Path

    def run(self, *args: str) -> Any:
        return cli(*args, home=self.home, db=self.db)


@dataclass
class Page:
    """One printed page: the PDF, its 0-based index, the serial the CLI reported for it, the
    register row of that serial and the page's lines."""

    pdf: Path
    index: int
    serial: str
    row: dict[str, Any]
    lines: list[Line]
    _qr: list[Qr] | None = None

    @property
    def flat(self) -> str:
        return page_flat(self.lines)

    def qr(self) -> list[Qr]:
        """The QR codes read from the page rendered at 200 dpi (read once)."""
        if self._qr is None:
            self._qr = read_qr(render_gray(self.pdf, self.index, dpi=200))
        return self._qr

    def where(self) -> str:
        return f"{self.pdf.name} 第 {self.index + 1} 页 {self.serial}（{self.row.get('name', '?')}）"

    def show(self) -> str:
        return f"{self.where()}:\n{shown(self.lines)}"


@dataclass
class Batch:
    name: str
    code: str
    pages: list[Page] = field(default_factory=list)


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    """A closed demo database with verification switched on (Settings: certificate_verify = 1)."""
    from reports.fonts import FontMissing, find_fonts

    try:
        find_fonts()
    except FontMissing:
        pytest.skip("no CJK TrueType font on this machine: sudo apt install fonts-lxgw-wenkai")
    base = tmp_path_factory.mktemp("printed")
    home = base / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("UNIONDESK_HOME", str(home))
        db = closed_demo_database(base / "demo.sqlite3", DEMO_SIZE)
        with _app(db) as app, app.db.session() as s:
            from desktop import settings as app_settings

            app_settings.save(s, {"certificate_verify": 1})
        out = base / "out"
        out.mkdir()
        yield Office(home, db, out)


@contextmanager
def _app(db: Path) -> Iterator[Any]:
    """The database opened in this process, closed after."""
    from desktop.context import open_app

    app = open_app(str(db), daily_backup=False)
    try:
        yield app
    finally:
        app.close()


def _issue(office: Office, pdf: Path, *args: str) -> list[str]:
    """Run ``certificates … --out pdf --json``; the serials in page order."""
    r = office.run("certificates", *args, "--out", str(pdf), "--json")
    assert r.returncode == 0, f"certificates {' '.join(args)} exited {r.returncode}:\n{r.stderr[-2000:]}"
    data = json.loads(r.stdout)
    assert data["pages"] == len(data["serials"]) > 0, data
    return list(data["serials"])


def _register(db: Path) -> dict[str, dict[str, Any]]:
    """Register rows by serial (their old-form alias too, if the register keeps one)."""
    from sqlalchemy import select

    from db.models.certificates import Certificate

    out: dict[str, dict[str, Any]] = {}
    with _app(db) as app, app.db.session() as s:
        for c in s.scalars(select(Certificate)):
            row = {"serial": c.serial, "name": c.name, "unit": c.unit or "", "team": c.team or "",
                   "award": c.award or "", "event": c.event or "", "programme": c.programme}
            out[c.serial] = row
            alias = getattr(c, "alias", None)
            if alias:
                out.setdefault(alias, row)
    return out


def _query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    from sqlalchemy import text

    with _app(db) as app, app.db.session() as s:
        return [tuple(r) for r in s.execute(text(sql))]


def _winners_list(path: Path) -> Path:
    assert len(LONG_NAME) == len(LONG_NAME_2) == 12 and len(LONG_UNIT) == 40
    return write_workbook(path, LIST_ROWS, title=LIST_TITLE)


_made: dict[str, Batch] = {}
_failed: dict[str, str] = {}


def _batch(office: Office, name: str) -> Batch:
    """The batch ``name`` issued once for the module; a failure to issue fails every test using it."""
    if name in _made:
        return _made[name]
    if name in _failed:
        pytest.fail(_failed[name], pytrace=False)
    try:
        _made[name] = _issue_batch(office, name)
    except AssertionError as exc:
        _failed[name] = f"issuing {name} failed: {exc}"
        raise
    return _made[name]


def _issue_batch(office: Office, name: str) -> Batch:
    runs: list[tuple[Path, list[str]]] = []
    if name == "competitions":
        listed = json.loads(office.run("competitions", "--json").stdout or "[]")
        assert listed, "the demo database lists no competition"
        for c in listed:
            pdf = office.out / f"competition-{c['id']}.pdf"
            runs.append((pdf, _issue(office, pdf, "--competition", str(c["id"]))))
    elif name == "red_craftsman":
        years = sorted({int(y) for (y,) in _query(office.db, "SELECT DISTINCT year FROM rc_rounds")})
        assert years, "the demo database has no red craftsman round"
        pdf = office.out / f"red_craftsman-{years[-1]}.pdf"
        runs.append((pdf, _issue(office, pdf, "--source", "red_craftsman", "--year", str(years[-1]))))
    else:
        sheet = _winners_list(office.out / "获奖人员名单.xlsx")
        pdf = office.out / "winners_list.pdf"
        runs.append((pdf, _issue(office, pdf, "--from", str(sheet))))
    register = _register(office.db)
    batch = Batch(name, CODES[name])
    for pdf, serials in runs:
        pages = read_lines(pdf)
        assert len(pages) == len(serials), f"{pdf.name}: {len(pages)} pages for {len(serials)} serials"
        for i, (lines, serial) in enumerate(zip(pages, serials, strict=True)):
            assert serial in register, f"{pdf.name}: serial {serial} is not in the register"
            batch.pages.append(Page(pdf, i, serial, register[serial], lines))
    return batch


@pytest.fixture(scope="module", params=BATCHES)
def batch(request: pytest.FixtureRequest, office: Office) -> Batch:
    return _batch(office, request.param)


# -- what every page must show ---------------------------------------------------------------------


def test_serials_use_the_programme_code_and_are_printed(batch: Batch) -> None:
    bad = []
    for p in batch.pages:
        m = SERIAL.fullmatch(p.serial)
        if m is None or m["code"] != batch.code or not m["code"].isupper():
            bad.append(f"{p.where()}: serial {p.serial!r} is not {{prefix}}-{{year}}-{batch.code}-{{00001}}")
        elif p.serial not in p.flat:
            bad.append(f"{p.where()}: the serial is not printed\n{shown(p.lines)}")
    assert not bad, _problems(f"{batch.name}: serials", bad)


def test_no_name_is_split_across_lines(batch: Batch) -> None:
    bad = []
    for p in batch.pages:
        name = flat(p.row["name"])
        whole = sum(ln.flat.count(name) for ln in p.lines)
        anywhere = p.flat.count(name)
        if whole == 0 or anywhere > whole:
            across = [f"{a}\n    {b}" for a, b in itertools.pairwise(p.lines)
                      if name in a.flat + b.flat and name not in a.flat and name not in b.flat]
            why = "split across lines" if across else "not printed" if not anywhere else "not whole on one line"
            bad.append(f"{p.where()}: 「{name}」 {why}:\n    " + "\n    ".join(across or [shown(p.lines)]))
    assert not bad, _problems(f"{batch.name}: names split", bad)


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(batch: Batch) -> None:
    bad = []
    for p in batch.pages:
        for ln in p.lines:
            seen = ln.seen
            if seen and seen[0] in NO_START:
                bad.append(f"{p.where()}: starts with 「{seen[0]}」: {ln}")
            if seen and seen[-1] in NO_END:
                bad.append(f"{p.where()}: ends with 「{seen[-1]}」: {ln}")
    assert not bad, _problems(f"{batch.name}: lines breaking the 禁则", bad)


def test_the_unit_appears_once(batch: Batch) -> None:
    """The unit once (a team prize: at most once, the team named instead), never glued twice."""
    bad = []
    checked = 0
    for p in batch.pages:
        unit = flat(p.row["unit"])
        if not unit:
            continue
        checked += 1
        n = p.flat.count(unit)
        if p.row["team"]:
            if n > 1:
                bad.append(f"{p.where()}: unit 「{unit}」 printed {n} times on a team certificate\n{shown(p.lines)}")
        elif n != 1:
            bad.append(f"{p.where()}: unit 「{unit}」 printed {n} times\n{shown(p.lines)}")
    assert checked, f"{batch.name}: no page has a unit in the register"
    assert not bad, _problems(f"{batch.name}: units", bad)


@pytest.mark.parametrize("name", ["competitions", "winners_list"])
def test_team_certificates_name_the_team_and_say_tuanti(office: Office, name: str) -> None:
    b = _batch(office, name)
    teams = [p for p in b.pages if p.row["team"]]
    assert teams, f"{name}: no team certificate was issued (register rows without team)"
    bad = []
    for p in teams:
        team = flat(p.row["team"])
        if "团体" not in p.flat:
            bad.append(f"{p.where()}: a team certificate without 团体\n{shown(p.lines)}")
        if p.flat.count(team) != 1:
            bad.append(f"{p.where()}: team 「{team}」 printed {p.flat.count(team)} times\n{shown(p.lines)}")
        name_line = next((ln for ln in p.lines if flat(p.row["name"]) in ln.flat), None)
        if name_line is not None and team in name_line.flat:
            bad.append(f"{p.where()}: the team runs into the name: {name_line}")
    assert not bad, _problems(f"{name}: team certificates", bad)


def test_no_english_word_on_paper(batch: Batch) -> None:
    """Latin letters only in the serial's prefix and the programme's code (UD, JS…) and in the
    verification code after 校验码; never a programme or template key."""
    bad = []
    for p in batch.pages:
        m = SERIAL.fullmatch(p.serial)
        allowed = {m["prefix"], batch.code} if m else {batch.code}
        for ln in p.lines:
            text = ln.text
            for v in VERIFY_LABEL.finditer(ln.text):  # the code's own letters, not the serial in it
                code = v["code"]
                text = text.replace(code[len(p.serial):] if code.startswith(p.serial) else code, " ")
            words = sorted({w for w in ASCII_WORD.findall(text) if w not in allowed})
            if words:
                bad.append(f"{p.where()}: {', '.join(words)} in {ln}")
    assert not bad, _problems(f"{batch.name}: English on paper", bad)


# -- verification on: the code as text and a QR that reads back --------------------------------------


def _printed_code(p: Page) -> tuple[str, Line] | None:
    for ln in p.lines:
        m = VERIFY_LABEL.search(ln.flat)
        if m:
            return m["code"], ln
    return None


def test_the_qr_decodes_to_the_printed_serial(batch: Batch, office: Office) -> None:
    bad = []
    first = ""
    for p in batch.pages:
        found = p.qr()
        if len(found) != 1:
            bad.append(f"{p.where()}: {len(found)} QR codes read ({[q.text for q in found]})")
            continue
        text = found[0].text
        if p.serial not in text:
            bad.append(f"{p.where()}: the QR reads {text!r}, without the printed serial")
        first = first or text
    assert not bad, _problems(f"{batch.name}: QR codes", bad)
    r = office.run("verify", first)
    assert r.returncode == 0 and r.stdout.startswith("有效"), f"verify {first!r}: {r.returncode} {r.stdout}{r.stderr}"


def test_the_verification_code_is_printed_beside_the_qr(batch: Batch) -> None:
    bad = []
    for p in batch.pages:
        printed = _printed_code(p)
        if printed is None:
            bad.append(f"{p.where()}: no 校验码：… line\n{shown(p.lines)}")
            continue
        code, line = printed
        found = p.qr()
        if not found or len(code) < 6 or code not in found[0].text:
            bad.append(f"{p.where()}: printed 校验码 {code!r} is not the QR's {[q.text for q in found]}: {line}")
            continue
        boxes = qr_boxes(p.pdf, p.index)
        if boxes:
            q = boxes[0]
            with pymupdf.open(str(p.pdf)) as doc:
                page_h = doc[p.index].rect.height
            side = q.modules * q.module
            x0, x1 = q.x, q.x + side
            y0, y1 = page_h - q.y - side, page_h - q.y  # top-left coordinates
            dx = max(x0 - line.x1, line.x0 - x1, 0)
            dy = max(y0 - line.y1, line.y0 - y1, 0)
            if max(dx, dy) > 30 * mm:
                bad.append(f"{p.where()}: 校验码 printed {max(dx, dy) / mm:.0f} mm from the QR: {line}")
    assert not bad, _problems(f"{batch.name}: verification codes", bad)


# -- wording of a winners list ---------------------------------------------------------------------


def test_a_winners_list_reads_grammatically(office: Office) -> None:
    """The title row names the competition; the event is a noun phrase; a team prize is 团体一等奖."""
    b = _batch(office, "winners_list")
    by_name = {flat(p.row["name"]): p for p in b.pages}
    want = {
        flat(LONG_NAME): f"在{COMPETITION}数控铣工项目中荣获一等奖",
        "王素兰": f"在{COMPETITION}数控铣工项目中荣获二等奖",
        "张三": f"在{COMPETITION}焊工项目中荣获三等奖",
        "周国全": f"在{COMPETITION}钳工项目中荣获团体一等奖",
        "李小燕": f"在{COMPETITION}钳工项目中荣获团体一等奖",
        flat(LONG_NAME_2): f"在{COMPETITION}焊工项目中荣获二等奖",
    }
    bad = []
    for name, phrase in want.items():
        p = by_name.get(name)
        if p is None:
            bad.append(f"no certificate for {name} (issued: {sorted(by_name)})")
        elif phrase not in p.flat:
            bad.append(f"{p.where()}: no 「{phrase}」\n{shown(p.lines)}")
        elif "名单" in p.flat:
            bad.append(f"{p.where()}: the sheet's 名单 printed\n{shown(p.lines)}")
    assert not bad, _problems("winners list wording", bad)


def test_the_long_name_and_unit_print_whole(office: Office) -> None:
    b = _batch(office, "winners_list")
    p = next((p for p in b.pages if flat(p.row["name"]) == flat(LONG_NAME)), None)
    assert p is not None, f"no certificate for {LONG_NAME}"
    line = next((ln for ln in p.lines if flat(LONG_NAME) in ln.flat), None)
    assert line is not None, f"{LONG_NAME} is not on one line:\n{p.show()}"
    body = max((ln.size for ln in p.lines if ln.flat.startswith("在")), default=0.0)
    assert line.size >= body, f"the name at {line.size:.1f} pt is smaller than the body ({body:.1f} pt): {line}"
    q = next((p for p in b.pages if p.row["unit"] == LONG_UNIT), None)
    assert q is not None, "no certificate for the 40-character unit"
    assert q.flat.count(flat(LONG_UNIT)) == 1, f"the 40-character unit is not printed once:\n{q.show()}"


def test_without_verification_no_code_and_no_qr(tmp_path: Path) -> None:
    home, db = tmp_path / "home", tmp_path / "plain.sqlite3"
    sheet = _winners_list(tmp_path / "获奖人员名单.xlsx")
    pdf = tmp_path / "plain.pdf"
    r = cli("certificates", "--from", str(sheet), "--out", str(pdf), "--json", home=home, db=db)
    assert r.returncode == 0, r.stderr[-2000:]
    for i, lines in enumerate(read_lines(pdf)):
        text = page_flat(lines)
        assert "校验码" not in text, f"page {i + 1}: 校验码 printed with verification off\n{shown(lines)}"
        assert not qr_boxes(pdf, i), f"page {i + 1}: a QR drawn with verification off"


# -- offsets that would waste a stack of stock ---------------------------------------------------------


@pytest.mark.parametrize(("option", "value"), [("--offset-x", "nan"), ("--offset-x", "inf"),
                                               ("--offset-x", "1000"), ("--offset-x", "-60"),
                                               ("--offset-y", "50.5")])
def test_bad_offsets_exit_2_and_write_nothing(tmp_path: Path, option: str, value: str) -> None:
    home, db = tmp_path / "home", tmp_path / "t.sqlite3"
    sheet = _winners_list(tmp_path / "获奖人员名单.xlsx")
    out = tmp_path / "out"
    out.mkdir()
    pdf = out / "证书.pdf"
    r = cli("certificates", "--from", str(sheet), "--out", str(pdf), option, value, home=home, db=db)
    assert r.returncode == 2, f"{option} {value}: exit {r.returncode}\n{r.stdout}{r.stderr}"
    message = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""
    assert re.search(r"[\u4e00-\u9fff]", message) and "偏移" in message, f"{option} {value}: message {message!r}"
    assert "Traceback" not in r.stderr, r.stderr
    assert list(out.iterdir()) == [], f"{option} {value}: files written {list(out.iterdir())}"
    # nothing issued: the first serial of the list is unknown
    if db.exists():
        v = cli("verify", f"UD-{date.today().year}-MD-00001", home=home, db=db)
        assert v.returncode == 1, f"{option} {value}: a serial was registered: {v.stdout}"


# -- the reader itself ---------------------------------------------------------------------------------


def test_the_line_reader_sees_lines_as_the_eye_does(tmp_path: Path) -> None:
    """Fields sharing a baseline far apart are two lines; a tracked title, a line drawn in pieces
    and a line of mixed sizes are one; text above comes first."""
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "lines.pdf"
    c = Canvas(str(path), pagesize=(842, 595))
    c.setFont("Helvetica", 20)
    c.drawString(100, 500, "Left")
    c.drawString(600, 500, "Right")  # same baseline, 20 em away: another field
    t = c.beginText(100, 400)
    t.setFont("Helvetica", 20)
    t.setCharSpace(12)  # tracked, as a title is
    t.textOut("TITLE")
    t.setCharSpace(0)
    c.drawText(t)
    c.drawString(100, 300, "Piece")
    c.setFont("Helvetica", 12)
    c.drawString(100 + c.stringWidth("Piece", "Helvetica", 20), 300, "wise")  # smaller, same baseline
    c.showPage()
    c.save()
    (lines,) = read_lines(path)
    assert [ln.text for ln in lines] == ["Left", "Right", "TITLE", "Piecewise"], shown(lines)
    assert lines[3].size == 20 and lines[0].page == 1
    assert flat("张\u3000三\u200b ") == "张三" and Line(1, "\u3000\u3000在…，\u200b", 0, 0, 1, 1, 20).seen == "在…，"
