"""The recovery key as a clerk types it: 8 groups of 4 characters from an alphabet without look-alikes
(no 0/O, 1/I), the last group a check over the other seven (140 random bits), so a mistyped
character is caught before the slow key derivation runs."""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 characters: 5 bits each
GROUPS = 8
GROUP_LEN = 4
DATA_LEN = (GROUPS - 1) * GROUP_LEN


class RecoveryKeyInvalid(ValueError):
    """A recovery key that is malformed or does not open this database (a Chinese message)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _check_group(data: str) -> str:
    digest = int.from_bytes(hashlib.sha256(b"uniondesk-recovery:" + data.encode()).digest()[:4], "big")
    return "".join(ALPHABET[(digest >> (5 * i)) & 31] for i in range(GROUP_LEN))


def generate() -> str:
    """A new key, grouped for printing: ``ABCD-EFGH-...`` (8 groups)."""
    data = "".join(secrets.choice(ALPHABET) for _ in range(DATA_LEN))
    return format_key(data + _check_group(data))


def format_key(chars: str) -> str:
    return "-".join(chars[i:i + GROUP_LEN] for i in range(0, len(chars), GROUP_LEN))


def groups(key: str) -> list[str]:
    return format_key(normalize(key)).split("-")


def normalize(typed: str) -> str:
    """The 32 characters of a typed key (spaces, dashes and case ignored); raises RecoveryKeyInvalid."""
    chars = "".join(c for c in (typed or "").upper() if not c.isspace() and c not in "-_—–")
    if len(chars) != GROUPS * GROUP_LEN:
        raise RecoveryKeyInvalid(f"恢复密钥应为 {GROUPS} 组、每组 {GROUP_LEN} 个字符，请对照恢复密钥表重新输入。")
    bad = sorted({c for c in chars if c not in ALPHABET})
    if bad:
        raise RecoveryKeyInvalid(f"恢复密钥中有无效字符「{''.join(bad)}」（密钥不含 0、1、I、O），请核对后重新输入。")
    data, check = chars[:DATA_LEN], chars[DATA_LEN:]
    if _check_group(data) != check:
        raise RecoveryKeyInvalid("恢复密钥校验不符，可能有字符输错，请逐组核对后重新输入。")
    return chars


def secret_of(typed: str) -> str:
    """What the key derivation hashes: the 28 data characters (the check group adds nothing)."""
    return normalize(typed)[:DATA_LEN]
