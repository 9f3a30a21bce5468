"""The verification QR as one batch of PDF path operators.

The symbol is a standard QR code (model 2, error correction level M). zxing-cpp's compiled
encoder makes it (best mask included) and its operators in about 0.2 ms for a verification
code such as ``UD-2026-JS-00011.ABCDEF``; segno, the fallback when zxing-cpp is not installed,
takes about 0.45 ms with a fixed mask (scoring all eight masks costs about 4 ms a symbol).
The dark modules of each row are merged into runs and written as
``x y w 1 re`` in module units under one ``cm`` transform, then filled once: one path per
symbol instead of hundreds of ``rect()`` calls.

The box the template gives holds the symbol and its quiet zone of :data:`QUIET` modules
(ISO/IEC 18004 asks for 4), so nothing else on the page may be drawn inside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["QUIET", "encoder", "qr_operators", "qr_runs"]

#: light modules kept around the symbol, inside the box the template gives
QUIET = 4

_DARK = re.compile(rb"\x00+")
_Runs = tuple[int, list[tuple[int, int, int]]]


def _zxing_runs(data: str) -> _Runs:
    # zxingcpp.Image is a row-major bytes buffer, one byte a module: 0 dark, 255 light
    image = _zxing.create_barcode(data, _zxing.BarcodeFormat.QRCode, ec_level="M").to_image(
        scale=1, add_quiet_zones=False)
    n = image.shape[0]
    raw = bytes(memoryview(image))
    finditer = _DARK.finditer
    runs: list[tuple[int, int, int]] = []
    for r in range(n):
        base = r * n
        runs.extend([(r, m.start() - base, m.end() - m.start()) for m in finditer(raw, base, base + n)])
    return n, runs


def _segno_runs(data: str) -> _Runs:
    import segno

    matrix = segno.make(data, error="m", mask=0, micro=False, boost_error=False).matrix
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


_encode: Callable[[str], _Runs] | None = None
_zxing: Any = None


def encoder() -> str:
    """The encoder in use: ``"zxing-cpp"``, or ``"segno"`` when zxing-cpp is not installed.

    Imported on first use: a job without verification never loads either."""
    global _encode, _zxing
    if _encode is None:
        try:
            import zxingcpp
        except ImportError:  # zxing-cpp is a dependency; segno keeps a seat without it working
            _encode = _segno_runs
        else:
            _zxing = zxingcpp
            _encode = _zxing_runs
    return "zxing-cpp" if _encode is _zxing_runs else "segno"


def qr_runs(data: str) -> _Runs:
    """(modules per side, [(row, first column, length)]) of the dark runs, row 0 on top."""
    if _encode is None:
        encoder()
    assert _encode is not None
    return _encode(data)


def qr_operators(data: str, x: float, y: float, size: float) -> str:
    """PDF content for a QR of ``data`` whose box (quiet zone included) has its
    bottom-left corner at (x, y) and side ``size``, in points."""
    n, runs = qr_runs(data)
    module = size / (n + 2 * QUIET)
    ox, oy = x + QUIET * module, y + QUIET * module
    top = n - 1
    rects = " ".join([f"{c} {top - r} {length} 1 re" for r, c, length in runs])
    return f"q 0 g {module:.4f} 0 0 {module:.4f} {ox:.3f} {oy:.3f} cm {rects} f Q"
