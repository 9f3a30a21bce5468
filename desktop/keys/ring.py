"""The key ring of an open database (see the package doc for the model).

Rows (db.models.accounts): ``KeyMaterial`` ``signing``/``audit`` (Ed25519 public in clear, private
sealed under the master key); ``KeyWrap`` copies of the master key (``holder`` ``machine``,
``account``, ``recovery``), of the field key (``account``, ``recovery``, or ``box``: sealed to an
X25519 public key) and of the X25519 private keys (``key_name`` ``box``) that let a holder of the
field key grant it to an account, or a field key made after the recovery sheet reach the sheet.
One Argon2id derivation per password or recovery key: every wrap of one holder shares its salt.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from db.models.accounts import KeyMaterial, KeyWrap
from db.models.system import Setting
from desktop.accounts.roles import PermissionDenied
from desktop.keys import crypto, machine, recovery_code
from desktop.keys.kdf import Argon2Params, wrap_params
from desktop.keys.profile import read_profile, update_profile

log = logging.getLogger(__name__)
KEY_NAMES = ("signing", "audit")
KEY_LABELS = {"signing": "签名", "audit": "审计"}
DATABASE_ID = "database_id"
MSG_NO_FIELD_KEY = "当前账户没有敏感信息密钥，请由有敏感信息权限的账户操作。"
MSG_LOCKED = "数据库密钥尚未解锁（请用管理员密码登录或使用恢复密钥）。"


@dataclass
class KeyRing:
    """What this process holds for the open database. ``master`` None: locked (no machine wrap
    here, nobody signed in yet, or the database came from another PC)."""

    database_id: str = ""
    master: bytes | None = None
    field: bytes | None = None  # the field data key: only for accounts with the permission
    public_keys: dict[str, bytes] = dc_field(default_factory=dict)  # "signing", "audit" -> raw Ed25519 public
    _private: dict[str, Any] = dc_field(default_factory=dict, repr=False, compare=False)

    @property
    def locked(self) -> bool:
        return self.master is None

    def private_key(self, session: Session, name: str) -> Any:
        """The unsealed Ed25519 private key ``name`` (``signing`` or ``audit``), or None when locked."""
        if self.master is None:
            return None
        if name not in self._private:
            row = session.get(KeyMaterial, name)
            if row is None or row.sealed is None:
                return None
            raw = crypto.open_sealed(self.master, row.sealed, crypto.aad("key", name))
            self._private[name] = crypto.ed25519_private(raw)
        return self._private[name]

    def sign(self, session: Session, name: str, data: bytes) -> bytes | None:
        """An Ed25519 signature of ``data`` with key ``name``; None when locked."""
        key = self.private_key(session, name)
        return key.sign(data) if key is not None else None


# -- reading ---------------------------------------------------------------------------------------


def database_id(session: Session) -> str:
    row = session.get(Setting, DATABASE_ID)
    return str(row.value) if row is not None and row.value else ""


def public_keys(session: Session) -> dict[str, bytes]:
    return {m.name: bytes(m.public) for m in session.scalars(select(KeyMaterial))}


def _wraps(session: Session, **where: Any) -> list[KeyWrap]:
    q = select(KeyWrap).order_by(KeyWrap.id)
    for name, value in where.items():
        q = q.where(getattr(KeyWrap, name) == value)
    return list(session.scalars(q))


def _field_exists(session: Session) -> bool:
    return bool(_wraps(session, key_name="field"))


def _locked_ring(session: Session) -> KeyRing:
    return KeyRing(database_id=database_id(session), public_keys=public_keys(session))


# -- creation and opening -----------------------------------------------------------------------


def _machine_wrap(session: Session, master: bytes) -> None:
    key = machine.load_or_create()
    mid = machine.machine_id(key)
    session.execute(delete(KeyWrap).where(KeyWrap.holder == "machine", KeyWrap.machine == mid))
    session.add(KeyWrap(holder="machine", machine=mid, key_name="master", method="direct",
                        sealed=crypto.seal(key, master, crypto.aad("master", "machine", mid))))


def create_keys(session: Session) -> KeyRing:
    """Keys of a new database: ``database_id``, master key (wrapped for this machine), ``signing``
    and ``audit`` key pairs. Never replaces existing keys: with any key material or master wrap
    present it only opens the ring (and adds a missing key pair when the ring is unlocked)."""
    if database_id(session) == "":  # the database's own identity: bookkeeping, not a clerk's setting (no audit row)
        table = Setting.__table__
        session.execute(delete(table).where(table.c.key == DATABASE_ID))
        session.execute(insert(table).values(key=DATABASE_ID, value=uuid.uuid4().hex))
        session.expire_all()
    existing = session.scalars(select(KeyMaterial.name)).all()
    if existing or _wraps(session, key_name="master"):
        ring = open_ring(session)
        if not ring.locked:
            _add_pairs(session, ring.master, [n for n in KEY_NAMES if n not in existing])  # type: ignore[arg-type]
            ring.public_keys = public_keys(session)
        return ring
    master = crypto.random_key()
    _add_pairs(session, master, list(KEY_NAMES))
    _machine_wrap(session, master)
    session.flush()
    ring = KeyRing(database_id=database_id(session), master=master, public_keys=public_keys(session))
    update_profile(ring.database_id, fingerprint=fingerprint(ring.public_keys))
    return ring


def _add_pairs(session: Session, master: bytes, names: list[str]) -> None:
    for name in names:
        private, public = crypto.ed25519_pair()
        session.add(KeyMaterial(name=name, public=public, sealed=crypto.seal(master, private, crypto.aad("key", name))))
    session.flush()


def open_ring(session: Session) -> KeyRing:
    """The ring this PC opens by itself: the master key through this machine's wrap, else locked."""
    ring = _locked_ring(session)
    try:
        key = machine.read_machine_key()
    except (machine.MachineKeyError, OSError) as exc:
        log.warning("machine key unusable: %s", exc)
        return ring
    if key is None:
        return ring
    mid = machine.machine_id(key)
    for wrap in _wraps(session, holder="machine", machine=mid, key_name="master"):
        try:
            ring.master = crypto.open_sealed(key, wrap.sealed, crypto.aad("master", "machine", mid))
            break
        except crypto.SealBroken:
            log.warning("machine wrap %s does not open with this machine key", wrap.id)
    return ring


def wrap_for_machine(session: Session, ring: KeyRing) -> None:
    """Wrap the master key (never the field key) for this machine: an office without passwords that
    moved to a new PC with its recovery sheet opens by itself again afterwards."""
    if ring.master is None:
        raise PermissionDenied(MSG_LOCKED)
    _machine_wrap(session, ring.master)
    session.flush()


def drop_machine_wrap(session: Session) -> None:
    """Delete every machine wrap (the first administrator was created). Refused when no other copy
    of the master key (an account's or the recovery key's) would remain."""
    session.flush()
    others = [w for w in _wraps(session, key_name="master") if w.holder != "machine"]
    if not others:
        raise PermissionDenied("数据库密钥没有其他副本（账户或恢复密钥），不能删除本机的密钥副本。")
    session.execute(delete(KeyWrap).where(KeyWrap.holder == "machine"))
    session.flush()


# -- passwords, grants ------------------------------------------------------------------------------


def _kek(secret: str, wrap: KeyWrap) -> bytes:
    return crypto.derive(secret, wrap.salt or b"", Argon2Params.from_dict(wrap.params or {}))


def _new_field(session: Session, ring: KeyRing) -> bytes:
    """The field key of the ring; made (and boxed to the recovery key) when the database has none."""
    if ring.field is not None:
        return ring.field
    if _field_exists(session):
        raise PermissionDenied(MSG_NO_FIELD_KEY)
    ring.field = crypto.random_key()
    for box in _wraps(session, holder="recovery", key_name="box"):
        if box.public:
            session.add(KeyWrap(holder="recovery", key_name="field", method="x25519", public=box.public,
                                sealed=crypto.box_seal(box.public, ring.field, crypto.aad("field", "recovery"))))
    return ring.field


def wrap_for_account(session: Session, ring: KeyRing, account_id: int, password: str, *, sensitive: bool) -> None:
    """Wrap the master key (and the field key when ``sensitive``: made when the database has none
    yet) under ``password``, with a new X25519 pair for later grants. Call drop_account_wraps first
    when replacing the password."""
    if ring.master is None:
        raise PermissionDenied(MSG_LOCKED)
    field = _new_field(session, ring) if sensitive else None
    params = wrap_params()
    salt = crypto.new_salt()
    kek = crypto.derive(password, salt, params)

    def add(key_name: str, value: bytes, public: bytes | None = None) -> None:
        session.add(KeyWrap(holder="account", account_id=account_id, key_name=key_name, method="argon2id",
                            salt=salt, params=params.as_dict(), public=public,
                            sealed=crypto.seal(kek, value, crypto.aad(key_name, "account", account_id))))

    add("master", ring.master)
    box_private, box_public = crypto.x25519_pair()
    add("box", box_private, box_public)
    if field is not None:
        add("field", field)
    session.flush()


def grant_field_key(session: Session, ring: KeyRing, account_id: int) -> None:
    """Seal the field key to the account's X25519 public key (opened at its next sign-in)."""
    if ring.field is None:
        raise PermissionDenied(MSG_NO_FIELD_KEY)
    boxes = _wraps(session, holder="account", account_id=account_id, key_name="box")
    if not boxes or not boxes[-1].public:
        raise PermissionDenied("该账户还没有密钥副本，请先为其重设密码后再授予敏感信息权限。")
    public = bytes(boxes[-1].public)  # type: ignore[arg-type]
    session.execute(delete(KeyWrap).where(KeyWrap.account_id == account_id, KeyWrap.key_name == "field"))
    session.add(KeyWrap(holder="box", account_id=account_id, key_name="field", method="x25519", public=public,
                        sealed=crypto.box_seal(public, ring.field, crypto.aad("field", "box", account_id))))
    session.flush()


def drop_account_wraps(session: Session, account_id: int, *, field_only: bool = False) -> None:
    """Delete the account's copies (all, or only of the field key: the permission withdrawn)."""
    q = delete(KeyWrap).where(KeyWrap.account_id == account_id)
    if field_only:
        q = q.where(KeyWrap.key_name == "field")
    session.execute(q)
    session.flush()


def unlock_with_password(session: Session, account_id: int, password: str) -> KeyRing:
    """The master key (and the field key the account holds, directly or granted in a box, which is
    then re-wrapped under the password) from an account's password; PermissionDenied otherwise."""
    wraps = _wraps(session, holder="account", account_id=account_id)
    master_wrap = next((w for w in wraps if w.key_name == "master"), None)
    if master_wrap is None:
        raise PermissionDenied("该账户没有数据库密钥的副本，请管理员为其重设密码。")
    kek = _kek(password, master_wrap)
    ring = _locked_ring(session)
    try:
        ring.master = crypto.open_sealed(kek, master_wrap.sealed, crypto.aad("master", "account", account_id))
    except crypto.SealBroken:
        raise PermissionDenied("密码不正确，无法解开数据库密钥。") from None
    for w in wraps:
        if w.key_name == "field" and w.salt == master_wrap.salt:
            ring.field = _try_open(kek, w.sealed, crypto.aad("field", "account", account_id))
    if ring.field is None:
        ring.field = _open_grant(session, kek, master_wrap, wraps, account_id)
    return ring


def _try_open(key: bytes, sealed: bytes, associated: bytes) -> bytes | None:
    try:
        return crypto.open_sealed(key, sealed, associated)
    except crypto.SealBroken:
        log.warning("a key wrap did not open (%s)", associated.decode())
        return None


def _open_grant(session: Session, kek: bytes, master_wrap: KeyWrap, wraps: list[KeyWrap], account_id: int) -> bytes | None:
    box = next((w for w in wraps if w.key_name == "box" and w.salt == master_wrap.salt), None)
    grants = _wraps(session, holder="box", account_id=account_id, key_name="field")
    if box is None or not grants:
        return None
    private = _try_open(kek, box.sealed, crypto.aad("box", "account", account_id))
    if private is None:
        return None
    try:
        field = crypto.box_open(private, grants[-1].sealed, crypto.aad("field", "box", account_id))
    except crypto.SealBroken:
        log.warning("the field key granted to account %s does not open", account_id)
        return None
    for g in grants:  # re-wrapped under the password like every other copy of the account
        session.delete(g)
    session.add(KeyWrap(holder="account", account_id=account_id, key_name="field", method="argon2id",
                        salt=master_wrap.salt, params=master_wrap.params,
                        sealed=crypto.seal(kek, field, crypto.aad("field", "account", account_id))))
    session.flush()
    return field


# -- the recovery key -------------------------------------------------------------------------------


def new_recovery_key(session: Session, ring: KeyRing) -> str:
    """A new recovery key (grouped text for the sheet) wrapping the master key, the field key when
    the database has one (the ring must hold it), and an X25519 pair so that a field key made later
    reaches the sheet too. The previous recovery wraps are deleted: the old sheet opens nothing."""
    if ring.master is None:
        raise PermissionDenied(MSG_LOCKED)
    if ring.field is None and _field_exists(session):
        raise PermissionDenied("重新生成恢复密钥需要敏感信息密钥（否则恢复密钥将无法打开敏感字段），"
                               "请由有敏感信息权限的账户操作。")
    key = recovery_code.generate()
    params = wrap_params()
    salt = crypto.new_salt()
    kek = crypto.derive(recovery_code.secret_of(key), salt, params)
    session.execute(delete(KeyWrap).where(KeyWrap.holder == "recovery"))

    def add(key_name: str, value: bytes, public: bytes | None = None) -> None:
        session.add(KeyWrap(holder="recovery", key_name=key_name, method="argon2id", salt=salt,
                            params=params.as_dict(), public=public,
                            sealed=crypto.seal(kek, value, crypto.aad(key_name, "recovery"))))

    add("master", ring.master)
    box_private, box_public = crypto.x25519_pair()
    add("box", box_private, box_public)
    if ring.field is not None:
        add("field", ring.field)
    session.flush()
    return key


def unlock_with_recovery(session: Session, recovery_key: str) -> KeyRing:
    """The master and field keys from the printed recovery key; PermissionDenied (Chinese) otherwise."""
    try:
        secret = recovery_code.secret_of(recovery_key)
    except recovery_code.RecoveryKeyInvalid as exc:
        raise PermissionDenied(exc.message) from None
    wraps = _wraps(session, holder="recovery")
    master_wrap = next((w for w in wraps if w.key_name == "master" and w.method == "argon2id"), None)
    if master_wrap is None:
        raise PermissionDenied("此数据库还没有恢复密钥（请管理员打印恢复密钥表）。")
    kek = _kek(secret, master_wrap)
    ring = _locked_ring(session)
    try:
        ring.master = crypto.open_sealed(kek, master_wrap.sealed, crypto.aad("master", "recovery"))
    except crypto.SealBroken:
        raise PermissionDenied("恢复密钥不正确（可能是已作废的旧恢复密钥表）。") from None
    for w in wraps:
        if w.key_name == "field" and w.method == "argon2id":
            ring.field = _try_open(kek, w.sealed, crypto.aad("field", "recovery"))
    if ring.field is None:
        box = next((w for w in wraps if w.key_name == "box"), None)
        boxed = [w for w in wraps if w.key_name == "field" and w.method == "x25519"]
        private = _try_open(kek, box.sealed, crypto.aad("box", "recovery")) if box is not None else None
        if private is not None and boxed:
            try:
                ring.field = crypto.box_open(private, boxed[-1].sealed, crypto.aad("field", "recovery"))
            except crypto.SealBroken:
                log.warning("the field key boxed to the recovery key does not open")
    return ring


# -- checks ---------------------------------------------------------------------------------------


def fingerprint(public_keys: dict[str, bytes]) -> str:
    """SHA-256 (hex) over the named public keys, in name order."""
    import hashlib

    text = "\n".join(f"{name}:{bytes(public_keys[name]).hex()}" for name in sorted(public_keys))
    return hashlib.sha256(text.encode()).hexdigest()


def short_fingerprint(fp: str) -> str:
    """The printed form: the first 32 hex digits in groups of four (upper case)."""
    fp = fp.upper()[:32]
    return " ".join(fp[i:i + 4] for i in range(0, len(fp), 4))


def check_keys(session: Session, ring: KeyRing | None) -> list[str]:
    """Chinese problems: the database's public keys against this profile's fingerprint (remembered
    the first time this profile sees the database) and against the keys derived from the private
    keys where ``ring`` can unseal them. Empty: nothing wrong."""
    problems: list[str] = []
    db_id = database_id(session)
    keys = public_keys(session)
    missing = [KEY_LABELS[n] for n in KEY_NAMES if n not in keys]
    if missing:
        problems.append(f"数据库中缺少{'、'.join(missing)}公钥。")
    if ring is not None and ring.master is not None:
        for name in KEY_NAMES:
            if name not in keys:
                continue
            row = session.get(KeyMaterial, name)
            label = KEY_LABELS[name]
            try:
                raw = crypto.open_sealed(ring.master, row.sealed or b"", crypto.aad("key", name))  # type: ignore[union-attr]
            except crypto.SealBroken:
                problems.append(f"数据库中的{label}私钥无法用数据库密钥解开（可能被替换）。")
                continue
            if crypto.ed25519_public_of(raw) != keys[name]:
                problems.append(f"数据库中的{label}公钥与其私钥不符（可能被替换）。")
    if not db_id:
        problems.append("数据库没有数据库编号（database_id）。")
        return problems
    fp = fingerprint(keys)
    known = read_profile(db_id).get("fingerprint")
    if not known:
        if not problems and keys:
            update_profile(db_id, fingerprint=fp)
    elif known != fp:
        problems.append("数据库中的签名公钥与本机记录的不一致（可能被替换）。")
    return problems
