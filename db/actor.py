"""Who is working: written into every audit row and shown in the log."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass


@dataclass
class Actor:
    """Who is working: the signed-in account's name (the clerk's name from Settings for a database
    without accounts), the account's login name ("" without accounts) and the operating-system user."""

    clerk: str = ""
    os_user: str = ""
    account: str = ""

    @classmethod
    def current(cls, clerk: str = "") -> Actor:
        try:
            user = getpass.getuser()
        except (OSError, KeyError, ImportError):
            user = os.environ.get("USERNAME", "")
        return cls(clerk=clerk, os_user=user)
