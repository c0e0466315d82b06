"""Stream ids of two proxies: after a failover both may issue the same number, and each stream
must still be written, read and closed on the proxy that issued it (sync and async clients)."""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import pytest
import respx

import alluxio
from alluxio._endpoints import Endpoint, Endpoints, StreamId
from alluxio.server.pytest_plugin import ProxyFactory

from .faultproxy import FaultProxy

A = "http://a.test:39999"
B = "http://b.test:39999"


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        yield router


def _both_issue_seven(mock: respx.MockRouter) -> dict[str, respx.Route]:
    # The first create reaches A; then A is down and the second fails over to B, which happens
    # to issue the same id.
    mock.post(f"{A}/api/v1/paths//a/create-file").mock(return_value=httpx.Response(200, json=7))
    mock.post(f"{A}/api/v1/paths//b/create-file").mock(side_effect=httpx.ConnectError("refused"))
    mock.post(f"{B}/api/v1/paths//b/create-file").mock(return_value=httpx.Response(200, json=7))
    routes = {}
    for name, base in (("a", A), ("b", B)):
        for action in ("read", "close"):
            routes[f"{action}_{name}"] = mock.post(f"{base}/api/v1/streams/7/{action}").mock(
                return_value=httpx.Response(200, content=name.encode() if action == "read" else b"")
            )
        routes[f"write_{name}"] = mock.post(f"{base}/api/v1/streams/7/write").mock(
            return_value=httpx.Response(200, json=3)
        )
    return routes


def test_the_same_id_from_two_proxies_stays_with_each(mock: respx.MockRouter) -> None:
    routes = _both_issue_seven(mock)
    with alluxio.Client.from_url(f"{A},{B}", retries=False) as client:
        id_a = client.create_file("/a")
        writer_a = client.write(id_a)
        id_b = client.create_file("/b")
        assert id_a == id_b == 7
        writer_a.write(b"abc")  # made before B issued 7: still A
        client.write(id_b).write(b"abc")
        assert client.read(id_a).read() == b"a"
        assert client.read(id_b).read() == b"b"
        client.close(id_a)
        # Closing A's 7 does not forget B's: a plain 7 still means the newest stream.
        client.close(7)
        assert client._endpoints.open_streams == 0
    for name in ("a", "b"):
        for action in ("write", "read", "close"):
            assert routes[f"{action}_{name}"].call_count == 1, f"{action}_{name}"


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_async_the_same_id_from_two_proxies_stays_with_each(mock: respx.MockRouter) -> None:
    routes = _both_issue_seven(mock)
    async with alluxio.AsyncClient.from_url(f"{A},{B}", retries=False) as client:
        id_a = await client.create_file("/a")
        writer_a = await client.write(id_a)
        id_b = await client.create_file("/b")
        assert id_a == id_b == 7
        await writer_a.write(b"abc")
        await (await client.write(id_b)).write(b"abc")
        assert await (await client.read(id_a)).read() == b"a"
        assert await (await client.read(id_b)).read() == b"b"
        await client.close(id_a)
        await client.close(7)
        assert client._endpoints.open_streams == 0
    for name in ("a", "b"):
        for action in ("write", "read", "close"):
            assert routes[f"{action}_{name}"].call_count == 1, f"{action}_{name}"


def test_stream_ids_are_plain_ints_to_the_caller() -> None:
    a, b = Endpoint("http", "a", 1), Endpoint("http", "b", 1)
    several = Endpoints([a, b])
    file_id = several.pin(5, b)
    assert isinstance(file_id, StreamId) and file_id.endpoint == b
    assert (file_id, repr(file_id), str(file_id), f"{file_id}") == (5, "5", "5", "5")
    assert json.dumps({"id": file_id}) == '{"id": 5}'
    assert {int(file_id): 1}[file_id] == 1
    copied = pickle.loads(pickle.dumps(file_id))
    assert copied == 5 and copied.endpoint == b
    # A single proxy has nothing to tell apart: the id is the proxy's int.
    assert type(Endpoints([a]).pin(5, a)) is int
    # A StreamId of another client's proxy is looked up by number instead.
    assert several.of_stream(StreamId(5, Endpoint("http", "c", 1))) == b


def _scenario_checks(tmp_path: Path) -> None:
    assert (tmp_path / "first" / "a").read_bytes() == b"first proxy!"
    assert (tmp_path / "second" / "b").read_bytes() == b"second proxy"
    assert not (tmp_path / "first" / "b").exists()
    assert not (tmp_path / "second" / "a").exists()


def test_two_embedded_proxies_both_issue_id_1(
    alluxio_proxy_factory: ProxyFactory, tmp_path: Path
) -> None:
    first = alluxio_proxy_factory(tmp_path / "first")
    second = alluxio_proxy_factory(tmp_path / "second")
    with (
        FaultProxy(first.host, first.port) as gate,
        alluxio.Client.from_url(f"{gate.url},{second.url}", retries=False) as client,
    ):
        id_a = client.create_file("/a")
        writer_a = client.write(id_a)
        writer_a.write(b"first ")
        gate.stop()  # the first proxy is unreachable: the next create goes to the second
        id_b = client.create_file("/b")
        assert id_a == id_b == 1
        gate.start()
        writer_b = client.write(id_b)
        writer_a.write(b"proxy")
        client.write(id_a).write(b"!")
        writer_b.write(b"second proxy")
        client.close(id_a)
        client.close(id_b)
    _scenario_checks(tmp_path)


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_async_two_embedded_proxies_both_issue_id_1(
    alluxio_proxy_factory: ProxyFactory, tmp_path: Path
) -> None:
    first = alluxio_proxy_factory(tmp_path / "first")
    second = alluxio_proxy_factory(tmp_path / "second")
    with FaultProxy(first.host, first.port) as gate:
        async with alluxio.AsyncClient.from_url(f"{gate.url},{second.url}", retries=False) as c:
            id_a = await c.create_file("/a")
            writer_a = await c.write(id_a)
            await writer_a.write(b"first ")
            await anyio.to_thread.run_sync(gate.stop)
            id_b = await c.create_file("/b")
            assert id_a == id_b == 1
            await anyio.to_thread.run_sync(gate.start)
            writer_b = await c.write(id_b)
            await writer_a.write(b"proxy")
            await (await c.write(id_a)).write(b"!")
            await writer_b.write(b"second proxy")
            await c.close(id_a)
            await c.close(id_b)
    _scenario_checks(tmp_path)


@pytest.mark.parametrize("file_id", [-1, 1 << 31, 1 << 63])
def test_ids_outside_the_proxys_java_int_range_are_refused_unsent(
    mock: respx.MockRouter, file_id: int
) -> None:
    # No route: any request would fail the test with respx's "not mocked" error.
    message = (
        rf"file_id must be a stream id in 0\.\.2147483647 \(the proxy's range\), got {file_id}"
    )
    with alluxio.Client.from_url(A, retries=False) as client:
        for call in (client.close, client.read, client.write):
            with pytest.raises(alluxio.exceptions.InvalidArgumentError, match=message):
                call(file_id)
    assert not mock.calls


@pytest.mark.parametrize("file_id", [-1, 1 << 31])
@pytest.mark.anyio
async def test_async_ids_outside_the_range_are_refused_unsent(
    mock: respx.MockRouter, file_id: int
) -> None:
    async with alluxio.AsyncClient.from_url(A, retries=False) as client:
        for call in (client.close, client.read, client.write):
            with pytest.raises(alluxio.exceptions.InvalidArgumentError, match="the proxy's range"):
                await call(file_id)
    assert not mock.calls


def test_the_largest_java_int_is_sent(mock: respx.MockRouter) -> None:
    route = mock.post(f"{A}/api/v1/streams/2147483647/close").mock(return_value=httpx.Response(200))
    with alluxio.Client.from_url(A, retries=False) as client:
        client.close(2147483647)
    assert route.called
