"""startup, first_rows and rss_100k on a 100,000-worker database; filter_100k in-process.

startup: seconds from process start to the main window with its tabs painted, over a bare
PySide6 window with the same number of empty tabs (tests/bench/bare_window.py) started the
same way. first_rows: seconds until the workers table shows its first rows (absolute; the
baseline column repeats the bare window's paint time). rss_100k: peak MB once the whole
workers table is loaded and shown, over the bare window's peak. filter_100k: median ms over
20 keystrokes from setting the filter text to the model's final row count, over a plain
substring scan of the same search keys.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.common import ROOT, bench_line, demo_database, env_for

SIZE = int(os.environ.get("UNIONDESK_BENCH_SIZE", "100000"))


def probe(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    start = time.time()
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    marks: dict[str, float] = {}
    for line in proc.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "PROBE":
            value = float(parts[2])
            marks[parts[1]] = value - start if parts[1] != "rss" else value
    if "painted" not in marks:
        raise SystemExit(f"no probe output from {cmd}: {proc.stdout[-500:]} {proc.stderr[-2000:]}")
    return marks


def filter_bench(db: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from db.database import Database, sqlite_url
    from db.models.core.registers import Worker
    from desktop.records import load_table, table_columns
    from desktop.settings import choice_labels
    from ui.kit.table_model import RecordTableModel

    _app = QApplication.instance() or QApplication([])
    database = Database(sqlite_url(db))
    with database.session() as s:
        table = load_table(s, Worker, choice_labels(s))
    database.dispose()
    model = RecordTableModel("workers", table_columns(Worker))
    model.set_table(table)
    # What a clerk types: a surname then a given name, then the start of a phone number.
    texts = ["王", "王芳", "王", "", "1", "13", "138", "1380", "13805", "", "z", "zh", "zha", "", "宁",
             "宁海", "宁海县", "", "3302", "330226"]
    timings, scans = [], []
    for text in texts:
        t0 = time.perf_counter()
        model.set_filter(text)
        model.rowCount()
        timings.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        needle = text.lower()
        _ = [i for i, k in enumerate(table.keys) if needle in k]
        scans.append((time.perf_counter() - t0) * 1000)
    bench_line("filter_100k", statistics.median(timings), statistics.median(scans), "ms")


def main() -> None:
    keep = os.environ.get("UNIONDESK_BENCH_DIR")
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="ud-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = demo_database(folder, SIZE)
    from desktop.registry import entries

    env = env_for(folder / "home")
    env["UNIONDESK_PROBE"] = "1"
    tabs = str(len(entries()))
    bare = [probe([sys.executable, str(ROOT / "tests/bench/bare_window.py"), tabs], env) for _ in range(3)]
    app = [probe([sys.executable, "-m", "desktop", "--db", str(db)], env) for _ in range(3)]
    bare_paint = statistics.median(m["painted"] for m in bare)
    bench_line("startup", statistics.median(m["painted"] for m in app), bare_paint, "s")
    bench_line("first_rows", statistics.median(m["rows"] for m in app), bare_paint, "s")
    bench_line("rss_100k", statistics.median(m["rss"] for m in app), statistics.median(m["rss"] for m in bare), "MB")
    filter_bench(db)


if __name__ == "__main__":
    main()
