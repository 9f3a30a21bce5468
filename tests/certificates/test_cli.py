"""``certificates`` and ``verify`` as CLI.md describes them: output lines, --json, exit codes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.support import cli, valid_id, write_workbook

YEAR = 2026


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    rows = [
        ["序号", "姓名", "工作单位", "获奖等次", "竞赛项目", "身份证号", "日期"],
        [1, "张三", "跃龙模具", "一等奖", "焊工", valid_id(seq=1), f"{YEAR}-05-01"],   # row 3
        [2, "李四", "跃龙卫生院", "二等奖", "护理", None, f"{YEAR}-05-01"],            # row 4
        [3, "", "跃龙模具", "三等奖", "焊工", None, None],                              # row 5
        [4, "张 三", "跃龙模具", "一等奖", "焊工", valid_id(seq=1), f"{YEAR}-05-01"],  # row 6: the same person
        [5, "王小燕", "跃龙模具", "三等奖", "焊工", None, f"{YEAR}-05-01"],            # row 7
    ]
    return write_workbook(tmp_path / "获奖名单.xlsx", rows, title=f"{YEAR}年职工技能竞赛获奖名单")


def test_templates_are_listed_built_ins_first(tmp_path: Path) -> None:
    r = cli("certificates", "--templates", home=tmp_path / "home", db=tmp_path / "t.sqlite3")
    assert r.returncode == 0, r.stderr
    lines = [line.split("\t") for line in r.stdout.splitlines()]
    assert [k for k, _t in lines[:5]] == ["honour", "award", "merit", "completion", "overlay"]
    assert dict(lines)["honour"] == "荣誉证书"


def test_from_a_sheet_plain_output_and_serials(tmp_path: Path, sheet: Path) -> None:
    home, db = tmp_path / "home", tmp_path / "t.sqlite3"
    out = tmp_path / "证书.pdf"
    r = cli("certificates", "--from", str(sheet), "--out", str(out), home=home, db=db)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert lines[-1] == f"已生成 3 张证书：{out}"
    assert "第 5 行：缺少姓名" in lines
    assert any(line.startswith("第 6 行：") for line in lines)
    text = pdf_text(out)
    for n in (1, 2, 3):
        assert f"UD-{YEAR}-MD-0000{n}" in text
    assert "张三" in "".join(text.split())
    # Verify a serial: 有效, exit 0; an unknown one: 无此证书, exit 1.
    ok = cli("verify", f"UD-{YEAR}-MD-00001", home=home, db=db)
    assert (ok.returncode, ok.stdout.splitlines()[0]) == (0, "有效")
    missing = cli("verify", f"UD-{YEAR}-MD-00099", home=home, db=db)
    assert (missing.returncode, missing.stdout.strip()) == (1, "无此证书")
    bad = cli("verify", f"UD-{YEAR}-MD-00001.AAAAAA", home=home, db=db)
    assert (bad.returncode, bad.stdout.strip().splitlines()[0]) == (1, "校验码不符")


def test_json_shape_and_reprints_keep_serials(tmp_path: Path, sheet: Path) -> None:
    home, db = tmp_path / "home", tmp_path / "t.sqlite3"
    r = cli("certificates", "--from", str(sheet), "--out", str(tmp_path / "a.pdf"), "--json",
            "--offset-x", "1.5", "--offset-y", "-2", home=home, db=db)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert set(data) == {"pages", "serials", "skipped"}
    assert data["pages"] == 3 and data["serials"] == [f"UD-{YEAR}-MD-0000{n}" for n in (1, 2, 3)]
    assert data["skipped"][0] == {"row": 5, "reason": "缺少姓名"}
    assert [s["row"] for s in data["skipped"]] == [5, 6]
    again = json.loads(cli("certificates", "--from", str(sheet), "--out", str(tmp_path / "b.pdf"), "--json",
                           "--template", "award", home=home, db=db).stdout)
    assert again["serials"] == data["serials"]
    assert "\r" in r.stderr or "证书" in r.stderr  # progress on stderr


def test_verify_a_void_certificate_and_a_code(tmp_path: Path, sheet: Path) -> None:
    home, db = tmp_path / "home", tmp_path / "t.sqlite3"
    cli("certificates", "--from", str(sheet), "--out", str(tmp_path / "a.pdf"), home=home, db=db)
    from sqlalchemy import select

    from db.models.certificates import Certificate
    from desktop.certificates import register, signing
    from desktop.context import open_app

    app = open_app(str(db), daily_backup=False)
    try:
        with app.db.session() as s:
            serial = f"UD-{YEAR}-MD-00001"
            sig = s.execute(select(Certificate.signature).where(Certificate.serial == serial)).scalar_one()
            code = signing.printed_code(serial, sig)
            rows = register.list_certificates(s)
            register.void(s, next(r["id"] for r in rows if r["serial"].endswith("00002")), "错发")
    finally:
        app.close()
    valid = cli("verify", code, home=home, db=db)
    assert (valid.returncode, valid.stdout.splitlines()[0]) == (0, "有效")
    void = cli("verify", f"UD-{YEAR}-MD-00002", home=home, db=db)
    assert (void.returncode, void.stdout.splitlines()[0]) == (1, "已作废（错发）")


def test_usage_errors_exit_2_with_the_list(tmp_path: Path, sheet: Path) -> None:
    home, db = tmp_path / "home", tmp_path / "t.sqlite3"
    r = cli("certificates", "--from", str(sheet), "--out", str(tmp_path / "a.pdf"), "--template", "nope",
            home=home, db=db)
    assert r.returncode == 2 and "honour" in r.stderr and "overlay" in r.stderr
    r = cli("certificates", "--source", "nope", "--out", str(tmp_path / "a.pdf"), home=home, db=db)
    assert r.returncode == 2 and "nope" in r.stderr
    r = cli("certificates", "--from", str(sheet), home=home, db=db)  # no --out
    assert r.returncode == 2
    r = cli("certificates", "--out", str(tmp_path / "a.pdf"), home=home, db=db)  # nothing chosen
    assert r.returncode == 2
    assert not (tmp_path / "a.pdf").exists()


def test_unknown_competition_exits_1(tmp_path: Path) -> None:
    r = cli("certificates", "--competition", "999", "--out", str(tmp_path / "a.pdf"), home=tmp_path / "home",
            db=tmp_path / "t.sqlite3")
    assert r.returncode == 1 and "999" in r.stderr
    assert not (tmp_path / "a.pdf").exists()


def test_a_sheet_with_no_usable_row_exits_1(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "空.xlsx", [["姓名", "奖项"], ["", "一等奖"]])
    r = cli("certificates", "--from", str(path), "--out", str(tmp_path / "a.pdf"), "--json",
            home=tmp_path / "home", db=tmp_path / "t.sqlite3")
    assert r.returncode == 1
    assert json.loads(r.stdout) == {"pages": 0, "serials": [], "skipped": [{"row": 2, "reason": "缺少姓名"}]}
    assert not (tmp_path / "a.pdf").exists()


def competition(db: Path) -> int:
    """A ranked competition with three prize-winners (2026), written as the tab would."""
    from desktop.context import open_app
    from desktop.programmes.competitions import service
    from desktop.programmes.core import registers

    app = open_app(str(db), daily_backup=False)
    try:
        with app.db.session() as s:
            org = registers.save(s, "organisations", None, {"name": "宁海县跃龙模具有限公司"})
            people = [registers.save(s, "workers", None, {"name": n, "id_number": valid_id(seq=i + 1),
                                                           "employer_id": org})
                      for i, n in enumerate(("张三", "李四", "王五", "赵六"))]
            cid = service.save_competition(s, None, {"title": "2026年跃龙街道职工职业技能竞赛", "kind": "individual",
                                                      "end_date": "2026-05-20"})
            eid = service.save_event(s, cid, None, {"trade": "焊工", "judges": 1})
            service.set_prize_tiers(s, eid, "count", (1, 1, 1, 0), (0, 0, 0, 0))
            for w, (theory, practical) in zip(people, ((90, 90), (80, 80), (70, 70), (60, 60)), strict=True):
                entry = service.register_worker(s, eid, w)
                service.set_score(s, entry, "theory", 1, theory)
                service.set_score(s, entry, "practical", 1, practical)
        return cid
    finally:
        app.close()


def test_competition_and_source_print_the_winners(tmp_path: Path) -> None:
    home, db = tmp_path / "home", tmp_path / "t.sqlite3"
    cid = competition(db)
    r = cli("certificates", "--competition", str(cid), "--out", str(tmp_path / "c.pdf"), "--json", home=home, db=db)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data == {"pages": 3, "serials": [f"UD-{YEAR}-JS-0000{n}" for n in (1, 2, 3)], "skipped": []}
    text = "".join(pdf_text(tmp_path / "c.pdf").split())
    assert all(name in text for name in ("张三", "李四", "王五")) and "赵六" not in text
    r = cli("certificates", "--source", "competitions", "--year", str(YEAR), "--out", str(tmp_path / "s.pdf"),
            home=home, db=db)
    assert r.returncode == 0 and r.stdout.strip().splitlines()[-1] == f"已生成 3 张证书：{tmp_path / 's.pdf'}"
    assert "按原编号补打" in r.stdout  # the same winners: the same serials
    r = cli("certificates", "--source", "competitions", "--year", "2001", "--out", str(tmp_path / "n.pdf"),
            home=home, db=db)
    assert r.returncode == 1 and not (tmp_path / "n.pdf").exists()


def test_the_verification_code_goes_to_the_renderer(app_ctx: object, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop import settings as app_settings
    from desktop.certificates import issuing as certs
    from reports.certificates import render

    app: Any = app_ctx
    seen: list[dict[str, Any]] = []
    real = render.render_certificates

    def spy(template: Any, records: Any, path: Any, **kw: Any) -> int:
        seen.extend(dict(r) for r in records)
        return real(template, records, path, **kw)

    monkeypatch.setattr(render, "render_certificates", spy)
    person = {"name": "张三", "unit": "甲厂", "award": "一等奖", "event": "焊工", "programme": "general",
              "id_number": valid_id(seq=3), "worker_id": None}
    certs.issue_and_render(app, "honour", [person], tmp_path / "a.pdf")
    assert "verify" not in seen[-1]  # off by default
    assert "id_number" not in seen[-1]  # never printed
    with app.db.session() as s:
        app_settings.save(s, {"certificate_verify": 1})
    app.reload_settings()
    certs.issue_and_render(app, "honour", [person], tmp_path / "b.pdf")
    from sqlalchemy import select

    from db.models.certificates import Certificate
    from desktop.certificates import signing

    with app.db.session() as s:
        sig = s.execute(select(Certificate.signature).where(Certificate.serial == seen[-1]["serial"])).scalar_one()
    assert "verify_qr" not in seen[-2]
    assert seen[-1]["verify"] == signing.printed_code(seen[-1]["serial"], sig)
    assert seen[-1]["verify_qr"] == signing.qr_payload(seen[-1]["serial"], sig)
    assert seen[-1]["issuer"] == "" and seen[-1]["date"] is not None


def test_a_font_chosen_in_settings_but_missing_here_is_said_once(tmp_path: Path, sheet: Path) -> None:
    from desktop import fonts
    from desktop.context import open_app

    home, db = tmp_path / "home", tmp_path / "t.sqlite3"
    app = open_app(str(db), daily_backup=False)
    try:
        fonts.save(app, {"name": "方正小标宋简体-本机没有"})  # chosen on another seat of the office
    finally:
        app.close()
    r = cli("certificates", "--from", str(sheet), "--out", str(tmp_path / "证书.pdf"), home=home, db=db)
    assert r.returncode == 0, r.stderr
    said = [line for line in r.stderr.splitlines() if "本机没有设置中选定的字体" in line]
    assert len(said) == 1 and "姓名“方正小标宋简体-本机没有”" in said[0]
