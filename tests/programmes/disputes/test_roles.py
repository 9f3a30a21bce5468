"""Sensitive fields (工伤情况, 健康状况, 月收入) by role: written and read only with the sensitive-information
permission; 「（受保护）」 in the queries, the detail and the ledger (PDF and xlsx) for a 经办人 without it
and for a 只读 account; a 只读 account writes nothing; the SQLite file holds ciphertext and the audit
log never the clear text; whole ID numbers on the 调解协议书 only through the permission, logged."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import openpyxl
import pytest

from db.protected import PROTECTED_TEXT
from desktop import protected_fields, registry
from desktop.accounts.roles import ADMIN, CLERK, READONLY, PermissionDenied, SignedIn
from desktop.context import App
from desktop.keys import KeyRing
from desktop.programmes.disputes import queries, service
from desktop.report_runner import write_report
from tests.programmes.disputes import ago, mediated, open_one
from tests.support import valid_id

KEY = bytes(range(32))
INJURY, HEALTH, INCOME = "左手食指粉碎性骨折，住院十二天", "伤后焦虑，需心理疏导", "月均6800元"
ID = valid_id(seq=7)


def _json(stored: str | None) -> str:
    """A JSON column as text with its Chinese unescaped (so a clear value would show)."""
    return json.dumps(json.loads(stored), ensure_ascii=False) if stored else ""


def sign_in(app: App, role: str, sensitive: bool) -> None:
    app.has_accounts = True
    app.user = SignedIn(1, "wang", "王晓燕", role, sensitive=sensitive)
    app.keys = KeyRing(field=KEY)
    protected_fields.apply(app)


@pytest.fixture
def case(app_ctx: App) -> int:
    """A mediated dispute whose sensitive fields an administrator with the permission filled in."""
    sign_in(app_ctx, ADMIN, True)
    did = mediated(app_ctx, workers=[{"name": "张三", "phone": "13812345678", "id_number": ID}])
    service.save_dispute(app_ctx, did, {"injury": INJURY, "health": HEALTH, "income": INCOME,
                                        "terms": "被申请人支付医疗费8000元", "agreed_amount": "8000"})
    return did


def secrets_shown(app: App, did: int) -> tuple[object, ...]:
    v = queries.dispute(app, did).values
    return v["injury"], v["health"], v["income"]


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (poppler-utils)")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def ledger(app: App, tmp: Path) -> tuple[str, str]:
    spec = registry.report("disputes.ledger")
    write_report(app, spec, {"year": ago(40).year}, tmp / "ledger.pdf")
    write_report(app, spec, {"year": ago(40).year}, tmp / "ledger.xlsx")
    ws = openpyxl.load_workbook(tmp / "ledger.xlsx").active
    cells = "\n".join("|".join("" if c is None else str(c) for c in row) for row in ws.iter_rows(values_only=True))
    return pdf_text(tmp / "ledger.pdf"), cells


@pytest.mark.parametrize("role", [ADMIN, CLERK])
def test_the_permission_writes_and_reads(app_ctx: App, role: str) -> None:
    sign_in(app_ctx, role, True)
    did = open_one(app_ctx, injury=INJURY)
    service.save_dispute(app_ctx, did, {"health": HEALTH, "income": INCOME})
    d = queries.dispute(app_ctx, did)
    assert d.sensitive_open and secrets_shown(app_ctx, did) == (INJURY, HEALTH, INCOME)
    service.save_dispute(app_ctx, did, {"health": ""})  # with the permission an empty field clears it
    assert secrets_shown(app_ctx, did) == (INJURY, None, INCOME)


@pytest.mark.parametrize("role", [CLERK, READONLY])
def test_without_the_permission_the_fields_are_protected(app_ctx: App, case: int, role: str, tmp_path: Path) -> None:
    sign_in(app_ctx, role, False)
    d = queries.dispute(app_ctx, case)
    assert not d.sensitive_open
    assert secrets_shown(app_ctx, case) == (PROTECTED_TEXT,) * 3
    assert d.workers[0].id_number == "*" * 15 + ID[-3:]
    pdf, xlsx = ledger(app_ctx, tmp_path)
    for text in (pdf, xlsx):
        assert PROTECTED_TEXT in text and d.row.number in text
        assert INJURY not in text and HEALTH not in text and INCOME not in text


def test_the_ledger_names_the_fields_but_never_prints_them(app_ctx: App, case: int, tmp_path: Path) -> None:
    pdf, xlsx = ledger(app_ctx, tmp_path)  # the administrator with the permission
    assert "工伤情况、健康状况、月收入" in xlsx and PROTECTED_TEXT not in xlsx
    for text in (pdf, xlsx):
        assert INJURY not in text and HEALTH not in text and INCOME not in text


def test_a_clerk_without_the_permission_keeps_what_is_stored(app_ctx: App, case: int) -> None:
    sign_in(app_ctx, CLERK, False)
    shown = queries.dispute(app_ctx, case).values
    service.save_dispute(app_ctx, case, {**shown, "facts": "补充事实"})  # the form saved as shown: 「（受保护）」
    service.save_dispute(app_ctx, case, {"injury": "", "health": None})  # empty: the form could not show them
    with pytest.raises(Exception, match="「月收入」是敏感信息") as info:
        service.save_dispute(app_ctx, case, {"income": "3000元", "facts": "不应写入"})
    assert getattr(info.value, "code", "") == "sensitive_locked"
    sign_in(app_ctx, ADMIN, True)
    assert secrets_shown(app_ctx, case) == (INJURY, HEALTH, INCOME)
    assert queries.dispute(app_ctx, case).values["facts"] == "补充事实"


def test_read_only_writes_nothing(app_ctx: App, case: int) -> None:
    d = queries.dispute(app_ctx, case)
    sign_in(app_ctx, READONLY, True)  # even with the sensitive permission
    writes = [
        lambda: open_one(app_ctx),
        lambda: service.save_dispute(app_ctx, case, {"facts": "改"}),
        lambda: service.advance(app_ctx, case, "closed", ago(1), outcome="mediated"),
        lambda: service.add_party(app_ctx, case, "worker", {"name": "赵六"}),
        lambda: service.add_handler(app_ctx, case, {"name": "胡建平", "capacity": "supervisor"}),
        lambda: service.link_party(app_ctx, d.workers[0].id, worker_id=1),
        lambda: service.remove_party(app_ctx, d.workers[0].id),
        lambda: service.add_attachment(app_ctx, case, "调解笔录", ago(1).date()),
        lambda: service.remove_attachment(app_ctx, 1),
        lambda: service.delete_dispute(app_ctx, case),
    ]
    for write in writes:
        with pytest.raises(PermissionDenied, match="没有权限"):
            write()
    assert queries.dispute(app_ctx, case).values["facts"] == d.values["facts"]


def test_the_file_holds_ciphertext_and_the_audit_log_no_clear_text(app_ctx: App, case: int, db_path: Path) -> None:
    with sqlite3.connect(db_path) as raw:
        stored = raw.execute("SELECT injury, health, income FROM dp_disputes WHERE id = ?", (case,)).fetchone()
        audit = "\n".join(f"{table} {note} {_json(old)} {_json(new)}" for table, note, old, new in
                          raw.execute("SELECT table_name, note, old, new FROM audit_log"))
    assert all(str(v).startswith("v1:") for v in stored)
    for secret in (INJURY, HEALTH, INCOME):
        assert all(secret not in str(v) for v in stored)
        assert secret not in audit
    assert "dp_disputes" in audit  # the writes are in the log, their protected values masked


def test_whole_id_numbers_on_the_agreement_only_with_the_permission(app_ctx: App, case: int, tmp_path: Path,
                                                                    db_path: Path) -> None:
    spec = registry.report("disputes.agreement")
    sign_in(app_ctx, CLERK, False)
    with pytest.raises(PermissionDenied):
        write_report(app_ctx, spec, {"dispute": case}, tmp_path / "full.pdf", full=True)
    write_report(app_ctx, spec, {"dispute": case}, tmp_path / "masked.pdf")
    masked = pdf_text(tmp_path / "masked.pdf")
    assert ID not in masked and "*" * 15 + ID[-3:] in masked
    sign_in(app_ctx, CLERK, True)
    write_report(app_ctx, spec, {"dispute": case}, tmp_path / "full.pdf", full=True)
    assert ID in pdf_text(tmp_path / "full.pdf")
    with sqlite3.connect(db_path) as raw:
        logged = raw.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'print_full' AND table_name = ?",
                             ("disputes.agreement",)).fetchone()[0]
    assert logged == 1
