"""Accounts: creating, signing in and out, lockout, passwords, roles, the sensitive permission.

What the GUI (ui/accounts) and the CLI (``--user``, ``accounts``) both call. Every change is one
transaction, audit-logged (the account row's described fields through the session; granting and
withdrawing the sensitive permission, failed sign-ins and password changes explicitly, never the
password). The database is never left without an enabled administrator.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import audit
from db.choices import CHOICES
from db.errors import ValidationError
from db.models.accounts import ROLES, Account
from db.models.system import Setting
from desktop import keys, protected_fields
from desktop.accounts import opening, passwords
from desktop.accounts.roles import ADMIN, MANAGE_ACCOUNTS, SENSITIVE, WRITE, PermissionDenied, SignedIn
from desktop.changes import Changes
from desktop.context import App

NO_PASSWORD = "accounts.no_password"
MAX_FAILURES = 5
LOCK_MINUTES = 15
TABLE = "accounts"
ROLE_LABELS = dict(CHOICES["account_roles"])
MSG_SIGN_IN_FIRST = opening.MSG_SIGN_IN_FIRST
MSG_LAST_ADMIN = "至少要保留一个启用的管理员账户。"


def _now(now: datetime | None) -> datetime:
    return now or datetime.now().replace(microsecond=0)


# -- reading -------------------------------------------------------------------------------------


def has_accounts(session: Session) -> bool:
    """At least one enabled account: signing in is required."""
    return bool(session.scalar(select(func.count(Account.id)).where(Account.disabled_at.is_(None))))


def no_password_chosen(session: Session) -> bool:
    row = session.get(Setting, NO_PASSWORD)
    return bool(row is not None and row.value)


def list_accounts(session: Session) -> list[dict[str, Any]]:
    """Every account (disabled ones too, for the log) as plain rows, by login name."""
    rows = session.scalars(select(Account).order_by(Account.disabled_at.is_not(None), Account.name))
    return [{
        "id": a.id, "name": a.name, "display_name": a.display_name or "", "role": a.role,
        "role_label": ROLE_LABELS.get(a.role, a.role), "sensitive": bool(a.sensitive),
        "last_login_at": a.last_login_at, "disabled_at": a.disabled_at, "locked_until": a.locked_until,
    } for a in rows]


def account_rows(app: App) -> list[dict[str, Any]]:
    """:func:`list_accounts` for the GUI (which never opens a session itself)."""
    with app.db.session() as s:
        return list_accounts(s)


def no_password(app: App) -> bool:
    """The office chose 「不设密码（单人使用）」 (the GUI stops offering the account step)."""
    with app.db.session() as s:
        return no_password_chosen(s)


def field_labels() -> dict[str, str]:
    """The account columns' labels (``name`` → 登录名 …), from the model's ``info=field``."""
    from db.fields import describe

    return {c.name: c.label for c in describe(Account)}


def needs_admin_setup(app: App) -> bool:
    """A database with records but no accounts and no 不设密码 choice: the GUI asks for the
    administrator's password at its first start after the upgrade."""
    from desktop import demo

    with app.db.session() as s:
        if s.scalar(select(func.count(Account.id))) or no_password_chosen(s):
            return False
        return bool(demo.record_count(s))


# -- signing in ----------------------------------------------------------------------------------


def _by_name(session: Session, name: str) -> Account:
    account = session.scalar(select(Account).where(Account.name == name.strip()))
    if account is None:
        raise PermissionDenied(f"没有登录名为「{name.strip()}」的账户。")
    return account


def _locked_message(until: datetime) -> str:
    return f"账户已锁定，请于 {until:%H:%M} 后再试，或请管理员解锁。"


def _check(session: Session, account: Account, password: str, now: datetime) -> str | None:
    """None when ``password`` is right (the failure count cleared); else the message to raise,
    with the failure counted, the lock set at the fifth and the attempt audit-logged."""
    if account.disabled_at is not None:
        return f"账户「{account.name}」已停用，不能登录。"
    if account.locked_until is not None:
        if account.locked_until > now:
            return _locked_message(account.locked_until)
        account.locked_until = None
        account.failed_attempts = 0
    if passwords.verify(account.password_hash, password):
        account.failed_attempts = 0
        if passwords.needs_rehash(account.password_hash):
            account.password_hash = passwords.hash_password(password)
        return None
    account.failed_attempts = (account.failed_attempts or 0) + 1
    left = MAX_FAILURES - account.failed_attempts
    audit.log(session, "login_failed", TABLE, account.id, note=f"{account.name} 第 {account.failed_attempts} 次密码错误")
    if left <= 0:
        account.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        account.failed_attempts = 0
        return _locked_message(account.locked_until)
    return f"密码错误，还可尝试 {left} 次。"


def _use(app: App, user: SignedIn | None, ring: keys.KeyRing | None) -> None:
    """Make ``user`` (None: nobody) the account working now, with what it could unwrap."""
    app.user = user
    use_keys = getattr(app, "use_keys", None)
    if callable(use_keys):
        use_keys(ring)
    else:
        app.keys = ring
    actor = app.db.actor
    if user is None:
        actor.account = ""
        actor.clerk = str(app.settings.get("clerk_name") or "")
    else:
        actor.account = user.name
        actor.clerk = user.display_name or user.name
    app.db.read_only_reason = _read_only_reason(app)
    protected_fields.apply(app)  # the field key on the database exactly while the account may use it


def _read_only_reason(app: App) -> str | None:
    if not app.has_accounts or app.can(WRITE):
        return None
    if app.user is None:
        return MSG_SIGN_IN_FIRST
    return f"当前账户「{app.user.name}」为只读，不能修改数据。"


def _signed_in(account: Account) -> SignedIn:
    return SignedIn(account.id, account.name, account.display_name or "", account.role, bool(account.sensitive))


def sign_in(app: App, name: str, password: str, *, now: datetime | None = None) -> SignedIn:
    """Check the password (five wrong ones lock the account for 15 minutes), unwrap the keys and
    make the account the one working now; raises PermissionDenied with the Chinese reason."""
    now = _now(now)
    with app.db.system_session() as s:
        account = _by_name(s, name)
        problem = _check(s, account, password, now)
        if problem is None:
            user = _signed_in(account)
            ring = keys.unlock_with_password(s, account.id, password)
            previous = (app.db.actor.clerk, app.db.actor.account)
            app.db.actor.clerk, app.db.actor.account = user.display_name or user.name, user.name
            try:
                account.last_login_at = now
                s.flush()
            except BaseException:
                app.db.actor.clerk, app.db.actor.account = previous
                raise
    if problem is not None:
        raise PermissionDenied(problem)
    app.has_accounts = True
    _use(app, user, ring)
    return user


def sign_out(app: App) -> None:
    """Nobody works now: the keys unwrapped for the account are forgotten (the window locks)."""
    ring = app.keys
    locked = keys.KeyRing(database_id=ring.database_id, public_keys=dict(ring.public_keys)) if ring else None
    _use(app, None, locked)


def check_password(app: App, password: str, *, now: datetime | None = None) -> bool:
    """The idle lock: whether ``password`` is the signed-in account's. Failures count as at sign-in;
    the fifth locks the account, signs it out and raises PermissionDenied (「账户已锁定……」)."""
    user = app.user
    if user is None:
        return False
    now = _now(now)
    with app.db.system_session() as s:
        account = s.get(Account, user.account_id)
        problem = _check(s, account, password, now) if account is not None else "账户不存在"
        locked = account is None or account.disabled_at is not None or (
            account.locked_until is not None and account.locked_until > now)
    if problem is not None and locked:
        sign_out(app)
        raise PermissionDenied(problem)
    return problem is None


# -- managing -----------------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not 2 <= len(name) <= 40 or any(c.isspace() for c in name):
        raise ValidationError("account_name", "登录名应为 2–40 个字符，不含空格。")
    return name


def _enabled_admins(session: Session, *, besides: int | None = None) -> int:
    q = select(func.count(Account.id)).where(Account.role == ADMIN, Account.disabled_at.is_(None))
    if besides is not None:
        q = q.where(Account.id != besides)
    return int(session.scalar(q) or 0)


def _ring(app: App, what: str) -> keys.KeyRing:
    ring = app.keys
    if ring is None or ring.locked:
        raise PermissionDenied(f"{what}需要数据库密钥，本机尚未解锁（请用管理员密码登录或使用恢复密钥）。")
    return ring


def _require_field_holder(app: App, what: str) -> keys.KeyRing:
    app.require(SENSITIVE, what)
    ring = _ring(app, what)
    if ring.field is None:
        raise PermissionDenied(f"{what}需要敏感信息密钥，当前账户没有。")
    return ring


def create_account(app: App, name: str, display_name: str, password: str, role: str, *,
                   sensitive: bool = False) -> Changes:
    """A new account. The very first is an administrator with the sensitive permission, needs
    nobody signed in and ends the 不设密码 choice (the machine's key copy is dropped); it is
    signed in at once. Later ones need an administrator signed in."""
    name = _clean_name(name)
    display_name = (display_name or "").strip()[:40]
    if role not in ROLES:
        raise ValidationError("account_role", f"角色应为 {'、'.join(ROLE_LABELS.values())} 之一。")
    passwords.check_rules(name, password)
    with app.db.system_session() as s:
        first = not s.scalar(select(func.count(Account.id)))
        if first:
            role, sensitive = ADMIN, True
        else:
            app.require(MANAGE_ACCOUNTS, "新建账户")
        what = "新建账户"
        ring = _require_field_holder(app, "授予敏感信息权限") if sensitive and not first else _ring(app, what)
        if s.scalar(select(Account.id).where(Account.name == name)) is not None:
            raise ValidationError("account_exists", f"登录名「{name}」已存在。")
        account = Account(name=name, display_name=display_name, role=role, sensitive=sensitive,
                          password_hash=passwords.hash_password(password))
        s.add(account)
        s.flush()
        keys.wrap_for_account(s, ring, account.id, password, sensitive=sensitive)
        if sensitive:
            audit.log(s, "grant_sensitive", TABLE, account.id, note=name)
        if first:
            keys.drop_machine_wrap(s)
            row = s.get(Setting, NO_PASSWORD)
            if row is not None:
                s.delete(row)
    if first:
        sign_in(app, name, password)
    label = ROLE_LABELS.get(role, role)
    return Changes.of(TABLE, rows=[(TABLE, account.id)], message=f"已新建账户：{name}（{label}）")


def choose_no_password(app: App) -> Changes:
    """「不设密码（单人使用）」: remembered so the GUI stops asking; the machine key keeps the keys."""
    with app.db.session() as s:
        if s.scalar(select(func.count(Account.id))):
            raise ValidationError("accounts_exist", "已有账户，不能改为不设密码。")
        row = s.get(Setting, NO_PASSWORD)
        if row is None:
            s.add(Setting(key=NO_PASSWORD, value=True))
        else:
            row.value = True
    return Changes.of("settings", message="已选择不设密码（单人使用）")


def _account(session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise ValidationError("account_missing", "找不到该账户。")
    return account


def change_password(app: App, old: str, new: str, *, now: datetime | None = None) -> Changes:
    """The signed-in account changes its own password (the old one checked like a sign-in)."""
    user = app.user
    if user is None:
        raise PermissionDenied(MSG_SIGN_IN_FIRST)
    passwords.check_rules(user.name, new, field="新密码")
    now = _now(now)
    with app.db.system_session() as s:
        account = _account(s, user.account_id)
        problem = _check(s, account, old, now)
    if problem is not None:
        raise PermissionDenied(problem.replace("密码错误", "原密码错误"))
    with app.db.system_session() as s:
        account = _account(s, user.account_id)
        ring = keys.unlock_with_password(s, account.id, old)
        account.password_hash = passwords.hash_password(new)
        account.must_change_password = False
        keys.drop_account_wraps(s, account.id)
        keys.wrap_for_account(s, ring, account.id, new, sensitive=bool(account.sensitive) and ring.field is not None)
        audit.log(s, "password_changed", TABLE, account.id, note=account.name)
    return Changes.of(TABLE, rows=[(TABLE, user.account_id)], message="已修改密码")


def reset_password(app: App, account_id: int, new: str) -> Changes:
    """An administrator sets another account's password. The master key is re-wrapped; the field
    key only when the administrator's ring holds it, else the account loses the sensitive permission."""
    app.require(MANAGE_ACCOUNTS, "重设密码")
    ring = _ring(app, "重设密码")
    with app.db.system_session() as s:
        account = _account(s, account_id)
        passwords.check_rules(account.name, new, field="新密码")
        keep_field = bool(account.sensitive) and ring.field is not None and app.can(SENSITIVE)
        lost = bool(account.sensitive) and not keep_field
        account.password_hash = passwords.hash_password(new)
        account.must_change_password = True
        account.failed_attempts = 0
        account.locked_until = None
        if lost:
            account.sensitive = False
            audit.log(s, "withdraw_sensitive", TABLE, account.id, note=f"{account.name}（重设密码）")
        keys.drop_account_wraps(s, account.id)
        keys.wrap_for_account(s, ring, account.id, new, sensitive=keep_field)
        audit.log(s, "password_reset", TABLE, account.id, note=account.name)
        name = account.name
    message = f"已重设「{name}」的密码"
    if lost:
        message += "；当前账户没有敏感信息密钥，该账户已失去敏感信息权限，请由有此权限的账户重新授予"
    return Changes.of(TABLE, rows=[(TABLE, account_id)], message=message)


def set_role(app: App, account_id: int, role: str) -> Changes:
    app.require(MANAGE_ACCOUNTS, "修改角色")
    if role not in ROLES:
        raise ValidationError("account_role", f"角色应为 {'、'.join(ROLE_LABELS.values())} 之一。")
    with app.db.system_session() as s:
        account = _account(s, account_id)
        if account.role == ADMIN and role != ADMIN and not _enabled_admins(s, besides=account.id):
            raise ValidationError("last_admin", MSG_LAST_ADMIN)
        account.role = role
        name = account.name
    _refresh_self(app, account_id)
    return Changes.of(TABLE, rows=[(TABLE, account_id)], message=f"已将「{name}」改为{ROLE_LABELS[role]}")


def set_sensitive(app: App, account_id: int, on: bool) -> Changes:
    """Grant (needs a signed-in holder of the permission: the field key is wrapped for the account)
    or withdraw (its field-key copy is deleted) the sensitive-information permission."""
    app.require(MANAGE_ACCOUNTS, "修改敏感信息权限")
    ring = _require_field_holder(app, "授予敏感信息权限") if on else None
    with app.db.system_session() as s:
        account = _account(s, account_id)
        if account.disabled_at is not None:
            raise ValidationError("account_disabled", f"账户「{account.name}」已停用。")
        if bool(account.sensitive) == on:
            return Changes()
        if on:
            assert ring is not None
            keys.grant_field_key(s, ring, account.id)
        else:
            keys.drop_account_wraps(s, account.id, field_only=True)
        account.sensitive = on
        audit.log(s, "grant_sensitive" if on else "withdraw_sensitive", TABLE, account.id, note=account.name)
        name = account.name
    _refresh_self(app, account_id)
    verb = "已授予" if on else "已收回"
    return Changes.of(TABLE, rows=[(TABLE, account_id)], message=f"{verb}「{name}」的敏感信息权限")


def disable_account(app: App, account_id: int, *, now: datetime | None = None) -> Changes:
    """Stop an account signing in: the row stays (the log names it), its key copies are deleted."""
    app.require(MANAGE_ACCOUNTS, "停用账户")
    with app.db.system_session() as s:
        account = _account(s, account_id)
        if account.disabled_at is not None:
            return Changes()
        if account.role == ADMIN and not _enabled_admins(s, besides=account.id):
            raise ValidationError("last_admin", MSG_LAST_ADMIN)
        account.disabled_at = _now(now)
        account.sensitive = False
        keys.drop_account_wraps(s, account.id)
        name = account.name
    if app.user is not None and app.user.account_id == account_id:
        sign_out(app)
    return Changes.of(TABLE, rows=[(TABLE, account_id)], message=f"已停用账户：{name}")


def unlock_account(app: App, account_id: int) -> Changes:
    app.require(MANAGE_ACCOUNTS, "解锁账户")
    with app.db.system_session() as s:
        account = _account(s, account_id)
        account.locked_until = None
        account.failed_attempts = 0
        audit.log(s, "unlock", TABLE, account.id, note=account.name)
        name = account.name
    return Changes.of(TABLE, rows=[(TABLE, account_id)], message=f"已解锁账户：{name}")


def _refresh_self(app: App, account_id: int) -> None:
    """The signed-in account's own role or permission changed: what it may do follows at once."""
    user = app.user
    if user is None or user.account_id != account_id:
        return
    with app.db.session() as s:
        account = _account(s, account_id)
        fresh = _signed_in(account)
    app.user = fresh
    ring = app.keys
    if not fresh.sensitive and ring is not None and ring.field is not None:  # withdrawn from oneself
        _use(app, fresh, keys.KeyRing(ring.database_id, ring.master, None, dict(ring.public_keys)))
    app.db.read_only_reason = _read_only_reason(app)
    protected_fields.apply(app)
