"""The files a backup or a restore writes: the integrity check, fsync, and the temporary files a
killed backup left behind (those of dead processes, or older than a day, are cleared)."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
from pathlib import Path

from db.lock import alive


def fsync(path: Path) -> None:
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


def integrity_ok(path: Path) -> bool:
    """True when ``path`` is an SQLite file that passes ``PRAGMA integrity_check``."""
    try:
        with path.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return False
        con = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
        try:
            return con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            con.close()
    except (OSError, sqlite3.Error):
        return False


LEFTOVER_AGE_S = 24 * 3600
_TMP_PID = re.compile(r"\.(\d+)(?:\.restore)?\.tmp$")


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    return alive(pid)


def clear_leftovers(dest: Path) -> None:
    """Remove temporary files a killed backup left beside ``dest``: those of dead processes,
    or older than a day; never the one another running backup is writing."""
    now = time.time()
    for stale in dest.parent.glob(f".{dest.name}.*.tmp"):
        m = _TMP_PID.search(stale.name)
        with contextlib.suppress(OSError):
            old = now - stale.stat().st_mtime > LEFTOVER_AGE_S
            if old or (m is not None and not _pid_alive(int(m.group(1)))):
                stale.unlink()
