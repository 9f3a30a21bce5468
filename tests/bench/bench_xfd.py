"""xfd_dry_run: `import --dry-run` of a small workbook whose 1,200 rows each hold one cell in
column XFD (the last column), in process; its time and tracemalloc peak are printed against
raw openpyxl read-only iteration of a normal 1,200-row workbook of the same size class."""

from __future__ import annotations

import os
import sys
import tempfile
import tracemalloc
from pathlib import Path

from openpyxl import Workbook, load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.common import bench_line, timed

ROWS = 1_200
HEADER = ["序号", "姓名", "性别", "身份证号码", "工作单位"]


def make_xfd_workbook(path: Path, rows: int = ROWS) -> None:
    """A header, then ``rows`` rows each holding one cell in column XFD (16384) and nothing else."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(HEADER)
    for n in range(rows):
        row: list[object] = [None] * 16_383
        row.append(f"x{n}")
        ws.append(row)
    wb.save(path)


def make_normal_workbook(path: Path, rows: int = ROWS) -> None:
    """The same header and ``rows`` rows of one short cell each, in column B."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(HEADER)
    for n in range(rows):
        ws.append([None, f"x{n}"])
    wb.save(path)


def raw_openpyxl(path: Path) -> int:
    wb = load_workbook(path, read_only=True, data_only=True)
    n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return n


def peak_of(fn: object) -> float:
    """Peak traced memory in MB while ``fn`` runs."""
    tracemalloc.start()
    try:
        fn()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1] / (1024 * 1024)
    finally:
        tracemalloc.stop()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["UNIONDESK_HOME"] = str(folder / "home")
        os.environ["UNIONDESK_NO_QSETTINGS"] = "1"
        xfd, normal = folder / "xfd.xlsx", folder / "normal.xlsx"
        make_xfd_workbook(xfd)
        make_normal_workbook(normal)
        from desktop.context import open_app
        from desktop.importing import service

        app = open_app(str(folder / "bench.sqlite3"), daily_backup=False)
        try:
            def dry_run() -> None:
                service.import_file(app, "workers", xfd, dry_run=True)

            base_time = min(timed(lambda: raw_openpyxl(normal)) for _ in range(3))
            xfd_time = min(timed(dry_run) for _ in range(3))
            base_peak = peak_of(lambda: raw_openpyxl(normal))
            xfd_peak = peak_of(dry_run)
        finally:
            app.close()
        print(f"# xfd.xlsx {xfd.stat().st_size} bytes, normal.xlsx {normal.stat().st_size} bytes", flush=True)
        bench_line("xfd_dry_run_time", xfd_time, base_time, "s")
        bench_line("xfd_dry_run_peak", xfd_peak, base_peak, "MB")


if __name__ == "__main__":
    main()
