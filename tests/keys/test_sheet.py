"""The 恢复密钥 sheet (PDF, atomic with the new wrap), the recovery-sheet and check commands."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from db.models.accounts import KeyMaterial, KeyWrap
from desktop import keys
from desktop.accounts.roles import PermissionDenied
from desktop.context import App, open_app
from desktop.keys import crypto, recovery_code
from tests.support import cli


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def _recovery_wrap_ids(app: App) -> list[bytes]:
    """The recovery wraps (their sealed bytes: SQLite reuses the ids of deleted rows)."""
    with app.db.session() as s:
        return [bytes(b) for b in s.scalars(select(KeyWrap.sealed).where(KeyWrap.holder == "recovery"))]


def test_sheet_pdf_and_reprint(app_ctx: App, tmp_path: Path, fontset: Any) -> None:
    out = tmp_path / "恢复密钥.pdf"
    pdf = keys.print_recovery_sheet(app_ctx, out, today=date(2026, 12, 6), fonts=fontset)
    assert pdf == out
    text = _pdf_text(pdf)
    assert "恢复密钥" in text and "二〇二六年十二月六日" in text
    assert app_ctx.keys is not None and app_ctx.keys.database_id in text
    groups = [g for g in text.split() if len(g) == 4 and all(c in recovery_code.ALPHABET for c in g)]
    key = "-".join(groups[:8])
    with app_ctx.db.session() as s:
        assert keys.unlock_with_recovery(s, key).master == app_ctx.keys.master
    first_ids = _recovery_wrap_ids(app_ctx)
    keys.print_recovery_sheet(app_ctx, out, fonts=fontset)  # reprint: the old sheet opens nothing
    assert set(_recovery_wrap_ids(app_ctx)).isdisjoint(first_ids)
    with app_ctx.db.session() as s, pytest.raises(PermissionDenied, match="恢复密钥不正确"):
        keys.unlock_with_recovery(s, key)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".pdf" or p.name.startswith(".")) == [out.name]


def test_failed_pdf_keeps_old_sheet(app_ctx: App, tmp_path: Path, fontset: Any,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "sheet.pdf"
    keys.print_recovery_sheet(app_ctx, out, fonts=fontset)
    before, old_bytes = _recovery_wrap_ids(app_ctx), out.read_bytes()

    import reports.recovery_sheet as sheet_mod

    def broken(*_a: Any, **_k: Any) -> None:
        raise RuntimeError("render failed")

    monkeypatch.setattr(sheet_mod, "write_recovery_sheet", broken)
    with pytest.raises(RuntimeError, match="render failed"):
        keys.print_recovery_sheet(app_ctx, out, fonts=fontset)
    assert _recovery_wrap_ids(app_ctx) == before and out.read_bytes() == old_bytes
    monkeypatch.undo()

    from sqlalchemy.orm import Session

    def failing_commit(self: Session) -> None:
        raise RuntimeError("commit failed")

    monkeypatch.setattr(Session, "commit", failing_commit)
    with pytest.raises(RuntimeError):
        keys.print_recovery_sheet(app_ctx, out, fonts=fontset)
    monkeypatch.undo()
    assert _recovery_wrap_ids(app_ctx) == before and out.read_bytes() == old_bytes
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.pdf"] or "sheet.pdf" in [p.name for p in tmp_path.iterdir()]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".sheet")]


def test_sheet_needs_unlocked_ring(app_ctx: App, tmp_path: Path) -> None:
    assert app_ctx.keys is not None
    app_ctx.use_keys(keys.KeyRing(app_ctx.keys.database_id, public_keys=dict(app_ctx.keys.public_keys)))
    with pytest.raises(PermissionDenied, match="数据库密钥"):
        keys.print_recovery_sheet(app_ctx, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_no_password_office_moves_with_sheet(app_ctx: App, db_path: Path, tmp_path: Path, fontset: Any,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    assert app_ctx.keys is not None
    with app_ctx.db.system_session() as s:
        key = keys.new_recovery_key(s, app_ctx.keys)
    master = app_ctx.keys.master
    app_ctx.close()
    monkeypatch.setenv("UNIONDESK_HOME", str(tmp_path / "new-pc"))
    app = open_app(str(db_path), daily_backup=False)
    try:
        assert app.keys is not None and app.keys.locked
        assert keys.unlock_app_with_recovery(app, key).master == master
    finally:
        app.close()
    again = open_app(str(db_path), daily_backup=False)  # opens by itself on this PC from now on
    try:
        assert again.keys is not None and again.keys.master == master
    finally:
        again.close()


def test_check_lines_and_swap(app_ctx: App) -> None:
    lines, bad = keys.key_check_lines(app_ctx)
    assert not bad and "密钥检查：正常" in lines and "数据库密钥：已解锁" in lines
    _priv, forged = crypto.ed25519_pair()
    with app_ctx.db.system_session() as s:
        s.execute(update(KeyMaterial).where(KeyMaterial.name == "signing").values(public=forged))
    lines, bad = keys.key_check_lines(app_ctx)
    assert bad and "密钥检查：数据库中的签名公钥与本机记录的不一致（可能被替换）。" in lines


def test_cli_recovery_sheet_and_check(tmp_path: Path) -> None:
    home, db = tmp_path / "home", tmp_path / "data.sqlite3"
    r = cli("check", home=home, db=db)  # a new database: opened once to make it current
    r = cli("recovery-sheet", "--out", str(tmp_path / "sheet.txt"), home=home, db=db)
    assert r.returncode == 2, r.stderr
    r = cli("recovery-sheet", home=home, db=db)
    assert r.returncode == 2
    r = cli("recovery-sheet", "--out", str(tmp_path / "sheet.pdf"), home=home, db=db)
    if "字体" in r.stderr:
        pytest.skip("no CJK font")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "sheet.pdf").stat().st_size > 1000
    r = cli("check", home=home, db=db)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "密钥检查：正常" in r.stdout and "数据库密钥：已解锁" in r.stdout
    app = open_app(str(db), daily_backup=False)
    _priv, forged = crypto.ed25519_pair()
    with app.db.system_session() as s:
        s.execute(update(KeyMaterial).where(KeyMaterial.name == "audit").values(public=forged))
    app.close()
    r = cli("check", home=home, db=db)
    assert r.returncode == 1
    assert "数据库中的签名公钥与本机记录的不一致（可能被替换）" in r.stderr
    assert "审计公钥与其私钥不符" in r.stderr


def test_cli_recovery_unlock_on_new_pc(app_ctx: App, db_path: Path, tmp_path: Path) -> None:
    assert app_ctx.keys is not None
    with app_ctx.db.system_session() as s:
        key = keys.new_recovery_key(s, app_ctx.keys)
    app_ctx.close()
    new_pc = tmp_path / "new-pc"
    r = cli("check", home=new_pc, db=db_path)
    assert r.returncode == 0 and "数据库密钥：本机未解锁（仅用公钥检查）" in r.stdout, r.stdout + r.stderr
    r = cli("recovery-unlock", home=new_pc, db=db_path, env={"UNIONDESK_RECOVERY_KEY": ""})
    assert r.returncode == 1 and "恢复密钥应为 8 组" in r.stderr
    wrong = recovery_code.generate()
    r = cli("recovery-unlock", home=new_pc, db=db_path, env={"UNIONDESK_RECOVERY_KEY": wrong})
    assert r.returncode == 1 and "恢复密钥不正确" in r.stderr
    r = cli("recovery-unlock", home=new_pc, db=db_path, env={"UNIONDESK_RECOVERY_KEY": key.lower()})
    assert r.returncode == 0, r.stderr
    r = cli("check", home=new_pc, db=db_path)
    assert r.returncode == 0 and "数据库密钥：已解锁" in r.stdout, r.stdout + r.stderr
