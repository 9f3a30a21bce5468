"""The master's allowance list (a payment list) printed from the demo data, read back with pymupdf (issue
12, item 8): 领取人签字 rows at least 10 mm, 制表人/审核人/日期 lines on the page of the last row."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.programmes.mentoring.reports import allowance
from desktop.registry import report
from desktop.report_runner import write_report
from tests.reports import pdfread

if TYPE_CHECKING:
    from desktop.context import App


def test_handwriting_allowance_sheet(demo_app: App, tmp_path: Path) -> None:
    with demo_app.db.session() as s:
        months = [f"{date.today().year}-{m:02d}" for m in range(1, 13)]
        month = max(months, key=lambda m: len(allowance(s, m)))
        names = [a.master for a in allowance(s, month)]
    assert names
    pdf = tmp_path / "allowance.pdf"
    write_report(demo_app, report("mentoring.allowance"), {"month": month}, pdf)
    pages = max(ln.page for ln in pdfread.lines(pdf)) + 1
    heights = [h for p in range(pages) for h in pdfread.row_heights_mm(pdf, p)]
    assert len(heights) == len(names) + 1 and min(heights) >= 10.0, heights  # the rows and 合计
    assert "领取人签字" in pdfread.header_lines(pdf)
    last = pdfread.page_of(pdf, "合计")
    for word in ("制表人：", "审核人：", "日期："):
        assert pdfread.page_of(pdf, word) == last, word
    sign = next(ln for ln in pdfread.lines(pdf) if "制表人" in ln.text)
    total = next(ln for ln in pdfread.lines(pdf) if ln.text.strip() == "合计")
    assert sign.y0 > total.y1, "the lines come after the table"


def test_handwriting_allowance_workbook_ends_with_signature_lines(demo_app: App, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "allowance.xlsx"
    write_report(demo_app, report("mentoring.allowance"), {"month": f"{date.today().year}-12"}, out)
    ws = load_workbook(out).active
    last = [c.value for c in list(ws.iter_rows())[-1] if c.value]
    assert last and all(w in last[0] for w in ("制表人：", "审核人：", "日期："))
