#!/usr/bin/env python3
"""Run a part of the test suite several times in a row and report how steady it is.

Usage:
    scripts/repeat_tests.py --runs 10 -- -m real_proxy          # run pytest 10 times, then report
    scripts/repeat_tests.py --report DIR                        # report on runs already made

Each run writes ``run<N>.xml`` (JUnit) and ``run<N>.log`` into ``--out`` (default
``.repeat-tests/``). The report gives the pass count of every run, its wall time, and per
test the median and slowest duration with their ratio; it exits 1 if any run failed or any
test's slowest run exceeds ``--max-ratio`` (default 3) times its median. Tests whose median
is under ``--floor`` seconds (default 1 s) are compared against the floor instead, so that a
5 ms test that once took 20 ms does not count as unsteady.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    """One pytest run, as its JUnit report tells it."""

    number: int
    passed: int = 0
    failed: list[str] = field(default_factory=list)
    skipped: int = 0
    seconds: float = 0.0
    durations: dict[str, float] = field(default_factory=dict)


def read_run(number: int, xml_path: Path) -> Run:
    """Parse one JUnit XML report (pytest's ``--junitxml``)."""
    run = Run(number)
    root = ET.parse(xml_path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    for suite in suites:
        run.seconds += float(suite.get("time", "0"))
        for case in suite.iter("testcase"):
            name = f"{case.get('classname', '')}::{case.get('name', '')}"
            outcome = {child.tag for child in case}
            if "skipped" in outcome:
                run.skipped += 1
                continue
            run.durations[name] = float(case.get("time", "0"))
            if outcome & {"failure", "error"}:
                run.failed.append(name)
            else:
                run.passed += 1
    return run


def report(runs: list[Run], max_ratio: float, floor: float) -> int:
    """Print the report; return the exit status (0 steady and green, 1 otherwise)."""
    status = 0
    print(f"{'run':>4} {'passed':>7} {'failed':>7} {'skipped':>8} {'seconds':>9}")
    for run in runs:
        print(
            f"{run.number:>4} {run.passed:>7} {len(run.failed):>7} {run.skipped:>8} "
            f"{run.seconds:>9.1f}"
        )
        for name in run.failed:
            print(f"       FAILED {name}")
            status = 1
    green = sum(1 for run in runs if not run.failed and run.passed)
    print(f"\n{green} of {len(runs)} runs passed")
    per_test: dict[str, list[float]] = defaultdict(list)
    for run in runs:
        for name, seconds in run.durations.items():
            per_test[name].append(seconds)
    rows = []
    for name, times in per_test.items():
        median = statistics.median(times)
        slowest = max(times)
        raw = slowest / median if median > 0 else 1.0
        rows.append((slowest / max(median, floor), raw, median, slowest, len(times), name))
    rows.sort(reverse=True)
    print(f"\nslowest run / median per test (median floored at {floor:g} s), worst first:")
    print(f"{'ratio':>6} {'raw':>6} {'median':>8} {'slowest':>8} {'runs':>5}  test")
    for ratio, raw, median, slowest, count, name in rows[:15]:
        print(f"{ratio:>6.2f} {raw:>6.2f} {median:>8.2f} {slowest:>8.2f} {count:>5}  {name}")
    unsteady = [row for row in rows if row[0] > max_ratio]
    raw_unsteady = sum(1 for row in rows if row[1] > max_ratio)
    print(
        f"\n{len(rows)} tests; {len(unsteady)} with a slowest run over {max_ratio:g}x the "
        f"(floored) median; {raw_unsteady} over {max_ratio:g}x the raw median"
    )
    if unsteady:
        status = 1
    return status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="how many runs (default 10)")
    parser.add_argument("--out", type=Path, default=ROOT / ".repeat-tests", help="output dir")
    parser.add_argument("--report", type=Path, help="only report on the runs in this directory")
    parser.add_argument("--max-ratio", type=float, default=3.0, help="slowest/median allowed")
    parser.add_argument(
        "--floor", type=float, default=1.0, help="median floor in seconds (0: none)"
    )
    parser.add_argument("pytest_args", nargs="*", help="arguments for pytest (after --)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.report is not None:
        files = sorted(args.report.glob("run*.xml"), key=lambda p: int(p.stem[3:] or 0))
        if not files:
            parser.error(f"no run*.xml in {args.report}")
        return report([read_run(int(p.stem[3:]), p) for p in files], args.max_ratio, args.floor)
    args.out.mkdir(parents=True, exist_ok=True)
    runs = []
    for number in range(1, args.runs + 1):
        xml_path = args.out / f"run{number}.xml"
        started = time.monotonic()
        with (args.out / f"run{number}.log").open("wb") as log:
            code = subprocess.call(
                [
                    sys.executable,
                    "-m",
                    "pytest",
                    "-p",
                    "no:cacheprovider",
                    "-q",
                    f"--junitxml={xml_path}",
                    *args.pytest_args,
                ],
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        print(f"run {number}: exit {code} in {time.monotonic() - started:.0f} s", flush=True)
        if not xml_path.exists():
            print(f"run {number} wrote no report; see {args.out / f'run{number}.log'}")
            return 1
        runs.append(read_run(number, xml_path))
    return report(runs, args.max_ratio, args.floor)


if __name__ == "__main__":
    sys.exit(main())
