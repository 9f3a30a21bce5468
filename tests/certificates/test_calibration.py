"""The calibration page: instructions right when an offset is already set, nothing within 10 mm of
the paper's edge, and ``certificates --calibration`` (issue 12, item 5)."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from reports.certificates import builtin_templates
from reports.certificates.calibration import (
    SAFE_MM,
    instructions,
    measure_lines,
    new_offset,
    render_calibration,
)
from reports.certificates.model import FIELD_LABELS
from tests.support import cli

PT_PER_MM = 72 / 25.4


def test_the_formula_is_right_on_a_second_print() -> None:
    """A printer that prints 1.5 mm too far right: the first print (no offset) measures 51.5,
    giving -1.5; printed again with -1.5 it measures 50 and the offset stays; a wrong offset of
    +1 measures 52.5 and still gives -1.5 (the old 50 − measured said -2.5)."""
    error = 1.5

    def measured(offset: float) -> float:
        return 50 + offset + error

    assert new_offset(0, measured(0)) == -1.5
    assert new_offset(-1.5, measured(-1.5)) == -1.5
    assert new_offset(1, measured(1)) == -1.5
    assert measure_lines((297, 210), (0, 0)) == (50, 50)
    assert measure_lines((297, 210), (-45, 48)) == (100, 50)  # the 50 line pushed into the margin


def test_the_instructions_print_the_current_offsets_and_the_formula_filled_in() -> None:
    t = builtin_templates()["honour"]
    w, h = t.size_mm()
    lines = "\n".join(instructions(t, w, h, (2, -1.5)))
    assert "水平偏移 2 毫米，垂直偏移 -1.5 毫米" in lines
    assert "新的水平偏移 = 2 + 50 − 竖线量得的距离" in lines and "新的垂直偏移 = -1.5 + 50 − 横线量得的距离" in lines
    assert "= 2 + 50 − 51.5 = 0.5" in lines
    assert "偏移量 = 50 - 量得的距离" not in lines


@pytest.mark.parametrize(("key", "offset"), [("honour", (0.0, 0.0)), ("overlay", (3.0, -4.5)), ("award", (-9, 9))])
def test_nothing_is_printed_within_10_mm_of_the_edge(tmp_path: Path, key: str, offset: tuple[float, float]) -> None:
    t = builtin_templates()[key]
    path = tmp_path / "cal.pdf"
    render_calibration(path, t, offset)
    with pymupdf.open(path) as doc:
        page = doc[0]
        W, H = page.rect.width, page.rect.height
        safe = SAFE_MM * PT_PER_MM - 0.5
        words = page.get_text("words")
        for x0, y0, x1, y1, word, *_ in words:
            assert x0 >= safe and y0 >= safe and x1 <= W - safe and y1 <= H - safe, (word, x0, y0, x1, y1)
        numbers = {w[4] for w in words}
        assert {"20", "50", "100", "150"} <= numbers  # row and column numbers are there, inside
        pix = page.get_pixmap(dpi=72, alpha=False)
        margin = int(SAFE_MM * 72 / 25.4) - 1
        for y in range(pix.height):
            for x in list(range(margin)) + list(range(pix.width - margin, pix.width)):
                assert pix.pixel(x, y) == (255, 255, 255), (x, y)
        for x in range(pix.width):
            for y in list(range(margin)) + list(range(pix.height - margin, pix.height)):
                assert pix.pixel(x, y) == (255, 255, 255), (x, y)
        text = page.get_text()
        assert "水平偏移" in text and f"{FIELD_LABELS[t.fields[0].key]}（" in text
        assert t.fields[0].key not in text  # fields named in Chinese


def test_cli_calibration_page(tmp_path: Path) -> None:
    out = tmp_path / "cal.pdf"
    r = cli("certificates", "--calibration", "--out", str(out), "--template", "overlay", "--offset-x", "1.5",
            "--offset-y", "-2", home=tmp_path / "home")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith(str(out))
    with pymupdf.open(out) as doc:
        text = "".join(doc[0].get_text().split())
        assert doc.page_count == 1 and "水平偏移1.5毫米，垂直偏移-2毫米" in text and "1.5+50−" in text
    r = cli("certificates", "--calibration", "--out", str(tmp_path / "x.pdf"), "--template", "nope",
            home=tmp_path / "home")
    assert r.returncode == 2 and "honour" in r.stderr and not (tmp_path / "x.pdf").exists()
    r = cli("certificates", "--calibration", "--source", "competitions", "--out", str(tmp_path / "y.pdf"),
            home=tmp_path / "home")
    assert r.returncode == 2 and not (tmp_path / "y.pdf").exists()
