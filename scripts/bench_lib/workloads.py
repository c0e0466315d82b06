"""Workloads for this project's ``Client`` and ``AsyncClient``, run in a child process.

Run as ``python workloads.py client|async|reference SPEC_JSON``; prints one JSON document (a
list of ``{"workload", "value", "unit"}``) on stdout. One process per workload, so the parent
reads this client's own peak RSS from ``wait4`` and the client never shares a CPU with the
benchmark's bookkeeping.

The synchronous workloads use only the 0.1.x API, so the same code drives the reference
``alluxio==0.1.4``: its virtual environment runs this file, and ``import alluxio`` there is
the reference package.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import alluxio

Result = dict[str, Any]
MIB = 1 << 20
PEAK_RSS = "peak RSS"  # the last result of every run; the parent turns it into a row


def _client(proxy: str) -> alluxio.Client:
    url = urlsplit(proxy)
    return alluxio.Client(url.hostname or "127.0.0.1", url.port or 39999)


def _async_client(proxy: str) -> alluxio.AsyncClient:
    url = urlsplit(proxy)
    return alluxio.AsyncClient(url.hostname or "127.0.0.1", url.port or 39999)


def latency_results(name: str, samples_ns: list[int], seconds: float, cpu: float) -> list[Result]:
    """ops/s, p50 and p99 (ms) and client CPU per call of one metadata operation."""
    ordered = sorted(samples_ns)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] / 1e6

    return [
        {"workload": f"metadata {name}", "value": len(ordered) / seconds, "unit": "ops/s"},
        {"workload": f"metadata {name} p50", "value": pct(0.50), "unit": "ms"},
        {"workload": f"metadata {name} p99", "value": pct(0.99), "unit": "ms"},
        {
            "workload": f"metadata {name}: client CPU",
            "value": cpu / len(ordered) * 1e6,
            "unit": "us/op",
        },
    ]


def timed_ops(op: Callable[[str], object], paths: list[str]) -> tuple[list[int], float, float]:
    """Run ``op`` on each path in turn: per-call latencies (ns), total seconds, CPU seconds."""
    samples: list[int] = []
    clock = time.perf_counter_ns
    cpu = time.process_time()
    start = clock()
    for path in paths:
        t0 = clock()
        op(path)
        samples.append(clock() - t0)
    return samples, (clock() - start) / 1e9, time.process_time() - cpu


def metadata_sync(client: Any, spec: dict[str, Any]) -> list[Result]:
    """exists, get_status and list_status, one call at a time (any 0.1.x-style client)."""
    files = [f"{spec['dir']}/f{i:05d}" for i in range(spec["files"])]
    ops = spec["ops"]
    targets = [files[i % len(files)] for i in range(ops)]
    client.exists(files[0])  # connect before timing
    out: list[Result] = []
    out += latency_results("exists", *timed_ops(client.exists, targets))
    out += latency_results("get_status", *timed_ops(client.get_status, targets))
    lists = [spec["dir"]] * spec["list_ops"]
    measured = timed_ops(client.list_status, lists)
    if len(client.list_status(spec["dir"])) != spec["files"]:
        raise SystemExit("list_status returned the wrong number of entries")
    out += latency_results("list_status", *measured)
    return out


def concurrent_sync(client: Any, spec: dict[str, Any]) -> list[Result]:
    """get_status and 64 KiB gets with ``inflight`` calls at once, from threads."""
    files = [f"{spec['dir']}/f{i:05d}" for i in range(spec["files"])]
    targets = [files[i % len(files)] for i in range(spec["ops"])]
    small = [f"{spec['small_dir']}/s{i:05d}" for i in range(spec["small_count"])]
    client.exists(files[0])
    out: list[Result] = []
    with ThreadPoolExecutor(spec["inflight"]) as pool:
        start = time.perf_counter()
        list(pool.map(client.get_status, targets))
        seconds = time.perf_counter() - start
        out.append(
            {
                "workload": f"{spec['inflight']} in flight: get_status",
                "value": len(targets) / seconds,
                "unit": "ops/s",
            }
        )

        def get(path: str) -> int:
            with client.open(path, "r") as reader:
                return len(reader.read())

        start = time.perf_counter()
        sizes = list(pool.map(get, small))
        seconds = time.perf_counter() - start
    if any(size != spec["small_size"] for size in sizes):
        raise SystemExit("a small file read back with the wrong size")
    out.append(
        {
            "workload": f"{spec['inflight']} in flight: get 64 KiB",
            "value": len(small) / seconds,
            "unit": "files/s",
        }
    )
    return out


def small_files_sync(client: Any, spec: dict[str, Any]) -> list[Result]:
    """Put then get ``count`` files of ``size`` bytes, one at a time."""
    data = os.urandom(spec["size"])
    paths = [f"{spec['dir']}/p{i:05d}" for i in range(spec["count"])]
    client.exists(spec["dir"])
    start = time.perf_counter()
    for path in paths:
        with client.open(path, "w") as writer:
            writer.write(data)
    put_seconds = time.perf_counter() - start
    start = time.perf_counter()
    for path in paths:
        with client.open(path, "r") as reader:
            if len(reader.read()) != len(data):
                raise SystemExit(f"{path}: read back the wrong size")
    get_seconds = time.perf_counter() - start
    return [
        {"workload": "small files put", "value": len(paths) / put_seconds, "unit": "files/s"},
        {"workload": "small files get", "value": len(paths) / get_seconds, "unit": "files/s"},
    ]


def write_big_sync(client: Any, spec: dict[str, Any]) -> list[Result]:
    """Stream a local file into a new Alluxio file."""
    size = os.path.getsize(spec["src"])
    client.exists("/")
    cpu = time.process_time()
    start = time.perf_counter()
    with open(spec["src"], "rb") as src, client.open(spec["path"], "w") as writer:
        writer.write(src)
    seconds = time.perf_counter() - start
    return _transfer("write", size, seconds, time.process_time() - cpu)


def read_big_sync(client: Any, spec: dict[str, Any]) -> list[Result]:
    """Read a whole Alluxio file in ``chunk``-byte reads, discarding the data."""
    chunk = spec["chunk"]
    client.exists("/")
    total = 0
    cpu = time.process_time()
    start = time.perf_counter()
    with client.open(spec["path"], "r") as reader:
        while data := reader.read(chunk):
            total += len(data)
    seconds = time.perf_counter() - start
    if total != spec["size"]:
        raise SystemExit(f"read {total} bytes, expected {spec['size']}")
    return _transfer("read", total, seconds, time.process_time() - cpu)


def _transfer(kind: str, size: int, seconds: float, cpu: float) -> list[Result]:
    return [
        {"workload": f"{kind} 1 file", "value": size / MIB / seconds, "unit": "MiB/s"},
        {
            "workload": f"{kind} 1 file: client CPU",
            "value": cpu / (size / (1 << 30)),
            "unit": "s/GiB",
        },
    ]


def rss_mib(field: str = "VmRSS") -> float:
    """This process's resident set now (``VmRSS``) or at its peak (``VmHWM``), in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    raise SystemExit(f"no {field} in /proc/self/status")


def _listing_results(
    label: str, count: int, start: float, headers: float, first: float | None, end: float
) -> list[Result]:
    if count != LISTING_EXPECTED[0]:
        raise SystemExit(f"listed {count} entries, expected {LISTING_EXPECTED[0]}")
    out = [{"workload": f"{label}: total", "value": end - start, "unit": "s"}]
    if first is not None:
        out.append({"workload": f"{label}: first entry", "value": first - start, "unit": "s"})
        out.append(
            {
                "workload": f"{label}: first entry after the answer's head",
                "value": first - headers,
                "unit": "s",
            }
        )
    return out


LISTING_EXPECTED = [0]


def listing_sync(client: Any, spec: dict[str, Any]) -> list[Result]:
    """List one big directory: ``iter_status`` (entries as they arrive) or ``list_status``."""
    LISTING_EXPECTED[0] = spec["entries"]
    client.exists(spec["dir"])  # connected before timing
    base = rss_mib()
    label = f"{spec['method']} {spec['entries']:,}"
    start = time.perf_counter()
    if spec["method"] == "iter_status":
        count, first = 0, None
        with client.iter_status(spec["dir"]) as entries:
            headers = time.perf_counter()
            for _ in entries:
                if first is None:
                    first = time.perf_counter()
                count += 1
    else:
        count, first = len(client.list_status(spec["dir"])), None
        headers = start
    end = time.perf_counter()
    out = _listing_results(label, count, start, headers, first, end)
    out.append(
        {
            "workload": f"{label}: peak RSS over import",
            "value": rss_mib("VmHWM") - base,
            "unit": "MiB",
        }
    )
    return out


SYNC_WORKLOADS: dict[str, Callable[[Any, dict[str, Any]], list[Result]]] = {
    "listing": listing_sync,
    "metadata": metadata_sync,
    "concurrent": concurrent_sync,
    "small_files": small_files_sync,
    "write_big": write_big_sync,
    "read_big": read_big_sync,
}


# -- AsyncClient ----------------------------------------------------------------------------


async def _bounded(inflight: int, items: list[str], op: Callable[[str], Any]) -> list[Any]:
    """Run ``op`` over ``items`` with at most ``inflight`` calls outstanding."""
    results: list[Any] = [None] * len(items)
    next_index = iter(range(len(items)))

    async def worker() -> None:
        for i in next_index:
            results[i] = await op(items[i])

    await asyncio.gather(*(worker() for _ in range(inflight)))
    return results


async def concurrent_async(client: alluxio.AsyncClient, spec: dict[str, Any]) -> list[Result]:
    """get_status and 64 KiB gets with ``inflight`` coroutines at once."""
    files = [f"{spec['dir']}/f{i:05d}" for i in range(spec["files"])]
    targets = [files[i % len(files)] for i in range(spec["ops"])]
    small = [f"{spec['small_dir']}/s{i:05d}" for i in range(spec["small_count"])]
    await client.exists(files[0])
    out: list[Result] = []
    start = time.perf_counter()
    await _bounded(spec["inflight"], targets, client.get_status)
    seconds = time.perf_counter() - start
    out.append(
        {
            "workload": f"{spec['inflight']} in flight: get_status",
            "value": len(targets) / seconds,
            "unit": "ops/s",
        }
    )
    start = time.perf_counter()
    contents = await _bounded(spec["inflight"], small, client.read_bytes)
    seconds = time.perf_counter() - start
    if any(len(data) != spec["small_size"] for data in contents):
        raise SystemExit("a small file read back with the wrong size")
    out.append(
        {
            "workload": f"{spec['inflight']} in flight: get 64 KiB",
            "value": len(small) / seconds,
            "unit": "files/s",
        }
    )
    return out


async def metadata_async(client: alluxio.AsyncClient, spec: dict[str, Any]) -> list[Result]:
    """The metadata workload, one awaited call at a time."""
    files = [f"{spec['dir']}/f{i:05d}" for i in range(spec["files"])]
    targets = [files[i % len(files)] for i in range(spec["ops"])]
    await client.exists(files[0])
    out: list[Result] = []
    clock = time.perf_counter_ns
    for name, op, paths in (
        ("exists", client.exists, targets),
        ("get_status", client.get_status, targets),
        ("list_status", client.list_status, [spec["dir"]] * spec["list_ops"]),
    ):
        samples: list[int] = []
        cpu = time.process_time()
        start = clock()
        for path in paths:
            t0 = clock()
            await op(path)
            samples.append(clock() - t0)
        seconds = (clock() - start) / 1e9
        out += latency_results(name, samples, seconds, time.process_time() - cpu)
    return out


async def read_big_async(client: alluxio.AsyncClient, spec: dict[str, Any]) -> list[Result]:
    """Read a whole Alluxio file in ``chunk``-byte reads."""
    await client.exists("/")
    total = 0
    cpu = time.process_time()
    start = time.perf_counter()
    async with client.open(spec["path"], "r") as reader:
        while data := await reader.read(spec["chunk"]):
            total += len(data)
    seconds = time.perf_counter() - start
    if total != spec["size"]:
        raise SystemExit(f"read {total} bytes, expected {spec['size']}")
    return _transfer("read", total, seconds, time.process_time() - cpu)


async def write_big_async(client: alluxio.AsyncClient, spec: dict[str, Any]) -> list[Result]:
    """Stream a local file into a new Alluxio file."""
    size = os.path.getsize(spec["src"])
    await client.exists("/")
    cpu = time.process_time()
    start = time.perf_counter()
    with open(spec["src"], "rb") as src:
        async with client.open(spec["path"], "w") as writer:
            await writer.write(src)
    seconds = time.perf_counter() - start
    return _transfer("write", size, seconds, time.process_time() - cpu)


async def listing_async(client: alluxio.AsyncClient, spec: dict[str, Any]) -> list[Result]:
    """``async for`` over ``iter_status`` of one big directory."""
    LISTING_EXPECTED[0] = spec["entries"]
    await client.exists(spec["dir"])
    base = rss_mib()
    label = f"{spec['method']} {spec['entries']:,}"
    start = time.perf_counter()
    count, first = 0, None
    async with client.iter_status(spec["dir"]) as entries:
        headers = time.perf_counter()
        async for _ in entries:
            if first is None:
                first = time.perf_counter()
            count += 1
    out = _listing_results(label, count, start, headers, first, time.perf_counter())
    out.append(
        {
            "workload": f"{label}: peak RSS over import",
            "value": rss_mib("VmHWM") - base,
            "unit": "MiB",
        }
    )
    return out


ASYNC_WORKLOADS: dict[str, Callable[[alluxio.AsyncClient, dict[str, Any]], Any]] = {
    "listing": listing_async,
    "metadata": metadata_async,
    "concurrent": concurrent_async,
    "write_big": write_big_async,
    "read_big": read_big_async,
}


async def _run_async(spec: dict[str, Any]) -> list[Result]:
    async with _async_client(spec["proxy"]) as client:
        results: list[Result] = await ASYNC_WORKLOADS[spec["workload"]](client, spec)
        return results


def peak_rss_mib() -> float:
    """This process's peak RSS since it started (``VmHWM``).

    ``ru_maxrss`` is no good here: Linux carries the pre-``exec`` high-water mark into it, so
    a child of a big parent reports at least the parent's RSS.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


ABLATIONS: dict[str, str] = {
    "none": "nothing switched off: the transports as shipped",
    "notsent-lowat": "no TCP_NOTSENT_LOWAT limit on a connection's unsent data",
    "cookie-shortcut": "httpx's cookie jar wraps every response (no set-cookie check first)",
    "read-into-result": "bodies read through a 64 KiB buffer in 16 KiB pieces, then joined",
    "async-threads": "AsyncClient: large reads and writes in socket-buffer pieces on the event "
    "loop (no low-water mark, no worker threads)",
    "rcvlowat": "AsyncClient: large reads woken for every segment the kernel delivers (no "
    "SO_RCVLOWAT), received in as many pieces and joined",
    "thread-upload": "AsyncClient: a file upload read one piece ahead in the loop's executor "
    "and sent piece by piece, instead of read and sent by one worker thread",
    "transport": "httpx's default transports (httpcore + h11) instead of this project's",
}
"""``scripts/bench --ablation``'s variants: each switches one optimization off."""


def ablate(name: str) -> None:
    """Switch one optimization off in this process (see :data:`ABLATIONS`), by replacing the
    constant or function it lives in: the shipped code has no switches."""
    import httpx

    from alluxio import _core, _transport, aio, client

    def read_in_pieces(read: Callable[[int], bytes], n: int) -> bytes:
        parts: list[bytes] = []
        got = 0
        while got < n and (piece := read(min(16 * 1024, n - got))):
            parts.append(piece)
            got += len(piece)
        return b"".join(parts)

    if name == "notsent-lowat":
        vars(_transport)["_limit_unsent"] = lambda sock, options: None
    elif name == "cookie-shortcut":
        setattr(_core.CookieStore, "extract_cookies", httpx.Cookies.extract_cookies)  # noqa: B010
    elif name == "read-into-result":

        def read_exact(self: Any, n: int) -> bytes:
            data = read_in_pieces(self._rfile.read, n)
            if len(data) < n:
                raise self._fail(f"peer closed connection ({len(data)} of {n} bytes)")
            return data

        async def read_exact_async(self: Any, n: int, timeout: float | None) -> bytes:
            parts: list[bytes] = []
            got = 0
            while got < n and (piece := await self.receive(min(16 * 1024, n - got), timeout)):
                parts.append(piece)
                got += len(piece)
            return b"".join(parts)

        setattr(_transport.ResponseBody, "_read_exact", read_exact)  # noqa: B010
        setattr(_transport._AsyncioChannel, "read_exact", read_exact_async)  # noqa: B010
    elif name == "async-threads":
        vars(_transport)["_BULK_IO_MIN"] = 1 << 62
    elif name == "rcvlowat":
        vars(_transport)["_SO_RCVLOWAT"] = -1  # setting it fails: reads woken per segment
    elif name == "thread-upload":
        # The transport takes a body for its worker thread by this class: hide it.
        vars(_transport)["BlockingBody"] = type("NotABlockingBody", (), {})
    elif name == "transport":
        vars(client)["Transport"] = lambda *, options, limits: httpx.HTTPTransport(limits=limits)
        vars(aio)["AsyncTransport"] = lambda *, options, limits: httpx.AsyncHTTPTransport(
            limits=limits
        )
    elif name != "none":
        raise SystemExit(f"unknown ablation {name!r}; one of {', '.join(ABLATIONS)}")


def main(argv: list[str]) -> None:
    """Entry point: ``workloads.py client|async SPEC_JSON``."""
    kind, spec = argv[0], json.loads(argv[1])
    if "ablate" in spec:
        ablate(spec["ablate"])
    if kind == "async":
        results = asyncio.run(_run_async(spec))
    elif kind == "reference":  # 0.1.4: no context manager, no close_connections
        results = SYNC_WORKLOADS[spec["workload"]](_client(spec["proxy"]), spec)
    else:
        with _client(spec["proxy"]) as client:
            results = SYNC_WORKLOADS[spec["workload"]](client, spec)
    results.append({"workload": PEAK_RSS, "value": peak_rss_mib(), "unit": "MiB"})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
