"""What this user's profile remembers about each database: ``<data folder>/keys/<database_id>.json``.

``fingerprint``: the database's public keys as first seen here (``verify`` and ``check`` compare);
``audit_head``: the newest signed audit chain head seen here (``{"seq": N, "row_hash": "..."}``),
so rows cut off the end of the log together with their heads are still noticed. The machine key
lives beside it (``machine.key``). Written atomically (temporary file, then rename).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path
from typing import Any

from desktop import paths

_ID = re.compile(r"^[0-9a-f]{8,64}$")


def keys_dir() -> Path:
    folder = paths.data_dir() / "keys"
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        folder.chmod(0o700)
    return folder


def _file(database_id: str) -> Path:
    if not _ID.match(database_id):
        raise ValueError(f"not a database id: {database_id!r}")
    return keys_dir() / f"{database_id}.json"


def read_profile(database_id: str) -> dict[str, Any]:
    """What the profile holds for the database ({} when nothing, or the file is unreadable)."""
    try:
        data = json.loads(_file(database_id).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def update_profile(database_id: str, **items: Any) -> None:
    """Set ``items`` in the database's profile file, keeping its other entries."""
    target = _file(database_id)
    data = read_profile(database_id)
    data.update(items)
    tmp = target.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    with contextlib.suppress(OSError):
        tmp.chmod(0o600)
    os.replace(tmp, target)
