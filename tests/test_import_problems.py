"""One ``Problem`` for every importer's rejected rows and warnings (it was defined twice)."""

from __future__ import annotations

from desktop.importing import importer
from desktop.importing.problems import Problem
from desktop.programmes.competitions import importing as competition_importing


def test_every_importer_reports_rows_with_the_one_problem_class() -> None:
    assert importer.Problem is Problem
    assert competition_importing.Problem is Problem
    assert Problem(7, "id_missing", "缺少身份证号").as_dict() == {"row": 7, "code": "id_missing", "reason": "缺少身份证号"}
