"""The reads the app-wide dialogs (``ui/dialogs``) make, each in a session of its own, returning
plain values: how many records a register holds, the records a report parameter may name, the
import preview. The dialogs never open a session themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from desktop.jobs import Progress, no_progress

if TYPE_CHECKING:
    from desktop.context import App
    from desktop.importing.headers import HeaderMatch
    from desktop.importing.importer import Plan
    from desktop.importing.readers import SheetData


def register_count(app: App, kind: str) -> int:
    """How many records the register ``kind`` (workers, organisations) holds."""
    from desktop.programmes.core.registers import MODELS

    with app.db.session() as s:
        return int(s.scalar(select(func.count()).select_from(MODELS[kind])) or 0)


def record_count(app: App) -> int:
    """Every record the demo data would replace (the first-run wizard warns about them)."""
    from desktop import demo

    with app.db.session() as s:
        return demo.record_count(s)


def ref_options(app: App, ref: str) -> list[tuple[int, str]] | None:
    """(id, name) of every record a ``ref`` report parameter may name, by name; None when no
    programme declares ``ref`` (the value is then typed)."""
    from desktop import registry

    model = registry.ref_models().get(ref)
    if model is None:
        return None
    with app.db.session() as s:
        rows = s.execute(select(model.id, model.name).order_by(model.name)).all()  # type: ignore[attr-defined]
    return [(int(i), str(n)) for i, n in rows]


def import_preview(app: App, kind: str, data: SheetData, match: HeaderMatch, *,
                   mapping: dict[int, str | None] | None = None, on_duplicate: str = "skip",
                   progress: Progress = no_progress, cancelled: Callable[[], bool] = lambda: False) -> Plan:
    """What an import would do against the register as it is now (nothing is written)."""
    from desktop.importing import importer

    labels = app.labels()
    with app.db.session() as s:
        return importer.plan(s, kind, data, match, labels, mapping=mapping, on_duplicate=on_duplicate,
                             progress=progress, cancelled=cancelled)
