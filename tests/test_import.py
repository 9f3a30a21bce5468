"""Importing registers end to end through the CLI contract (row numbers, codes, JSON)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from db.models.core.registers import Organisation, Worker
from desktop.context import open_app
from tests.support import cli, valid_id, write_workbook

HEADER = ["序号", "姓 名", "性别", "公民身份号码", "工作单位", "联系电话", "政治面貌", "技能等级", "入会时间"]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("UNIONDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("UNIONDESK_NO_QSETTINGS", "1")
    monkeypatch.delenv("UNIONDESK_DATABASE_URL", raising=False)
    return tmp_path / "home"


def messy_rows() -> list[list[object]]:
    """Data rows as clerks send them; sheet rows 3.. after a title and a header row."""
    return [
        [1, "张  三", "男", valid_id(seq=1), "宁波拓锋精密机械有限公司", "138 0574 1234", "党员", "高级工", "2024.3.5"],  # row 3
        [2, "李四", "女", valid_id(seq=2, male=False), "宁波拓锋精密机械有限公司", "0574-65551234", "群众", "", 45356],
        [3, "王五", "男", int(valid_id(seq=3)[:17] + "0") if valid_id(seq=3)[-1] != "X" else 1, "", "", "", "", ""],
        [None, None, None, None, None, None, None, None, None],  # blank: skipped, not counted
        [4, "赵六", "男", 3.30281199001012e17, "浙江信安智能科技有限公司", "", "", "", ""],  # damaged by Excel
        [5, "钱七", "男", valid_id(birth="19900230", seq=5), "", "", "", "", ""],  # impossible date
        [6, "孙八", "女", valid_id(seq=6), "", "", "", "", ""],  # ID says male
        [7, "周九", "男", valid_id(seq=1), "", "", "", "", ""],  # same ID as row 3
        [8, "", "男", valid_id(seq=8), "", "", "", "", ""],  # no name
        [9, "吴", "男", valid_id(seq=9), "", "", "", "", ""],  # name too short
        [10, "郑十", "男", "", "", "", "", "", ""],  # no ID
        [11, "𠮷冬梅", "女", valid_id(area="330226", birth="19880808", seq=11, male=False).lower(), "宁海县跃龙街道社区居民委员会",
         "15888886666", "中共预备党员", "技师", datetime(2020, 5, 1)],
        [12, "古丽米拉•艾买提", "女", "１１０１０５４９１２３１００２", "", "", "", "", "2019年7月1日"],  # legacy 15 digits, full-width
    ]


def test_messy_workbook_rows_and_codes(home: Path, tmp_path: Path) -> None:
    rows = messy_rows()
    rows[2][3] = valid_id(seq=3)[:17] + ("0" if valid_id(seq=3)[-1] != "0" else "1")  # bad check digit
    path = write_workbook(tmp_path / "花名册.xlsx", [HEADER, *rows], title="2024年宁海县跃龙街道职工花名册")
    r = cli("import", "workers", str(path), "--json", home=home)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    rejected = {x["row"]: x["code"] for x in out["rejected"]}
    assert rejected == {
        5: "id_checksum", 7: "id_damaged_by_excel", 8: "id_birth_date", 9: "sex_mismatch",
        10: "duplicate_in_file", 11: "name_missing", 12: "name_length", 13: "id_missing",
    }
    dup = next(x for x in out["rejected"] if x["row"] == 10)
    assert "第 3 行" in dup["reason"]
    damaged = next(x for x in out["rejected"] if x["row"] == 7)
    assert "文本" in damaged["reason"]
    assert out["imported"] == 4 and out["skipped"] == 0 and out["created_organisations"] == 2
    warnings = {(w["row"], w["code"]) for w in out["warnings"]}
    assert (4, "phone_format") in warnings and (3, "organisation_created") in warnings
    created = next(w["reason"] for w in out["warnings"] if w["code"] == "organisation_created")
    assert "已新建" in created and "将新建" not in created

    app = open_app(None)
    with app.db.session() as s:
        people = {w.name: w for w in s.scalars(select(Worker))}
        assert set(people) == {"张三", "李四", "𠮷冬梅", "古丽米拉·艾买提"}
        assert people["张三"].phone == "13805741234" and people["张三"].political_status == "party_member"
        assert str(people["张三"].member_since) == "2024-03-05"
        assert str(people["李四"].member_since) == "2024-03-05"  # Excel serial 45356
        assert people["𠮷冬梅"].id_number.endswith(valid_id(birth="19880808", seq=11, male=False)[-1].upper())
        assert people["古丽米拉·艾买提"].id_number == "11010519491231002X"
        assert people["张三"].employer is not None and people["张三"].employer.name == "宁波拓锋精密机械有限公司"
        assert s.scalar(select(func.count()).select_from(Organisation)) == 2
    app.close()

    # Plain output: counts, then one line per rejected row.
    r = cli("import", "workers", str(path), "--dry-run", home=home)
    lines = r.stdout.strip().splitlines()
    assert lines[0].startswith("导入 0 条，更新 0 条，跳过 4 条，拒绝 8 条")
    assert any(line.startswith("第 8 行：") for line in lines[1:])


def test_dry_run_says_units_will_be_created(home: Path, tmp_path: Path) -> None:
    """--dry-run writes nothing: a unit missing from the register 将新建, it has not 已新建."""
    path = write_workbook(tmp_path / "花名册.xlsx", [HEADER, *messy_rows()[:3]])
    r = cli("import", "workers", str(path), "--dry-run", "--json", home=home)
    assert r.returncode == 0, r.stderr
    reasons = [w["reason"] for w in json.loads(r.stdout)["warnings"] if w["code"] == "organisation_created"]
    assert reasons and all("导入时将新建" in t and "已新建" not in t for t in reasons)


def test_all_rejected_exits_1_and_unreadable_file(home: Path, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "bad.xlsx", [["姓名", "身份证号"], ["张三", "123"], ["李四", "456"]])
    r = cli("import", "workers", str(path), home=home)
    assert r.returncode == 1 and "拒绝 2 条" in r.stdout
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"%PDF-1.4 not a spreadsheet")
    r = cli("import", "workers", str(junk), home=home)
    assert r.returncode == 1 and r.stderr.strip()
    r = cli("import", "people", str(path), home=home)
    assert r.returncode == 2 and "workers" in r.stderr


def test_gbk_csv_and_on_duplicate_update(home: Path, tmp_path: Path) -> None:
    text = "姓名,身份证号码,手机\r\n" + f"陈静,{valid_id(seq=20, male=False)},13900001111\r\n" + \
        f"林涛,{valid_id(seq=21)},13900002222\r\n"
    path = tmp_path / "名单.csv"
    path.write_bytes(text.encode("gbk"))
    r = cli("import", "workers", str(path), "--json", home=home)
    assert json.loads(r.stdout)["imported"] == 2
    path.write_bytes(text.replace("13900001111", "13900009999").encode("gbk"))
    r = cli("import", "workers", str(path), "--json", home=home)
    assert json.loads(r.stdout)["skipped"] == 2
    r = cli("import", "workers", str(path), "--json", "--on-duplicate", "update", home=home)
    assert json.loads(r.stdout)["updated"] == 2
    app = open_app(None)
    with app.db.session() as s:
        assert s.scalar(select(Worker.phone).where(Worker.name == "陈静")) == "13900009999"
    app.close()


def test_export_full_round_trip_reproduces_records(home: Path, tmp_path: Path) -> None:
    r = cli("demo", "--size", "150", home=home)
    assert r.returncode == 0, r.stderr
    app = open_app(None)
    with app.db.session() as s:
        w = s.scalars(select(Worker).order_by(Worker.id)).first()
        assert w is not None
        w.notes = "=1+1 不是公式"
        w.trade = "+86 特殊"
        w.card_no = "@SUM(A1)"
    app.close()
    out = tmp_path / "workers.xlsx"
    assert cli("export", "workers", str(out), "--full", home=home).returncode == 0
    masked = tmp_path / "masked.xlsx"
    assert cli("export", "workers", str(masked), home=home).returncode == 0
    ws = load_workbook(masked).active
    assert any(str(c.value).startswith("*" * 15) for row in ws.iter_rows() for c in row if c.value)

    other = tmp_path / "other.sqlite3"
    orgs = tmp_path / "orgs.xlsx"
    assert cli("export", "organisations", str(orgs), "--full", home=home).returncode == 0
    assert cli("import", "organisations", str(orgs), home=home, db=other).returncode == 0
    r = cli("import", "workers", str(out), "--json", home=home, db=other)
    result = json.loads(r.stdout)
    assert result["rejected"] == [] and result["imported"] == 150, r.stdout[:500]

    def snapshot(db_arg: str | None) -> list[tuple[object, ...]]:
        a = open_app(db_arg)
        with a.db.session() as s:
            rows = s.execute(select(Worker.name, Worker.gender, Worker.id_number, Worker.birth_date, Worker.phone,
                                    Organisation.name, Worker.trade, Worker.skill_grade, Worker.political_status,
                                    Worker.ethnicity, Worker.education, Worker.category, Worker.member_since,
                                    Worker.card_no, Worker.member_status, Worker.notes)
                             .outerjoin(Organisation, Worker.employer_id == Organisation.id)
                             .order_by(Worker.id_number)).all()
        a.close()
        return [tuple(r) for r in rows]

    assert snapshot(None) == snapshot(str(other))
    audit = open_app(None)
    from db.models.system import AuditEntry

    with audit.db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "export_full")) == 2
    audit.close()


def test_formula_cells_never_written(home: Path, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "备注"])
    cell_row = ["张三", valid_id(seq=40), "=HYPERLINK(\"http://x\")"]
    ws.append(cell_row)
    ws["C2"].data_type = "s"
    path = tmp_path / "f.xlsx"
    wb.save(path)
    assert cli("import", "workers", str(path), home=home).returncode == 0
    out = tmp_path / "out.xlsx"
    assert cli("export", "workers", str(out), home=home).returncode == 0
    sheet = load_workbook(out).active
    notes = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert notes and all(c.data_type == "s" for c in notes)


@pytest.mark.postgres
def test_import_into_postgres(pg_url: str, home: Path, tmp_path: Path) -> None:
    rows = messy_rows()
    path = write_workbook(tmp_path / "pg.xlsx", [HEADER, *rows], title="职工花名册")
    r = cli("import", "workers", str(path), "--json", home=home, db=pg_url)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["imported"] == 4 and len(out["rejected"]) == 8
    r = cli("import", "workers", str(path), "--json", home=home, db=pg_url)
    assert json.loads(r.stdout)["skipped"] == 4
