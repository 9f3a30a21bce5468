"""The judges' score sheets printed from the demo data, read back with pymupdf (issue 12, item 8): blank
score cells at least 10 mm high, the judges' signature line on the page of the last contestant (never
alone on page 2), no line starting with closing punctuation (「，保留两位小数。」)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktop.programmes.competitions.reports import summary
from desktop.registry import report
from desktop.report_runner import write_report
from reports.linebreak import NO_END, NO_START
from tests.reports import pdfread

if TYPE_CHECKING:
    from desktop.context import App


def test_handwriting_score_sheets(demo_app: App, tmp_path: Path) -> None:
    with demo_app.db.session() as s:
        ids = [c["id"] for c in summary(s)]
    assert ids
    for cid in ids:
        pdf = tmp_path / f"score{cid}.pdf"
        write_report(demo_app, report("competitions.score_sheet"), {"competition": cid}, pdf)
        lines = pdfread.lines(pdf)
        pages = max(ln.page for ln in lines) + 1
        heights = [h for p in range(pages) for h in pdfread.row_heights_mm(pdf, p)]
        assert heights and min(heights) >= 10.0, (cid, heights)
        signed = pdfread.page_of(pdf, "评委签名")
        assert signed == [pages - 1], (cid, signed, pages)
        rows = [h for h in pdfread.row_heights_mm(pdf, pages - 1)]
        assert len(rows) >= 2, "the signature line has the table's last rows above it"
        sign = next(ln for ln in lines if "评委签名" in ln.text)
        grid = pdfread.rules(pdf, pages - 1)
        assert sign.y0 > grid[-1], "below the table"
        assert all(len(x) >= 2 for x in pdfread.header_lines(pdf))
        bad = [ln.text for ln in lines if ln.text.strip()[0] in NO_START or ln.text.strip()[-1] in NO_END]
        assert not bad, (cid, bad)


def test_handwriting_results_fit_and_wrap(demo_app: App, tmp_path: Path) -> None:
    with demo_app.db.session() as s:
        ids = [c["id"] for c in summary(s)]
    for cid in ids:
        pdf = tmp_path / f"results{cid}.pdf"
        write_report(demo_app, report("competitions.results"), {"competition": cid}, pdf)
        lines = pdfread.lines(pdf)
        assert not [ln.text for ln in lines if ln.text.strip()[0] in NO_START], cid
        assert all(len(x) >= 2 for x in pdfread.header_lines(pdf)), cid
