"""Hundreds of tasks sharing one AsyncClient."""

from __future__ import annotations

import hashlib
import time

import anyio
import pytest

import alluxio
from alluxio import option

pytestmark = pytest.mark.anyio

TASKS = 300
# A real Alluxio worker reserves a block of space per open write (64 MiB by default): with
# hundreds of writes at once that exceeds a test worker, so small blocks.
CREATE = option.CreateFile(recursive=True, block_size_bytes=1 << 20)


def _content(i: int) -> bytes:
    # Distinct per task and a few chunks long, so a mix-up between streams would show.
    return hashlib.sha256(str(i).encode()).digest() * (512 + i)


async def _completed(client: alluxio.AsyncClient, path: str) -> alluxio.wire.FileInfo:
    """The status of ``path`` once complete. The real proxy (2.9.6) may answer a write
    stream's close before the file is complete when many streams close at once: seen with
    128 or more connections busy on a freshly started proxy, the file completing ~2 s later
    with no further request (likely cause: its stream cache closes streams in a Guava removal
    listener, which runs on whichever request thread drains the notification queue)."""
    with anyio.fail_after(60):
        while not (status := await client.get_status(path)).completed:
            await anyio.sleep(0.05)
    return status


@pytest.mark.parametrize(
    ("tasks", "max_connections"),
    [
        pytest.param(TASKS, 256, id="300-tasks-pool-256", marks=pytest.mark.slow),
        # More tasks than connections: they queue for the pool instead of failing.
        pytest.param(60, 8, id="60-tasks-pool-8"),
    ],
)
async def test_concurrent_create_write_read_verify(
    proxy_url: str, workdir: str, tasks: int, max_connections: int
) -> None:
    active = 0
    peak = 0
    failures: list[str] = []

    async def one(client: alluxio.AsyncClient, i: int) -> None:
        nonlocal active, peak
        path = f"{workdir}/d{i % 10}/f{i}.bin"
        data = _content(i)
        active += 1
        peak = max(peak, active)
        try:
            async with client.open(path, "w", CREATE) as writer:
                half = len(data) // 2
                await writer.write(data[:half])
                await writer.write(memoryview(data)[half:])
            status = await client.get_status(path)
            if not status.completed:
                status = await _completed(client, path)
            async with client.open(path, "r") as reader:
                got = b"".join([chunk async for chunk in reader])
            if got != data or status.length != len(data):
                failures.append(path)
        finally:
            active -= 1

    started = time.perf_counter()
    async with alluxio.AsyncClient.from_url(
        proxy_url,
        timeout=300,
        connect_timeout=120,  # hundreds of connects at once queue in the server's backlog
        chunk_size=4096,
        max_connections=max_connections,
    ) as client:
        await client.create_directory(workdir)
        async with anyio.create_task_group() as tg:
            for i in range(tasks):
                tg.start_soon(one, client, i)
        elapsed = time.perf_counter() - started
        names = set()
        for d in range(10):
            names.update(await client.ls(f"{workdir}/d{d}"))
    assert failures == []
    assert names == {f"f{i}.bin" for i in range(tasks)}
    assert peak == tasks  # every task was in flight at once: they really overlapped
    print(f"{tasks} tasks, pool {max_connections}: {elapsed:.2f}s, peak {peak} in flight")


async def test_many_concurrent_readers_of_one_file(proxy_url: str, workdir: str) -> None:
    data = _content(7) * 8
    async with alluxio.AsyncClient.from_url(proxy_url, timeout=300) as client:
        await client.create_directory(workdir)
        await client.write_bytes(f"{workdir}/shared.bin", data)

        results: list[bytes] = []

        async def read() -> None:
            results.append(await client.read_bytes(f"{workdir}/shared.bin"))

        async with anyio.create_task_group() as tg:
            for _ in range(100):
                tg.start_soon(read)
    assert len(results) == 100
    assert all(r == data for r in results)


async def test_concurrent_metadata_and_errors(proxy_url: str, workdir: str) -> None:
    """Errors in some tasks do not disturb the others sharing the client."""
    async with alluxio.AsyncClient.from_url(proxy_url, timeout=300) as client:
        await client.create_directory(workdir)
        outcomes: dict[int, str] = {}

        async def one(i: int) -> None:
            path = f"{workdir}/m{i}"
            try:
                if i % 3 == 0:
                    await client.get_status(f"{path}-missing")
                else:
                    await client.create_directory(path)
                    await client.create_directory(path)  # second time: exists
            except FileNotFoundError:
                outcomes[i] = "missing"
            except FileExistsError:
                outcomes[i] = "exists"

        async with anyio.create_task_group() as tg:
            for i in range(TASKS):
                tg.start_soon(one, i)
        assert outcomes == {i: "missing" if i % 3 == 0 else "exists" for i in range(TASKS)}
        assert len(await client.ls(workdir)) == 200
