"""The verification QR as one batch of PDF path operators.

segno picks the best of eight masks by scoring each (about 4 ms a symbol); a fixed mask
costs a quarter of that and scans just as well. The dark modules of each row are merged
into runs and written as ``x y w 1 re`` in module units under one ``cm`` transform, then
filled once: one path per symbol instead of hundreds of ``rect()`` calls.
"""

from __future__ import annotations

import segno

__all__ = ["QUIET", "qr_operators", "qr_runs"]

#: light modules kept around the symbol, inside the box the template gives
QUIET = 2


def qr_runs(data: str) -> tuple[int, list[tuple[int, int, int]]]:
    """(modules per side, [(row, first column, length)]) of the dark runs, row 0 on top."""
    code = segno.make(data, error="m", mask=0, micro=False, boost_error=False)
    matrix = code.matrix
    runs: list[tuple[int, int, int]] = []
    for r, row in enumerate(matrix):
        start = -1
        for col, v in enumerate(row):
            if v & 1:
                if start < 0:
                    start = col
            elif start >= 0:
                runs.append((r, start, col - start))
                start = -1
        if start >= 0:
            runs.append((r, start, len(row) - start))
    return len(matrix), runs


def qr_operators(data: str, x: float, y: float, size: float) -> str:
    """PDF content for a QR of ``data`` whose box (quiet zone included) has its
    bottom-left corner at (x, y) and side ``size``, in points."""
    n, runs = qr_runs(data)
    module = size / (n + 2 * QUIET)
    ox, oy = x + QUIET * module, y + QUIET * module
    top = n - 1
    rects = " ".join([f"{c} {top - r} {length} 1 re" for r, c, length in runs])
    return f"q 0 g {module:.4f} 0 0 {module:.4f} {ox:.3f} {oy:.3f} cm {rects} f Q"
