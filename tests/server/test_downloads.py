"""Large downloads from the embedded proxy: read on the event loop from a memory file system,
by worker threads otherwise; the same bytes either way, and never fewer bytes than
announced."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import alluxio
from alluxio.server import EmbeddedProxy, _app

SHM = Path("/dev/shm")
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="/proc/self/mountinfo")


def _memory_root() -> Path | None:
    if sys.platform != "linux" or not SHM.is_dir() or not os.access(SHM, os.W_OK):
        return None
    return SHM if _app._in_memory_filesystem(SHM.stat().st_dev) else None


@pytest.fixture(params=["disk", "memory"])
def root(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    if request.param == "disk":
        yield tmp_path / "root"
        return
    memory = _memory_root()
    if memory is None:
        pytest.skip("no writable tmpfs at /dev/shm")
    with tempfile.TemporaryDirectory(dir=memory, prefix="alluxio-py-test-") as scratch:
        yield Path(scratch) / "root"


def test_large_file_round_trips_byte_for_byte(root: Path) -> None:
    root.mkdir()
    data = os.urandom(5 * 1024 * 1024 + 12345)  # pieces of 1 MiB and a ragged end
    (root / "big").write_bytes(data)
    with EmbeddedProxy(root) as proxy, alluxio.Client.from_url(proxy.url) as client:
        with client.open("/big", "r") as reader:
            assert reader.read() == data
        # Twice, and in small reads: the descriptor's position moves with each piece.
        with client.open("/big", "r") as reader:
            parts = []
            while part := reader.read(100_000):
                parts.append(part)
        assert b"".join(parts) == data


def test_file_cut_short_while_read_is_an_error_not_a_short_file(root: Path) -> None:
    root.mkdir()
    size = 256 * 1024 * 1024  # far more than the socket buffers hold: the proxy must wait
    with open(root / "big", "wb") as out:
        out.truncate(size)  # sparse: no 256 MiB written
    with EmbeddedProxy(root) as proxy, alluxio.Client.from_url(proxy.url) as client:
        got = 0
        with (
            pytest.raises(alluxio.exceptions.HTTPError, match="complete message body"),
            client.open("/big", "r") as reader,
        ):
            got += len(reader.read(1024 * 1024))
            os.truncate(root / "big", 2 * 1024 * 1024)
            while part := reader.read(1024 * 1024):
                got += len(part)
        assert 1024 * 1024 <= got < size


@linux_only
def test_only_files_in_memory_are_read_and_written_on_the_event_loop(
    request: pytest.FixtureRequest, root: Path
) -> None:
    root.mkdir()
    in_memory = request.node.callspec.params["root"] == "memory"
    if not in_memory and _app._in_memory_filesystem(root.stat().st_dev):
        pytest.skip("the temporary directory is in memory")
    (root / "f").write_bytes(b"abc")
    fd = os.open(root / "f", os.O_RDONLY)
    try:
        os.lseek(fd, 1, os.SEEK_SET)
        assert _app._remaining(fd) == (2, in_memory)
    finally:
        os.close(fd)
    app = _app.ProxyApp(root)  # its uploads go to a directory under the root
    try:
        assert app._uploads_in_memory is in_memory
    finally:
        app.namespace.close()


@linux_only
def test_memory_file_systems_are_told_apart_from_disks(tmp_path: Path) -> None:
    memory = _memory_root()
    if memory is not None:
        assert _app._in_memory_filesystem(memory.stat().st_dev)
    proc = Path("/proc/self")  # procfs: not a memory file system of files
    assert not _app._in_memory_filesystem(proc.stat().st_dev)
    assert not _app._in_memory_filesystem(os.makedev(4095, 4095))  # no such device
