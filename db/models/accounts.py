"""Accounts, wrapped keys and sealed key material (the accounts-and-keys issue).

No key is ever stored in clear: the database's master key exists only wrapped (``KeyWrap``) per
account (under a key derived from the password with Argon2id), under the printed recovery key, and
under a machine key kept in the user's profile (until an administrator exists, or for an office
without passwords). The master key seals the Ed25519 private keys in ``KeyMaterial`` (certificate
signing, audit chain heads); the field data key (sensitive columns) is wrapped separately, only for
accounts with the sensitive-information permission and for the recovery key.

An account's password hash (Argon2id, argon2-cffi's encoded form) is never described as a field, so
it never reaches the audit log, a form or an export.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, LargeBinary, String, func
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.fields import field

#: role codes (labels in desktop.accounts.roles)
ROLES = ("admin", "clerk", "readonly")


class Account(Base):
    """A clerk who signs in: role, the sensitive-information permission, lockout state."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True, info=field("登录名", width=12))
    display_name: Mapped[str] = mapped_column(String(40), default="", info=field("经办人姓名", width=10))
    role: Mapped[str] = mapped_column(
        String(16), default="clerk",
        info=field("角色", "choice", choices="account_roles", width=8),
    )
    # Not a described field (no bool kind): granting and withdrawing are logged explicitly.
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    password_hash: Mapped[str] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, info=field("最近登录", width=17))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, info=field("停用时间", width=17))


class KeyWrap(Base):
    """One wrapped copy of a key.

    ``holder``: ``account`` (``account_id`` set; ``kek`` derived from the password with Argon2id,
    ``salt`` and ``params`` kept here), ``recovery`` (the printed recovery key, Argon2id too),
    ``machine`` (the machine key in the user's profile; ``machine`` names which one, ``method``
    ``direct``), or ``box`` (sealed to an account's X25519 public key, for granting the permission
    to an account whose password the granter does not know).
    ``key_name``: ``master``, ``field`` or ``box`` (an account's X25519 private key).
    ``sealed``: AES-256-GCM nonce (12 bytes) + ciphertext + tag.
    """

    __tablename__ = "key_wraps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    holder: Mapped[str] = mapped_column(String(16))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), nullable=True,
                                                   index=True)
    machine: Mapped[str | None] = mapped_column(String(64), nullable=True)
    key_name: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(16))  # argon2id | direct | x25519
    salt: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    params: Mapped[Any] = mapped_column(JSON, nullable=True)  # {"m": 65536, "t": 3, "p": 1}
    public: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # box: the account's X25519 public key
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())


class KeyMaterial(Base):
    """A named key pair: ``signing`` (certificates), ``audit`` (chain heads). The public key in
    clear (raw 32 bytes); the private key sealed under the master key."""

    __tablename__ = "key_material"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    public: Mapped[bytes] = mapped_column(LargeBinary)
    sealed: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())


class AuditHead(Base):
    """A signed chain head: the audit row ``seq`` it covers, that row's hash, the Ed25519 signature
    (audit key) over ``f"{seq}:{row_hash}"``, written at the end of each job and session."""

    __tablename__ = "audit_heads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    row_hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    signed_at: Mapped[datetime] = mapped_column(DateTime)
