"""What the workers screens read: a worker's page (plain rows, numbers masked)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop import registry
from desktop.programmes.core.register_queries import RecordView, record_view

if TYPE_CHECKING:
    from desktop.context import App


def worker_page(app: App, worker_id: int) -> RecordView | None:
    """One worker's page: fields (ID and phone masked), every programme's facts, the history;
    None when the worker is gone."""
    labels = app.labels()
    with app.db.session() as s:
        return record_view(s, "workers", worker_id, labels, registry.worker_facts, utc_times=app.db.is_sqlite)
