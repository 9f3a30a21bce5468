"""Login hashes (Argon2id through argon2-cffi, parameters from desktop.keys.kdf) and password rules."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from db.errors import ValidationError
from desktop.keys.kdf import login_params

MIN_LENGTH = 8
MAX_LENGTH = 128


def hasher() -> PasswordHasher:
    p = login_params()
    return PasswordHasher(time_cost=p.time_cost, memory_cost=p.memory_kib, parallelism=p.parallelism)


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify(encoded: str, password: str) -> bool:
    try:
        return hasher().verify(encoded, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(encoded: str) -> bool:
    """The stored hash was made with other parameters than today's (stronger or test ones)."""
    try:
        return hasher().check_needs_rehash(encoded)
    except (InvalidHashError, ValueError):
        return True


def check_rules(name: str, password: str, *, field: str = "密码") -> None:
    """Raise ValidationError (one Chinese line) for a password the rules refuse."""
    if len(password) < MIN_LENGTH:
        raise ValidationError("password_short", f"{field}至少需要 {MIN_LENGTH} 个字符（现在是 {len(password)} 个）。")
    if len(password) > MAX_LENGTH:
        raise ValidationError("password_long", f"{field}不能超过 {MAX_LENGTH} 个字符。")
    if password.strip().lower() == name.strip().lower():
        raise ValidationError("password_is_name", f"{field}不能与登录名相同。")
    if not password.strip():
        raise ValidationError("password_blank", f"{field}不能全是空格。")
