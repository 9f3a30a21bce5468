"""What the organisations screens read: a unit's page with its workers (plain rows, masked)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from db.fields import Column, column
from db.models.core.registers import Worker
from desktop import registry
from desktop.programmes.core.register_queries import RecordView, record_view, shown_value

if TYPE_CHECKING:
    from desktop.context import App

#: The worker columns a unit's page lists (described columns of Worker).
WORKER_COLUMNS = ("name", "gender", "trade", "member_status")
#: At most this many workers are listed on the page (the count is always whole).
LISTED = 500


@dataclass(frozen=True)
class OrganisationPage:
    """A unit's page: its record, how many workers it has and the first ``LISTED`` of them."""

    view: RecordView
    worker_count: int
    worker_columns: list[Column]
    workers: list[tuple[int, tuple[str, ...]]]  # (worker id, the columns' texts)


def organisation_page(app: App, organisation_id: int) -> OrganisationPage | None:
    """One unit's page (None when it is gone)."""
    labels = app.labels()
    columns = [column(Worker, n) for n in WORKER_COLUMNS]
    with app.db.session() as s:
        view = record_view(s, "organisations", organisation_id, labels, registry.organisation_facts,
                           utc_times=app.db.is_sqlite)
        if view is None:
            return None
        count = s.scalar(select(func.count()).select_from(Worker).where(Worker.employer_id == organisation_id)) or 0
        rows = s.execute(select(Worker.id, *(getattr(Worker, c.name) for c in columns))
                         .where(Worker.employer_id == organisation_id).order_by(Worker.name_initials, Worker.id)
                         .limit(LISTED)).all()
    workers = [(int(r[0]), tuple(shown_value(c, v, labels) for c, v in zip(columns, r[1:], strict=True)))
               for r in rows]
    return OrganisationPage(view, int(count), columns, workers)
