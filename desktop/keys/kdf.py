"""Argon2id parameters: login hashes and key wrapping.

Login (``argon2.PasswordHasher``): m = 19 MiB, t = 2, p = 1 (OWASP's minimum for Argon2id).
Wrapping a key under a password or the recovery key (``argon2.low_level.hash_secret_raw``):
m = 64 MiB, t = 3, p = 1: slower, since a stolen database lets an attacker try passwords offline
against the wrapped key without the login's lockout.

``UNIONDESK_TEST_KDF=1`` (set by the test suite only) uses m = 1 MiB, t = 1 for both so that
hundreds of test accounts stay fast; the parameters are stored with every hash and wrap, so a
database made under it still opens with the real code (and says nothing weaker is accepted for
new wraps).
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Argon2Params:
    memory_kib: int
    time_cost: int
    parallelism: int = 1

    def as_dict(self) -> dict[str, int]:
        return {"m": self.memory_kib, "t": self.time_cost, "p": self.parallelism}

    @classmethod
    def from_dict(cls, d: dict[str, int]) -> Argon2Params:
        return cls(int(d["m"]), int(d["t"]), int(d.get("p", 1)))


LOGIN = Argon2Params(19 * 1024, 2)
WRAP = Argon2Params(64 * 1024, 3)
_TEST = Argon2Params(1024, 1)


def _testing() -> bool:
    return os.environ.get("UNIONDESK_TEST_KDF") == "1"


def login_params() -> Argon2Params:
    return _TEST if _testing() else LOGIN


def wrap_params() -> Argon2Params:
    return _TEST if _testing() else WRAP
