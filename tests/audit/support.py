"""Helpers for the audit chain tests: a database with records, heads signed with a test audit key."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import Engine, create_engine, delete

from db import audit_chain
from db.models.accounts import AuditHead, KeyMaterial
from desktop import audit_check
from desktop.context import App, open_app
from tests.conftest import insert_handful

KEY = Ed25519PrivateKey.generate()
PUBLIC = KEY.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def use_test_key(app: App) -> None:
    """The database's audit public key replaced by the tests' key (unit checks of the chain only)."""
    with app.db.session() as s:
        s.merge(KeyMaterial(name="audit", public=PUBLIC, sealed=None))


def sign(app: App) -> tuple[int, str] | None:
    with app.db.session() as s:
        return audit_chain.sign_head(s, KEY.sign)


def filled(url: str) -> App:
    """An open App on ``url`` with a few audited records and a head signed over them."""
    app = open_app(url, daily_backup=False)
    use_test_key(app)
    insert_handful(app)
    assert sign(app) is not None
    return app


def check(engine: Engine) -> audit_check.Report:
    with engine.connect() as conn:
        return audit_check.check(conn)


def drop_heads(app: App) -> None:
    with app.db.session() as s:
        s.execute(delete(AuditHead))


def engine_for(path: Path) -> Engine:
    return create_engine(f"sqlite:///{path}")
