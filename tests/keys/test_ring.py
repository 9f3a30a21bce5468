"""The key ring: creation at open, wraps and unwraps, moved data folders, swapped keys."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from db.models.accounts import Account, KeyMaterial, KeyWrap
from desktop import keys
from desktop.accounts.roles import PermissionDenied
from desktop.context import App, open_app
from desktop.keys import crypto, machine, recovery_code
from desktop.keys.profile import read_profile


def _account(app: App, name: str = "admin1") -> int:
    with app.db.system_session() as s:
        account = Account(name=name, display_name=name, role="admin", password_hash="x")
        s.add(account)
        s.flush()
        return account.id


def _wraps(app: App, **where: object) -> list[KeyWrap]:
    with app.db.session() as s:
        q = select(KeyWrap)
        for k, v in where.items():
            q = q.where(getattr(KeyWrap, k) == v)
        rows = list(s.scalars(q))
        s.expunge_all()
        return rows


def test_open_creates_keys_unlocked_by_machine(app_ctx: App) -> None:
    ring = app_ctx.keys
    assert ring is not None and not ring.locked and ring.field is None
    assert set(ring.public_keys) == {"signing", "audit"}
    assert len(ring.database_id) == 32
    machine_wraps = _wraps(app_ctx, holder="machine")
    assert [w.key_name for w in machine_wraps] == ["master"]  # never the field key
    assert read_profile(ring.database_id)["fingerprint"] == keys.fingerprint(ring.public_keys)
    with app_ctx.db.session() as s:
        sig = ring.sign(s, "signing", b"data")
        assert sig is not None and crypto.ed25519_verify(ring.public_keys["signing"], sig, b"data")
        assert keys.check_keys(s, ring) == []


def test_create_keys_never_replaces(app_ctx: App) -> None:
    before = app_ctx.keys
    assert before is not None
    with app_ctx.db.system_session() as s:
        again = keys.create_keys(s)
        assert s.scalar(select(func.count()).select_from(KeyMaterial)) == 2
    assert again.master == before.master and again.public_keys == before.public_keys
    # locked here (no machine wrap for this PC): still no new master key
    with app_ctx.db.system_session() as s:
        s.execute(KeyWrap.__table__.delete())
    with app_ctx.db.system_session() as s:
        locked = keys.create_keys(s)
        assert locked.locked and locked.public_keys == before.public_keys
        assert not s.scalars(select(KeyWrap)).all()


def test_password_wraps_round_trip_and_wrong_password(app_ctx: App) -> None:
    ring = app_ctx.keys
    assert ring is not None
    aid = _account(app_ctx)
    with app_ctx.db.system_session() as s:
        keys.wrap_for_account(s, ring, aid, "correct horse", sensitive=True)
    assert ring.field is not None  # made for the first sensitive account
    with app_ctx.db.session() as s:
        opened = keys.unlock_with_password(s, aid, "correct horse")
        assert opened.master == ring.master and opened.field == ring.field
        with pytest.raises(PermissionDenied, match="密码不正确"):
            keys.unlock_with_password(s, aid, "wrong horse")
    # a second account without the permission: master only; then granted through its box
    clerk = _account(app_ctx, "clerk1")
    with app_ctx.db.system_session() as s:
        keys.wrap_for_account(s, ring, clerk, "clerk pass", sensitive=False)
        assert keys.unlock_with_password(s, clerk, "clerk pass").field is None
        keys.grant_field_key(s, ring, clerk)
    with app_ctx.db.system_session() as s:
        assert keys.unlock_with_password(s, clerk, "clerk pass").field == ring.field
    assert _wraps(app_ctx, holder="box") == []  # re-wrapped under the password at sign-in
    with app_ctx.db.system_session() as s:
        assert keys.unlock_with_password(s, clerk, "clerk pass").field == ring.field
        keys.drop_account_wraps(s, clerk, field_only=True)
        after = keys.unlock_with_password(s, clerk, "clerk pass")
        assert after.master == ring.master and after.field is None
        keys.drop_account_wraps(s, clerk)
        with pytest.raises(PermissionDenied, match="没有数据库密钥的副本"):
            keys.unlock_with_password(s, clerk, "clerk pass")


def test_field_key_needed_when_one_exists(app_ctx: App) -> None:
    ring = app_ctx.keys
    assert ring is not None
    aid = _account(app_ctx)
    with app_ctx.db.system_session() as s:
        keys.wrap_for_account(s, ring, aid, "pw-admin-1", sensitive=True)
    machine_ring = keys.KeyRing(ring.database_id, ring.master, None, dict(ring.public_keys))
    other = _account(app_ctx, "other")
    with app_ctx.db.system_session() as s, pytest.raises(PermissionDenied, match="敏感信息密钥"):
        keys.wrap_for_account(s, machine_ring, other, "pw-other-1", sensitive=True)
    with app_ctx.db.system_session() as s, pytest.raises(PermissionDenied, match="敏感信息密钥"):
        keys.grant_field_key(s, machine_ring, other)


def test_drop_machine_wrap_needs_another_copy(app_ctx: App) -> None:
    ring = app_ctx.keys
    assert ring is not None
    with app_ctx.db.system_session() as s, pytest.raises(PermissionDenied, match="没有其他副本"):
        keys.drop_machine_wrap(s)
    aid = _account(app_ctx)
    with app_ctx.db.system_session() as s:
        keys.wrap_for_account(s, ring, aid, "pw-admin-1", sensitive=True)
        keys.drop_machine_wrap(s)
    assert _wraps(app_ctx, holder="machine") == []
    with app_ctx.db.session() as s:
        assert keys.open_ring(s).locked


def test_recovery_key_and_reprint(app_ctx: App) -> None:
    ring = app_ctx.keys
    assert ring is not None
    with app_ctx.db.system_session() as s:
        first = keys.new_recovery_key(s, ring)
    assert len(recovery_code.groups(first)) == 8
    aid = _account(app_ctx)
    with app_ctx.db.system_session() as s:  # the field key made after the sheet still reaches it
        keys.wrap_for_account(s, ring, aid, "pw-admin-1", sensitive=True)
    with app_ctx.db.session() as s:
        opened = keys.unlock_with_recovery(s, first.lower().replace("-", " "))
        assert opened.master == ring.master and opened.field == ring.field is not None
    with app_ctx.db.system_session() as s:
        second = keys.new_recovery_key(s, ring)
    assert second != first
    with app_ctx.db.session() as s:
        with pytest.raises(PermissionDenied, match="恢复密钥不正确"):
            keys.unlock_with_recovery(s, first)  # the old sheet opens nothing
        assert keys.unlock_with_recovery(s, second).field == ring.field
        typo = second[:-1] + ("2" if second[-1] != "2" else "3")
        with pytest.raises(PermissionDenied, match="校验不符"):
            keys.unlock_with_recovery(s, typo)
        with pytest.raises(PermissionDenied, match="无效字符"):
            keys.unlock_with_recovery(s, "O" + second[1:])
    assert len(_wraps(app_ctx, holder="recovery", key_name="master")) == 1


def test_moved_data_folder(app_ctx: App, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ring = app_ctx.keys
    assert ring is not None
    aid = _account(app_ctx)
    with app_ctx.db.system_session() as s:
        keys.wrap_for_account(s, ring, aid, "pw-admin-1", sensitive=True)
        sheet = keys.new_recovery_key(s, ring)
    app_ctx.close()
    monkeypatch.setenv("UNIONDESK_HOME", str(tmp_path / "new-pc"))
    moved = open_app(str(db_path), daily_backup=False)
    try:
        assert moved.keys is not None and moved.keys.locked
        assert moved.keys.public_keys == ring.public_keys
        with moved.db.system_session() as s:
            assert keys.check_keys(s, moved.keys) == []  # first seen here: remembered
            assert read_profile(ring.database_id)["fingerprint"] == keys.fingerprint(ring.public_keys)
            assert keys.unlock_with_password(s, aid, "pw-admin-1").master == ring.master
            assert keys.unlock_with_recovery(s, sheet).field == ring.field
    finally:
        moved.close()


def test_key_swap_detected(app_ctx: App) -> None:
    ring = app_ctx.keys
    assert ring is not None
    _priv, forged_public = crypto.ed25519_pair()
    with app_ctx.db.system_session() as s:
        s.execute(update(KeyMaterial).where(KeyMaterial.name == "signing").values(public=forged_public))
    with app_ctx.db.session() as s:
        problems = keys.check_keys(s, keys.KeyRing(ring.database_id, public_keys=keys.ring.public_keys(s)))
        assert problems == ["数据库中的签名公钥与本机记录的不一致（可能被替换）。"]
        problems = keys.check_keys(s, ring)
        assert "数据库中的签名公钥与其私钥不符（可能被替换）。" in problems


def test_key_swap_with_private_detected_by_unsealing(app_ctx: App) -> None:
    """A whole key pair swapped (private sealed under some other key) does not unseal."""
    ring = app_ctx.keys
    assert ring is not None
    priv, pub = crypto.ed25519_pair()
    with app_ctx.db.system_session() as s:
        s.execute(update(KeyMaterial).where(KeyMaterial.name == "audit").values(
            public=pub, sealed=crypto.seal(crypto.random_key(), priv, crypto.aad("key", "audit"))))
    with app_ctx.db.session() as s:
        assert "数据库中的审计私钥无法用数据库密钥解开（可能被替换）。" in keys.check_keys(s, ring)
        with pytest.raises(crypto.SealBroken):
            ring.private_key(s, "audit")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_machine_key_file_mode(app_ctx: App) -> None:
    path = machine.key_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = machine.read_machine_key()
    os.chmod(path, 0o644)
    assert machine.read_machine_key() == key  # repaired, same key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert machine.load_or_create() == key  # never overwritten


def test_damaged_machine_key_gives_locked_ring(app_ctx: App) -> None:
    machine.key_path().write_bytes(b"garbage")
    with app_ctx.db.session() as s:
        assert keys.open_ring(s).locked


def test_box_and_seal_primitives() -> None:
    key = crypto.random_key()
    sealed = crypto.seal(key, b"secret", crypto.aad("master", "account", 7))
    assert crypto.open_sealed(key, sealed, b"uniondesk:master:account:7") == b"secret"
    with pytest.raises(crypto.SealBroken):
        crypto.open_sealed(key, sealed, crypto.aad("master", "account", 8))
    priv, pub = crypto.x25519_pair()
    box = crypto.box_seal(pub, b"field", b"ad")
    assert crypto.box_open(priv, box, b"ad") == b"field"
    other, _ = crypto.x25519_pair()
    with pytest.raises(crypto.SealBroken):
        crypto.box_open(other, box, b"ad")
