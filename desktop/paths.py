"""Where the data, logs and backups live: the per-user data folder (platformdirs).

``UNIONDESK_HOME`` overrides it (tests, portable installs).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir


def data_dir() -> Path:
    override = os.environ.get("UNIONDESK_HOME")
    path = Path(override) if override else Path(user_data_dir("UnionDesk", "UnionDesk", roaming=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database() -> Path:
    return data_dir() / "uniondesk.sqlite3"


def backups_dir() -> Path:
    return data_dir() / "backups"


def logs_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_file() -> Path:
    return logs_dir() / "uniondesk.log"


def templates_dir() -> Path:
    return data_dir() / "templates"
