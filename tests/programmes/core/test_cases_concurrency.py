"""Two clerks on one PostgreSQL database at once: both opening a case get the next numbers (the
second retries past the first's), and both moving one case take turns (the second is refused)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.orm import Session

from db.errors import ValidationError
from desktop.context import open_app
from desktop.programmes.core import cases
from tests.programmes.core.test_cases import FLOW
from tests.support import race

pytestmark = pytest.mark.postgres
T0 = datetime(2026, 3, 2, 9, 0)


def test_two_clerks_at_once_on_postgres(pg_url: str) -> None:
    app = open_app(pg_url, daily_backup=False)
    try:
        def open_one(s: Session) -> str:
            return cases.open_case(s, FLOW, T0, "设备故障").number

        first, second = race(app, open_one, open_one)
        assert sorted([first, second]) == ["2026-BB-0001", "2026-BB-0002"]
        with app.db.session() as s:
            case_id = cases.by_programme(s, FLOW, 2026)[0].id

        def dispatch(s: Session) -> str:
            return cases.move(s, FLOW, case_id, "dispatched", T0.replace(minute=5)).stage

        done, refused = race(app, dispatch, dispatch)
        assert done == "dispatched"
        assert isinstance(refused, ValidationError) and refused.code == "stage_same", refused
    finally:
        app.close()
