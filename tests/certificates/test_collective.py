"""Certificates addressed to a unit, an organisation or a team (issue 14 part 4): the 集体奖状
(``citation``) and 牌匾 (``plaque``) templates printed through the CLI and read back with
pdftotext, a long unit name, the register and serials of units, verification, and a batch of
people and units. The source is a fake one (tests/certificates/collective_support.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db.models.certificates import Certificate
from desktop import settings as app_settings
from desktop.certificates import issuing as certs
from desktop.certificates import recipients, register
from desktop.certificates import sources as cs
from desktop.context import App, open_app
from reports.certificates import builtin_templates
from reports.certificates.schema import template_from_dict, template_to_dict
from reports.certificates.variables import value_of
from tests.certificates.collective_support import (
    CODE,
    KEY,
    LONG_UNIT,
    TEAM,
    UNIT,
    install,
    pdf_pages,
    person,
    typeset_problems,
    unit,
)

ASCII_WORD = re.compile(r"[A-Za-z_]{2,}")
SERIAL = re.compile(r"[A-Z]{2}-\d{4}-[A-Z]{2}-\d{5}(?:\.[0-9A-Z]+)?")


@pytest.fixture
def db(db_path: Path) -> Iterator[Path]:
    """A database the CLI opens (created empty first)."""
    open_app(str(db_path), daily_backup=False).close()
    yield db_path


def run_cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, dict[str, Any]]:
    from desktop.cli import main as cli

    code = cli.run(["certificates", *args, "--json", "--db", str(db)])
    out = capsys.readouterr().out
    return code, (json.loads(out) if out.strip() else {})


def rows(db: Path) -> list[Certificate]:
    app = open_app(str(db), daily_backup=False)
    try:
        with app.db.session() as s:
            found = list(s.execute(select(Certificate).order_by(Certificate.id)).scalars())
            s.expunge_all()
            return found
    finally:
        app.close()


def no_english(lines: list[str]) -> list[str]:
    return [ln for ln in lines if ASCII_WORD.search(SERIAL.sub("", ln))]


# -- templates and wording ----------------------------------------------------------------------


def test_two_built_in_templates_are_addressed_to_units() -> None:
    found = builtin_templates()
    assert [k for k, t in found.items() if t.collective] == ["citation", "plaque"]
    assert found["citation"].title == "集体奖状" and found["plaque"].title == "牌匾"
    for key in ("citation", "plaque"):
        t = found[key]
        assert t.landscape and t.size_mm() == (297.0, 210.0) and t.seal is not None and t.qr is not None
        assert not any(f.spaced_name for f in t.fields) and "同志" not in "".join(f.text for f in t.fields)
        data = template_to_dict(t)
        assert data["collective"] is True and template_from_dict(data).collective
    assert "collective" not in template_to_dict(found["honour"])  # a person's template is saved as before


def test_a_unit_is_given_a_title_or_an_award_and_is_no_comrade() -> None:
    assert value_of("deed", unit()) == "被授予“四星级规范活力工会”称号"
    assert value_of("deed", unit(award="工人先锋号")) == "被授予“工人先锋号”称号"
    assert value_of("deed", unit(award="五一劳动奖状")) == "被授予五一劳动奖状"
    assert value_of("conferred", unit(award="“模范集体”")) == "“模范集体”称号"
    assert value_of("salutation", unit()) == f"{UNIT}："
    assert value_of("salutation", {"name": "张三"}) == "张三同志："
    assert value_of("collective", unit()) == ""  # a flag never prints as an English word
    assert value_of("deed", {"name": "张三", "award": "一等奖"}) == "荣获一等奖"  # people as before


def test_a_two_character_unit_is_never_spaced_even_on_a_persons_template() -> None:
    from reports.certificates.render import Job

    t = builtin_templates()["honour"]
    job = Job(t)
    field = next(ft for ft in job.fitters if ft.field.spaced_name)
    spaced = job.place(field, {"name": "张三"})
    plain = job.place(field, {"name": "一班", "collective": True})
    assert any(r.char_space for r in spaced.runs) and not any(r.char_space for r in plain.runs)


# -- printed through the CLI and read back ---------------------------------------------------------


def test_units_print_on_the_citation_with_no_flag(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                                  db: Path, tmp_path: Path) -> None:
    units = [unit(organisation_id=1), unit(TEAM, "工人先锋号", organisation_id=1, team="数控车间一班"),
             unit("宁波某某有限公司", "五一劳动奖状", source_ref="holdings:7")]
    install(monkeypatch, units, template="honour")  # the source's default is a person's template
    out = tmp_path / "奖状.pdf"
    code, data = run_cli(capsys, db, "--source", KEY, "--out", str(out))
    assert code == 0 and data["pages"] == 3
    assert [s.split("-")[2] for s in data["serials"]] == [CODE] * 3
    pages = pdf_pages(out)
    for page, record, serial in zip(pages, units, data["serials"], strict=True):
        assert page[0] == "奖状"
        assert f"{record['name']}：" in page, page  # the unit whole, on its own line
        text = "".join(page)
        assert "同志" not in text and record["award"] in text and "特发此状" in text
        assert "二〇二六年四月二十日" in page and f"证书编号：{serial}" in page
        assert not typeset_problems(page) and not no_english(page), page
    assert "被授予“工人先锋号”称号" in "".join(pages[1]) and "被授予五一劳动奖状" in "".join(pages[2])
    assert [(r.template, r.name, r.unit, r.worker_id, r.id_number) for r in rows(db)] == [
        ("citation", UNIT, UNIT, None, None), ("citation", TEAM, TEAM, None, None),
        ("citation", "宁波某某有限公司", "宁波某某有限公司", None, None)]


def test_the_plaque_grants_the_title_on_its_own_line(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str], db: Path,
                                                     tmp_path: Path) -> None:
    install(monkeypatch, [unit(organisation_id=3), unit("宁波某某有限公司", "五一劳动奖状", organisation_id=4)])
    out = tmp_path / "牌匾.pdf"
    code, data = run_cli(capsys, db, "--source", KEY, "--template", "plaque", "--out", str(out))
    assert code == 0 and data["pages"] == 2
    first, second = pdf_pages(out)
    assert first[:3] == ["授予：", UNIT, "“四星级规范活力工会”称号"]
    assert second[:3] == ["授予：", "宁波某某有限公司", "五一劳动奖状"]
    for page in (first, second):
        assert "同志" not in "".join(page) and "二〇二六年四月二十日" in page
        assert not typeset_problems(page) and not no_english(page), page
    assert {r.template for r in rows(db)} == {"plaque"}


@pytest.mark.parametrize("key", ["citation", "plaque"])
def test_a_very_long_unit_name_shrinks_and_stays_whole(key: str, tmp_path: Path, fontset: Any) -> None:
    from reports.certificates.render import Job, render_certificates

    t = builtin_templates()[key]
    record = {**unit(LONG_UNIT), "issuer": "宁海县总工会", "serial": "UD-2026-JT-00001"}
    job = Job(t, fontset)
    fitter = next(ft for ft in job.fitters if ft.field.key == "name")
    placed = job.place(fitter, record)
    assert placed.lines == 1 and not placed.cut and placed.size < fitter.field.size
    out = tmp_path / f"{key}.pdf"
    render_certificates(t, [record], out, fonts=fontset)
    [page] = pdf_pages(out)
    assert any(LONG_UNIT in line for line in page), page
    assert not typeset_problems(page)


# -- the register ------------------------------------------------------------------------------------


def assign(app: App, records: list[dict[str, Any]], template: str = "citation") -> list[str]:
    with app.db.session() as s:
        return [c.serial for _r, c, _n in certs.assign(s, records, template, app.settings, ring=app.keys)]


def test_a_unit_keeps_its_serial_by_organisation_reference_or_name(app_ctx: App,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    install(monkeypatch, [])
    made = [cs.normalise(r, KEY) for r in (unit(organisation_id=5), unit(TEAM, "工人先锋号", organisation_id=5,
                                                                               team="数控车间一班"),
                                            unit("宁波某某有限公司", source_ref="holdings:9"), unit("宁海县某某合作社"))]
    first = assign(app_ctx, made)
    assert len(set(first)) == 4 and all(f"-{CODE}-" in s for s in first)
    # the same units, the same awards: reprinted, even renamed (the organisation or reference recognises them)
    again = [cs.normalise(r, KEY) for r in (unit("宁波某某股份有限公司工会", organisation_id=5),
                                            unit(TEAM, "工人先锋号", organisation_id=5, team="数控车间一班"),
                                            unit("宁波某某有限公司（新名）", source_ref="holdings:9"),
                                            unit("宁海县某某合作社"))]
    assert assign(app_ctx, again) == first
    assert assign(app_ctx, [cs.normalise(unit(organisation_id=5, award="五星级示范工会"), KEY)]) != first[:1]
    assert assign(app_ctx, [cs.normalise(unit(organisation_id=6), KEY)]) != first[:1]  # another organisation
    with app_ctx.db.session() as s:
        found = {c.serial: c for c in s.execute(select(Certificate)).scalars()}
        assert found[first[0]].source_ref == "organisations:5" and found[first[1]].source_ref == "organisations:5:数控车间一班"
        assert found[first[2]].source_ref == "holdings:9" and found[first[3]].source_ref is None
        assert all(c.worker_id is None and c.id_number is None for c in found.values())
        listed = register.list_certificates(s, register.RegisterFilter(text="合作社"))
    assert [r["name"] for r in listed] == ["宁海县某某合作社"]


def test_a_unit_never_matches_a_person_of_the_same_name(app_ctx: App) -> None:
    [mine] = assign(app_ctx, [{"name": "一班", "award": "工人先锋号", "programme": "general"}], "honour")
    assert assign(app_ctx, [cs.normalise(unit("一班", "工人先锋号"), "general")]) != [mine]


def test_a_long_name_is_kept_whole_in_the_register_and_reprinted_whole(app_ctx: App, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    install(monkeypatch, [])
    record = cs.normalise(unit(LONG_UNIT, organisation_id=8), KEY)
    issued = certs.issue_and_render(app_ctx, "citation", [record], tmp_path / "a.pdf")
    with app_ctx.db.session() as s:
        row = s.execute(select(Certificate)).scalar_one()
        assert row.name == LONG_UNIT[:recipients.NAME_MAX] and row.unit == LONG_UNIT
        cert_id = row.id
    assert issued.serials == [row.serial]
    out = tmp_path / "补打.pdf"
    done = register.reprint(app_ctx, [cert_id], out)
    assert done.value.reprinted == 1 and done.value.serials == issued.serials
    [page] = pdf_pages(out)
    assert f"{LONG_UNIT}：" in page and "同志" not in "".join(page)


def test_units_get_a_verification_code_and_qr_that_verify(app_ctx: App, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.certificates.pdfread import read_qr, render_gray

    install(monkeypatch, [])
    with app_ctx.db.session() as s:
        app_settings.save(s, {"certificate_verify": 1})
    app_ctx.reload_settings()
    out = tmp_path / "奖状.pdf"
    issued = certs.issue_and_render(app_ctx, "plaque", [cs.normalise(unit(organisation_id=2), KEY)], out)
    if issued.unsigned:
        pytest.skip("the key ring of this database is locked")
    [page] = pdf_pages(out)
    code = next(line.split("：", 1)[1] for line in page if line.startswith("校验码："))
    assert code.startswith(issued.serials[0] + ".")
    [qr] = read_qr(render_gray(out))
    with app_ctx.db.session() as s:
        assert register.verify(s, code).ok and register.verify(s, qr.text).ok
        assert register.verify(s, code).certificate["name"] == UNIT  # type: ignore[index]


# -- a batch of people and units ---------------------------------------------------------------------


def test_a_batch_of_people_and_units_prints_each_on_its_kind(monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str], db: Path,
                                                             tmp_path: Path) -> None:
    records = [person("王素兰", id_number="330226199001010011"), unit(organisation_id=1), person("张三"),
               unit(TEAM, "工人先锋号", organisation_id=1, team="数控车间一班")]
    install(monkeypatch, records)
    out = tmp_path / "混合.pdf"
    code, data = run_cli(capsys, db, "--source", KEY, "--out", str(out))
    assert code == 0 and data["pages"] == 4
    pages = pdf_pages(out)
    assert [p[0] for p in pages] == ["荣誉证书", "奖状", "荣誉证书", "奖状"]
    assert "王素兰同志：" in pages[0] and "张三同志：" in pages[2]
    assert f"{UNIT}：" in pages[1] and f"{TEAM}：" in pages[3]
    assert not any("同志" in "".join(pages[i]) for i in (1, 3))
    assert all(not typeset_problems(p) and not no_english(p) for p in pages)
    assert [r.template for r in rows(db)] == ["honour", "citation", "honour", "citation"]

    # --template picks the look of its own kind; the others keep the source's template of theirs
    again = tmp_path / "再印.pdf"
    code, data = run_cli(capsys, db, "--source", KEY, "--template", "plaque", "--out", str(again))
    assert code == 0 and data["pages"] == 4
    pages = pdf_pages(again)
    assert [p[0] for p in pages] == ["荣誉证书", "授予：", "荣誉证书", "授予："]
    code, data = run_cli(capsys, db, "--source", KEY, "--template", "merit", "--out", str(again))
    assert code == 0 and [p[0] for p in pdf_pages(again)] == ["奖状", "奖状", "奖状", "奖状"]
    merit = pdf_pages(again)
    assert "王素兰同志：" in merit[0] and f"{UNIT}：" in merit[1] and "特发此状" in "".join(merit[1])
    assert len(rows(db)) == 4  # reprints, the same serials


def test_the_plan_and_the_default_template_of_a_selection(monkeypatch: pytest.MonkeyPatch) -> None:
    install(monkeypatch, [], template="award", collective_template="plaque")
    found = certs.templates()
    people, units = person("张三", programme=KEY), unit(programme=KEY)
    got = recipients.plan(("honour", found["honour"]), [people, units], found)
    assert [k for k, _t in got] == ["honour", "plaque"]  # the source's template for units
    got = recipients.plan(("citation", found["citation"]), [people, units, unit(programme="general")], found)
    assert [k for k, _t in got] == ["award", "citation", "citation"]  # the source's template for people
    only_units = cs.Selection(KEY, "x", [units], [], "award", "plaque")
    assert only_units.default_template() == "plaque"
    assert cs.Selection(KEY, "x", [people, units], [], "award", "plaque").default_template() == "award"
    assert cs.Selection(KEY, "x", template="award").default_template() == "award"  # an empty list
