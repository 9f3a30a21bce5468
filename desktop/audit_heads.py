"""Signed audit chain heads at the end of each job and session (db.audit_chain.sign_head).

The signer is the open database's key ring (``app.keys``, the ``audit`` key); a locked ring (no
machine key here, nobody signed in) writes no head, silently (logged). The newest head written here
is remembered in this user's profile (desktop.keys.profile), so ``check`` notices rows cut off the
end of the log together with their heads.
"""

from __future__ import annotations

import logging
from typing import Any

from db import audit_chain
from desktop.keys.ring import database_id

#: desktop.context.App (not imported: context imports this module)
App = Any

log = logging.getLogger(__name__)


def sign_now(app: App) -> tuple[int, str] | None:
    """Sign the chain's newest row when it grew since the last head; never raises (a failure is logged).
    Returns the (seq, row_hash) signed, or None."""
    ring = getattr(app, "keys", None)
    if ring is None or ring.locked:
        log.info("audit head not signed: the key ring is locked")
        return None
    try:
        with app.db.session() as s:
            head = audit_chain.sign_head(s, lambda data: ring.sign(s, "audit", data))
            db_id = database_id(s)
        if head is not None and db_id:
            remember(db_id, head)
    except Exception as exc:  # a job or session end must not fail because a head could not be written
        log.warning("audit head not signed: %s", type(exc).__name__)
        return None
    return head


def remember(database_id: str, head: tuple[int, str]) -> None:
    """Keep ``head`` in the profile unless the profile already holds a newer one."""
    from desktop.keys.profile import read_profile, update_profile

    known = read_profile(database_id).get("audit_head")
    if isinstance(known, dict) and isinstance(known.get("seq"), int) and known["seq"] > head[0]:
        return
    update_profile(database_id, audit_head={"seq": head[0], "row_hash": head[1]})


def forget_after_restore(app: App) -> None:
    """A restored (older) copy legitimately ends earlier: the profile now remembers its newest head."""
    from desktop.keys.profile import update_profile

    try:
        with app.db.session() as s:
            db_id = database_id(s)
            newest = audit_chain.newest_head(s.connection())
        if db_id:
            update_profile(db_id, audit_head=None if newest is None else {"seq": newest[0], "row_hash": newest[1]})
    except Exception as exc:
        log.warning("audit head not remembered after restore: %s", type(exc).__name__)
