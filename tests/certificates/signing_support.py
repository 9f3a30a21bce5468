"""An unlocked key ring for certificate tests: the app's own (desktop.keys opens it through this
data folder's machine key); a database upgraded from before keys gets its keys first."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from db.models.accounts import KeyMaterial
from desktop import keys


def unlocked(app: Any) -> Any:
    """The app's unlocked ring (set on ``app.keys``)."""
    ring = app.keys
    if ring is not None and not ring.locked:
        return ring
    with app.db.session() as s:
        if s.execute(select(KeyMaterial.name)).first() is None:
            ring = keys.create_keys(s)  # an upgraded database: what the keys step does at its first open
        else:
            ring = keys.open_ring(s)
    assert not ring.locked, "the machine key of this data folder should unwrap the master key"
    app.keys = ring
    return ring
