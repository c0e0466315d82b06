"""Big-directory listings for ``scripts/bench``: entries made straight in the proxy's under
store, then listed by curl, this project's clients, the reference client and ``alluxio-py
ls -R`` (sorted and ``--unsorted``); with the proxy's RSS growth while it serves each listing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .run import Bench

LIST_STATUS_MAX = 100_000
"""Above this, whole-list calls (``list_status``, the reference client) are not run: they
hold every entry (the reference client needs ~9 MiB per 1,000 entries)."""


def make_entries(directory: Path, count: int) -> None:
    """``count`` empty files in ``directory`` (on the proxy's under store)."""
    directory.mkdir(parents=True)
    # Names relative to the directory's descriptor: no path object or lookup per file.
    dir_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        flags = os.O_CREAT | os.O_WRONLY
        for i in range(count):
            os.close(os.open(f"f{i:07d}", flags, 0o644, dir_fd=dir_fd))
    finally:
        os.close(dir_fd)


class ProxyMemory:
    """Samples a local proxy process's RSS while a listing is served: the growth over its
    RSS when sampling started."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.base = 0.0
        self.peak = 0.0

    def _rss(self) -> float:
        assert self.pid is not None
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def __enter__(self) -> ProxyMemory:
        if self.pid is not None:
            self.base = self.peak = self._rss()
            self._stop.clear()
            self._thread = threading.Thread(target=self._poll, daemon=True)
            self._thread.start()
        return self

    def _poll(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self._rss())

    def __exit__(self, *exc: object) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()

    @property
    def growth(self) -> float | None:
        return None if self.pid is None else self.peak - self.base


def run_listings(
    bench: Bench,
    ufs: Path,
    counts: list[int],
    proxy_pid: int | None,
    on_done: Callable[[int], None] | None = None,
) -> None:
    """Every listing workload for each size in ``counts`` (``on_done(size)`` after each:
    a million entries take long enough that the sizes before it are worth keeping)."""
    from .run import ASYNC, CLIENT, CURL, REFERENCE, log

    for count in counts:
        name = f"alluxio-py-bench-list-{os.getpid()}-{count}"
        directory = ufs / name
        path = f"/{name}"
        log(f"listing {count:,}: creating the entries in {directory}")
        make_entries(directory, count)
        try:
            # The first listing gives the entries their metadata (ids; the real proxy loads
            # them from the under store): not what is measured.
            started = time.perf_counter()
            with bench.admin.iter_status(path) as entries:
                seen = sum(1 for _ in entries)
            if seen != count:
                raise RuntimeError(f"the proxy lists {seen} entries of {count}")
            log(f"  first listing (metadata): {time.perf_counter() - started:.1f} s")
            label = f"{count:,}"
            for client in bench.clients:
                passes: list[tuple[str, str]] = []
                if client == CURL:
                    passes.append(("curl", "curl"))
                if client in (CLIENT, ASYNC):
                    passes.append(("iter_status", client))
                if client in (CLIENT, REFERENCE) and count <= LIST_STATUS_MAX:
                    passes.append(("list_status", client))
                if client == CLIENT:
                    passes.append(("ls -R -U", client))
                    passes.append(("ls -R", client))
                for method, who in passes:
                    log(f"  listing {label}: {method} ({who})")
                    with ProxyMemory(proxy_pid) as memory:
                        if method == "curl":
                            results = _curl(bench, path, label)
                        elif method.startswith("ls"):
                            unsorted = method.endswith("-U")
                            results = _ls(bench, path, count, unsorted=unsorted)
                        else:
                            spec = {
                                "workload": "listing",
                                "dir": path,
                                "entries": count,
                                "method": method,
                            }
                            results, _ = bench.worker(who, spec)
                    if memory.growth is not None:
                        results.append(
                            {
                                "workload": f"{method} {label}: proxy RSS growth",
                                "value": memory.growth,
                                "unit": "MiB",
                            }
                        )
                    bench.record(who, results)
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        if on_done is not None:
            on_done(count)


def _curl(bench: Bench, path: str, label: str) -> list[dict[str, Any]]:
    from .run import run_measured

    out, peak, _ = run_measured(
        [
            "curl", "-sS", "--fail", "-X", "POST", "-o", "/dev/null",
            "-w", "%{time_starttransfer} %{time_total} %{size_download}",
            f"{bench.proxy}/api/v1/paths/{path}/list-status",
        ]
    )  # fmt: skip
    first_byte, total, size = out.split()
    return [
        {"workload": f"curl {label}: total", "value": float(total), "unit": "s"},
        {"workload": f"curl {label}: first byte", "value": float(first_byte), "unit": "s"},
        {"workload": f"curl {label}: JSON size", "value": int(size) / (1 << 20), "unit": "MiB"},
        {"workload": f"curl {label}: peak RSS", "value": peak, "unit": "MiB"},
    ]


def _ls(bench: Bench, path: str, count: int, *, unsorted: bool) -> list[dict[str, Any]]:
    """``alluxio-py ls -R [-U]``: time to its first line and to its end, its peak RSS."""
    from .run import _vm_hwm_mib

    cmd = [sys.executable, "-m", "alluxio.cli", "--proxy", bench.proxy, "ls", "-R", path]
    if unsorted:
        cmd.insert(-1, "-U")
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, env=bench.our_env)
    assert proc.stdout is not None
    peak = 0.0
    first: float | None = None
    lines = 0
    stop = threading.Event()

    def poll() -> None:
        nonlocal peak
        while not stop.wait(0.01):
            hwm = _vm_hwm_mib(proc.pid)
            if hwm is not None:
                peak = max(peak, hwm)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    for _ in proc.stdout:
        if first is None:
            first = time.perf_counter() - start
        lines += 1
    proc.wait()
    total = time.perf_counter() - start
    stop.set()
    watcher.join()
    if proc.returncode != 0 or lines != count:
        raise RuntimeError(f"{' '.join(cmd)}: exit {proc.returncode}, {lines} lines of {count}")
    label = f"{count:,}"
    method = "ls -R -U" if unsorted else "ls -R"
    return [
        {"workload": f"{method} {label}: first line", "value": first or total, "unit": "s"},
        {"workload": f"{method} {label}: total", "value": total, "unit": "s"},
        {"workload": f"{method} {label}: peak RSS", "value": peak, "unit": "MiB"},
    ]
