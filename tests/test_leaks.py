"""No whole ID or phone number in messages, logs or the audit log; full exports audited first (issue 10).

Whole numbers are found with the shapes the log filter masks: an 18-character ID (or the old
15 digits) and a mobile number standing alone.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.exc import IntegrityError

from db import migrate
from db.errors import DatabaseProblem
from db.models.core.registers import Worker
from db.models.system import AuditEntry
from db.privacy import mask_numbers
from desktop import logs
from desktop.context import App, open_app
from tests.support import ROOT, cli, valid_id, write_workbook

WHOLE_ID = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9Xx])")
WHOLE_PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
SQL = re.compile(r"\b(INSERT INTO|UPDATE \w+ SET|SELECT .* FROM|VALUES \()|\[parameters|sqlalche\.me", re.I)

ID_A = valid_id(area="330226", birth="19850203", seq=17)
ID_B = valid_id(area="330226", birth="19920715", seq=41, male=False)
PHONE_A, PHONE_B = "13905741234", "15858886666"


def whole_numbers(text_: str) -> list[str]:
    return WHOLE_ID.findall(text_) + WHOLE_PHONE.findall(text_)


@pytest.fixture
def masked_log(tmp_path: Path) -> Iterator[Path]:
    """The root logger writing through the app's masking handler into a file of its own."""
    path = tmp_path / "test.log"
    handler = logs.make_handler(logs.SafeFileHandler(path, encoding="utf-8"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()


@pytest.fixture
def cli_logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``cli.run`` in this process sets up logging; undo it afterwards."""
    root = logging.getLogger()
    before = list(root.handlers)
    monkeypatch.setattr(logs, "_configured", False)
    yield
    for h in root.handlers[:]:
        if h not in before:
            root.removeHandler(h)
            h.close()


# ------------------------------------------------------------------ mask_numbers and the log filter


def test_mask_numbers_shapes() -> None:
    assert mask_numbers(f"证号 {ID_A}，电话 {PHONE_A}") == f"证号 {'*' * 15}{ID_A[-3:]}，电话 139****1234"
    assert mask_numbers("110105491231002") == "************002"  # the old 15 digits
    assert mask_numbers("33022619900101123X") == "***************23X"
    assert mask_numbers("+8613905741234") == "+86139****1234"
    # Not personal numbers: longer or shorter runs, dates, counts
    for keep in ("12345678901234567890", "2026-12-06 00:04:14,350", "导入 3000 条", "0574-65551234"):
        assert mask_numbers(keep) == keep


def test_log_filter_masks_message_args_and_traceback(masked_log: Path) -> None:
    log = logging.getLogger("tests.leaks")
    log.warning("worker %s phone %s", ID_A, PHONE_A)
    log.info(f"f-string {ID_B} / {PHONE_B}")
    try:
        raise ValueError(f"bad id {ID_A} and phone {PHONE_B}")
    except ValueError:
        log.exception("failed for %r", {"id_number": ID_B})
    written = masked_log.read_text(encoding="utf-8")
    assert "worker" in written and "bad id" in written and "Traceback" in written
    assert whole_numbers(written) == [], written
    assert f"***************{ID_A[-3:]}" in written and "139****1234" in written


def test_log_of_a_database_error_has_no_sql_or_parameters(masked_log: Path) -> None:
    exc = IntegrityError(
        "INSERT INTO workers (name, id_number, phone) VALUES (?, ?, ?)", ("张三", ID_A, PHONE_A),
        sqlite3.IntegrityError("UNIQUE constraint failed: workers.id_number"),
    )
    try:
        raise exc
    except IntegrityError:
        logging.getLogger("tests.leaks").exception("import failed")
    logging.getLogger("tests.leaks").warning(f"formatted by hand: {exc}")  # what a careless caller does
    logging.getLogger("tests.leaks").warning("passed as an argument: %s", exc)
    written = masked_log.read_text(encoding="utf-8")
    assert "UNIQUE constraint failed: workers.id_number" in written  # the cause is still there
    assert not SQL.search(written), written
    assert whole_numbers(written) == []


def test_logging_error_on_a_full_disk_is_silent(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    handler = logs.make_handler(logs.SafeFileHandler("/dev/full", encoding="utf-8"))
    log = logging.getLogger("tests.leaks.full")
    log.addHandler(handler)
    log.propagate = False
    try:
        for _ in range(3):
            log.error("磁盘已满时的日志 %s", "x" * 10_000)
    finally:
        log.removeHandler(handler)
        log.propagate = True
        handler.close()
    err = capfd.readouterr().err
    assert "--- Logging error ---" not in err and "Traceback" not in err


# ------------------------------------------------------------------ database errors


def test_unique_key_race_message_and_log_hold_no_numbers(app_ctx: App, masked_log: Path) -> None:
    """Two sessions insert the same ID number (both checked before either wrote)."""
    first, second = app_ctx.db.new_session(), app_ctx.db.new_session()
    try:
        first.add(Worker(name="张三", id_number=ID_A, phone=PHONE_A))
        second.add(Worker(name="李四", id_number=ID_A, phone=PHONE_B))
        first.commit()
    finally:
        first.close()
    second.close()
    with pytest.raises(DatabaseProblem) as info, app_ctx.db.session() as s:
        s.add(Worker(name="李四", id_number=ID_A, phone=PHONE_B))
    problem = info.value
    logging.getLogger("tests.leaks").error("save failed", exc_info=problem)
    assert problem.code == "duplicate" and "身份证号" in problem.message and "重复" in problem.message
    assert whole_numbers(problem.message) == [] and not SQL.search(problem.message)
    written = masked_log.read_text(encoding="utf-8")
    assert "UNIQUE constraint failed" in written
    assert whole_numbers(written) == [] and not SQL.search(written), written


def test_cli_prints_and_logs_a_database_error_without_sql(
    app_ctx: App, uniondesk_home: Path, cli_logging: None, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A raw IntegrityError carrying a whole ID and phone reaches the CLI's top level."""
    from desktop.cli import main as cli
    from desktop.cli import registers as cli_registers
    from desktop.paths import log_file

    def failing(_args: object) -> int:
        raise IntegrityError(
            "INSERT INTO workers (name, id_number, phone) VALUES (?, ?, ?)", ("张三", ID_A, PHONE_A),
            sqlite3.IntegrityError("UNIQUE constraint failed: workers.id_number"),
        )

    def buggy(_args: object) -> int:
        raise RuntimeError(f"unexpected with {ID_B} and {PHONE_B}")

    monkeypatch.setattr(cli_registers, "cmd_check", failing)
    assert cli.run(["check"]) == cli.FAILED
    out = capsys.readouterr()
    assert "身份证号" in out.err and "重复" in out.err
    monkeypatch.setattr(cli_registers, "cmd_check", buggy)
    assert cli.run(["check"]) == cli.FAILED
    out2 = capsys.readouterr()
    assert "发生意外错误" in out2.err
    for h in logging.getLogger().handlers:
        h.flush()
    written = log_file().read_text(encoding="utf-8")
    assert "command check failed" in written
    for where in (out.err, out.out, out2.err, written):
        assert whole_numbers(where) == [] and not SQL.search(where), where


@pytest.mark.postgres
def test_postgres_value_too_long_is_chinese_without_sql(pg_url: str, masked_log: Path) -> None:
    app = open_app(pg_url, daily_backup=False)
    try:
        with pytest.raises(DatabaseProblem) as info, app.db.session() as s:
            s.add(Worker(name="张三", id_number=ID_A, phone=PHONE_A, trade="数控铣工" * 1250))
        logging.getLogger("tests.leaks").error("save failed", exc_info=info.value)
        problem = info.value
        assert problem.code == "too_long" and "工种" in problem.message and "40" in problem.message
        assert whole_numbers(problem.message) == [] and not SQL.search(problem.message)
        # The importer's batched INSERT ... RETURNING (insertmanyvalues): the column is still named.
        rows = [{"name": "王五", "id_number": ID_B, "phone": PHONE_B, "trade": "钳工"},
                {"name": "赵六", "id_number": valid_id(seq=90), "phone": None, "trade": "钳" * 5000}]
        with pytest.raises(DatabaseProblem) as bulk, app.db.session() as s:
            s.connection().execute(insert(Worker.__table__).returning(Worker.id), rows)
        assert bulk.value.code == "too_long" and "工种" in bulk.value.message
        assert whole_numbers(bulk.value.message) == []
        # A unique-key race on PostgreSQL: the driver's DETAIL holds the value; it never shows.
        with app.db.session() as s:
            s.add(Worker(name="张三", id_number=ID_A, phone=PHONE_A))
        with pytest.raises(DatabaseProblem) as dup, app.db.session() as s:
            s.add(Worker(name="李四", id_number=ID_A, phone=PHONE_B))
        logging.getLogger("tests.leaks").error("save failed", exc_info=dup.value)
        assert dup.value.code == "duplicate" and "身份证号" in dup.value.message
        assert whole_numbers(dup.value.message) == []
    finally:
        app.close()
    written = masked_log.read_text(encoding="utf-8")
    assert "value too long" in written
    assert whole_numbers(written) == [] and not SQL.search(written), written


def test_disk_io_error_on_a_full_folder_is_disk_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real full disk often reaches SQLite as 'disk I/O error' (the -wal cannot grow)."""
    import db.error_messages as dbmod
    from db.database import translate

    monkeypatch.setattr(dbmod, "_SQLITE_FOLDERS", {tmp_path})
    io_error = sqlite3.OperationalError("disk I/O error")
    monkeypatch.setattr(dbmod, "DISK_FULL_MARGIN", 0)
    problem = translate(io_error)
    assert problem is not None and problem.code == "io_error" and "本次操作未写入任何数据" in problem.message
    monkeypatch.setattr(dbmod, "DISK_FULL_MARGIN", 1 << 62)
    problem = translate(io_error)
    assert problem is not None and problem.code == "disk_full" and "磁盘空间已满" in problem.message
    enospc = OSError(28, "No space left on device")
    assert (translate(enospc) or DatabaseProblem("", "")).code == "disk_full"


_CAPPED_CLI = """
import sys
from sqlalchemy import event
from sqlalchemy.pool import Pool

@event.listens_for(Pool, "connect")
def _cap(dbapi_conn, _record):
    pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
    dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 1}")

from desktop.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def test_disk_full_cli_message_and_no_logging_error(demo_app: App, uniondesk_home: Path, tmp_path: Path) -> None:
    """The database cannot grow (max_page_count) and the log file is /dev/full: the clerk
    sees the Chinese disk-full message, never an English SQLAlchemy message nor a
    ``--- Logging error ---`` traceback."""
    import os
    import subprocess

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    log = uniondesk_home / "logs" / "uniondesk.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.unlink(missing_ok=True)
    log.symlink_to("/dev/full")
    rows = [["姓名", "身份证号", "手机号码"]]
    rows += [[f"张{'甲乙丙丁戊己庚辛壬癸'[i % 10]}{'甲乙丙丁戊己庚辛壬癸'[i // 10 % 10]}",
              valid_id(birth="19800101", seq=300 + i), f"1390000{i:04d}"] for i in range(300)]
    book = write_workbook(tmp_path / "new.xlsx", rows)
    env = dict(os.environ, UNIONDESK_HOME=str(uniondesk_home), UNIONDESK_NO_QSETTINGS="1", QT_QPA_PLATFORM="offscreen")
    r = subprocess.run([sys.executable, "-c", _CAPPED_CLI, "import", "workers", str(book), "--db", str(demo_app.db.path)],
                       capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=False)
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "磁盘空间已满" in r.stderr, r.stderr
    assert "--- Logging error ---" not in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert "sqlalche.me" not in r.stderr and "OperationalError" not in r.stderr


# ------------------------------------------------------------------ an import with bad rows


def _audit_text(app: App) -> str:
    with app.db.session() as s:
        rows = s.execute(select(AuditEntry.old, AuditEntry.new, AuditEntry.note)).all()
    return "\n".join(json.dumps([r.old, r.new, r.note], ensure_ascii=False) for r in rows)


def test_import_with_bad_rows_leaks_no_number(app_ctx: App, uniondesk_home: Path, tmp_path: Path) -> None:
    """Inserts, updates, sex_mismatch, id_checksum and duplicates: every message, log line and
    audit row (old, new, note) is scanned for a whole ID or phone."""
    app_ctx.close()
    db = str(app_ctx.db.path)
    header = ["姓名", "性别", "身份证号", "手机号码", "工作单位", "备注"]
    first = [
        ["张三", "男", ID_A, PHONE_A, "宁海县跃龙模具有限公司", ""],
        ["王芳", "女", ID_B, PHONE_B, "宁海县跃龙模具有限公司", f"紧急联系 {PHONE_B}"],
    ]
    r = cli("import", "workers", str(write_workbook(tmp_path / "first.xlsx", [header, *first])), home=uniondesk_home,
            db=db)
    assert r.returncode == 0, r.stderr
    bad_check = ID_A[:17] + ("0" if ID_A[-1] != "0" else "1")
    male_as_female = valid_id(birth="19770301", seq=9, male=True)
    second = [
        ["张三", "男", ID_A, "13600001111", "宁海县跃龙模具有限公司", ""],  # update: phone changes
        ["李四", "男", bad_check, "13700002222", "", ""],  # id_checksum
        ["赵敏", "女", male_as_female, "13800003333", "", ""],  # sex_mismatch
        ["钱七", "男", valid_id(birth="19880808", seq=77), "13900004444", "", ""],  # new
        ["孙八", "男", valid_id(birth="19880808", seq=77), "13900005555", "", ""],  # duplicate in the file
    ]
    book = write_workbook(tmp_path / "second.xlsx", [header, *second])
    outputs = []
    for extra in ((), ("--json",)):
        r = cli("import", "workers", str(book), "--on-duplicate", "update", *extra, home=uniondesk_home, db=db)
        assert r.returncode == 0, r.stderr
        outputs += [r.stdout, r.stderr]
    codes = {x["code"] for x in json.loads(outputs[2])["rejected"]}
    assert {"id_checksum", "sex_mismatch", "duplicate_in_file"} <= codes
    app = open_app(db, daily_backup=False)
    try:
        audit = _audit_text(app)
        with app.db.session() as s:
            phones = dict(s.execute(select(Worker.id_number, Worker.phone)).all())
    finally:
        app.close()
    assert phones[ID_A] == "13600001111"  # the update was written whole
    assert "139****1234" in audit and "136****1111" in audit
    log = (uniondesk_home / "logs" / "uniondesk.log").read_text(encoding="utf-8")
    for where, what in ((audit, "audit"), (log, "log"), *((o, "output") for o in outputs)):
        assert whole_numbers(where) == [], (what, where)


# ------------------------------------------------------------------ migration 0005


def _audit_rows_before_0005(url: str) -> None:
    engine = create_engine(url)
    try:
        migrate.upgrade(engine, "0004")
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO audit_log (clerk, os_user, action, table_name, record_id, old, new, note) "
                "VALUES (:c, :u, :a, :t, :r, :o, :n, :note)"), [
                {"c": "李会计", "u": "clerk", "a": "insert", "t": "workers", "r": 1, "o": None,
                 "n": json.dumps({"name": "张三", "id_number": ID_A, "phone": PHONE_A, "notes": f"家属 {PHONE_B}"}),
                 "note": ""},
                {"c": "李会计", "u": "clerk", "a": "update", "t": "organisations", "r": 2,
                 "o": json.dumps({"contact_phone": PHONE_B, "credit_code": "913302261234567890"}),
                 "n": json.dumps({"contact_phone": "13600001111"}), "note": ""},
                {"c": "李会计", "u": "clerk", "a": "reveal", "t": "workers", "r": 1, "o": None, "n": None,
                 "note": f"查看 {ID_B}，电话 {PHONE_A}"},
                {"c": "李会计", "u": "clerk", "a": "update", "t": "settings", "r": None,
                 "o": json.dumps({"key": "union_name", "value": "跃龙街道总工会"}),
                 "n": json.dumps({"key": "union_name", "value": "跃龙街道总工会（新）"}), "note": "union_name"},
            ])
    finally:
        engine.dispose()


def _check_masked(url: str) -> None:
    engine = create_engine(url)
    try:
        migrate.upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(select(AuditEntry.old, AuditEntry.new, AuditEntry.note).order_by(AuditEntry.id)).all()
    finally:
        engine.dispose()
    dump = "\n".join(json.dumps([r.old, r.new, r.note], ensure_ascii=False) for r in rows)
    assert whole_numbers(dump.replace("913302261234567890", "")) == [], dump
    assert rows[0].new["id_number"].endswith(ID_A[-3:]) and rows[0].new["phone"] == "139****1234"
    assert rows[0].new["name"] == "张三" and rows[0].new["notes"] == "家属 158****6666"
    assert rows[1].old == {"contact_phone": "158****6666", "credit_code": "913302261234567890"}
    assert rows[2].old is None and rows[2].note.endswith("电话 139****1234") and ID_B not in rows[2].note
    assert rows[3].new == {"key": "union_name", "value": "跃龙街道总工会（新）"}


def test_migration_0005_masks_existing_audit_rows(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    _audit_rows_before_0005(url)
    _check_masked(url)


@pytest.mark.postgres
def test_migration_0005_masks_existing_audit_rows_postgres(pg_url: str) -> None:
    _audit_rows_before_0005(pg_url)
    _check_masked(pg_url)


# ------------------------------------------------------------------ full exports: audited first


def _export_full_rows(app: App) -> list[AuditEntry]:
    with app.db.session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == "export_full")))


def test_export_full_under_a_held_lock_writes_nothing(demo_app: App, uniondesk_home: Path, tmp_path: Path) -> None:
    out = tmp_path / "full.xlsx"
    db = str(demo_app.db.path)
    other = sqlite3.connect(db, timeout=0.1, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        r = cli("export", "workers", str(out), "--full", home=uniondesk_home, db=db)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert not out.exists() and not list(tmp_path.glob("*full*"))
    assert "操作日志" in r.stderr and "未写出" in r.stderr, r.stderr
    assert _export_full_rows(demo_app) == []
    r = cli("export", "workers", str(out), "--full", home=uniondesk_home, db=db)
    assert r.returncode == 0, r.stderr
    assert out.exists()
    rows = _export_full_rows(demo_app)
    assert len(rows) == 1 and rows[0].table_name == "workers" and str(out) in rows[0].note


def test_full_report_under_a_held_lock_writes_nothing(demo_app: App, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import db.database as dbmod
    from desktop import registry
    from desktop.report_runner import write_report

    spec = next(r for r in registry.reports() if "xlsx" in r.formats and not any(p.required for p in r.params))
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 200)
    app = open_app(str(demo_app.db.path), daily_backup=False)
    out = tmp_path / "roster.xlsx"
    other = sqlite3.connect(app.db.path, timeout=0.1, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseProblem) as info:
            write_report(app, spec, {"year": 2026}, out, full=True)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert info.value.code == "audit_failed" and "未写出" in info.value.message
    assert not out.exists()
    write_report(app, spec, {"year": 2026}, out, full=True)
    assert out.exists()
    with app.db.session() as s:
        assert s.scalars(select(AuditEntry.table_name).where(AuditEntry.action == "print_full")).all() == [spec.key]
    app.close()


def test_rejected_rows_workbook_is_audited_first(app_ctx: App, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import db.database as dbmod
    from desktop.importing.rejects import write_rejected_rows

    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 200)
    app = open_app(str(app_ctx.db.path), daily_backup=False)
    rows = [(3, {"姓名": "李四", "身份证号": ID_A, "手机号码": PHONE_A})]
    out = tmp_path / "rejected.xlsx"
    other = sqlite3.connect(app.db.path, timeout=0.1, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseProblem) as info:
            write_rejected_rows(out, rows, {3: "校验码错误"}, db=app.db, table="workers")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert info.value.code == "audit_failed" and not out.exists()
    assert write_rejected_rows(out, rows, {3: "校验码错误"}, db=app.db, table="workers") == 1
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    assert ws is not None and ID_A in [c.value for c in ws[2]]  # the clerk's own value, whole
    rows_logged = _export_full_rows(app)
    assert len(rows_logged) == 1 and "被拒绝的行 1 行" in rows_logged[0].note
    assert whole_numbers(rows_logged[0].note) == []
    app.close()


def test_crash_dialog_text_has_no_sql_or_numbers() -> None:
    from ui.dialogs.crash import _summary, crash_details

    try:
        raise IntegrityError(
            "INSERT INTO workers (name, id_number, phone) VALUES (?, ?, ?)", ("张三", ID_A, PHONE_A),
            sqlite3.IntegrityError(f"UNIQUE constraint failed: workers.id_number ({ID_A})"),
        )
    except IntegrityError as exc:
        details = crash_details(type(exc), exc, exc.__traceback__)
        summary = _summary(type(exc), exc)
    assert "UNIQUE constraint failed" in details and "Traceback" in details and "UNIQUE" in summary
    for text_ in (details, summary):
        assert whole_numbers(text_) == [] and not SQL.search(text_), text_
