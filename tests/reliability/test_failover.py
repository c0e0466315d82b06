"""Failover across several proxies, and stream ids staying with the proxy that issued them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

import alluxio
from alluxio import exceptions as exc
from alluxio._endpoints import Endpoint, Endpoints, parse_proxy_url, parse_proxy_urls
from alluxio._retry import RetryPolicy
from alluxio.server import EmbeddedProxy
from alluxio.server.pytest_plugin import ProxyFactory

from .faultproxy import FaultProxy, free_port

A = "http://a.test:39999"
B = "http://b.test:39999"
C = "http://c.test:40000"


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr("alluxio.client.time.sleep", slept.append)
    return slept


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        yield router


# -- request shape (respx) -------------------------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout("timed out")],
    ids=lambda e: type(e).__name__,
)
def test_unreachable_proxy_fails_over_to_the_next_and_sticks(
    mock: respx.MockRouter, sleeps: list[float], failure: Exception
) -> None:
    a = mock.post(f"{A}/api/v1/paths//f/exists").mock(side_effect=failure)
    b = mock.post(f"{B}/api/v1/paths//f/exists").mock(return_value=httpx.Response(200, json=True))
    with alluxio.Client.from_url(f"{A},{B}") as client:
        assert client.current_proxy == A
        assert client.exists("/f") is True
        assert client.current_proxy == B
        assert client.exists("/f") is True
    assert (a.call_count, b.call_count) == (1, 2)
    assert sleeps == []  # moving to another proxy needs no backoff


def test_state_changing_calls_fail_over_when_the_request_never_left(
    mock: respx.MockRouter, sleeps: list[float]
) -> None:
    # A refused connection means the proxy never saw the request: sending it elsewhere is not
    # a repetition, whatever the call.
    mock.post(f"{A}/api/v1/paths//f/create-file").mock(side_effect=httpx.ConnectError("refused"))
    b = mock.post(f"{B}/api/v1/paths//f/create-file").mock(return_value=httpx.Response(200, json=4))
    with alluxio.Client("a.test", proxies=[B]) as client:
        assert client.create_file("/f") == 4
    assert b.call_count == 1


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(503),
        httpx.Response(500, json={"statusCode": "UNAVAILABLE", "message": "m"}),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadTimeout("timed out"),
    ],
    ids=["503", "500", "disconnected", "timeout"],
)
def test_answers_and_lost_requests_do_not_fail_over(
    mock: respx.MockRouter, sleeps: list[float], failure: Any
) -> None:
    a = mock.post(f"{A}/api/v1/paths//f/delete").mock(side_effect=[failure])
    b = mock.post(f"{B}/api/v1/paths//f/delete").mock(return_value=httpx.Response(200))
    with alluxio.Client.from_url(f"{A},{B}") as client:
        with pytest.raises((exc.AlluxioError, exc.HTTPError)):
            client.delete("/f")
        assert client.current_proxy == A
    assert (a.call_count, b.call_count) == (1, 0)


def test_all_proxies_down_backs_off_then_raises(
    mock: respx.MockRouter, sleeps: list[float]
) -> None:
    routes = [
        mock.post(f"{url}/api/v1/paths//f/exists").mock(side_effect=httpx.ConnectError("refused"))
        for url in (A, B, C)
    ]
    policy = RetryPolicy(attempts=2, base_delay=0.5, random=lambda: 1.0)
    with (
        alluxio.Client.from_url(f"{A},{B},{C}", retries=policy) as client,
        pytest.raises(exc.HTTPError, match="ConnectError"),
    ):
        client.exists("/f")
    # Each proxy once per attempt; one backoff between the two rounds.
    assert [r.call_count for r in routes] == [2, 2, 2]
    assert sleeps == [0.5]


def test_stream_requests_go_to_the_issuing_proxy(
    mock: respx.MockRouter, sleeps: list[float]
) -> None:
    mock.post(f"{A}/api/v1/paths//f/create-file").mock(return_value=httpx.Response(200, json=9))
    mock.post(f"{A}/api/v1/paths//g/exists").mock(side_effect=httpx.ConnectError("refused"))
    mock.post(f"{B}/api/v1/paths//g/exists").mock(return_value=httpx.Response(200, json=False))
    write_a = mock.post(f"{A}/api/v1/streams/9/write").mock(
        return_value=httpx.Response(200, json=3)
    )
    close_a = mock.post(f"{A}/api/v1/streams/9/close").mock(return_value=httpx.Response(200))
    write_b = mock.post(f"{B}/api/v1/streams/9/write").mock(
        return_value=httpx.Response(200, json=3)
    )
    close_b = mock.post(f"{B}/api/v1/streams/9/close").mock(return_value=httpx.Response(200))
    with alluxio.Client.from_url(f"{A},{B}") as client:
        file_id = client.create_file("/f")
        assert client.exists("/g") is False  # A refused: B is now the current proxy
        assert client.current_proxy == B
        assert client.write(file_id).write(b"abc") == 3
        client.close(file_id)
        # Once closed, the id is forgotten (an unknown id goes to the current proxy).
        assert client._endpoints.open_streams == 0
    assert (write_a.call_count, close_a.call_count) == (1, 1)
    assert (write_b.call_count, close_b.call_count) == (0, 0)


def test_a_stream_never_fails_over(mock: respx.MockRouter, sleeps: list[float]) -> None:
    mock.post(f"{A}/api/v1/paths//f/open-file").mock(return_value=httpx.Response(200, json=2))
    mock.post(f"{A}/api/v1/streams/2/read").mock(side_effect=httpx.ConnectError("refused"))
    read_b = mock.post(f"{B}/api/v1/streams/2/read").mock(return_value=httpx.Response(200))
    with alluxio.Client.from_url(f"{A},{B}") as client:
        file_id = client.open_file("/f")
        with pytest.raises(exc.HTTPError, match="ConnectError"):
            client.read(file_id)
    assert read_b.call_count == 0


# -- URL lists -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("http://a:1", ["http://a:1"]),
        ("a", ["http://a:39999"]),
        ("https://a:443/", ["https://a:443"]),
        (" http://a:1 , b:2", ["http://a:1", "http://b:2"]),
        ("http://[::1]:5", ["http://[::1]:5"]),
    ],
)
def test_proxy_url_lists(text: str, urls: list[str]) -> None:
    assert [e.url for e in parse_proxy_urls(text)] == urls


@pytest.mark.parametrize(
    ("text", "error", "match"),
    [
        ("ftp://a:1", ValueError, "scheme"),
        ("http://a:1/api", ValueError, "path"),
        ("http://a:1?x=1", ValueError, "query"),
        ("http://user:secret@a:1", ValueError, "credentials"),
        ("http://a:99999", ValueError, "port"),
        ("http://:1", ValueError, "host"),
        ("", ValueError, "url"),
        ("a,,b", ValueError, "url"),
    ],
)
def test_bad_proxy_urls(text: str, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match) as info:
        alluxio.Client.from_url(text)
    assert "secret" not in str(info.value)


def test_bad_proxies_argument() -> None:
    with pytest.raises(TypeError, match="proxies"):
        alluxio.Client("a", proxies="http://b:1")
    with pytest.raises(TypeError, match="proxies"):
        alluxio.Client("a", proxies=[1])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="from_url: host"):
        alluxio.Client.from_url("http://a:1", host="b")


def test_duplicate_proxies_are_tried_once() -> None:
    endpoints = Endpoints(
        [parse_proxy_url("a:1"), parse_proxy_url("http://a:1"), Endpoint("http", "b", 1)]
    )
    assert [e.url for e in endpoints.all] == ["http://a:1", "http://b:1"]
    with alluxio.Client("a", 1, proxies=["http://a:1", "b:1"]) as client:
        assert client.proxies == ["http://a:1", "http://b:1"]
        assert repr(client) == "Client('http://a:1,http://b:1', dialect='2.x')"


# -- real proxies over loopback --------------------------------------------------------------


def test_failover_to_a_second_running_proxy(alluxio_proxy: EmbeddedProxy) -> None:
    down = f"http://127.0.0.1:{free_port()}"
    with alluxio.Client.from_url(f"{down},{alluxio_proxy.url}") as client:
        client.write_bytes("/hello", b"world")
        assert client.current_proxy == alluxio_proxy.url
        assert client.read_bytes("/hello") == b"world"
    assert (Path(alluxio_proxy.root) / "hello").read_bytes() == b"world"


def test_a_stream_finishes_on_its_proxy_after_a_failover(
    alluxio_proxy_factory: ProxyFactory, tmp_path: Path
) -> None:
    first = alluxio_proxy_factory(tmp_path / "first")
    second = alluxio_proxy_factory(tmp_path / "second")
    with FaultProxy(first.host, first.port) as gate:
        client = alluxio.Client.from_url(f"{gate.url},{second.url}", retries=False)
        with client:
            file_id = client.create_file("/on-first")
            client.write(file_id).write(b"part one, ")
            gate.stop()  # the first proxy becomes unreachable ...
            assert client.exists("/on-first") is False  # ... so this is asked of the second
            assert client.current_proxy == second.url
            gate.start()  # back, on the same port
            # The stream lives on the first proxy: writes and close still go there.
            client.write(file_id).write(b"part two")
            client.close(file_id)
            assert client.current_proxy == second.url
    assert (tmp_path / "first" / "on-first").read_bytes() == b"part one, part two"
    assert not os.path.exists(tmp_path / "second" / "on-first")


def test_a_stream_whose_proxy_is_down_raises_instead_of_moving(
    alluxio_proxy_factory: ProxyFactory, tmp_path: Path
) -> None:
    first = alluxio_proxy_factory(tmp_path / "first")
    second = alluxio_proxy_factory(tmp_path / "second")
    with alluxio.Client.from_url(f"{second.url}", retries=False) as other:
        other.create_file("/decoy")  # id 1 on the second proxy: the same id as below
    with (
        FaultProxy(first.host, first.port) as gate,
        alluxio.Client.from_url(f"{gate.url},{second.url}") as client,
    ):
        file_id = client.create_file("/x")
        assert file_id == 1
        gate.stop()
        with pytest.raises(exc.HTTPError, match="ConnectError"):
            client.write(file_id).write(b"data")
    # Nothing went into the second proxy's stream 1.
    with alluxio.Client.from_url(second.url) as other:
        other.close(1)
        assert other.get_status("/decoy").length == 0
        assert other.exists("/x") is False


def test_the_stream_table_is_bounded() -> None:
    from alluxio import _endpoints

    a, b = Endpoint("http", "a", 1), Endpoint("http", "b", 1)
    endpoints = Endpoints([a, b])
    limit = _endpoints._MAX_PINNED_STREAMS
    for file_id in range(limit + 10):
        endpoints.pin(file_id, b)
    assert endpoints.open_streams == limit
    # The oldest ids are forgotten (they fall back to the current proxy), the newest kept.
    assert endpoints.of_stream(0) == a
    assert endpoints.of_stream(limit + 9) == b
    endpoints.unpin(limit + 9)
    assert endpoints.of_stream(limit + 9) == a


def test_urls_are_joined_like_httpx_base_urls() -> None:
    path = "/api/v1/paths//a%20b/%2E%2E/c%2Fd/get-status"
    for base in ("http://h:1", "http://[::1]:39999", "https://proxy.example:443"):
        endpoint = parse_proxy_url(base)
        with httpx.Client(base_url=base) as http:
            assert endpoint.join(path) == http.build_request("POST", path).url
