"""``scripts/bench --startup``: the wall time of ``alluxio-py --version`` and ``--help``.

Users of ``aws`` and ``hdfs dfs`` run commands in loops, so the command line's own start
counts. Each command runs ``--reps`` times (default 20) as a fresh process; the median and
the fastest run are reported next to a bare ``python -c pass`` (the interpreter's own start)
and written to ``startup.json``, with the median CPU time (user + system) of the process:
on a loaded machine the wall time mostly measures the wait for a CPU, the CPU time does not.
Target: under 150 ms wall on an idle machine.
"""

from __future__ import annotations

import json
import os
import resource
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


# An installed package has its .pyc files (pip compiles them); with PYTHONDONTWRITEBYTECODE
# set, a source checkout would compile every module on every run and measure that instead.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _run(cmd: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=_ENV)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(reps: int) -> dict[str, dict[str, float]]:
    """Median and fastest wall time and median CPU time (ms) of each command over ``reps``
    fresh processes."""
    results: dict[str, dict[str, float]] = {}
    for name, cmd in COMMANDS.items():
        _run(cmd)  # warm the page cache and .pyc files
        runs = [_run(cmd) for _ in range(reps)]
        walls = [wall for wall, _ in runs]
        results[name] = {
            "median_ms": round(statistics.median(walls) * 1000, 1),
            "min_ms": round(min(walls) * 1000, 1),
            "cpu_median_ms": round(statistics.median(cpu for _, cpu in runs) * 1000, 1),
        }
    return results


def main(out_dir: Path, reps: int | None) -> int:
    results = measure(reps or 20)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    for name, figures in results.items():
        print(
            f"{name:<24} wall median {figures['median_ms']:7.1f} ms"
            f"   min {figures['min_ms']:7.1f} ms   CPU median {figures['cpu_median_ms']:7.1f} ms"
        )
    print(f"(1-minute load average {load:.1f} on {os.cpu_count()} CPUs)")
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = {"startup": results, "load_average": round(load, 2), "cpus": os.cpu_count()}
    (out_dir / "startup.json").write_text(json.dumps(payload, indent=2) + "\n")
    return 0
