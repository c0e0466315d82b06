"""``scripts/bench``'s summary: the best repetition, the median beside it, and the targets."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Loaded by path: scripts/ is not a package.
_loader = importlib.util.spec_from_file_location(
    "bench_report", ROOT / "scripts" / "bench_lib" / "report.py"
)
assert _loader is not None and _loader.loader is not None
report = importlib.util.module_from_spec(_loader)
_loader.loader.exec_module(report)

CLIENT, REFERENCE, CURL = report.CLIENT, report.REFERENCE, report.CURL


def _runs(workload: str, client: str, unit: str, values: list[float]) -> list[dict[str, Any]]:
    return [{"workload": workload, "client": client, "value": v, "unit": unit} for v in values]


def _entry(summary: list[dict[str, Any]], workload: str, client: str) -> dict[str, Any]:
    (entry,) = [e for e in summary if e["workload"] == workload and e["client"] == client]
    return entry


def test_best_median_and_runs_per_workload_and_client() -> None:
    results = [
        *_runs("write 1024 MiB", CLIENT, "MiB/s", [800, 950, 900, 700, 910]),
        *_runs("write 1024 MiB", REFERENCE, "MiB/s", [1000, 760, 800, 700, 780]),
        *_runs("metadata exists p50", CLIENT, "ms", [0.5, 0.4, 0.6]),
        *_runs("write 1024 MiB: peak RSS", CLIENT, "MiB", [30, 35, 31]),
    ]
    summary = report.summarize(results, [CLIENT, REFERENCE])
    write = _entry(summary, "write 1024 MiB", CLIENT)
    assert (write["value"], write["median"], write["runs"]) == (950, 900, 5)
    assert _entry(summary, "metadata exists p50", CLIENT)["value"] == 0.4  # lowest latency
    assert _entry(summary, "write 1024 MiB: peak RSS", CLIENT)["value"] == 35  # highest RSS
    # The write-vs-reference target is a real proxy's only.
    assert not [e for e in summary if "vs reference" in e["workload"]]


def test_real_proxy_run_adds_write_versus_reference_with_both_ratios() -> None:
    results = [
        *_runs("write 1024 MiB", CLIENT, "MiB/s", [800, 950, 900, 700, 910]),
        *_runs("write 1024 MiB", REFERENCE, "MiB/s", [1000, 760, 800, 700, 780]),
        *_runs("write 1024 MiB", CURL, "MiB/s", [900, 800, 850, 870, 860]),
    ]
    clients = [CLIENT, REFERENCE, CURL]
    summary = report.summarize(results, clients, versus_reference=True)
    ratio = _entry(summary, "ratio write 1024 MiB vs reference (target >= 1.0)", CLIENT)
    assert ratio["value"] == 0.95  # best against best: 950 / 1000
    assert ratio["median"] == 1.154  # median against median: 900 / 780

    table = report.table(summary, clients, {})
    assert "950 MiB/s (median 900 MiB/s)" in table
    row = next(line for line in table.splitlines() if "vs reference (target >= 1.0)" in line)
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    # Paired: 800/1000, 950/760, 900/800, 700/700, 910/780 -> median 1.125
    assert cells[2:] == ["0.95x", "no", "1.15x (yes)", "1.12x (yes)"]


def test_paired_ratio_is_the_median_of_the_per_repetition_ratios() -> None:
    # The proxy drifts: both clients slow down together. Best and median compare a fast
    # moment of one with a slow moment of the other; the pairs compare like with like.
    mine = [1500.0, 1400.0, 1000.0, 950.0]
    theirs = [1600.0, 1300.0, 900.0, 1000.0]
    # Ratios 0.94, 1.08, 1.11, 0.95: the median is between the middle two.
    assert report.paired_ratio(mine, theirs) == pytest.approx((950 / 1000 + 1400 / 1300) / 2)
    assert report.paired_ratio(mine, theirs[:3]) is None  # a missing repetition: no pairs
    assert report.paired_ratio([1.0], [1.0]) is None
    assert report.paired_ratio(mine, [1.0, 0.0, 1.0, 1.0]) is None


def test_real_proxy_run_puts_curl_under_the_transfer_targets() -> None:
    results = [
        run
        for workload in ("write 1024 MiB", "read 1024 MiB")
        for client, values in (
            (CLIENT, [1000.0, 900.0, 800.0]),
            (REFERENCE, [1000.0, 1000.0, 1000.0]),
            (CURL, [950.0, 1000.0, 900.0]),
        )
        for run in _runs(workload, client, "MiB/s", values)
    ]
    clients = [CLIENT, REFERENCE, CURL]
    summary = report.summarize(results, clients, versus_reference=True)
    for transfer in ("write", "read"):
        curl = _entry(summary, f"ratio {transfer} 1024 MiB vs reference (target >= 1.0)", CURL)
        assert (curl["value"], curl["median"], curl["paired"]) == (1.0, 0.95, 0.95)
    # Only against a real proxy: the embedded one has no such target.
    plain = report.summarize(results, clients)
    assert not [e for e in plain if e["client"] == CURL and "vs reference" in e["workload"]]
