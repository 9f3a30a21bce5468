"""Signed register rows (the accounts-and-keys issue): certificates that cannot be forged from a copy.

Every register row carries an Ed25519 signature (the database's ``signing`` key, sealed under the
master key) over its canonical content (:func:`canonical`). The QR printed on a certificate holds
``{serial}.{signature}`` (:func:`qr_payload`, Crockford base32, about 120 characters); the text
beside it is ``{serial}.{fingerprint}`` (:func:`printed_code`): the signature's first 8
characters, so a clerk can type it and the printed text is the start of what the QR reads.
``verify`` checks the row's stored signature with the database's public key: any copy verifies,
no copy without the master key can sign.

Rows issued before signatures (migration 0007 keeps the SHA-256 of each HMAC code once printable
for them in ``legacy_codes``) and rows issued while the key ring was locked are listed in the
setting :data:`PENDING_KEY`; the first process that can unwrap the master key signs exactly those
(:func:`sign_pending`) and removes the list, so a row inserted later with an SQLite tool is never
signed by anyone. No Qt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from db import audit
from db.errors import DatabaseProblem
from db.models.accounts import KeyMaterial
from db.models.certificates import Certificate
from db.models.system import Setting

log = logging.getLogger(__name__)

__all__ = ["FINGERPRINT_LENGTH", "KEY_NAME", "LOCKED_NOTICE", "PENDING_KEY", "VERSION", "b32", "canonical",
           "fingerprint", "genuine", "legacy_hash", "matches", "normalise_code", "printed_code", "qr_payload",
           "sign_pending", "sign_rows", "sign_waiting", "signature_for"]

VERSION = "v1"
KEY_NAME = "signing"
FINGERPRINT_LENGTH = 8
#: settings key: {"upto": highest id migration 0007 found, "ids": [rows issued while locked]}
PENDING_KEY = "certificate_unsigned"
#: said (CLI, certificate centre) when certificates print without QR or code: the ring is locked
LOCKED_NOTICE = "本机无法解开数据库主密钥（需登录或恢复密钥），证书未印校验码和二维码"
#: the fields whose change would make a different certificate (Certificate column names)
FIELDS = ("serial", "alias", "code", "name", "unit", "award", "event", "team", "issued_on")

_RFC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TO_CROCKFORD = str.maketrans(_RFC, _CROCKFORD)
#: what a clerk may type for a Crockford letter: O for 0, I and L for 1, lower case
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None})


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def canonical(row: Mapping[str, Any], legacy_codes: Iterable[str] | None = None) -> bytes:
    """``v1|["serial","alias",...]``: the row's certificate-defining values (and the hashes of its
    pre-signature codes, so none can be added to a signed row), as UTF-8 bytes."""
    values = [_text(row.get(name)) for name in FIELDS]
    codes = sorted(str(c) for c in (legacy_codes if legacy_codes is not None else row.get("legacy_codes") or ()))
    body = json.dumps([*values, codes], ensure_ascii=False, separators=(",", ":"))
    return f"{VERSION}|{body}".encode()


def _row_values(cert: Certificate) -> dict[str, Any]:
    return {name: getattr(cert, name) for name in FIELDS}


def b32(signature: bytes) -> str:
    """Crockford base32 of the signature, upper case, no padding (103 characters for Ed25519)."""
    return base64.b32encode(signature).decode("ascii").rstrip("=").translate(_TO_CROCKFORD)


def fingerprint(signature: bytes) -> str:
    """The 8 characters printed beside the QR: the start of :func:`b32`."""
    return b32(signature)[:FINGERPRINT_LENGTH]


def printed_code(serial: str, signature: bytes) -> str:
    return f"{serial}.{fingerprint(signature)}"


def qr_payload(serial: str, signature: bytes) -> str:
    return f"{serial}.{b32(signature)}"


def normalise_code(code: str) -> str:
    """A typed fingerprint as :func:`fingerprint` writes it (case, O/0, I/L/1, hyphens forgiven)."""
    return code.upper().translate(_TYPED)


def legacy_hash(code: str) -> str:
    """SHA-256 hex of an HMAC-era code ``{serial}.{6 characters}`` (as migration 0007 stores them)."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


# -- signing ----------------------------------------------------------------------------------


def _can_sign(ring: Any) -> bool:
    return ring is not None and not getattr(ring, "locked", True)


def signature_for(row_values: Mapping[str, Any], ring: Any, session: Session) -> bytes | None:
    """The signature of a new register row's values (``FIELDS`` by column name), or None when the
    ring is locked (then the row prints without QR or code and is listed for :func:`sign_pending`)."""
    if not _can_sign(ring):
        return None
    signed = ring.sign(session, KEY_NAME, canonical(row_values))
    return bytes(signed) if signed is not None else None


def _public_key(session: Session) -> Ed25519PublicKey | None:
    raw = session.execute(select(KeyMaterial.public).where(KeyMaterial.name == KEY_NAME)).scalar()
    if not raw:
        return None
    try:
        return Ed25519PublicKey.from_public_bytes(bytes(raw))
    except ValueError:
        return None


def _valid(public: Ed25519PublicKey | None, cert: Certificate) -> bool:
    if public is None or not cert.signature:
        return False
    try:
        public.verify(bytes(cert.signature), canonical(_row_values(cert), cert.legacy_codes or ()))
    except InvalidSignature:
        return False
    return True


def genuine(session: Session, cert: Certificate, ring: Any = None) -> bool:
    """The row's stored signature verifies with the database's public key, and that key is the one
    this profile remembers (``desktop.keys.check_keys`` finds no problem)."""
    from desktop.keys.ring import check_keys  # the module, not the package (which reaches desktop.context)

    if check_keys(session, ring):
        return False
    return _valid(_public_key(session), cert)


def matches(cert: Certificate, issued_as: str, code: str) -> bool:
    """Whether ``code`` (after the serial's dot) is the row's fingerprint, its whole QR signature, or
    one of its pre-signature codes (``issued_as``: the serial or alias it was printed with)."""
    code = "".join(code.split())
    if not code:
        return False
    legacy = [str(h) for h in (cert.legacy_codes or ())]
    if legacy and any(hmac.compare_digest(legacy_hash(f"{issued_as}.{code.upper()}"), h) for h in legacy):
        return True
    if not cert.signature:
        return False
    typed = normalise_code(code)
    full = b32(bytes(cert.signature))
    return len(typed) >= FINGERPRINT_LENGTH and (hmac.compare_digest(typed, full[:FINGERPRINT_LENGTH])
                                                 or hmac.compare_digest(typed, full))


def sign_rows(session: Session, ring: Any, certs: Sequence[Certificate], *, printing: bool = True
              ) -> dict[int, tuple[str, str]]:
    """Sign the certificates of a batch that need it and give their printed codes:
    ``{id(cert): (text, qr payload)}`` when ``printing``. A row without a signature is signed now (a
    new one issued while locked, or a reprint that took newer wording: ``issuing._match`` clears its
    signature); a row changed behind the program's back keeps its signature (its code fails
    ``verify``). Locked ring: nothing signed, unsigned rows wait in
    :data:`PENDING_KEY`, and the answer is empty (the batch prints without QR or code)."""
    if not _can_sign(ring):
        unsigned = [c.id for c in certs if not c.signature and c.id is not None]
        if unsigned:
            _add_pending(session, unsigned)
        return {}
    out: dict[int, tuple[str, str]] = {}
    for cert in certs:
        if not cert.signature:
            signed = ring.sign(session, KEY_NAME, canonical(_row_values(cert), cert.legacy_codes or ()))
            if signed is None:
                return {}
            cert.signature = bytes(signed)
        if printing:
            sig = bytes(cert.signature or b"")
            out[id(cert)] = (printed_code(cert.serial, sig), qr_payload(cert.serial, sig))
    return out


# -- rows waiting for a signature -------------------------------------------------------------


def _pending(session: Session) -> dict[str, Any] | None:
    stored = session.get(Setting, PENDING_KEY)
    return stored.value if stored is not None and isinstance(stored.value, dict) else None


def _add_pending(session: Session, ids: Sequence[int]) -> None:
    """List rows issued while locked (an audited settings change)."""
    stored = session.get(Setting, PENDING_KEY)
    current = stored.value if stored is not None and isinstance(stored.value, dict) else {}
    value = {"upto": int(current.get("upto") or 0),
             "ids": sorted({*(int(i) for i in current.get("ids") or ()), *(int(i) for i in ids)})}
    if stored is None:
        session.add(Setting(key=PENDING_KEY, value=value))
    else:
        stored.value = value
    session.flush()


def sign_pending(session: Session, ring: Any) -> int:
    """Sign the rows listed in :data:`PENDING_KEY` (issued before signatures, or while locked) and
    remove the list; returns how many were signed. Nothing when the ring is locked or nothing waits."""
    pending = _pending(session)
    if pending is None or not _can_sign(ring):
        return 0
    upto = int(pending.get("upto") or 0)
    ids = [int(i) for i in pending.get("ids") or ()]
    query = select(Certificate).where(Certificate.signature.is_(None))
    legacy = Certificate.legacy_codes.is_not(None) & (Certificate.id <= upto)
    query = query.where(legacy | Certificate.id.in_(ids)) if ids else query.where(legacy)
    rows = list(session.execute(query.order_by(Certificate.id)).scalars())
    for cert in rows:
        signed = ring.sign(session, KEY_NAME, canonical(_row_values(cert), cert.legacy_codes or ()))
        if signed is None:
            return 0
        cert.signature = bytes(signed)  # not a described field: no audit entry per row
    stored = session.get(Setting, PENDING_KEY)
    if stored is not None:
        session.delete(stored)
    if rows:
        first, last = rows[0].serial, rows[-1].serial
        audit.log(session, "update", "certificates", note=(
            f"补签证书 {len(rows)} 张：{first}" + (f" 至 {last}" if len(rows) > 1 else "")))
    session.flush()
    return len(rows)


def sign_waiting(app: Any) -> int:
    """:func:`sign_pending` for the open app (desktop.context.App: not imported, it calls us) once its key ring is set (App.use_keys: at open and
    after each sign-in). The program's own bookkeeping: allowed for a 只读 account too. A failure is
    logged, never stops the open (the rows wait for the next process)."""
    ring = app.keys
    if not _can_sign(ring):
        return 0
    try:
        with app.db.system_session() as s:
            return sign_pending(s, ring)
    except DatabaseProblem as exc:
        log.warning("certificates not signed now: %s", exc.message)
    except Exception:  # a sealed key that no longer opens (replaced?): `check` reports it; opening goes on
        log.exception("certificates not signed now")
    return 0
