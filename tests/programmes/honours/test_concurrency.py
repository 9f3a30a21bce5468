"""Two clerks on one PostgreSQL database at once: nominating the same worker to one round, or
moving the same nomination, take turns; the second sees the first's write and is refused."""

from __future__ import annotations

from datetime import date

import pytest

from db.errors import ValidationError
from db.models.core.registers import Worker
from desktop.context import open_app
from desktop.programmes.core import selection as core
from desktop.programmes.honours import rounds, service, titles
from desktop.programmes.honours.workflow import flow_for
from tests.support import race

pytestmark = pytest.mark.postgres


def test_two_clerks_at_once_on_postgres(pg_url: str) -> None:
    app = open_app(pg_url, daily_backup=False)
    try:
        with app.db.session() as s:
            w = Worker(name="张建国", id_number="110101199003078515", member_status="active")
            s.add(w)
            s.flush()
            worker_id = w.id
            title = titles.by_name(s, titles.COUNTY_MEDAL)
            assert title is not None
            title_id, level = title.id, title.level
        round_id = service.save_round(app, None, year=2026, title_id=title_id).value
        day = date(2026, 3, 2)

        def nominate(s):  # type: ignore[no-untyped-def]
            return rounds.nominate(s, round_id, day, worker_id=worker_id).id

        first, second = race(app, nominate, nominate)
        assert isinstance(first, int)
        assert isinstance(second, ValidationError) and second.code == "duplicate", second

        flow = flow_for(level)

        def screen(s):  # type: ignore[no-untyped-def]
            return core.move(s, flow, first, "screened", day).stage

        done, refused = race(app, screen, screen)
        assert done == "screened"
        assert isinstance(refused, ValidationError) and refused.code == "stage_same", refused
    finally:
        app.close()
