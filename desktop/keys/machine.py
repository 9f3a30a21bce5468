"""This user's machine key: 32 random bytes in ``<data folder>/keys/machine.key``.

On Windows the file holds the key protected with DPAPI (``CryptProtectData``, current-user scope,
through ctypes), so another Windows user or another PC cannot read it. Elsewhere it is a file only
this user may read (mode 0600): a wider mode found on the file is repaired (and logged) before the
key is used. The key's id (:func:`machine_id`: first 16 hex of its SHA-256) names the machine
wrap it opens (``KeyWrap.machine``); a data folder moved to another PC has no usable machine key.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import stat
import sys
from pathlib import Path

from desktop.keys.profile import keys_dir

log = logging.getLogger(__name__)
FILE_NAME = "machine.key"
_DPAPI_MAGIC = b"UDK-DPAPI1\n"
_PLAIN_MAGIC = b"UDK-PLAIN1\n"
KEY_BYTES = 32


class MachineKeyError(ValueError):
    """The machine key file exists but cannot be used (damaged, another user's DPAPI blob)."""


def key_path() -> Path:
    return keys_dir() / FILE_NAME


def machine_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:16]


# -- DPAPI (Windows) ---------------------------------------------------------------------------


def _dpapi(data: bytes, protect: bool) -> bytes:  # pragma: no cover - Windows only
    import ctypes
    from ctypes import wintypes

    class Blob(ctypes.Structure):
        _fields_ = [("cbData", wintypes.DWORD), ("pbData", ctypes.POINTER(ctypes.c_char))]

    crypt32 = ctypes.windll.crypt32  # type: ignore[attr-defined]
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    buf = ctypes.create_string_buffer(data, len(data))
    blob_in = Blob(len(data), ctypes.cast(buf, ctypes.POINTER(ctypes.c_char)))
    blob_out = Blob()
    entropy_buf = ctypes.create_string_buffer(b"UnionDesk machine key", 21)
    entropy = Blob(21, ctypes.cast(entropy_buf, ctypes.POINTER(ctypes.c_char)))
    flags = 0x1  # CRYPTPROTECT_UI_FORBIDDEN; current-user scope (no LOCAL_MACHINE flag)
    fn = crypt32.CryptProtectData if protect else crypt32.CryptUnprotectData
    ok = fn(ctypes.byref(blob_in), None, ctypes.byref(entropy), None, None, flags, ctypes.byref(blob_out))
    if not ok:
        raise MachineKeyError(f"DPAPI failed (error {ctypes.GetLastError()})")
    try:
        return ctypes.string_at(blob_out.pbData, blob_out.cbData)
    finally:
        kernel32.LocalFree(blob_out.pbData)


def _windows() -> bool:
    return sys.platform == "win32"


# -- the file ------------------------------------------------------------------------------------


def _check_mode(path: Path) -> None:
    """POSIX: the key file readable by this user only (a wider mode is repaired, then logged)."""
    if _windows():
        return
    st = path.stat()
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise MachineKeyError(f"{path} belongs to another user")
    if stat.S_IMODE(st.st_mode) & 0o077:
        log.warning("machine key %s had mode %o: repaired to 0600", path, stat.S_IMODE(st.st_mode))
        path.chmod(0o600)


def _decode(raw: bytes) -> bytes:
    if raw.startswith(_DPAPI_MAGIC):
        if not _windows():
            raise MachineKeyError("a DPAPI machine key cannot be read on this system")
        key = _dpapi(raw[len(_DPAPI_MAGIC):], protect=False)
    elif raw.startswith(_PLAIN_MAGIC):
        key = raw[len(_PLAIN_MAGIC):]
    else:
        raise MachineKeyError("not a machine key file")
    if len(key) != KEY_BYTES:
        raise MachineKeyError("machine key of the wrong length")
    return key


def read_machine_key() -> bytes | None:
    """This user's machine key, or None when there is none (a new PC or data folder)."""
    path = key_path()
    try:
        _check_mode(path)
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    return _decode(raw)


def load_or_create() -> bytes:
    """The machine key, made (and stored) the first time. Never overwrites an existing file."""
    existing = read_machine_key()
    if existing is not None:
        return existing
    key = os.urandom(KEY_BYTES)
    body = _DPAPI_MAGIC + _dpapi(key, protect=True) if _windows() else _PLAIN_MAGIC + key
    path = key_path()
    tmp = path.with_name(f"{FILE_NAME}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(body)
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(OSError):
            tmp.chmod(0o600)
        try:  # another process may have made one meanwhile: theirs wins (never overwrite)
            os.link(tmp, path)
        except FileExistsError:
            pass
        except OSError:  # no hard links (some file systems): fall back to an exclusive rename
            if not path.exists():
                os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    stored = read_machine_key()
    assert stored is not None
    return stored
