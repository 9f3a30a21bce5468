"""The issue register: serials and counters, reprints, voids, verification, spreadsheets, cancel."""

from __future__ import annotations

import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from db.errors import ValidationError
from db.models.certificates import Certificate
from db.models.system import AuditEntry, Setting
from desktop import settings as app_settings
from desktop.certificates import issuing as certs
from desktop.certificates import register, signing
from desktop.certificates.sources import from_spreadsheet
from desktop.context import App, open_app
from desktop.jobs import Cancelled
from tests.support import valid_id, write_workbook


def person(name: str, award: str = "一等奖", event: str = "焊工", unit: str = "跃龙模具", **extra: Any) -> dict[str, Any]:
    return {"name": name, "unit": unit, "award": award, "event": event, "programme": "competitions", **extra}


def issue(app: App, records: list[dict[str, Any]], template: str = "honour") -> list[str]:
    with app.db.session() as s:
        return [c.serial for _r, c, _n in certs.assign(s, records, template, app.settings, ring=app.keys)]


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def count(app: App) -> int:
    with app.db.session() as s:
        return int(s.execute(select(func.count(Certificate.id))).scalar() or 0)


# -- serials ----------------------------------------------------------------------------------


def test_serial_format_and_counters_per_prefix_year_and_programme(app_ctx: App) -> None:
    this_year = date.today().year
    first = issue(app_ctx, [person("张三"), person("李四"), person("王五", date=date(2025, 10, 20))])
    assert first == [f"UD-{this_year}-JS-00001", f"UD-{this_year}-JS-00002", "UD-2025-JS-00001"]
    general = issue(app_ctx, [person("赵六", programme="general")])
    assert general == [f"UD-{this_year}-MD-00001"]
    with app_ctx.db.session() as s:
        app_settings.save(s, {"serial_prefix": "NH"})
    app_ctx.reload_settings()
    assert issue(app_ctx, [person("钱七")]) == [f"NH-{this_year}-JS-00001"]
    assert issue(app_ctx, [person("孙八")]) == [f"NH-{this_year}-JS-00002"]
    assert certs.format_serial("UD", 2026, "competitions", 123456) == "UD-2026-JS-123456"
    with app_ctx.db.session() as s:
        row = s.execute(select(Certificate).where(Certificate.name == "王五")).scalar_one()
        assert (row.prefix, row.year, row.programme, row.code, row.counter, row.issued_on) == (
            "UD", 2025, "competitions", "JS", 1, date(2025, 10, 20))


def test_bad_prefix_setting_is_refused_and_default_is_ud(app_ctx: App) -> None:
    with app_ctx.db.session() as s, pytest.raises(ValidationError):
        app_settings.save(s, {"serial_prefix": "U-D"})
    assert certs.serial_prefix({"serial_prefix": ""}) == "UD"
    assert certs.serial_prefix({"serial_prefix": "工会"}) == "UD"


def test_same_person_same_award_and_event_keeps_the_serial(app_ctx: App) -> None:
    [serial] = issue(app_ctx, [person("张三")])
    assert issue(app_ctx, [person("张三")]) == [serial]
    # Another award or another event is another certificate.
    assert issue(app_ctx, [person("张三", award="二等奖")]) != [serial]
    assert issue(app_ctx, [person("张三", event="电工")]) != [serial]
    # Without an ID number, the same name at another employer is another person.
    assert issue(app_ctx, [person("张三", unit="跃龙卫生院")]) != [serial]
    with app_ctx.db.session() as s:
        row = s.execute(select(Certificate).where(Certificate.serial == serial)).scalar_one()
        assert row.printed_count == 2
        assert row.last_printed_at is not None


def test_id_number_identifies_a_person_over_name_and_unit(app_ctx: App) -> None:
    pid = valid_id(seq=7)
    [serial] = issue(app_ctx, [person("张三", id_number=pid)])
    # The same ID with the unit written differently: the same certificate.
    assert issue(app_ctx, [person("张三", unit="宁海县跃龙模具有限公司", id_number=pid)]) == [serial]
    # Another ID with the same name and unit: another person.
    assert issue(app_ctx, [person("张三", id_number=valid_id(seq=8))]) != [serial]
    # A worker from the register with that ID: the same person again.
    assert issue(app_ctx, [person("张三", worker_id=None, id_number=pid)]) == [serial]


def test_a_repeat_within_one_batch_is_one_certificate(app_ctx: App) -> None:
    assert len(issue(app_ctx, [person("张三"), person("张三"), person("李四")])) == 2
    assert count(app_ctx) == 2


# -- void and verification --------------------------------------------------------------------


def test_void_keeps_the_record_and_a_new_print_gets_a_new_serial(app_ctx: App) -> None:
    [serial] = issue(app_ctx, [person("张三")])
    with app_ctx.db.session() as s:
        cert_id = s.execute(select(Certificate.id).where(Certificate.serial == serial)).scalar_one()
        with pytest.raises(ValidationError, match="作废原因"):
            register.void(s, cert_id, "  ")
        register.void(s, cert_id, "姓名打错，重新发证")
    with app_ctx.db.session() as s:
        row = s.get(Certificate, cert_id)
        assert row is not None and row.voided_at is not None and row.void_reason == "姓名打错，重新发证"
        with pytest.raises(ValidationError, match="已于"):
            register.void(s, cert_id, "再作废一次")
        with pytest.raises(ValidationError, match="不能补打"):
            register.reprint_records(s, [cert_id])
        actions = s.execute(select(AuditEntry.action).where(AuditEntry.table_name == "certificates",
                                                            AuditEntry.record_id == cert_id)).scalars().all()
        assert "update" in actions  # the void is audit-logged
    [again] = issue(app_ctx, [person("张三")])
    assert again != serial and again.endswith("-00002")
    assert count(app_ctx) == 2


def code_of_row(app: App, serial: str) -> str:
    """The code printed beside the QR: the serial and the signature's fingerprint."""
    with app.db.session() as s:
        sig = s.execute(select(Certificate.signature).where(Certificate.serial == serial)).scalar_one()
    assert sig, f"{serial} was not signed"
    return signing.printed_code(serial, bytes(sig))


def test_verify_gives_each_of_the_four_answers(app_ctx: App) -> None:
    serials = issue(app_ctx, [person("张三"), person("李四")])
    code = code_of_row(app_ctx, serials[0])
    with app_ctx.db.session() as s:
        register.void(s, s.execute(select(Certificate.id).where(Certificate.serial == serials[1])).scalar_one(),
                      "重复发放")
    assert code.startswith(serials[0] + ".") and len(code.rpartition(".")[2]) == 8
    assert code.rpartition(".")[2].isupper() or code.rpartition(".")[2].isalnum()
    with app_ctx.db.session() as s:
        assert register.verify(s, serials[0]).message == "有效"
        assert register.verify(s, code).message == "有效"
        assert register.verify(s, " " + code.lower().replace(serials[0].lower(), serials[0]) + " ").ok
        assert register.verify(s, serials[1]).message == "已作废（重复发放）"
        assert register.verify(s, "UD-1999-MD-00001").message == "无此证书"
        assert register.verify(s, "").message == "无此证书"
        wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
        verdict = register.verify(s, wrong)
        assert (verdict.status, verdict.message, verdict.ok) == ("mismatch", "校验码不符", False)
        assert "张三" in register.verify(s, code).detail()


def test_no_verification_secret_is_kept_in_the_settings(app_ctx: App, tmp_path: Path) -> None:
    """The HMAC secret of issue 12 is gone: printing with verification on stores no key in clear."""
    with app_ctx.db.session() as s:
        app_settings.save(s, {"certificate_verify": 1})
    app_ctx.reload_settings()
    certs.issue_and_render(app_ctx, "honour", [person("张三")], tmp_path / "a.pdf")
    with app_ctx.db.session() as s:
        assert s.get(Setting, "certificate_secret") is None
        logged = " ".join(str(v) for v in s.execute(select(AuditEntry.note)).scalars())
        assert "certificate_secret" not in logged


def test_a_code_from_another_database_does_not_verify(app_ctx: App, tmp_path: Path) -> None:
    """Two databases number alike but hold their own keys: one's code is not the other's."""
    [serial] = issue(app_ctx, [person("张三")])
    code = code_of_row(app_ctx, serial)
    elsewhere = open_app(str(tmp_path / "elsewhere.sqlite3"), daily_backup=False)
    try:
        assert issue(elsewhere, [person("张三")]) == [serial]  # a fresh register numbers alike
        assert code_of_row(elsewhere, serial) != code
        with elsewhere.db.session() as s:
            assert register.verify(s, serial).ok
            assert register.verify(s, code).message == "校验码不符"
    finally:
        elsewhere.close()


# -- spreadsheets -----------------------------------------------------------------------------


def messy_sheet(tmp_path: Path) -> Path:
    rows = [
        ["序号", "姓 名", "工作单位", "获奖等次", "竞赛项目", "身份证号码", "日期"],
        [1, "张　三", "跃龙模具", "一等奖", "焊工", valid_id(seq=1), "2026-05-01"],      # row 3
        [2, "李四", "跃龙卫生院", "二等奖", "护理", None, None],                           # row 4
        [3, None, "跃龙模具", "三等奖", "焊工", None, None],                                # row 5
        [4, "张三", "跃龙模具有限公司", "一等奖", "焊工", valid_id(seq=1), "2026-05-01"],  # row 6: again
        [5, "王五", "跃龙模具", "三等奖", "焊工", None, "2026-13-01"],                     # row 7: bad date
        [6, "赵强", "跃龙模具", "优秀奖", "焊工", None, datetime(2026, 5, 1)],              # row 8
    ]
    return write_workbook(tmp_path / "获奖名单.xlsx", rows, title="2026年跃龙街道职工技能竞赛获奖名单")


def test_a_messy_sheet_maps_skips_and_keeps_one_per_person(app_ctx: App, tmp_path: Path) -> None:
    selection = from_spreadsheet(messy_sheet(tmp_path))
    assert selection.programme == "general"
    assert [r["name"] for r in selection.records] == ["张三", "李四", "赵强"]
    assert selection.skipped[0].line() == "第 5 行：缺少姓名"
    assert [s.row for s in selection.skipped] == [5, 6, 7]
    assert "第 3 行" in selection.skipped[1].reason and "日期无效" in selection.skipped[2].reason
    first = selection.records[0]
    # the sheet's title row names the competition: the event reads as one phrase (SOFT: a line may break there)
    assert (first["unit"], first["award"], first["title"], first["event"], first["date"]) == (
        "跃龙模具", "一等奖", "2026年跃龙街道职工技能竞赛", "2026年跃龙街道职工技能竞赛\u200b焊工项目", date(2026, 5, 1))
    serials = issue(app_ctx, selection.records)
    assert serials[0] == "UD-2026-MD-00001" and len(set(serials)) == 3
    # The same list again: the same serials (reprints), nothing new.
    assert issue(app_ctx, from_spreadsheet(messy_sheet(tmp_path)).records) == serials
    assert count(app_ctx) == 3


def test_a_sheet_without_a_name_column_is_refused(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "x.xlsx", [["单位", "奖项"], ["跃龙模具", "一等奖"]])
    with pytest.raises(ValidationError, match="姓名"):
        from_spreadsheet(path)


def test_csv_rows_are_numbered_as_lines(tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_text("姓名,单位,奖项,项目\n张三,甲厂,一等奖,焊工\n,乙厂,二等奖,电工\n", encoding="utf-8")
    selection = from_spreadsheet(path)
    assert [s.line() for s in selection.skipped] == ["第 3 行：缺少姓名"]


# -- the batch with the renderer --------------------------------------------------------------


def test_issue_and_render_writes_the_pdf_and_the_register(app_ctx: App, tmp_path: Path) -> None:
    out = tmp_path / "证书.pdf"
    done = certs.issue_and_render(app_ctx, "honour", [person("张三"), person("李四")], out)
    assert out.is_file() and done.pages == 2 and done.new == 2 and done.reprinted == 0
    text = pdf_text(out)
    for serial in done.serials:
        assert serial in text
    again = certs.issue_and_render(app_ctx, "honour", [person("张三")], tmp_path / "补打.pdf")
    assert again.serials == done.serials[:1] and again.reprinted == 1
    with app_ctx.db.session() as s:
        notes = s.execute(select(AuditEntry.note).where(AuditEntry.action == "print")).scalars().all()
    assert len(notes) == 2 and done.serials[0] in notes[0]


def test_cancel_leaves_no_pdf_and_no_serials(app_ctx: App, tmp_path: Path) -> None:
    out = tmp_path / "证书.pdf"
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 2

    with pytest.raises((Cancelled, Exception)) as info:
        certs.issue_and_render(app_ctx, "honour", [person(f"职工{i}") for i in range(40)], out, cancelled=cancelled)
    assert "Cancelled" in type(info.value).__name__
    assert not out.exists() and not list(tmp_path.glob("*.tmp"))
    assert count(app_ctx) == 0


def test_a_failed_print_rolls_back(app_ctx: App, tmp_path: Path) -> None:
    def broken_printer(_pdf: Path) -> None:
        raise OSError("打印机脱机")

    with pytest.raises(OSError):
        certs.issue_and_render(app_ctx, "honour", [person("张三")], None, deliver=broken_printer)
    assert count(app_ctx) == 0


def test_verification_code_is_printed_when_switched_on(app_ctx: App, tmp_path: Path) -> None:
    with app_ctx.db.session() as s:
        app_settings.save(s, {"certificate_verify": 1})
    app_ctx.reload_settings()
    out = tmp_path / "证书.pdf"
    done = certs.issue_and_render(app_ctx, "honour", [person("张三")], out)
    code = code_of_row(app_ctx, done.serials[0])
    assert code in "".join(pdf_text(out).split())
    with app_ctx.db.session() as s:
        assert register.verify(s, code).ok


def test_preview_never_gives_serials(app_ctx: App, tmp_path: Path) -> None:
    out = tmp_path / "preview.pdf"
    pages = certs.render_preview(app_ctx, "honour", [person("张三"), person("李四")], out)
    assert pages == 2 and count(app_ctx) == 0
    assert "（预览）" in pdf_text(out)


def test_register_exports_to_xlsx(app_ctx: App, tmp_path: Path) -> None:
    serials = issue(app_ctx, [person("张三"), person("李四")])
    with app_ctx.db.session() as s:
        register.void(s, s.execute(select(Certificate.id).where(Certificate.serial == serials[0])).scalar_one(),
                      "重复")
        out = tmp_path / "发证登记簿.xlsx"
        n = register.export_register(s, out, "跃龙街道总工会")
        rows = register.list_certificates(s, register.RegisterFilter(text="李四"))
        assert [r["serial"] for r in rows] == [serials[1]]
        assert len(register.list_certificates(s, register.RegisterFilter(status="void"))) == 1
    assert n == 2
    ws = load_workbook(out).active
    assert ws is not None
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert values[0][0] == "发证登记簿"
    header = next(r for r in values if r and r[1] == "证书编号")
    body = values[values.index(header) + 1:]
    assert {r[1] for r in body if r[1]} == set(serials)
    assert any(r[header.index("状态")] == "已作废" and r[header.index("作废原因")] == "重复" for r in body)



# -- the migration, and PostgreSQL ------------------------------------------------------------


def test_migration_0003_up_and_down_on_sqlite(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from db import migrate
    from db.database import Database, sqlite_url

    database = Database(sqlite_url(tmp_path / "m.sqlite3"))
    try:
        migrate.upgrade(database.engine, "0003")
        with database.engine.connect() as conn:
            assert "certificates" in inspect(conn).get_table_names()
            uniques = {u["name"] for u in inspect(conn).get_unique_constraints("certificates")}
            assert {"uq_certificates_serial", "uq_certificates_counter"} <= uniques
        with database.engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), "0002")
        with database.engine.connect() as conn:
            assert "certificates" not in inspect(conn).get_table_names()
    finally:
        database.dispose()


@pytest.mark.postgres
def test_the_register_on_postgres(pg_url: str, tmp_path: Path) -> None:
    app = open_app(pg_url, daily_backup=False)
    try:
        serials = issue(app, [person("张三"), person("李四", programme="general")])
        assert issue(app, [person("张三")]) == serials[:1]
        code = code_of_row(app, serials[0])
        with app.db.session() as s:
            register.void(s, s.execute(select(Certificate.id).where(Certificate.serial == serials[1])).scalar_one(),
                          "重复")
        with app.db.session() as s:
            assert register.verify(s, code).ok
            assert register.verify(s, serials[1].lower()).message == "已作废（重复）"
            assert len(register.list_certificates(s, register.RegisterFilter(text="ud-"))) == 2
        done = certs.issue_and_render(app, "honour", [person("王五")], tmp_path / "pg.pdf")
        assert done.pages == 1 and done.serials[0].endswith("-00002")
    finally:
        app.close()


def test_a_serial_taken_by_another_seat_meanwhile_is_retried(app_ctx: App, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    issue(app_ctx, [person("张三")])
    real = certs.next_counter
    stale = {"left": 1}

    def next_counter(session: Any, *key: Any) -> int:
        if stale["left"]:  # what this seat read before the other one committed
            stale["left"] -= 1
            return 1
        return real(session, *key)

    monkeypatch.setattr(certs, "next_counter", next_counter)
    done = certs.issue_and_render(app_ctx, "honour", [person("李四")], tmp_path / "a.pdf")
    assert done.serials[0].endswith("-00002") and count(app_ctx) == 2


def test_the_seal_image_travels_with_the_database(app_ctx: App, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The seal is stored in the database: a backup restored on a new computer still prints it."""
    from PIL import Image

    seal = tmp_path / "公章.png"
    Image.new("RGBA", (120, 120), (200, 20, 20, 200)).save(seal)
    with app_ctx.db.session() as s:
        for bad, message in ((tmp_path / "没有.png", "找不到"), (Path(__file__), "PNG 或 JPG")):
            with pytest.raises(ValidationError, match=message):
                app_settings.save(s, {"seal_image": str(bad)})
    with app_ctx.db.session() as s:
        app_settings.save(s, {"seal_image": str(seal)})
    copy = app_ctx.backup("manual", dest=tmp_path / "usb")  # 数据 → 备份到文件夹或 U 盘
    original = seal.read_bytes()
    seal.unlink()  # the old computer's file is gone

    monkeypatch.setenv("UNIONDESK_HOME", str(tmp_path / "new-pc"))
    moved = open_app(str(copy))
    try:
        assert moved.settings["seal_image"] == str(seal)  # the path as chosen, shown in 设置
        found = certs.seal_file(moved)
        assert found is not None and Path(found).read_bytes() == original
        assert Path(found).is_relative_to(tmp_path / "new-pc")
        out = tmp_path / "sealed.pdf"
        certs.issue_and_render(moved, "honour", [person("张三")], out)
        images = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True)
        assert "image" in images.stdout
        with moved.db.session() as s:
            app_settings.save(s, {"seal_image": ""})
        assert certs.seal_file(moved) is None
    finally:
        moved.close()
