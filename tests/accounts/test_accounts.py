"""Accounts through the desktop functions: the first administrator, sign-in, lockout, roles, the
read-only account refused everywhere, the last administrator kept, audit rows naming the account."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from db.errors import DatabaseProblem, ValidationError
from db.models.accounts import Account
from db.models.core.registers import Worker
from db.models.system import AuditEntry
from desktop.accounts import service
from desktop.accounts.roles import PermissionDenied
from desktop.context import App
from tests.conftest import insert_handful

ADMIN_PW = "tiger-lily-42"
READER_PW = "reader-pass-7"
T0 = datetime(2026, 12, 6, 9, 30)


def _admin(app: App) -> None:
    service.create_account(app, "boss", "王芳", ADMIN_PW, "readonly")  # the first is an admin whatever asked


def _reader(app: App) -> int:
    service.create_account(app, "reader", "李静", READER_PW, "readonly")
    with app.db.session() as s:
        return int(s.scalar(select(Account.id).where(Account.name == "reader")))


def test_first_account_is_a_signed_in_admin_with_the_permission(app_ctx: App) -> None:
    app = app_ctx
    assert not app.has_accounts
    _admin(app)
    assert app.has_accounts and app.user is not None
    assert (app.user.name, app.user.role, app.user.sensitive) == ("boss", "admin", True)
    assert (app.db.actor.account, app.db.actor.clerk) == ("boss", "王芳")
    with app.db.session() as s:
        rows = service.list_accounts(s)
        assert service.has_accounts(s)
    assert [(r["name"], r["role_label"], r["sensitive"]) for r in rows] == [("boss", "管理员", True)]
    assert rows[0]["last_login_at"] is not None
    with app.db.session() as s:  # the password hash never reaches the log
        logged = s.scalars(select(AuditEntry).where(AuditEntry.table_name == "accounts")).all()
    assert logged and all("$argon2id$" not in str(e.new) for e in logged)
    assert any(e.account == "boss" and e.action == "update" for e in logged)  # last_login_at, signed in


def test_password_rules_in_chinese(app_ctx: App) -> None:
    with pytest.raises(ValidationError, match="至少需要 8 个字符"):
        service.create_account(app_ctx, "boss", "", "short", "admin")
    with pytest.raises(ValidationError, match="不能与登录名相同"):
        service.create_account(app_ctx, "bossbossboss", "", "BossBossBoss", "admin")
    assert not app_ctx.has_accounts


def test_five_wrong_passwords_lock_for_fifteen_minutes(app_ctx: App) -> None:
    app = app_ctx
    _admin(app)
    service.sign_out(app)
    assert app.user is None and app.db.read_only_reason == "请先登录。"
    for left in (4, 3, 2, 1):
        with pytest.raises(PermissionDenied, match=f"密码错误，还可尝试 {left} 次"):
            service.sign_in(app, "boss", "wrong-password", now=T0)
    with pytest.raises(PermissionDenied, match="账户已锁定，请于 09:45 后再试，或请管理员解锁"):
        service.sign_in(app, "boss", "wrong-password", now=T0)
    with pytest.raises(PermissionDenied, match="账户已锁定"):  # the right password does not help meanwhile
        service.sign_in(app, "boss", ADMIN_PW, now=T0 + timedelta(minutes=14))
    assert app.user is None
    user = service.sign_in(app, "boss", ADMIN_PW, now=T0 + timedelta(minutes=15, seconds=1))
    assert user.name == "boss" and app.db.read_only_reason is None
    with app.db.session() as s:
        failed = s.scalars(select(AuditEntry).where(AuditEntry.action == "login_failed")).all()
    assert len(failed) == 5
    assert all("wrong-password" not in f"{e.note}{e.old}{e.new}" for e in failed)


def test_idle_lock_password_check_counts_failures(app_ctx: App) -> None:
    app = app_ctx
    _admin(app)
    assert service.check_password(app, ADMIN_PW)
    assert not service.check_password(app, "nope-nope-1", now=T0)
    for _ in range(3):
        assert not service.check_password(app, "nope-nope-1", now=T0)
    with pytest.raises(PermissionDenied, match="账户已锁定，请于 09:45 后再试"):
        service.check_password(app, "nope-nope-1", now=T0)
    assert app.user is None  # the fifth locked the account and signed it out
    with pytest.raises(PermissionDenied, match="账户已锁定"):
        service.sign_in(app, "boss", ADMIN_PW, now=T0)


def test_read_only_account_cannot_reveal_export_print_or_write(app_ctx: App, tmp_path: Path) -> None:
    from desktop import registry, report_runner
    from desktop.importing import service as importing
    from desktop.programmes.core import registers

    app = app_ctx
    insert_handful(app)
    _admin(app)
    _reader(app)
    service.sign_in(app, "reader", READER_PW)
    assert app.db.actor.account == "reader"
    with app.db.session() as s:
        wid = int(s.scalar(select(Worker.id).limit(1)))
        count = s.scalar(select(func.count(Worker.id)))
    with pytest.raises(PermissionDenied, match="没有权限查看完整号码"):
        registers.reveal_values(app, "workers", wid, ["id_number"])
    with pytest.raises(PermissionDenied, match="没有权限导出完整证件号码"):
        report_runner.export_register_file(app, "workers", tmp_path / "full.xlsx", full=True)
    assert not (tmp_path / "full.xlsx").exists()
    spec = registry.report("workers.roster")
    with pytest.raises(PermissionDenied, match="没有权限打印完整证件号码"):
        report_runner.write_report(app, spec, {}, tmp_path / "full.pdf", full=True)
    assert not (tmp_path / "full.pdf").exists()
    assert report_runner.export_register_file(app, "workers", tmp_path / "masked.xlsx") == count  # 只读 may print masked
    with pytest.raises(DatabaseProblem, match="只读"):  # the central guard refuses any ORM write
        registers.save_record(app, "workers", wid, {"name": "改名了"})
    with pytest.raises(DatabaseProblem, match="只读"), app.db.session() as s:  # and any Core write
        s.execute(insert(Worker).values(name="插入者", id_number="x"))
    with pytest.raises(DatabaseProblem, match="只读"), app.db.engine.begin() as conn:  # and plain SQL
        conn.exec_driver_sql("DELETE FROM workers")
    with pytest.raises(PermissionDenied, match="没有权限修改设置"):
        app.save_settings({"union_name": "伪造工会"})
    with pytest.raises(PermissionDenied, match="没有权限导入数据"):
        importing.import_file(app, "workers", tmp_path / "any.xlsx")
    with pytest.raises(PermissionDenied, match="没有权限恢复数据库"):
        app.restore(tmp_path / "any.sqlite3")
    with pytest.raises(PermissionDenied, match="没有权限新建账户"):
        service.create_account(app, "intruder", "", "intruder-pw-1", "admin")
    with app.db.session() as s:
        assert s.scalar(select(func.count(Worker.id))) == count
        assert s.scalar(select(Worker.name).where(Worker.id == wid)) != "改名了"


def test_last_admin_is_kept_and_disabled_account_cannot_sign_in(app_ctx: App) -> None:
    app = app_ctx
    _admin(app)
    with app.db.session() as s:
        boss = int(s.scalar(select(Account.id).where(Account.name == "boss")))
    with pytest.raises(ValidationError, match="至少要保留一个启用的管理员账户"):
        service.set_role(app, boss, "clerk")
    with pytest.raises(ValidationError, match="至少要保留一个启用的管理员账户"):
        service.disable_account(app, boss)
    reader = _reader(app)
    service.disable_account(app, reader)
    with app.db.session() as s:
        row = next(r for r in service.list_accounts(s) if r["name"] == "reader")
    assert row["disabled_at"] is not None
    service.sign_out(app)
    with pytest.raises(PermissionDenied, match="已停用"):
        service.sign_in(app, "reader", READER_PW)
    service.sign_in(app, "boss", ADMIN_PW)
    service.create_account(app, "second", "", "second-admin-1", "admin")
    service.set_role(app, boss, "clerk")  # another enabled admin exists now
    assert app.user is not None and app.user.role == "clerk"
    with pytest.raises(PermissionDenied):
        service.unlock_account(app, reader)


def test_audit_rows_name_the_signed_in_account(app_ctx: App) -> None:
    from desktop.programmes.core import registers

    app = app_ctx
    insert_handful(app)
    _admin(app)
    service.create_account(app, "clerk1", "赵敏", "clerk-pass-1", "clerk")
    service.sign_in(app, "clerk1", "clerk-pass-1")
    with app.db.session() as s:
        wid = int(s.scalar(select(Worker.id).limit(1)))
    registers.save_record(app, "workers", wid, {"name": "新名字"})
    with app.db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.table_name == "workers", AuditEntry.record_id == wid)
                          .order_by(AuditEntry.id.desc())).first()
    assert entry is not None and (entry.account, entry.clerk) == ("clerk1", "赵敏")


def test_upgrade_asks_for_an_admin_unless_no_password_was_chosen(app_ctx: App) -> None:
    assert not service.needs_admin_setup(app_ctx)  # an empty database: the wizard asks anyway
    insert_handful(app_ctx)
    assert service.needs_admin_setup(app_ctx)
    service.choose_no_password(app_ctx)
    assert not service.needs_admin_setup(app_ctx)
    _admin(app_ctx)  # the first administrator ends the choice
    with app_ctx.db.session() as s:
        assert not service.no_password_chosen(s)


def test_sensitive_permission_needs_a_holder_and_a_reset_without_the_key_withdraws_it(app_ctx: App) -> None:
    app = app_ctx
    _admin(app)
    assert app.db.field_key is not None  # the first administrator holds the field key
    service.create_account(app, "clerk1", "", "clerk-pass-1", "clerk", sensitive=True)
    service.create_account(app, "admin2", "", "admin2-pass-1", "admin")
    with app.db.session() as s:
        ids = {r["name"]: r["id"] for r in service.list_accounts(s)}
    service.sign_in(app, "admin2", "admin2-pass-1")
    assert app.db.field_key is None and app.user is not None and not app.user.sensitive
    with pytest.raises(PermissionDenied, match="授予敏感信息权限"):
        service.set_sensitive(app, ids["admin2"], True)
    done = service.reset_password(app, ids["clerk1"], "clerk-pass-2")
    assert "失去敏感信息权限" in done.message
    with app.db.session() as s:
        rows = {r["name"]: r for r in service.list_accounts(s)}
        actions = [e.action for e in s.scalars(select(AuditEntry).where(AuditEntry.table_name == "accounts"))]
    assert not rows["clerk1"]["sensitive"]
    assert {"grant_sensitive", "withdraw_sensitive", "password_reset"} <= set(actions)
    service.sign_in(app, "boss", ADMIN_PW)
    service.set_sensitive(app, ids["clerk1"], True)
    service.sign_in(app, "clerk1", "clerk-pass-2")
    assert app.user is not None and app.user.sensitive and app.db.field_key is not None
