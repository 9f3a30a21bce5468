"""The key ring of an open database (stubs: the keys step implements them; see the package doc)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from sqlalchemy.orm import Session


@dataclass
class KeyRing:
    """What this process holds for the open database. ``master`` None: locked (no machine wrap
    here, nobody signed in yet, or the database came from another PC)."""

    database_id: str = ""
    master: bytes | None = None
    field: bytes | None = None  # the field data key: only for accounts with the permission
    public_keys: dict[str, bytes] = dc_field(default_factory=dict)  # "signing", "audit" -> raw Ed25519 public

    @property
    def locked(self) -> bool:
        return self.master is None

    def private_key(self, session: Session, name: str) -> Any:
        """The unsealed Ed25519 private key ``name`` (``signing`` or ``audit``), or None when locked."""
        raise NotImplementedError

    def sign(self, session: Session, name: str, data: bytes) -> bytes | None:
        """An Ed25519 signature of ``data`` with key ``name``; None when locked."""
        raise NotImplementedError


def create_keys(session: Session) -> KeyRing:
    raise NotImplementedError


def open_ring(session: Session) -> KeyRing:
    raise NotImplementedError


def unlock_with_password(session: Session, account_id: int, password: str) -> KeyRing:
    raise NotImplementedError


def unlock_with_recovery(session: Session, recovery_key: str) -> KeyRing:
    raise NotImplementedError


def wrap_for_account(session: Session, ring: KeyRing, account_id: int, password: str, *, sensitive: bool) -> None:
    raise NotImplementedError


def grant_field_key(session: Session, ring: KeyRing, account_id: int) -> None:
    raise NotImplementedError


def drop_account_wraps(session: Session, account_id: int, *, field_only: bool = False) -> None:
    raise NotImplementedError


def new_recovery_key(session: Session, ring: KeyRing) -> str:
    raise NotImplementedError


def drop_machine_wrap(session: Session) -> None:
    raise NotImplementedError


def fingerprint(public_keys: dict[str, bytes]) -> str:
    raise NotImplementedError


def check_keys(session: Session, ring: KeyRing | None) -> list[str]:
    raise NotImplementedError
