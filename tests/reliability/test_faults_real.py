"""Faults between the clients and the real Alluxio 2.9.6 proxy.

The real proxy answers a read with a chunked body (32 KiB chunks), where the embedded
proxy sends a Content-Length: the clients take those bodies apart on a path of their own,
so its faults are tried here against the server that produces them. A cut or a stall
inside the data raises the client's HTTPError / HTTPTimeoutError (never the socket's own
exception), and no read returns a byte that is not the file's.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import anyio
import pytest
from typer.testing import CliRunner

import alluxio
from alluxio import exceptions as exc
from alluxio.cli import app

from .faultproxy import FaultProxy

pytestmark = pytest.mark.real_proxy

BIG = os.urandom(3 << 20) + b"tail"
HOW = ["read()", "read(n)", "iteration"]


@pytest.fixture
def path(real_proxy_url: str) -> Iterator[str]:
    """A 3 MiB file on the real proxy, deleted afterwards."""
    name = f"/faults-{uuid.uuid4().hex[:12]}"
    with alluxio.Client.from_url(real_proxy_url) as client:
        client.write_bytes(name, BIG)
        yield name
        client.delete(name)


@pytest.fixture
def gate(real_proxy_url: str) -> Iterator[FaultProxy]:
    """A fault proxy in front of the real proxy (no faults until a test sets some)."""
    url = urlsplit(real_proxy_url)
    assert url.hostname is not None and url.port is not None
    with FaultProxy(url.hostname, url.port) as proxy:
        yield proxy


def _break_after(gate: FaultProxy, fault: str, nbytes: int) -> None:
    """Make ``gate`` stall (``"stall"``) or cut (``"rst"``, ``"fin"``) each answer after
    ``nbytes`` bytes."""
    if fault == "stall":
        gate.faults.stall_response_after = nbytes
    else:
        gate.faults.cut_response_after = nbytes
        gate.faults.cut_with_reset = fault == "rst"


def _read(client: alluxio.Client, path: str, how: str, got: bytearray) -> None:
    with client.open(path, "r") as reader:
        if how == "read()":
            got += reader.read()
        elif how == "read(n)":
            while data := reader.read(65536):
                got += data
        else:
            for data in reader:
                got += data


async def _read_async(client: alluxio.AsyncClient, path: str, how: str, got: bytearray) -> None:
    async with client.open(path, "r") as reader:
        if how == "read()":
            got += await reader.read()
        elif how == "read(n)":
            while data := await reader.read(65536):
                got += data
        else:
            async for data in reader:
                got += data


def _read_through(gate: FaultProxy, path: str, how: str, asynchronous: bool, **kw: float) -> bytes:
    """What a read of ``path`` through ``gate`` returned before it raised (it must raise)."""
    got = bytearray()
    if asynchronous:

        async def main() -> None:
            async with alluxio.AsyncClient.from_url(gate.url, retries=0, **kw) as client:
                await _read_async(client, path, how, got)

        anyio.run(main)
    else:
        with alluxio.Client.from_url(gate.url, retries=0, **kw) as client:
            _read(client, path, how, got)
    return bytes(got)


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("reset", [True, False], ids=["rst", "fin"])
def test_a_cut_inside_a_chunked_read_raises_the_clients_error(
    gate: FaultProxy, path: str, reset: bool, how: str, asynchronous: bool
) -> None:
    # 200,000 bytes of the response: the open-file answer, then the read's head and the
    # first few chunks of its data.
    gate.faults.cut_response_after = 200_000
    gate.faults.cut_with_reset = reset
    got = b""
    with pytest.raises(exc.HTTPError) as raised:
        got = _read_through(gate, path, how, asynchronous)
    assert not isinstance(raised.value, exc.HTTPTimeoutError)
    assert "/read" in str(raised.value)
    assert BIG.startswith(got) and len(got) < 200_000


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("how", HOW)
def test_a_stall_inside_a_chunked_read_times_out(
    gate: FaultProxy, path: str, how: str, asynchronous: bool
) -> None:
    gate.faults.stall_response_after = 150_000
    got = b""
    with pytest.raises(exc.HTTPTimeoutError, match="timed out"):
        got = _read_through(gate, path, how, asynchronous, timeout=0.5)
    assert BIG.startswith(got) and len(got) < 150_000


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("reset", [True, False], ids=["rst", "fin"])
def test_a_cut_inside_an_upload_leaves_no_file_on_the_real_proxy(
    gate: FaultProxy, real_proxy_url: str, reset: bool, asynchronous: bool
) -> None:
    # The create-file request fits in the first 300,000 bytes, the data does not. The
    # cut upload raises, and the file it began is gone: never visible truncated.
    name = f"/cut-upload-{uuid.uuid4().hex[:12]}"
    gate.faults.cut_request_after = 300_000
    gate.faults.cut_with_reset = reset
    with pytest.raises(exc.HTTPError):
        if asynchronous:

            async def main() -> None:
                async with alluxio.AsyncClient.from_url(gate.url, retries=0) as client:
                    await client.write_bytes(name, BIG)

            anyio.run(main)
        else:
            with alluxio.Client.from_url(gate.url, retries=0) as client:
                client.write_bytes(name, BIG)
    with alluxio.Client.from_url(real_proxy_url) as direct:
        assert direct.exists(name) is False


@pytest.fixture(scope="module")
def listed(real_proxy_url: str) -> Iterator[str]:
    """A directory of 300 empty files on the real proxy (about 500 KB of listing)."""
    name = f"/faults-listing-{uuid.uuid4().hex[:12]}"
    with alluxio.Client.from_url(real_proxy_url) as client:
        client.create_directory(name)
        for i in range(300):
            client.write_bytes(f"{name}/f{i:03}", b"")
        yield name
        client.delete(name, alluxio.option.Delete(recursive=True))


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("call", ["list_status", "iter_status"])
@pytest.mark.parametrize("fault", ["rst", "fin", "stall"])
def test_a_cut_or_stalled_listing_raises_and_yields_only_whole_entries(
    gate: FaultProxy, listed: str, fault: str, call: str, asynchronous: bool
) -> None:
    _break_after(gate, fault, 100_000)
    names: list[str] = []
    expected = exc.HTTPTimeoutError if fault == "stall" else exc.HTTPError
    timeout = 0.5 if fault == "stall" else 30.0  # a slow JVM must not turn a cut into a timeout
    with pytest.raises(expected):
        if asynchronous:

            async def main() -> None:
                async with alluxio.AsyncClient.from_url(gate.url, retries=0, timeout=timeout) as c:
                    if call == "list_status":
                        names.extend(i.name for i in await c.list_status(listed))
                    else:
                        async for info in c.iter_status(listed):
                            names.append(info.name)

            anyio.run(main)
        else:
            with alluxio.Client.from_url(gate.url, retries=0, timeout=timeout) as client:
                if call == "list_status":
                    names.extend(i.name for i in client.list_status(listed))
                else:
                    names.extend(info.name for info in client.iter_status(listed))
    # Every entry yielded before the fault is a whole one of the directory's; iter_status
    # yields those that arrived in the first 100,000 bytes before it raises.
    assert len(names) < 300
    assert bool(names) is (call == "iter_status")
    assert set(names) <= {f"f{i:03}" for i in range(300)}


@pytest.mark.parametrize("fault", ["rst", "fin", "stall"])
def test_the_cli_reports_a_broken_read_and_leaves_no_local_file(
    gate: FaultProxy, path: str, fault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_after(gate, fault, 150_000)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    expected = {
        "stall": "TIMEOUT: POST ",
        "rst": "CONNECTION_ERROR: POST ",
        "fin": "peer closed connection without sending complete message body",
    }[fault]
    for command in (["cat", path], ["get", path, "out"]):
        timeout = "1" if fault == "stall" else "30"
        result = runner.invoke(
            app, ["--timeout", timeout, *command], env={"ALLUXIO_PROXY": gate.url}
        )
        assert result.exit_code == 1, result.output
        assert expected in result.stderr
        assert "Traceback" not in result.output + result.stderr
        assert list(tmp_path.iterdir()) == []  # no partial download left behind
