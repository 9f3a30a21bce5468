"""Protected columns: fields of the sensitive privacy class, stored encrypted under the field data key.

A :class:`Protected` column stores ``"v1:" + base64(nonce + AES-256-GCM ciphertext)``; the
associated data names the table and column (``uniondesk:disputes.details``), so a ciphertext
copied into another column or table does not decrypt. The key never sits in the database: the
desktop layer unwraps it for an account holding the sensitive-information permission and sets it
on :attr:`db.database.Database.field_key`; every transaction of that database (ORM session or
Core connection, in any thread) then sees it through :data:`FIELD_KEY` (set at the engine's
``begin``, see :func:`install`).

Without the key a non-empty value reads as :data:`PROTECTED_TEXT` (「（受保护）」) and writing a
non-empty value raises ``DatabaseProblem("sensitive_locked")``. An object loaded without the key
and saved with another column changed keeps its protected value: only changed columns are written,
and the placeholder itself is never accepted as a value (that would overwrite the real one).

Declare a column as ``mapped_column(Protected(), info=field("…", privacy=SENSITIVE))``; the
table and column names are filled in when the column joins its table.
"""

from __future__ import annotations

import base64
import os
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Column, Engine, Table, Text, event
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from db.errors import DatabaseProblem

PROTECTED_TEXT = "（受保护）"
PREFIX = "v1:"
NONCE_BYTES = 12
KEY_BYTES = 32

#: Why there is no key (which message a refused write gives).
NO_ACCOUNTS, NO_PERMISSION = "no_accounts", "no_permission"
_LOCKED_MESSAGES = {
    NO_ACCOUNTS: "「{label}」是敏感信息，须由有敏感信息权限的账户填写；本数据库尚未创建管理员账户，"
                 "请先在设置中创建管理员账户。未保存。",
    NO_PERMISSION: "「{label}」是敏感信息，当前账户没有敏感信息权限（或尚未登录），不能填写。"
                   "请由有此权限的账户登录后填写。未保存。",
}


@dataclass(frozen=True)
class FieldKeyState:
    """What the transactions of this context may do with protected columns."""

    key: bytes | None = None
    reason: str = NO_ACCOUNTS  # when ``key`` is None: NO_ACCOUNTS or NO_PERMISSION


#: (table, column) of every protected column declared in this process (the audit log masks them).
PROTECTED_COLUMNS: set[tuple[str, str]] = set()

#: The field data key of the database whose transaction runs in this context (thread).
FIELD_KEY: ContextVar[FieldKeyState] = ContextVar("uniondesk_field_key",
                                                         default=FieldKeyState())  # noqa: B039 - frozen


def locked_problem(label: str, reason: str = NO_ACCOUNTS) -> DatabaseProblem:
    """The refusal of a write to protected column ``label`` without the key."""
    text = _LOCKED_MESSAGES.get(reason, _LOCKED_MESSAGES[NO_PERMISSION])
    return DatabaseProblem("sensitive_locked", text.format(label=label))


def _check_key(key: bytes | None) -> None:
    if key is not None and len(key) != KEY_BYTES:
        raise ValueError("the field data key must be 32 bytes (AES-256)")


def aad(table: str, column: str) -> bytes:
    return f"uniondesk:{table}.{column}".encode()


def encrypt(key: bytes, table: str, column: str, text: str) -> str:
    """``text`` as a protected column stores it."""
    _check_key(key)
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, text.encode("utf-8"), aad(table, column))
    return PREFIX + base64.b64encode(nonce + sealed).decode("ascii")


def decrypt(key: bytes, table: str, column: str, stored: str, label: str = "") -> str:
    """The clear text of a stored value; DatabaseProblem ``sensitive_damaged`` when it does not
    decrypt (moved from another column, edited, or another database's key)."""
    _check_key(key)
    try:
        if not stored.startswith(PREFIX):
            raise ValueError("not a protected value")
        raw = base64.b64decode(stored[len(PREFIX):], validate=True)
        if len(raw) < NONCE_BYTES + 16:
            raise ValueError("too short")
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad(table, column)).decode("utf-8")
    except (ValueError, InvalidTag, UnicodeDecodeError) as exc:
        raise DatabaseProblem(
            "sensitive_damaged",
            f"「{label or column}」的受保护内容无法解密（数据被改动或从别处移来，或密钥不符），请从备份恢复或联系管理员。",
        ) from exc


class Protected(TypeDecorator[str]):
    """A text column stored encrypted (see the module doc). ``table`` and ``column`` are set
    when the column joins its table; ``label`` is the field's label, for messages."""

    impl = Text
    cache_ok = True

    def __init__(self, table: str = "", column: str = "", label: str = "") -> None:
        super().__init__()
        self.table = table
        self.column = column
        self.label = label

    def _where(self) -> tuple[str, str, str]:
        if not self.table or not self.column:
            raise RuntimeError("a Protected type must belong to a table's column")
        return self.table, self.column, self.label or self.column

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        text = value if isinstance(value, str) else str(value)
        if text == "":
            return ""
        table, column, label = self._where()
        if text == PROTECTED_TEXT:
            # Only a reader without the key ever sees the placeholder; saving it would replace the value.
            raise DatabaseProblem("sensitive_placeholder",
                                  f"「{label}」显示为{PROTECTED_TEXT}，不能原样保存为内容。未保存。")
        state = FIELD_KEY.get()
        if state.key is None:
            raise locked_problem(label, state.reason)
        return encrypt(state.key, table, column, text)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None or value == "":
            return value
        state = FIELD_KEY.get()
        if state.key is None:
            return PROTECTED_TEXT
        table, column, label = self._where()
        return decrypt(state.key, table, column, str(value), label)

    def process_literal_param(self, value: Any, dialect: Dialect) -> str:
        raise DatabaseProblem("sensitive_literal", "受保护的字段不能写入 SQL 文本。")

    def copy(self, **kw: Any) -> Protected:
        return Protected(self.table, self.column, self.label)


@event.listens_for(Column, "after_parent_attach")
def _name_protected(col: Column[Any], parent: Any) -> None:
    """Give a Protected column's type its table and column name (the AAD) and label."""
    if not isinstance(col.type, Protected) or not isinstance(parent, Table):
        return
    f = col.info.get("field")
    label = str(getattr(f, "label", "") or col.type.label)
    # A new instance each time: one Protected() shared by several columns (a mixin, a copied table)
    # gives each its own table and column name, so a value never decrypts in another column.
    col.type = Protected(parent.name, col.name, label)
    PROTECTED_COLUMNS.add((parent.name, col.name))


def install(engine: Engine, state: Any) -> None:
    """Every transaction begun on ``engine`` sees ``state()``'s key in its context (thread)."""

    def on_begin(_conn: object) -> None:
        FIELD_KEY.set(state())

    event.listen(engine, "begin", on_begin)


def is_protected(col: Any) -> bool:
    """Whether a SQLAlchemy column (or Table column) is stored encrypted."""
    return isinstance(getattr(col, "type", None), Protected)


__all__ = ["FIELD_KEY", "NO_ACCOUNTS", "NO_PERMISSION", "PREFIX", "PROTECTED_COLUMNS", "PROTECTED_TEXT", "FieldKeyState", "Protected",
           "aad", "decrypt", "encrypt", "install", "is_protected", "locked_problem"]
