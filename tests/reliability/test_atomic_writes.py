"""Whole-object writes are atomic; a failed ``with client.open(p, "w")`` never shows a
complete-looking file; ``alluxio-py clean`` removes what killed writers leave.

The killed-writer tests run a real writer process against an embedded proxy whose streams
expire after a second: expiry closes a stream, and closing completes its file (as on a real
proxy), so a writer that went straight to its target would leave a truncated file there
marked complete. Each interface must leave the target absent and at most one hidden
temporary file, which ``clean`` then removes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx
from typer.testing import CliRunner

import alluxio
from alluxio._core import is_temp_name, temp_name
from alluxio.cli import app
from alluxio.exceptions import AlreadyExistsError, UnknownError
from alluxio.server import EmbeddedProxy
from alluxio.server.pytest_plugin import ProxyFactory

MIB = 1 << 20


@pytest.fixture
def expiring(alluxio_proxy_factory: ProxyFactory) -> EmbeddedProxy:
    """An embedded proxy that expires idle streams after one second."""
    return alluxio_proxy_factory(stream_timeout=1.0)


# What the writer process runs: ``write(url, path)`` sends 2 MiB, says "ready" and hangs.
WRITERS = {
    "write_bytes": """
        def write(url, path):
            def data():
                yield b"x" * (2 << 20)
                print("ready", flush=True)
                time.sleep(600)
            with alluxio.Client.from_url(url) as client:
                client.write_bytes(path, data())
    """,
    "fsspec open wb": """
        def write(url, path):
            import fsspec
            host, port = url.removeprefix("http://").split(":")
            fs = fsspec.filesystem("alluxio-proxy", host=host, port=int(port))
            with fs.open(path, "wb", block_size=1 << 20) as f:
                f.write(b"x" * (2 << 20) + b"y")  # two full blocks go out now
                print("ready", flush=True)
                time.sleep(600)
    """,
    "AsyncClient write_bytes": """
        def write(url, path):
            import asyncio
            async def data():
                yield b"x" * (2 << 20)
                print("ready", flush=True)
                await asyncio.sleep(600)
            async def main():
                async with alluxio.AsyncClient.from_url(url) as client:
                    await client.write_bytes(path, data())
            asyncio.run(main())
    """,
}
WRITERS["write_bytes(atomic=False)"] = WRITERS["write_bytes"].replace(
    "write_bytes(path, data())", "write_bytes(path, data(), atomic=False)"
)


def _kill_writer(writer: str, url: str, path: str) -> None:
    code = "import sys, time, alluxio\n" + textwrap.dedent(WRITERS[writer])
    code += "\nwrite(sys.argv[1], sys.argv[2])\n"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, url, path], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line == b"ready\n", proc.communicate(timeout=30)
        time.sleep(0.3)  # the data reaches the proxy
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)


def _wait_for_expiry(client: alluxio.Client, parent: str) -> list[alluxio.wire.FileInfo]:
    deadline = time.monotonic() + 30
    while True:
        infos = client.list_status(parent)
        if infos and all(info.completed for info in infos):
            return infos
        assert time.monotonic() < deadline, f"streams never expired: {infos}"
        time.sleep(0.2)


@pytest.mark.parametrize("writer", [w for w in WRITERS if "atomic=False" not in w])
def test_a_killed_writer_leaves_nothing_at_the_final_name(
    expiring: EmbeddedProxy, writer: str
) -> None:
    parent = f"/killed-{uuid.uuid4().hex[:10]}"
    with alluxio.Client.from_url(expiring.url) as client:
        client.create_directory(parent)
        _kill_writer(writer, expiring.url, f"{parent}/data.csv")
        (left,) = _wait_for_expiry(client, parent)
        # Completed by the proxy, but only under its hidden temporary name.
        assert is_temp_name(left.name) and left.name.startswith(".data.csv.")
        assert not client.exists(f"{parent}/data.csv")

        # alluxio-py clean: a young file stays with a long --older-than, goes with 0s.
        env = {"ALLUXIO_PROXY": expiring.url}
        kept = CliRunner().invoke(app, ["clean", parent, "--older-than", "1h"], env=env)
        assert (kept.exit_code, kept.stdout) == (0, "")
        cleaned = CliRunner().invoke(app, ["clean", parent, "--older-than", "0s"], env=env)
        assert (cleaned.exit_code, cleaned.stdout) == (0, f"{left.path}\n")
        assert client.ls(parent) == []


def test_atomic_false_is_direct_and_a_killed_writer_leaves_a_truncated_file(
    expiring: EmbeddedProxy,
) -> None:
    # The documented cost of atomic=False: what a killed writer sent becomes the file.
    parent = f"/direct-{uuid.uuid4().hex[:10]}"
    with alluxio.Client.from_url(expiring.url) as client:
        client.create_directory(parent)
        _kill_writer("write_bytes(atomic=False)", expiring.url, f"{parent}/data.csv")
        (left,) = _wait_for_expiry(client, parent)
        assert (left.name, left.length) == ("data.csv", 2 * MIB)


def test_clean_keeps_other_files_and_takes_durations(
    alluxio_proxy: EmbeddedProxy, tmp_path: Path
) -> None:
    with alluxio.Client.from_url(alluxio_proxy.url) as client:
        client.create_directory("/d/sub", alluxio.option.CreateDirectory(recursive=True))
        temps = [temp_name("/d/a.bin"), temp_name("/d/sub/b.bin")]
        for path in [*temps, "/d/a.bin", "/d/.hidden", "/d/.x.alluxio-py-tmp-nothex!"]:
            client.write_bytes(path, b"x", atomic=False)
        env = {"ALLUXIO_PROXY": alluxio_proxy.url}
        result = CliRunner().invoke(app, ["clean", "/d", "--older-than", "0"], env=env)
        assert result.exit_code == 0, result.stderr
        assert sorted(result.stdout.split()) == sorted(temps)
        assert sorted(client.ls("/d")) == [".hidden", ".x.alluxio-py-tmp-nothex!", "a.bin", "sub"]
        assert client.ls("/d/sub") == []
        bad = CliRunner().invoke(app, ["clean", "/d", "--older-than", "soon"], env=env)
        assert bad.exit_code == 2
        assert "'soon' is not a duration" in bad.stderr, bad.stderr


def test_temp_names_stay_within_255_bytes_and_are_recognized() -> None:
    long = "/d/" + "é" * 127 + "a"  # a 255-byte name
    temp = temp_name(long)
    name = temp.rsplit("/", 1)[1]
    assert temp.startswith("/d/.é") and len(name.encode()) <= 255
    assert is_temp_name(name)
    assert temp_name("/d/x") != temp_name("/d/x")
    assert temp_name("/d/x/").startswith("/d/.x.alluxio-py-tmp-")  # the same file as /d/x
    assert not is_temp_name("x.alluxio-py-tmp-0123abcd")  # not hidden
    assert not is_temp_name(".x.alluxio-py-tmp-0123abc")  # 7 digits


# -- write_bytes --------------------------------------------------------------------------------


@pytest.fixture
def client(proxy_url: str) -> Iterator[alluxio.Client]:
    with alluxio.Client.from_url(proxy_url, timeout=120) as client:
        yield client


def test_write_bytes_publishes_only_complete_files(client: alluxio.Client) -> None:
    parent = f"/atomic-{uuid.uuid4().hex[:10]}"
    client.create_directory(parent)
    path = f"{parent}/f.bin"
    data = os.urandom(8 * MIB)
    seen: list[int] = []
    done = threading.Event()

    def reader() -> None:
        with alluxio.Client.from_url(client.base_url) as other:
            while not done.is_set():
                if other.exists(path):
                    seen.append(other.get_status(path).length)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        assert client.write_bytes(path, iter([data[: 4 * MIB], data[4 * MIB :]])) == len(data)
    finally:
        done.set()
        thread.join()
    assert set(seen) <= {len(data)}
    assert client.read_bytes(path) == data
    assert client.ls(parent) == ["f.bin"]


def test_write_bytes_to_an_existing_file_fails_before_sending(client: alluxio.Client) -> None:
    path = f"/atomic-{uuid.uuid4().hex[:10]}"
    client.write_bytes(path, b"old")
    pulled: list[int] = []

    def data() -> Iterator[bytes]:
        pulled.append(1)
        yield b"new"

    with pytest.raises(AlreadyExistsError, match="already exists"):
        client.write_bytes(path, data())
    assert pulled == []
    assert client.read_bytes(path) == b"old"
    assert client.ls("/") and not [n for n in client.ls("/") if is_temp_name(n)]


# -- a failing ``with client.open(p, "w")`` block ----------------------------------------------


class Boom(Exception):
    pass


def test_a_failing_write_block_never_shows_a_complete_file(client: alluxio.Client) -> None:
    """The issue's reproduction: a reader saw the complete-looking file in 17 of 20 trials
    when the client completed the file (close) before deleting it."""
    path = f"/failing-{uuid.uuid4().hex[:10]}"
    complete: list[int] = []
    done = threading.Event()

    def reader() -> None:
        with alluxio.Client.from_url(client.base_url) as other:
            while not done.is_set():
                try:
                    info = other.get_status(path)
                except FileNotFoundError:
                    continue
                except UnknownError as exc:
                    # Real 2.9.6, once in about seven runs: a get-status racing the delete of
                    # the incomplete file fails in its metadata sync ("load metadata cannot be
                    # called on a file if no ufs status is present in the context"). That is
                    # the server's answer to the race, not a file this test looks for.
                    if "load metadata cannot be called" not in exc.message:
                        raise
                    continue
                if info.completed:
                    complete.append(info.length)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for _ in range(10):
            with pytest.raises(Boom), client.open(path, "w") as writer:
                writer.write(b"x" * (4 * MIB))
                raise Boom
    finally:
        done.set()
        thread.join()
    assert complete == []
    assert not client.exists(path)


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url="http://p.test:39999", assert_all_called=False) as router:
        yield router


def _wire(mock: respx.MockRouter) -> None:
    mock.post("/api/v1/paths//f/create-file").mock(return_value=httpx.Response(200, json=3))
    mock.post("/api/v1/streams/3/write").mock(return_value=httpx.Response(200, json=2))
    mock.post("/api/v1/paths//f/delete").mock(return_value=httpx.Response(200))
    mock.post("/api/v1/streams/3/close").mock(return_value=httpx.Response(200))


def test_a_failing_block_deletes_the_file_before_closing_its_stream(
    mock: respx.MockRouter,
) -> None:
    _wire(mock)
    with (
        alluxio.Client.from_url("http://p.test:39999") as client,
        pytest.raises(Boom),
        client.open("/f", "w") as writer,
    ):
        writer.write(b"ab")
        raise Boom
    steps = [call.request.url.path.rsplit("/", 1)[1] for call in mock.calls]
    assert steps == ["create-file", "write", "delete", "close"]


@pytest.mark.anyio
async def test_async_failing_block_deletes_the_file_before_closing_its_stream(
    mock: respx.MockRouter,
) -> None:
    _wire(mock)
    async with alluxio.AsyncClient.from_url("http://p.test:39999") as client:
        with pytest.raises(Boom):
            async with client.open("/f", "w") as writer:
                await writer.write(b"ab")
                raise Boom
    steps = [call.request.url.path.rsplit("/", 1)[1] for call in mock.calls]
    assert steps == ["create-file", "write", "delete", "close"]
