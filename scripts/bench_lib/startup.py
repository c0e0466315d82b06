"""``scripts/bench --startup``: the wall time of ``alluxio-py --version`` and ``--help``.

Users of ``aws`` and ``hdfs dfs`` run commands in loops, so the command line's own start
counts. Each command runs ``--reps`` times (default 20) as a fresh process; the median and
the fastest run are reported next to a bare ``python -c pass`` (the interpreter's own start)
and written to ``startup.json``. Target: under 150 ms on an idle machine.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "alluxio-py --version": [sys.executable, "-m", "alluxio.cli", "--version"],
    "alluxio-py --help": [sys.executable, "-m", "alluxio.cli", "--help"],
}


def _wall(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def measure(reps: int) -> dict[str, dict[str, float]]:
    """Median and fastest wall time (ms) of each command over ``reps`` fresh processes."""
    results: dict[str, dict[str, float]] = {}
    for name, cmd in COMMANDS.items():
        _wall(cmd)  # warm the page cache and .pyc files
        times = [_wall(cmd) for _ in range(reps)]
        results[name] = {
            "median_ms": round(statistics.median(times) * 1000, 1),
            "min_ms": round(min(times) * 1000, 1),
        }
    return results


def main(out_dir: Path, reps: int | None) -> int:
    results = measure(reps or 20)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    for name, figures in results.items():
        print(f"{name:<24} median {figures['median_ms']:7.1f} ms   min {figures['min_ms']:7.1f} ms")
    print(f"(1-minute load average {load:.1f} on {os.cpu_count()} CPUs)")
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = {"startup": results, "load_average": round(load, 2), "cpus": os.cpu_count()}
    (out_dir / "startup.json").write_text(json.dumps(payload, indent=2) + "\n")
    return 0
