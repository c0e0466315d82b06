"""Soak: 10,000 mixed operations from 16 concurrent clients against the embedded proxy.

Each thread has its own client and its own directory, keeps a model of what it wrote and
checks every answer against it. After the run: no error, no file descriptor or stream left
open (client and server live in this process, so both sides are counted), memory stable.
"""

from __future__ import annotations

import gc
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest

import alluxio
from alluxio import exceptions as exc
from alluxio import option
from alluxio.server import EmbeddedProxy

THREADS = 16
OPERATIONS = 10_000
MAX_FILE = 64 << 10
TIME_LIMIT = 180.0
RSS_GROWTH_LIMIT = 50 << 20


def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@dataclass
class Worker:
    """One thread's client, directory and model of its files."""

    client: alluxio.Client
    home: str
    rng: random.Random
    files: dict[str, bytes] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    serial: int = 0

    def _new_name(self) -> str:
        self.serial += 1
        return f"{self.home}/f{self.serial}"

    def _some_file(self) -> str | None:
        return self.rng.choice(sorted(self.files)) if self.files else None

    def _data(self) -> bytes:
        return self.rng.randbytes(self.rng.choice([0, 1, 100, 4096, self.rng.randrange(MAX_FILE)]))

    # -- operations: each checks its answer against the model ------------------------------

    def write_bytes(self) -> None:
        path, data = self._new_name(), self._data()
        assert self.client.write_bytes(path, data) == len(data)
        self.files[path] = data

    def write_in_pieces(self) -> None:
        path = self._new_name()
        pieces = [self.rng.randbytes(self.rng.randrange(1, 8192)) for _ in range(3)]
        file_id = self.client.create_file(path)
        writer = self.client.write(file_id)
        for piece in pieces:
            writer.write(piece)
        self.client.close(file_id)
        self.files[path] = b"".join(pieces)

    def read_bytes(self) -> None:
        path = self._some_file()
        if path is None:
            return self.write_bytes()
        assert self.client.read_bytes(path) == self.files[path]

    def read_part(self) -> None:
        # Stop early: closing a stream that was not read to the end must release it.
        path = self._some_file()
        if path is None:
            return self.write_bytes()
        with self.client.open(path, "r") as reader:
            assert reader.read(100) == self.files[path][:100]

    def get_status(self) -> None:
        path = self._some_file()
        if path is None:
            return self.write_bytes()
        info = self.client.get_status(path)
        assert (info.length, info.completed, info.folder) == (len(self.files[path]), True, False)

    def exists(self) -> None:
        path = self._some_file() or f"{self.home}/none"
        assert self.client.exists(path) is (path in self.files)

    def missing(self) -> None:
        with pytest.raises(exc.NotFoundError):
            self.client.get_status(f"{self.home}/missing-{self.serial}")

    def ls(self) -> None:
        assert self.client.ls(self.home) == sorted(p.rsplit("/", 1)[1] for p in self.files)

    def rename(self) -> None:
        path = self._some_file()
        if path is None:
            return self.write_bytes()
        target = self._new_name()
        self.client.rename(path, target)
        self.files[target] = self.files.pop(path)

    def delete(self) -> None:
        path = self._some_file()
        if path is None:
            return self.write_bytes()
        self.client.delete(path)
        del self.files[path]

    def set_attribute(self) -> None:
        path = self._some_file()
        if path is None:
            return self.write_bytes()
        pinned = self.rng.random() < 0.5
        self.client.set_attribute(path, option.SetAttribute(pinned=pinned))
        assert self.client.get_status(path).pinned is pinned

    def free(self) -> None:
        path = self._some_file()
        if path is None:
            return self.write_bytes()
        self.client.free(path, option.Free(forced=True))

    def proxy_info(self) -> None:
        assert "version" in self.client.proxy_info()


# Weighted mix: writes and reads dominate, as in real use.
MIX: list[tuple[Callable[[Worker], None], int]] = [
    (Worker.write_bytes, 16),
    (Worker.write_in_pieces, 6),
    (Worker.read_bytes, 16),
    (Worker.read_part, 8),
    (Worker.get_status, 12),
    (Worker.exists, 10),
    (Worker.missing, 4),
    (Worker.ls, 6),
    (Worker.rename, 6),
    (Worker.delete, 8),
    (Worker.set_attribute, 4),
    (Worker.free, 2),
    (Worker.proxy_info, 2),
]


def _run(proxy: EmbeddedProxy, total: int, seed: int) -> Counter[str]:
    """``total`` operations spread over THREADS threads; returns the count of each kind."""
    errors: list[BaseException] = []
    counts: Counter[str] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def work(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        with alluxio.Client.from_url(proxy.url, timeout=60) as client:
            home = f"/soak-{seed}-{index}"
            client.create_directory(home)
            worker = Worker(client, home, rng)
            operations, weights = zip(*MIX, strict=True)
            start.wait()
            try:
                for _ in range(total // THREADS):
                    operation = rng.choices(operations, weights)[0]
                    operation(worker)
                    worker.counts[operation.__name__] += 1
                # Clean up, so the next round starts from the same state.
                client.delete(home, option.Delete(recursive=True))
            except BaseException as error:  # reported by the main thread
                with lock:
                    errors.append(error)
        with lock:
            counts.update(worker.counts)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return counts


def _settle(limit: int | None = None, timeout: float = 10.0) -> int:
    """Wait for the server to notice closed client connections: until the fd count is at
    most ``limit``, or (no limit) unchanged for half a second. Returns the count."""
    deadline = time.monotonic() + timeout
    count, stable_since = _fds(), time.monotonic()
    while time.monotonic() < deadline:
        if limit is not None and count <= limit:
            break
        if limit is None and time.monotonic() - stable_since >= 0.5:
            break
        time.sleep(0.05)
        latest = _fds()
        if latest != count:
            count, stable_since = latest, time.monotonic()
    return count


@pytest.mark.slow
def test_soak(tmp_path: Path) -> None:
    process = psutil.Process()
    # Files persist at once: workers free files right after writing them, which a real
    # proxy (and the embedded one by default) refuses until the asynchronous persist ran.
    with EmbeddedProxy(tmp_path / "root", persist_delay=0) as proxy:
        # Warm-up: thread pools, connection pools, caches and the state store reach size.
        _run(proxy, THREADS * 40, seed=0)
        gc.collect()
        fds_before = _settle()
        rss_before = process.memory_info().rss

        started = time.monotonic()
        counts = _run(proxy, OPERATIONS, seed=1)
        elapsed = time.monotonic() - started

        gc.collect()
        fds_after = _settle(fds_before)
        rss_after = process.memory_info().rss
        open_streams = proxy.open_streams
        leftovers = os.listdir(os.path.join(proxy.root, ".alluxio-proxy", "tmp"))

    done = sum(counts.values())
    growth = rss_after - rss_before
    print(
        f"\nsoak: {done} operations from {THREADS} clients in {elapsed:.1f}s "
        f"({done / elapsed:.0f} ops/s); fds {fds_before} -> {fds_after}; "
        f"RSS {rss_before >> 20} -> {rss_after >> 20} MiB; mix {dict(sorted(counts.items()))}"
    )
    assert done == OPERATIONS
    assert elapsed < TIME_LIMIT
    assert fds_after <= fds_before, f"file descriptors leaked: {fds_before} -> {fds_after}"
    assert open_streams == 0
    assert leftovers == []  # no unfinished upload left behind
    assert growth < RSS_GROWTH_LIMIT, f"RSS grew by {growth >> 20} MiB"
