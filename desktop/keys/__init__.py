"""The database's keys (the accounts-and-keys issue): one master key per database, never in clear.

Public API (other packages use only these names):

- :class:`KeyRing`: what this process could unwrap for the open database.
- :func:`create_keys` at database creation (every database: fresh, demo, tests): a random master
  key wrapped under this machine's key, the Ed25519 ``signing`` and ``audit`` key pairs sealed
  under it, a random ``database_id`` setting; the public keys' fingerprint kept in the profile.
- :func:`open_ring` at open: unwraps through the machine key when a machine wrap exists for this
  PC, else returns a ring without the master key (``locked``) until someone signs in.
- :func:`unlock_with_password`, :func:`unlock_with_recovery`: a ring from an account's password
  (master key, and the field key when the account holds the permission) or the recovery key.
- :func:`wrap_for_account` (account created or password changed: needs a ring with the master
  key; the field key only when ``sensitive``), :func:`grant_field_key` (needs a ring holding the
  field key), :func:`drop_account_wraps`.
- :func:`new_recovery_key`: makes a new recovery key, wraps master + field key under it, deletes
  the previous recovery wraps, returns the key text to print on the 恢复密钥 sheet.
- :func:`drop_machine_wrap`: when the first administrator is created (not for an office without
  passwords).
- :func:`fingerprint`: of the database's public keys (printed on the recovery sheet).
- :func:`wrap_for_machine`: the master key for this PC again (an office without passwords that
  moved with its recovery sheet: :func:`unlock_app_with_recovery` does it).
- :func:`print_recovery_sheet` (desktop.keys.sheet): a new recovery key printed to a PDF.
- :func:`key_check_lines`: ``check``'s key lines and whether a key was swapped.
- :func:`check_keys`: compares the database's public keys with the profile's fingerprint and with
  the keys derived from the private keys where the ring can unseal them; a list of Chinese problems.
"""

from desktop.keys.ring import (
    KeyRing,
    check_keys,
    create_keys,
    drop_account_wraps,
    drop_machine_wrap,
    fingerprint,
    grant_field_key,
    new_recovery_key,
    open_ring,
    unlock_with_password,
    unlock_with_recovery,
    wrap_for_account,
    wrap_for_machine,
)
from desktop.keys.sheet import key_check_lines, print_recovery_sheet, unlock_app_with_recovery

__all__ = [
    "KeyRing", "check_keys", "create_keys", "drop_account_wraps", "drop_machine_wrap", "fingerprint",
    "grant_field_key", "key_check_lines", "new_recovery_key", "open_ring", "print_recovery_sheet",
    "unlock_app_with_recovery", "unlock_with_password", "unlock_with_recovery", "wrap_for_account",
    "wrap_for_machine",
]
