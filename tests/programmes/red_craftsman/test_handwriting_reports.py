"""The red-craftsman forms printed from the demo data, read back with pymupdf (issue 12, item 8): the
evaluation sheet's rows are tall enough to write in and its headers orphan no character; the summary
is not printed at 8 pt on an empty page."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from desktop.registry import report
from desktop.report_runner import write_report
from reports.linebreak import NO_END, NO_START
from tests.reports import pdfread

if TYPE_CHECKING:
    from desktop.context import App


@pytest.fixture
def pdfs(demo_app: App, tmp_path: Path) -> dict[str, Path]:
    out = {}
    for key in ("evaluation_sheet", "summary"):
        out[key] = tmp_path / f"{key}.pdf"
        write_report(demo_app, report(f"red_craftsman.{key}"), {"year": date.today().year}, out[key])
    return out


def test_handwriting_evaluation_sheet(pdfs: dict[str, Path]) -> None:
    pdf = pdfs["evaluation_sheet"]
    heights = [h for page in range(len(set(ln.page for ln in pdfread.lines(pdf))))
               for h in pdfread.row_heights_mm(pdf, page)]
    assert heights and min(heights) >= 10.0, heights
    header = pdfread.header_lines(pdf)
    assert all(len(x) >= 2 for x in header), header  # never 「导师评培育对 / 象」
    assert "导师评培育对象" in header and "培育对象评导师" in header
    lines = pdfread.lines(pdf)
    assert not [ln.text for ln in lines if ln.text.strip()[0] in NO_START or ln.text.strip()[-1] in NO_END]
    last = max(ln.page for ln in lines)
    assert pdfread.page_of(pdf, "填表人") == [last] and pdfread.page_of(pdf, "审核人") == [last]


def test_handwriting_summary_is_not_8pt(pdfs: dict[str, Path]) -> None:
    pdf = pdfs["summary"]
    cells = [ln for ln in pdfread.lines(pdf) if ln.text.strip() == "合计"]
    assert cells and cells[0].size >= 10.0, [(ln.text, ln.size) for ln in cells]
    assert all(len(x) >= 2 for x in pdfread.header_lines(pdf))
