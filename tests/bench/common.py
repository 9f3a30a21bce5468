"""Shared helpers for the benchmarks: a demo database of N workers, timing, the BENCH line."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def bench_line(name: str, value: float, baseline: float, unit: str = "") -> str:
    ratio = value / baseline if baseline else float("inf")
    line = f"BENCH {name} {ratio:.2f} {value:.4f}{unit} {baseline:.4f}{unit}"
    print(line, flush=True)
    return line


def median_of(fn: Callable[[], float], runs: int) -> float:
    return statistics.median(fn() for _ in range(runs))


def env_for(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"UNIONDESK_HOME": str(home), "UNIONDESK_NO_QSETTINGS": "1", "QT_QPA_PLATFORM": "offscreen",
                "PYTHONPATH": str(ROOT)})
    env.pop("UNIONDESK_DATABASE_URL", None)
    return env


def demo_database(folder: Path, size: int) -> Path:
    """A database of ``size`` demo workers, built once per folder."""
    db = folder / f"demo{size}.sqlite3"
    if not db.exists():
        home = folder / "home"
        subprocess.run([sys.executable, "-m", "desktop", "demo", "--size", str(size), "--db", str(db)],
                       env=env_for(home), cwd=ROOT, check=True, capture_output=True)
    return db


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start
