"""The primitives of the key ring: AES-256-GCM sealing, Argon2id key derivation, Ed25519 key pairs
and X25519 "boxes" (sealing to a public key, so the field key can be granted to an account whose
password the granter does not know).

A sealed value is ``nonce (12 bytes) + ciphertext + tag``; every seal names what it holds in its
associated data (``b"uniondesk:master:account:7"``), so a wrapped copy moved to another row or
holder does not open.
"""

from __future__ import annotations

import os

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from desktop.keys.kdf import Argon2Params

KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16
_RAW = serialization.Encoding.Raw


class SealBroken(ValueError):
    """A sealed value did not open: wrong key, or the value or its associated data was changed."""


def random_key() -> bytes:
    return os.urandom(KEY_BYTES)


def aad(*parts: object) -> bytes:
    """Associated data naming what is sealed: ``aad("master", "account", 7)`` -> b"uniondesk:master:account:7"."""
    return ":".join(["uniondesk", *(str(p) for p in parts)]).encode()


def seal(key: bytes, plaintext: bytes, associated: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, associated)


def open_sealed(key: bytes, sealed: bytes, associated: bytes) -> bytes:
    if len(sealed) < NONCE_BYTES + 16:
        raise SealBroken("sealed value too short")
    try:
        return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], associated)
    except InvalidTag as exc:
        raise SealBroken("wrong key or changed value") from exc


def derive(secret: str | bytes, salt: bytes, params: Argon2Params) -> bytes:
    """A 32-byte key from a password or recovery key (Argon2id with ``params``)."""
    raw = secret.encode("utf-8") if isinstance(secret, str) else secret
    return hash_secret_raw(raw, salt, time_cost=params.time_cost, memory_cost=params.memory_kib,
                           parallelism=params.parallelism, hash_len=KEY_BYTES, type=Type.ID)


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


# -- Ed25519 -------------------------------------------------------------------------------------


def ed25519_pair() -> tuple[bytes, bytes]:
    """(private raw 32 bytes, public raw 32 bytes)."""
    private = Ed25519PrivateKey.generate()
    priv = private.private_bytes(_RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return priv, private.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)


def ed25519_private(raw: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(raw)


def ed25519_public_of(raw_private: bytes) -> bytes:
    return ed25519_private(raw_private).public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)


def ed25519_verify(public: bytes, signature: bytes, data: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


# -- X25519 boxes --------------------------------------------------------------------------------


def x25519_pair() -> tuple[bytes, bytes]:
    """(private raw, public raw)."""
    private = X25519PrivateKey.generate()
    priv = private.private_bytes(_RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return priv, private.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)


def _box_key(shared: bytes, ephemeral: bytes, recipient: bytes, associated: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=ephemeral + recipient,
                info=b"uniondesk-box:" + associated).derive(shared)


def box_seal(recipient_public: bytes, plaintext: bytes, associated: bytes) -> bytes:
    """Sealed to an X25519 public key: ephemeral public (32 bytes) + AES-GCM seal."""
    ephemeral = X25519PrivateKey.generate()
    eph_pub = ephemeral.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    return eph_pub + seal(_box_key(shared, eph_pub, recipient_public, associated), plaintext, associated)


def box_open(recipient_private: bytes, sealed: bytes, associated: bytes) -> bytes:
    if len(sealed) < KEY_BYTES + NONCE_BYTES + 16:
        raise SealBroken("box too short")
    private = X25519PrivateKey.from_private_bytes(recipient_private)
    own_pub = private.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
    eph_pub = sealed[:KEY_BYTES]
    shared = private.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    return open_sealed(_box_key(shared, eph_pub, own_pub, associated), sealed[KEY_BYTES:], associated)
