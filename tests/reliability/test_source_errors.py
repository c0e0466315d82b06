"""A failing data source stops an upload at once with its own exception.

A generator or a file object that raises part-way through a streamed write used to be taken
for a socket error by the sync transport, which then waited for the proxy's answer to a body
that never ended: the whole read timeout (30 minutes by default) and then a ReadTimeout, the
original error lost. Here every upload path of both clients gets a source that fails after
1 MiB, with ``timeout=1800``: the call must end within seconds with that very exception, and
no file may be left at the destination.
"""

from __future__ import annotations

import errno
import io
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import alluxio

MIB = b"x" * (1 << 20)
# Far below the 1800 s timeout the bug waited for; generous for a loaded 2-core machine.
BOUND_S = 10.0


class _Failing(io.RawIOBase):
    """A binary file whose reads fail (EIO) after ``good`` bytes."""

    def __init__(self, good: int = len(MIB)) -> None:
        self._left = good

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._left <= 0:
            raise OSError(errno.EIO, "Input/output error (test)")
        n = min(len(buffer), self._left)
        buffer[:n] = b"x" * n
        self._left -= n
        return n


def _failing_gen() -> Iterator[bytes]:
    yield MIB
    yield MIB
    raise OSError(errno.EIO, "Input/output error (test)")


async def _failing_agen() -> AsyncIterator[bytes]:
    yield MIB
    yield MIB
    raise OSError(errno.EIO, "Input/output error (test)")


def _assert_source_error(error: BaseException, elapsed: float) -> None:
    assert type(error) is OSError
    assert error.errno == errno.EIO
    assert "Input/output error (test)" in str(error)
    assert elapsed < BOUND_S, f"took {elapsed:.1f} s: the client waited for the timeout"


@pytest.fixture
def client(proxy_url: str) -> Iterator[alluxio.Client]:
    with alluxio.Client.from_url(proxy_url, timeout=1800) as client:
        yield client


@pytest.fixture
def path() -> str:
    return f"/src-{uuid.uuid4().hex[:12]}/f.bin"


def _no_file(client: alluxio.Client, path: str) -> None:
    parent = path.rsplit("/", 1)[0] or "/"
    names = client.ls(parent) if client.exists(parent) else []
    # Neither the destination nor a temporary next to it survives the failure.
    assert names == [], f"left behind in {parent}: {names}"


@pytest.mark.parametrize("source", ["generator", "file"])
def test_write_bytes_raises_the_source_error_at_once(
    client: alluxio.Client, path: str, source: str
) -> None:
    client.create_directory(path.rsplit("/", 1)[0])
    data = _failing_gen() if source == "generator" else _Failing()
    start = time.monotonic()
    with pytest.raises(OSError) as caught:
        client.write_bytes(path, data)
    _assert_source_error(caught.value, time.monotonic() - start)
    _no_file(client, path)


def test_writer_write_raises_the_source_error_and_the_stream_is_usable_for_cleanup(
    client: alluxio.Client, path: str
) -> None:
    client.create_directory(path.rsplit("/", 1)[0])
    file_id = client.create_file(path)
    writer = client.write(file_id)
    assert writer.write(b"head") == 4
    start = time.monotonic()
    with pytest.raises(OSError) as caught:
        writer.write(_Failing())
    _assert_source_error(caught.value, time.monotonic() - start)
    # The caller cleans up as after any failed write: the stream still closes, the file goes.
    client.close(file_id)
    client.delete(path)
    _no_file(client, path)


def test_upload_raises_the_source_error_at_once(
    client: alluxio.Client, path: str, tmp_path: Path
) -> None:
    # /proc/self/mem is a regular file whose read at offset 0 fails with EIO: a local file
    # that cannot be read, as from a failing disk.
    start = time.monotonic()
    with pytest.raises(OSError) as caught:
        client.upload("/proc/self/mem", path)
    elapsed = time.monotonic() - start
    assert type(caught.value) is OSError and caught.value.errno == errno.EIO
    assert elapsed < BOUND_S
    _no_file(client, path)


@pytest.mark.parametrize("source", ["generator", "async generator", "file"])
@pytest.mark.anyio
async def test_async_write_bytes_raises_the_source_error_at_once(
    embedded_proxy_url: str, path: str, source: str
) -> None:
    sources: dict[str, Callable[[], Any]] = {
        "generator": _failing_gen,
        "async generator": _failing_agen,
        "file": _Failing,
    }
    data = sources[source]()
    async with alluxio.AsyncClient.from_url(embedded_proxy_url, timeout=1800) as client:
        await client.create_directory(path.rsplit("/", 1)[0])
        start = time.monotonic()
        with pytest.raises(OSError) as caught:
            await client.write_bytes(path, data)
        _assert_source_error(caught.value, time.monotonic() - start)
        assert await client.ls(path.rsplit("/", 1)[0]) == []
