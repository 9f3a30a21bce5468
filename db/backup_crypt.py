"""Password-encrypted backup files (for copies carried on a USB stick).

Layout: the clear magic line :data:`MAGIC`, a 4-byte big-endian header length, a JSON header
(format, Argon2id parameters and salt, chunk size, nonce prefix, the inner file's suffix, and a
SHA-256 of a password check value), then the inner backup (an SQLite file or a ``pg_dump``) in
chunks of :data:`CHUNK` bytes, each sealed with AES-256-GCM: the nonce is the header's 7-byte prefix,
the chunk's 4-byte number and a last-chunk flag, and the associated data is the whole header, so
chunks cannot be reordered, dropped, cut off or moved between files, nor the header changed. A
large database is streamed chunk by chunk and never held twice in memory.

The Argon2id cost is the caller's (desktop passes its key-wrapping parameters); it is stored in
the header, so any later version decrypts with what was used. Errors are DatabaseProblem with a
Chinese message: ``backup_password`` (wrong password) or ``backup_corrupt``.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import struct
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from db.backup_files import fsync
from db.errors import DatabaseProblem

MAGIC = b"UNIONDESK ENCRYPTED BACKUP v1\n"
FORMAT = 1
CHUNK = 1 << 20  # 1 MiB of plaintext per sealed chunk
TAG = 16
_MAX_HEADER = 4096
SUFFIX_ENCRYPTED = ".encrypted"


def is_encrypted(path: Path) -> bool:
    """Whether ``path`` starts with the encrypted backup's magic line."""
    try:
        with path.open("rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def _derive(password: str, salt: bytes, m: int, t: int, p: int) -> tuple[bytes, bytes]:
    """(AES key, check value) from the password."""
    raw = hash_secret_raw(password.encode("utf-8"), salt, time_cost=t, memory_cost=m, parallelism=p,
                          hash_len=64, type=Type.ID)
    return raw[:32], raw[32:]


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", index) + (b"\x01" if last else b"\x00")


def _read_exact(fh: IO[bytes], n: int) -> bytes:
    data = fh.read(n)
    if len(data) != n:
        raise ValueError("truncated")
    return data


def encrypt_file(source: Path, dest: Path, password: str, *, memory_kib: int, time_cost: int,
                 parallelism: int = 1, inner_suffix: str = ".sqlite3",
                 step: Callable[[int, int], None] | None = None) -> Path:
    """Write ``source`` encrypted under ``password`` to ``dest`` (a temporary file beside it, fsync,
    then an atomic rename: a failed copy never leaves a partial ``dest``)."""
    if not password:
        raise DatabaseProblem("backup_password", "备份密码不能为空。")
    salt, prefix = os.urandom(16), os.urandom(7)
    key, check = _derive(password, salt, memory_kib, time_cost, parallelism)
    header = json.dumps({
        "format": FORMAT, "kdf": "argon2id", "m": memory_kib, "t": time_cost, "p": parallelism,
        "salt": base64.b64encode(salt).decode(), "chunk": CHUNK, "nonce": base64.b64encode(prefix).decode(),
        "suffix": inner_suffix, "check": hashlib.sha256(check).hexdigest(),
    }, sort_keys=True).encode()
    aead = AESGCM(key)
    total = source.stat().st_size
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        with source.open("rb") as src, tmp.open("wb") as out:
            out.write(MAGIC + struct.pack(">I", len(header)) + header)
            index, done = 0, 0
            chunk = src.read(CHUNK)
            while True:
                following = src.read(CHUNK) if len(chunk) == CHUNK else b""
                last = not following
                out.write(aead.encrypt(_nonce(prefix, index, last), chunk, header))
                done += len(chunk)
                if step is not None:
                    step(done, total)
                if last:
                    break
                chunk, index = following, index + 1
        fsync(tmp)
        os.replace(tmp, dest)
    except OSError as exc:
        raise DatabaseProblem("backup_failed", f"无法写入加密备份 {dest}：{exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return dest


def read_header(path: Path) -> dict[str, Any]:
    """The JSON header of an encrypted backup (DatabaseProblem ``backup_corrupt`` when unreadable)."""
    try:
        with path.open("rb") as fh:
            return _header(fh, path.name)[0]
    except OSError as exc:
        raise DatabaseProblem("restore_failed", f"无法读取备份文件 {path.name}：{exc.strerror or exc}。"
                                                "当前数据库未改变。") from exc


def _corrupt(name: str) -> DatabaseProblem:
    return DatabaseProblem("backup_corrupt", f"加密备份文件 {name} 已损坏或不完整，未恢复。当前数据库未改变。")


def _header(fh: IO[bytes], name: str) -> tuple[dict[str, Any], bytes]:
    try:
        if _read_exact(fh, len(MAGIC)) != MAGIC:
            raise ValueError("no magic")
        (size,) = struct.unpack(">I", _read_exact(fh, 4))
        if not 0 < size <= _MAX_HEADER:
            raise ValueError("header size")
        raw = _read_exact(fh, size)
        header = json.loads(raw)
        if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("kdf") != "argon2id":
            raise ValueError("format")
        return header, raw
    except (ValueError, struct.error) as exc:
        raise _corrupt(name) from exc


def decrypt_file(source: Path, dest: Path, password: str,
                 step: Callable[[int, int], None] | None = None) -> Path:
    """Write the inner backup of encrypted ``source`` to ``dest``. A wrong password raises
    ``backup_password`` before anything is written; a damaged file ``backup_corrupt`` (and
    ``dest`` is removed)."""
    name = source.name
    try:
        fh = source.open("rb")
    except OSError as exc:
        raise DatabaseProblem("restore_failed", f"无法读取备份文件 {name}：{exc.strerror or exc}。当前数据库未改变。") from exc
    with fh:
        header, raw = _header(fh, name)
        try:
            salt = base64.b64decode(header["salt"])
            prefix = base64.b64decode(header["nonce"])
            chunk_size = int(header["chunk"])
            m, t, p = int(header["m"]), int(header["t"]), int(header.get("p", 1))
            if len(prefix) != 7 or not 0 < chunk_size <= 1 << 26 or not (8 <= m <= 1 << 22 and 1 <= t <= 64):
                raise ValueError("parameters")
        except (KeyError, ValueError, TypeError) as exc:
            raise _corrupt(name) from exc
        key, check = _derive(password, salt, m, t, p)
        if not hmac.compare_digest(hashlib.sha256(check).hexdigest(), str(header.get("check", ""))):
            raise DatabaseProblem("backup_password", f"备份文件 {name} 的密码不正确，未恢复。当前数据库未改变。")
        aead = AESGCM(key)
        total = os.fstat(fh.fileno()).st_size
        try:
            with dest.open("wb") as out:
                index = 0
                sealed = fh.read(chunk_size + TAG)
                while True:
                    following = fh.read(chunk_size + TAG)
                    last = not following
                    out.write(aead.decrypt(_nonce(prefix, index, last), sealed, raw))
                    if step is not None:
                        step(fh.tell(), total)
                    if last:
                        break
                    sealed, index = following, index + 1
        except (InvalidTag, ValueError) as exc:
            with contextlib.suppress(OSError):
                dest.unlink(missing_ok=True)
            raise _corrupt(name) from exc
        except OSError as exc:
            with contextlib.suppress(OSError):
                dest.unlink(missing_ok=True)
            raise DatabaseProblem("restore_failed", f"无法写出解密的备份：{exc.strerror or exc}。当前数据库未改变。") from exc
    return dest


__all__ = ["CHUNK", "MAGIC", "SUFFIX_ENCRYPTED", "decrypt_file", "encrypt_file", "is_encrypted", "read_header"]
