"""Roles and permissions: what the GUI greys out and what every service and command checks.

A database with no accounts (fresh, ``demo``, the tests' own, or an office that chose
「不设密码（单人使用）」) allows everything except :data:`SENSITIVE` (sensitive fields can be
neither written nor opened: an administrator must be created first).
"""

from __future__ import annotations

from dataclasses import dataclass

from db.errors import DatabaseProblem

ADMIN, CLERK, READONLY = "admin", "clerk", "readonly"

# Permissions
MANAGE_ACCOUNTS = "manage_accounts"  # accounts, the audit-log screen, the recovery sheet
SETTINGS = "settings"
RESTORE = "restore"  # restore, demo --force
WRITE = "write"  # everyday work: records, imports, issuing certificates, backups
PRINT = "print"  # reports and exports with masked numbers
REVEAL = "reveal"  # whole ID/phone numbers: reveal, export/report --full, legal documents
SENSITIVE = "sensitive"  # open and write fields of the sensitive privacy class

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    ADMIN: frozenset({MANAGE_ACCOUNTS, SETTINGS, RESTORE, WRITE, PRINT}),
    CLERK: frozenset({WRITE, PRINT}),
    READONLY: frozenset({PRINT}),
}
#: granted with the account's sensitive-information permission, on top of its role
SENSITIVE_PERMISSIONS = frozenset({REVEAL, SENSITIVE})
#: what a database without accounts allows (everything but sensitive fields)
NO_ACCOUNTS = frozenset({MANAGE_ACCOUNTS, SETTINGS, RESTORE, WRITE, PRINT, REVEAL})


@dataclass(frozen=True)
class SignedIn:
    """The account working now."""

    account_id: int
    name: str  # login name
    display_name: str
    role: str
    sensitive: bool = False

    @property
    def permissions(self) -> frozenset[str]:
        extra = SENSITIVE_PERMISSIONS if self.sensitive else frozenset()
        return ROLE_PERMISSIONS.get(self.role, frozenset()) | extra


class PermissionDenied(DatabaseProblem):
    """A missing permission or no signed-in account: a Chinese message; CLI exit 1."""

    def __init__(self, message: str) -> None:
        super().__init__("permission_denied", message)


def allowed(user: SignedIn | None, permission: str, *, has_accounts: bool) -> bool:
    if not has_accounts:
        return permission in NO_ACCOUNTS
    return user is not None and permission in user.permissions
