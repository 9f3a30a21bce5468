"""Holder files: each process names itself (program, user, pid, started) beside the lock, so a
refusal can say who has the database open. A process writes and deletes only its own."""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

from db.lock.keys import alive, uid

log = logging.getLogger("db.lock")

_holders_lock = threading.Lock()
_own: dict[tuple[Path, str], dict[int, dict[str, Any]]] = {}  # (folder, key) -> {token: entry}


def _holder_path(folder: Path, key: str, pid: int) -> Path:
    return folder / f"{key}.{pid}.holder"


def _write_own(folder: Path, key: str) -> None:
    """Rewrite this process's holder file from its entries (removed when none is left)."""
    path = _holder_path(folder, key, os.getpid())
    entries = list(_own.get((folder, key), {}).values())
    try:
        if not entries:
            path.unlink(missing_ok=True)
            return
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
        with contextlib.suppress(OSError):
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:  # the holder file only names us in messages: never fatal
        log.warning("cannot write the lock holder file %s: %s", path, exc)


_swept: set[Path] = set()


def _sweep(folder: Path) -> None:
    """Once per process and folder: remove our own holder files that dead processes left."""
    if folder in _swept:
        return
    _swept.add(folder)
    for path in folder.glob("*.holder"):
        try:
            pid = int(path.name.rsplit(".", 2)[-2])
        except (ValueError, IndexError):
            continue
        if pid != os.getpid() and not alive(pid):
            _remove_stale(path)


@atexit.register
def _remove_own_holder_files() -> None:
    """A process that ends without releasing (a script, a crash handled by Python) leaves none."""
    with _holders_lock:
        for folder, key in list(_own):
            with contextlib.suppress(OSError):
                _holder_path(folder, key, os.getpid()).unlink(missing_ok=True)
        _own.clear()


def register(folder: Path, key: str, token: int, entry: dict[str, Any]) -> None:
    with _holders_lock:
        _sweep(folder)
        _own.setdefault((folder, key), {})[token] = entry
        _write_own(folder, key)


def unregister(folder: Path, key: str, token: int) -> None:
    with _holders_lock:
        entries = _own.get((folder, key), {})
        entries.pop(token, None)
        if not entries:
            _own.pop((folder, key), None)
        _write_own(folder, key)


def holders(folder: Path, key: str, *, exclude: int | None = None,
            program: str | None = None) -> list[dict[str, Any]]:
    """Who has the database open, from the holder files (ours except ``exclude``; dead ones skipped)."""
    found: list[dict[str, Any]] = []
    me = os.getpid()
    for path in sorted(folder.glob(f"{key}.*.holder")):
        try:
            pid = int(path.name[len(key) + 1:-len(".holder")])
        except ValueError:
            continue
        if pid == me:
            with _holders_lock:
                mine = dict(_own.get((folder, key), {}))
            entries = [e for t, e in mine.items() if t != exclude]
        else:
            if not alive(pid):
                _remove_stale(path)
                continue
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = [{"pid": pid}]
            entries = [e for e in (data if isinstance(data, list) else [data]) if isinstance(e, dict)]
        found.extend(e for e in entries if program is None or e.get("program") == program)
    return found


def _remove_stale(path: Path) -> None:
    """A dead process's holder file: removed when it is ours (same user), else ignored."""
    with contextlib.suppress(OSError):
        if os.name == "nt" or path.stat().st_uid == uid():
            path.unlink()
