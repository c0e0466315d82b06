"""``scripts/bench --ablation``: each optimization of the transports switched off in turn,
side by side with the shipped code, in one run.

Every variant (:data:`workloads.ABLATIONS`) runs the same workloads with both clients, each
workload in its own process: exists calls (rate and client CPU per call), then a large file
written and read back in 1 MiB pieces (rate, client CPU per GiB, and the embedded proxy's
CPU per GiB, read from its process before and after). Repetitions are interleaved across
variants and the best of each figure is kept, so load from other processes on a shared
machine hurts every variant alike.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import alluxio
from alluxio.option import Delete

from . import run, workloads

MIB = 1 << 20
KINDS = {"client": "Client", "async": "AsyncClient"}
# (workload, unit, higher is better)
COLUMNS = [
    ("metadata exists", "ops/s", True),
    ("metadata exists: client CPU", "us/op", False),
    ("write 1 file", "MiB/s", True),
    ("write 1 file: client CPU", "s/GiB", False),
    ("write 1 file: proxy CPU", "s/GiB", False),
    ("read 1 file", "MiB/s", True),
    ("read 1 file: client CPU", "s/GiB", False),
    ("read 1 file: proxy CPU", "s/GiB", False),
]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (``/proc/PID/stat``)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Ablation:
    def __init__(self, proxy_pid: int, proxy: str, scratch: Path, size: int, ops: int) -> None:
        self.proxy_pid = proxy_pid
        self.proxy = proxy
        self.size = size
        self.ops = ops
        self.base = f"/alluxio-py-ablation-{os.getpid()}"
        self.admin = alluxio.Client.from_url(proxy)
        self.admin.create_directory(self.base)
        self.meta_dir = f"{self.base}/meta"
        self.admin.create_directory(self.meta_dir)
        for i in range(100):
            self.admin.write_bytes(f"{self.meta_dir}/f{i:05d}", b"x")
        self.src = scratch / "source.bin"
        with open(self.src, "wb") as f:
            for _ in range(size // MIB):
                f.write(os.urandom(MIB))
        self.env = {**os.environ, "PYTHONPATH": str(run.ROOT)}
        self.results: list[dict[str, Any]] = []

    def child(self, kind: str, spec: dict[str, Any]) -> tuple[list[dict[str, Any]], float]:
        """Run one workload in a child process: its results, and the proxy's CPU meanwhile."""
        before = _cpu_seconds(self.proxy_pid)
        command = [sys.executable, str(run.WORKLOADS), kind, json.dumps(spec)]
        out, _, _ = run.run_measured(command, self.env)
        proxy_cpu = _cpu_seconds(self.proxy_pid) - before
        results = [r for r in json.loads(out) if r["workload"] != workloads.PEAK_RSS]
        return results, proxy_cpu

    def once(self, variant: str, kind: str, rep: int) -> None:
        common = {"proxy": self.proxy, "ablate": variant}
        meta = {"workload": "metadata", "dir": self.meta_dir, "files": 100, "ops": self.ops}
        results, _ = self.child(kind, {**common, **meta, "list_ops": 1})
        found = [r for r in results if r["workload"].startswith("metadata exists")]
        path = f"{self.base}/big-{variant}-{kind}-{rep}"
        gib = self.size / (1 << 30)
        for workload, spec in (
            ("write", {"workload": "write_big", "src": str(self.src), "path": path}),
            ("read", {"workload": "read_big", "path": path, "size": self.size, "chunk": MIB}),
        ):
            results, proxy_cpu = self.child(kind, {**common, **spec})
            found += results
            name = f"{workload} 1 file: proxy CPU"
            found.append({"workload": name, "value": proxy_cpu / gib, "unit": "s/GiB"})
        self.admin.delete(path)
        for item in found:
            self.results.append({**item, "variant": variant, "kind": kind})

    def best(self) -> dict[tuple[str, str, str], float]:
        best: dict[tuple[str, str, str], float] = {}
        higher = {name: up for name, _, up in COLUMNS}
        for item in self.results:
            key = (item["variant"], item["kind"], item["workload"])
            if item["workload"] not in higher:
                continue
            value = float(item["value"])
            current = best.get(key)
            better = current is None or (
                value > current if higher[item["workload"]] else value < current
            )
            if better:
                best[key] = value
        return best

    def close(self) -> None:
        self.admin.delete(self.base, Delete(recursive=True))
        self.admin.close_connections()


def table(best: dict[tuple[str, str, str], float], variants: list[str], meta: str) -> str:
    """One Markdown table per client: a row per variant, its figures and, in brackets, the
    ratio to the shipped code ("none")."""
    out = [meta, ""]
    for kind, label in KINDS.items():
        header = [label, *(f"{name} ({unit})" for name, unit, _ in COLUMNS)]
        rows = [header, ["---"] * len(header)]
        for variant in variants:
            row = [f"{variant} off" if variant != "none" else "shipped"]
            for name, _, _ in COLUMNS:
                value = best.get((variant, kind, name))
                base = best.get(("none", kind, name))
                if value is None:
                    row.append("-")
                    continue
                text = f"{value:,.0f}" if value >= 100 else f"{value:.2f}"
                if variant != "none" and base:
                    text += f" ({value / base:.2f}x)"
                row.append(text)
            rows.append(row)
        out += ["| " + " | ".join(r) + " |" for r in rows]
        out.append("")
    return "\n".join(out)


def main(args: argparse.Namespace) -> int:
    size = (32 if args.quick else 256) * MIB
    reps = args.reps or (1 if args.quick else 3)
    ops = 100 if args.quick else 600
    variants = list(workloads.ABLATIONS)
    scratch = run.scratch_dir(args.tmp, size + (64 << 20))
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    root = scratch / "root"
    root.mkdir()
    try:
        with run.embedded_proxy(root) as (url, pid):
            bench = Ablation(pid, url, scratch, size, ops)
            try:
                for rep in range(reps):
                    for variant in variants:
                        for kind in KINDS:
                            run.log(f"rep {rep + 1}/{reps}: {KINDS[kind]} with {variant} off")
                            bench.once(variant, kind, rep)
            finally:
                bench.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    best = bench.best()
    meta = (
        f"Ablation: embedded proxy, {size // MIB} MiB written and read in 1 MiB pieces, "
        f"{ops} exists calls; best of {reps} interleaved repetitions; (x) = ratio to shipped."
    )
    text = table(best, variants, meta)
    print(text)
    legend = "\n".join(f"- {name}: {what}" for name, what in workloads.ABLATIONS.items())
    print("\n" + legend)
    rows = [{"variant": v, "client": k, "workload": w, "value": x} for (v, k, w), x in best.items()]
    (out_dir / "ablation.json").write_text(json.dumps(rows, indent=1) + "\n")
    run.log(f"wrote {out_dir / 'ablation.json'}")
    return 0
