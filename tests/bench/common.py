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


def run_measured(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[float, float]:
    """Run ``cmd`` to the end: (wall seconds, peak resident MB of it and its descendants; 0 where
    the platform cannot say). Output is discarded; a failure raises with its stderr."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd or ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    if hasattr(os, "wait4"):  # the child's rusage, descendants included (soffice runs soffice.bin)
        assert proc.stderr is not None
        err = proc.stderr.read()
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        peak = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
    else:
        _out, err = proc.communicate()
        seconds = time.perf_counter() - start
    if proc.returncode:
        raise RuntimeError(f"{cmd[:4]} failed ({proc.returncode}): {err.decode(errors='replace')[-2000:]}")
    return seconds, peak


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start
