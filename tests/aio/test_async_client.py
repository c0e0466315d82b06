"""AsyncClient over real HTTP: every operation, streaming, error mapping, cleanup."""

from __future__ import annotations

import hashlib
import io
import os
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import anyio
import pytest

import alluxio
from alluxio import exceptions, option, wire

pytestmark = pytest.mark.anyio

MIB = 1 << 20


def _payload(size: int, seed: int = 0) -> bytes:
    block = hashlib.sha256(str(seed).encode()).digest() * 2048
    return (block * (size // len(block) + 1))[:size]


async def _chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        await anyio.sleep(0)
        yield part


async def test_directories_status_listing(aclient: alluxio.AsyncClient, workdir: str) -> None:
    await aclient.create_directory(f"{workdir}/a/b", option.CreateDirectory(recursive=True))
    with pytest.raises(exceptions.AlreadyExistsError):
        await aclient.create_directory(f"{workdir}/a")
    await aclient.create_directory(f"{workdir}/a", option.CreateDirectory(allow_exists=True))
    with pytest.raises(exceptions.NotFoundError):
        await aclient.create_directory(f"{workdir}/missing/child")
    for name in ("z", "m", "c"):
        assert await aclient.write_bytes(f"{workdir}/a/{name}.txt", name.encode() * 3) == 3
    assert await aclient.ls(f"{workdir}/a") == ["b", "c.txt", "m.txt", "z.txt"]
    infos = await aclient.list_status(f"{workdir}/a")
    assert [i.folder for i in infos] == [True, False, False, False]
    status = await aclient.get_status(f"{workdir}/a/m.txt")
    assert isinstance(status, wire.FileInfo)
    assert (status.name, status.path, status.length, status.folder, status.completed) == (
        "m.txt",
        f"{workdir}/a/m.txt",
        3,
        False,
        True,
    )
    assert await aclient.exists(f"{workdir}/a/m.txt")
    assert not await aclient.exists(f"{workdir}/nope")
    recursive = await aclient.list_status(workdir, option.ListStatus(recursive=True))
    assert {i.path for i in recursive} >= {f"{workdir}/a/b", f"{workdir}/a/z.txt"}


async def test_rename_delete(aclient: alluxio.AsyncClient, workdir: str) -> None:
    await aclient.create_directory(f"{workdir}/d/e", option.CreateDirectory(recursive=True))
    await aclient.write_bytes(f"{workdir}/d/e/f.txt", b"x")
    await aclient.rename(f"{workdir}/d/e/f.txt", f"{workdir}/d/g.txt")
    assert await aclient.ls(f"{workdir}/d") == ["e", "g.txt"]
    with pytest.raises(exceptions.NotFoundError):
        await aclient.rename(f"{workdir}/d/e/f.txt", f"{workdir}/d/h.txt")
    await aclient.write_bytes(f"{workdir}/d/e/k.txt", b"y")
    with pytest.raises(exceptions.FailedPreconditionError):
        await aclient.delete(f"{workdir}/d/e")
    await aclient.delete(f"{workdir}/d/g.txt")
    await aclient.delete(f"{workdir}/d", option.Delete(recursive=True))
    assert not await aclient.exists(f"{workdir}/d")
    with pytest.raises(FileNotFoundError):  # the builtin, too
        await aclient.delete(f"{workdir}/d")


async def test_set_attribute_and_free(aclient: alluxio.AsyncClient, workdir: str) -> None:
    path = f"{workdir}/attr.txt"
    await aclient.create_directory(workdir)
    await aclient.write_bytes(
        path, b"data", option.CreateFile(write_type=wire.WRITE_TYPE_CACHE_THROUGH)
    )
    await aclient.set_attribute(
        path,
        option.SetAttribute(
            pinned=True, mode=wire.Mode(wire.BITS_READ_WRITE, wire.BITS_READ, wire.BITS_NONE)
        ),
    )
    status = await aclient.get_status(path)
    assert (status.pinned, status.mode) == (True, 0o640)
    await aclient.set_attribute(path, option.SetAttribute(pinned=False))
    assert (await aclient.get_status(path)).pinned is False
    await aclient.free(path)
    await aclient.free(workdir, option.Free(recursive=True))
    assert await aclient.read_bytes(path) == b"data"


async def test_mount_unmount_and_permission_denied(
    aclient: alluxio.AsyncClient, workdir: str, local_dir: Path
) -> None:
    (local_dir / "existing.txt").write_bytes(b"from the under store")
    os.chmod(local_dir, 0o777)
    await aclient.create_directory(workdir)
    mount_point = f"{workdir}/mnt"
    await aclient.mount(mount_point, str(local_dir))
    assert (await aclient.get_status(mount_point)).mount_point is True
    assert await aclient.read_bytes(f"{mount_point}/existing.txt") == b"from the under store"
    await aclient.unmount(mount_point)
    assert not await aclient.exists(mount_point)

    readonly = f"{workdir}/ro"
    await aclient.mount(readonly, f"file://{local_dir}", option.Mount(read_only=True))
    with pytest.raises(PermissionError):  # PermissionDeniedError is the builtin too
        await aclient.write_bytes(f"{readonly}/refused.txt", b"no")
    assert not (local_dir / "refused.txt").exists()
    await aclient.unmount(readonly)


async def test_low_level_streams(aclient: alluxio.AsyncClient, workdir: str) -> None:
    path = f"{workdir}/low.bin"
    await aclient.create_directory(workdir)
    file_id = await aclient.create_file(path)
    writer = await aclient.write(file_id)
    assert await writer.write(b"abc") == 3
    assert await writer.write(b"def") == 3  # writes append
    writer.close()
    with pytest.raises(ValueError, match="closed"):
        await writer.write(b"more")
    await aclient.close(file_id)
    assert (await aclient.get_status(path)).length == 6

    file_id = await aclient.open_file(path)
    reader = await aclient.read(file_id)
    assert await reader.read(2) == b"ab"
    buffer = bytearray(3)
    assert await reader.readinto(buffer) == 3 and buffer == b"cde"
    assert await reader.read() == b"f"
    assert await reader.read(5) == b""
    await reader.aclose()
    assert reader.closed
    with pytest.raises(ValueError, match="closed"):
        await reader.read()
    await aclient.close(file_id)
    with pytest.raises(exceptions.InternalError):  # the proxy no longer knows the stream
        await aclient.close(file_id)
    with pytest.raises(exceptions.AlluxioError) as info:
        await aclient.read(987654)
    assert info.value.http_status == 500


async def test_write_sources(aclient: alluxio.AsyncClient, workdir: str, tmp_path: Path) -> None:
    data = _payload(3 * MIB + 17)
    local = tmp_path / "local.bin"
    local.write_bytes(data)
    await aclient.create_directory(workdir)
    sources: dict[str, object] = {
        "bytes": data,
        "bytearray": bytearray(data),
        "memoryview": memoryview(data),
        "bytesio": io.BytesIO(data),
        "async-iterable": _chunks(data[:MIB], data[MIB : 2 * MIB], data[2 * MIB :]),
        "sync-iterable": [data[:100], memoryview(data)[100:]],
    }
    for name, source in sources.items():
        async with aclient.open(f"{workdir}/{name}", "w") as writer:
            assert await writer.write(source) == len(data), name  # type: ignore[arg-type]
    with local.open("rb") as sync_file:  # sync read() runs in a worker thread
        assert await aclient.write_bytes(f"{workdir}/file", sync_file) == len(data)
    async with await anyio.open_file(local, "rb") as async_file:  # async read() is awaited
        assert await aclient.write_bytes(f"{workdir}/anyio-file", async_file) == len(data)
    for name in [*sources, "file", "anyio-file"]:
        assert await aclient.read_bytes(f"{workdir}/{name}") == data, name


async def test_reader_iterates_in_chunks(proxy_url: str, workdir: str) -> None:
    data = _payload(MIB + 5)
    async with alluxio.AsyncClient.from_url(proxy_url, chunk_size=256 * 1024) as client:
        await client.create_directory(workdir)
        await client.write_bytes(f"{workdir}/c.bin", data)
        async with client.open(f"{workdir}/c.bin", "r") as reader:
            chunks = [chunk async for chunk in reader]
    assert b"".join(chunks) == data
    assert [len(c) for c in chunks] == [256 * 1024] * 4 + [5]


async def test_bad_write_data_is_refused_before_sending(
    aclient: alluxio.AsyncClient, workdir: str, tmp_path: Path
) -> None:
    await aclient.create_directory(workdir)
    (tmp_path / "t.txt").write_text("text")
    async with aclient.open(f"{workdir}/w", "w") as writer:
        with pytest.raises(TypeError, match="encode"):
            await writer.write("text")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="binary"), (tmp_path / "t.txt").open() as text_file:
            await writer.write(text_file)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            await writer.write(12)  # type: ignore[arg-type]
        assert await writer.write(b"ok") == 2
    assert await aclient.read_bytes(f"{workdir}/w") == b"ok"


async def test_str_inside_an_iterable_fails_the_write_and_discards_the_file(
    aclient: alluxio.AsyncClient, workdir: str
) -> None:
    await aclient.create_directory(workdir)
    with pytest.raises(TypeError, match="bytes-like"):
        async with aclient.open(f"{workdir}/bad", "w") as writer:
            await writer.write(_chunks(b"ok", "not bytes"))  # type: ignore[arg-type]
    assert not await aclient.exists(f"{workdir}/bad")


async def test_argument_errors_are_raised_before_any_request(
    aclient: alluxio.AsyncClient,
) -> None:
    with pytest.raises(ValueError, match="absolute"):
        await aclient.get_status("relative/path")
    with pytest.raises(TypeError, match="path must be a str"):
        await aclient.exists(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"option\.GetStatus"):
        await aclient.get_status("/x", option.ListStatus())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="mode"):
        aclient.open("/x", "a")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="OpenFile"):
        aclient.open("/x", "r", option.CreateFile())  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="file_id"):
        await aclient.close("1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="port"):
        alluxio.AsyncClient("localhost", 70000)
    with pytest.raises(ValueError, match="max_connections"):
        alluxio.AsyncClient("localhost", max_connections=0)


async def test_failed_block_deletes_the_partial_file(
    aclient: alluxio.AsyncClient, workdir: str
) -> None:
    await aclient.create_directory(workdir)
    with pytest.raises(RuntimeError, match="boom"):
        async with aclient.open(f"{workdir}/partial", "w") as writer:
            await writer.write(b"half")
            raise RuntimeError("boom")
    assert not await aclient.exists(f"{workdir}/partial")


async def test_cancelled_write_deletes_the_partial_file(
    aclient: alluxio.AsyncClient, workdir: str
) -> None:
    await aclient.create_directory(workdir)
    written = anyio.Event()

    async def slow_writer() -> None:
        async with aclient.open(f"{workdir}/cancelled", "w") as writer:
            await writer.write(b"first part")
            written.set()
            await anyio.sleep(60)

    async with anyio.create_task_group() as tg:
        tg.start_soon(slow_writer)
        await written.wait()
        assert await aclient.exists(f"{workdir}/cancelled")
        tg.cancel_scope.cancel()
    # The shielded cleanup ran although the task was cancelled.
    assert not await aclient.exists(f"{workdir}/cancelled")


async def test_open_missing_file_and_existing_file(
    aclient: alluxio.AsyncClient, workdir: str
) -> None:
    await aclient.create_directory(workdir)
    with pytest.raises(FileNotFoundError):
        async with aclient.open(f"{workdir}/missing", "r"):
            pass
    await aclient.write_bytes(f"{workdir}/there", b"1")
    with pytest.raises(FileExistsError):
        async with aclient.open(f"{workdir}/there", "w"):
            pass
    assert await aclient.read_bytes(f"{workdir}/there") == b"1"


async def test_proxy_info_and_dialect(proxy_url: str) -> None:
    async with alluxio.AsyncClient.from_url(proxy_url, dialect="auto") as client:
        info = await client.proxy_info()
        assert isinstance(info.get("version"), str)
        assert await client.get_dialect() == "2.x"
        assert client.proxies == [proxy_url]
        assert repr(client) == f"AsyncClient({proxy_url!r}, dialect='auto')"


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    yield port


async def test_connection_refused_is_http_error(closed_port: int) -> None:
    async with alluxio.AsyncClient("127.0.0.1", closed_port, retries=False) as client:
        with pytest.raises(exceptions.HTTPError, match="ConnectError"):
            await client.exists("/x")


async def test_timeout_is_http_timeout_error() -> None:
    # A listener that accepts connections (backlog) but never answers.
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        port = server.getsockname()[1]
        async with alluxio.AsyncClient("127.0.0.1", port, timeout=0.5, retries=False) as client:
            with pytest.raises(exceptions.HTTPTimeoutError) as info:
                await client.get_status("/x")
    assert isinstance(info.value, TimeoutError)


async def test_failover_to_the_next_proxy(proxy_url: str, closed_port: int, workdir: str) -> None:
    url = f"http://127.0.0.1:{closed_port},{proxy_url}"
    async with alluxio.AsyncClient.from_url(url) as client:
        await client.create_directory(workdir)  # not idempotent, but never sent to the dead one
        assert client.current_proxy == proxy_url
        await client.write_bytes(f"{workdir}/f", b"failover")
        assert await client.read_bytes(f"{workdir}/f") == b"failover"


async def test_same_errors_as_the_sync_client(proxy_url: str, workdir: str) -> None:
    """One error mapping: the sync and async clients raise the same class and message."""
    async with alluxio.AsyncClient.from_url(proxy_url) as aclient:
        with alluxio.Client.from_url(proxy_url) as client:
            client.create_directory(workdir)
            client.write_bytes(f"{workdir}/f", b"x")
            cases = [
                ("get_status", (f"{workdir}/missing",)),
                ("create_directory", (workdir,)),
                ("create_file", (f"{workdir}/f",)),
                ("close", (424242,)),
                ("rename", (f"{workdir}/missing", f"{workdir}/g")),
            ]
            for name, args in cases:
                with pytest.raises(exceptions.AlluxioError) as sync_error:
                    getattr(client, name)(*args)
                with pytest.raises(exceptions.AlluxioError) as async_error:
                    await getattr(aclient, name)(*args)
                assert type(async_error.value) is type(sync_error.value), name
                assert str(async_error.value) == str(sync_error.value), name


class _WatchedFile(io.RawIOBase):
    """A binary file whose reads are slow and counted, with how many are running."""

    def __init__(self, data: bytes) -> None:
        self._source = io.BytesIO(data)
        self._lock = threading.Lock()
        self.running = 0
        self.reads = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        with self._lock:
            self.running += 1
            self.reads += 1
        try:
            time.sleep(0.05)
            return self._source.read(size)
        finally:
            with self._lock:
                self.running -= 1


async def test_file_upload_reads_ahead_but_never_behind_the_callers_back(
    proxy_url: str, workdir: str
) -> None:
    """A file is uploaded intact whatever the loop (on asyncio read and sent by one worker
    thread, on trio each piece read while the previous one is sent), and no read of the
    caller's file is still running once ``write`` has returned or raised."""
    data = _payload(5 * MIB + 3)
    async with alluxio.AsyncClient.from_url(proxy_url, timeout=120) as client:
        await client.create_directory(workdir)
        source = _WatchedFile(data)
        async with client.open(f"{workdir}/watched", "w") as writer:
            assert await writer.write(source) == len(data)
            assert source.running == 0
        assert source.reads == 7  # six pieces, then the empty read that ends the file
        assert await client.read_bytes(f"{workdir}/watched") == data

        # A stream that no longer exists: the proxy refuses the upload while the next
        # piece is being read.
        file_id = await client.create_file(f"{workdir}/closed")
        await client.close(file_id)
        refused = _WatchedFile(data)
        with pytest.raises(exceptions.AlluxioError):
            await (await client.write(file_id)).write(refused)
        assert refused.running == 0

    # No proxy at all: the request fails before any piece is sent, with the second piece
    # already being read.
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    async with alluxio.AsyncClient("127.0.0.1", port, retries=0) as nowhere:
        unsent = _WatchedFile(data)
        with pytest.raises(exceptions.HTTPError):
            await (await nowhere.write(7)).write(unsent)
        assert unsent.running == 0


class _ThreadNotingFile(_WatchedFile):
    """A :class:`_WatchedFile` that notes the thread of each read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.threads: list[str] = []

    def read(self, size: int = -1) -> bytes:
        self.threads.append(threading.current_thread().name)
        return super().read(size)


async def test_file_upload_on_asyncio_reads_and_sends_from_one_thread(
    aclient: alluxio.AsyncClient, workdir: str, anyio_backend: str
) -> None:
    """On asyncio a file's pieces after the first are read in the transport's worker thread
    that sends them (one hand-over per upload); on trio in anyio's worker threads. Either
    way the bytes arrive intact and no read outlives ``write``."""
    data = _payload(3 * MIB + 5)
    await aclient.create_directory(workdir)
    source = _ThreadNotingFile(data)
    async with aclient.open(f"{workdir}/threads", "w") as writer:
        assert await writer.write(source) == len(data)
        assert source.running == 0
    assert await aclient.read_bytes(f"{workdir}/threads") == data
    assert len(source.threads) == 5  # four pieces and the empty read that ends the file
    io_threads = [name for name in source.threads if name.startswith("alluxio-io")]
    if anyio_backend == "asyncio":
        assert len(io_threads) == 4, source.threads  # all but the first (read up front)
    else:
        assert io_threads == [], source.threads


async def test_cancelled_file_upload_stops_reading_the_file_and_deletes_it(
    aclient: alluxio.AsyncClient, workdir: str
) -> None:
    """Cancelling a task in the middle of a file upload: the read running at that moment
    finishes before the cancellation completes, no read starts after it, and the partial
    file is deleted."""
    await aclient.create_directory(workdir)
    source = _WatchedFile(_payload(64 * MIB))  # 64 reads of 50 ms: about 3 s
    with anyio.move_on_after(0.5) as scope:
        async with aclient.open(f"{workdir}/cancelled-upload", "w") as writer:
            await writer.write(source)
    assert scope.cancelled_caught
    assert source.running == 0
    reads = source.reads
    assert 1 <= reads < 64
    await anyio.sleep(0.2)
    assert source.reads == reads  # nothing read behind the caller's back
    assert not await aclient.exists(f"{workdir}/cancelled-upload")


class _LambdaAsyncFile:
    """A file whose ``read`` is not a coroutine function but returns a coroutine."""

    def __init__(self, data: bytes) -> None:
        self._source = io.BytesIO(data)
        self.read = lambda size: self._read(size)

    async def _read(self, size: int) -> bytes:
        await anyio.sleep(0)
        return self._source.read(size)


async def test_a_read_returning_an_awaitable_is_awaited(
    aclient: alluxio.AsyncClient, workdir: str
) -> None:
    data = _payload(2 * MIB + 9)
    await aclient.create_directory(workdir)
    async with aclient.open(f"{workdir}/awaitable", "w") as writer:
        assert await writer.write(_LambdaAsyncFile(data)) == len(data)  # type: ignore[arg-type]
    assert await aclient.read_bytes(f"{workdir}/awaitable") == data
