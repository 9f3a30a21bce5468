"""Accounts in the GUI (the accounts-and-keys issue): the sign-in dialog, the idle lock, the 账户
page in Settings, the first-run account step with the recovery sheet, and greying out by permission.

Nothing here opens a database session: everything goes through ``desktop.accounts.service`` and
``desktop.keys``; permissions are asked of ``App.can`` (``desktop.accounts.roles``).
"""
