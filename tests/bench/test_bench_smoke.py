"""``scripts/bench --quick`` runs end to end and writes its outputs in the documented shape.

Only the shape is checked: performance is never asserted by timed tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = {"alluxio-py Client", "alluxio-py AsyncClient", "alluxio 0.1.4 (reference)", "curl"}


@pytest.mark.slow
@pytest.mark.reference_client
def test_quick_run_writes_table_json_and_chart(tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "ALLUXIO_BENCH_NO_REEXEC": "1"}
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench"), "--quick", "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-4000:]

    results = json.loads((out / "results.json").read_text())
    assert isinstance(results, list) and results
    for entry in results:
        keys = {"workload", "client", "value", "unit"}
        if entry["unit"] != "x":
            keys |= {"median", "runs"}  # measured: the median of the repetitions beside the best
            assert entry["runs"] == 1  # --quick
            assert entry["median"] == entry["value"]
        assert keys <= set(entry) <= keys | {"median"}
        assert isinstance(entry["value"], int | float) and entry["value"] >= 0
    clients = {e["client"] for e in results}
    assert clients == CLIENTS
    workloads = {e["workload"] for e in results}
    for expected in (
        "metadata exists",
        "metadata get_status p50",
        "metadata list_status p99",
        "small files put",
        "small files get",
        "32 in flight: get_status",
        "ratio metadata exists vs reference (target >= 1.2)",
    ):
        assert expected in workloads
    assert any(w.startswith("read ") and w.endswith("MiB") for w in workloads)
    assert any(w.startswith("write ") and w.endswith("peak RSS") for w in workloads)
    units = {e["unit"] for e in results}
    assert {"ops/s", "ms", "MiB/s", "files/s", "MiB", "x"} <= units
    # curl takes part in the transfers and listings only; the async client in metadata,
    # concurrency and listings.
    curl = {e["workload"] for e in results if e["client"] == "curl"}
    assert curl and all(w.startswith(("read ", "write ", "curl 2,000: ")) for w in curl)
    for expected in (
        "iter_status 2,000: total",
        "iter_status 2,000: first entry after the answer's head",
        "iter_status 2,000: peak RSS over import",
        "list_status 2,000: total",
        "ls -R -U 2,000: first line",
        "ratio iter_status 2,000 time vs curl (target <= 1.1)",
        "ratio list_status 2,000 speed vs reference (target >= 1.5)",
    ):
        assert expected in workloads
    assert any(
        e["client"] == "alluxio-py AsyncClient" and e["workload"] == "32 in flight: get 64 KiB"
        for e in results
    )

    png = (out / "results.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000

    table = run.stdout
    assert table.startswith("| workload")
    for client in CLIENTS:
        assert client in table.splitlines()[0]
    assert "| target ratio" in table
