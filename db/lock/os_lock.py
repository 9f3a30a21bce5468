"""One OS-level lock on one lock file: ``flock`` on POSIX, ``LockFileEx`` on Windows."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from db.lock.keys import uid


class OsLock:
    """A shared or exclusive lock on one lock file (flock; LockFileEx on Windows).

    flock locks belong to the open file description, so two of these in one process conflict
    just as two processes do.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None
        self.mode: str | None = None  # "shared", "exclusive" or None

    def _open(self) -> int:
        if self.fd is None:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            except PermissionError:
                fd = os.open(self.path, os.O_RDONLY)  # another user's lock file: reading is enough
            else:
                with contextlib.suppress(OSError):
                    if os.name != "nt" and os.fstat(fd).st_uid == uid():
                        os.fchmod(fd, 0o666)  # whatever the umask: every user must be able to open it
            self.fd = fd
        return self.fd

    def try_lock(self, exclusive: bool) -> bool:
        fd = self._open()
        if os.name == "nt":  # pragma: no cover - Windows only
            ok = _win_lock(fd, exclusive)
        else:
            import fcntl

            try:
                fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
                ok = True
            except BlockingIOError:
                ok = False
        # A failed conversion drops the lock held before (flock does so; on Windows we unlock first).
        self.mode = ("exclusive" if exclusive else "shared") if ok else None
        return ok

    def unlock(self) -> None:
        if self.fd is None or self.mode is None:
            return
        if os.name == "nt":  # pragma: no cover - Windows only
            _win_unlock(self.fd)
        else:
            import fcntl

            fcntl.flock(self.fd, fcntl.LOCK_UN)
        self.mode = None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.unlock()
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None
        self.mode = None


if os.name == "nt":  # pragma: no cover - Windows only
    import ctypes
    from ctypes import wintypes

    class _Overlapped(ctypes.Structure):
        _fields_ = [("Internal", ctypes.c_void_p), ("InternalHigh", ctypes.c_void_p),
                    ("Offset", wintypes.DWORD), ("OffsetHigh", wintypes.DWORD), ("hEvent", wintypes.HANDLE)]

    _LOCKFILE_FAIL_IMMEDIATELY = 0x1
    _LOCKFILE_EXCLUSIVE_LOCK = 0x2

    def _handle(fd: int) -> int:
        import msvcrt

        return msvcrt.get_osfhandle(fd)

    def _win_lock(fd: int, exclusive: bool) -> bool:
        kernel32 = ctypes.windll.kernel32
        flags = _LOCKFILE_FAIL_IMMEDIATELY | (_LOCKFILE_EXCLUSIVE_LOCK if exclusive else 0)
        _win_unlock(fd)  # LockFileEx does not convert: drop the shared lock first (as flock does)
        ov = _Overlapped()
        return bool(kernel32.LockFileEx(wintypes.HANDLE(_handle(fd)), flags, 0, 1, 0, ctypes.byref(ov)))

    def _win_unlock(fd: int) -> None:
        ov = _Overlapped()
        ctypes.windll.kernel32.UnlockFileEx(wintypes.HANDLE(_handle(fd)), 0, 1, 0, ctypes.byref(ov))
