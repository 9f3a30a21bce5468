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


#: Characters Windows refuses in a file name (and the path separators).
_NOT_IN_NAMES = str.maketrans({c: "_" for c in '\\/:*?"<>|'} | {"\n": " ", "\r": " ", "\t": " "})


def file_name(*words: str, suffix: str) -> str:
    """A file name from what the file holds: ``拜师帖-王建国（数控铣工）-2026-12-05.pdf``.
    Empty words are left out; characters Windows refuses become ``_``."""
    parts = [" ".join(w.translate(_NOT_IN_NAMES).split()) for w in words]
    stem = "-".join(p for p in parts if p).strip(" .") or "未命名"
    return stem[:120] + suffix


def free_name(folder: Path, name: str) -> str:
    """``name``, or ``stem（2）.pdf``, ``stem（3）.pdf``... when ``folder`` already holds it: a
    suggested name never points at a file that exists (nothing is overwritten unasked)."""
    path = Path(name)
    stem, suffix = path.stem, path.suffix
    candidate, n = name, 2
    while (folder / candidate).exists():
        candidate = f"{stem}（{n}）{suffix}"
        n += 1
    return candidate
